#pragma once

// A simdjson on-demand walker that keeps the JSON pointer of the value being read and collects
// problems, for readers that walk a document once, field by field (io/kolada_data.cpp,
// io/kolada_registry.cpp). Internal to the io layer.

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "core/text.hpp"
#include "io/csv.hpp"
#include "io/json_input.hpp"
#include "io/problems.hpp"

namespace halsonav::statsio {

namespace od = simdjson::ondemand;

// Walks the JSON of a whole file with simdjson on-demand and reports problems with JSON pointers
// ("FILE#/values/3") and syntax errors with their place ("FILE:LINE:COLUMN"). Used by Kolada's
// data response and area list readers. The pointer of the value being read is
// kept in one growing buffer (path()), so that reading allocates nothing per value.
class JsonWalker {
 public:
  JsonWalker(std::string_view text, std::string_view file_name)
      : text_(text), file_name_(csv::ValidUtf8(file_name)), padded_(text) {
    path_.reserve(128);
  }

  std::vector<Problem>& problems() { return problems_; }
  const std::string& file_name() const { return file_name_; }
  bool fatal() const { return fatal_; }
  const std::string& path() const { return path_; }

  // A problem at the value being read (path()), or at one of its keys.
  void Report(std::string message) { ReportAt(path_, std::move(message)); }
  void ReportKey(std::string_view key, std::string message) {
    ReportAt(ChildPointer(path_, key), std::move(message));
  }
  void ReportAt(std::string_view pointer, std::string message) {
    problems_.push_back({PointerPlace(file_name_, pointer), std::move(message)});
  }

  // Enters an object key or array index of the pointer; Leave(mark) goes back.
  std::size_t EnterKey(std::string_view key) {
    const auto mark = path_.size();
    AppendPointerToken(path_, key);
    return mark;
  }
  std::size_t EnterIndex(std::size_t index) {
    const auto mark = path_.size();
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), index);
    path_.push_back('/');
    path_.append(buffer.data(), result.ptr);
    return mark;
  }
  void Leave(std::size_t mark) { path_.resize(mark); }

  // A syntax error that stops the reading: where it is, in words.
  void Fatal(simdjson::error_code error, const char* location) {
    fatal_ = true;
    problems_.push_back(JsonSyntaxProblem(file_name_, text_, error,
                                          location != nullptr
                                              ? static_cast<std::size_t>(location - padded_.data())
                                              : std::string_view::npos));
  }

  // Fatal, at the document's current place.
  void FatalHere(simdjson::error_code error) {
    const char* location = nullptr;
    if (doc_.current_location().get(location) != simdjson::SUCCESS) location = nullptr;
    Fatal(error, location);
  }

  // Starts the document; false (and a problem) when simdjson refuses it at once.
  bool Start() {
    if (auto error = parser_.iterate(padded_).get(doc_)) {
      Fatal(error, nullptr);
      return false;
    }
    return true;
  }

  od::document& doc() { return doc_; }

  // After the top-level value: anything left but blanks is a problem.
  void CheckEnd() {
    if (fatal_) return;
    const char* location = nullptr;
    if (doc_.current_location().get(location) == simdjson::SUCCESS && location != nullptr) {
      const auto offset = static_cast<std::size_t>(location - padded_.data());
      if (offset < text_.size() && !csv::Trim(text_.substr(offset)).empty()) {
        problems_.push_back(
            {TextPosition(file_name_, text_, offset), "text after the end of the JSON value"});
      }
    }
  }

  // Iterates an object's fields, calling `on_field(key, value)` for each with path() at the
  // field; a duplicate key is reported and its second value skipped. false on a fatal error
  // (or when on_field returns false).
  template <typename OnField>
  bool Fields(od::object object, OnField&& on_field) {
    if (depth_ == keys_seen_.size()) keys_seen_.emplace_back();
    const std::size_t depth = depth_++;
    keys_seen_[depth].clear();
    bool ok = true;
    for (auto field_result : object) {
      od::field field;
      if (auto error = std::move(field_result).get(field)) {
        FatalHere(error);
        ok = false;
        break;
      }
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) {
        FatalHere(error);
        ok = false;
        break;
      }
      auto& seen = keys_seen_[depth];
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        ReportKey(key, fmt::format("the key \"{}\" appears twice in one object; the second is "
                                   "ignored",
                                   key));
        continue;
      }
      seen.push_back(key);
      const auto mark = EnterKey(key);
      const bool field_ok = on_field(key, field.value());
      Leave(mark);
      if (!field_ok || fatal_) {
        ok = false;
        break;
      }
    }
    --depth_;
    return ok && !fatal_;
  }

  // Iterates an array, calling `on_element(index, value)` with path() at the element.
  template <typename OnElement>
  bool Elements(od::array array, OnElement&& on_element) {
    std::size_t index = 0;
    for (auto element_result : array) {
      od::value element;
      if (auto error = std::move(element_result).get(element)) {
        FatalHere(error);
        return false;
      }
      const auto mark = EnterIndex(index);
      const bool ok = on_element(index, element);
      Leave(mark);
      if (!ok || fatal_) return false;
      ++index;
    }
    return true;
  }

  // The value's JSON type; false (a fatal problem) when it cannot be told.
  bool Type(od::value& value, od::json_type& type) {
    if (auto error = value.type().get(type)) {
      FatalHere(error);
      return false;
    }
    return true;
  }

  // The value as an object or array of the expected kind. `ok` false on a fatal error; the
  // result false (and a problem naming `what`) when the value is of another type.
  bool Object(od::value& value, od::object& out, std::string_view what, bool& ok) {
    return As(value, od::json_type::object, what, ok) && Get(value.get_object(), out, ok);
  }
  bool Array(od::value& value, od::array& out, std::string_view what, bool& ok) {
    return As(value, od::json_type::array, what, ok) && Get(value.get_array(), out, ok);
  }
  // The value as a string; a problem naming `what` when it is not one.
  bool String(od::value& value, std::string_view& out, std::string_view what, bool& ok) {
    return As(value, od::json_type::string, what, ok) && Get(value.get_string(), out, ok);
  }

 private:
  bool As(od::value& value, od::json_type expected, std::string_view what, bool& ok) {
    od::json_type type;
    ok = Type(value, type);
    if (!ok) return false;
    if (type != expected) {
      Report(
          fmt::format("{} must be {}; it is {}", what, JsonTypeWord(expected), JsonTypeWord(type)));
      return false;
    }
    return true;
  }
  template <typename T, typename U>
  bool Get(simdjson::simdjson_result<T> result, U& out, bool& ok) {
    if (auto error = std::move(result).get(out)) {
      FatalHere(error);
      ok = false;
      return false;
    }
    return true;
  }

  std::string_view text_;
  std::string file_name_;
  simdjson::padded_string padded_;
  od::parser parser_;
  od::document doc_;
  std::vector<Problem> problems_;
  std::string path_;
  // The keys of each object being read, by depth (string views into the parser's buffer); kept
  // between objects so that their capacity is reused.
  std::vector<std::vector<std::string_view>> keys_seen_;
  std::size_t depth_ = 0;
  bool fatal_ = false;
};

}  // namespace halsonav::statsio
