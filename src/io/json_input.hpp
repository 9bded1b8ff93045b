#pragma once

// What the simdjson readers of the io layer (JSON-stat, its mapping file, Kolada) share: the
// words for JSON types and errors in their messages, and the place of a syntax error, so that
// they all say the same thing the same way. Positions, pointers and problem lists are
// io/problems.hpp and core/text.hpp.

#include <string>
#include <string_view>

#include <simdjson.h>

#include "io/problems.hpp"

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

// A simdjson error in words, for a message at a JSON pointer ("the JSON is broken here: …").
std::string JsonErrorText(simdjson::error_code error);

// The problem for a syntax error that stops the reading, at "FILE:LINE:COLUMN": invalid UTF-8
// where the first bad byte is; "the JSON ends early" where the text ends when simdjson says
// the document is incomplete (or `offset` is npos); else "not valid JSON here" at `offset`.
Problem JsonSyntaxProblem(std::string_view file_name, std::string_view text,
                          simdjson::error_code error, std::size_t offset);

}  // namespace halsonav::statsio
