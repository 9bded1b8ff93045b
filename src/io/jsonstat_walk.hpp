#pragma once

// How the JSON-stat reader walks a document with simdjson's on-demand API: every value it does
// not use is still validated, every object's keys are checked for duplicates (which on-demand
// does not see), and every problem is collected with its JSON pointer. Also used by the mapping
// file's reader (io/dimension_mapping.cpp). Internal to the io layer.

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"
#include "io/json_input.hpp"
#include "io/problems.hpp"

namespace halsonav::statsio::jsonstat {

namespace od = simdjson::ondemand;

constexpr std::size_t kMaxProblems = 100;
constexpr std::uint64_t kMaxCells = std::uint64_t{1} << 40;  // the value-index bits of `origin`
constexpr std::uint64_t kMaxDatasets = std::uint64_t{1} << 24;
constexpr int kMaxDepth = 256;

inline std::string Child(const std::string& pointer, std::string_view key) {
  return ChildPointer(pointer, key);
}
inline std::string Child(const std::string& pointer, std::uint64_t index) {
  return fmt::format("{}/{}", pointer, index);
}

// The problems of one file, by JSON pointer (without the file name), at most kMaxProblems.
class Problems : public ProblemList {
 public:
  Problems() : ProblemList(kMaxProblems) {}

  // A JSON error that stops the walk: always false.
  bool Json(const std::string& pointer, simdjson::error_code error) {
    fatal = true;
    Add(pointer, JsonErrorText(error));
    return false;
  }
  // The walk must stop: the document is broken or the list is full.
  bool Full() const { return fatal || ProblemList::Full(); }

  bool fatal = false;  // the document can no longer be walked
};

// Tracks the keys of one object: duplicates are an error the on-demand API does not see.
class KeySet {
 public:
  bool Insert(std::string_view key);

 private:
  std::vector<std::string> small_;
  std::unordered_set<std::string> big_;
};

// The keys of a value or status object, which are mostly cell indices: those are tracked by
// number (a bitmap when the dataset is not huge), which is much cheaper than hashing strings;
// every other key goes to a KeySet. A key string is a valid index in one way only, so a
// duplicate is always found.
class IndexKeySet {
 public:
  explicit IndexKeySet(std::uint64_t cells) : cells_(cells) {
    if (cells <= kMaxBitmapCells) bits_.assign((cells + 63) / 64, 0);
  }
  bool Insert(std::string_view key);

 private:
  static constexpr std::uint64_t kMaxBitmapCells = std::uint64_t{1} << 27;  // 16 MB
  std::uint64_t cells_;
  std::vector<std::uint64_t> bits_;
  std::unordered_set<std::uint64_t> big_;
  KeySet others_;
};

// A cell index written as a JSON object key ("0", "17"; no leading zeros), or nullopt.
std::optional<std::uint64_t> ParseIndexKey(std::string_view key);

// Walks (and checks) a value the reader does not use, so that bad JSON anywhere (a truncated
// note, 1e400 in an extension) fails the file. false when the walk must stop.
bool Validate(od::value value, const std::string& pointer, Problems& problems, int depth = 0);

// The fields of an object, each key checked once against `keys` (a KeySet or an IndexKeySet):
// `visit(key, value, pointer)` returns false to stop. Returns false when the walk must stop.
template <typename Keys, typename Visit>
bool VisitFields(od::object& object, const std::string& pointer, Problems& problems, Keys& keys,
                 Visit&& visit) {
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return problems.Json(pointer, error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return problems.Json(pointer, error);
    std::string child = Child(pointer, key);
    if (!keys.Insert(key)) {
      if (!problems.Add(child, fmt::format("the key \"{}\" occurs twice in this object", key))) {
        return false;
      }
    }
    if (!visit(key, field.value(), child)) return false;
  }
  return true;
}

// Iterates an object's fields with duplicate-key and JSON checks; `visit(key, value, pointer)`
// returns false to stop. Returns false when the walk must stop.
template <typename Visit>
bool ForEachField(od::value value, const std::string& pointer, Problems& problems,
                  std::string_view what, Visit&& visit) {
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  if (type != od::json_type::object) {
    problems.Add(pointer, fmt::format("{} must be an object, not {}", what, JsonTypeWord(type)));
    return Validate(value, pointer, problems);
  }
  od::object object;
  if (auto error = value.get_object().get(object)) return problems.Json(pointer, error);
  KeySet keys;
  return VisitFields(object, pointer, problems, keys, visit);
}

// ForEachField for a value or status object (keys are cell indices below `cells`), which may
// have a field for every cell: `visit(key, value, where)` gets the field's pointer as a function
// `where()`, so that it is made only for a problem.
template <typename Visit>
bool ForEachIndexField(od::value value, const std::string& pointer, Problems& problems,
                       std::uint64_t cells, Visit&& visit) {
  od::object object;
  if (auto error = value.get_object().get(object)) return problems.Json(pointer, error);
  IndexKeySet keys(cells);
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return problems.Json(pointer, error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return problems.Json(pointer, error);
    auto where = [&] { return Child(pointer, key); };
    if (!keys.Insert(key)) {
      if (!problems.Add(where(), fmt::format("the key \"{}\" occurs twice in this object", key))) {
        return false;
      }
    }
    if (!visit(key, field.value(), where)) return false;
  }
  return true;
}

template <typename Visit>
bool ForEachElement(od::value value, const std::string& pointer, Problems& problems,
                    std::string_view what, Visit&& visit) {
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  if (type != od::json_type::array) {
    problems.Add(pointer, fmt::format("{} must be an array, not {}", what, JsonTypeWord(type)));
    return Validate(value, pointer, problems);
  }
  od::array array;
  if (auto error = value.get_array().get(array)) return problems.Json(pointer, error);
  std::uint64_t index = 0;
  for (auto element_result : array) {
    od::value element;
    if (auto error = element_result.get(element)) {
      return problems.Json(Child(pointer, index), error);
    }
    if (!visit(index, element, Child(pointer, index))) return false;
    ++index;
  }
  return true;
}

// A string, or a problem (and the value is still validated). nullopt on either.
std::optional<std::string> ReadString(od::value value, const std::string& pointer,
                                      Problems& problems, std::string_view what);

// A non-negative integer written as a number or a string ("size": ["3"]).
std::optional<std::uint64_t> ReadCount(od::value value, const std::string& pointer,
                                       Problems& problems, std::string_view what);

}  // namespace halsonav::statsio::jsonstat
