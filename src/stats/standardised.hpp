#pragma once

// Age-standardised figures: directly standardised rates (Dobson et al. 1991) and indirectly
// standardised ratios and rates, as PHEindicatormethods' calculate_dsr, calculate_ISRatio and
// calculate_ISRate (docs/METHODS.md, "Confidence intervals and estimators"). Pure functions;
// thread-safe.
//
// The bands of one call are one area (one group): the caller groups the rows. Inputs follow the
// PHE columns (count, pop, stdpop, refcount, refpop). Errors are ErrorCode::kInvalidValue with a
// message that names the band ("band 6 (25-29): the count -26 is negative") and `details`
// {"band": 1-based index, "label", "field", "value"}. `conf` is a level as MakeConfidence takes it.

#include <array>
#include <span>
#include <string_view>

#include "stats/estimate.hpp"

namespace halsonav::stats {

// One band of the 2013 European Standard Population (Eurostat 2013): 19 five-year bands, 0-4 to
// 90+, summing to 100,000.
struct StandardPopulationBand {
  std::string_view label;
  double population = 0;
};

inline constexpr std::array<StandardPopulationBand, 19> kEsp2013 = {{
    {"0-4", 5000},   {"5-9", 5500},   {"10-14", 5500}, {"15-19", 5500}, {"20-24", 6000},
    {"25-29", 6000}, {"30-34", 6500}, {"35-39", 7000}, {"40-44", 7000}, {"45-49", 7000},
    {"50-54", 7000}, {"55-59", 6500}, {"60-64", 6000}, {"65-69", 5500}, {"70-74", 5000},
    {"75-79", 4000}, {"80-84", 2500}, {"85-89", 1500}, {"90+", 1000},
}};

// One band (e.g. age group) of an area for a directly standardised rate.
struct DsrBand {
  double count = kAbsent;                // events (PHE `x`); missing counts as 0, as in PHE
  double population = kAbsent;           // population at risk (PHE `n`); must be > 0
  double standard_population = kAbsent;  // the standard's weight (PHE `stdpop`); must be >= 0
  std::string_view label;                // optional, e.g. "25-29"; names the band in errors
};

// A directly standardised rate with the totals PHE reports beside it.
struct DirectlyStandardised {
  Estimate estimate;
  double total_count = 0;       // O, the events of all bands (PHE total_count)
  double total_population = 0;  // the populations of all bands (PHE total_pop)
};

// The directly standardised rate sum(count/population × weight) / sum(weight) × multiplier with
// Dobson's interval (Byar's limits for O scaled by sqrt(var/O)); `se` is sqrt(var) × multiplier.
// When O < 10 the value and interval are absent with a note (PHE does not publish them).
// Method "dobson". Errors: no bands, a negative or infinite count, a population missing or
// <= 0, a standard population missing or < 0, all standard populations 0, multiplier <= 0.
Result<DirectlyStandardised> Dsr(std::span<const DsrBand> bands, double conf = kConf95,
                                 double multiplier = 100000);

// One band for non-independent events (an event can happen to one person several times):
// the persons by the number of events they had, instead of a count of events.
struct DsrPersonsBand {
  // persons_by_frequency[k]: the persons with k + 1 events in the band (PHE f1, f2, ...: `x` by
  // `eventfreq`); a missing entry counts as 0. Not owned: must outlive the call.
  std::span<const double> persons_by_frequency;
  double population = kAbsent;           // population at risk (PHE `n`); must be > 0
  double standard_population = kAbsent;  // the standard's weight (PHE `stdpop`); must be >= 0
  std::string_view label;                // optional, names the band in errors
};

// The directly standardised rate of events (persons × frequency) with Dobson's interval widened
// for non-independent events as PHE's calculate_dsr(independent_events = FALSE): the variance is
// sum over frequencies f of f² × the Dobson variance of the persons with f events. O < 10 gives
// an absent value and interval with a note. Method "dobson_non_independent". Errors as Dsr,
// plus bands whose persons_by_frequency differ in length.
Result<DirectlyStandardised> DsrNonIndependent(std::span<const DsrPersonsBand> bands,
                                               double conf = kConf95, double multiplier = 100000);

// One band of an area for an indirectly standardised ratio or rate.
struct IsrBand {
  double count = kAbsent;                 // observed events (PHE `x`); missing counts as 0
  double population = kAbsent;            // the area's population (PHE `n`); must be >= 0
  double reference_count = kAbsent;       // events in the reference (PHE `x_ref`); missing = 0
  double reference_population = kAbsent;  // the reference population (PHE `n_ref`); must be > 0
  std::string_view label;                 // optional, names the band in errors
};

// An indirectly standardised figure with the totals PHE reports beside it.
struct IndirectlyStandardised {
  Estimate estimate;
  double observed = 0;  // O: the sum of band counts, or the total given
  double expected = 0;  // E = sum(reference_count / reference_population × population)
  // sum(reference_count) / sum(reference_population) × multiplier for IsRate; kAbsent for
  // IsRatio (PHE ref_rate).
  double reference_rate = kAbsent;
};

// The indirectly standardised ratio O/E × reference_value (1, or 100 for an SMR-style ×100),
// with the interval of a Poisson count O divided by E: exact for O < 10 ("exact_poisson"), Byar's
// otherwise ("byar"), as PHE's calculate_ISRatio. `observed_total`, when given (not NaN), is O
// itself (PHE observed_totals) and the bands must then have no counts. `se` is sqrt(O)/E × the
// reference value. Errors: no bands, a negative count or population, a missing population, a
// reference population missing or <= 0, E = 0, counts given both per band and as a total.
Result<IndirectlyStandardised> IsRatio(std::span<const IsrBand> bands, double conf = kConf95,
                                       double reference_value = 1, double observed_total = kAbsent);

// The indirectly standardised rate O/E × the crude reference rate (per `multiplier`), with the
// same interval as IsRatio, as PHE's calculate_ISRate. Errors as IsRatio, plus multiplier <= 0.
Result<IndirectlyStandardised> IsRate(std::span<const IsrBand> bands, double conf = kConf95,
                                      double multiplier = 100000, double observed_total = kAbsent);

}  // namespace halsonav::stats
