// Importing statistics (docs/indicators.md): each file read by its io reader into a batch, the
// batch's areas, indicators and breakdowns resolved against the registry, disclosure control
// applied, and every observation compared with what is stored: new and changed ones written,
// unchanged ones left alone (so a re-import changes nothing). One transaction for all files;
// any problem in any file means nothing is stored.

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/stats_support.hpp"
#include "io/jsonstat.hpp"
#include "io/kolada.hpp"
#include "io/problems.hpp"
#include "io/px.hpp"
#include "io/stats_csv.hpp"
#include "io/stats_format.hpp"
#include "stats/disclosure.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

constexpr std::size_t kMaxProblems = 200;
constexpr std::size_t kProgressEvery = 1 << 16;
// Rows written together (PutAll); bounds the memory the writes take beside the batch.
constexpr std::size_t kWriteChunk = 1 << 16;

bool SameNumber(double left, double right) {
  return (std::isnan(left) && std::isnan(right)) || left == right;
}

bool SameObservation(const ObservationRow& left, const ObservationRow& right) {
  return SameNumber(left.value, right.value) && SameNumber(left.ci_low, right.ci_low) &&
         SameNumber(left.ci_high, right.ci_high) && SameNumber(left.numerator, right.numerator) &&
         SameNumber(left.denominator, right.denominator) &&
         SameNumber(left.respondents, right.respondents) && left.status == right.status;
}

bool SameKey(const ObservationRow& left, const ObservationRow& right) {
  return left.indicator_id == right.indicator_id && left.area_id == right.area_id &&
         left.breakdown_id == right.breakdown_id && left.period == right.period;
}

std::string_view FormatName(StatsFormat format) {
  switch (format) {
    case StatsFormat::kKolada:
      return "kolada";
    case StatsFormat::kJsonStat:
      return "jsonstat";
    case StatsFormat::kPx:
      return "px";
    case StatsFormat::kAuto:
      return "auto";
    case StatsFormat::kCsv:
      break;
  }
  return "csv";
}

// Fills the fields of a stored definition that it leaves empty from a file's; true when any
// was filled. A definition someone has written is never overwritten by an import.
bool FillDefinition(Indicator& stored, const Indicator& from_file) {
  bool changed = false;
  auto fill = [&](std::string& field, const std::string& value) {
    if (field.empty() && !value.empty()) {
      field = value;
      changed = true;
    }
  };
  if (stored.title == stored.code && !from_file.title.empty() && from_file.title != stored.title) {
    stored.title = from_file.title;
    changed = true;
  }
  fill(stored.description, from_file.description);
  fill(stored.unit, from_file.unit);
  fill(stored.source_table, from_file.source_table);
  fill(stored.source_code, from_file.source_code);
  fill(stored.operating_area, from_file.operating_area);
  if (stored.value_type == ValueType::kOther && from_file.value_type != ValueType::kOther) {
    stored.value_type = from_file.value_type;
    changed = true;
  }
  if (stored.per == 0 && from_file.per != 0) {
    stored.per = from_file.per;
    changed = true;
  }
  if (stored.direction == Direction::kNone && from_file.direction != Direction::kNone) {
    stored.direction = from_file.direction;
    changed = true;
  }
  if (!stored.decimals && from_file.decimals) {
    stored.decimals = from_file.decimals;
    changed = true;
  }
  return changed;
}

class StatsImporter {
 public:
  StatsImporter(Transaction& tx, const StatsImportOptions& options, Id import_id,
                stats::DisclosureRule rule)
      : tx_(tx), options_(options), import_id_(import_id), disclosure_(tx, rule) {}

  Result<void> LoadRegistry() {
    auto areas = tx_.Areas();
    if (!areas) return tl::unexpected(areas.error());
    for (const auto& area : *areas) area_ids_.emplace(area.code, area.id);
    auto breakdowns = tx_.Breakdowns();
    if (!breakdowns) return tl::unexpected(breakdowns.error());
    for (const auto& [id, key] : *breakdowns) breakdown_ids_.emplace(key, id);
    return {};
  }

  void AddProblems(const Error& error, const std::string& file) {
    const auto problems = error.details.find("problems");
    if (problems != error.details.end() && problems->is_array() && !problems->empty()) {
      for (const auto& problem : *problems) {
        Add(problem.value("pointer", file), problem.value("message", error.message));
      }
    } else {
      Add(file, error.message);
    }
  }

  // Resolves and writes one file's batch (nothing is written once any problem was found).
  // `report_progress(rows_done, rows_total)` is called now and then.
  Result<void> Add(statsio::StatsBatch& batch,
                   const std::function<void(std::size_t, std::size_t)>& report_progress) {
    std::vector<Id> areas;
    if (auto ok = ResolveAreas(batch, areas); !ok) return ok;
    std::vector<std::size_t> indicators;
    if (auto ok = ResolveIndicators(batch, indicators); !ok) return ok;
    std::vector<Id> breakdowns;
    if (auto ok = ResolveBreakdowns(batch, breakdowns); !ok) return ok;
    Json file = {{"name", batch.file}, {"observations", batch.observations.size()}};
    if (!batch.notes.empty()) {
      Json notes = Json::array();
      for (const auto& note : batch.notes) {
        notes.push_back({{"place", note.pointer}, {"message", note.message}});
      }
      file["notes"] = std::move(notes);
    }
    files_.push_back(std::move(file));
    if (!problems_.empty()) return {};

    std::vector<Id> indicator_ids;
    for (const std::size_t state : indicators) indicator_ids.push_back(indicators_[state].id);
    if (auto ok = LoadStored(batch, indicators); !ok) return ok;
    auto status_changes = disclosure_.Apply(batch, areas, indicator_ids, breakdowns);
    if (!status_changes) return tl::unexpected(status_changes.error());
    // In key order, so that inserts append to the table's tree instead of jumping about it.
    std::vector<std::uint32_t> order(batch.observations.size());
    std::iota(order.begin(), order.end(), 0U);
    auto key = [&](std::uint32_t idx) {
      const auto& draft = batch.observations[idx];
      return std::tuple(indicator_ids[draft.indicator], areas[draft.area],
                        breakdowns[draft.breakdown], draft.period);
    };
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t left, std::uint32_t right) { return key(left) < key(right); });

    // The rows to write, in key order, written in chunks (PutAll: COPY on PostgreSQL). A key
    // written by this batch makes its next rows duplicates, as Put would have found them.
    std::vector<ObservationRow> writes;
    std::optional<ObservationRow> last_written;
    std::size_t done = 0;
    for (const auto idx : order) {
      const auto& draft = batch.observations[idx];
      auto& indicator = indicators_[indicators[draft.indicator]];
      ObservationRow row{indicator.id,      areas[draft.area], breakdowns[draft.breakdown],
                         draft.period,      draft.value,       draft.ci_low,
                         draft.ci_high,     draft.numerator,   draft.denominator,
                         draft.respondents, draft.status,      import_id_};
      indicator.touched = true;
      if ((row.status & kObservationMissing) != 0) ++missing_;
      if ((row.status & kObservationSuppressed) != 0) ++suppressed_;
      const ObservationRow* existing = disclosure_.Stored(row);
      if (existing != nullptr && existing->import_id == import_id_) {
        Duplicate(batch, draft);
        continue;
      }
      // Whether a figure equals the suppressed one it replaces is not told, so that no import
      // (a dry run above all) is an oracle for a hidden figure: it counts as not compared.
      const bool hidden = existing != nullptr && (existing->status & kObservationSuppressed) != 0;
      if (existing != nullptr && SameObservation(*existing, row)) {
        ++(hidden ? not_compared_ : unchanged_);
        continue;
      }
      if (last_written && SameKey(*last_written, row)) {
        Duplicate(batch, draft);
        continue;
      }
      last_written = row;
      writes.push_back(row);
      if (writes.size() == kWriteChunk) {
        if (auto ok = tx_.PutAll(writes); !ok) return ok;
        writes.clear();
      }
      ++(existing == nullptr ? new_ : hidden ? not_compared_ : changed_);
      if (++done % kProgressEvery == 0 && report_progress) {
        report_progress(done, batch.observations.size());
      }
    }
    if (auto ok = tx_.PutAll(writes); !ok) return ok;
    for (const ObservationRow& row : *status_changes) {
      if (auto ok = tx_.SetObservationStatus(row); !ok) return ok;
      ++((row.status & kObservationSuppressed) != 0 ? stored_now_suppressed_ : stored_now_shown_);
    }
    disclosure_.Clear();
    return {};
  }

  // Updates the touched indicators' counts and dimensions.
  Result<void> Finish() {
    for (auto& indicator : indicators_) {
      if (!indicator.touched) continue;
      if (indicator.dimensions_changed) {
        if (auto ok = tx_.Upsert(indicator.definition); !ok) return tl::unexpected(ok.error());
      }
      if (auto ok = tx_.RefreshIndicatorSummary(indicator.id); !ok) return ok;
    }
    return {};
  }

  const std::vector<Problem>& Problems() const { return problems_; }
  const std::map<std::string, std::string>& UnknownAreas() const { return unknown_areas_; }

  Json Report(bool dry_run, StatsFormat format) const {
    std::vector<std::string> created;
    for (const auto& indicator : indicators_) {
      if (indicator.created) created.push_back(indicator.definition.code);
    }
    return {{"import_id", dry_run ? Json(nullptr) : Json(import_id_)},
            {"dry_run", dry_run},
            {"format", FormatName(format)},
            {"files", files_},
            {"observations",
             {{"new", new_},
              {"changed", changed_},
              {"unchanged", unchanged_},
              {"not_compared", not_compared_},
              {"missing", missing_},
              {"suppressed", suppressed_},
              {"stored_now_suppressed", stored_now_suppressed_},
              {"stored_now_shown", stored_now_shown_}}},
            {"indicators_created", created},
            {"areas_created", areas_created_}};
  }

 private:
  struct IndicatorState {
    Id id = 0;
    Indicator definition;
    bool had_data = false;  // it had observations before this import
    bool created = false;
    bool touched = false;
    bool dimensions_changed = false;
  };

  void Add(std::string pointer, std::string message) {
    if (problems_.size() < kMaxProblems) {
      problems_.push_back(Problem{std::move(pointer), std::move(message)});
    }
  }

  void Duplicate(const statsio::StatsBatch& batch, const statsio::ObservationDraft& draft) {
    Add(batch.Where(draft),
        "this indicator, area, period and breakdown came earlier in the same import: each "
        "observation may occur once");
  }

  Result<void> ResolveAreas(const statsio::StatsBatch& batch, std::vector<Id>& out) {
    out.reserve(batch.areas.size());
    for (const auto& area : batch.areas) {
      auto found = area_ids_.find(area.code);
      if (found != area_ids_.end()) {
        out.push_back(found->second);
        continue;
      }
      if (!options_.create_areas) {
        unknown_areas_.emplace(area.code, area.where);
        Add(area.where, fmt::format("area code \"{}\" is not in the area registry", area.code));
        out.push_back(0);
        continue;
      }
      Area created{0, area.code, area.label.empty() ? area.code : area.label, AreaKind::kOther, ""};
      auto id = tx_.Upsert(created);
      if (!id) return tl::unexpected(id.error());
      area_ids_.emplace(area.code, *id);
      areas_created_.push_back(area.code);
      out.push_back(*id);
    }
    return {};
  }

  Result<void> ResolveIndicators(const statsio::StatsBatch& batch, std::vector<std::size_t>& out) {
    for (const auto& ref : batch.indicators) {
      const auto& code = ref.definition.code;
      auto known = indicator_index_.find(code);
      if (known != indicator_index_.end()) {
        out.push_back(known->second);
        continue;
      }
      IndicatorState state;
      auto stored = tx_.FindIndicator(code);
      if (!stored) return tl::unexpected(stored.error());
      if (*stored) {
        state.definition = **stored;
        if (FillDefinition(state.definition, ref.definition)) {
          if (auto ok = tx_.Upsert(state.definition); !ok) return tl::unexpected(ok.error());
        }
        state.id = state.definition.id;
        auto has = tx_.HasObservations(state.id);
        if (!has) return tl::unexpected(has.error());
        state.had_data = *has;
      } else {
        state.definition = ref.definition;
        if (state.definition.title.empty()) state.definition.title = code;
        auto id = tx_.Upsert(state.definition);
        if (!id) return tl::unexpected(id.error());
        state.id = *id;
        state.definition.id = *id;
        state.created = true;
      }
      indicator_index_.emplace(code, indicators_.size());
      out.push_back(indicators_.size());
      indicators_.push_back(std::move(state));
    }
    // The breakdown dimensions each indicator has in this file.
    const std::size_t breakdown_count = batch.breakdowns.size();
    std::vector<bool> seen(batch.indicators.size() * breakdown_count, false);
    for (const auto& draft : batch.observations) {
      seen[draft.indicator * breakdown_count + draft.breakdown] = true;
    }
    for (std::size_t ind = 0; ind < batch.indicators.size(); ++ind) {
      auto& state = indicators_[out[ind]];
      for (std::size_t bd = 0; bd < breakdown_count; ++bd) {
        if (!seen[ind * breakdown_count + bd]) continue;
        for (const auto& [dimension, category] : batch.breakdowns[bd]) {
          auto& dims = state.definition.dimensions;
          if (std::find(dims.begin(), dims.end(), dimension) == dims.end()) {
            dims.push_back(dimension);
            state.dimensions_changed = true;
          }
        }
      }
    }
    return {};
  }

  Result<void> ResolveBreakdowns(const statsio::StatsBatch& batch, std::vector<Id>& out) {
    for (const auto& breakdown : batch.breakdowns) {
      auto key = BreakdownKey(breakdown);
      auto found = breakdown_ids_.find(key);
      if (found != breakdown_ids_.end()) {
        out.push_back(found->second);
        continue;
      }
      auto id = tx_.InsertBreakdown(key);
      if (!id) return tl::unexpected(id.error());
      breakdown_ids_.emplace(key, *id);
      out.push_back(*id);
    }
    return {};
  }

  // The stored rows of the tables (indicator × period) the batch writes to, for the indicators
  // that have any (stored before this import, or by its earlier files).
  Result<void> LoadStored(const statsio::StatsBatch& batch,
                          const std::vector<std::size_t>& indicators) {
    std::map<std::size_t, std::set<std::int64_t>> periods;
    for (const auto& draft : batch.observations) {
      const auto& state = indicators_[indicators[draft.indicator]];
      if (state.had_data || state.touched)
        periods[indicators[draft.indicator]].insert(draft.period);
    }
    for (const auto& [state, wanted] : periods) {
      if (auto ok = disclosure_.Load(indicators_[state].id, wanted); !ok) return ok;
    }
    return {};
  }

  Transaction& tx_;
  const StatsImportOptions& options_;
  Id import_id_;
  std::map<std::string, Id> area_ids_;
  std::map<std::string, Id> breakdown_ids_;
  std::map<std::string, std::size_t> indicator_index_;
  std::vector<IndicatorState> indicators_;
  std::vector<Problem> problems_;
  std::map<std::string, std::string> unknown_areas_;
  std::vector<std::string> areas_created_;
  Json files_ = Json::array();
  std::int64_t new_ = 0;
  std::int64_t changed_ = 0;
  std::int64_t unchanged_ = 0;
  std::int64_t not_compared_ = 0;
  std::int64_t missing_ = 0;
  std::int64_t suppressed_ = 0;
  std::int64_t stored_now_suppressed_ = 0;
  std::int64_t stored_now_shown_ = 0;
  stats_support::BatchDisclosure disclosure_;
};

// The format of one file: the import's, or with kAuto the one its content shows.
StatsFormat FileFormat(const std::string& text, const std::string& name, StatsFormat format) {
  if (format != StatsFormat::kAuto) return format;
  switch (statsio::DetectStatsFormat(text, name)) {
    case statsio::StatsFileFormat::kKolada:
      return StatsFormat::kKolada;
    case statsio::StatsFileFormat::kJsonStat:
      return StatsFormat::kJsonStat;
    case statsio::StatsFileFormat::kPx:
      return StatsFormat::kPx;
    case statsio::StatsFileFormat::kCsv:
      break;
  }
  return StatsFormat::kCsv;
}

Result<statsio::StatsBatch> ReadBatch(const std::string& text, const std::string& name,
                                      const StatsImportOptions& options,
                                      const statsio::JsonStatMapping* mapping) {
  switch (FileFormat(text, name, options.format)) {
    case StatsFormat::kKolada:
      return statsio::ReadKoladaData(text, name);
    case StatsFormat::kJsonStat:
      return statsio::ReadJsonStat(
          text, name, statsio::JsonStatOptions{mapping, NormalizeAreaCode(options.area)});
    case StatsFormat::kPx:
      return statsio::ReadPx(
          text, name,
          statsio::PxOptions{mapping, NormalizeAreaCode(options.area), options.language});
    case StatsFormat::kCsv:
    case StatsFormat::kAuto:
      break;
  }
  return statsio::ReadStatsCsv(
      text, name, statsio::StatsCsvOptions{options.indicator, NormalizeAreaCode(options.area)});
}

}  // namespace

Result<Json> App::ImportStats(const std::vector<StatsFile>& files,
                              const StatsImportOptions& options, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAnalyst}, "import statistics"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (files.empty()) return Fail(ErrorCode::kInvalidValue, "no files to import");
  std::optional<statsio::JsonStatMapping> mapping;
  // Options that only some formats read; with kAuto they apply to the files they concern.
  const bool tables = options.format == StatsFormat::kJsonStat ||
                      options.format == StatsFormat::kPx || options.format == StatsFormat::kAuto;
  if (!options.language.empty() && options.format != StatsFormat::kPx &&
      options.format != StatsFormat::kAuto) {
    return Fail(ErrorCode::kInvalidValue, "a language is read only with the px format");
  }
  if (!options.mapping.empty()) {
    if (!tables) {
      return Fail(ErrorCode::kInvalidValue,
                  "a mapping file is read only with the jsonstat and px formats");
    }
    auto read = statsio::ReadJsonStatMapping(options.mapping, options.mapping_name);
    if (!read) return tl::unexpected(read.error());
    mapping = std::move(*read);
  }
  if (!options.period.empty()) {
    if (!tables) {
      return Fail(ErrorCode::kInvalidValue,
                  "a period for data without a time dimension is read only with the jsonstat "
                  "and px formats");
    }
    if (!ParsePeriod(options.period)) {
      return Fail(
          ErrorCode::kInvalidValue,
          fmt::format("\"{}\" is not a period (2024, 2024Q1, 2024M01, 2021-2024)", options.period));
    }
    if (!mapping) mapping.emplace();
    if (mapping->period.empty()) mapping->period = options.period;
  }
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  auto rule = stats_support::LoadDisclosureRule(**tx);
  if (!rule) return tl::unexpected(rule.error());
  const auto now = now_();
  Json names = Json::array();
  for (const auto& file : files) names.push_back(file.name);
  auto import_id = (*tx)->Insert(StatsImportRecord{
      0, now, caller.user, std::string(FormatName(options.format)), names.dump(), "{}"});
  if (!import_id) return tl::unexpected(import_id.error());

  Json definitions = nullptr;
  if (!options.definitions.empty()) {
    auto applied =
        stats_support::ApplyCatalogue(**tx, options.definitions, options.definitions_name);
    if (!applied) return tl::unexpected(applied.error());
    if (applied->at("created").get<std::int64_t>() + applied->at("updated").get<std::int64_t>() >
        0) {
      auto ok = stats_support::RecordImport(**tx, "kolada-kpis", options.definitions_name, caller,
                                            now, *applied);
      if (!ok) return tl::unexpected(ok.error());
    }
    definitions = std::move(*applied);
  }

  StatsImporter importer(**tx, options, *import_id, *rule);
  if (auto ok = importer.LoadRegistry(); !ok) return tl::unexpected(ok.error());
  // One file's observation buffer serves the next file's reader (io/stats_batch.hpp), and is
  // freed when the import ends, whichever way it ends.
  struct ReleaseBuffers {
    ~ReleaseBuffers() { statsio::ReleaseRecycledObservations(); }
  } release_buffers;
  std::uint64_t total_bytes = 0;
  for (const auto& file : files) total_bytes += file.size;
  std::uint64_t done_bytes = 0;
  const auto cancelled = [&options]() -> Result<void> {
    if (!options.cancelled || !options.cancelled()) return {};
    return Fail(ErrorCode::kInterrupted, "the import was cancelled: nothing was stored");
  };
  for (const auto& file : files) {
    if (auto ok = cancelled(); !ok) return tl::unexpected(ok.error());
    auto text = file.load();
    if (!text) {
      importer.AddProblems(text.error(), file.name);
      continue;
    }
    auto batch = ReadBatch(*text, file.name, options, mapping ? &*mapping : nullptr);
    text->clear();
    text->shrink_to_fit();
    if (!batch) {
      importer.AddProblems(batch.error(), file.name);
    } else {
      auto progress = [&](std::size_t rows_done, std::size_t rows_total) {
        if (options.progress && rows_total > 0) {
          options.progress(done_bytes + file.size * rows_done / rows_total, total_bytes);
        }
      };
      if (auto ok = importer.Add(*batch, progress); !ok) return tl::unexpected(ok.error());
      statsio::RecycleObservations(std::move(batch->observations));
    }
    done_bytes += file.size;
    if (options.progress) options.progress(done_bytes, total_bytes);
  }
  if (!importer.Problems().empty()) {
    auto error = ProblemsError(importer.Problems(),
                               files.size() == 1 ? files.front().name : "the statistics import");
    if (!importer.UnknownAreas().empty()) {
      error.value().message +=
          " (unknown areas: import the area registry first, or create them with create_areas)";
      Json unknown = Json::array();
      for (const auto& [code, where] : importer.UnknownAreas()) {
        unknown.push_back({{"code", code}, {"pointer", where}});
      }
      error.value().details["unknown_areas"] = std::move(unknown);
    }
    return error;
  }
  if (auto ok = importer.Finish(); !ok) return tl::unexpected(ok.error());
  if (auto ok = cancelled(); !ok) return tl::unexpected(ok.error());
  auto report = importer.Report(options.dry_run, options.format);
  if (!definitions.is_null()) report["definitions"] = std::move(definitions);
  if (options.dry_run) return report;  // the transaction rolls back
  if (auto ok = (*tx)->SetImportReport(*import_id, report.dump()); !ok) {
    return tl::unexpected(ok.error());
  }
  return stats_support::CommitRecorded(**tx, "stats_import", *import_id, caller, now,
                                       std::move(report));
}

}  // namespace halsonav
