#pragma once

// Words for JSON in the statistics readers' messages (jsonstat.cpp, kolada.cpp), so that both
// say the same thing the same way.

#include <string_view>

#include <simdjson.h>

namespace halsonav::statsio {

// "an array", "an object", "a number", "a string", "a boolean", "null".
inline std::string_view JsonTypeWord(simdjson::ondemand::json_type type) {
  switch (type) {
    case simdjson::ondemand::json_type::array:
      return "an array";
    case simdjson::ondemand::json_type::object:
      return "an object";
    case simdjson::ondemand::json_type::number:
      return "a number";
    case simdjson::ondemand::json_type::string:
      return "a string";
    case simdjson::ondemand::json_type::boolean:
      return "a boolean";
    case simdjson::ondemand::json_type::null:
      return "null";
  }
  return "a value";
}

}  // namespace halsonav::statsio
