#pragma once

// Period life expectancy from an abridged life table: Chiang's method II with Silcocks'
// confidence interval, as PHEindicatormethods' phe_life_expectancy and PHE's life expectancy
// calculator (docs/METHODS.md, "Confidence intervals and estimators"). Pure; thread-safe.

#include <span>
#include <string_view>
#include <vector>

#include "stats/estimate.hpp"

namespace halsonav::stats {

// One age band of an area (PHE columns startage, pops, deaths). The band runs to the next band's
// start age; the last band is open (e.g. 90+).
struct LifeTableBand {
  double start_age = kAbsent;   // in years: 0, 1, 5, 10, ..., 90 in the ONS/PHE layout
  double population = kAbsent;  // person-years at risk (mid-year population); must be > 0
  double deaths = kAbsent;      // deaths in the band; >= 0 and at most the population
};

// The life expectancy at each band's start age, one Estimate per band in the bands' order, with
// Silcocks' standard error and the normal interval e ± z × se (method "chiang_silcocks").
// The bands must start at age 0 and ascend; the band starting at 0 is taken as the first year of
// life (a = 0.1), every other band has a = 0.5, so the ONS/PHE layout 0, 1, 5, ..., 90 is the
// one the method is meant for.
// Undefined results stay kAbsent with a note (PHE rules): everything when the total population
// is 5,000 or less, or when the open band has no deaths; the value alone (interval kept) where
// the 95 % interval is wider than 20 years.
// Errors (naming the band): fewer than 2 bands, start ages not starting at 0 or not ascending, a
// missing value, a population <= 0, negative deaths, deaths above the population.
Result<std::vector<Estimate>> LifeExpectancy(std::span<const LifeTableBand> bands,
                                             double conf = kConf95);

}  // namespace halsonav::stats
