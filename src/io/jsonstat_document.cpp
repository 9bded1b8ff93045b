#include "io/jsonstat_document.hpp"

// The reader walks the document with simdjson's on-demand API in two passes over one parse:
// pass 1 reads everything except the datasets' `value` (JSON-stat keeps no key order, so the
// dimensions may come after the values), validates every skipped value and rejects duplicate
// keys; pass 2 (jsonstat_cells.hpp) rewinds, goes back to each dataset and streams `value`
// straight into the sink. Pass 1 reads `status` too, so that pass 2 can stop right after the
// value array; when that read finds a problem, pass 1 runs again and leaves the status to pass
// 2, so that every message stays the same. A dataset at the root (the common case) is met in
// one walk for passes 0 and 1. Rules and decisions: docs/jsonstat.md.

#include <algorithm>

namespace halsonav::statsio::jsonstat {
namespace {

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

// Walks the document again from its start, for a walk that was thrown away. After some JSON
// errors simdjson's iterator cannot be rewound, so the document is iterated afresh.
simdjson::error_code RestartDocument(Document& document, od::value& root) {
  if (auto error = document.parser.iterate(document.text).get(document.doc)) return error;
  return document.doc.get_value().get(root);
}

// A JSON-stat 1.x dataset on its own, as the top-level object (no bundle around it, no class):
// `dimension` and `value` among the top-level keys.
bool IsBareDataset(const TopLevel& top) {
  return top.cls.empty() && top.Has("dimension") && top.Has("value");
}

// Pass 1 proper: the metadata of the datasets, by the file's class (from pass 0).
void PassOne(od::value root, const TopLevel& top, Problems& problems, const MetaOptions& options,
             Parsed& parsed, std::uint64_t& linked_only) {
  const std::string& cls = top.cls;
  if (cls == "dataset" || IsBareDataset(top)) {
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

}  // namespace

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
    tokens.push_back(UnescapePointerToken(prefix.substr(start, end - start)));
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
  layout = CellLayout::Of(dataset.sizes);
  return true;
}

namespace {

Error NotData(std::string message, std::string_view file_name) {
  return Error{ErrorCode::kInvalidValue, std::move(message), {{"file", std::string(file_name)}}};
}

// After the walk: anything but blanks left after the top-level value is a problem.
void CheckEnd(Document& document, Problems& problems) {
  if (problems.fatal) return;
  const char* location = nullptr;
  if (!document.doc.current_location().get(location)) problems.Json("", simdjson::TAPE_ERROR);
}

// A JSON array at the root: PX-Web v1 answers a folder with [{"id", "type": "l"|"t", "text"}…].
Error ArrayRootError(Document& document, od::value root, std::string_view file_name,
                     Problems& problems, const std::string& what) {
  bool folder = false;
  bool ok = ForEachElement(root, "", problems, "the file",
                           [&](std::uint64_t, od::value element, const std::string& where) {
                             od::json_type type;
                             if (auto error = element.type().get(type))
                               return problems.Json(where, error);
                             if (type != od::json_type::object)
                               return Validate(element, where, problems);
                             bool has_type = false, has_text = false;
                             bool fine = ForEachField(
                                 element, where, problems, "an item",
                                 [&](std::string_view key, od::value field, const std::string& at) {
                                   has_type |= key == "type";
                                   has_text |= key == "text";
                                   return Validate(field, at, problems);
                                 });
                             folder |= has_type && has_text;
                             return fine;
                           });
  if (ok) CheckEnd(document, problems);
  if (!problems.empty()) return ProblemsError(problems.list(), what).value();
  return NotData(folder ? "this is a PX-Web v1 folder listing (tables and folders), not data: "
                          "request one of its tables"
                        : "not JSON-stat: the file is a JSON array, not a dataset, a collection "
                          "or a bundle",
                 file_name);
}

// Pass 0: the top-level keys and class. false when it found problems.
bool PassZero(od::value root, Problems& problems, TopLevel& top, bool& search_links) {
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
                             if (type == od::json_type::array)
                               return ReadTopLinks(field, at, problems, search_links);
                           }
                           return true;
                         });
  return ok && problems.empty();
}

// What a file's class (or, without one, its keys) says when it is no data; nullopt otherwise.
std::optional<Error> ClassError(const TopLevel& top, bool search_links,
                                std::string_view file_name) {
  if (top.cls.empty()) {
    auto message = RecogniseNonData(top, search_links);
    if (!message.empty()) return NotData(std::move(message), file_name);
  }
  if (top.cls == "dimension") {
    return NotData(
        "this is a JSON-stat dimension, not a dataset: it holds categories but no values",
        file_name);
  }
  if (!top.cls.empty() && top.cls != "dataset" && top.cls != "collection") {
    return NotData(
        fmt::format("not JSON-stat data: the class \"{}\" is none of dataset, collection", top.cls),
        file_name);
  }
  return std::nullopt;
}

// What the datasets found say when they are no data (metadata only, none at all…); nullopt
// for data.
std::optional<Error> DatasetsError(const Parsed& parsed, const TopLevel& top,
                                   std::uint64_t linked_only, std::string_view file_name) {
  if (top.cls == "collection" && parsed.datasets.empty()) {
    return NotData(fmt::format("this is a JSON-stat collection that embeds no dataset, not data: "
                               "it links to {} item{} — fetch their href",
                               linked_only, linked_only == 1 ? "" : "s"),
                   file_name);
  }
  if (parsed.datasets.empty()) {
    return NotData(
        "not JSON-stat data: no class, and no JSON-stat 1.x dataset (an object with "
        "dimension and value) at the top level",
        file_name);
  }
  if (parsed.datasets.size() >= kMaxDatasets) {
    return NotData("too many datasets in one file", file_name);
  }
  if (parsed.datasets.size() != 1) return std::nullopt;
  const Dataset& dataset = parsed.datasets.front();
  if (dataset.value == Shape::kAbsent && dataset.has_dimension) {
    return NotData("this is JSON-stat metadata (a dataset without value), not data", file_name);
  }
  bool any_size = !dataset.sizes.empty();
  bool all_positive = std::all_of(dataset.sizes.begin(), dataset.sizes.end(),
                                  [](std::uint64_t size) { return size > 0; });
  if (dataset.value == Shape::kArray && dataset.value_empty && any_size && all_positive) {
    return NotData(dataset.px ? "this is PX-Web table metadata (a JSON-stat dataset whose value "
                                "is empty), not data: request /tables/{id}/data with the values "
                                "you want"
                              : "this is JSON-stat metadata (a dataset whose value is empty), "
                                "not data",
                   file_name);
  }
  return std::nullopt;
}

// A dataset at the root (class dataset, or a bare 1.x dataset), the common case, is read in one
// walk: passes 0 and 1 together, and its status (each walk steps over a long value array token by
// token). true when that worked; on another class, or a problem anywhere, the walk is thrown away
// (and the document restarted) so that the passes read the file again and every message stays as
// they make it.
bool WalkRootDataset(Document& document, od::value& root, Parsed& parsed, TopLevel& top,
                     Problems& problems) {
  Problems own;
  Dataset dataset;
  bool early_failed = false;
  bool root_search_links = false;
  ReadDatasetMeta(root, "", own, dataset, {&early_failed, &root_search_links});
  const bool bare = dataset.cls.empty() && LooksLikeData(dataset);
  if ((dataset.cls == "dataset" || bare) && own.empty() && !own.fatal && !early_failed) {
    top.cls = dataset.cls;
    parsed.datasets.push_back(std::move(dataset));
    return true;
  }
  if (auto error = RestartDocument(document, root)) problems.Json("", error);
  return false;
}

// Pass 1: the metadata of every dataset, and every other value validated. The statuses are
// read too, unless that found a problem: then pass 1 runs again and leaves them to pass 2.
void PassOneWithStatus(Document& document, od::value& root, const TopLevel& top, Problems& problems,
                       Parsed& parsed, std::uint64_t& linked_only) {
  bool early_failed = false;
  for (bool early : {true, false}) {
    if (!early && !early_failed) break;
    problems = Problems{};
    parsed.datasets.clear();
    linked_only = 0;
    if (early) document.doc.rewind();
    if (auto error = early ? document.doc.get_value().get(root) : RestartDocument(document, root)) {
      problems.Json("", error);
      return;
    }
    const MetaOptions options{early ? &early_failed : nullptr, nullptr};
    PassOne(root, top, problems, options, parsed, linked_only);
  }
}

// The file's first and last characters: empty, not JSON, or ending mid-way (at
// "FILE:LINE:COLUMN", its last character). false after adding the problem.
bool CheckEnds(std::string_view text, std::string_view file_name, Problems& problems) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    problems.Add("", "the file is empty");
    return false;
  }
  if (text[first] != '{' && text[first] != '[') {
    problems.Add("", "not JSON-stat: the file does not start with { (is it JSON at all?)");
    return false;
  }
  auto last = text.find_last_not_of(" \t\r\n");
  if (text[last] != '}' && text[last] != ']') {
    const auto end = PlaceOf(text, last);
    problems.Add(TextPosition(file_name, text, last),
                 fmt::format("the file ends in the middle of the JSON, at line {} column {} (is it "
                             "truncated?)",
                             end.line, end.column));
    return false;
  }
  return true;
}

// With a value array cut out of the parse: the dataset whose value it is reads it from the
// file's own text. false when it is no dataset's value.
bool MatchCut(const Document& document, Parsed& parsed) {
  for (auto& dataset : parsed.datasets) {
    if (dataset.value == Shape::kArray && dataset.value_at == document.cut_at) {
      dataset.value_text = document.cut_source;
      dataset.value_empty = false;  // the cut holds elements
      return true;
    }
  }
  return false;
}

// ParseDocument, with or without a cut.
Result<Parsed> ParseText(Document& document, std::string_view text, std::string_view file_name,
                         Problems& problems, bool cut) {
  const std::string what = fmt::format("the JSON-stat file {}", file_name);
  if (!CheckEnds(text, file_name, problems)) return ProblemsError(problems.list(), what);
  document.Load(text, cut);
  od::value root;
  od::json_type root_type;
  simdjson::error_code error = document.parser.iterate(document.text).get(document.doc);
  if (!error) error = document.doc.get_value().get(root);
  if (!error) error = root.type().get(root_type);
  if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || error == simdjson::UNCLOSED_STRING) {
    // The brackets or quotes do not close: the file ends before the JSON does.
    problems.fatal = true;
    const auto end = PlaceOf(text, text.size());
    problems.Add(TextPosition(file_name, text, text.size()),
                 fmt::format("{}: the file ends at line {} column {}", JsonErrorText(error),
                             end.line, end.column));
    return ProblemsError(problems.list(), what);
  }
  if (error) {
    problems.Json("", error);
    return ProblemsError(problems.list(), what);
  }
  if (root_type == od::json_type::array) {
    return tl::unexpected<Error>(ArrayRootError(document, root, file_name, problems, what));
  }
  TopLevel top;
  bool search_links = false;
  Parsed parsed;
  const bool walked =
      root_type == od::json_type::object && WalkRootDataset(document, root, parsed, top, problems);
  if (!problems.empty()) return ProblemsError(problems.list(), what);
  if (!walked && !PassZero(root, problems, top, search_links)) {
    return ProblemsError(problems.list(), what);
  }
  if (auto not_data = ClassError(top, search_links, file_name)) {
    return tl::unexpected<Error>(std::move(*not_data));
  }
  std::uint64_t linked_only = 0;
  if (!walked) PassOneWithStatus(document, root, top, problems, parsed, linked_only);
  CheckEnd(document, problems);
  if (document.cut_at != nullptr && problems.empty() && !MatchCut(document, parsed)) {
    // Never shown: ParseDocument parses the file again uncut.
    problems.Add("", "the value array left out of the parse is no dataset's value");
  }
  if (!problems.empty()) return ProblemsError(problems.list(), what);
  if (auto not_data = DatasetsError(parsed, top, linked_only, file_name)) {
    return tl::unexpected<Error>(std::move(*not_data));
  }
  return parsed;
}

}  // namespace

Result<Parsed> ParseDocument(Document& document, std::string_view text, std::string_view file_name,
                             Problems& problems, bool cut) {
  if (cut) {
    auto parsed = ParseText(document, text, file_name, problems, true);
    if (parsed || document.cut_at == nullptr) return parsed;
    problems = Problems{};
  }
  return ParseText(document, text, file_name, problems, false);
}

}  // namespace halsonav::statsio::jsonstat
