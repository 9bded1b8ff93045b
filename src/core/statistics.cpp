#include "core/statistics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace halsonav {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> Number(std::string_view text) {
  if (!AllDigits(text)) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

constexpr int kFirstYear = 1800;
constexpr int kLastYear = 2200;
bool YearInRange(int year) { return year >= kFirstYear && year <= kLastYear; }

}  // namespace

std::string NormalizeAreaCode(std::string_view code) {
  code = TrimWhitespace(code);
  if (code.size() == 2 && AllDigits(code)) return fmt::format("00{}", code);
  return std::string(code);
}

std::string CountyOf(std::string_view code) {
  if (code.size() != 4 || !AllDigits(code) || code.starts_with("00")) return {};
  return fmt::format("00{}", code.substr(0, 2));
}

std::optional<Period> ParsePeriod(std::string_view text) {
  text = TrimWhitespace(text);
  if (auto year = Number(text); year && text.size() == 4) {
    if (!YearInRange(*year)) return std::nullopt;
    return Period{*year, 12, 12};
  }
  if (text.size() < 6) return std::nullopt;
  auto year = Number(text.substr(0, 4));
  if (!year || !YearInRange(*year)) return std::nullopt;
  auto rest = text.substr(4);
  // Quarter: 2022Q1, 2022K1 (Swedish "kvartal").
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'K' || rest[0] == 'q' || rest[0] == 'k')) {
    auto quarter = Number(rest.substr(1));
    if (!quarter || *quarter < 1 || *quarter > 4) return std::nullopt;
    return Period{*year, *quarter * 3, 3};
  }
  // Half-year: 2022H1 (January–June), 2022H2 (July–December).
  if (rest.size() == 2 && (rest[0] == 'H' || rest[0] == 'h')) {
    auto half = Number(rest.substr(1));
    if (!half || *half < 1 || *half > 2) return std::nullopt;
    return Period{*year, *half * 6, 6};
  }
  // Month: 2026M01.
  if (rest.size() == 3 && (rest[0] == 'M' || rest[0] == 'm')) {
    auto month = Number(rest.substr(1));
    if (!month || *month < 1 || *month > 12) return std::nullopt;
    return Period{*year, *month, 1};
  }
  // Month 2022-01, or a span of years 2021-2024 / 2021–2024 (en dash) / 2021/2024.
  std::string_view separator_free;
  if (rest.starts_with("-") || rest.starts_with("/")) {
    separator_free = rest.substr(1);
  } else if (rest.starts_with("\xE2\x80\x93")) {
    separator_free = rest.substr(3);
  } else {
    return std::nullopt;
  }
  if (separator_free.size() == 2 && rest[0] == '-') {
    auto month = Number(separator_free);
    if (!month || *month < 1 || *month > 12) return std::nullopt;
    return Period{*year, *month, 1};
  }
  auto end_year = Number(separator_free);
  if (!end_year || separator_free.size() != 4 || !YearInRange(*end_year) || *end_year < *year) {
    return std::nullopt;
  }
  return Period{*end_year, 12, 12 * (*end_year - *year + 1)};
}

std::string PeriodCode(const Period& period) {
  if (period.months == 1) return fmt::format("{}M{:02}", period.end_year, period.end_month);
  if (period.months == 3) return fmt::format("{}Q{}", period.end_year, period.end_month / 3);
  if (period.months == 6) return fmt::format("{}H{}", period.end_year, period.end_month / 6);
  if (period.months == 12) return fmt::format("{}", period.end_year);
  return fmt::format("{}-{}", period.end_year - period.months / 12 + 1, period.end_year);
}

namespace {
constexpr std::int64_t kSpanFactor = 1000;
}

std::int64_t PeriodKey(const Period& period) {
  return (static_cast<std::int64_t>(period.end_year) * 12 + (period.end_month - 1)) * kSpanFactor +
         period.months;
}

std::optional<Period> PeriodFromKey(std::int64_t key) {
  if (key <= 0) return std::nullopt;
  auto months = static_cast<int>(key % kSpanFactor);
  auto end = key / kSpanFactor;
  Period period{static_cast<int>(end / 12), static_cast<int>(end % 12) + 1, months};
  if (!YearInRange(period.end_year)) return std::nullopt;
  // Only the kinds ParsePeriod makes: a month, a quarter ending in its third month, a half-year
  // ending in June or December, a year or a span of whole years ending in December.
  bool valid = months == 1 || (months == 3 && period.end_month % 3 == 0) ||
               (months == 6 && period.end_month % 6 == 0) ||
               (months % 12 == 0 && months > 0 && period.end_month == 12);
  if (!valid) return std::nullopt;
  return period;
}

std::string BreakdownKey(const Breakdown& breakdown) {
  if (breakdown.empty()) return {};
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto& [dimension, category] : breakdown) object[dimension] = category;
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Breakdown> ParseBreakdownKey(std::string_view key) {
  Breakdown out;
  if (key.empty()) return out;
  auto json = nlohmann::ordered_json::parse(key, nullptr, false);
  if (json.is_discarded() || !json.is_object() || json.empty()) return std::nullopt;
  for (const auto& [dimension, category] : json.items()) {
    if (!category.is_string()) return std::nullopt;
    out.emplace_back(dimension, category.get<std::string>());
  }
  if (!std::is_sorted(out.begin(), out.end())) return std::nullopt;
  return out;
}

bool NormalizeBreakdown(Breakdown& breakdown) {
  std::sort(breakdown.begin(), breakdown.end());
  for (std::size_t i = 1; i < breakdown.size(); ++i) {
    if (breakdown[i].first == breakdown[i - 1].first) return false;
  }
  return true;
}

std::optional<std::string_view> NormalizeSex(std::string_view code_or_label) {
  auto text = LowerCase(TrimWhitespace(code_or_label));
  struct Name {
    std::string_view text;
    std::string_view sex;
  };
  // Codes first (Kolada, SCB, Folkhälsodata), then labels.
  static constexpr std::array<Name, 31> kNames{{
      {"t", "total"},
      {"k", "women"},
      {"m", "men"},
      {"1+2", "total"},
      {"1", "men"},
      {"2", "women"},
      {"00", "total"},
      {"01", "women"},
      {"02", "men"},
      {"totalt", "total"},
      {"total", "total"},
      {"tot", "total"},
      {"båda könen", "total"},
      {"kvinnor och män", "total"},
      {"män och kvinnor", "total"},
      {"totalt, samtliga män och kvinnor", "total"},
      {"samtliga", "total"},
      {"both sexes", "total"},
      {"all", "total"},
      {"kvinnor", "women"},
      {"kvinna", "women"},
      {"women", "women"},
      {"woman", "women"},
      {"female", "women"},
      {"females", "women"},
      {"f", "women"},
      {"män", "men"},
      {"man", "men"},
      {"men", "men"},
      {"male", "men"},
      {"males", "men"},
  }};
  for (const auto& name : kNames) {
    if (name.text == text) return name.sex;
  }
  return std::nullopt;
}

namespace {
constexpr std::array<std::pair<std::uint8_t, std::string_view>, 4> kStatusNames{{
    {kObservationMissing, "missing"},
    {kObservationSuppressed, "suppressed"},
    {kObservationProvisional, "provisional"},
    {kObservationBreak, "break_in_series"},
}};
}

std::vector<std::string_view> StatusNames(std::uint8_t status) {
  std::vector<std::string_view> out;
  for (const auto& [flag, name] : kStatusNames) {
    if ((status & flag) != 0) out.push_back(name);
  }
  return out;
}

std::optional<std::uint8_t> ParseStatusName(std::string_view name) {
  for (const auto& [flag, candidate] : kStatusNames) {
    if (candidate == name) return flag;
  }
  return std::nullopt;
}

}  // namespace halsonav
