#include "io/px.hpp"

#include <utility>

#include "io/dimension_roles.hpp"
#include "io/observation_sink.hpp"
#include "io/px_table.hpp"

namespace halsonav::statsio {
namespace {

constexpr std::size_t kMaxProblems = 100;

// The table as the shared planning rules see it (io/dimension_roles.hpp): one dimension per
// variable, named by its VARIABLECODE (else its default-language name); TIMEVAL makes the time
// dimension (its periods as the categories' codes), CONTVARIABLE the metric one.
SourceTable SourceOf(const PxTable& table, const PxPositions& positions) {
  SourceTable source;
  source.table_id = table.table_id;
  source.label = table.title;
  // A table without a CONTVARIABLE is one indicator, with the table's UNITS.
  if (!table.content_variable && !table.contents_meta.empty()) {
    source.unit = table.contents_meta.front().units;
    source.decimals = table.contents_meta.front().Shown();
  }
  source.source = IndicatorSource::kPxWeb;
  source.place = positions.Where(0);
  source.ids_place = positions.Where(table.variables.front().offset);
  for (const auto& variable : table.variables) {
    SourceDimension dimension;
    dimension.id = variable.code;
    dimension.place = positions.Where(variable.offset);
    if (variable.elimination) dimension.elimination_code = variable.codes[*variable.elimination];
    if (variable.content) {
      dimension.file_role = DimensionRole::kMetric;
    } else if (variable.time) {
      dimension.file_role = DimensionRole::kTime;
    }
    for (std::size_t value_idx = 0; value_idx < variable.values.size(); ++value_idx) {
      SourceCategory category;
      category.code = variable.codes[value_idx];
      if (value_idx < variable.periods.size()) {
        if (auto period = PeriodFromKey(variable.periods[value_idx])) {
          category.code = PeriodCode(*period);
        }
      }
      category.label = variable.values[value_idx];
      if (variable.content && value_idx < table.contents_meta.size()) {
        category.unit = table.contents_meta[value_idx].units;
        category.decimals = table.contents_meta[value_idx].Shown();
      }
      category.place = positions.Where(variable.value_offsets[value_idx]);
      dimension.categories.push_back(std::move(category));
    }
    source.dimensions.push_back(std::move(dimension));
  }
  return source;
}

}  // namespace

Result<StatsBatch> ReadPx(std::string_view text, std::string_view file_name,
                          const PxOptions& options) {
  auto table = ReadPxTable(text, file_name, PxReadOptions{options.language});
  if (!table) return tl::unexpected(table.error());
  const PxPositions positions(text, file_name, table->encoding == PxEncoding::kUtf8);
  const SourceTable source = SourceOf(*table, positions);

  StatsBatch batch;
  batch.file = std::string(file_name);
  batch.origin_kind = OriginKind::kLine;
  StatsBatchBuilder builder(batch);
  ProblemList problems(kMaxProblems);
  TablePlan plan;
  PlanOptions plan_options{options.mapping, options.default_area, std::string(file_name), ""};
  if (!PlanTable(source, plan_options, problems, builder, plan)) {
    return ProblemsError(problems.list(), file_name);
  }

  std::vector<std::uint64_t> sizes;
  for (const auto& variable : table->variables) sizes.push_back(variable.values.size());
  const CellLayout layout = CellLayout::Of(std::move(sizes));
  const std::size_t first = batch.observations.size();
  // The buffer the previous file of an import handed back, when large enough (stats_batch.hpp).
  if (auto recycled = TakeRecycledObservations(table->cells); recycled.capacity() > 0) {
    batch.observations = std::move(recycled);
  }
  batch.observations.reserve(first + table->cells);
  ObservationSink sink(plan, layout, 0, builder, text.size());
  sink.DenseBlock(0, table->values.data(), table->cells);
  sink.Finish();
  // The sink's origin is the cell; a PX observation's is its DATA line. Cells come in order, so
  // the line is found by walking DATA's lines alongside.
  const auto& starts = table->line_first_cell;
  std::size_t line_idx = 0;
  for (std::size_t obs_idx = first; obs_idx < batch.observations.size(); ++obs_idx) {
    auto& observation = batch.observations[obs_idx];
    const std::uint64_t cell = observation.origin;
    if (table->keyed) {  // rows in any order, and rows of zeros left out
      observation.origin = table->Line(cell);
      continue;
    }
    if (line_idx >= starts.size() || starts[line_idx] > cell) line_idx = 0;  // out of order
    while (line_idx + 1 < starts.size() && starts[line_idx + 1] <= cell) ++line_idx;
    observation.origin = table->data_line + line_idx;
  }
  for (auto& note : table->notes) {
    batch.notes.push_back(Problem{positions.Where(note.offset), std::move(note.text)});
  }
  return batch;
}

}  // namespace halsonav::statsio
