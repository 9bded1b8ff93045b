#include "io/jsonstat.hpp"

// The reader walks the document with simdjson's on-demand API in two passes over one parse:
// pass 1 reads everything except the datasets' `value` (JSON-stat keeps no key order, so the
// dimensions may come after the values), validates every skipped value and rejects duplicate
// keys; pass 2 rewinds, goes back to each dataset and streams `value` straight into
// ObservationDraft entries. Pass 1 reads `status` too, so that pass 2 can stop right after the
// value array; when that read finds a problem, pass 1 runs again and leaves the status to pass
// 2, so that every message stays the same. A dataset at the root (the common case) is met in
// one walk for passes 0 and 1. Rules and decisions: docs/jsonstat.md.

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "io/json_words.hpp"
#include "io/problems.hpp"

namespace halsonav::statsio {
namespace {

namespace od = simdjson::ondemand;

constexpr std::size_t kMaxProblems = 100;
constexpr std::uint64_t kMaxCells = std::uint64_t{1} << 40;  // the value-index bits of `origin`
constexpr std::uint64_t kMaxDatasets = std::uint64_t{1} << 24;
constexpr int kMaxDepth = 256;
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

std::string EscapePointer(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Child(const std::string& pointer, std::string_view key) {
  return pointer + "/" + EscapePointer(key);
}
std::string Child(const std::string& pointer, std::uint64_t index) {
  return fmt::format("{}/{}", pointer, index);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

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

// ---- Problems ----------------------------------------------------------------------------------

struct Problems {
  std::vector<Problem> list;
  bool fatal = false;  // the document can no longer be walked

  // false once there are too many to go on.
  bool Add(std::string pointer, std::string message) {
    if (list.size() < kMaxProblems) list.push_back({std::move(pointer), std::move(message)});
    return list.size() < kMaxProblems;
  }
  bool Json(const std::string& pointer, simdjson::error_code error) {
    fatal = true;
    Add(pointer, JsonErrorText(error));
    return false;
  }
  bool Full() const { return fatal || list.size() >= kMaxProblems; }
};

// Tracks the keys of one object: duplicates are an error the on-demand API does not see.
class KeySet {
 public:
  bool Insert(std::string_view key) {
    if (small_.size() < 16 && big_.empty()) {
      for (const auto& seen : small_) {
        if (seen == key) return false;
      }
      small_.emplace_back(key);
      if (small_.size() == 16) {
        for (const auto& seen : small_) big_.insert(seen);
      }
      return true;
    }
    return big_.insert(std::string(key)).second;
  }

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

// Every value of the document that the reader does not use is still walked, so that bad JSON
// anywhere (a truncated note, 1e400 in an extension) fails the file.
bool Validate(od::value value, const std::string& pointer, Problems& problems, int depth = 0) {
  if (depth > kMaxDepth) {
    problems.fatal = true;
    problems.Add(pointer, "the JSON is nested too deeply");
    return false;
  }
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return problems.Json(pointer, error);
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) return problems.Json(pointer, error);
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return problems.Json(pointer, error);
        if (!Validate(field.value(), Child(pointer, key), problems, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return problems.Json(pointer, error);
      std::uint64_t index = 0;
      for (auto element_result : array) {
        od::value element;
        if (auto error = element_result.get(element)) {
          return problems.Json(Child(pointer, index), error);
        }
        if (!Validate(element, Child(pointer, index), problems, depth + 1)) return false;
        ++index;
      }
      return true;
    }
    case od::json_type::number: {
      double number;
      if (auto error = value.get_double().get(number)) return problems.Json(pointer, error);
      if (!std::isfinite(number)) return problems.Json(pointer, simdjson::NUMBER_ERROR);
      return true;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return problems.Json(pointer, error);
      return true;
    }
    case od::json_type::boolean: {
      bool flag;
      if (auto error = value.get_bool().get(flag)) return problems.Json(pointer, error);
      return true;
    }
    case od::json_type::null: {
      bool null = false;
      if (auto error = value.is_null().get(null)) return problems.Json(pointer, error);
      if (!null) return problems.Json(pointer, simdjson::N_ATOM_ERROR);
      return true;
    }
  }
  return true;
}

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
                                      Problems& problems, std::string_view what) {
  od::json_type type;
  if (auto error = value.type().get(type)) {
    problems.Json(pointer, error);
    return std::nullopt;
  }
  if (type != od::json_type::string) {
    problems.Add(pointer, fmt::format("{} must be a string, not {}", what, JsonTypeWord(type)));
    Validate(value, pointer, problems);
    return std::nullopt;
  }
  std::string_view text;
  if (auto error = value.get_string().get(text)) {
    problems.Json(pointer, error);
    return std::nullopt;
  }
  return std::string(text);
}

// A non-negative integer written as a number or a string ("size": ["3"]).
std::optional<std::uint64_t> ReadCount(od::value value, const std::string& pointer,
                                       Problems& problems, std::string_view what) {
  od::json_type type;
  if (auto error = value.type().get(type)) {
    problems.Json(pointer, error);
    return std::nullopt;
  }
  if (type == od::json_type::string) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) {
      problems.Json(pointer, error);
      return std::nullopt;
    }
    std::uint64_t number = 0;
    bool ok = !text.empty() && text.size() <= 18;
    for (char c : text) {
      if (c < '0' || c > '9') ok = false;
    }
    if (ok) {
      for (char c : text) number = number * 10 + static_cast<std::uint64_t>(c - '0');
      return number;
    }
  } else if (type == od::json_type::number) {
    double number;
    if (auto error = value.get_double().get(number)) {
      problems.Json(pointer, error);
      return std::nullopt;
    }
    if (number >= 0 && number < 1e18 && std::floor(number) == number) {
      return static_cast<std::uint64_t>(number);
    }
    problems.Add(pointer, fmt::format("{} must be a whole number from 0 up, not {}", what, number));
    return std::nullopt;
  } else {
    Validate(value, pointer, problems);
  }
  problems.Add(pointer, fmt::format("{} must be a whole number from 0 up", what));
  return std::nullopt;
}

// ---- Pass 1: the metadata of a dataset ---------------------------------------------------------

struct Category {
  std::string code;
  std::string label;
  std::string unit;
  std::string pointer;  // its place in the file (index entry, else label entry)
};

struct Dimension {
  std::string id;
  std::string label;
  std::string pointer;           // "/dimension/<id>" (with the dataset prefix)
  std::string show;              // PX-Web extension.show: "code", "value", "code_value"
  std::string elimination_code;  // PX-Web extension.eliminationValueCode: the total
  std::vector<Category> categories;
  bool has_categories = false;
};

// Statuses, as symbol ids per cell (0 = none).
struct CellStatus {
  std::vector<std::string> symbols{""};
  std::string single;  // a status given as one string for every cell
  bool has_single = false;
  std::vector<std::uint16_t> dense;                             // status array
  std::uint64_t dense_count = 0;                                // its length
  std::vector<std::pair<std::uint64_t, std::uint16_t>> sparse;  // status object, sorted
  bool is_dense = false;

  std::uint16_t Symbol(std::string_view text) {
    for (std::size_t idx = 0; idx < symbols.size(); ++idx) {
      if (symbols[idx] == text) return static_cast<std::uint16_t>(idx);
    }
    if (symbols.size() >= 65535) return 0;
    symbols.emplace_back(text);
    return static_cast<std::uint16_t>(symbols.size() - 1);
  }
  std::string_view At(std::uint64_t cell) const {
    if (has_single) return single;
    if (is_dense) return cell < dense.size() ? std::string_view(symbols[dense[cell]]) : "";
    auto it =
        std::lower_bound(sparse.begin(), sparse.end(), std::make_pair(cell, std::uint16_t{0}));
    if (it != sparse.end() && it->first == cell) return symbols[it->second];
    return "";
  }
};

enum class Shape { kAbsent, kArray, kObject, kString, kOther };

struct Dataset {
  std::string prefix;  // JSON pointer of the dataset ("" at the root)
  std::string cls;
  std::string label;
  std::string table_id;  // extension.px.tableid
  bool px = false;       // has extension.px: the dataset comes from a PX-Web API
  bool has_ids = false;
  bool has_sizes = false;
  std::string ids_pointer;
  std::string sizes_pointer;
  std::vector<std::string> ids;
  std::vector<std::uint64_t> sizes;
  std::vector<std::pair<std::string, std::vector<std::string>>> roles;  // role -> dimension ids
  std::vector<Dimension> dimensions;  // as they come in the `dimension` object
  bool has_dimension = false;
  Shape value = Shape::kAbsent;
  bool value_empty = false;
  Shape status = Shape::kAbsent;
  // `status` as pass 1 read it, when that read found no problem; its cell indices are checked
  // against the sizes in pass 2 (ReadCells), which then need not step over `value` to reach it.
  std::optional<CellStatus> early_status;

  const Dimension* Find(std::string_view id) const {
    for (const auto& dimension : dimensions) {
      if (dimension.id == id) return &dimension;
    }
    return nullptr;
  }
};

bool ReadRoles(od::value value, const std::string& pointer, Problems& problems, Dataset& dataset) {
  return ForEachField(
      value, pointer, problems, "role",
      [&](std::string_view key, od::value role_value, const std::string& role_pointer) {
        std::vector<std::string> ids;
        bool ok = ForEachElement(role_value, role_pointer, problems, "a role",
                                 [&](std::uint64_t, od::value element, const std::string& where) {
                                   auto id = ReadString(element, where, problems, "a dimension id");
                                   if (id) ids.push_back(std::move(*id));
                                   return !problems.fatal;
                                 });
        dataset.roles.emplace_back(std::string(key), std::move(ids));
        return ok;
      });
}

bool ReadIds(od::value value, const std::string& pointer, Problems& problems, Dataset& dataset) {
  dataset.has_ids = true;
  dataset.ids_pointer = pointer;
  return ForEachElement(value, pointer, problems, "id",
                        [&](std::uint64_t, od::value element, const std::string& where) {
                          auto id = ReadString(element, where, problems, "a dimension id");
                          dataset.ids.push_back(id.value_or(""));
                          return !problems.fatal;
                        });
}

bool ReadSizes(od::value value, const std::string& pointer, Problems& problems, Dataset& dataset) {
  dataset.has_sizes = true;
  dataset.sizes_pointer = pointer;
  return ForEachElement(value, pointer, problems, "size",
                        [&](std::uint64_t, od::value element, const std::string& where) {
                          auto size = ReadCount(element, where, problems, "a size");
                          dataset.sizes.push_back(size.value_or(0));
                          return !problems.fatal;
                        });
}

// A category's unit as one string: its label ("%", "thousands of persons"), else its symbol,
// else its base (SCB: "antal", "tkr").
bool ReadUnits(od::value value, const std::string& pointer, Problems& problems,
               std::vector<std::pair<std::string, std::string>>& units) {
  return ForEachField(
      value, pointer, problems, "unit",
      [&](std::string_view code, od::value unit_value, const std::string& unit_pointer) {
        std::string label, symbol, base;
        bool ok =
            ForEachField(unit_value, unit_pointer, problems, "a unit",
                         [&](std::string_view key, od::value field, const std::string& where) {
                           if (key == "label" || key == "symbol" || key == "base") {
                             auto text = ReadString(field, where, problems, "a unit's text");
                             if (text)
                               (key == "label" ? label : key == "symbol" ? symbol : base) = *text;
                             return !problems.fatal;
                           }
                           return Validate(field, where, problems);
                         });
        units.emplace_back(std::string(code), !label.empty()    ? label
                                              : !symbol.empty() ? symbol
                                                                : base);
        return ok;
      });
}

bool ReadCategory(od::value value, const std::string& pointer, Problems& problems,
                  Dimension& dimension) {
  struct Indexed {
    std::string code;
    std::uint64_t position;
    std::string pointer;
  };
  std::vector<Indexed> indexed;
  bool has_index = false;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::string, std::string>> units;
  const std::string index_pointer = pointer + "/index";
  bool ok = ForEachField(
      value, pointer, problems, "category",
      [&](std::string_view key, od::value field, const std::string& where) {
        if (key == "index") {
          has_index = true;
          od::json_type type;
          if (auto error = field.type().get(type)) return problems.Json(where, error);
          if (type == od::json_type::array) {
            return ForEachElement(
                field, where, problems, "index",
                [&](std::uint64_t position, od::value element, const std::string& at) {
                  auto code = ReadString(element, at, problems, "a category code");
                  if (code) indexed.push_back({std::move(*code), position, at});
                  return !problems.fatal;
                });
          }
          return ForEachField(field, where, problems, "index",
                              [&](std::string_view code, od::value element, const std::string& at) {
                                auto position =
                                    ReadCount(element, at, problems, "a category's position");
                                if (position) indexed.push_back({std::string(code), *position, at});
                                return !problems.fatal;
                              });
        }
        if (key == "label") {
          return ForEachField(field, where, problems, "label",
                              [&](std::string_view code, od::value element, const std::string& at) {
                                auto text = ReadString(element, at, problems, "a category label");
                                if (text) labels.emplace_back(std::string(code), std::move(*text));
                                return !problems.fatal;
                              });
        }
        if (key == "unit") return ReadUnits(field, where, problems, units);
        return Validate(field, where, problems);
      });
  if (!ok) return false;

  dimension.has_categories = true;
  auto& categories = dimension.categories;
  if (has_index) {
    const std::uint64_t count = indexed.size();
    categories.resize(indexed.size());
    std::vector<bool> used(indexed.size(), false);
    KeySet codes;
    for (auto& entry : indexed) {
      if (entry.position >= count) {
        problems.Add(entry.pointer,
                     fmt::format("position {} is out of range: the dimension has {} categories",
                                 entry.position, count));
        continue;
      }
      if (used[entry.position]) {
        problems.Add(entry.pointer, fmt::format("position {} is used twice", entry.position));
        continue;
      }
      if (!codes.Insert(entry.code)) {
        problems.Add(entry.pointer, fmt::format("the category \"{}\" occurs twice", entry.code));
        continue;
      }
      used[entry.position] = true;
      categories[entry.position].code = std::move(entry.code);
      categories[entry.position].pointer = std::move(entry.pointer);
    }
  } else {
    // No index: JSON-stat allows it for a single category; the labels' order is used.
    for (const auto& [code, text] : labels) {
      categories.push_back({code, "", "", Child(pointer + "/label", code)});
    }
    if (labels.empty()) {
      problems.Add(pointer, "a category needs an index or a label");
    }
  }
  std::unordered_map<std::string_view, std::size_t> position_of;
  for (std::size_t position = 0; position < categories.size(); ++position) {
    position_of.emplace(categories[position].code, position);
  }
  for (auto& [code, text] : labels) {
    if (auto it = position_of.find(code); it != position_of.end()) {
      categories[it->second].label = std::move(text);
    }
  }
  for (auto& [code, text] : units) {
    if (auto it = position_of.find(code); it != position_of.end()) {
      categories[it->second].unit = std::move(text);
    }
  }
  return true;
}

bool ReadDimension(std::string_view id, od::value value, const std::string& pointer,
                   Problems& problems, Dataset& dataset) {
  Dimension dimension;
  dimension.id = std::string(id);
  dimension.pointer = pointer;
  bool ok = ForEachField(
      value, pointer, problems, "a dimension",
      [&](std::string_view key, od::value field, const std::string& where) {
        if (key == "label") {
          auto text = ReadString(field, where, problems, "label");
          if (text) dimension.label = std::move(*text);
          return !problems.fatal;
        }
        if (key == "category") return ReadCategory(field, where, problems, dimension);
        if (key == "extension") {
          od::json_type type;
          if (auto error = field.type().get(type)) return problems.Json(where, error);
          if (type != od::json_type::object) return Validate(field, where, problems);
          return ForEachField(
              field, where, problems, "extension",
              [&](std::string_view ext_key, od::value ext_value, const std::string& at) {
                if (ext_key == "show" || ext_key == "eliminationValueCode") {
                  od::json_type ext_type;
                  if (auto error = ext_value.type().get(ext_type)) return problems.Json(at, error);
                  if (ext_type != od::json_type::string) return Validate(ext_value, at, problems);
                  auto text = ReadString(ext_value, at, problems, ext_key);
                  if (text)
                    (ext_key == "show" ? dimension.show : dimension.elimination_code) = *text;
                  return !problems.fatal;
                }
                return Validate(ext_value, at, problems);
              });
        }
        return Validate(field, where, problems);
      });
  if (!dimension.has_categories && !problems.fatal) {
    problems.Add(pointer, "the dimension has no category");
  }
  dataset.dimensions.push_back(std::move(dimension));
  return ok;
}

bool ReadDimensions(od::value value, const std::string& pointer, Problems& problems,
                    Dataset& dataset) {
  dataset.has_dimension = true;
  return ForEachField(value, pointer, problems, "dimension",
                      [&](std::string_view key, od::value field, const std::string& where) {
                        // JSON-stat 1.x keeps id, size and role inside `dimension`.
                        if (key == "id") return ReadIds(field, where, problems, dataset);
                        if (key == "size") return ReadSizes(field, where, problems, dataset);
                        if (key == "role") return ReadRoles(field, where, problems, dataset);
                        return ReadDimension(key, field, where, problems, dataset);
                      });
}

Shape ShapeOf(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return Shape::kArray;
    case od::json_type::object:
      return Shape::kObject;
    case od::json_type::string:
      return Shape::kString;
    default:
      return Shape::kOther;
  }
}

bool ReadStatus(od::value value, const std::string& prefix, std::uint64_t cells, bool cells_known,
                Problems& problems, CellStatus& status);
bool ReadTopLinks(od::value value, const std::string& pointer, Problems& problems,
                  bool& search_links);

// The product of the sizes read so far, as a hint for the keys of a status object (see
// IndexKeySet); past kMaxCells when there are none yet.
std::uint64_t CellsHint(const Dataset& dataset) {
  if (!dataset.has_sizes) return kMaxCells + 1;
  std::uint64_t cells = 1;
  for (auto size : dataset.sizes) {
    if (__builtin_mul_overflow(cells, size, &cells) || cells > kMaxCells) return kMaxCells + 1;
  }
  return cells;
}

// What ReadDatasetMeta does besides the metadata.
struct MetaOptions {
  // Reads `status` too (Dataset::early_status), in a problem list of its own; sets *early_failed
  // when that read found a problem, and the caller walks again without it, so that every
  // problem is reported as pass 2 reports it. Null: `status` is left for pass 2.
  bool* early_failed = nullptr;
  // The dataset is the file's root: `links` is read as pass 0 reads it (for a search result).
  bool* search_links = nullptr;
};

// Reads a dataset's (or a candidate's) metadata; `value` (and unless `options` say otherwise
// `status`) are left for pass 2.
bool ReadDatasetMeta(od::value value, const std::string& prefix, Problems& problems,
                     Dataset& dataset, const MetaOptions& options = {}) {
  dataset.prefix = prefix;
  return ForEachField(
      value, prefix, problems, "a dataset",
      [&](std::string_view key, od::value field, const std::string& where) {
        if (key == "class" || key == "label") {
          od::json_type type;
          if (auto error = field.type().get(type)) return problems.Json(where, error);
          if (type != od::json_type::string) return Validate(field, where, problems);
          auto text = ReadString(field, where, problems, key);
          if (text) (key == "class" ? dataset.cls : dataset.label) = std::move(*text);
          return !problems.fatal;
        }
        if (key == "id") return ReadIds(field, where, problems, dataset);
        if (key == "size") return ReadSizes(field, where, problems, dataset);
        if (key == "role") return ReadRoles(field, where, problems, dataset);
        if (key == "dimension") return ReadDimensions(field, where, problems, dataset);
        if (key == "value" || key == "status") {
          // A second value or status (a problem already) is read by pass 2 as it always was.
          if (options.early_failed != nullptr &&
              (key == "value" ? dataset.value : dataset.status) != Shape::kAbsent) {
            *options.early_failed = true;
          }
          od::json_type type;
          if (auto error = field.type().get(type)) return problems.Json(where, error);
          Shape shape = ShapeOf(type);
          if (key == "status") {
            dataset.status = shape;
            if (options.early_failed != nullptr && !*options.early_failed) {
              Problems own;
              CellStatus status;
              if (ReadStatus(field, prefix, CellsHint(dataset), false, own, status) &&
                  own.list.empty() && !own.fatal) {
                dataset.early_status = std::move(status);
              } else {
                dataset.early_status.reset();
                *options.early_failed = true;
              }
            }
          } else {
            dataset.value = shape;
            if (shape == Shape::kArray) {
              od::array array;
              if (auto error = field.get_array().get(array)) return problems.Json(where, error);
              if (auto error = array.is_empty().get(dataset.value_empty)) {
                return problems.Json(where, error);
              }
            }
          }
          return true;  // read in pass 2
        }
        if (key == "links" && options.search_links != nullptr) {
          od::json_type type;
          if (auto error = field.type().get(type)) return problems.Json(where, error);
          if (type != od::json_type::array) return Validate(field, where, problems);
          return ReadTopLinks(field, where, problems, *options.search_links);
        }
        if (key == "extension") {
          od::json_type type;
          if (auto error = field.type().get(type)) return problems.Json(where, error);
          if (type != od::json_type::object) return Validate(field, where, problems);
          return ForEachField(
              field, where, problems, "extension",
              [&](std::string_view ext_key, od::value ext_value, const std::string& at) {
                if (ext_key != "px") return Validate(ext_value, at, problems);
                dataset.px = true;
                od::json_type px_type;
                if (auto error = ext_value.type().get(px_type)) return problems.Json(at, error);
                if (px_type != od::json_type::object) return Validate(ext_value, at, problems);
                return ForEachField(
                    ext_value, at, problems, "px",
                    [&](std::string_view px_key, od::value px_value, const std::string& px_at) {
                      if (px_key != "tableid") return Validate(px_value, px_at, problems);
                      auto text = ReadString(px_value, px_at, problems, "tableid");
                      if (text) dataset.table_id = std::move(*text);
                      return !problems.fatal;
                    });
              });
        }
        return Validate(field, where, problems);
      });
}

bool LooksLikeData(const Dataset& dataset) {
  return dataset.has_dimension && dataset.value != Shape::kAbsent;
}

// ---- What a file is ----------------------------------------------------------------------------

struct TopLevel {
  std::vector<std::string> keys;
  std::string cls;
  bool Has(std::string_view key) const {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }
};

// The message for a file that is JSON but no JSON-stat data, from its top-level keys;
// empty when the keys say nothing.
std::string RecogniseNonData(const TopLevel& top, bool search_links) {
  if (top.Has("query") && top.Has("response")) {
    return "this is a PX-Web query body — POST it to the table to get data, then read the "
           "response";
  }
  if (top.Has("title") && top.Has("variables")) {
    return "this is PX-Web table metadata (a v1 table's variables and values), not data: POST a "
           "query to the table's address to get data";
  }
  if (top.Has("tables")) {
    if (search_links) {
      return "this is a PX-Web table search result, not data: pick a table and request "
             "/tables/{id}/data";
    }
    return "this is a PX-Web table list, not data: pick a table and request /tables/{id}/data";
  }
  if (top.Has("apiVersion") || (top.Has("dataFormats") && top.Has("languages"))) {
    return "this is a PX-Web API configuration (/config), not data";
  }
  if (top.Has("variableNames") || (top.Has("firstPeriod") && top.Has("links"))) {
    return "this is a PX-Web table description, not data: request /tables/{id}/data";
  }
  if (top.Has("codeLists") || (top.Has("values") && top.Has("type") && top.Has("id"))) {
    return "this is a PX-Web code list, not data";
  }
  return {};
}

// ---- Roles, indicators, breakdowns -------------------------------------------------------------

std::optional<DimensionRole> DefaultRole(std::string_view id) {
  const std::string lower = Lower(id);
  static constexpr std::array<std::string_view, 14> kTime{
      "tid",   "time",  "year",  "years",   "år",      "ar",   "period",
      "month", "månad", "manad", "quarter", "kvartal", "date", "periods"};
  static constexpr std::array<std::string_view, 15> kGeo{
      "region", "geo", "area",  "areas",  "country", "county", "municipality", "kommun",
      "lan",    "län", "state", "nation", "land",    "omrade", "område"};
  static constexpr std::array<std::string_view, 9> kMetric{
      "contentscode", "metric",         "concept",        "concepts", "indicator",
      "measure",      "tabellinnehall", "tabellinnehåll", "contents"};
  auto in = [&](const auto& list) {
    return std::find(list.begin(), list.end(), lower) != list.end();
  };
  if (in(kTime)) return DimensionRole::kTime;
  if (in(kGeo)) return DimensionRole::kGeo;
  if (in(kMetric)) return DimensionRole::kMetric;
  return std::nullopt;
}

bool IsSexId(std::string_view id) {
  const std::string lower = Lower(id);
  static constexpr std::array<std::string_view, 7> kIds{"kon",     "kön",   "sex", "gender",
                                                        "genders", "sexes", "kön_"};
  return std::find(kIds.begin(), kIds.end(), lower) != kIds.end();
}

std::optional<std::string_view> SexOf(const Category& category) {
  if (!category.label.empty()) {
    if (auto sex = NormalizeSex(category.label)) return sex;
  }
  return NormalizeSex(category.code);
}

bool IsTotalLabel(std::string_view label) {
  const std::string lower = Lower(label);
  static constexpr std::array<std::string_view, 8> kTotals{
      "total", "totalt", "samtliga", "alla", "all", "totalt, samtliga", "riket", "summa"};
  if (std::find(kTotals.begin(), kTotals.end(), lower) != kTotals.end()) return true;
  return lower.starts_with("totalt ") || lower.starts_with("totalt,") ||
         lower.starts_with("total ") || lower.starts_with("samtliga ");
}

std::optional<double ObservationDraft::*> PartField(std::string_view name) {
  if (name == "value") return &ObservationDraft::value;
  if (name == "ci_low") return &ObservationDraft::ci_low;
  if (name == "ci_high") return &ObservationDraft::ci_high;
  if (name == "numerator") return &ObservationDraft::numerator;
  if (name == "denominator") return &ObservationDraft::denominator;
  if (name == "respondents") return &ObservationDraft::respondents;
  return std::nullopt;
}

// Status symbols: PX-Web's dots (".." not available, "." cannot occur, "..." and "...."),
// Eurostat's ":" = missing; letters as Eurostat and the JSON-stat samples use them: "p"
// provisional, "b" break in series, "c" confidential (suppressed). Others are kept, unflagged.
std::uint8_t StatusFlags(std::string_view symbol) {
  if (symbol == ".." || symbol == "." || symbol == "..." || symbol == "...." || symbol == ":") {
    return kObservationMissing;
  }
  std::uint8_t flags = 0;
  if (symbol.size() > 4) return 0;
  for (char c : symbol) {
    if (c == 'p') {
      flags |= kObservationProvisional;
    } else if (c == 'b') {
      flags |= kObservationBreak;
    } else if (c == 'c') {
      flags |= kObservationSuppressed;
    }
  }
  return flags;
}

std::string StripCodePrefix(std::string_view code, std::string_view label) {
  if (!code.empty() && label.size() > code.size() && label.starts_with(code)) {
    std::string_view rest = label.substr(code.size());
    if (rest.starts_with(": ")) return std::string(rest.substr(2));
    if (rest.starts_with(' ')) return std::string(rest.substr(1));
  }
  return std::string(label);
}

std::string FileStem(std::string_view file_name) {
  auto slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) file_name = file_name.substr(0, dot);
  return std::string(file_name);
}

// ---- Pass 2: values and statuses ---------------------------------------------------------------

// Everything about the cells of one dataset that pass 2 needs.
struct CellLayout {
  std::vector<std::uint64_t> sizes;    // in `id` order
  std::vector<std::uint64_t> strides;  // row-major
  std::uint64_t cells = 0;
};

// A sink takes the cells pass 2 reads: `bool Dense(cell, value)` for a value array (cells in
// order), `bool DenseBlock(first, values, count)` for the cells first, first + 1, … of a value
// array at once, and `bool Sparse(cell, value)` for a value object; cell < layout.cells, value
// NaN for null; false stops. Templates rather than virtual calls: this is the per-cell hot path.

// The value type a unit implies, as SCB and Folkhälsodata write units: "antal" is a count,
// "procent" a proportion; anything else stays kOther (the mapping file can say more).
ValueType ValueTypeOfUnit(std::string_view unit) {
  std::string lower;
  for (char c : unit)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "antal" || lower == "number" || lower == "persons" || lower == "personer") {
    return ValueType::kCount;
  }
  if (lower == "procent" || lower == "%" || lower == "percent" || lower == "andel") {
    return ValueType::kProportion;
  }
  if (lower == "index") return ValueType::kIndex;
  return ValueType::kOther;
}

std::optional<std::uint64_t> ParseIndexKey(std::string_view key) {
  if (key.empty() || key.size() > 15) return std::nullopt;
  if (key.size() > 1 && key[0] == '0') return std::nullopt;
  std::uint64_t number = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return number;
}

bool IndexKeySet::Insert(std::string_view key) {
  auto cell = ParseIndexKey(key);
  if (!cell || *cell >= cells_) return others_.Insert(key);
  if (bits_.empty()) return big_.insert(*cell).second;
  auto& word = bits_[*cell / 64];
  const std::uint64_t bit = std::uint64_t{1} << (*cell % 64);
  if (word & bit) return false;
  word |= bit;
  return true;
}

// ReadCellValue's rare cases, out of line so that the per-cell path stays small.
[[gnu::noinline]] std::optional<double> ReadOtherCellValue(od::value element, std::uint64_t index,
                                                           const std::string& prefix,
                                                           Problems& problems,
                                                           simdjson::error_code error) {
  if (!error) {
    problems.Add(fmt::format("{}/value/{}", prefix, index), "a value must be finite");
    return std::nullopt;
  }
  if (error == simdjson::INCORRECT_TYPE) {
    od::json_type type;
    if (auto type_error = element.type().get(type)) {
      problems.Json(fmt::format("{}/value/{}", prefix, index), type_error);
      return std::nullopt;
    }
    if (type == od::json_type::null) {
      bool null = false;
      if (auto null_error = element.is_null().get(null); null_error || !null) {
        problems.Json(fmt::format("{}/value/{}", prefix, index), simdjson::N_ATOM_ERROR);
        return std::nullopt;
      }
      return kAbsent;
    }
    std::string pointer = fmt::format("{}/value/{}", prefix, index);
    problems.Add(pointer,
                 fmt::format("a value must be a number or null, not {}", JsonTypeWord(type)));
    if (!Validate(element, pointer, problems)) return std::nullopt;
    return std::nullopt;
  }
  problems.Json(fmt::format("{}/value/{}", prefix, index), error);
  return std::nullopt;
}

// Reads one value: a finite number or null (NaN). nullopt after adding a problem.
inline std::optional<double> ReadCellValue(od::value element, std::uint64_t index,
                                           const std::string& prefix, Problems& problems) {
  double number;
  auto error = element.get_double().get(number);
  if (!error && std::isfinite(number)) [[likely]] {
    return number;
  }
  return ReadOtherCellValue(element, index, prefix, problems, error);
}

// JSON whitespace.
inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The numbers that ScanCellValue does not read itself, out of line. libstdc++'s from_chars
// (fast_float) rounds correctly, as simdjson does; out of range or not finite goes to the
// on-demand path for its exact problem.
[[gnu::noinline]] bool ScanLongNumber(const char* start, const char* end, double& number) {
  auto [stop, error] = std::from_chars(start, end, number);
  return error == std::errc{} && stop == end && std::isfinite(number);
}

// Reads one element of a value array straight from the text at `p` (its first character): a
// finite JSON number (checked against JSON's grammar) or null, up to whitespace, ',' or ']'.
// Returns the character after it, or nullptr for anything else (left to the on-demand path,
// which reports it). The text is a simdjson padded string: zero bytes follow its end, and they
// stop every loop here.
[[gnu::always_inline]] inline const char* ScanCellValue(const char* p, double& number) {
  // Powers of ten that a double holds exactly.
  static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* start = p;
  if (*p == 'n') {
    if (p[1] != 'u' || p[2] != 'l' || p[3] != 'l') return nullptr;
    p += 4;
    number = kAbsent;
  } else {
    const bool negative = *p == '-';
    if (negative) ++p;
    // The significant digits as an integer (up to 19 of them) and how many follow the point.
    std::uint64_t digits = 0;
    int count = 0;
    int decimals = 0;
    if (*p == '0') {
      ++p;
    } else if (*p >= '1' && *p <= '9') {
      do {
        digits = digits * 10 + static_cast<std::uint64_t>(*p - '0');
        ++count;
      } while (IsDigit(*++p) && count < 19);
      while (IsDigit(*p)) {
        ++p;
        count = 99;  // too many for the short path
      }
    } else {
      return nullptr;
    }
    if (*p == '.') {
      if (!IsDigit(*++p)) return nullptr;
      do {
        if (count < 19) {
          digits = digits * 10 + static_cast<std::uint64_t>(*p - '0');
          if (digits != 0) ++count;  // leading zeros of 0.001 do not count
          ++decimals;
        } else {
          count = 99;
        }
      } while (IsDigit(*++p));
    }
    bool exponent = false;
    if (*p == 'e' || *p == 'E') {
      exponent = true;
      ++p;
      if (*p == '+' || *p == '-') ++p;
      if (!IsDigit(*p)) return nullptr;
      while (IsDigit(*++p)) {
      }
    }
    if (!exponent && count <= 15 && decimals <= 22) {
      // Clinger's fast path: both exact, so one division rounds correctly (as simdjson's own
      // first path does).
      number = static_cast<double>(digits) / kPowers[decimals];
      if (negative) number = -number;
    } else if (!ScanLongNumber(start, p, number)) {
      return nullptr;
    }
  }
  if (!IsJsonSpace(*p) && *p != ',' && *p != ']') return nullptr;
  return p;
}

// `then_more`: whether the caller goes on reading the dataset's fields after `value` (else a
// value array read by the fast path is not stepped over: nothing after it is read).
template <typename Sink>
bool ReadValues(od::value value, const Dataset& dataset, const CellLayout& layout,
                Problems& problems, Sink& sink, bool then_more) {
  const std::string pointer = dataset.prefix + "/value";
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  if (type == od::json_type::array) {
    std::uint64_t index = 0;
    bool too_many = false;
    // Fast path: numbers and nulls read straight from the text, without the on-demand iterator
    // (which costs more than the numbers). At the first element it cannot read, the on-demand
    // loop below takes over from that element, so every problem stays as it was.
    // The values go to the sink a block at a time (DenseBlock), which costs less per cell.
    bool fast_done = false;
    // Hands `count` values read by the fast path, the cells from `index` on, to the sink; as
    // the on-demand loop below does, cells past the sizes are one problem. false stops.
    auto deliver = [&](const double* values, std::uint64_t count) {
      const std::uint64_t end = index + count;
      const std::uint64_t in_range = index < layout.cells ? std::min(end, layout.cells) - index : 0;
      if (in_range > 0) {
        if (problems.Full() || !sink.DenseBlock(index, values, in_range)) return false;
      }
      for (std::uint64_t cell = index + in_range; cell < end; ++cell) {
        if (!too_many) {
          too_many = true;
          problems.Add(fmt::format("{}/{}", pointer, cell),
                       fmt::format("more values than the sizes allow ({})", layout.cells));
        }
        if (problems.Full()) return false;
      }
      index = end;
      return true;
    };
    if (!problems.fatal) {
      const char* p = value.raw_json_token().data() + 1;  // after '['
      while (IsJsonSpace(*p)) ++p;
      if (*p != ']') {  // an empty array goes the on-demand way
        constexpr std::size_t kBlock = 256;
        double block[kBlock];
        bool more = true;
        while (more) {
          std::size_t count = 0;
          while (count < kBlock) {
            const char* next = ScanCellValue(p, block[count]);
            if (next == nullptr) {
              more = false;
              break;
            }
            ++count;
            p = next;
            while (IsJsonSpace(*p)) ++p;
            if (*p == ']') {
              fast_done = true;
              more = false;
              break;
            }
            if (*p != ',') {
              more = false;
              break;
            }
            ++p;
            while (IsJsonSpace(*p)) ++p;
          }
          if (!deliver(block, count)) return false;
        }
      }
    }
    od::array array;
    if (auto error = value.get_array().get(array)) return problems.Json(pointer, error);
    if (fast_done && then_more) {
      // Skips the (non-empty) array by its structural index.
      std::string_view skipped;
      if (auto error = array.raw_json().get(skipped)) return problems.Json(pointer, error);
    }
    const std::uint64_t fast_count = index;
    std::uint64_t seen = 0;
    if (!fast_done) {
      for (auto element_result : array) {
        od::value element;
        if (auto error = element_result.get(element)) {
          return problems.Json(fmt::format("{}/{}", pointer, seen < fast_count ? seen : index),
                               error);
        }
        if (seen < fast_count) {  // read by the fast path already
          ++seen;
          continue;
        }
        auto number = ReadCellValue(element, index, dataset.prefix, problems);
        if (problems.fatal) return false;
        if (index >= layout.cells) {
          if (!too_many) {
            too_many = true;
            problems.Add(fmt::format("{}/{}", pointer, index),
                         fmt::format("more values than the sizes allow ({})", layout.cells));
          }
        } else if (number && !problems.Full() && !sink.Dense(index, *number)) {
          return false;
        }
        if (problems.Full()) return false;
        ++index;
      }
    }
    if (index != layout.cells) {
      problems.Add(pointer,
                   fmt::format("{} values, but the sizes multiply to {}", index, layout.cells));
    }
    return true;
  }
  if (type == od::json_type::object) {
    return ForEachIndexField(
        value, pointer, problems, layout.cells,
        [&](std::string_view key, od::value element, const auto& where) {
          auto cell = ParseIndexKey(key);
          if (!cell || *cell >= layout.cells) {
            const std::string at = where();
            problems.Add(at, fmt::format("\"{}\" is not a value index from 0 to {}", key,
                                         layout.cells == 0 ? 0 : layout.cells - 1));
            return Validate(element, at, problems) && !problems.Full();
          }
          auto number = ReadCellValue(element, *cell, dataset.prefix, problems);
          if (problems.Full()) return false;
          if (number) return sink.Sparse(*cell, *number);
          return true;
        });
  }
  problems.Add(pointer,
               fmt::format("value must be an array or an object, not {}", JsonTypeWord(type)));
  return Validate(value, pointer, problems);
}

// Reads a dataset's `status`. With `cells_known`, cell indices are checked against `cells` and a
// status array keeps no more than `cells` symbols (pass 2); without (pass 1), `cells` is only a
// hint, and ReadCells checks the indices once the sizes are known.
bool ReadStatus(od::value value, const std::string& prefix, std::uint64_t cells, bool cells_known,
                Problems& problems, CellStatus& status) {
  const std::string pointer = prefix + "/status";
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  // A status symbol; `where()` makes the element's pointer, for a problem only.
  auto read_symbol = [&](od::value element, const auto& where) -> std::optional<std::uint16_t> {
    od::json_type element_type;
    if (auto error = element.type().get(element_type)) {
      problems.Json(where(), error);
      return std::nullopt;
    }
    if (element_type == od::json_type::string) {
      std::string_view text;
      if (auto error = element.get_string().get(text)) {
        problems.Json(where(), error);
        return std::nullopt;
      }
      return status.Symbol(text);
    }
    if (element_type == od::json_type::null) {
      if (!Validate(element, where(), problems)) return std::nullopt;
      return std::uint16_t{0};
    }
    auto text = ReadString(element, where(), problems, "a status");
    if (!text) return std::nullopt;
    return status.Symbol(*text);
  };
  if (type == od::json_type::string) {
    auto text = ReadString(value, pointer, problems, "status");
    if (!text) return !problems.fatal;
    status.has_single = true;
    status.single = std::move(*text);
    return true;
  }
  if (type == od::json_type::array) {
    // As ForEachElement, with each element's pointer made only for a problem.
    status.is_dense = true;
    od::array array;
    if (auto error = value.get_array().get(array)) return problems.Json(pointer, error);
    std::uint64_t index = 0;
    for (auto element_result : array) {
      auto where = [&] { return Child(pointer, index); };
      od::value element;
      if (auto error = element_result.get(element)) return problems.Json(where(), error);
      auto symbol = read_symbol(element, where);
      ++status.dense_count;
      ++index;
      if (!symbol) {
        if (problems.Full()) return false;
        continue;
      }
      if (!cells_known || status.dense.size() < cells) status.dense.push_back(*symbol);
    }
    return true;
  }
  if (type == od::json_type::object) {
    bool ok =
        ForEachIndexField(value, pointer, problems, cells,
                          [&](std::string_view key, od::value element, const auto& where) {
                            auto cell = ParseIndexKey(key);
                            if (!cell || (cells_known && *cell >= cells)) {
                              const std::string at = where();
                              problems.Add(at, fmt::format("\"{}\" is not a value index", key));
                              return Validate(element, at, problems) && !problems.Full();
                            }
                            auto symbol = read_symbol(element, where);
                            if (symbol) status.sparse.emplace_back(*cell, *symbol);
                            return !problems.Full();
                          });
    // Files list the cells in order, mostly.
    if (!std::is_sorted(status.sparse.begin(), status.sparse.end())) {
      std::sort(status.sparse.begin(), status.sparse.end());
    }
    return ok;
  }
  if (type == od::json_type::null) return Validate(value, pointer, problems);
  problems.Add(pointer, fmt::format("status must be a string, an array or an object, not {}",
                                    JsonTypeWord(type)));
  return Validate(value, pointer, problems);
}

// ---- The whole document ------------------------------------------------------------------------

// simdjson's parser keeps its buffers between documents; a fresh one per file would allocate
// (and fault in) them anew every time. Each thread keeps one for files up to kReusedParserBytes;
// a larger file gets its own, so that one huge import does not pin its buffers for good.
constexpr std::size_t kReusedParserBytes = std::size_t{64} << 20;

od::parser& ThreadParser() {
  thread_local od::parser parser;
  return parser;
}

struct Document {
  explicit Document(std::size_t size)
      : parser(size <= kReusedParserBytes ? ThreadParser() : own_parser) {}
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  od::parser own_parser;
  simdjson::padded_string text;
  od::parser& parser;
  od::document doc;
};

// Navigates from the root to a dataset found in pass 1 ("", "/link/item/3", "/<name>").
simdjson::error_code FindDataset(od::document& doc, std::string_view prefix, od::value& out) {
  doc.rewind();
  od::value root;
  if (auto error = doc.get_value().get(root)) return error;
  if (prefix.empty()) {
    out = root;
    return simdjson::SUCCESS;
  }
  // Unescaped pointer tokens; keys were checked for duplicates in pass 1.
  std::vector<std::string> tokens;
  std::size_t start = 1;
  while (start <= prefix.size()) {
    auto end = prefix.find('/', start);
    if (end == std::string_view::npos) end = prefix.size();
    std::string token;
    for (std::size_t idx = start; idx < end; ++idx) {
      if (prefix[idx] == '~' && idx + 1 < end) {
        token += prefix[idx + 1] == '1' ? '/' : '~';
        ++idx;
      } else {
        token += prefix[idx];
      }
    }
    tokens.push_back(std::move(token));
    start = end + 1;
  }
  od::value current = root;
  for (const auto& token : tokens) {
    od::json_type type;
    if (auto error = current.type().get(type)) return error;
    bool found = false;
    if (type == od::json_type::object) {
      od::object object;
      if (auto error = current.get_object().get(object)) return error;
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) return error;
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        if (key == token) {
          current = field.value();
          found = true;
          break;
        }
      }
    } else if (type == od::json_type::array) {
      auto wanted = ParseIndexKey(token);
      od::array array;
      if (auto error = current.get_array().get(array)) return error;
      std::uint64_t index = 0;
      for (auto element_result : array) {
        od::value element;
        if (auto error = element_result.get(element)) return error;
        if (wanted && index == *wanted) {
          current = element;
          found = true;
          break;
        }
        ++index;
      }
    }
    if (!found) return simdjson::NO_SUCH_FIELD;
  }
  out = current;
  return simdjson::SUCCESS;
}

// Whether pass 1's reading of a status fits the dataset: every cell index below `cells`.
bool EarlyStatusFits(const CellStatus& status, std::uint64_t cells) {
  return status.sparse.empty() || status.sparse.back().first < cells;
}

// Pass 2 for one dataset: streams value into `sink` and status into `status` (taken from pass 1
// when it read it).
template <typename Sink>
bool ReadCells(Document& document, Dataset& dataset, const CellLayout& layout, Problems& problems,
               Sink& sink, CellStatus& status) {
  od::value value;
  if (auto error = FindDataset(document.doc, dataset.prefix, value)) {
    return problems.Json(dataset.prefix, error);
  }
  od::object object;
  if (auto error = value.get_object().get(object)) return problems.Json(dataset.prefix, error);
  // Pass 1 checked the object's keys (each once); pass 2 reads only value and status, and stops
  // after the last of them: stepping over a long value array token by token costs ~5 %. When
  // pass 1 read the status already, pass 2 stops right after the value.
  bool status_left = dataset.status != Shape::kAbsent;
  bool status_taken = false;
  if (status_left && dataset.early_status && EarlyStatusFits(*dataset.early_status, layout.cells)) {
    status = std::move(*dataset.early_status);
    dataset.early_status.reset();
    if (status.is_dense && status.dense.size() > layout.cells) status.dense.resize(layout.cells);
    status_left = false;
    status_taken = true;
  }
  bool value_left = true;
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field))
      return problems.Json(dataset.prefix, error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return problems.Json(dataset.prefix, error);
    if (key == "value") {
      value_left = false;
      if (!ReadValues(field.value(), dataset, layout, problems, sink, status_left)) return false;
    } else if (key == "status" && !status_taken) {
      status_left = false;
      if (!ReadStatus(field.value(), dataset.prefix, layout.cells, true, problems, status)) {
        return false;
      }
    }
    if (!value_left && !status_left) break;
  }
  // A status array of one element applies to every value (as a single string does).
  if (status.is_dense && status.dense_count == 1 && layout.cells != 1) {
    status.is_dense = false;
    status.has_single = true;
    status.single = status.dense.empty() ? "" : status.symbols[status.dense.front()];
    status.dense.clear();
  }
  if (status.is_dense && status.dense_count != layout.cells) {
    problems.Add(dataset.prefix + "/status", fmt::format("{} statuses, but there are {} values",
                                                         status.dense_count, layout.cells));
  }
  return !problems.Full();
}

// The datasets of a file, after pass 1; or the problems that stop it.
struct Parsed {
  std::vector<Dataset> datasets;
};

bool CheckStructure(Dataset& dataset, Problems& problems, CellLayout& layout) {
  const std::string ids_pointer =
      dataset.ids_pointer.empty() ? dataset.prefix + "/id" : dataset.ids_pointer;
  const std::string sizes_pointer =
      dataset.sizes_pointer.empty() ? dataset.prefix + "/size" : dataset.sizes_pointer;
  if (!dataset.has_ids) problems.Add(ids_pointer, "the dataset has no id (its dimensions' order)");
  if (!dataset.has_sizes) problems.Add(sizes_pointer, "the dataset has no size");
  if (!dataset.has_ids || !dataset.has_sizes) return false;
  if (dataset.ids.size() != dataset.sizes.size()) {
    problems.Add(sizes_pointer, fmt::format("size has {} numbers, but id names {} dimensions",
                                            dataset.sizes.size(), dataset.ids.size()));
    return false;
  }
  std::uint64_t cells = 1;
  for (std::size_t dim_idx = 0; dim_idx < dataset.sizes.size(); ++dim_idx) {
    if (__builtin_mul_overflow(cells, dataset.sizes[dim_idx], &cells) || cells > kMaxCells) {
      problems.Add(Child(sizes_pointer, dim_idx),
                   "the sizes multiply to more cells than can be read (2^40)");
      return false;
    }
  }
  bool ok = true;
  KeySet seen;
  for (std::size_t dim_idx = 0; dim_idx < dataset.ids.size(); ++dim_idx) {
    const auto& id = dataset.ids[dim_idx];
    if (!seen.Insert(id)) {
      problems.Add(Child(ids_pointer, dim_idx),
                   fmt::format("dimension \"{}\" is listed twice", id));
      ok = false;
      continue;
    }
    const Dimension* dimension = dataset.Find(id);
    if (dimension == nullptr) {
      problems.Add(Child(ids_pointer, dim_idx),
                   fmt::format("dimension \"{}\" is listed in id but absent from dimension", id));
      ok = false;
      continue;
    }
    if (dimension->categories.size() != dataset.sizes[dim_idx]) {
      problems.Add(Child(sizes_pointer, dim_idx),
                   fmt::format("size {} for dimension \"{}\", but it has {} categories",
                               dataset.sizes[dim_idx], id, dimension->categories.size()));
      ok = false;
    }
  }
  if (!ok) return false;
  layout.sizes = dataset.sizes;
  layout.cells = cells;
  layout.strides.assign(layout.sizes.size(), 1);
  for (std::size_t dim_idx = layout.sizes.size(); dim_idx-- > 1;) {
    layout.strides[dim_idx - 1] = layout.strides[dim_idx] * layout.sizes[dim_idx];
  }
  return true;
}

// Walks the document again from its start, for a walk that was thrown away. After some JSON
// errors simdjson's iterator cannot be rewound, so the document is iterated afresh.
simdjson::error_code RestartDocument(Document& document, od::value& root) {
  if (auto error = document.parser.iterate(document.text).get(document.doc)) return error;
  return document.doc.get_value().get(root);
}

// Pass 1 proper: the metadata of the datasets, by the file's class (from pass 0).
void PassOne(od::value root, const std::string& cls, Problems& problems, const MetaOptions& options,
             Parsed& parsed, std::uint64_t& linked_only) {
  if (cls == "dataset") {
    Dataset dataset;
    ReadDatasetMeta(root, "", problems, dataset, options);
    parsed.datasets.push_back(std::move(dataset));
  } else if (cls == "collection") {
    ForEachField(root, "", problems, "the collection",
                 [&](std::string_view key, od::value field, const std::string& at) {
                   if (key != "link") return Validate(field, at, problems);
                   return ForEachField(
                       field, at, problems, "link",
                       [&](std::string_view relation, od::value items, const std::string& where) {
                         if (relation != "item") return Validate(items, where, problems);
                         return ForEachElement(
                             items, where, problems, "item",
                             [&](std::uint64_t, od::value item, const std::string& item_at) {
                               od::json_type type;
                               if (auto error = item.type().get(type)) {
                                 return problems.Json(item_at, error);
                               }
                               if (type != od::json_type::object) {
                                 return Validate(item, item_at, problems);
                               }
                               Dataset dataset;
                               bool ok = ReadDatasetMeta(item, item_at, problems, dataset, options);
                               if (dataset.cls == "dataset" && LooksLikeData(dataset)) {
                                 parsed.datasets.push_back(std::move(dataset));
                               } else {
                                 ++linked_only;
                               }
                               return ok;
                             });
                       });
                 });
  } else {
    // JSON-stat 1.x: a bundle of datasets under their names.
    ForEachField(root, "", problems, "the bundle",
                 [&](std::string_view, od::value field, const std::string& at) {
                   od::json_type type;
                   if (auto error = field.type().get(type)) return problems.Json(at, error);
                   if (type != od::json_type::object) return Validate(field, at, problems);
                   Dataset dataset;
                   bool ok = ReadDatasetMeta(field, at, problems, dataset, options);
                   if (LooksLikeData(dataset)) parsed.datasets.push_back(std::move(dataset));
                   return ok;
                 });
  }
}

// A top-level `links` array: a PX-Web v2 search result links to itself with "?query=".
bool ReadTopLinks(od::value value, const std::string& pointer, Problems& problems,
                  bool& search_links) {
  return ForEachElement(
      value, pointer, problems, "links",
      [&](std::uint64_t, od::value link, const std::string& where) {
        od::json_type link_type;
        if (auto error = link.type().get(link_type)) return problems.Json(where, error);
        if (link_type != od::json_type::object) return Validate(link, where, problems);
        return ForEachField(
            link, where, problems, "a link",
            [&](std::string_view link_key, od::value link_value, const std::string& link_at) {
              if (link_key != "href") return Validate(link_value, link_at, problems);
              auto href = ReadString(link_value, link_at, problems, "href");
              if (href && (href->find("query=") != std::string::npos)) search_links = true;
              return !problems.fatal;
            });
      });
}

// Parses and walks the whole document (pass 1). Fails with the problems or a "not data" error.
Result<Parsed> ParseDocument(Document& document, std::string_view text, std::string_view file_name,
                             Problems& problems) {
  const std::string what = fmt::format("the JSON-stat file {}", file_name);
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    problems.Add("", "the file is empty");
    return ProblemsError(problems.list, what);
  }
  if (text[first] != '{' && text[first] != '[') {
    problems.Add("", "not JSON-stat: the file does not start with { (is it JSON at all?)");
    return ProblemsError(problems.list, what);
  }
  auto last = text.find_last_not_of(" \t\r\n");
  if (text[last] != '}' && text[last] != ']') {
    problems.Add("", "the file ends in the middle of the JSON (is it truncated?)");
    return ProblemsError(problems.list, what);
  }
  document.text = simdjson::padded_string(text.data(), text.size());
  if (auto error = document.parser.iterate(document.text).get(document.doc)) {
    problems.Json("", error);
    return ProblemsError(problems.list, what);
  }
  od::value root;
  if (auto error = document.doc.get_value().get(root)) {
    problems.Json("", error);
    return ProblemsError(problems.list, what);
  }
  od::json_type root_type;
  if (auto error = root.type().get(root_type)) {
    problems.Json("", error);
    return ProblemsError(problems.list, what);
  }
  if (root_type == od::json_type::array) {
    // PX-Web v1 answers a folder with [{"id", "type": "l"|"t", "text"}…].
    bool folder = false;
    std::uint64_t count = 0;
    bool ok = ForEachElement(root, "", problems, "the file",
                             [&](std::uint64_t, od::value element, const std::string& where) {
                               ++count;
                               od::json_type type;
                               if (auto error = element.type().get(type)) {
                                 return problems.Json(where, error);
                               }
                               if (type != od::json_type::object) {
                                 return Validate(element, where, problems);
                               }
                               bool has_type = false, has_text = false;
                               bool fine = ForEachField(element, where, problems, "an item",
                                                        [&](std::string_view key, od::value field,
                                                            const std::string& at) {
                                                          has_type |= key == "type";
                                                          has_text |= key == "text";
                                                          return Validate(field, at, problems);
                                                        });
                               folder |= has_type && has_text;
                               return fine;
                             });
    if (ok && !problems.fatal) {
      const char* location = nullptr;
      if (!document.doc.current_location().get(location)) {
        problems.Json("", simdjson::TAPE_ERROR);
      }
    }
    if (!problems.list.empty()) return ProblemsError(problems.list, what);
    return Fail(ErrorCode::kInvalidValue,
                folder ? "this is a PX-Web v1 folder listing (tables and folders), not data: "
                         "request one of its tables"
                       : "not JSON-stat: the file is a JSON array, not a dataset, a collection "
                         "or a bundle",
                {{"file", std::string(file_name)}});
  }

  // A dataset at the root, the common case, is read in one walk: passes 0 and 1 together, and
  // its status (each walk steps over a long value array token by token). Another class, or a
  // problem anywhere, and that walk is thrown away: the passes below read the file again, so
  // that every message stays as they make it.
  TopLevel top;
  bool search_links = false;
  Parsed parsed;
  bool walked = false;
  if (root_type == od::json_type::object) {
    Problems own;
    Dataset dataset;
    bool early_failed = false;
    bool root_search_links = false;
    ReadDatasetMeta(root, "", own, dataset, {&early_failed, &root_search_links});
    if (dataset.cls == "dataset" && own.list.empty() && !own.fatal && !early_failed) {
      top.cls = dataset.cls;
      parsed.datasets.push_back(std::move(dataset));
      walked = true;
    } else {
      if (auto error = RestartDocument(document, root)) {
        problems.Json("", error);
        return ProblemsError(problems.list, what);
      }
    }
  }

  // Pass 0: the top-level keys and class.
  if (!walked) {
    bool ok = ForEachField(root, "", problems, "the file",
                           [&](std::string_view key, od::value field, const std::string& at) {
                             top.keys.emplace_back(key);
                             if (key == "class") {
                               od::json_type type;
                               if (auto error = field.type().get(type))
                                 return problems.Json(at, error);
                               if (type == od::json_type::string) {
                                 auto text = ReadString(field, at, problems, "class");
                                 if (text) top.cls = *text;
                               }
                             } else if (key == "links") {
                               od::json_type type;
                               if (auto error = field.type().get(type))
                                 return problems.Json(at, error);
                               if (type == od::json_type::array) {
                                 return ReadTopLinks(field, at, problems, search_links);
                               }
                             }
                             return true;
                           });
    if (!ok || !problems.list.empty()) return ProblemsError(problems.list, what);
  }
  if (top.cls.empty()) {
    auto message = RecogniseNonData(top, search_links);
    if (!message.empty()) {
      return Fail(ErrorCode::kInvalidValue, message, {{"file", std::string(file_name)}});
    }
  }
  if (top.cls == "dimension") {
    return Fail(ErrorCode::kInvalidValue,
                "this is a JSON-stat dimension, not a dataset: it holds categories but no values",
                {{"file", std::string(file_name)}});
  }
  if (!top.cls.empty() && top.cls != "dataset" && top.cls != "collection") {
    return Fail(
        ErrorCode::kInvalidValue,
        fmt::format("not JSON-stat data: the class \"{}\" is none of dataset, collection", top.cls),
        {{"file", std::string(file_name)}});
  }

  // Pass 1: the metadata of every dataset, and every other value validated. The statuses are
  // read too, unless that found a problem: then pass 1 runs again and leaves them to pass 2.
  std::uint64_t linked_only = 0;
  bool early_failed = false;
  for (bool early : {true, false}) {
    if (walked || (!early && !early_failed)) break;
    problems = Problems{};
    parsed.datasets.clear();
    linked_only = 0;
    if (early) document.doc.rewind();
    if (auto error = early ? document.doc.get_value().get(root) : RestartDocument(document, root)) {
      problems.Json("", error);
      return ProblemsError(problems.list, what);
    }
    const MetaOptions options{early ? &early_failed : nullptr, nullptr};
    PassOne(root, top.cls, problems, options, parsed, linked_only);
  }
  if (!problems.fatal) {
    const char* location = nullptr;
    if (!document.doc.current_location().get(location)) {
      problems.Json("", simdjson::TAPE_ERROR);
    }
  }
  if (!problems.list.empty()) return ProblemsError(problems.list, what);

  if (top.cls == "collection" && parsed.datasets.empty()) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("this is a JSON-stat collection that embeds no dataset, not data: it "
                            "links to {} item{} — fetch their href",
                            linked_only, linked_only == 1 ? "" : "s"),
                {{"file", std::string(file_name)}});
  }
  if (parsed.datasets.empty()) {
    return Fail(ErrorCode::kInvalidValue,
                "not JSON-stat data: no class, and no JSON-stat 1.x dataset (an object with "
                "dimension and value) at the top level",
                {{"file", std::string(file_name)}});
  }
  if (parsed.datasets.size() >= kMaxDatasets) {
    return Fail(ErrorCode::kInvalidValue, "too many datasets in one file",
                {{"file", std::string(file_name)}});
  }
  if (parsed.datasets.size() == 1) {
    const Dataset& dataset = parsed.datasets.front();
    if (dataset.value == Shape::kAbsent && dataset.has_dimension) {
      return Fail(ErrorCode::kInvalidValue,
                  "this is JSON-stat metadata (a dataset without value), not data",
                  {{"file", std::string(file_name)}});
    }
    bool any_size = !dataset.sizes.empty();
    bool all_positive = std::all_of(dataset.sizes.begin(), dataset.sizes.end(),
                                    [](std::uint64_t size) { return size > 0; });
    if (dataset.value == Shape::kArray && dataset.value_empty && any_size && all_positive) {
      return Fail(ErrorCode::kInvalidValue,
                  dataset.px ? "this is PX-Web table metadata (a JSON-stat dataset whose value is "
                               "empty), not data: request /tables/{id}/data with the values you "
                               "want"
                             : "this is JSON-stat metadata (a dataset whose value is empty), not "
                               "data",
                  {{"file", std::string(file_name)}});
    }
  }
  return parsed;
}

// ---- ReadJsonStat ------------------------------------------------------------------------------

struct BatchBuilder {
  StatsBatch& batch;
  std::unordered_map<std::string, std::uint32_t> indicator_of;
  std::unordered_map<std::string, std::uint32_t> area_of;
  std::unordered_map<std::string, std::uint32_t> breakdown_of;

  std::uint32_t Indicator(IndicatorRef ref) {
    auto [it, inserted] = indicator_of.emplace(ref.definition.code, 0);
    if (inserted) {
      it->second = static_cast<std::uint32_t>(batch.indicators.size());
      batch.indicators.push_back(std::move(ref));
    } else {
      auto& dims = batch.indicators[it->second].definition.dimensions;
      for (auto& name : ref.definition.dimensions) {
        if (std::find(dims.begin(), dims.end(), name) == dims.end()) dims.push_back(name);
      }
      std::sort(dims.begin(), dims.end());
    }
    return it->second;
  }
  std::uint32_t AreaIndex(AreaRef ref) {
    auto [it, inserted] = area_of.emplace(ref.code, 0);
    if (inserted) {
      it->second = static_cast<std::uint32_t>(batch.areas.size());
      batch.areas.push_back(std::move(ref));
    }
    return it->second;
  }
  std::uint32_t BreakdownIndex(Breakdown breakdown) {
    auto key = BreakdownKey(breakdown);
    auto [it, inserted] = breakdown_of.emplace(std::move(key), 0);
    if (inserted) {
      it->second = static_cast<std::uint32_t>(batch.breakdowns.size());
      batch.breakdowns.push_back(std::move(breakdown));
    }
    return it->second;
  }
};

// What each dimension of a dataset means for the observations.
struct DimensionPlan {
  DimensionRole role = DimensionRole::kBreakdown;
  std::string name;                              // breakdown name
  std::vector<std::uint32_t> indicator;          // kMetric: per category
  std::vector<std::uint32_t> area;               // kGeo
  std::vector<std::int64_t> period;              // kTime
  std::vector<std::string> breakdown_value;      // kBreakdown: per category, "" = total
  std::vector<double ObservationDraft::*> part;  // kParts
};

// Streams cells into observations. Without a parts dimension one cell is one observation
// (appended in order); with one, the cells of the parts dimension fill one observation each.
class ObservationSink {
 public:
  ObservationSink(const std::vector<DimensionPlan>& plans, const CellLayout& layout,
                  std::uint64_t dataset_bits, BatchBuilder& builder, const ObservationDraft& fixed,
                  std::size_t text_size)
      : plans_(plans),
        layout_(layout),
        dataset_bits_(dataset_bits),
        builder_(builder),
        observations_(builder.batch.observations),
        base_(builder.batch.observations.size()),
        coordinates_(plans.size(), 0),
        current_(fixed) {
    for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) {
      if (plans_[dim_idx].role == DimensionRole::kParts) parts_dim_ = dim_idx;
      if (plans_[dim_idx].role == DimensionRole::kBreakdown) {
        breakdown_dims_.push_back(dim_idx);
        combo_strides_.push_back(combos_);
        combos_ *= layout_.sizes[dim_idx];
      }
    }
    if (combos_ <= (std::uint64_t{1} << 20)) dense_combo_.assign(combos_, kNone);
    // At most one value per two bytes of text: never reserve more than the file can hold.
    std::uint64_t reserve = std::min<std::uint64_t>(layout_.cells, text_size / 2 + 1);
    if (parts_dim_ != kNoParts) reserve /= std::max<std::uint64_t>(1, layout_.sizes[parts_dim_]);
    observations_.reserve(base_ + reserve);
    if (layout_.cells > 0) {
      for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) Apply(dim_idx);
    }
    // GroupOf(next_cell_), kept up by Advance: a group's step along each dimension.
    group_steps_.assign(plans_.size(), 0);
    if (parts_dim_ != kNoParts && layout_.cells > 0) {
      for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) {
        if (dim_idx < parts_dim_) {
          group_steps_[dim_idx] = layout_.strides[dim_idx] / layout_.sizes[parts_dim_];
        } else if (dim_idx > parts_dim_) {
          group_steps_[dim_idx] = layout_.strides[dim_idx];
        }
      }
    }
  }

  bool Dense(std::uint64_t cell, double value) {
    if (parts_dim_ == kNoParts) {
      // The common case: cells arrive in order, one observation each.
      while (next_cell_ < cell) Advance();
      current_.value = value;
      current_.status = Present(value) ? 0 : kObservationMissing;
      current_.origin = dataset_bits_ | cell;
      observations_.push_back(current_);
      Advance();
      return true;
    }
    // With parts, cells still arrive in order: the groups (observations) are first met in order,
    // so a group's observation is base_ + group and no lookup is needed.
    while (next_cell_ < cell) Advance();
    const std::uint64_t group = next_group_;  // GroupOf(cell), without its two divisions
    if (group > groups_) {
      // Only after a cell was skipped for a problem (the file fails anyway): keep the order.
      Advance();
      return true;
    }
    if (group == groups_) {
      ObservationDraft draft = current_;
      draft.value = kAbsent;
      draft.status = kObservationMissing;  // until its value part comes
      draft.origin = dataset_bits_ | cell;
      observations_.push_back(draft);
      ++groups_;
    }
    auto& draft = observations_[base_ + group];
    auto field = plans_[parts_dim_].part[coordinates_[parts_dim_]];
    draft.*field = value;
    if (field == &ObservationDraft::value) {
      draft.origin = dataset_bits_ | cell;
      draft.status = Present(value) ? 0 : kObservationMissing;
    }
    Advance();
    return true;
  }
  // Dense for the cells first, first + 1, …: along the last dimension, where only one field of
  // the observation changes, without Advance for every cell.
  bool DenseBlock(std::uint64_t first, const double* values, std::uint64_t count) {
    const std::size_t last = plans_.size() - 1;
    if (plans_.empty() || parts_dim_ == last || plans_[last].role == DimensionRole::kBreakdown) {
      for (std::uint64_t idx = 0; idx < count; ++idx) Dense(first + idx, values[idx]);
      return true;
    }
    while (next_cell_ < first) Advance();
    while (count > 0) {
      const std::uint64_t coordinate = coordinates_[last];
      const std::uint64_t run = std::min(count, layout_.sizes[last] - coordinate);
      if (parts_dim_ == kNoParts) {
        PlainRun(values, run);
      } else if (!PartsRun(values, run)) {  // a cell was skipped before: one at a time
        for (std::uint64_t idx = 0; idx < count; ++idx) Dense(next_cell_ + idx, values[idx]);
        return true;
      }
      // As if Advance had stepped to the run's last cell; the next Advance leaves the run.
      coordinates_[last] = coordinate + run - 1;
      next_cell_ += run - 1;
      next_group_ += (run - 1) * group_steps_[last];
      Advance();
      values += run;
      count -= run;
    }
    return true;
  }
  bool Sparse(std::uint64_t cell, double value) {
    Seek(cell);
    if (parts_dim_ == kNoParts) {
      current_.value = value;
      current_.status = Present(value) ? 0 : kObservationMissing;
      current_.origin = dataset_bits_ | cell;
      cell_of_.emplace_back(cell, observations_.size());
      observations_.push_back(current_);
      return true;
    }
    return Place(cell, value);
  }

  // The observation (index into batch.observations) a cell went to, if any.
  std::optional<std::size_t> ObservationOf(std::uint64_t cell) const {
    if (parts_dim_ == kNoParts && cell_of_.empty() && !sparse_) {
      if (base_ + cell < observations_.size()) return base_ + cell;
      return std::nullopt;
    }
    if (!sparse_) {  // a value array with parts: see Dense
      const std::uint64_t group = GroupOf(cell);
      if (group < groups_) return base_ + group;
      return std::nullopt;
    }
    std::uint64_t key = parts_dim_ == kNoParts ? cell : GroupOf(cell);
    auto it =
        std::lower_bound(cell_of_.begin(), cell_of_.end(), std::make_pair(key, std::size_t{0}));
    if (it != cell_of_.end() && it->first == key) return it->second;
    return std::nullopt;
  }
  double ObservationDraft::*FieldOf(std::uint64_t cell) const {
    if (parts_dim_ == kNoParts) return &ObservationDraft::value;
    auto part = (cell / layout_.strides[parts_dim_]) % layout_.sizes[parts_dim_];
    return plans_[parts_dim_].part[part];
  }
  void Finish() {
    std::sort(cell_of_.begin(), cell_of_.end());
    // Duplicate sparse keys were rejected with the object's keys; groups are unique by build.
  }
  void MarkSparse() { sparse_ = true; }
  // Whether an observation's missing flag waits for the statuses: with parts from a value
  // object. Otherwise the flag follows the value part as it comes (before any status is
  // applied, an observation's status holds no other flag), as it does without parts.
  bool MissingAfterStatus() const { return parts_dim_ != kNoParts && sparse_; }

 private:
  static constexpr std::size_t kNoParts = std::numeric_limits<std::size_t>::max();

  std::uint64_t GroupOf(std::uint64_t cell) const {
    const std::uint64_t stride = layout_.strides[parts_dim_];
    const std::uint64_t high = cell / (stride * layout_.sizes[parts_dim_]);
    return high * stride + cell % stride;
  }

  bool Place(std::uint64_t cell, double value) {
    Seek(cell);
    const std::uint64_t group = GroupOf(cell);
    std::size_t slot;
    auto it = group_slot_.find(group);
    if (it == group_slot_.end()) {
      slot = observations_.size();
      group_slot_.emplace(group, slot);
      cell_of_.emplace_back(group, slot);
      ObservationDraft draft = current_;
      draft.value = kAbsent;
      draft.status = 0;
      draft.origin = dataset_bits_ | cell;
      observations_.push_back(draft);
    } else {
      slot = it->second;
    }
    auto field = FieldOf(cell);
    auto& draft = observations_[slot];
    draft.*field = value;
    if (field == &ObservationDraft::value) draft.origin = dataset_bits_ | cell;
    return true;
  }

  // The field of an observation that the last dimension sets, for its coordinate.
  template <typename Each>
  void ForLastField(Each&& each) {
    const auto& plan = plans_.back();
    switch (plan.role) {
      case DimensionRole::kMetric:
        each([&](ObservationDraft& draft, std::uint64_t at) {
          draft.indicator = plan.indicator[at];
        });
        break;
      case DimensionRole::kGeo:
        each([&](ObservationDraft& draft, std::uint64_t at) { draft.area = plan.area[at]; });
        break;
      case DimensionRole::kTime:
        each([&](ObservationDraft& draft, std::uint64_t at) { draft.period = plan.period[at]; });
        break;
      default:  // kIgnore (kParts and kBreakdown never come here)
        each([](ObservationDraft&, std::uint64_t) {});
        break;
    }
  }

  // DenseBlock without parts: `run` cells from next_cell_ on, along the last dimension.
  void PlainRun(const double* values, std::uint64_t run) {
    const std::uint64_t coordinate = coordinates_.back();
    ForLastField([&](auto&& set_last) {
      ObservationDraft draft = current_;
      for (std::uint64_t idx = 0; idx < run; ++idx) {
        set_last(draft, coordinate + idx);
        draft.value = values[idx];
        draft.status = Present(values[idx]) ? 0 : kObservationMissing;
        draft.origin = dataset_bits_ | (next_cell_ + idx);
        observations_.push_back(draft);
      }
    });
  }

  // DenseBlock with parts (not the last dimension): every cell of the run is the same part of
  // consecutive groups (the last dimension's group step is its stride, 1). false (nothing done)
  // if a group would come out of order.
  bool PartsRun(const double* values, std::uint64_t run) {
    if (next_group_ > groups_) return false;
    const std::uint64_t coordinate = coordinates_.back();
    const auto field = plans_[parts_dim_].part[coordinates_[parts_dim_]];
    const bool is_value = field == &ObservationDraft::value;
    ForLastField([&](auto&& set_last) {
      std::uint64_t group = next_group_;
      for (std::uint64_t idx = 0; idx < run; ++idx, ++group) {
        const std::uint64_t cell = next_cell_ + idx;
        if (group == groups_) {
          ObservationDraft draft = current_;
          set_last(draft, coordinate + idx);
          draft.value = kAbsent;
          draft.status = kObservationMissing;  // until its value part comes
          draft.origin = dataset_bits_ | cell;
          observations_.push_back(draft);
          ++groups_;
        }
        auto& draft = observations_[base_ + group];
        draft.*field = values[idx];
        if (is_value) {
          draft.origin = dataset_bits_ | cell;
          draft.status = Present(values[idx]) ? 0 : kObservationMissing;
        }
      }
    });
    return true;
  }

  void Seek(std::uint64_t cell) {
    std::uint64_t rest = cell;
    for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) {
      auto coordinate = rest / layout_.strides[dim_idx];
      rest %= layout_.strides[dim_idx];
      if (coordinate != coordinates_[dim_idx]) {
        coordinates_[dim_idx] = coordinate;
        Apply(dim_idx);
      }
    }
    next_cell_ = cell;
    if (parts_dim_ != kNoParts) next_group_ = GroupOf(cell);
  }

  void Advance() {
    ++next_cell_;
    for (std::size_t dim_idx = plans_.size(); dim_idx-- > 0;) {
      if (++coordinates_[dim_idx] < layout_.sizes[dim_idx]) {
        next_group_ += group_steps_[dim_idx];
        Apply(dim_idx);
        return;
      }
      next_group_ -= (coordinates_[dim_idx] - 1) * group_steps_[dim_idx];
      coordinates_[dim_idx] = 0;
      Apply(dim_idx);
    }
  }

  void Apply(std::size_t dim_idx) {
    const auto& plan = plans_[dim_idx];
    const auto coordinate = coordinates_[dim_idx];
    if (coordinate >= layout_.sizes[dim_idx]) return;
    switch (plan.role) {
      case DimensionRole::kMetric:
        current_.indicator = plan.indicator[coordinate];
        break;
      case DimensionRole::kGeo:
        current_.area = plan.area[coordinate];
        break;
      case DimensionRole::kTime:
        current_.period = plan.period[coordinate];
        break;
      case DimensionRole::kBreakdown:
        current_.breakdown = BreakdownFor();
        break;
      default:
        break;
    }
  }

  std::uint32_t BreakdownFor() {
    std::uint64_t combo = 0;
    for (std::size_t idx = 0; idx < breakdown_dims_.size(); ++idx) {
      combo += coordinates_[breakdown_dims_[idx]] * combo_strides_[idx];
    }
    if (!dense_combo_.empty() && dense_combo_[combo] != kNone) return dense_combo_[combo];
    if (dense_combo_.empty()) {
      if (auto it = sparse_combo_.find(combo); it != sparse_combo_.end()) return it->second;
    }
    Breakdown breakdown;
    for (auto dim_idx : breakdown_dims_) {
      const auto& value = plans_[dim_idx].breakdown_value[coordinates_[dim_idx]];
      if (!value.empty()) breakdown.emplace_back(plans_[dim_idx].name, value);
    }
    NormalizeBreakdown(breakdown);
    auto index = builder_.BreakdownIndex(std::move(breakdown));
    if (!dense_combo_.empty()) {
      dense_combo_[combo] = index;
    } else {
      sparse_combo_.emplace(combo, index);
    }
    return index;
  }

  const std::vector<DimensionPlan>& plans_;
  const CellLayout& layout_;
  std::uint64_t dataset_bits_;
  BatchBuilder& builder_;
  std::vector<ObservationDraft>& observations_;
  std::size_t base_;
  std::vector<std::uint64_t> coordinates_;
  ObservationDraft current_;
  std::uint64_t next_cell_ = 0;
  std::uint64_t groups_ = 0;                // observations made from a value array with parts
  std::uint64_t next_group_ = 0;            // GroupOf(next_cell_) with parts
  std::vector<std::uint64_t> group_steps_;  // see the constructor
  std::size_t parts_dim_ = kNoParts;
  std::vector<std::size_t> breakdown_dims_;
  std::vector<std::uint64_t> combo_strides_;
  std::uint64_t combos_ = 1;
  std::vector<std::uint32_t> dense_combo_;
  std::unordered_map<std::uint64_t, std::uint32_t> sparse_combo_;
  std::unordered_map<std::uint64_t, std::size_t> group_slot_;
  std::vector<std::pair<std::uint64_t, std::size_t>> cell_of_;
  bool sparse_ = false;
};

const DimensionMapping* MappingFor(const JsonStatMapping* mapping, std::string_view id) {
  if (mapping == nullptr) return nullptr;
  auto it = mapping->dimensions.find(std::string(id));
  return it == mapping->dimensions.end() ? nullptr : &it->second;
}

// Decides every dimension's role and builds its plan: areas, indicators, periods, breakdowns.
bool PlanDataset(const Dataset& dataset, std::string_view file_name, const JsonStatOptions& options,
                 Problems& problems, BatchBuilder& builder, std::vector<DimensionPlan>& plans,
                 ObservationDraft& fixed) {
  const JsonStatMapping* mapping = options.mapping;
  const std::size_t count = dataset.ids.size();
  std::vector<const Dimension*> dims(count);
  for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
    dims[dim_idx] = dataset.Find(dataset.ids[dim_idx]);
  }
  // Roles: the mapping, then the file's `role`, then the id. The first dimension of a role
  // (mapping first, then in the file's role order, then in id order) is it; any further geo,
  // time or metric dimension becomes a breakdown.
  std::vector<std::optional<DimensionRole>> role(count);
  std::vector<int> rank(count, 0);
  for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
    const auto& id = dataset.ids[dim_idx];
    if (const auto* dim_mapping = MappingFor(mapping, id); dim_mapping && dim_mapping->role) {
      role[dim_idx] = dim_mapping->role;
      rank[dim_idx] = static_cast<int>(dim_idx);
      continue;
    }
    for (const auto& [name, ids] : dataset.roles) {
      auto it = std::find(ids.begin(), ids.end(), id);
      if (it == ids.end()) continue;
      std::optional<DimensionRole> file_role;
      if (name == "time") file_role = DimensionRole::kTime;
      if (name == "geo") file_role = DimensionRole::kGeo;
      if (name == "metric") file_role = DimensionRole::kMetric;
      if (file_role) {
        role[dim_idx] = file_role;
        rank[dim_idx] = 1000 + static_cast<int>(it - ids.begin());
      }
    }
    if (!role[dim_idx]) {
      role[dim_idx] = DefaultRole(id);
      rank[dim_idx] = 100000 + static_cast<int>(dim_idx);
    }
  }
  for (auto wanted :
       {DimensionRole::kTime, DimensionRole::kGeo, DimensionRole::kMetric, DimensionRole::kParts}) {
    std::optional<std::size_t> best;
    for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
      if (role[dim_idx] != wanted) continue;
      if (!best || rank[dim_idx] < rank[*best]) best = dim_idx;
    }
    for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
      if (role[dim_idx] == wanted && dim_idx != *best) {
        if (wanted == DimensionRole::kParts) {
          problems.Add(dims[dim_idx]->pointer, "only one dimension can hold the parts of a value");
          return false;
        }
        role[dim_idx] = DimensionRole::kBreakdown;
      }
    }
  }

  const std::string table = !dataset.table_id.empty()                       ? dataset.table_id
                            : mapping != nullptr && !mapping->table.empty() ? mapping->table
                                                                            : FileStem(file_name);
  const std::string where_prefix = fmt::format("{}#", file_name);
  plans.assign(count, DimensionPlan{});
  std::vector<std::string> breakdown_names;
  bool has_time = false, has_geo = false, has_metric = false;
  std::string value_part_unit;

  // Breakdowns first: indicators list their names.
  for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
    const Dimension& dim = *dims[dim_idx];
    const auto* dim_mapping = MappingFor(mapping, dim.id);
    auto& plan = plans[dim_idx];
    if (role[dim_idx]) {
      plan.role = *role[dim_idx];
      if (plan.role != DimensionRole::kBreakdown) continue;
    }
    bool explicit_breakdown = dim_mapping && dim_mapping->role == DimensionRole::kBreakdown;
    bool all_sex =
        !dim.categories.empty() &&
        std::all_of(dim.categories.begin(), dim.categories.end(), [&](const Category& category) {
          return category.label.empty() ? NormalizeSex(category.code)
                                        : NormalizeSex(category.label);
        });
    bool sex = IsSexId(dim.id) || all_sex || (dim_mapping && dim_mapping->name == kSexDimension);
    if (dim_mapping && !dim_mapping->name.empty() && dim_mapping->name != kSexDimension) {
      sex = false;
    }
    // A dimension of one category says nothing about the groups, unless it is one sex.
    if (dim.categories.size() == 1 && !explicit_breakdown) {
      bool one_sex = false;
      if (sex) {
        auto value = SexOf(dim.categories.front());
        one_sex = value && *value != "total";
      }
      if (!one_sex) {
        plan.role = DimensionRole::kIgnore;
        continue;
      }
    }
    plan.role = DimensionRole::kBreakdown;
    plan.name = dim_mapping && !dim_mapping->name.empty() ? dim_mapping->name
                : sex                                     ? std::string(kSexDimension)
                                                          : Lower(dim.id);
    if (std::find(breakdown_names.begin(), breakdown_names.end(), plan.name) !=
        breakdown_names.end()) {
      problems.Add(dim.pointer, fmt::format("two dimensions would both be the breakdown \"{}\": "
                                            "name one in the mapping file",
                                            plan.name));
      continue;
    }
    breakdown_names.push_back(plan.name);
    for (const auto& category : dim.categories) {
      std::string value;
      const std::string* mapped = nullptr;
      if (dim_mapping != nullptr) {
        if (auto it = dim_mapping->categories.find(category.code);
            it != dim_mapping->categories.end()) {
          mapped = &it->second;
        }
      }
      if (mapped != nullptr) {
        value = *mapped;
      } else if (sex) {
        auto normal = SexOf(category);
        if (!normal) {
          problems.Add(category.pointer,
                       fmt::format("the sex category \"{}\" ({}) is neither total, women nor men: "
                                   "map it in the mapping file",
                                   category.code, category.label));
          continue;
        }
        value = std::string(*normal);
      } else if ((!dim.elimination_code.empty() && category.code == dim.elimination_code) ||
                 IsTotalLabel(category.label)) {
        value = "total";
      } else {
        value = category.code;
      }
      plan.breakdown_value.push_back(value == "total" ? std::string() : value);
    }
  }
  std::sort(breakdown_names.begin(), breakdown_names.end());
  if (problems.Full()) return false;

  for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
    const Dimension& dim = *dims[dim_idx];
    const auto* dim_mapping = MappingFor(mapping, dim.id);
    auto& plan = plans[dim_idx];
    switch (plan.role) {
      case DimensionRole::kTime:
        has_time = true;
        for (const auto& category : dim.categories) {
          auto period = ParsePeriod(category.code);
          if (!period && !category.label.empty()) period = ParsePeriod(category.label);
          if (!period) {
            problems.Add(category.pointer,
                         fmt::format("\"{}\" is not a period (2022, 2022Q1, 2026M01, 2021-2024)",
                                     category.code));
            plan.period.push_back(0);
            continue;
          }
          plan.period.push_back(PeriodKey(*period));
        }
        break;
      case DimensionRole::kGeo:
        has_geo = true;
        for (const auto& category : dim.categories) {
          plan.area.push_back(builder.AreaIndex({NormalizeAreaCode(category.code),
                                                 StripCodePrefix(category.code, category.label),
                                                 where_prefix + category.pointer}));
        }
        break;
      case DimensionRole::kMetric:
        has_metric = true;
        for (const auto& category : dim.categories) {
          IndicatorRef ref;
          auto& definition = ref.definition;
          definition.code = fmt::format("{}.{}", table, category.code);
          const std::string& label = category.label.empty() ? category.code : category.label;
          definition.title =
              dataset.label.empty() ? label : fmt::format("{}: {}", dataset.label, label);
          definition.unit = category.unit;
          definition.value_type = ValueTypeOfUnit(category.unit);
          definition.source = dataset.px ? IndicatorSource::kPxWeb : IndicatorSource::kOwn;
          definition.source_table = table;
          definition.source_code = category.code;
          definition.dimensions = breakdown_names;
          if (dim_mapping) {
            if (auto it = dim_mapping->indicators.find(category.code);
                it != dim_mapping->indicators.end()) {
              const MappedIndicator& named = it->second;
              if (!named.code.empty()) definition.code = named.code;
              if (!named.title.empty()) definition.title = named.title;
              if (!named.unit.empty()) definition.unit = named.unit;
              if (named.value_type) definition.value_type = *named.value_type;
              if (named.direction) definition.direction = *named.direction;
              if (named.per > 0) definition.per = named.per;
            }
          }
          ref.where = where_prefix + category.pointer;
          plan.indicator.push_back(builder.Indicator(std::move(ref)));
        }
        break;
      case DimensionRole::kParts: {
        for (const auto& category : dim.categories) {
          std::optional<double ObservationDraft::*> field;
          if (dim_mapping) {
            if (auto it = dim_mapping->categories.find(category.code);
                it != dim_mapping->categories.end()) {
              field = PartField(it->second);
            }
          }
          if (!field) {
            problems.Add(category.pointer,
                         fmt::format("the part \"{}\" is not mapped to value, ci_low, ci_high, "
                                     "numerator, denominator or respondents",
                                     category.code));
            plan.part.push_back(&ObservationDraft::value);
            continue;
          }
          plan.part.push_back(*field);
          // A table without a metric dimension takes its unit from the value part's category
          // (Folkhälsodata: "Andel" with unit "procent").
          if (*field == &ObservationDraft::value && value_part_unit.empty()) {
            value_part_unit = category.unit;
          }
        }
        break;
      }
      case DimensionRole::kIgnore:
        if (dim.categories.size() > 1) {
          problems.Add(dim.pointer, fmt::format("a dimension of {} categories cannot be ignored",
                                                dim.categories.size()));
        }
        break;
      case DimensionRole::kBreakdown:
        break;
    }
  }
  if (!has_time) {
    if (mapping != nullptr && !mapping->period.empty()) {
      auto period = ParsePeriod(mapping->period);
      if (!period) {
        problems.Add(dataset.prefix.empty() ? "/id" : dataset.prefix + "/id",
                     fmt::format("the mapping's period \"{}\" is not a period", mapping->period));
      } else {
        fixed.period = PeriodKey(*period);
      }
    } else {
      problems.Add(dataset.ids_pointer.empty() ? dataset.prefix + "/id" : dataset.ids_pointer,
                   "the dataset has no time dimension (role time, or an id such as Tid, time or "
                   "year): name one in the mapping file, or give the mapping a period");
    }
  }
  if (!has_geo) {
    std::string code =
        mapping != nullptr && !mapping->area.empty() ? mapping->area : options.default_area;
    fixed.area = builder.AreaIndex({NormalizeAreaCode(code), "", where_prefix + dataset.prefix});
  }
  if (!has_metric) {
    IndicatorRef ref;
    ref.definition.code = table;
    ref.definition.title = dataset.label.empty() ? table : dataset.label;
    ref.definition.source = dataset.px ? IndicatorSource::kPxWeb : IndicatorSource::kOwn;
    ref.definition.source_table = table;
    ref.definition.dimensions = breakdown_names;
    ref.definition.unit = value_part_unit;
    ref.definition.value_type = ValueTypeOfUnit(value_part_unit);
    ref.where = where_prefix + dataset.prefix;
    fixed.indicator = builder.Indicator(std::move(ref));
  }
  return !problems.Full() && problems.list.empty();
}

void ApplyStatus(const CellStatus& status, const ObservationSink& sink, std::uint64_t cells,
                 std::vector<ObservationDraft>& observations) {
  auto apply = [&](std::uint64_t cell, std::string_view symbol) {
    if (symbol.empty()) return;
    auto slot = sink.ObservationOf(cell);
    if (!slot) return;
    auto flags = StatusFlags(symbol);
    auto field = sink.FieldOf(cell);
    auto& draft = observations[*slot];
    if (flags & kObservationMissing) {
      draft.*field = kAbsent;
      flags = static_cast<std::uint8_t>(flags & ~kObservationMissing);
      if (field == &ObservationDraft::value) draft.status |= kObservationMissing;
    }
    draft.status |= flags;
  };
  if (status.has_single) {
    for (std::uint64_t cell = 0; cell < cells; ++cell) apply(cell, status.single);
  } else if (status.is_dense) {
    for (std::uint64_t cell = 0; cell < status.dense.size(); ++cell) {
      if (status.dense[cell] != 0) apply(cell, status.symbols[status.dense[cell]]);
    }
  } else {
    for (const auto& [cell, symbol] : status.sparse) apply(cell, status.symbols[symbol]);
  }
}

}  // namespace

// ---- The mapping file --------------------------------------------------------------------------

Result<JsonStatMapping> ReadJsonStatMapping(std::string_view text, std::string_view file_name) {
  JsonStatMapping mapping;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return mapping;
  Problems problems;
  const std::string what = fmt::format("the JSON-stat mapping {}", file_name);
  simdjson::padded_string padded(text.data(), text.size());
  od::parser parser;
  od::document doc;
  if (auto error = parser.iterate(padded).get(doc)) {
    problems.Json("", error);
    return ProblemsError(problems.list, what);
  }
  od::value root;
  if (auto error = doc.get_value().get(root)) {
    problems.Json("", error);
    return ProblemsError(problems.list, what);
  }
  auto read_text = [&](od::value value, const std::string& at, std::string& out) {
    auto read = ReadString(value, at, problems, "this");
    if (read) out = std::move(*read);
    return !problems.fatal;
  };
  ForEachField(
      root, "", problems, "the mapping",
      [&](std::string_view key, od::value value, const std::string& at) {
        if (key == "table") return read_text(value, at, mapping.table);
        if (key == "area") return read_text(value, at, mapping.area);
        if (key == "period") {
          if (!read_text(value, at, mapping.period)) return false;
          if (!mapping.period.empty() && !ParsePeriod(mapping.period)) {
            problems.Add(at, fmt::format("\"{}\" is not a period", mapping.period));
          }
          return true;
        }
        if (key != "dimensions") {
          problems.Add(at,
                       fmt::format("unknown key \"{}\" (table, area, period, dimensions)", key));
          return Validate(value, at, problems);
        }
        return ForEachField(
            value, at, problems, "dimensions",
            [&](std::string_view id, od::value dim_value, const std::string& dim_at) {
              DimensionMapping& dim = mapping.dimensions[std::string(id)];
              return ForEachField(
                  dim_value, dim_at, problems, "a dimension's mapping",
                  [&](std::string_view field, od::value field_value, const std::string& field_at) {
                    if (field == "role") {
                      std::string name;
                      if (!read_text(field_value, field_at, name)) return false;
                      static constexpr std::array<std::pair<std::string_view, DimensionRole>, 6>
                          kRoles{{
                              {"time", DimensionRole::kTime},
                              {"geo", DimensionRole::kGeo},
                              {"metric", DimensionRole::kMetric},
                              {"parts", DimensionRole::kParts},
                              {"breakdown", DimensionRole::kBreakdown},
                              {"ignore", DimensionRole::kIgnore},
                          }};
                      for (const auto& [role_name, role] : kRoles) {
                        if (role_name == name) dim.role = role;
                      }
                      if (!dim.role) {
                        problems.Add(field_at,
                                     fmt::format("\"{}\" is not a role (time, geo, metric, parts, "
                                                 "breakdown, ignore)",
                                                 name));
                      }
                      return true;
                    }
                    if (field == "name") {
                      if (!read_text(field_value, field_at, dim.name)) return false;
                      bool identifier = !dim.name.empty();
                      for (char c : dim.name) {
                        identifier &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                      }
                      if (!identifier) {
                        problems.Add(field_at,
                                     "a breakdown name is a lower-case identifier (a-z, 0-9, _)");
                      }
                      return true;
                    }
                    if (field == "categories") {
                      return ForEachField(
                          field_value, field_at, problems, "categories",
                          [&](std::string_view code, od::value category, const std::string& at2) {
                            std::string target;
                            if (!read_text(category, at2, target)) return false;
                            dim.categories[std::string(code)] = std::move(target);
                            return true;
                          });
                    }
                    if (field == "indicators") {
                      return ForEachField(
                          field_value, field_at, problems, "indicators",
                          [&](std::string_view code, od::value indicator, const std::string& at2) {
                            MappedIndicator& named = dim.indicators[std::string(code)];
                            return ForEachField(
                                indicator, at2, problems, "an indicator",
                                [&](std::string_view name, od::value item, const std::string& at3) {
                                  if (name == "code") return read_text(item, at3, named.code);
                                  if (name == "title") return read_text(item, at3, named.title);
                                  if (name == "unit") return read_text(item, at3, named.unit);
                                  if (name == "value_type" || name == "direction") {
                                    std::string word;
                                    if (!read_text(item, at3, word)) return false;
                                    if (name == "value_type") {
                                      named.value_type = ParseEnum<ValueType>(word);
                                      if (!named.value_type) problems.Add(at3, "not a value type");
                                    } else {
                                      named.direction = ParseEnum<Direction>(word);
                                      if (!named.direction) problems.Add(at3, "not a direction");
                                    }
                                    return true;
                                  }
                                  if (name == "per") {
                                    double per = 0;
                                    od::json_type type;
                                    if (auto error = item.type().get(type))
                                      return problems.Json(at3, error);
                                    if (type != od::json_type::number) {
                                      problems.Add(at3, "per must be a number");
                                      return Validate(item, at3, problems);
                                    }
                                    if (auto error = item.get_double().get(per)) {
                                      return problems.Json(at3, error);
                                    }
                                    if (!std::isfinite(per) || per < 0) {
                                      problems.Add(at3, "per must be a number from 0 up");
                                    }
                                    named.per = per;
                                    return true;
                                  }
                                  problems.Add(at3, fmt::format("unknown key \"{}\"", name));
                                  return Validate(item, at3, problems);
                                });
                          });
                    }
                    problems.Add(
                        field_at,
                        fmt::format("unknown key \"{}\" (role, name, categories, indicators)",
                                    field));
                    return Validate(field_value, field_at, problems);
                  });
            });
      });
  if (!problems.fatal) {
    const char* location = nullptr;
    if (!doc.current_location().get(location)) problems.Json("", simdjson::TAPE_ERROR);
  }
  if (!problems.list.empty()) return ProblemsError(problems.list, what);
  for (const auto& [id, dim] : mapping.dimensions) {
    if (dim.role == DimensionRole::kParts) {
      for (const auto& [code, part] : dim.categories) {
        if (!PartField(part)) {
          problems.Add(
              fmt::format("/dimensions/{}/categories/{}", EscapePointer(id), EscapePointer(code)),
              fmt::format("\"{}\" is not a part (value, ci_low, ci_high, numerator, "
                          "denominator, respondents)",
                          part));
        }
      }
    }
  }
  if (!problems.list.empty()) return ProblemsError(problems.list, what);
  return mapping;
}

// ---- ReadJsonStat ------------------------------------------------------------------------------

Result<StatsBatch> ReadJsonStat(std::string_view text, std::string_view file_name,
                                const JsonStatOptions& options) {
  Problems problems;
  const std::string what = fmt::format("the JSON-stat file {}", file_name);
  Document document(text.size());
  auto parsed = ParseDocument(document, text, file_name, problems);
  if (!parsed) return tl::unexpected<Error>(std::move(parsed.error()));

  StatsBatch batch;
  batch.file = std::string(file_name);
  batch.origin_kind = OriginKind::kJsonValue;
  batch.breakdowns.push_back({});
  BatchBuilder builder{batch, {}, {}, {{"", 0}}};
  for (std::size_t dataset_idx = 0; dataset_idx < parsed->datasets.size(); ++dataset_idx) {
    Dataset& dataset = parsed->datasets[dataset_idx];
    batch.dataset_pointers.push_back(dataset.prefix);
    CellLayout layout;
    if (!CheckStructure(dataset, problems, layout)) continue;
    std::vector<DimensionPlan> plans;
    ObservationDraft fixed;
    if (!PlanDataset(dataset, file_name, options, problems, builder, plans, fixed)) {
      continue;
    }
    const std::size_t first_observation = batch.observations.size();
    ObservationSink sink(plans, layout, std::uint64_t{dataset_idx} << 40, builder, fixed,
                         text.size());
    if (dataset.value == Shape::kObject) sink.MarkSparse();
    CellStatus status;
    // Duplicate sparse keys are caught as duplicate object keys; cells of a sparse value are
    // tracked for statuses only.
    if (!ReadCells(document, dataset, layout, problems, sink, status)) break;
    sink.Finish();
    ApplyStatus(status, sink, layout.cells, batch.observations);
    // With parts from a value object, an observation whose value part is null (or never came)
    // is missing; otherwise the sink flagged them already (a second pass over the observations
    // costs ~20% without parts, ~5% with).
    if (sink.MissingAfterStatus()) {
      for (std::size_t idx = first_observation; idx < batch.observations.size(); ++idx) {
        auto& draft = batch.observations[idx];
        if (!Present(draft.value)) draft.status |= kObservationMissing;
      }
    }
    if (problems.Full()) break;
  }
  if (!problems.list.empty()) return ProblemsError(problems.list, what);
  return batch;
}

// ---- FlattenJsonStat ---------------------------------------------------------------------------

namespace {

class FlatSink {
 public:
  explicit FlatSink(std::vector<std::optional<double>>& values) : values_(values) {}
  bool Dense(std::uint64_t cell, double value) {
    if (Present(value)) values_[cell] = value;
    return true;
  }
  bool DenseBlock(std::uint64_t first, const double* values, std::uint64_t count) {
    for (std::uint64_t idx = 0; idx < count; ++idx) Dense(first + idx, values[idx]);
    return true;
  }
  bool Sparse(std::uint64_t cell, double value) { return Dense(cell, value); }

 private:
  std::vector<std::optional<double>>& values_;
};

}  // namespace

Result<std::vector<FlatCell>> FlattenJsonStat(std::string_view text, std::string_view file_name) {
  Problems problems;
  const std::string what = fmt::format("the JSON-stat file {}", file_name);
  Document document(text.size());
  auto parsed = ParseDocument(document, text, file_name, problems);
  if (!parsed) return tl::unexpected<Error>(std::move(parsed.error()));
  Dataset& dataset = parsed->datasets.front();
  CellLayout layout;
  if (!CheckStructure(dataset, problems, layout)) return ProblemsError(problems.list, what);
  // Every cell gets a row, so a sparse dataset may not claim far more cells than it could hold.
  if (layout.cells > std::max<std::uint64_t>(text.size(), std::uint64_t{1} << 22)) {
    problems.Add(dataset.prefix + "/size", "too many cells to flatten");
    return ProblemsError(problems.list, what);
  }
  std::vector<std::optional<double>> values(layout.cells);
  FlatSink sink(values);
  CellStatus status;
  if (!ReadCells(document, dataset, layout, problems, sink, status) || !problems.list.empty()) {
    return ProblemsError(problems.list, what);
  }
  // Labels as pxwebpy shows them: PX-Web's extension.show says "code", "value" (the label) or
  // "code_value" ("01: Stockholms län").
  std::vector<std::vector<std::string>> labels(dataset.ids.size());
  for (std::size_t dim_idx = 0; dim_idx < dataset.ids.size(); ++dim_idx) {
    const Dimension* dim = dataset.Find(dataset.ids[dim_idx]);
    for (const auto& category : dim->categories) {
      const std::string& label = category.label.empty() ? category.code : category.label;
      if (dim->show == "code") {
        labels[dim_idx].push_back(category.code);
      } else if (dim->show == "code_value") {
        labels[dim_idx].push_back(fmt::format("{}: {}", category.code, label));
      } else {
        labels[dim_idx].push_back(label);
      }
    }
  }
  std::vector<FlatCell> cells;
  cells.reserve(layout.cells);
  std::vector<std::uint64_t> coordinates(dataset.ids.size(), 0);
  for (std::uint64_t cell = 0; cell < layout.cells; ++cell) {
    FlatCell flat;
    flat.labels.reserve(coordinates.size());
    for (std::size_t dim_idx = 0; dim_idx < coordinates.size(); ++dim_idx) {
      flat.labels.push_back(labels[dim_idx][coordinates[dim_idx]]);
    }
    flat.value = values[cell];
    flat.status = std::string(status.At(cell));
    if (StatusFlags(flat.status) & kObservationMissing) flat.value = std::nullopt;
    cells.push_back(std::move(flat));
    for (std::size_t dim_idx = coordinates.size(); dim_idx-- > 0;) {
      if (++coordinates[dim_idx] < layout.sizes[dim_idx]) break;
      coordinates[dim_idx] = 0;
    }
  }
  return cells;
}

}  // namespace halsonav::statsio
