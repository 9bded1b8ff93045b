#include "io/jsonstat_dataset.hpp"

// Pass 1 of the JSON-stat reader: a dataset's metadata (id, size, role, dimension with its
// categories, label, extension), with `value` only looked at (its shape) and `status` read
// when the caller asks (MetaOptions).

#include <unordered_map>

namespace halsonav::statsio::jsonstat {
namespace {

// A unit's decimals above this are refused (a double holds about 15 significant digits).
constexpr std::uint64_t kMaxDecimals = 15;

// One entry of a category's `unit`: the category's code, its unit as text, its decimals.
struct CategoryUnit {
  std::string code;
  std::string text;
  std::optional<int> decimals;
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
// else its base (SCB: "antal", "tkr"); and its `decimals`, when given.
bool ReadUnits(od::value value, const std::string& pointer, Problems& problems,
               std::vector<CategoryUnit>& units) {
  return ForEachField(
      value, pointer, problems, "unit",
      [&](std::string_view code, od::value unit_value, const std::string& unit_pointer) {
        std::string label, symbol, base;
        std::optional<int> decimals;
        bool ok = ForEachField(
            unit_value, unit_pointer, problems, "a unit",
            [&](std::string_view key, od::value field, const std::string& where) {
              if (key == "label" || key == "symbol" || key == "base") {
                auto text = ReadString(field, where, problems, "a unit's text");
                if (text) (key == "label" ? label : key == "symbol" ? symbol : base) = *text;
                return !problems.fatal;
              }
              if (key == "decimals") {
                auto count = ReadCount(field, where, problems, "a unit's decimals");
                if (count && *count > kMaxDecimals) {
                  problems.Add(where,
                               fmt::format("decimals {} is more than {}", *count, kMaxDecimals));
                } else if (count) {
                  decimals = static_cast<int>(*count);
                }
                return !problems.fatal;
              }
              return Validate(field, where, problems);
            });
        units.push_back({std::string(code),
                         !label.empty()    ? label
                         : !symbol.empty() ? symbol
                                           : base,
                         decimals});
        return ok;
      });
}

// A category's `index` entry: its code and position, and where the file says so.
struct Indexed {
  std::string code;
  std::uint64_t position;
  std::string pointer;
};

// `index` as an array of codes or an object of code -> position.
bool ReadIndex(od::value field, const std::string& where, Problems& problems,
               std::vector<Indexed>& indexed) {
  od::json_type type;
  if (auto error = field.type().get(type)) return problems.Json(where, error);
  if (type == od::json_type::array) {
    return ForEachElement(field, where, problems, "index",
                          [&](std::uint64_t position, od::value element, const std::string& at) {
                            auto code = ReadString(element, at, problems, "a category code");
                            if (code) indexed.push_back({std::move(*code), position, at});
                            return !problems.fatal;
                          });
  }
  return ForEachField(field, where, problems, "index",
                      [&](std::string_view code, od::value element, const std::string& at) {
                        auto position = ReadCount(element, at, problems, "a category's position");
                        if (position) indexed.push_back({std::string(code), *position, at});
                        return !problems.fatal;
                      });
}

// The categories in their order, from the index entries (each position and code once).
void PlaceIndexed(std::vector<Indexed>& indexed, Problems& problems,
                  std::vector<SourceCategory>& categories) {
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
    categories[entry.position].place = std::move(entry.pointer);
  }
}

bool ReadCategory(od::value value, const std::string& pointer, Problems& problems,
                  Dimension& dimension) {
  std::vector<Indexed> indexed;
  bool has_index = false;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<CategoryUnit> units;
  bool ok = ForEachField(
      value, pointer, problems, "category",
      [&](std::string_view key, od::value field, const std::string& where) {
        if (key == "index") {
          has_index = true;
          return ReadIndex(field, where, problems, indexed);
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
    PlaceIndexed(indexed, problems, categories);
  } else {
    // No index: JSON-stat allows it for a single category; the labels' order is used.
    for (const auto& [code, text] : labels) {
      categories.push_back({code, "", "", Child(pointer + "/label", code)});
    }
    if (labels.empty()) problems.Add(pointer, "a category needs an index or a label");
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
  for (auto& unit : units) {
    if (auto it = position_of.find(unit.code); it != position_of.end()) {
      categories[it->second].unit = std::move(unit.text);
      categories[it->second].decimals = unit.decimals;
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

// `value` or `status` in pass 1: their shape (and whether a value array is empty), and the
// status itself when the options ask for it.
bool ReadValueOrStatus(std::string_view key, od::value field, const std::string& where,
                       Problems& problems, Dataset& dataset, const MetaOptions& options) {
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
      if (ReadStatus(field, dataset.prefix, CellsHint(dataset), false, own, status) &&
          own.empty() && !own.fatal) {
        dataset.early_status = std::move(status);
      } else {
        dataset.early_status.reset();
        *options.early_failed = true;
      }
    }
    return true;
  }
  dataset.value = shape;
  if (shape == Shape::kArray) {
    dataset.value_at = field.raw_json_token().data();
    od::array array;
    if (auto error = field.get_array().get(array)) return problems.Json(where, error);
    if (auto error = array.is_empty().get(dataset.value_empty)) {
      return problems.Json(where, error);
    }
  }
  return true;
}

// A dataset's `extension`: PX-Web's `px` (the dataset comes from PX-Web; its table id).
bool ReadDatasetExtension(od::value field, const std::string& where, Problems& problems,
                          Dataset& dataset) {
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

}  // namespace

bool ReadDatasetMeta(od::value value, const std::string& prefix, Problems& problems,
                     Dataset& dataset, const MetaOptions& options) {
  dataset.prefix = prefix;
  return ForEachField(value, prefix, problems, "a dataset",
                      [&](std::string_view key, od::value field, const std::string& where) {
                        if (key == "class" || key == "label") {
                          od::json_type type;
                          if (auto error = field.type().get(type))
                            return problems.Json(where, error);
                          if (type != od::json_type::string)
                            return Validate(field, where, problems);
                          auto text = ReadString(field, where, problems, key);
                          if (text)
                            (key == "class" ? dataset.cls : dataset.label) = std::move(*text);
                          return !problems.fatal;
                        }
                        if (key == "id") return ReadIds(field, where, problems, dataset);
                        if (key == "size") return ReadSizes(field, where, problems, dataset);
                        if (key == "role") return ReadRoles(field, where, problems, dataset);
                        if (key == "dimension")
                          return ReadDimensions(field, where, problems, dataset);
                        if (key == "value" || key == "status") {
                          return ReadValueOrStatus(key, field, where, problems, dataset, options);
                        }
                        if (key == "links" && options.search_links != nullptr) {
                          od::json_type type;
                          if (auto error = field.type().get(type))
                            return problems.Json(where, error);
                          if (type != od::json_type::array) return Validate(field, where, problems);
                          return ReadTopLinks(field, where, problems, *options.search_links);
                        }
                        if (key == "extension")
                          return ReadDatasetExtension(field, where, problems, dataset);
                        return Validate(field, where, problems);
                      });
}

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

}  // namespace halsonav::statsio::jsonstat
