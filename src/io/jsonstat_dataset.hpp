#pragma once

// A JSON-stat dataset as pass 1 reads it (everything but `value`, and `status` when it can),
// and the pass-1 readers of its parts (jsonstat_meta.cpp). Internal to the io layer; the reader
// is described in jsonstat.cpp and docs/jsonstat.md.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/dimension_roles.hpp"
#include "io/jsonstat_walk.hpp"

namespace halsonav::statsio::jsonstat {

struct Dimension {
  std::string id;
  std::string label;
  std::string pointer;                     // "/dimension/<id>" (with the dataset prefix)
  std::string show;                        // PX-Web extension.show: "code", "value", "code_value"
  std::string elimination_code;            // PX-Web extension.eliminationValueCode: the total
  std::vector<SourceCategory> categories;  // place: the index entry, else the label entry
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
  // Where pass 1 met a value array (its '[' in the parsed text), and, when the parse left that
  // array's elements out (Document::Load), the same '[' in the file's own text, where pass 2
  // reads them.
  const char* value_at = nullptr;
  const char* value_text = nullptr;
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
// `status`) are left for pass 2. false when the walk must stop.
bool ReadDatasetMeta(od::value value, const std::string& prefix, Problems& problems,
                     Dataset& dataset, const MetaOptions& options = {});

// A top-level `links` array: a PX-Web v2 search result links to itself with "?query=".
bool ReadTopLinks(od::value value, const std::string& pointer, Problems& problems,
                  bool& search_links);

// Whether an object read as a dataset holds data: a dimension and a value.
inline bool LooksLikeData(const Dataset& dataset) {
  return dataset.has_dimension && dataset.value != Shape::kAbsent;
}

// Reads a dataset's `status` (jsonstat_cells.cpp). With `cells_known`, cell indices are checked
// against `cells` and a status array keeps no more than `cells` symbols (pass 2); without (pass
// 1), `cells` is only a hint, and ReadCells checks the indices once the sizes are known.
bool ReadStatus(od::value value, const std::string& prefix, std::uint64_t cells, bool cells_known,
                Problems& problems, CellStatus& status);

}  // namespace halsonav::statsio::jsonstat
