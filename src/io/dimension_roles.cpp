#include "io/dimension_roles.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "core/text.hpp"

namespace halsonav::statsio {
namespace {

// The role a dimension's id implies ("Tid", "Region", "ContentsCode"…), if any.
std::optional<DimensionRole> DefaultRole(std::string_view id) {
  const std::string lower = LowerCase(id);
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
  const std::string lower = LowerCase(id);
  static constexpr std::array<std::string_view, 7> kIds{"kon",     "kön",   "sex", "gender",
                                                        "genders", "sexes", "kön_"};
  return std::find(kIds.begin(), kIds.end(), lower) != kIds.end();
}

std::optional<std::string_view> SexOf(const SourceCategory& category) {
  if (!category.label.empty()) {
    if (auto sex = NormalizeSex(category.label)) return sex;
  }
  return NormalizeSex(category.code);
}

// "0180 Stockholm" → "Stockholm": PX-Web labels often repeat the code.
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

const DimensionMapping* MappingFor(const JsonStatMapping* mapping, std::string_view id) {
  if (mapping == nullptr) return nullptr;
  auto it = mapping->dimensions.find(std::string(id));
  return it == mapping->dimensions.end() ? nullptr : &it->second;
}

// Everything PlanTable's steps share.
struct Planner {
  const SourceTable& table;
  const PlanOptions& options;
  ProblemList& problems;
  StatsBatchBuilder& builder;
  TablePlan& plan;
  std::string table_code;                    // the table id in indicator codes
  std::vector<std::string> breakdown_names;  // sorted once the breakdowns are planned
  std::string value_part_unit;               // the unit of the parts' value category
  std::optional<int> value_part_decimals;    // and its decimals

  const DimensionMapping* MappingOf(std::size_t dim_idx) const {
    return MappingFor(options.mapping, table.dimensions[dim_idx].id);
  }
};

// The roles: the mapping, then the file's role, then the id. The first dimension of a role
// (mapping first, then in the file's role order, then in id order) is it; any further geo,
// time or metric dimension becomes a breakdown. false for two parts dimensions.
bool AssignRoles(Planner& planner, std::vector<std::optional<DimensionRole>>& role) {
  const auto& dims = planner.table.dimensions;
  const std::size_t count = dims.size();
  role.assign(count, std::nullopt);
  std::vector<int> rank(count, 0);
  for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
    if (const auto* dim_mapping = planner.MappingOf(dim_idx); dim_mapping && dim_mapping->role) {
      role[dim_idx] = dim_mapping->role;
      rank[dim_idx] = static_cast<int>(dim_idx);
    } else if (dims[dim_idx].file_role) {
      role[dim_idx] = dims[dim_idx].file_role;
      rank[dim_idx] = 1000 + dims[dim_idx].file_role_rank;
    } else {
      role[dim_idx] = DefaultRole(dims[dim_idx].id);
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
      if (role[dim_idx] != wanted || dim_idx == *best) continue;
      if (wanted == DimensionRole::kParts) {
        planner.problems.Add(dims[dim_idx].place,
                             "only one dimension can hold the parts of a value");
        return false;
      }
      role[dim_idx] = DimensionRole::kBreakdown;
    }
  }
  return true;
}

// Whether a breakdown dimension is sex: by its id, its categories or the mapping's name.
bool IsSexDimension(const SourceDimension& dim, const DimensionMapping* dim_mapping) {
  bool all_sex = !dim.categories.empty() &&
                 std::all_of(dim.categories.begin(), dim.categories.end(),
                             [&](const SourceCategory& category) {
                               return category.label.empty() ? NormalizeSex(category.code)
                                                             : NormalizeSex(category.label);
                             });
  bool sex = IsSexId(dim.id) || all_sex || (dim_mapping && dim_mapping->name == kSexDimension);
  if (dim_mapping && !dim_mapping->name.empty() && dim_mapping->name != kSexDimension) sex = false;
  return sex;
}

// The categories of a breakdown dimension: the mapping's, the sexes, "" for the total, else
// the code.
void PlanBreakdownValues(Planner& planner, const SourceDimension& dim,
                         const DimensionMapping* dim_mapping, bool sex, DimensionPlan& plan) {
  // A label names the total only when no other category's label looks like one too: SCB's land
  // use has "total forest" (a subtotal) beside "total land area", and neither can be told to be
  // the total over the dimension (the mapping file can name it).
  const bool one_total_label =
      std::count_if(dim.categories.begin(), dim.categories.end(),
                    [](const auto& category) { return IsTotalLabel(category.label); }) == 1;
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
        planner.problems.Add(
            category.place,
            fmt::format("the sex category \"{}\" ({}) is neither total, women nor men: map it in "
                        "the mapping file",
                        category.code, category.label));
        continue;
      }
      value = std::string(*normal);
    } else if ((!dim.elimination_code.empty() && category.code == dim.elimination_code) ||
               (one_total_label && IsTotalLabel(category.label))) {
      value = "total";
    } else {
      value = category.code;
    }
    plan.breakdown_value.push_back(value == "total" ? std::string() : value);
  }
}

// A dimension without another role: a breakdown, or ignored (one category that is no sex).
void PlanBreakdown(Planner& planner, std::size_t dim_idx,
                   const std::optional<DimensionRole>& role) {
  const SourceDimension& dim = planner.table.dimensions[dim_idx];
  const auto* dim_mapping = planner.MappingOf(dim_idx);
  auto& plan = planner.plan.dimensions[dim_idx];
  if (role) {
    plan.role = *role;
    if (plan.role != DimensionRole::kBreakdown) return;
  }
  const bool explicit_breakdown = dim_mapping && dim_mapping->role == DimensionRole::kBreakdown;
  const bool sex = IsSexDimension(dim, dim_mapping);
  // A dimension of one category says nothing about the groups, unless it is one sex.
  if (dim.categories.size() == 1 && !explicit_breakdown) {
    bool one_sex = false;
    if (sex) {
      auto value = SexOf(dim.categories.front());
      one_sex = value && *value != "total";
    }
    if (!one_sex) {
      plan.role = DimensionRole::kIgnore;
      return;
    }
  }
  plan.role = DimensionRole::kBreakdown;
  plan.name = dim_mapping && !dim_mapping->name.empty() ? dim_mapping->name
              : sex                                     ? std::string(kSexDimension)
                                                        : LowerCase(dim.id);
  auto& names = planner.breakdown_names;
  if (std::find(names.begin(), names.end(), plan.name) != names.end()) {
    planner.problems.Add(dim.place, fmt::format("two dimensions would both be the breakdown "
                                                "\"{}\": name one in the mapping file",
                                                plan.name));
    return;
  }
  names.push_back(plan.name);
  PlanBreakdownValues(planner, dim, dim_mapping, sex, plan);
}

void PlanTime(Planner& planner, const SourceDimension& dim, DimensionPlan& plan) {
  for (const auto& category : dim.categories) {
    auto period = ParsePeriod(category.code);
    if (!period && !category.label.empty()) period = ParsePeriod(category.label);
    if (!period) {
      planner.problems.Add(
          category.place,
          fmt::format("\"{}\" is not a period (2022, 2022Q1, 2026M01, 2021-2024)", category.code));
      plan.period.push_back(0);
      continue;
    }
    plan.period.push_back(PeriodKey(*period));
  }
}

void PlanGeo(Planner& planner, const SourceDimension& dim, DimensionPlan& plan) {
  for (const auto& category : dim.categories) {
    plan.area.push_back(planner.builder.Area({NormalizeAreaCode(category.code),
                                              StripCodePrefix(category.code, category.label),
                                              planner.options.ref_prefix + category.place}));
  }
}

void PlanMetric(Planner& planner, const SourceDimension& dim, const DimensionMapping* dim_mapping,
                DimensionPlan& plan) {
  const SourceTable& table = planner.table;
  for (const auto& category : dim.categories) {
    IndicatorRef ref;
    auto& definition = ref.definition;
    definition.code = fmt::format("{}.{}", planner.table_code, category.code);
    const std::string& label = category.label.empty() ? category.code : category.label;
    definition.title = table.label.empty() ? label : fmt::format("{}: {}", table.label, label);
    definition.unit = category.unit;
    definition.decimals = category.decimals;
    definition.value_type = ValueTypeOfUnit(category.unit);
    definition.source = table.source;
    definition.source_table = planner.table_code;
    definition.source_code = category.code;
    definition.dimensions = planner.breakdown_names;
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
    ref.where = planner.options.ref_prefix + category.place;
    plan.indicator.push_back(planner.builder.Indicator(std::move(ref)));
  }
}

void PlanParts(Planner& planner, const SourceDimension& dim, const DimensionMapping* dim_mapping,
               DimensionPlan& plan) {
  for (const auto& category : dim.categories) {
    std::optional<double ObservationDraft::*> field;
    if (dim_mapping) {
      if (auto it = dim_mapping->categories.find(category.code);
          it != dim_mapping->categories.end()) {
        field = PartField(it->second);
      }
    }
    if (!field) {
      planner.problems.Add(category.place,
                           fmt::format("the part \"{}\" is not mapped to value, ci_low, ci_high, "
                                       "numerator, denominator or respondents",
                                       category.code));
      plan.part.push_back(&ObservationDraft::value);
      continue;
    }
    plan.part.push_back(*field);
    // A table without a metric dimension takes its unit from the value part's category
    // (Folkhälsodata: "Andel" with unit "procent").
    if (*field == &ObservationDraft::value && planner.value_part_unit.empty()) {
      planner.value_part_unit = category.unit;
    }
    if (*field == &ObservationDraft::value && !planner.value_part_decimals) {
      planner.value_part_decimals = category.decimals;
    }
  }
}

// What no dimension gives: the period (the mapping's), the area, the one indicator.
void PlanFixed(Planner& planner, bool has_time, bool has_geo, bool has_metric) {
  const auto* mapping = planner.options.mapping;
  const SourceTable& table = planner.table;
  auto& fixed = planner.plan.fixed;
  if (!has_time) {
    if (mapping != nullptr && !mapping->period.empty()) {
      if (auto period = ParsePeriod(mapping->period)) {
        fixed.period = PeriodKey(*period);
      } else {
        planner.problems.Add(table.ids_place, fmt::format("the mapping's period \"{}\" is not a "
                                                          "period",
                                                          mapping->period));
      }
    } else {
      planner.problems.Add(table.ids_place,
                           "the dataset has no time dimension (role time, or an id such as Tid, "
                           "time or year): name one in the mapping file, or give the mapping a "
                           "period");
    }
  }
  if (!has_geo) {
    std::string code =
        mapping != nullptr && !mapping->area.empty() ? mapping->area : planner.options.default_area;
    fixed.area = planner.builder.Area(
        {NormalizeAreaCode(code), "", planner.options.ref_prefix + table.place});
  }
  if (!has_metric) {
    IndicatorRef ref;
    ref.definition.code = planner.table_code;
    ref.definition.title = table.label.empty() ? planner.table_code : table.label;
    ref.definition.source = table.source;
    ref.definition.source_table = planner.table_code;
    ref.definition.dimensions = planner.breakdown_names;
    ref.definition.unit = planner.value_part_unit.empty() ? table.unit : planner.value_part_unit;
    ref.definition.decimals =
        planner.value_part_decimals ? planner.value_part_decimals : table.decimals;
    ref.definition.value_type = ValueTypeOfUnit(ref.definition.unit);
    ref.where = planner.options.ref_prefix + table.place;
    fixed.indicator = planner.builder.Indicator(std::move(ref));
  }
}

}  // namespace

ValueType ValueTypeOfUnit(std::string_view unit) {
  const std::string lower = LowerCase(unit);
  if (lower == "antal" || lower == "number" || lower == "persons" || lower == "personer") {
    return ValueType::kCount;
  }
  if (lower == "procent" || lower == "%" || lower == "percent" || lower == "andel") {
    return ValueType::kProportion;
  }
  if (lower == "index") return ValueType::kIndex;
  return ValueType::kOther;
}

bool IsTotalLabel(std::string_view label) {
  const std::string lower = LowerCase(label);
  static constexpr std::array<std::string_view, 8> kTotals{
      "total", "totalt", "samtliga", "alla", "all", "totalt, samtliga", "riket", "summa"};
  if (std::find(kTotals.begin(), kTotals.end(), lower) != kTotals.end()) return true;
  return lower.starts_with("totalt ") || lower.starts_with("totalt,") ||
         lower.starts_with("total ") || lower.starts_with("samtliga ");
}

bool PlanTable(const SourceTable& table, const PlanOptions& options, ProblemList& problems,
               StatsBatchBuilder& builder, TablePlan& plan) {
  const auto* mapping = options.mapping;
  Planner planner{table, options, problems, builder, plan, {}, {}, {}};
  planner.table_code = !table.table_id.empty() ? table.table_id
                       : mapping != nullptr && !mapping->table.empty()
                           ? mapping->table
                           : FileStem(options.file_name);
  std::vector<std::optional<DimensionRole>> role;
  if (!AssignRoles(planner, role)) return false;
  const std::size_t count = table.dimensions.size();
  plan.dimensions.assign(count, DimensionPlan{});
  plan.fixed = ObservationDraft{};
  // Breakdowns first: indicators list their names.
  for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx)
    PlanBreakdown(planner, dim_idx, role[dim_idx]);
  std::sort(planner.breakdown_names.begin(), planner.breakdown_names.end());
  if (problems.Full()) return false;

  bool has_time = false, has_geo = false, has_metric = false;
  for (std::size_t dim_idx = 0; dim_idx < count; ++dim_idx) {
    const SourceDimension& dim = table.dimensions[dim_idx];
    auto& dim_plan = plan.dimensions[dim_idx];
    switch (dim_plan.role) {
      case DimensionRole::kTime:
        has_time = true;
        PlanTime(planner, dim, dim_plan);
        break;
      case DimensionRole::kGeo:
        has_geo = true;
        PlanGeo(planner, dim, dim_plan);
        break;
      case DimensionRole::kMetric:
        has_metric = true;
        PlanMetric(planner, dim, planner.MappingOf(dim_idx), dim_plan);
        break;
      case DimensionRole::kParts:
        PlanParts(planner, dim, planner.MappingOf(dim_idx), dim_plan);
        break;
      case DimensionRole::kIgnore:
        if (dim.categories.size() > 1) {
          problems.Add(dim.place, fmt::format("a dimension of {} categories cannot be ignored",
                                              dim.categories.size()));
        }
        break;
      case DimensionRole::kBreakdown:
        break;
    }
  }
  PlanFixed(planner, has_time, has_geo, has_metric);
  return !problems.Full() && problems.empty();
}

}  // namespace halsonav::statsio
