#include "stats/estimate.hpp"

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace halsonav::stats {

double TwoSidedZ(double level) {
  const boost::math::normal_distribution<double> standard;
  return boost::math::quantile(standard, 1.0 - (1.0 - level) / 2.0);
}

Result<Confidence> MakeConfidence(double level) {
  const double given = level;
  if (std::isfinite(level) && level >= 90) level /= 100;
  if (!std::isfinite(level) || level <= 0 || level >= 1) {
    return Fail(
        ErrorCode::kInvalidValue,
        fmt::format("the confidence level {} is not between 0 and 1 (e.g. 0.95 or 95)", given),
        {{"field", "conf"}, {"value", given}});
  }
  return Confidence{level, TwoSidedZ(level)};
}

}  // namespace halsonav::stats
