#include "io/json_input.hpp"

#include <fmt/format.h>

#include "io/csv.hpp"

namespace halsonav::statsio {

std::string JsonErrorText(simdjson::error_code error) {
  switch (error) {
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "the JSON is broken here: a missing or extra comma, brace or bracket (is the file "
             "truncated?)";
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return "a number that is malformed or out of range (finite doubles only, up to about "
             "1.8e308)";
    case simdjson::UTF8_ERROR:
      return "the file is not valid UTF-8";
    case simdjson::UNESCAPED_CHARS:
      return "a string holds an unescaped control character";
    case simdjson::UNCLOSED_STRING:
      return "a string is not closed (is the file truncated?)";
    case simdjson::EMPTY:
      return "the file is empty";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "not JSON: a misspelt true, false or null";
    case simdjson::INCORRECT_TYPE:
      return "not JSON here, or not the JSON type expected";
    case simdjson::DEPTH_ERROR:
      return "the JSON is nested too deeply";
    case simdjson::CAPACITY:
      return "the file is too large";
    default:
      return fmt::format("not valid JSON ({})", simdjson::error_message(error));
  }
}

Problem JsonSyntaxProblem(std::string_view file_name, std::string_view text,
                          simdjson::error_code error, std::size_t offset) {
  if (error == simdjson::UTF8_ERROR) {
    const auto bad = csv::FirstInvalidUtf8(text);
    return {TextPosition(file_name, text, bad == std::string_view::npos ? 0 : bad),
            fmt::format("invalid UTF-8 (byte 0x{:02X}); JSON files are UTF-8",
                        bad == std::string_view::npos ? 0 : static_cast<unsigned char>(text[bad]))};
  }
  const bool truncated = error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT ||
                         error == simdjson::UNCLOSED_STRING || error == simdjson::EMPTY ||
                         offset == std::string_view::npos;
  return {TextPosition(file_name, text, offset == std::string_view::npos ? text.size() : offset),
          truncated ? fmt::format("the JSON ends early: the file is truncated or not JSON ({})",
                                  simdjson::error_message(error))
                    : fmt::format("not valid JSON here: {}", simdjson::error_message(error))};
}

}  // namespace halsonav::statsio
