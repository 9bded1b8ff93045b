#include "stats/standardised.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <string>

#include "stats/intervals.hpp"

// Methods of PHEindicatormethods (ukhsa-collaboration, commit 093fd288, December 2024):
// calculate_dsr (Dobson et al. 1991, Byar's limits from Breslow & Day 1987), calculate_ISRatio
// and calculate_ISRate. docs/METHODS.md gives the formulas.

namespace halsonav::stats {
namespace {

// PHE does not publish a DSR from fewer than 10 events: Dobson's interval is unreliable there.
constexpr double kMinDsrCount = 10;
constexpr std::string_view kDsrTooFewNote =
    "fewer than 10 events in total: the rate and its interval are not computed (PHE rule)";

// "band 6 (25-29)" or "band 6".
std::string BandName(std::size_t band_idx, std::string_view label) {
  return label.empty() ? fmt::format("band {}", band_idx + 1)
                       : fmt::format("band {} ({})", band_idx + 1, label);
}

tl::unexpected<Error> BandError(std::size_t band_idx, std::string_view label,
                                std::string_view field, std::string_view problem, double value) {
  nlohmann::json details = {{"band", band_idx + 1}, {"field", field}};
  if (!label.empty()) details["label"] = label;
  details["value"] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
  return Fail(ErrorCode::kInvalidValue, fmt::format("{}: {}", BandName(band_idx, label), problem),
              std::move(details));
}

// What is wrong with one band value, or an empty string. `missing_is_zero` lets a missing value
// pass (the caller counts it as 0); `min_exclusive` asks for a value > 0 rather than >= 0.
std::string Problem(double value, std::string_view what, bool missing_is_zero, bool min_exclusive) {
  if (std::isnan(value)) {
    return missing_is_zero ? std::string() : fmt::format("the {} is missing", what);
  }
  if (!std::isfinite(value)) return fmt::format("the {} {} is not a finite number", what, value);
  if (value < 0) return fmt::format("the {} {} is negative", what, value);
  if (min_exclusive && value == 0) return fmt::format("the {} is 0", what);
  return {};
}

double ZeroIfMissing(double value) { return std::isnan(value) ? 0.0 : value; }

tl::unexpected<Error> NoBands() {
  return Fail(ErrorCode::kInvalidValue, "there are no bands to standardise", {{"field", "bands"}});
}

Result<double> CheckMultiplier(double multiplier, std::string_view field) {
  if (!std::isfinite(multiplier) || multiplier <= 0) {
    nlohmann::json details = {{"field", field}};
    details["value"] =
        std::isfinite(multiplier) ? nlohmann::json(multiplier) : nlohmann::json(nullptr);
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("the {} {} is not a number greater than 0", field, multiplier),
                std::move(details));
  }
  return multiplier;
}

// The sums one pass over the bands gives: sum(x w/n), sum(x (w/n)^2), sum(w), sum(x), sum(n).
struct DobsonSums {
  double weighted_rate = 0;
  double weighted_square = 0;
  double standard_total = 0;
  double count_total = 0;
  double population_total = 0;

  void Add(double count, double population, double standard_population) {
    const double weight = standard_population / population;
    weighted_rate += count * weight;
    weighted_square += count * weight * weight;
    standard_total += standard_population;
    count_total += count;
    population_total += population;
  }
  // Dobson's variance of the DSR (as a fraction, before the multiplier).
  double Variance() const { return weighted_square / (standard_total * standard_total); }
};

// Checks the population and standard population of one band (shared by both DSR variants).
Result<void> CheckDsrBand(std::size_t band_idx, std::string_view label, double population,
                          double standard_population) {
  if (std::string problem = Problem(population, "population", false, true); !problem.empty()) {
    return BandError(band_idx, label, "pop", problem, population);
  }
  if (std::string problem = Problem(standard_population, "standard population", false, false);
      !problem.empty()) {
    return BandError(band_idx, label, "stdpop", problem, standard_population);
  }
  return {};
}

// The DSR and Dobson's interval from the sums and the variance to use (Dobson et al. 1991:
// DSR + sqrt(var/O) × (Byar limit of O − O)).
Result<DirectlyStandardised> FinishDsr(const DobsonSums& sums, double variance, double conf,
                                       double multiplier, std::string_view method) {
  auto confidence = MakeConfidence(conf);
  if (!confidence) return tl::unexpected(confidence.error());
  if (auto checked = CheckMultiplier(multiplier, "multiplier"); !checked) {
    return tl::unexpected(checked.error());
  }
  if (sums.standard_total <= 0) {
    return Fail(ErrorCode::kInvalidValue,
                "the standard populations are all 0: there is nothing to weight by",
                {{"field", "stdpop"}});
  }
  DirectlyStandardised result;
  result.total_count = sums.count_total;
  result.total_population = sums.population_total;
  Estimate& estimate = result.estimate;
  estimate.confidence = confidence->level;
  estimate.method = method;
  if (sums.count_total < kMinDsrCount) {
    estimate.note = kDsrTooFewNote;
    return result;
  }
  const double observed = sums.count_total;
  const double dsr = sums.weighted_rate / sums.standard_total;
  const double scale = std::sqrt(variance / observed);
  const auto byar_lower = ByarLower(observed, confidence->z);
  const auto byar_upper = ByarUpper(observed, confidence->z);
  estimate.value = dsr * multiplier;
  estimate.se = std::sqrt(variance) * multiplier;
  // Byar's lower limit is positive for O >= 10 at any level MakeConfidence accepts below
  // 1 - 1e-16, so it is present here; absent would propagate as absent, not as a wrong number.
  estimate.lower = (dsr + scale * (*byar_lower - observed)) * multiplier;
  estimate.upper = (dsr + scale * (*byar_upper - observed)) * multiplier;
  return result;
}

// The observed total and expected count shared by IsRatio and IsRate, with the crude reference
// rate sum(x_ref) / sum(n_ref).
struct IsrSums {
  double observed = 0;
  double expected = 0;
  double reference_rate = 0;
};

Result<IsrSums> SumIsr(std::span<const IsrBand> bands, double observed_total) {
  if (bands.empty()) return NoBands();
  const bool total_given = !std::isnan(observed_total);
  if (total_given) {
    if (!std::isfinite(observed_total) || observed_total < 0) {
      nlohmann::json details = {{"field", "observed"}};
      details["value"] =
          std::isfinite(observed_total) ? nlohmann::json(observed_total) : nlohmann::json(nullptr);
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("the observed total {} is not a count of 0 or more", observed_total),
                  std::move(details));
    }
  }
  IsrSums sums;
  double reference_count_total = 0;
  double reference_population_total = 0;
  for (std::size_t band_idx = 0; band_idx < bands.size(); ++band_idx) {
    const IsrBand& band = bands[band_idx];
    if (total_given && !std::isnan(band.count)) {
      return BandError(band_idx, band.label, "count",
                       fmt::format("the band has a count ({}) although the observed total is "
                                   "given; give one or the other",
                                   band.count),
                       band.count);
    }
    if (std::string problem = Problem(band.count, "count", true, false); !problem.empty()) {
      return BandError(band_idx, band.label, "count", problem, band.count);
    }
    if (std::string problem = Problem(band.population, "population", false, false);
        !problem.empty()) {
      return BandError(band_idx, band.label, "pop", problem, band.population);
    }
    if (std::string problem = Problem(band.reference_count, "reference count", true, false);
        !problem.empty()) {
      return BandError(band_idx, band.label, "refcount", problem, band.reference_count);
    }
    if (std::string problem =
            Problem(band.reference_population, "reference population", false, true);
        !problem.empty()) {
      return BandError(band_idx, band.label, "refpop", problem, band.reference_population);
    }
    const double reference_count = ZeroIfMissing(band.reference_count);
    sums.observed += ZeroIfMissing(band.count);
    sums.expected += reference_count / band.reference_population * band.population;
    reference_count_total += reference_count;
    reference_population_total += band.reference_population;
  }
  if (total_given) sums.observed = observed_total;
  if (sums.expected <= 0) {
    return Fail(ErrorCode::kInvalidValue,
                "the expected count is 0 (no population in bands with reference events): the "
                "ratio is undefined",
                {{"field", "expected"}});
  }
  sums.reference_rate = reference_count_total / reference_population_total;
  return sums;
}

// O/E × scale with the interval of PHE's phe_rate (exact below 10 events, Byar's otherwise):
// the same arithmetic as a crude rate with E as the denominator.
Result<IndirectlyStandardised> FinishIsr(const IsrSums& sums, double conf, double scale) {
  auto rate = Rate(sums.observed, sums.expected, conf, scale);
  if (!rate) return tl::unexpected(rate.error());
  IndirectlyStandardised result;
  result.estimate = *rate;
  result.observed = sums.observed;
  result.expected = sums.expected;
  return result;
}

}  // namespace

Result<DirectlyStandardised> Dsr(std::span<const DsrBand> bands, double conf, double multiplier) {
  if (bands.empty()) return NoBands();
  DobsonSums sums;
  for (std::size_t band_idx = 0; band_idx < bands.size(); ++band_idx) {
    const DsrBand& band = bands[band_idx];
    if (std::string problem = Problem(band.count, "count", true, false); !problem.empty()) {
      return BandError(band_idx, band.label, "count", problem, band.count);
    }
    if (auto checked =
            CheckDsrBand(band_idx, band.label, band.population, band.standard_population);
        !checked) {
      return tl::unexpected(checked.error());
    }
    sums.Add(ZeroIfMissing(band.count), band.population, band.standard_population);
  }
  return FinishDsr(sums, sums.Variance(), conf, multiplier, "dobson");
}

Result<DirectlyStandardised> DsrNonIndependent(std::span<const DsrPersonsBand> bands, double conf,
                                               double multiplier) {
  if (bands.empty()) return NoBands();
  const std::size_t frequencies = bands.front().persons_by_frequency.size();
  // The events (persons × frequency) per band give the DSR itself; the persons of each frequency
  // give one Dobson variance each, and the variance of the events is sum f² × var_f (PHE's
  // "custom vardsr").
  DobsonSums events;
  double variance = 0;
  for (std::size_t band_idx = 0; band_idx < bands.size(); ++band_idx) {
    const DsrPersonsBand& band = bands[band_idx];
    if (band.persons_by_frequency.size() != frequencies) {
      return BandError(band_idx, band.label, "persons",
                       fmt::format("the band gives persons for {} event frequencies, band 1 for {}",
                                   band.persons_by_frequency.size(), frequencies),
                       static_cast<double>(band.persons_by_frequency.size()));
    }
    if (auto checked =
            CheckDsrBand(band_idx, band.label, band.population, band.standard_population);
        !checked) {
      return tl::unexpected(checked.error());
    }
    double band_events = 0;
    for (std::size_t frequency_idx = 0; frequency_idx < frequencies; ++frequency_idx) {
      const double persons = band.persons_by_frequency[frequency_idx];
      if (std::string problem =
              Problem(persons, fmt::format("number of persons with {} events", frequency_idx + 1),
                      true, false);
          !problem.empty()) {
        return BandError(band_idx, band.label, fmt::format("f{}", frequency_idx + 1), problem,
                         persons);
      }
      band_events += ZeroIfMissing(persons) * static_cast<double>(frequency_idx + 1);
    }
    events.Add(band_events, band.population, band.standard_population);
  }
  if (events.standard_total > 0) {
    for (std::size_t frequency_idx = 0; frequency_idx < frequencies; ++frequency_idx) {
      DobsonSums persons;
      for (const DsrPersonsBand& band : bands) {
        persons.Add(ZeroIfMissing(band.persons_by_frequency[frequency_idx]), band.population,
                    band.standard_population);
      }
      const auto frequency = static_cast<double>(frequency_idx + 1);
      variance += frequency * frequency * persons.Variance();
    }
  }
  return FinishDsr(events, variance, conf, multiplier, "dobson_non_independent");
}

Result<IndirectlyStandardised> IsRatio(std::span<const IsrBand> bands, double conf,
                                       double reference_value, double observed_total) {
  if (auto checked = CheckMultiplier(reference_value, "reference value"); !checked) {
    return tl::unexpected(checked.error());
  }
  auto sums = SumIsr(bands, observed_total);
  if (!sums) return tl::unexpected(sums.error());
  return FinishIsr(*sums, conf, reference_value);
}

Result<IndirectlyStandardised> IsRate(std::span<const IsrBand> bands, double conf,
                                      double multiplier, double observed_total) {
  if (auto checked = CheckMultiplier(multiplier, "multiplier"); !checked) {
    return tl::unexpected(checked.error());
  }
  auto sums = SumIsr(bands, observed_total);
  if (!sums) return tl::unexpected(sums.error());
  // E > 0 needs a band with reference events, so the reference rate is > 0 here.
  const double reference_rate = sums->reference_rate * multiplier;
  auto result = FinishIsr(*sums, conf, reference_rate);
  if (result) result->reference_rate = reference_rate;
  return result;
}

}  // namespace halsonav::stats
