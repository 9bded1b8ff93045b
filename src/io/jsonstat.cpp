#include "io/jsonstat.hpp"

// The JSON-stat reader, in parts a newcomer can read one at a time:
//   jsonstat_walk      walking simdjson on-demand values with checks and JSON pointers
//   jsonstat_text      the padded copy simdjson parses, a long value array left out of it
//   jsonstat_document  the file as a whole: what it is, pass 1 over its datasets
//   jsonstat_meta      pass 1 for one dataset: id, size, role, dimensions, categories
//   jsonstat_cells     pass 2: value and status streamed into a sink
//   dimension_roles    what each dimension is (shared with the PX reader)
//   observation_sink   cells to observations (shared with the PX reader)
// This file puts them together. Rules and decisions: docs/jsonstat.md.

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "io/dimension_roles.hpp"
#include "io/jsonstat_cells.hpp"
#include "io/observation_sink.hpp"

namespace halsonav::statsio {
namespace {

using namespace jsonstat;  // NOLINT(google-build-using-namespace): the reader's own parts

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

// A dataset as the dimension rules see it (io/dimension_roles.hpp). CheckStructure has made
// sure that every id names a dimension.
SourceTable SourceTableOf(const Dataset& dataset) {
  SourceTable table;
  table.table_id = dataset.table_id;
  table.label = dataset.label;
  table.source = dataset.px ? IndicatorSource::kPxWeb : IndicatorSource::kOwn;
  table.place = dataset.prefix;
  table.ids_place = dataset.ids_pointer.empty() ? dataset.prefix + "/id" : dataset.ids_pointer;
  for (const auto& id : dataset.ids) {
    const Dimension* dim = dataset.Find(id);
    SourceDimension source;
    source.id = id;
    source.place = dim->pointer;
    source.elimination_code = dim->elimination_code;
    source.categories = dim->categories;
    for (const auto& [name, ids] : dataset.roles) {
      auto it = std::find(ids.begin(), ids.end(), id);
      if (it == ids.end()) continue;
      std::optional<DimensionRole> file_role;
      if (name == "time") file_role = DimensionRole::kTime;
      if (name == "geo") file_role = DimensionRole::kGeo;
      if (name == "metric") file_role = DimensionRole::kMetric;
      if (file_role) {
        source.file_role = file_role;
        source.file_role_rank = static_cast<int>(it - ids.begin());
      }
    }
    table.dimensions.push_back(std::move(source));
  }
  return table;
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

// Reads one dataset's cells into the batch with its plan. false when the walk must stop.
bool ReadDataset(Document& document, Dataset& dataset, const CellLayout& layout,
                 const TablePlan& plan, std::uint64_t dataset_bits, StatsBatchBuilder& builder,
                 std::size_t text_size, Problems& problems) {
  auto& observations = builder.batch().observations;
  const std::size_t first_observation = observations.size();
  ObservationSink sink(plan, layout, dataset_bits, builder, text_size);
  if (dataset.value == Shape::kObject) sink.MarkSparse();
  CellStatus status;
  // Duplicate sparse keys are caught as duplicate object keys; cells of a sparse value are
  // tracked for statuses only.
  if (!ReadCells(document, dataset, layout, problems, sink, status)) return false;
  sink.Finish();
  ApplyStatus(status, sink, layout.cells, observations);
  // With parts from a value object, an observation whose value part is null (or never came)
  // is missing; otherwise the sink flagged them already (a second pass over the observations
  // costs ~20% without parts, ~5% with).
  if (sink.MissingAfterStatus()) {
    for (std::size_t idx = first_observation; idx < observations.size(); ++idx) {
      auto& draft = observations[idx];
      if (!Present(draft.value)) draft.status |= kObservationMissing;
    }
  }
  return true;
}

// One reading of the file; `cut` as ParseDocument. Sets `cut_used` when a dataset's value array
// was left out of the parse.
Result<StatsBatch> ReadOnce(std::string_view text, std::string_view file_name,
                            const JsonStatOptions& options, bool cut, bool& cut_used) {
  Problems problems;
  const std::string what = fmt::format("the JSON-stat file {}", file_name);
  Document document(text.size());
  auto parsed = ParseDocument(document, text, file_name, problems, cut);
  if (!parsed) return tl::unexpected<Error>(std::move(parsed.error()));
  cut_used = std::any_of(parsed->datasets.begin(), parsed->datasets.end(),
                         [](const Dataset& dataset) { return dataset.value_text != nullptr; });

  StatsBatch batch;
  batch.file = std::string(file_name);
  batch.origin_kind = OriginKind::kJsonValue;
  StatsBatchBuilder builder(batch);
  PlanOptions plan_options{options.mapping, options.default_area, std::string(file_name),
                           fmt::format("{}#", file_name)};
  for (std::size_t dataset_idx = 0; dataset_idx < parsed->datasets.size(); ++dataset_idx) {
    Dataset& dataset = parsed->datasets[dataset_idx];
    batch.dataset_pointers.push_back(dataset.prefix);
    CellLayout layout;
    if (!CheckStructure(dataset, problems, layout)) continue;
    TablePlan plan;
    if (!PlanTable(SourceTableOf(dataset), plan_options, problems, builder, plan)) continue;
    if (!ReadDataset(document, dataset, layout, plan, std::uint64_t{dataset_idx} << 40, builder,
                     text.size(), problems)) {
      break;
    }
    if (problems.Full()) break;
  }
  if (!problems.empty()) return ProblemsError(problems.list(), what);
  return batch;
}

}  // namespace

Result<StatsBatch> ReadJsonStat(std::string_view text, std::string_view file_name,
                                const JsonStatOptions& options) {
  bool cut_used = false;
  auto batch = ReadOnce(text, file_name, options, true, cut_used);
  if (batch || !cut_used) return batch;
  // A problem after a long value array was left out of the parse: the file is read again whole,
  // so that every problem is reported as (and in the order) the on-demand path reports it.
  return ReadOnce(text, file_name, options, false, cut_used);
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

// Labels as pxwebpy shows them: PX-Web's extension.show says "code", "value" (the label) or
// "code_value" ("01: Stockholms län").
std::vector<std::vector<std::string>> FlatLabels(const Dataset& dataset) {
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
  return labels;
}

}  // namespace

Result<std::vector<FlatCell>> FlattenJsonStat(std::string_view text, std::string_view file_name) {
  Problems problems;
  const std::string what = fmt::format("the JSON-stat file {}", file_name);
  Document document(text.size());
  auto parsed = ParseDocument(document, text, file_name, problems);
  if (!parsed) return tl::unexpected<Error>(std::move(parsed.error()));
  Dataset& dataset = parsed->datasets.front();
  CellLayout layout;
  if (!CheckStructure(dataset, problems, layout)) return ProblemsError(problems.list(), what);
  // Every cell gets a row, so a sparse dataset may not claim far more cells than it could hold.
  if (layout.cells > std::max<std::uint64_t>(text.size(), std::uint64_t{1} << 22)) {
    problems.Add(dataset.prefix + "/size", "too many cells to flatten");
    return ProblemsError(problems.list(), what);
  }
  std::vector<std::optional<double>> values(layout.cells);
  FlatSink sink(values);
  CellStatus status;
  if (!ReadCells(document, dataset, layout, problems, sink, status) || !problems.empty()) {
    return ProblemsError(problems.list(), what);
  }
  const auto labels = FlatLabels(dataset);
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
