#pragma once

// The statistics side of the domain: areas (Riket, regions, municipalities and others), area
// groups, indicator definitions, periods, breakdowns and observations. Pure types and the rules
// that make codes from different sources mean the same thing (docs/indicators.md).

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain.hpp"
#include "core/enums.hpp"

namespace halsonav {

// ---- Areas -------------------------------------------------------------------------------------

enum class AreaKind { kCountry, kRegion, kMunicipality, kOther };

template <>
struct EnumNames<AreaKind> {
  static constexpr std::array<std::pair<AreaKind, std::string_view>, 4> kValues{{
      {AreaKind::kCountry, "country"},
      {AreaKind::kRegion, "region"},
      {AreaKind::kMunicipality, "municipality"},
      {AreaKind::kOther, "other"},
  }};
};

// An area of the registry. Codes are Kolada's: "0000" Riket, "0001"–"0025" the regions (counties),
// four-digit municipality codes ("2480" Umeå). Areas from other sources (a JSON-stat file from
// another country) keep their source code and have kind kOther.
struct Area {
  Id id = 0;
  std::string code;
  std::string name;
  AreaKind kind = AreaKind::kOther;
  std::string county_code;  // a municipality's region ("0024"); empty for other kinds
};

// The registry's form of an area code as a source writes it: SCB's and Folkhälsodata's two-digit
// county codes ("24", and "00" for Riket) become Kolada's four digits ("0024", "0000"); any
// other code is returned trimmed of surrounding white space.
std::string NormalizeAreaCode(std::string_view code);

// The region code a municipality code belongs to ("2480" -> "0024": its first two digits);
// empty when `code` is not four digits or is itself a region or Riket ("00xx").
std::string CountyOf(std::string_view code);

// A named set of areas: Kolada's municipality groups ("G114418") or a user's own ("coast").
struct AreaGroup {
  Id id = 0;
  std::string code;
  std::string title;
  std::string source;                // "kolada" or "user"
  std::vector<std::string> members;  // area codes
};

// ---- Indicators --------------------------------------------------------------------------------

enum class ValueType { kProportion, kRate, kMean, kCount, kRatio, kIndex, kOther };
enum class Direction { kHigher, kLower, kNone };
enum class IndicatorSource { kKolada, kPxWeb, kOwn };

template <>
struct EnumNames<ValueType> {
  static constexpr std::array<std::pair<ValueType, std::string_view>, 7> kValues{{
      {ValueType::kProportion, "proportion"},
      {ValueType::kRate, "rate"},
      {ValueType::kMean, "mean"},
      {ValueType::kCount, "count"},
      {ValueType::kRatio, "ratio"},
      {ValueType::kIndex, "index"},
      {ValueType::kOther, "other"},
  }};
};

template <>
struct EnumNames<Direction> {
  static constexpr std::array<std::pair<Direction, std::string_view>, 3> kValues{{
      {Direction::kHigher, "higher"},
      {Direction::kLower, "lower"},
      {Direction::kNone, "none"},
  }};
};

template <>
struct EnumNames<IndicatorSource> {
  static constexpr std::array<std::pair<IndicatorSource, std::string_view>, 3> kValues{{
      {IndicatorSource::kKolada, "kolada"},
      {IndicatorSource::kPxWeb, "pxweb"},
      {IndicatorSource::kOwn, "own"},
  }};
};

// An indicator definition. `code` is unique: a Kolada KPI id ("N00945"), a PX-Web table and
// content code ("TAB6471.000007J3"), or the user's own code.
struct Indicator {
  Id id = 0;
  std::string code;
  std::string title;
  std::string description;
  std::string unit;  // "%", "kr/inv", "per 100 000", "antal", …
  ValueType value_type = ValueType::kOther;
  double per = 0;  // for a rate: per how many (1000, 100000); 0 otherwise
  Direction direction = Direction::kNone;
  IndicatorSource source = IndicatorSource::kOwn;
  std::string source_table;             // PX-Web table id ("TAB6471"); empty for others
  std::string source_code;              // Kolada KPI id or PX-Web content code
  std::vector<std::string> dimensions;  // breakdown dimensions it has: "sex", "education", …
  std::string operating_area;           // Kolada's "verksamhetsområde"; empty for others
  // How many decimals the source shows its values with (PX DECIMALS/PRECISION, JSON-stat's
  // unit `decimals`): for display only, values are stored as the source wrote them. nullopt when
  // the source does not say.
  std::optional<int> decimals;
  // Derived from the stored observations (read-only): how many, and the first and last period
  // (PeriodKey; 0 when there are none).
  std::int64_t observations = 0;
  std::int64_t first_period = 0;
  std::int64_t last_period = 0;
};

// ---- Periods -----------------------------------------------------------------------------------

// A period is a run of whole months: a year ("2022"), a half-year ("2022H1"), a quarter
// ("2022Q1"), a month ("2026M01") or a span of years ("2021-2024", pooled surveys). Weeks are
// not periods: an ISO week is no run of whole months (docs/px.md). It is stored as one integer key
// whose order is the order of the periods' ends (then their length), so "latest" is the largest
// key.
struct Period {
  int end_year = 0;
  int end_month = 12;  // 1–12
  int months = 12;     // length: 1 month, 3 quarter, 6 half-year, 12 year, 12·n span of n years

  auto operator<=>(const Period&) const = default;
};

// Reads a period as sources write it: "2022", "2022Q1" / "2022K1", "2022H1", "2026M01",
// "2022-01" (a month),
// "2021-2024" / "2021–2024" / "2021/2024" (a span of years, ends included), and Kolada's integer
// years. nullopt when the text is none of these or out of range (years 1800–2200).
std::optional<Period> ParsePeriod(std::string_view text);
// The canonical code: "2022", "2022H1", "2022Q1", "2026M01", "2021-2024".
std::string PeriodCode(const Period& period);
std::int64_t PeriodKey(const Period& period);
std::optional<Period> PeriodFromKey(std::int64_t key);

// ---- Breakdowns --------------------------------------------------------------------------------

// The groups an observation describes, as dimension -> category pairs sorted by dimension.
// A total category is never listed: the empty breakdown is the total, and "sex=women" alone means
// women of every education, age and so on. Dimension names are lower-case identifiers ("sex",
// "education", "age"); the sex dimension's categories are "women" and "men" whatever the source
// wrote (Kolada K/M, SCB 2/1, Folkhälsodata 01/02).
using Breakdown = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kSexDimension = "sex";

// The breakdown's stored key: "" for the total, else a compact JSON object with sorted keys,
// {"education":"low","sex":"women"}.
std::string BreakdownKey(const Breakdown& breakdown);
// The inverse of BreakdownKey; nullopt for text that is not such a key.
std::optional<Breakdown> ParseBreakdownKey(std::string_view key);
// Sorts by dimension; false when a dimension occurs twice.
bool NormalizeBreakdown(Breakdown& breakdown);

// "total", "women" or "men" for a sex code or label from any source: Kolada T/K/M, SCB 1+2/2/1,
// Folkhälsodata 00/01/02, labels such as "kvinnor", "män", "totalt", "båda könen", "women",
// "female", "men", "male", "total" (case-insensitive). nullopt for anything else.
// Codes are tried first, so "1" is men (SCB), "01" is women (Folkhälsodata).
std::optional<std::string_view> NormalizeSex(std::string_view code_or_label);

// ---- Observations ------------------------------------------------------------------------------

// Status flags of an observation (several may hold: provisional and a break in series).
enum ObservationFlag : std::uint8_t {
  kObservationMissing = 1,      // no value: the source has none (".." , null, blank)
  kObservationSuppressed = 2,   // a value too few people stand behind; stored, never shown
  kObservationProvisional = 4,  // preliminary figures
  kObservationBreak = 8,        // a break in the series before this period
  // Internal, never shown: the source itself marked the cell suppressed (so re-applying the
  // disclosure rule keeps it suppressed whatever its counts).
  kObservationSourceSuppressed = 16,
  // Internal, never shown: an earlier import's counts put the cell under the disclosure rule and
  // a later one replaced it without counts, so it stays suppressed (docs/METHODS.md).
  kObservationHeld = 32,
};

// The names of the flags set in `status`, in flag order: "missing", "suppressed", …
std::vector<std::string_view> StatusNames(std::uint8_t status);
// The flag one name stands for; nullopt for an unknown name.
std::optional<std::uint8_t> ParseStatusName(std::string_view name);

inline constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();
inline bool Present(double value) { return !std::isnan(value); }

}  // namespace halsonav
