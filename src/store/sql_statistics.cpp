// The statistics tables of the store: areas, area groups, indicators, breakdowns, imports,
// observations and settings. Observations are read and written through statements prepared once
// per transaction (store/row_statement.hpp): the bulk import and the area profile run them
// millions and thousands of times, where SOCI's per-call overhead would dominate.

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/postgres_copy.hpp"
#include "store/sql_rows.hpp"
#include "store/sql_transaction.hpp"

namespace halsonav {

namespace {

// Put's and PutAll's answer to a stored row of the same key: replaced, unless the same import
// wrote it (a duplicate).
constexpr std::string_view kObservationConflict =
    "ON CONFLICT (indicator_id, area_id, breakdown_id, period) DO UPDATE SET value = "
    "excluded.value, ci_low = excluded.ci_low, ci_high = excluded.ci_high, numerator = "
    "excluded.numerator, denominator = excluded.denominator, respondents = excluded.respondents, "
    "status = excluded.status, import_id = excluded.import_id WHERE observation.import_id <> "
    "excluded.import_id";

constexpr std::string_view kObservationColumns =
    "indicator_id, area_id, breakdown_id, period, value, ci_low, ci_high, numerator, denominator, "
    "respondents, status, import_id";

ObservationRow ReadObservation(const RowStatement& statement) {
  ObservationRow row;
  row.indicator_id = statement.Int(0);
  row.area_id = statement.Int(1);
  row.breakdown_id = statement.Int(2);
  row.period = statement.Int(3);
  row.value = statement.Real(4);
  row.ci_low = statement.Real(5);
  row.ci_high = statement.Real(6);
  row.numerator = statement.Real(7);
  row.denominator = statement.Real(8);
  row.respondents = statement.Real(9);
  row.status = static_cast<std::uint8_t>(statement.Int(10));
  row.import_id = statement.Int(11);
  return row;
}

std::string DimensionsToText(const std::vector<std::string>& dimensions) {
  return nlohmann::json(dimensions).dump();
}

std::vector<std::string> DimensionsFromText(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_array()) return {};
  std::vector<std::string> out;
  for (const auto& item : json) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

const std::vector<sql::Column>& IndicatorTypes() {
  using C = sql::Column;
  static const std::vector<C> kTypes{C::kInt,  C::kText, C::kText, C::kText, C::kText, C::kText,
                                     C::kText, C::kText, C::kText, C::kText, C::kText, C::kText,
                                     C::kText, C::kInt,  C::kInt,  C::kInt,  C::kInt};
  return kTypes;
}

// `per` is REAL; read as text and parsed, since sql::Query reads only integers and text.
constexpr std::string_view kIndicatorColumns =
    "id, code, title, description, unit, value_type, CAST(per AS TEXT), direction, source, "
    "source_table, source_code, dimensions, operating_area, observations, "
    "coalesce(first_period, 0), coalesce(last_period, 0), coalesce(decimals, -1)";

Indicator ReadIndicator(const sql::Row& row) {
  Indicator out;
  out.id = row.Int(0);
  out.code = row.Text(1);
  out.title = row.Text(2);
  out.description = row.Text(3);
  out.unit = row.Text(4);
  out.value_type = ParseEnum<ValueType>(row.Text(5)).value_or(ValueType::kOther);
  out.per = std::strtod(row.Text(6).c_str(), nullptr);
  out.direction = ParseEnum<Direction>(row.Text(7)).value_or(Direction::kNone);
  out.source = ParseEnum<IndicatorSource>(row.Text(8)).value_or(IndicatorSource::kOwn);
  out.source_table = row.Text(9);
  out.source_code = row.Text(10);
  out.dimensions = DimensionsFromText(row.Text(11));
  out.operating_area = row.Text(12);
  out.observations = row.Int(13);
  out.first_period = row.Int(14);
  out.last_period = row.Int(15);
  if (row.Int(16) >= 0) out.decimals = static_cast<int>(row.Int(16));
  return out;
}

}  // namespace

struct SqlTransaction::Statements {
  explicit Statements(soci::session& session)
      : put(PrepareRowStatement(
            session, fmt::format("INSERT INTO observation ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                 "?8, ?9, ?10, ?11, ?12) {}",
                                 kObservationColumns, kObservationConflict))),
        set_status(PrepareRowStatement(
            session,
            "UPDATE observation SET status = ?5 WHERE indicator_id = ?1 AND area_id = ?2 AND "
            "breakdown_id = ?3 AND period = ?4")),
        find(PrepareRowStatement(
            session, fmt::format("SELECT {} FROM observation WHERE indicator_id = ?1 AND "
                                 "area_id = ?2 AND breakdown_id = ?3 AND period = ?4",
                                 kObservationColumns))),
        latest(PrepareRowStatement(session,
                                   "SELECT max(period) FROM observation WHERE indicator_id = ?1 "
                                   "AND area_id = ?2 AND breakdown_id = ?3")),
        recent(PrepareRowStatement(
            session, fmt::format("SELECT {} FROM observation WHERE indicator_id = ?1 AND "
                                 "area_id = ?2 AND breakdown_id = ?3 ORDER BY period DESC "
                                 "LIMIT ?4",
                                 kObservationColumns))),
        by_indicator(PrepareRowStatement(
            session, fmt::format("SELECT {} FROM observation WHERE indicator_id = ?1 ORDER BY "
                                 "area_id, breakdown_id, period",
                                 kObservationColumns))),
        by_area(PrepareRowStatement(
            session, fmt::format("SELECT {} FROM observation WHERE indicator_id = ?1 AND "
                                 "area_id = ?2 ORDER BY breakdown_id, period",
                                 kObservationColumns))) {}
  std::unique_ptr<RowStatement> put;
  std::unique_ptr<RowStatement> set_status;
  std::unique_ptr<RowStatement> find;
  std::unique_ptr<RowStatement> latest;
  std::unique_ptr<RowStatement> recent;
  std::unique_ptr<RowStatement> by_indicator;
  std::unique_ptr<RowStatement> by_area;
};

SqlTransaction::Statements& SqlTransaction::Stats() {
  if (!statements_) statements_ = std::make_shared<Statements>(session_);
  return *statements_;
}

// ---- Areas and groups --------------------------------------------------------------------------

Result<std::vector<Area>> SqlTransaction::Areas() {
  std::vector<Area> out;
  using C = sql::Column;
  Q("SELECT id, code, name, kind, county_code FROM area ORDER BY code")
      .ForEach({C::kInt, C::kText, C::kText, C::kText, C::kText}, [&](const sql::Row& row) {
        out.push_back(Area{row.Int(0), row.Text(1), row.Text(2),
                           ParseEnum<AreaKind>(row.Text(3)).value_or(AreaKind::kOther),
                           row.Text(4)});
      });
  return out;
}

Result<Id> SqlTransaction::Upsert(const Area& area) {
  auto query = Q("INSERT INTO area (code, name, kind, county_code) VALUES (");
  query.Param(area.code).Sql(", ").Param(area.name).Sql(", ");
  query.Param(std::string(ToString(area.kind))).Sql(", ").Param(area.county_code);
  query.Sql(
      ") ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
      "county_code = excluded.county_code RETURNING id");
  return *query.ScalarInt();
}

Result<std::vector<AreaGroup>> SqlTransaction::AreaGroups() {
  std::vector<AreaGroup> out;
  std::map<Id, std::size_t> by_id;
  using C = sql::Column;
  Q("SELECT id, code, title, source FROM area_group ORDER BY code")
      .ForEach({C::kInt, C::kText, C::kText, C::kText}, [&](const sql::Row& row) {
        by_id[row.Int(0)] = out.size();
        out.push_back(AreaGroup{row.Int(0), row.Text(1), row.Text(2), row.Text(3), {}});
      });
  Q("SELECT m.group_id, a.code FROM area_group_member m JOIN area a ON a.id = m.area_id "
    "ORDER BY m.group_id, m.ord")
      .ForEach({C::kInt, C::kText}, [&](const sql::Row& row) {
        out[by_id.at(row.Int(0))].members.push_back(row.Text(1));
      });
  return out;
}

Result<Id> SqlTransaction::Upsert(const AreaGroup& group) {
  // The members' ids in one query, and the members in one insert: Kolada's 3,630 groups (26,573
  // members) are loaded with every new database, so a statement per member would cost seconds.
  std::map<std::string, Id> area_ids;
  using C = sql::Column;
  if (!group.members.empty()) {
    auto lookup = Q("SELECT code, id FROM area WHERE code IN (");
    for (std::size_t idx = 0; idx < group.members.size(); ++idx) {
      lookup.Sql(idx == 0 ? "" : ", ").Param(group.members[idx]);
    }
    lookup.Sql(")").ForEach({C::kText, C::kInt}, [&](const sql::Row& row) {
      area_ids.emplace(row.Text(0), row.Int(1));
    });
  }
  for (std::size_t idx = 0; idx < group.members.size(); ++idx) {
    if (!area_ids.contains(group.members[idx])) {
      return Fail(ErrorCode::kReferenceNotFound,
                  fmt::format("area group {}: member {} is not in the area registry", group.code,
                              group.members[idx]),
                  {{"field", fmt::format("/members/{}", idx)}});
    }
  }
  auto query = Q("INSERT INTO area_group (code, title, source) VALUES (");
  query.Param(group.code).Sql(", ").Param(group.title).Sql(", ").Param(group.source);
  query.Sql(
      ") ON CONFLICT (code) DO UPDATE SET title = excluded.title, source = excluded.source "
      "RETURNING id");
  const Id id = *query.ScalarInt();
  Q("DELETE FROM area_group_member WHERE group_id = ").Param(id).Execute();
  if (group.members.empty()) return id;
  std::set<Id> seen;
  std::int64_t ord = 0;
  auto members = Q("INSERT INTO area_group_member (group_id, area_id, ord) VALUES ");
  for (const auto& code : group.members) {
    const Id area_id = area_ids.at(code);
    if (!seen.insert(area_id).second) continue;  // a member listed twice is one member
    members.Sql(ord == 0 ? "(" : ", (").Param(id).Sql(", ").Param(area_id).Sql(", ");
    members.Param(ord++).Sql(")");
  }
  members.Execute();
  return id;
}

Result<bool> SqlTransaction::DeleteAreaGroup(const std::string& code) {
  auto id = Q("SELECT id FROM area_group WHERE code = ").Param(code).ScalarInt();
  if (!id) return false;
  Q("DELETE FROM area_group_member WHERE group_id = ").Param(*id).Execute();
  Q("DELETE FROM area_group WHERE id = ").Param(*id).Execute();
  return true;
}

// ---- Indicators --------------------------------------------------------------------------------

Result<std::optional<Indicator>> SqlTransaction::FindIndicator(const std::string& code) {
  std::optional<Indicator> out;
  Q(fmt::format("SELECT {} FROM indicator WHERE code = ", kIndicatorColumns))
      .Param(code)
      .ForEach(IndicatorTypes(), [&](const sql::Row& row) { out = ReadIndicator(row); });
  return out;
}

Result<Id> SqlTransaction::Upsert(const Indicator& indicator) {
  auto query = Q(
      "INSERT INTO indicator (code, title, description, unit, value_type, per, direction, source, "
      "source_table, source_code, dimensions, operating_area, decimals) VALUES (");
  query.Param(indicator.code).Sql(", ").Param(indicator.title).Sql(", ");
  query.Param(indicator.description).Sql(", ").Param(indicator.unit).Sql(", ");
  query.Param(std::string(ToString(indicator.value_type))).Sql(", ");
  query.Sql(fmt::format("{}", indicator.per)).Sql(", ");
  query.Param(std::string(ToString(indicator.direction))).Sql(", ");
  query.Param(std::string(ToString(indicator.source))).Sql(", ");
  query.Param(indicator.source_table).Sql(", ").Param(indicator.source_code).Sql(", ");
  query.Param(DimensionsToText(indicator.dimensions)).Sql(", ").Param(indicator.operating_area);
  query.Sql(", ").Sql(indicator.decimals ? fmt::format("{}", *indicator.decimals) : "NULL");
  query.Sql(
      ") ON CONFLICT (code) DO UPDATE SET title = excluded.title, description = "
      "excluded.description, unit = excluded.unit, value_type = excluded.value_type, per = "
      "excluded.per, direction = excluded.direction, source = excluded.source, source_table = "
      "excluded.source_table, source_code = excluded.source_code, dimensions = "
      "excluded.dimensions, operating_area = excluded.operating_area, decimals = "
      "excluded.decimals RETURNING id");
  const Id id = *query.ScalarInt();
  if (backend_ == Backend::kPostgres) {
    auto fts = Q("INSERT INTO indicator_fts (id, document) VALUES (").Param(id);
    fts.Sql(", to_tsvector('simple', ")
        .Param(rows::FtsDocument(
            {indicator.code, indicator.title, indicator.description, indicator.operating_area}))
        .Sql(")) ON CONFLICT (id) DO UPDATE SET document = excluded.document")
        .Execute();
    return id;
  }
  Q("DELETE FROM indicator_fts WHERE rowid = ").Param(id).Execute();
  auto fts =
      Q("INSERT INTO indicator_fts (rowid, code, title, description, operating_area) "
        "VALUES (");
  fts.Param(id).Sql(", ").Param(indicator.code).Sql(", ").Param(indicator.title).Sql(", ");
  fts.Param(indicator.description).Sql(", ").Param(indicator.operating_area).Sql(")").Execute();
  return id;
}

Result<Page<Indicator>> SqlTransaction::List(const IndicatorFilter& filter,
                                             const PageRequest& page) {
  auto where = [&](sql::Query& query) {
    query.Sql(" WHERE TRUE");
    if (const auto fts = rows::FtsQuery(filter.text, backend_); !fts.empty()) {
      query
          .Sql(backend_ == Backend::kSqlite
                   ? " AND id IN (SELECT rowid FROM indicator_fts WHERE indicator_fts MATCH "
                   : " AND id IN (SELECT id FROM indicator_fts WHERE document @@ "
                     "to_tsquery('simple', ")
          .Param(fts)
          .Sql(backend_ == Backend::kSqlite ? ")" : "))");
    } else if (!filter.text.empty()) {
      query.Sql(" AND FALSE");
    }
    if (filter.source) query.Sql(" AND source = ").Param(std::string(ToString(*filter.source)));
    if (filter.has_data)
      query.Sql(*filter.has_data ? " AND observations > 0" : " AND observations = 0");
  };
  Page<Indicator> out;
  auto count = Q("SELECT count(*) FROM indicator");
  where(count);
  out.total = count.ScalarInt().value_or(0);
  auto query = Q(fmt::format("SELECT {} FROM indicator", kIndicatorColumns));
  where(query);
  // With a search, codes that match exactly come first; then indicators with data, by code.
  query.Sql(" ORDER BY code = ").Param(filter.text);
  query.Sql(" DESC, observations > 0 DESC, code LIMIT ").Param(page.limit);
  query.Sql(" OFFSET ").Param(page.offset);
  query.ForEach(IndicatorTypes(),
                [&](const sql::Row& row) { out.items.push_back(ReadIndicator(row)); });
  return out;
}

Result<void> SqlTransaction::RefreshIndicatorSummary(Id indicator_id) {
  auto query =
      Q("UPDATE indicator SET (observations, first_period, last_period) = (SELECT "
        "count(*), min(period), max(period) FROM observation WHERE indicator_id = ");
  query.Param(indicator_id).Sql(") WHERE id = ").Param(indicator_id).Execute();
  return {};
}

// ---- Breakdowns and imports --------------------------------------------------------------------

Result<std::vector<std::pair<Id, std::string>>> SqlTransaction::Breakdowns() {
  std::vector<std::pair<Id, std::string>> out;
  Q("SELECT id, key FROM breakdown ORDER BY id")
      .ForEach({sql::Column::kInt, sql::Column::kText},
               [&](const sql::Row& row) { out.emplace_back(row.Int(0), row.Text(1)); });
  return out;
}

Result<Id> SqlTransaction::InsertBreakdown(const std::string& key) {
  return *Q("INSERT INTO breakdown (key) VALUES (").Param(key).Sql(") RETURNING id").ScalarInt();
}

Result<Id> SqlTransaction::Insert(const StatsImportRecord& record) {
  auto query = Q("INSERT INTO stats_import (at, \"user\", format, files, report) VALUES (");
  query.Param(record.at).Sql(", ").Param(record.user).Sql(", ").Param(record.format).Sql(", ");
  query.Param(record.files).Sql(", ").Param(record.report).Sql(") RETURNING id");
  return *query.ScalarInt();
}

Result<void> SqlTransaction::SetImportReport(Id import_id, const std::string& report) {
  Q("UPDATE stats_import SET report = ")
      .Param(report)
      .Sql(" WHERE id = ")
      .Param(import_id)
      .Execute();
  return {};
}

Result<std::vector<StatsImportRecord>> SqlTransaction::StatsImports(std::int64_t limit) {
  std::vector<StatsImportRecord> out;
  using C = sql::Column;
  Q("SELECT id, at, \"user\", format, files, report FROM stats_import ORDER BY id DESC LIMIT ")
      .Param(limit)
      .ForEach({C::kInt, C::kText, C::kText, C::kText, C::kText, C::kText},
               [&](const sql::Row& row) {
                 out.push_back(StatsImportRecord{row.Int(0), row.Text(1), row.Text(2), row.Text(3),
                                                 row.Text(4), row.Text(5)});
               });
  return out;
}

// ---- Observations ------------------------------------------------------------------------------

Result<bool> SqlTransaction::HasObservations(Id indicator_id) {
  return Q("SELECT EXISTS (SELECT 1 FROM observation WHERE indicator_id = ")
             .Param(indicator_id)
             .Sql(")")
             .ScalarInt()
             .value_or(0) != 0;
}

Result<void> SqlTransaction::ForEachObservation(
    Id indicator_id, const std::function<void(const ObservationRow&)>& on_row) {
  auto& statement = *Stats().by_indicator;
  statement.Bind(1, indicator_id);
  while (statement.Step()) on_row(ReadObservation(statement));
  statement.Reset();
  return {};
}

Result<bool> SqlTransaction::Put(const ObservationRow& row) {
  auto& statement = *Stats().put;
  statement.Bind(1, row.indicator_id);
  statement.Bind(2, row.area_id);
  statement.Bind(3, row.breakdown_id);
  statement.Bind(4, row.period);
  statement.Bind(5, row.value);
  statement.Bind(6, row.ci_low);
  statement.Bind(7, row.ci_high);
  statement.Bind(8, row.numerator);
  statement.Bind(9, row.denominator);
  statement.Bind(10, row.respondents);
  statement.Bind(11, static_cast<std::int64_t>(row.status));
  statement.Bind(12, row.import_id);
  statement.Step();
  const bool written = statement.Changes() > 0;
  statement.Reset();
  return written;
}

Result<void> SqlTransaction::PutAll(const std::vector<ObservationRow>& rows) {
  if (backend_ == Backend::kPostgres) {
    CopyObservations(session_, rows, kObservationColumns, kObservationConflict);
    return {};
  }
  for (const auto& row : rows) {
    if (auto ok = Put(row); !ok) return tl::unexpected(ok.error());
  }
  return {};
}

Result<void> SqlTransaction::SetObservationStatus(const ObservationRow& row) {
  auto& statement = *Stats().set_status;
  statement.Bind(1, row.indicator_id);
  statement.Bind(2, row.area_id);
  statement.Bind(3, row.breakdown_id);
  statement.Bind(4, row.period);
  statement.Bind(5, static_cast<std::int64_t>(row.status));
  statement.Step();
  statement.Reset();
  return {};
}

Result<std::vector<ObservationRow>> SqlTransaction::Observations(const ObservationQuery& query,
                                                                 std::size_t limit,
                                                                 bool& truncated) {
  std::vector<ObservationRow> out;
  truncated = false;
  const std::set<Id> breakdowns(query.breakdown_ids.begin(), query.breakdown_ids.end());
  const std::set<std::int64_t> periods(query.periods.begin(), query.periods.end());
  auto keep = [&](const ObservationRow& row) {
    if (!breakdowns.empty() && !breakdowns.contains(row.breakdown_id)) return false;
    if (!periods.empty() && !periods.contains(row.period)) return false;
    if (query.from_period && row.period < *query.from_period) return false;
    if (query.to_period && row.period > *query.to_period) return false;
    return true;
  };
  // Each area is a range of the key; without areas, the whole indicator is one range.
  auto read = [&](RowStatement& statement) {
    while (statement.Step()) {
      auto row = ReadObservation(statement);
      if (!keep(row)) continue;
      if (out.size() == limit) {
        truncated = true;
        break;
      }
      out.push_back(row);
    }
    statement.Reset();
  };
  if (query.area_ids.empty()) {
    auto& statement = *Stats().by_indicator;
    statement.Bind(1, query.indicator_id);
    read(statement);
  } else {
    auto& statement = *Stats().by_area;
    for (const Id area_id : query.area_ids) {
      statement.Bind(1, query.indicator_id);
      statement.Bind(2, area_id);
      read(statement);
      if (truncated) break;
    }
  }
  return out;
}

Result<std::optional<ObservationRow>> SqlTransaction::FindObservation(Id indicator_id, Id area_id,
                                                                      Id breakdown_id,
                                                                      std::int64_t period) {
  auto& statement = *Stats().find;
  statement.Bind(1, indicator_id);
  statement.Bind(2, area_id);
  statement.Bind(3, breakdown_id);
  statement.Bind(4, period);
  std::optional<ObservationRow> out;
  if (statement.Step()) out = ReadObservation(statement);
  statement.Reset();
  return out;
}

Result<std::optional<std::int64_t>> SqlTransaction::LatestPeriod(Id indicator_id, Id area_id,
                                                                 Id breakdown_id) {
  auto& statement = *Stats().latest;
  statement.Bind(1, indicator_id);
  statement.Bind(2, area_id);
  statement.Bind(3, breakdown_id);
  std::optional<std::int64_t> out;
  if (statement.Step() && !statement.IsNull(0)) out = statement.Int(0);
  statement.Reset();
  return out;
}

Result<std::vector<ObservationRow>> SqlTransaction::RecentObservations(Id indicator_id, Id area_id,
                                                                       Id breakdown_id,
                                                                       std::size_t count) {
  auto& statement = *Stats().recent;
  statement.Bind(1, indicator_id);
  statement.Bind(2, area_id);
  statement.Bind(3, breakdown_id);
  statement.Bind(4, static_cast<std::int64_t>(count));
  std::vector<ObservationRow> out;
  while (statement.Step()) out.push_back(ReadObservation(statement));
  statement.Reset();
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<std::int64_t>> SqlTransaction::PeriodsWithValues(
    Id indicator_id, const std::optional<std::string>& area_kind) {
  // Shown: a value, and none of the flags that blank it (missing, suppressed here or at source).
  constexpr std::int64_t kHidden = kObservationMissing | kObservationSuppressed |
                                   kObservationSourceSuppressed | kObservationHeld;
  auto query = Q("SELECT DISTINCT period FROM observation WHERE indicator_id = ");
  query.Param(indicator_id).Sql(" AND value IS NOT NULL AND (status & ").Param(kHidden);
  query.Sql(") = 0");
  if (area_kind) {
    query.Sql(" AND area_id IN (SELECT id FROM area WHERE kind = ").Param(*area_kind).Sql(")");
  }
  query.Sql(" ORDER BY period");
  std::vector<std::int64_t> out;
  query.ForEach({sql::Column::kInt}, [&](const sql::Row& row) { out.push_back(row.Int(0)); });
  return out;
}

// ---- Area geometries ---------------------------------------------------------------------------

Result<std::vector<AreaGeometry>> SqlTransaction::AreaGeometries() {
  std::vector<AreaGeometry> out;
  using C = sql::Column;
  // The box is REAL, read as text (sql::Query reads integers and text); SQLite writes 15
  // significant digits, more than the 5 decimals stored.
  Q("SELECT area_id, geometry, CAST(west AS TEXT), CAST(south AS TEXT), CAST(east AS TEXT), "
    "CAST(north AS TEXT), import_id, imported_at FROM area_geometry ORDER BY area_id")
      .ForEach({C::kInt, C::kText, C::kText, C::kText, C::kText, C::kText, C::kInt, C::kText},
               [&](const sql::Row& row) {
                 out.push_back(AreaGeometry{
                     row.Int(0), row.Text(1), std::strtod(row.Text(2).c_str(), nullptr),
                     std::strtod(row.Text(3).c_str(), nullptr),
                     std::strtod(row.Text(4).c_str(), nullptr),
                     std::strtod(row.Text(5).c_str(), nullptr), row.Int(6), row.Text(7)});
               });
  return out;
}

Result<void> SqlTransaction::Put(const AreaGeometry& geometry) {
  auto query =
      Q("INSERT INTO area_geometry (area_id, geometry, west, south, east, north, import_id, "
        "imported_at) VALUES (");
  query.Param(geometry.area_id).Sql(", ").Param(geometry.geometry);
  // Doubles as SQL literals: printed to round-trip exactly (sql::Query binds integers and text).
  query.Sql(fmt::format(", {}, {}, {}, {}, ", geometry.west, geometry.south, geometry.east,
                        geometry.north));
  query.Param(geometry.import_id).Sql(", ").Param(geometry.imported_at);
  query.Sql(
      ") ON CONFLICT (area_id) DO UPDATE SET geometry = excluded.geometry, west = excluded.west, "
      "south = excluded.south, east = excluded.east, north = excluded.north, import_id = "
      "excluded.import_id, imported_at = excluded.imported_at");
  query.Execute();
  return {};
}

// ---- Settings ----------------------------------------------------------------------------------

Result<std::optional<std::string>> SqlTransaction::Setting(const std::string& key) {
  std::optional<std::string> out;
  Q("SELECT value FROM setting WHERE key = ")
      .Param(key)
      .ForEach({sql::Column::kText}, [&](const sql::Row& row) { out = row.Text(0); });
  return out;
}

Result<void> SqlTransaction::SetSetting(const std::string& key, const std::string& value) {
  Q("INSERT INTO setting (key, value) VALUES (")
      .Param(key)
      .Sql(", ")
      .Param(value)
      .Sql(") ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .Execute();
  return {};
}

}  // namespace halsonav
