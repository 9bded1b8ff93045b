#include "stats/life_expectancy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <string>

// Chiang CL (1984), The Life Table and its Applications, method II for the abridged table, with
// the variance of Silcocks PBS, Jenner DA, Reza R (2001, J Epidemiol Community Health 55:38-43)
// that adds the open band's term; written after PHEindicatormethods' phe_life_expectancy
// (commit 093fd288, December 2024) and PHE's life expectancy calculator. docs/METHODS.md.

namespace halsonav::stats {
namespace {

// The radix of the life table: survivors at age 0.
constexpr double kRadix = 1e5;
// PHE does not compute life expectancy for 5,000 people or fewer (Toson & Baker 2003).
constexpr double kMinTotalPopulation = 5000;
// PHE withholds a value whose 95 % interval is wider than 20 years.
constexpr double kMaxHalfWidth95 = 10;
constexpr double kZ95 = 1.959963984540054;

constexpr std::string_view kSmallPopulationNote =
    "total population 5,000 or less: life expectancy is not computed (PHE rule)";
constexpr std::string_view kNoOpenDeathsNote =
    "no deaths in the open (last) age band: its mean survival and so life expectancy are "
    "undefined";
constexpr std::string_view kWideIntervalNote =
    "the 95 % confidence interval is wider than 20 years: the value is withheld (PHE rule)";
constexpr std::string_view kNoSurvivorsNote =
    "no one in the life table survives to this age: life expectancy is undefined";

tl::unexpected<Error> BandError(std::size_t band_idx, std::string_view field, std::string problem,
                                double value) {
  nlohmann::json details = {{"band", band_idx + 1}, {"field", field}};
  details["value"] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
  return Fail(ErrorCode::kInvalidValue, fmt::format("band {}: {}", band_idx + 1, problem),
              std::move(details));
}

Result<void> CheckBands(std::span<const LifeTableBand> bands) {
  if (bands.size() < 2) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("a life table needs at least 2 age bands, not {}", bands.size()),
                {{"field", "bands"}});
  }
  for (std::size_t band_idx = 0; band_idx < bands.size(); ++band_idx) {
    const LifeTableBand& band = bands[band_idx];
    if (!std::isfinite(band.start_age)) {
      return BandError(band_idx, "startage", "the start age is missing or not finite",
                       band.start_age);
    }
    if (band_idx == 0 && band.start_age != 0) {
      return BandError(band_idx, "startage",
                       fmt::format("the first band starts at age {}, not 0", band.start_age),
                       band.start_age);
    }
    if (band_idx > 0 && band.start_age <= bands[band_idx - 1].start_age) {
      return BandError(band_idx, "startage",
                       fmt::format("the start age {} does not follow the previous band's {}",
                                   band.start_age, bands[band_idx - 1].start_age),
                       band.start_age);
    }
    if (!std::isfinite(band.population) || band.population <= 0) {
      return BandError(band_idx, "pops",
                       std::isnan(band.population)
                           ? std::string("the population is missing")
                           : fmt::format("the population {} is not greater than 0 (age {})",
                                         band.population, band.start_age),
                       band.population);
    }
    if (!std::isfinite(band.deaths) || band.deaths < 0) {
      return BandError(band_idx, "deaths",
                       std::isnan(band.deaths)
                           ? std::string("the number of deaths is missing")
                           : fmt::format("the number of deaths {} is negative or not finite "
                                         "(age {})",
                                         band.deaths, band.start_age),
                       band.deaths);
    }
    if (band.deaths > band.population) {
      return BandError(band_idx, "deaths",
                       fmt::format("the deaths {} are more than the population {} (age {})",
                                   band.deaths, band.population, band.start_age),
                       band.deaths);
    }
  }
  return {};
}

// One row of the life table.
struct Row {
  double width = 0;     // n: the band's width in years (open band: 2/M, as PHE)
  double fraction = 0;  // a: the fraction of the band lived by those who die in it
  double rate = 0;      // M = deaths / population
  double q = 0;         // probability of dying in the band
  double l = 0;         // survivors at the band's start
  double d = 0;         // deaths in the table in the band
  double e = 0;         // life expectancy at the band's start
  double se = 0;
};

}  // namespace

Result<std::vector<Estimate>> LifeExpectancy(std::span<const LifeTableBand> bands, double conf) {
  auto confidence = MakeConfidence(conf);
  if (!confidence) return tl::unexpected(confidence.error());
  if (auto checked = CheckBands(bands); !checked) return tl::unexpected(checked.error());

  const std::size_t count = bands.size();
  const std::size_t last = count - 1;
  std::vector<Estimate> estimates(count);
  for (Estimate& estimate : estimates) {
    estimate.confidence = confidence->level;
    estimate.method = "chiang_silcocks";
  }
  double total_population = 0;
  for (const LifeTableBand& band : bands) total_population += band.population;
  if (total_population <= kMinTotalPopulation) {
    for (Estimate& estimate : estimates) estimate.note = kSmallPopulationNote;
    return estimates;
  }
  if (bands[last].deaths <= 0) {
    for (Estimate& estimate : estimates) estimate.note = kNoOpenDeathsNote;
    return estimates;
  }

  std::vector<Row> rows(count);
  double survivors = kRadix;
  for (std::size_t band_idx = 0; band_idx < count; ++band_idx) {
    Row& row = rows[band_idx];
    const LifeTableBand& band = bands[band_idx];
    row.rate = band.deaths / band.population;
    row.fraction = band.start_age == 0 ? 0.1 : 0.5;
    row.width = band_idx < last ? bands[band_idx + 1].start_age - band.start_age : 2.0 / row.rate;
    // Chiang II: q = nM / (1 + nM(1 - a)); q would exceed 1 when deaths > population / (n a),
    // and PHE caps it at 1 there. In the open band q is 1 (everyone dies in it).
    row.q = band.deaths <= band.population / row.width / row.fraction
                ? row.rate * row.width / (1.0 + row.rate * row.width * (1.0 - row.fraction))
                : 1.0;
    row.l = survivors;
    survivors *= 1.0 - row.q;
  }
  // Person-years lived (L) and their sum from each band on (T), bottom up; Silcocks' variance
  // terms W summed the same way.
  double person_years_after = 0;
  double variance_after = 0;
  for (std::size_t band_idx = count; band_idx-- > 0;) {
    Row& row = rows[band_idx];
    const double deaths = bands[band_idx].deaths;
    const double l_next = band_idx < last ? rows[band_idx + 1].l : 0.0;
    row.d = row.l - l_next;
    const double person_years =
        band_idx < last ? row.width * (l_next + row.fraction * row.d) : row.l / row.rate;
    person_years_after += person_years;
    row.e = row.l == 0 ? 0.0 : person_years_after / row.l;
    double w = 0;
    if (band_idx < last) {
      // Chiang: var(q) = q²(1 - q)/D, weighted by the years those dying in the band lose.
      const double var_q = row.d == 0 ? 0.0 : row.q * row.q * (1.0 - row.q) / deaths;
      const double years = (1.0 - row.fraction) * row.width + rows[band_idx + 1].e;
      w = var_q * row.l * row.l * years * years;
    } else {
      // Silcocks: the open band's expectancy is 1/M, with variance 4/(D M²) on this scale.
      const double var_open = 4.0 / (deaths * row.rate * row.rate);
      w = (row.l / 2.0) * (row.l / 2.0) * var_open;
    }
    variance_after += w;
    row.se = row.l == 0 ? kAbsent : std::sqrt(variance_after / (row.l * row.l));
  }

  for (std::size_t band_idx = 0; band_idx < count; ++band_idx) {
    const Row& row = rows[band_idx];
    Estimate& estimate = estimates[band_idx];
    if (row.l == 0) {
      estimate.note = kNoSurvivorsNote;
      continue;
    }
    estimate.se = row.se;
    estimate.lower = row.e - confidence->z * row.se;
    estimate.upper = row.e + confidence->z * row.se;
    if (kZ95 * row.se > kMaxHalfWidth95) {
      estimate.note = kWideIntervalNote;
    } else {
      estimate.value = row.e;
    }
  }
  return estimates;
}

}  // namespace halsonav::stats
