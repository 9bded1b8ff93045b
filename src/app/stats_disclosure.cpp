// Disclosure control over what is stored (docs/METHODS.md, "Disclosure control"): the lines
// across areas that the registry gives, the input cell of a stored observation, and the rule's
// use cases: reading it, and changing it (admins, audited), which re-applies it to every stored
// observation.

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/account_support.hpp"
#include "app/app.hpp"
#include "app/stats_support.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace stats_support {

std::vector<stats::AreaLine> AreaLines(const std::vector<Area>& areas) {
  std::map<std::string, stats::AreaLine> regions;
  std::optional<Id> country;
  for (const Area& area : areas) {
    if (area.kind == AreaKind::kRegion) regions[area.code].total = area.id;
    if (area.kind == AreaKind::kCountry && area.code == "0000") country = area.id;
  }
  stats::AreaLine by_region;
  stats::AreaLine by_municipality;
  for (const Area& area : areas) {
    if (area.kind != AreaKind::kMunicipality) continue;
    by_municipality.parts.push_back(area.id);
    const auto region = regions.find(area.county_code);
    if (region != regions.end()) region->second.parts.push_back(area.id);
  }
  std::vector<stats::AreaLine> out;
  for (auto& [code, line] : regions) {
    by_region.parts.push_back(line.total);
    if (!line.parts.empty()) out.push_back(std::move(line));
  }
  if (country) {
    by_region.total = *country;
    by_municipality.total = *country;
    if (!by_region.parts.empty()) out.push_back(std::move(by_region));
    if (!by_municipality.parts.empty()) out.push_back(std::move(by_municipality));
  }
  return out;
}

stats::DisclosureCell StoredCell(const Breakdown* breakdown, Id area, double numerator,
                                 double respondents, std::uint8_t status) {
  return stats::DisclosureCell{
      .breakdown = breakdown,
      .numerator = numerator,
      .respondents = respondents,
      .suppressed = (status & (kObservationSourceSuppressed | kObservationHeld)) != 0,
      .area = area,
      .missing = (status & kObservationMissing) != 0};
}

Result<void> BatchDisclosure::Load(Id indicator_id, const std::set<std::int64_t>& periods) {
  return tx_.ForEachObservation(indicator_id, [&](const ObservationRow& row) {
    if (periods.contains(row.period)) stored_.emplace(KeyOf(row), row);
  });
}

const ObservationRow* BatchDisclosure::Stored(const ObservationRow& row) const {
  const auto found = stored_.find(KeyOf(row));
  return found == stored_.end() ? nullptr : &found->second;
}

// A figure without counts (and not suppressed by its source) replacing one that the rule
// suppressed, or that was held: nothing says the few people behind it became more.
bool BatchDisclosure::Held(const statsio::ObservationDraft& draft,
                           const ObservationRow& stored) const {
  if (Present(draft.numerator) || Present(draft.respondents)) return false;
  if ((draft.status & kObservationSourceSuppressed) != 0) return false;
  if ((stored.status & kObservationHeld) != 0) return true;
  return (stored.status & kObservationSuppressed) != 0 &&
         stats::BelowRule(stored.numerator, stored.respondents, rule_);
}

Result<std::vector<const ObservationRow*>> BatchDisclosure::Others(statsio::StatsBatch& batch,
                                                                   const std::vector<Key>& keys) {
  std::vector<const ObservationRow*> others;
  if (stored_.empty()) return others;
  auto breakdowns = LoadBreakdowns(tx_);
  if (!breakdowns) return tl::unexpected(breakdowns.error());
  breakdowns_ = std::move(*breakdowns);
  const std::set<Key> replaced(keys.begin(), keys.end());
  for (std::size_t idx = 0; idx < keys.size(); ++idx) {
    const auto stored = stored_.find(keys[idx]);
    auto& draft = batch.observations[idx];
    if (stored != stored_.end() && Held(draft, stored->second)) draft.status |= kObservationHeld;
  }
  for (const auto& [key, row] : stored_) {
    if (!replaced.contains(key)) others.push_back(&row);
  }
  return others;
}

Result<std::vector<ObservationRow>> BatchDisclosure::Apply(statsio::StatsBatch& batch,
                                                           const std::vector<Id>& areas,
                                                           const std::vector<Id>& indicator_ids,
                                                           const std::vector<Id>& breakdowns) {
  auto& drafts = batch.observations;
  bool needed = false;
  for (auto& draft : drafts) {
    if ((draft.status & kObservationSuppressed) != 0) {
      draft.status |= kObservationSourceSuppressed;
      needed = true;
    }
    needed = needed || Present(draft.numerator) || Present(draft.respondents);
  }
  for (const auto& [key, row] : stored_) {
    needed = needed || (row.status & kObservationSuppressed) != 0;
  }
  std::vector<ObservationRow> changes;
  if (!needed) return changes;
  if (!area_lines_) {
    auto registry = tx_.Areas();
    if (!registry) return tl::unexpected(registry.error());
    area_lines_ = AreaLines(*registry);
  }
  std::vector<Key> keys;
  if (!stored_.empty()) {
    keys.reserve(drafts.size());
    for (const auto& draft : drafts) {
      keys.emplace_back(indicator_ids[draft.indicator], areas[draft.area],
                        breakdowns[draft.breakdown], draft.period);
    }
  }
  auto others = Others(batch, keys);
  if (!others) return tl::unexpected(others.error());
  const std::size_t batch_size = drafts.size();
  SuppressByTable(
      batch_size + others->size(), rule_, *area_lines_,
      [&](std::size_t idx) {
        if (idx < batch_size) {
          return std::pair(indicator_ids[drafts[idx].indicator], drafts[idx].period);
        }
        const ObservationRow& row = *(*others)[idx - batch_size];
        return std::pair(row.indicator_id, row.period);
      },
      [&](std::size_t idx) {
        if (idx < batch_size) {
          const auto& draft = drafts[idx];
          return StoredCell(&batch.breakdowns[draft.breakdown], areas[draft.area], draft.numerator,
                            draft.respondents, draft.status);
        }
        const ObservationRow& row = *(*others)[idx - batch_size];
        return StoredCell(&breakdowns_[row.breakdown_id], row.area_id, row.numerator,
                          row.respondents, row.status);
      },
      [&](std::size_t idx, bool suppressed) {
        if (idx < batch_size) {
          if (suppressed) drafts[idx].status |= kObservationSuppressed;
          return;
        }
        ObservationRow row = *(*others)[idx - batch_size];
        const auto status = WithSuppression(row.status, suppressed);
        if (status == row.status) return;
        row.status = status;
        changes.push_back(row);
      });
  return changes;
}

}  // namespace stats_support

namespace {

struct Reapplied {
  std::int64_t changed = 0;
  std::int64_t suppressed = 0;
};

// The rule applied anew to every stored observation, table by table (indicator × period, across
// areas); rows whose suppression changes are written under the rule's import record.
Result<Reapplied> ReapplyRule(Transaction& tx, const stats::DisclosureRule& rule, Id import_id) {
  auto breakdowns = stats_support::LoadBreakdowns(tx);
  if (!breakdowns) return tl::unexpected(breakdowns.error());
  auto areas = tx.Areas();
  if (!areas) return tl::unexpected(areas.error());
  const auto area_lines = stats_support::AreaLines(*areas);
  auto indicators = tx.List(IndicatorFilter{{}, std::nullopt, true}, PageRequest{1000000, 0});
  if (!indicators) return tl::unexpected(indicators.error());
  Reapplied out;
  std::vector<ObservationRow> rows;
  for (const auto& indicator : indicators->items) {
    rows.clear();
    if (auto ok = tx.ForEachObservation(indicator.id,
                                        [&](const ObservationRow& row) { rows.push_back(row); });
        !ok) {
      return tl::unexpected(ok.error());
    }
    std::optional<Error> failed;
    stats_support::SuppressByTable(
        rows.size(), rule, area_lines, [&](std::size_t idx) { return rows[idx].period; },
        [&](std::size_t idx) {
          const auto& row = rows[idx];
          return stats_support::StoredCell(&(*breakdowns)[row.breakdown_id], row.area_id,
                                           row.numerator, row.respondents, row.status);
        },
        [&](std::size_t idx, bool suppress) {
          auto row = rows[idx];
          const auto status = stats_support::WithSuppression(row.status, suppress);
          if (suppress) ++out.suppressed;
          if (status == row.status || failed) return;
          row.status = status;
          row.import_id = import_id;
          if (auto ok = tx.Put(row); !ok) failed = ok.error();
          ++out.changed;
        });
    if (failed) return tl::unexpected(*failed);
  }
  return out;
}

// The body of PUT /disclosure: {"min_count": 0..1000}, nothing else.
Result<stats::DisclosureRule> ReadRule(const Json& body) {
  if (!body.is_object()) {
    return Fail(ErrorCode::kWrongType, "the body must be object",
                {{"field", ""}, {"expected", "object"}});
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "min_count") {
      return Fail(ErrorCode::kUnknownField,
                  fmt::format("/{} is not a field of the disclosure rule", key),
                  {{"field", "/" + key}});
    }
  }
  auto it = body.find("min_count");
  if (it == body.end()) {
    return Fail(ErrorCode::kMissingField, "/min_count is required", {{"field", "/min_count"}});
  }
  if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1000) {
    return Fail(ErrorCode::kInvalidValue,
                "/min_count must be a number from 0 (no suppression) to 1000",
                {{"field", "/min_count"}});
  }
  return stats::DisclosureRule{it->get<double>()};
}

}  // namespace

Result<Json> App::DisclosureRule() {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto rule = stats_support::LoadDisclosureRule(**tx);
  if (!rule) return tl::unexpected(rule.error());
  return Json{{"min_count", rule->min_count}};
}

Result<Json> App::SetDisclosureRule(const Json& body, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAdmin}, "change the disclosure rule"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto rule = ReadRule(body);
  if (!rule) return tl::unexpected(rule.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = (*tx)->SetSetting(std::string(stats_support::kDisclosureSetting),
                                  fmt::format("{}", rule->min_count));
      !ok) {
    return tl::unexpected(ok.error());
  }
  const auto now = now_();
  auto import_id = (*tx)->Insert(StatsImportRecord{0, now, caller.user, "disclosure", "[]", "{}"});
  if (!import_id) return tl::unexpected(import_id.error());
  auto reapplied = ReapplyRule(**tx, *rule, *import_id);
  if (!reapplied) return tl::unexpected(reapplied.error());
  Json report{{"min_count", rule->min_count},
              {"observations_changed", reapplied->changed},
              {"observations_suppressed", reapplied->suppressed}};
  if (auto ok = (*tx)->SetImportReport(*import_id, report.dump()); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = account_support::Audit(**tx, now, "setting_changed", caller,
                                       std::string(stats_support::kDisclosureSetting), report);
      !ok) {
    return tl::unexpected(ok.error());
  }
  return stats_support::CommitRecorded(**tx, "disclosure_rule", *import_id, caller, now,
                                       std::move(report));
}

}  // namespace halsonav
