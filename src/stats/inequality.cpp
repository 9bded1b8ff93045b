#include "stats/inequality.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

// Sources (docs/METHODS.md, "Measures of inequality"):
// - WHO, Health Equity Assessment Toolkit (HEAT) and its R package healthequal
//   (WHOequity/healthequal @ 3e7e0406); Schlotheuber A, Hosseinpoor AR. Summary measures of
//   health inequality: a review of existing measures and their application. Int J Environ Res
//   Public Health 2022;19(6):3697.
// - Standard errors of BGV, TI, MLD, R: Ahn J et al. Variance estimation and confidence intervals
//   for 11 commonly used health disparity measures. JCO Clin Cancer Inform 2018;2:1-19.
// - PAR/PAF: Walter SD. Calculation of attributable risks from epidemiological data. Int J
//   Epidemiol 1978;7(2):175-82.
// - ACI/RCI by the "convenient regression": O'Donnell O et al. Analyzing Health Equity Using
//   Household Survey Data. World Bank 2008, ch. 8.
// - PHE's SII/RII: PHEindicatormethods::phe_sii (ukhsa-collaboration @ 093fd288); Low A, Low A.
//   Measuring the gap: quantifying and comparing local health inequalities. J Public Health
//   2004;26:388-395.
// - Random numbers: xoshiro256++ (Blackman & Vigna 2018) seeded by splitmix64; normal deviates by
//   the ziggurat method (Marsaglia & Tsang 2000, J Stat Softw 5(8)).

namespace halsonav::stats {
namespace {

// PHE derives standard errors from 95 % limits whatever the requested confidence.
constexpr double kZ95 = 1.959963984540054;
// healthequal replaces an estimate of 0 by this before taking logarithms (TI, MLD).
constexpr double kZeroEstimate = 0.000001;
// glm()'s defaults: epsilon 1e-8, at most 25 iterations.
constexpr double kGlmEpsilon = 1e-8;
constexpr int kGlmMaxIterations = 25;
// Fewest draws PHE accepts for its interval.
constexpr int kPheMinRepetitions = 1000;
// Subgroups whose per-subgroup arrays live on the stack (larger sets use the heap).
constexpr std::size_t kStackGroups = 64;
// Normal deviates drawn at a time for one simulated set (more subgroups use the heap).
constexpr std::size_t kDrawBlock = 128;
// Rejection sampling of WHO's truncated draws gives up after this many tries for one value.
constexpr int kMaxRejections = 10000;

// ---- Small buffers: the analytic paths must not allocate for ordinary sets ----------------------

template <typename T, std::size_t N = kStackGroups>
class SmallBuffer {
 public:
  explicit SmallBuffer(std::size_t size) { data_ = size > N ? Grow(size) : local_; }
  SmallBuffer(const SmallBuffer&) = delete;
  SmallBuffer& operator=(const SmallBuffer&) = delete;
  T* Data() { return data_; }
  T& operator[](std::size_t index) { return data_[index]; }

 private:
  [[gnu::noinline]] T* Grow(std::size_t size) {
    heap_.resize(size);
    return heap_.data();
  }
  T local_[N];  // uninitialised on purpose: callers write before they read
  std::vector<T> heap_;
  T* data_;
};

// The subgroups of an ordered set from the lowest order to the highest: position k of the order
// is subgroup (*this)[k]. Sets that arrive sorted (the usual case) use no permutation.
class OrderIndex {
 public:
  explicit OrderIndex(std::size_t size) : buffer_(size) {}
  std::size_t operator[](std::size_t position) const {
    return permutation_ == nullptr ? position : permutation_[position];
  }
  // Builds the index; on two subgroups with the same order returns their indices.
  std::pair<std::size_t, std::size_t> Build(std::span<const int> order) {
    const std::size_t n = order.size();
    bool sorted = true;
    for (std::size_t j = 1; j < n; ++j) sorted &= order[j - 1] < order[j];
    if (sorted) return {0, 0};
    std::uint32_t* permutation = buffer_.Data();
    for (std::size_t j = 0; j < n; ++j) permutation[j] = static_cast<std::uint32_t>(j);
    std::stable_sort(permutation, permutation + n,
                     [&](std::uint32_t a, std::uint32_t b) { return order[a] < order[b]; });
    permutation_ = permutation;
    for (std::size_t k = 1; k < n; ++k) {
      if (order[permutation[k - 1]] == order[permutation[k]]) {
        return {permutation[k - 1], permutation[k]};
      }
    }
    return {0, 0};
  }

 private:
  SmallBuffer<std::uint32_t> buffer_;
  const std::uint32_t* permutation_ = nullptr;
};

// ---- Random numbers ----------------------------------------------------------------------------

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256++: fast, 256 bits of state, passes BigCrush; the same seed gives the same stream on
// every platform.
class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed) {
    for (auto& word : state_) word = SplitMix64(seed);
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

// The 256 layers of the ziggurat for the standard normal density f(x) = exp(-x^2/2).
struct Ziggurat {
  static constexpr double kR = 3.6541528853610088;  // start of the tail
  static constexpr double kV = 4.92867323399e-3;    // area of each layer
  std::array<double, 257> x{};                      // layer edges; x[0] = kV / f(kR)
  std::array<double, 256> ratio{};                  // x[i + 1] / x[i]
  std::array<double, 257> f{};                      // f(x[i])
  Ziggurat() {
    const auto density = [](double v) { return std::exp(-0.5 * v * v); };
    x[0] = kV / density(kR);
    x[1] = kR;
    for (int i = 1; i < 255; ++i) x[i + 1] = std::sqrt(-2 * std::log(kV / x[i] + density(x[i])));
    x[256] = 0;
    for (int i = 0; i < 257; ++i) f[i] = density(x[i]);
    for (int i = 0; i < 256; ++i) ratio[i] = x[i + 1] / x[i];
  }
};

const Ziggurat& ZigguratTables() {
  static const Ziggurat kTables;
  return kTables;
}

// Standard normal deviates: one 64-bit word gives the layer (8 bits), the sign (1 bit) and the
// position (53 bits); about 99 % of draws end in the first comparison.
class NormalGenerator {
 public:
  explicit NormalGenerator(std::uint64_t seed) : rng_(seed), tables_(ZigguratTables()) {}
  // Fills `out` with `count` deviates: the same stream as `count` calls of Next(), in a loop the
  // compiler keeps in registers.
  void Fill(double* out, std::size_t count) {
    Xoshiro256 rng = rng_;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t bits = rng.Next();
      const unsigned layer = bits & 0xff;
      const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;
      if (u < tables_.ratio[layer]) [[likely]] {
        out[i] = ((bits & 0x100) != 0 ? -u : u) * tables_.x[layer];
      } else {
        rng_ = rng;
        out[i] = Slow(bits);
        rng = rng_;
      }
    }
    rng_ = rng;
  }
  double Next() { return Slow(rng_.Next()); }

 private:
  // The whole algorithm from a first word (the fast path again, then the wedges and the tail).
  double Slow(std::uint64_t bits) {
    for (;; bits = rng_.Next()) {
      const unsigned layer = bits & 0xff;
      const double sign = (bits & 0x100) != 0 ? -1.0 : 1.0;
      const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;
      if (u < tables_.ratio[layer]) return sign * u * tables_.x[layer];
      if (layer == 0) return sign * Tail();
      const double x = u * tables_.x[layer];
      const double y =
          tables_.f[layer] + rng_.Uniform() * (tables_.f[layer + 1] - tables_.f[layer]);
      if (y < std::exp(-0.5 * x * x)) return sign * x;
    }
  }

  // Marsaglia's method for the tail beyond kR.
  double Tail() {
    for (;;) {
      const double a = -std::log1p(-rng_.Uniform()) / Ziggurat::kR;
      const double b = -std::log1p(-rng_.Uniform());
      if (2 * b > a * a) return Ziggurat::kR + a;
    }
  }
  Xoshiro256 rng_;
  const Ziggurat& tables_;
};

// A per-thread buffer for simulated values, so that repeated simulations do not allocate.
std::vector<double>& DrawBuffer(std::size_t size) {
  thread_local std::vector<double> buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer;
}

// ---- Registry ----------------------------------------------------------------------------------

enum MeasureIndex : int {
  kD,
  kR,
  kSii,
  kRii,
  kAci,
  kRci,
  kBgv,
  kBgsd,
  kCov,
  kIdisu,
  kIdisw,
  kMdbu,
  kMdbw,
  kMdmu,
  kMdmw,
  kMdru,
  kMdrw,
  kTi,
  kMld,
  kPar,
  kPaf,
  kSiiPhe,
  kRiiPhe,
  kGapDifference,
  kGapRatio,
  kMeasureCount,
};

// id, name, ordered, non-ordered, has_se, simulated, min_groups, function. Applicability follows
// HEAT; the minimum of three subgroups for the complex WHO measures follows healthequal, that of
// five quantiles for PHE's SII follows phe_sii.
constexpr std::array<MeasureInfo, kMeasureCount> kMeasures = {{
    {"d", "Difference", true, true, true, false, 2, &Difference},
    {"r", "Ratio", true, true, true, false, 2, &Ratio},
    {"sii", "Slope index of inequality", true, false, true, false, 3, &Sii},
    {"rii", "Relative index of inequality", true, false, true, false, 3, &Rii},
    {"aci", "Absolute concentration index", true, false, true, false, 3, &Aci},
    {"rci", "Relative concentration index", true, false, true, false, 3, &Rci},
    {"bgv", "Between-group variance", false, true, true, false, 3, &Bgv},
    {"bgsd", "Between-group standard deviation", false, true, false, true, 3, &Bgsd},
    {"cov", "Coefficient of variation", false, true, false, true, 3, &Cov},
    {"idisu", "Index of disparity (unweighted)", false, true, false, true, 3, &Idisu},
    {"idisw", "Index of disparity (weighted)", false, true, false, true, 3, &Idisw},
    {"mdbu", "Mean difference from best performing subgroup (unweighted)", false, true, false, true,
     3, &Mdbu},
    {"mdbw", "Mean difference from best performing subgroup (weighted)", false, true, false, true,
     3, &Mdbw},
    {"mdmu", "Mean difference from mean (unweighted)", false, true, false, true, 3, &Mdmu},
    {"mdmw", "Mean difference from mean (weighted)", false, true, false, true, 3, &Mdmw},
    {"mdru", "Mean difference from reference subgroup (unweighted)", false, true, false, true, 3,
     &Mdru},
    {"mdrw", "Mean difference from reference subgroup (weighted)", false, true, false, true, 3,
     &Mdrw},
    {"ti", "Theil index", false, true, true, false, 3, &Theil},
    {"mld", "Mean log deviation", false, true, true, false, 3, &Mld},
    {"par", "Population attributable risk", true, true, true, false, 3, &Par},
    {"paf", "Population attributable fraction", true, true, true, false, 3, &Paf},
    {"sii_phe", "Slope index of inequality (PHE)", true, false, false, true, 5, &SiiPhe},
    {"rii_phe", "Relative index of inequality (PHE)", true, false, false, true, 5, &RiiPhe},
    {"gap_difference", "Difference between two subgroups", true, true, true, false, 2,
     &GapDifference},
    {"gap_ratio", "Ratio of two subgroups", true, true, true, false, 2, &GapRatio},
}};

// ---- Validation --------------------------------------------------------------------------------

std::string SubgroupLabel(const SubgroupSet& set, std::size_t j) {
  if (set.order.size() == set.estimate.size()) {
    return fmt::format("subgroup {} (subgroup_order {})", j + 1, set.order[j]);
  }
  return fmt::format("subgroup {}", j + 1);
}

tl::unexpected<Error> SetError(const MeasureInfo& info, std::string message,
                               nlohmann::json details = nlohmann::json::object()) {
  details["measure"] = info.id;
  return Fail(ErrorCode::kInvalidValue, fmt::format("{}: {}", info.id, message),
              std::move(details));
}

tl::unexpected<Error> SubgroupError(const MeasureInfo& info, const SubgroupSet& set, std::size_t j,
                                    std::string_view field, double value, std::string_view what) {
  return SetError(info, fmt::format("{}: {}", SubgroupLabel(set, j), what),
                  {{"subgroup", j + 1}, {"field", field}, {"value", value}});
}

// What a measure needs beyond estimates, as bits (a plain integer, so that the hot path passes it
// in a register).
enum Needs : unsigned {
  kNeedsNothing = 0,
  kNeedsPopulation = 1,           // every subgroup's population
  kNeedsPopulationOrAverage = 2,  // populations or the setting average
  kNeedsReference = 4,            // a reference subgroup
};

using Checked = tl::expected<void, Error>;

// The first entry of `values` that `bad` rejects (only looked for once the fast scan failed).
template <typename Bad>
std::size_t FirstBad(std::span<const double> values, Bad bad) {
  std::size_t j = 0;
  while (j < values.size() && !bad(values[j])) ++j;
  return j;
}

Checked CheckSpanSize(const MeasureInfo& info, std::size_t n, std::size_t size,
                      std::string_view field) {
  if (size != 0 && size != n) {
    return SetError(info,
                    fmt::format("{} has {} entries for {} subgroups (give one per subgroup, or "
                                "none)",
                                field, size, n),
                    {{"field", field}, {"size", size}, {"subgroups", n}});
  }
  return {};
}

// Finds what is wrong with a set that failed LooksValid (or has unsorted orders, which is fine)
// and names it; builds `order_index` for a valid ordered set. Kept out of line: only sets that
// are invalid or unsorted get here.
[[gnu::noinline, gnu::cold]] Checked CheckSetSlow(const MeasureInfo& info, const SubgroupSet& set,
                                                  const MeasureOptions& options,
                                                  OrderIndex& order_index, Needs needs) {
  const std::size_t n = set.estimate.size();
  if (set.ordered && !info.ordered) {
    return SetError(info, fmt::format("{} applies to non-ordered dimensions only, but the set is "
                                      "ordered",
                                      info.name));
  }
  if (!set.ordered && !info.non_ordered) {
    return SetError(info, fmt::format("{} applies to ordered dimensions only (it needs "
                                      "subgroup_order), but the set is not ordered",
                                      info.name));
  }
  if (n < static_cast<std::size_t>(info.min_groups)) {
    return SetError(info,
                    fmt::format("{} needs at least {} subgroups, the set has {}", info.name,
                                info.min_groups, n),
                    {{"subgroups", n}, {"min_groups", info.min_groups}});
  }
  const Confidence& confidence = options.confidence;
  if (!(confidence.level > 0 && confidence.level < 1 && std::isfinite(confidence.z) &&
        confidence.z > 0)) {
    return SetError(info,
                    fmt::format("the confidence level {} is not between 0 and 1 (build it with "
                                "MakeConfidence)",
                                confidence.level),
                    {{"field", "conf"}, {"value", confidence.level}});
  }
  for (const auto& [span_size, field] :
       {std::pair{set.se.size(), "se"}, std::pair{set.population.size(), "population"},
        std::pair{set.lower.size(), "lower"}, std::pair{set.upper.size(), "upper"}}) {
    if (auto checked = CheckSpanSize(info, n, span_size, field); !checked) return checked;
  }
  if (set.ordered && set.order.size() != n) {
    return SetError(info,
                    fmt::format("an ordered set needs the subgroup_order of each of its {} "
                                "subgroups, got {}",
                                n, set.order.size()),
                    {{"field", "subgroup_order"}, {"size", set.order.size()}, {"subgroups", n}});
  }
  if (!set.ordered && !set.order.empty() && set.order.size() != n) {
    return SetError(
        info, fmt::format("subgroup_order has {} entries for {} subgroups", set.order.size(), n),
        {{"field", "subgroup_order"}, {"size", set.order.size()}, {"subgroups", n}});
  }
  if (set.lower.empty() != set.upper.empty()) {
    return SetError(info, "give both lower and upper limits of the estimates, or neither",
                    {{"field", set.lower.empty() ? "lower" : "upper"}});
  }

  // One pass without branches over the common case; the slow scans only name the culprit.
  bool estimates_ok = true;
  for (double value : set.estimate) estimates_ok &= std::isfinite(value);
  if (!estimates_ok) {
    const std::size_t j = FirstBad(set.estimate, [](double v) { return !std::isfinite(v); });
    const double value = set.estimate[j];
    return SubgroupError(
        info, set, j, "estimate", value,
        std::isnan(value) ? "the estimate is missing" : "the estimate is not a finite number");
  }
  bool se_ok = true;
  for (double value : set.se) se_ok &= std::isnan(value) || (value >= 0 && std::isfinite(value));
  if (!se_ok) {
    const std::size_t j =
        FirstBad(set.se, [](double v) { return !std::isnan(v) && !(v >= 0 && std::isfinite(v)); });
    const double value = set.se[j];
    return SubgroupError(info, set, j, "se", value,
                         value < 0 ? fmt::format("the standard error {} is negative", value)
                                   : "the standard error is not a finite number");
  }
  if (!set.population.empty()) {
    bool population_ok = true;
    double total = 0;
    for (double value : set.population) {
      population_ok &= value >= 0 && std::isfinite(value);
      total += value;
    }
    if (!population_ok) {
      const std::size_t j =
          FirstBad(set.population, [](double v) { return !(v >= 0 && std::isfinite(v)); });
      const double value = set.population[j];
      return SubgroupError(info, set, j, "population", value,
                           std::isnan(value) ? "the population is missing"
                           : value < 0       ? fmt::format("the population {} is negative", value)
                                             : "the population is not a finite number");
    }
    if (!(total > 0)) {
      return SetError(info, "every subgroup has a population of 0", {{"field", "population"}});
    }
  } else if ((needs & kNeedsPopulation)) {
    return SetError(info, fmt::format("{} needs the population of every subgroup", info.name),
                    {{"field", "population"}});
  } else if ((needs & kNeedsPopulationOrAverage) && !Present(set.setting_average)) {
    return SetError(info,
                    fmt::format("{} needs the populations of the subgroups or the setting "
                                "average",
                                info.name),
                    {{"field", "population"}});
  }
  for (std::size_t j = 0; j < set.lower.size(); ++j) {
    const double lower = set.lower[j];
    const double upper = set.upper[j];
    if (std::isinf(lower) || std::isinf(upper) || lower > upper) {
      return SubgroupError(info, set, j, "lower", lower,
                           fmt::format("the limits {} to {} are not an interval", lower, upper));
    }
  }
  if (set.reference != -1 && (set.reference < 0 || static_cast<std::size_t>(set.reference) >= n)) {
    return SetError(
        info, fmt::format("the reference subgroup index {} is outside 0..{}", set.reference, n - 1),
        {{"field", "reference"}, {"value", set.reference}});
  }
  if ((needs & kNeedsReference) && set.reference == -1) {
    return SetError(info, fmt::format("{} needs a reference subgroup", info.name),
                    {{"field", "reference"}});
  }
  if (std::isinf(set.setting_average)) {
    return SetError(info, "the setting average is not a finite number",
                    {{"field", "setting_average"}});
  }
  if (Present(set.scale) && !(set.scale > 0 && std::isfinite(set.scale))) {
    return SetError(info, fmt::format("the indicator scale {} is not a positive number", set.scale),
                    {{"field", "scale"}, {"value", set.scale}});
  }
  if (set.ordered) {
    const auto [first, second] = order_index.Build(set.order);
    if (first != second) {
      return SetError(info,
                      fmt::format("subgroups {} and {} have the same subgroup_order {}", first + 1,
                                  second + 1, set.order[first]),
                      {{"field", "subgroup_order"},
                       {"subgroups", {first + 1, second + 1}},
                       {"value", set.order[first]}});
    }
  }
  return {};
}

constexpr double kLargest = std::numeric_limits<double>::max();

// True when nothing is wrong with the set for this measure, checked with few branches (the hot
// path of every measure); CheckSetSlow then has nothing to report.
bool LooksValid(const MeasureInfo& info, const SubgroupSet& set, const MeasureOptions& options,
                Needs needs) {
  const std::size_t n = set.estimate.size();
  const auto size_ok = [n](std::size_t size) { return size == 0 || size == n; };
  const Confidence& confidence = options.confidence;
  const bool shape_ok = (set.ordered ? info.ordered : info.non_ordered) &&
                        n >= static_cast<std::size_t>(info.min_groups) && confidence.level > 0 &&
                        confidence.level < 1 && confidence.z > 0 && confidence.z <= kLargest &&
                        size_ok(set.se.size()) && size_ok(set.population.size()) &&
                        set.lower.size() == set.upper.size() && size_ok(set.lower.size()) &&
                        (set.ordered ? set.order.size() == n : size_ok(set.order.size())) &&
                        set.reference >= -1 && set.reference < static_cast<std::ptrdiff_t>(n) &&
                        (!(needs & kNeedsReference) || set.reference != -1) &&
                        !std::isinf(set.setting_average) &&
                        (std::isnan(set.scale) || (set.scale > 0 && set.scale <= kLargest));
  if (!shape_ok) return false;
  bool ok = true;
  for (double value : set.estimate) ok &= std::fabs(value) <= kLargest;
  for (double value : set.se) ok &= !(value < 0 || value > kLargest);  // NaN: absent, fine
  if (!set.population.empty()) {
    bool someone = false;
    for (double value : set.population) {
      ok &= value >= 0 && value <= kLargest;
      someone |= value > 0;
    }
    ok &= someone;
  } else {
    ok &= !(needs & kNeedsPopulation) &&
          (!(needs & kNeedsPopulationOrAverage) || Present(set.setting_average));
  }
  for (std::size_t j = 0; j < set.lower.size(); ++j) {
    ok &= !(std::fabs(set.lower[j]) > kLargest || std::fabs(set.upper[j]) > kLargest ||
            set.lower[j] > set.upper[j]);
  }
  return ok;
}

bool Increasing(std::span<const int> order) {
  bool increasing = true;
  for (std::size_t j = 1; j < order.size(); ++j) increasing &= order[j - 1] < order[j];
  return increasing;
}

// Everything every measure checks: the kind of dimension, the number of subgroups, the lengths
// and the values of the spans, the reference index, the options' confidence level, and (for
// ordered sets) that orders are distinct, building `order_index` when they are not sorted.
inline Checked CheckSet(const MeasureInfo& info, const SubgroupSet& set,
                        const MeasureOptions& options, OrderIndex& order_index, Needs needs) {
  if (LooksValid(info, set, options, needs) && (!set.ordered || Increasing(set.order))) [[likely]] {
    return {};
  }
  return CheckSetSlow(info, set, options, order_index, needs);
}

double ResolvedScale(const SubgroupSet& set) {
  return Present(set.scale) ? set.scale : AutomaticScale(set.estimate);
}

// ---- Common pieces -----------------------------------------------------------------------------

Estimate MakeEstimate(double value, const MeasureOptions& options, std::string_view method) {
  Estimate estimate;
  estimate.value = value;
  estimate.confidence = options.confidence.level;
  estimate.method = method;
  return estimate;
}

// A value the method leaves undefined, with the reason.
Estimate UndefinedEstimate(const MeasureOptions& options, std::string_view note) {
  Estimate estimate = MakeEstimate(kAbsent, options, "none");
  estimate.note = note;
  return estimate;
}

// value -+ z se when the standard error is usable.
void SetNormalInterval(Estimate& estimate, double se, const MeasureOptions& options) {
  if (!(se >= 0 && std::isfinite(se)) || !std::isfinite(estimate.value)) return;
  estimate.se = se;
  estimate.lower = estimate.value - options.confidence.z * se;
  estimate.upper = estimate.value + options.confidence.z * se;
}

// exp(ln value -+ z se_log) for a positive value.
void SetLogInterval(Estimate& estimate, double se_log, const MeasureOptions& options) {
  if (!(se_log >= 0 && std::isfinite(se_log)) || !(estimate.value > 0)) return;
  estimate.se = se_log;
  estimate.se_scale = "log";
  const double factor = std::exp(options.confidence.z * se_log);
  estimate.lower = estimate.value / factor;
  estimate.upper = estimate.value * factor;
}

bool AllSePresent(const SubgroupSet& set) {
  if (set.se.empty()) return false;
  bool present = true;
  for (double value : set.se) present &= !std::isnan(value);
  return present;
}

double SeOf(const SubgroupSet& set, std::size_t j) { return set.se.empty() ? kAbsent : set.se[j]; }

// Population shares into `share`; returns sum share * estimate (the population-weighted mean).
double WeightedMean(const SubgroupSet& set, double* share) {
  const std::size_t n = set.estimate.size();
  double total = 0;
  for (std::size_t j = 0; j < n; ++j) total += set.population[j];
  const double inverse = 1 / total;
  double mean = 0;
  for (std::size_t j = 0; j < n; ++j) {
    share[j] = set.population[j] * inverse;
    mean += share[j] * set.estimate[j];
  }
  return mean;
}

std::size_t ArgMax(std::span<const double> values) {
  std::size_t best = 0;
  for (std::size_t j = 1; j < values.size(); ++j) {
    if (values[j] > values[best]) best = j;
  }
  return best;
}

std::size_t ArgMin(std::span<const double> values) {
  std::size_t best = 0;
  for (std::size_t j = 1; j < values.size(); ++j) {
    if (values[j] < values[best]) best = j;
  }
  return best;
}

// The best-performing subgroup: the highest estimate for a favourable indicator, the lowest for
// an adverse one (the first of ties).
std::size_t BestSubgroup(const SubgroupSet& set) {
  return set.favourable ? ArgMax(set.estimate) : ArgMin(set.estimate);
}

// The subgroups D and R compare (healthequal's d() and r()).
std::pair<std::size_t, std::size_t> WhoPair(const SubgroupSet& set, const OrderIndex& order) {
  const std::size_t n = set.estimate.size();
  if (set.ordered) {
    const std::size_t lowest = order[0];
    const std::size_t highest = order[n - 1];
    return set.favourable ? std::pair{highest, lowest} : std::pair{lowest, highest};
  }
  const std::size_t highest = ArgMax(set.estimate);
  const std::size_t lowest = ArgMin(set.estimate);
  if (set.reference < 0) return {highest, lowest};
  const auto reference = static_cast<std::size_t>(set.reference);
  return set.favourable ? std::pair{reference, lowest} : std::pair{highest, reference};
}

Estimate DifferenceOf(const SubgroupSet& set, std::size_t first, std::size_t second,
                      const MeasureOptions& options) {
  Estimate estimate = MakeEstimate(set.estimate[first] - set.estimate[second], options, "normal");
  const double se_first = SeOf(set, first);
  const double se_second = SeOf(set, second);
  if (Present(se_first) && Present(se_second)) {
    SetNormalInterval(estimate, std::sqrt(se_first * se_first + se_second * se_second), options);
  } else {
    estimate.method = "none";
    estimate.note = "no standard error for one of the two subgroups: no interval";
  }
  return estimate;
}

Estimate RatioOf(const SubgroupSet& set, std::size_t first, std::size_t second,
                 const MeasureOptions& options) {
  const double y1 = set.estimate[first];
  const double y2 = set.estimate[second];
  Estimate estimate = MakeEstimate(kAbsent, options, "log_normal");
  if (y2 == 0) {
    estimate.method = "none";
    estimate.note = "the estimate of the second subgroup is 0: the ratio is undefined";
    return estimate;
  }
  estimate.value = y1 / y2;
  const double se_first = SeOf(set, first);
  const double se_second = SeOf(set, second);
  if (!Present(se_first) || !Present(se_second)) {
    estimate.method = "none";
    estimate.note = "no standard error for one of the two subgroups: no interval";
  } else if (!(y1 > 0 && y2 > 0)) {
    estimate.method = "none";
    estimate.note = "an estimate is 0 or negative: no interval on the log scale";
  } else {
    SetLogInterval(estimate,
                   std::sqrt(se_first * se_first / (y1 * y1) + se_second * se_second / (y2 * y2)),
                   options);
  }
  return estimate;
}

// ---- WHO's simulated intervals -----------------------------------------------------------------

// Type 7 quantile (R's default) of sorted values.
double SortedQuantile(const double* sorted, std::size_t count, double probability) {
  const double h = static_cast<double>(count - 1) * probability;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= count) return sorted[count - 1];
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

// The limits of a simulated interval, or why there are none.
struct Simulated {
  double lower = kAbsent;
  double upper = kAbsent;
  std::string_view note;
};

// healthequal's interval for BGSD, COV, IDIS* and MD*: every estimate is drawn from a normal
// distribution with its standard error, truncated to [0, 100] for a scale of 100 and to >= 0
// otherwise (by rejection); the measure is recomputed on each simulated set and the interval is
// the (1-level)/2 and (1+level)/2 quantiles (type 7) of the results. Out of line: the analytic
// path must not pay for it.
template <typename Measure>
[[gnu::noinline]] Simulated Simulate(const SubgroupSet& set, const MeasureOptions& options,
                                     Measure measure) {
  const std::size_t n = set.estimate.size();
  const double ceiling =
      ResolvedScale(set) == 100 ? 100.0 : std::numeric_limits<double>::infinity();
  const auto simulations = static_cast<std::size_t>(options.who_simulations);
  std::vector<double>& results = DrawBuffer(simulations);
  SmallBuffer<double> draw(n);
  NormalGenerator normal(options.seed);
  for (std::size_t s = 0; s < simulations; ++s) {
    for (std::size_t j = 0; j < n; ++j) {
      int tries = 0;
      double value = 0;
      do {
        if (++tries > kMaxRejections) {
          return {kAbsent, kAbsent,
                  "no interval: an estimate lies too far outside the range the simulation allows "
                  "(0 to the scale of 100, or >= 0)"};
        }
        value = set.estimate[j] + set.se[j] * normal.Next();
      } while (!(value >= 0 && value <= ceiling));
      draw[j] = value;
    }
    results[s] = measure(draw.Data());
  }
  std::sort(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(simulations));
  const double tail = (1 - options.confidence.level) / 2;
  return {SortedQuantile(results.data(), simulations, tail),
          SortedQuantile(results.data(), simulations, 1 - tail),
          "simulated interval (healthequal's method); no standard error"};
}

// The estimate of a measure whose interval is simulated (healthequal's BGSD, COV, IDIS*, MD*).
template <typename Measure>
Estimate SimulatedEstimate(double value, const SubgroupSet& set, const MeasureOptions& options,
                           Measure measure) {
  Estimate estimate = MakeEstimate(value, options, "none");
  if (options.who_simulations <= 0) {
    estimate.note = "no interval: simulations switched off (who_simulations = 0)";
  } else if (!AllSePresent(set)) {
    estimate.note = "no interval: standard errors are missing";
  } else {
    const Simulated simulated = Simulate(set, options, measure);
    estimate.lower = simulated.lower;
    estimate.upper = simulated.upper;
    estimate.note = simulated.note;
    if (Present(simulated.lower)) estimate.method = "simulated";
  }
  return estimate;
}

// ---- WHO's SII and RII: logistic regression on the rank ----------------------------------------

struct LogisticFit {
  double b0 = kAbsent;                                 // intercept
  double b1 = kAbsent;                                 // coefficient of the rank
  double v00 = kAbsent, v01 = kAbsent, v11 = kAbsent;  // HC1 covariance of (b0, b1)
  double scale = kAbsent;
  std::string_view note;
};

double Expit(double x) {
  const double e = std::exp(-std::fabs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

// glm(cbind(y, pop - y) ~ rank, weights = pop, family = quasibinomial) as healthequal's sii() and
// rii() fit it, with R's IRLS (glm.fit: start mu = (n y + 0.5)/(n + 1), stop when
// |dev - dev_old| / (|dev| + 0.1) < 1e-8), then the HC1 sandwich covariance the way
// sandwich::vcovHC computes it for a glm (bread from the last iteration's working weights,
// estimating functions from the final fit).
tl::expected<LogisticFit, Error> FitWhoLogistic(const MeasureInfo& info, const SubgroupSet& set,
                                                const OrderIndex& order) {
  const std::size_t n = set.estimate.size();
  const double scale = ResolvedScale(set);
  // One buffer for the eight per-subgroup arrays (a single stack block for up to 64 subgroups).
  SmallBuffer<double, 8 * kStackGroups> buffer(8 * n);
  double* const rank = buffer.Data();
  double* const fraction = rank + n;
  double* const prior = fraction + n;
  double* const constant = prior + n;
  double* const eta = constant + n;
  double* const mu = eta + n;
  double* const soft = mu + n;
  double* const working = soft + n;
  double total = 0;
  for (std::size_t k = 0; k < n; ++k) total += std::ceil(set.population[order[k]]);
  double cumulative = 0;
  std::size_t observations = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = order[k];
    const double size = std::ceil(set.population[j]);
    const double events = std::nearbyint(set.estimate[j] / scale * size);
    if (set.estimate[j] < 0) {
      return SubgroupError(info, set, j, "estimate", set.estimate[j],
                           fmt::format("the estimate {} is negative (the model needs a "
                                       "proportion between 0 and the scale {})",
                                       set.estimate[j], scale));
    }
    if (events > size) {
      return SubgroupError(
          info, set, j, "estimate", set.estimate[j],
          fmt::format("the estimate {} is above the indicator scale {}", set.estimate[j], scale));
    }
    rank[k] = (cumulative + size / 2) / total;
    cumulative += size;
    const double f = size > 0 ? events / size : 0;
    fraction[k] = f;
    prior[k] = size * size;  // weights = pop, times the binomial totals pop
    constant[k] = (f > 0 ? f * std::log(f) : 0) + (f < 1 ? (1 - f) * std::log(1 - f) : 0);
    const double start = (size * f + 0.5) / (size + 1);
    const double log_rest = std::log(1 - start);
    mu[k] = start;
    eta[k] = std::log(start) - log_rest;
    soft[k] = -log_rest;  // log(1 + e^eta) = -log(1 - mu)
    observations += prior[k] > 0;
  }
  // Deviance 2 sum w [f ln(f/mu) + (1-f) ln((1-f)/(1-mu))] = 2 sum w [C - (f eta - ln(1+e^eta))].
  const auto deviance = [&] {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      sum += prior[k] * (constant[k] - (fraction[k] * eta[k] - soft[k]));
    }
    return 2 * sum;
  };
  double deviance_old = deviance();
  LogisticFit fit;
  fit.scale = scale;
  double a00 = 0, a01 = 0, a11 = 0;  // X'WX of the last iteration
  bool converged = false;
  for (int iteration = 0; iteration < kGlmMaxIterations && !converged; ++iteration) {
    a00 = a01 = a11 = 0;
    double c0 = 0, c1 = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double variance = mu[k] * (1 - mu[k]);
      const double w = prior[k] * variance;
      const double z = variance > 0 ? eta[k] + (fraction[k] - mu[k]) / variance : eta[k];
      working[k] = w;
      a00 += w;
      a01 += w * rank[k];
      a11 += w * rank[k] * rank[k];
      c0 += w * z;
      c1 += w * z * rank[k];
    }
    const double determinant = a00 * a11 - a01 * a01;
    fit.b0 = (a11 * c0 - a01 * c1) / determinant;
    fit.b1 = (a00 * c1 - a01 * c0) / determinant;
    if (!std::isfinite(fit.b0) || !std::isfinite(fit.b1)) break;
    for (std::size_t k = 0; k < n; ++k) {
      eta[k] = fit.b0 + fit.b1 * rank[k];
    }
    // Separate passes (exponentials, proportions, logarithms) let the processor overlap the
    // subgroups; log(1 + e) rather than log1p(e) because only the deviance uses it.
    for (std::size_t k = 0; k < n; ++k) soft[k] = std::exp(-std::fabs(eta[k]));
    for (std::size_t k = 0; k < n; ++k) {
      const double inverse = 1 / (1 + soft[k]);
      mu[k] = eta[k] >= 0 ? inverse : soft[k] * inverse;
    }
    for (std::size_t k = 0; k < n; ++k) {
      soft[k] = std::max(eta[k], 0.0) + std::log(1 + soft[k]);  // log(1 + e^eta)
    }
    const double deviance_new = deviance();
    converged =
        std::fabs(deviance_new - deviance_old) / (std::fabs(deviance_new) + 0.1) < kGlmEpsilon;
    deviance_old = deviance_new;
  }
  if (!std::isfinite(fit.b0) || !std::isfinite(fit.b1)) {
    fit.b0 = fit.b1 = kAbsent;
    fit.note = "the logistic fit failed (fitted proportions of 0 or 1): no value";
    return fit;
  }
  if (!converged) fit.note = "the logistic fit did not converge in 25 iterations";
  if (observations <= 2) {
    if (fit.note.empty()) fit.note = "fewer than three subgroups with people: no standard error";
    return fit;
  }
  // Sandwich: bread (X'WX)^-1, meat sum u^2 x x' with u = working weight * working residual.
  const double determinant = a00 * a11 - a01 * a01;
  const double i00 = a11 / determinant;
  const double i01 = -a01 / determinant;
  const double i11 = a00 / determinant;
  double m00 = 0, m01 = 0, m11 = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double variance = mu[k] * (1 - mu[k]);
    const double u = variance > 0 ? working[k] * (fraction[k] - mu[k]) / variance : 0;
    const double u2 = u * u;
    m00 += u2;
    m01 += u2 * rank[k];
    m11 += u2 * rank[k] * rank[k];
  }
  const double hc1 =
      static_cast<double>(observations) / static_cast<double>(observations - 2);  // n/(n-k)
  // V = hc1 * I M I with I symmetric.
  const double t00 = i00 * m00 + i01 * m01;
  const double t01 = i00 * m01 + i01 * m11;
  const double t10 = i01 * m00 + i11 * m01;
  const double t11 = i01 * m01 + i11 * m11;
  fit.v00 = hc1 * (t00 * i00 + t01 * i01);
  fit.v01 = hc1 * (t00 * i01 + t01 * i11);
  fit.v11 = hc1 * (t10 * i01 + t11 * i11);
  return fit;
}

double DeltaSe(const LogisticFit& fit, double g0, double g1) {
  const double variance = g0 * g0 * fit.v00 + 2 * g0 * g1 * fit.v01 + g1 * g1 * fit.v11;
  return variance >= 0 ? std::sqrt(variance) : kAbsent;
}

// ---- ACI and RCI -------------------------------------------------------------------------------

struct Concentration {
  double aci = kAbsent;
  double se = kAbsent;
  double mean = kAbsent;
};

// healthequal's "convenient regression": lhs = 2 sigma1 y sqrt(pop) on [rank sqrt(pop),
// sqrt(pop)] without constant, i.e. weighted least squares of 2 sigma1 y on the rank with weights
// pop, sigma1 = sum p (rank - 0.5)^2. The slope is the ACI; its SE is the OLS one (residual
// variance on n - 2 degrees of freedom).
Concentration ConcentrationIndex(const SubgroupSet& set, const OrderIndex& order) {
  const std::size_t n = set.estimate.size();
  SmallBuffer<double, 3 * kStackGroups> buffer(3 * n);
  double* const share = buffer.Data();
  double* const rank = share + n;
  double* const value = rank + n;
  double total = 0;
  for (std::size_t k = 0; k < n; ++k) total += set.population[order[k]];
  const double inverse_total = 1 / total;
  double cumulative = 0;
  double mean = 0;
  double mean_rank = 0;
  std::size_t observations = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = order[k];
    share[k] = set.population[j] * inverse_total;
    rank[k] = cumulative + share[k] / 2;
    cumulative += share[k];
    value[k] = set.estimate[j];
    mean += share[k] * value[k];
    mean_rank += share[k] * rank[k];
    observations += share[k] > 0;
  }
  double sigma1 = 0, srr = 0, sry = 0;
  for (std::size_t k = 0; k < n; ++k) {
    sigma1 += share[k] * (rank[k] - 0.5) * (rank[k] - 0.5);
    srr += share[k] * (rank[k] - mean_rank) * (rank[k] - mean_rank);
    sry += share[k] * (rank[k] - mean_rank) * (value[k] - mean);
  }
  const double factor = 2 * sigma1;
  Concentration result;
  result.mean = mean;
  result.aci = factor * sry / srr;
  if (observations > 2) {
    double rss = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double residual = factor * (value[k] - mean) - result.aci * (rank[k] - mean_rank);
      rss += share[k] * residual * residual;
    }
    result.se = std::sqrt(rss / (static_cast<double>(observations - 2) * srr));
  }
  return result;
}

// ---- TI and MLD --------------------------------------------------------------------------------

struct Entropy {
  double value = kAbsent;
  double se = kAbsent;
};

// Both from the logarithms of the estimates: MLD = ln mu - sum p ln y, TI = sum p y ln y / mu -
// ln mu (each times 1000), with Ahn et al.'s delta-method SEs (times 1000).
template <bool kTheil>
Entropy EntropyIndex(const SubgroupSet& set) {
  const std::size_t n = set.estimate.size();
  SmallBuffer<double, 3 * kStackGroups> buffer(3 * n);
  double* const share = buffer.Data();
  double* const value = share + n;
  double* const log_value = value + n;
  double total = 0;
  for (std::size_t j = 0; j < n; ++j) total += set.population[j];
  const double inverse_total = 1 / total;
  double mean = 0;
  for (std::size_t j = 0; j < n; ++j) {
    share[j] = set.population[j] * inverse_total;
    value[j] = set.estimate[j] == 0 ? kZeroEstimate : set.estimate[j];
    mean += share[j] * value[j];
  }
  double sum_log = 0;
  for (std::size_t j = 0; j < n; ++j) {
    log_value[j] = std::log(value[j]);
    sum_log += share[j] * (kTheil ? value[j] * log_value[j] : log_value[j]);
  }
  const double log_mean = std::log(mean);
  Entropy result;
  result.value = 1000 * (kTheil ? sum_log / mean - log_mean : log_mean - sum_log);
  if (!AllSePresent(set)) return result;
  double variance = 0;
  if constexpr (kTheil) {
    double centre = 0;  // sum p r (1 + ln r)
    for (std::size_t j = 0; j < n; ++j) {
      centre += share[j] * value[j] * (1 + log_value[j] - log_mean);
    }
    centre /= mean;
    for (std::size_t j = 0; j < n; ++j) {
      const double d = 1 + log_value[j] - log_mean - centre;
      variance += d * d * share[j] * share[j] * set.se[j] * set.se[j];
    }
  } else {
    for (std::size_t j = 0; j < n; ++j) {
      const double d = 1 - mean / value[j];
      variance += d * d * share[j] * share[j] * set.se[j] * set.se[j];
    }
  }
  result.se = 1000 * std::sqrt(variance) / mean;
  return result;
}

Result<Estimate> EntropyEstimate(const MeasureInfo& info, const SubgroupSet& set,
                                 const MeasureOptions& options, bool theil) {
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(info, set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(checked.error());
  }
  bool negative = false;
  bool zero = false;
  for (double value : set.estimate) {
    negative |= value < 0;
    zero |= value == 0;
  }
  for (std::size_t j = 0; negative && j < set.estimate.size(); ++j) {
    if (set.estimate[j] < 0) {
      return SubgroupError(info, set, j, "estimate", set.estimate[j],
                           fmt::format("the estimate {} is negative ({} takes logarithms)",
                                       set.estimate[j], info.name));
    }
  }
  const Entropy entropy = theil ? EntropyIndex<true>(set) : EntropyIndex<false>(set);
  Estimate estimate = MakeEstimate(entropy.value, options, "normal");
  if (Present(entropy.se)) {
    SetNormalInterval(estimate, entropy.se, options);
  } else {
    estimate.method = "none";
    estimate.note = "no interval: standard errors are missing";
  }
  if (zero) estimate.note = "an estimate of 0 was taken as 0.000001, as healthequal does";
  return estimate;
}

// ---- PAR and PAF -------------------------------------------------------------------------------

struct Attributable {
  double raw = kAbsent;    // y_ref - mean before the rule that sets it to 0
  double value = kAbsent;  // after the rule
  double mean = kAbsent;
  double fraction_se = kAbsent;  // Walter's SE of the attributable fraction (0-1 scale)
};

Attributable AttributableRisk(const SubgroupSet& set, const OrderIndex& order) {
  const std::size_t n = set.estimate.size();
  const std::size_t reference = set.ordered ? order[n - 1] : BestSubgroup(set);
  Attributable result;
  const bool weighted = !set.population.empty();
  double total = 0;
  if (weighted) {
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) {
      total += set.population[j];
      sum += set.population[j] * set.estimate[j];
    }
    result.mean = sum / total;
  } else {
    result.mean = set.setting_average;
  }
  const double y = set.estimate[reference];
  result.raw = y - result.mean;
  const bool no_gain = set.favourable ? result.raw < 0 : result.raw > 0;
  result.value = no_gain ? 0 : result.raw;
  if (weighted) {
    // Walter (1978) on the 2x2 table reference / rest x event / no event.
    const double scale = ResolvedScale(set);
    const double ref_population = set.population[reference];
    const double c = y / scale * ref_population;
    const double d = ref_population - c;
    const double a = result.mean / scale * total - c;
    const double b = total - a - ref_population;
    const double all = a + b + c + d;
    const double variance = (c * all * (a * d * (all - c) + b * c * c)) /
                            ((a + c) * (a + c) * (a + c) * (c + d) * (c + d) * (c + d));
    if (variance >= 0 && std::isfinite(variance)) result.fraction_se = std::sqrt(variance);
  }
  return result;
}

Result<Estimate> AttributableEstimate(const MeasureInfo& info, const SubgroupSet& set,
                                      const MeasureOptions& options, bool fraction) {
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(info, set, options, order, kNeedsPopulationOrAverage); !checked) {
    return tl::unexpected(checked.error());
  }
  const Attributable risk = AttributableRisk(set, order);
  Estimate estimate = MakeEstimate(risk.value, options, "normal");
  double se = kAbsent;
  if (fraction) {
    if (risk.mean == 0) {
      estimate.value = kAbsent;
      estimate.method = "none";
      estimate.note = "the mean is 0: the fraction is undefined";
      return estimate;
    }
    estimate.value = risk.value == 0 ? 0 : 100 * risk.raw / risk.mean;
    se = 100 * risk.fraction_se;
  } else {
    se = std::fabs(risk.mean) * risk.fraction_se;
  }
  if (Present(se)) {
    SetNormalInterval(estimate, se, options);
  } else {
    estimate.method = "none";
    estimate.note = set.population.empty()
                        ? "no interval: populations are needed for the standard error"
                        : "no interval: Walter's variance is undefined for this table";
  }
  return estimate;
}

// ---- PHE's SII and RII -------------------------------------------------------------------------

double PheForward(PheValueType type, double value, double scale) {
  switch (type) {
    case PheValueType::kRate:
      return std::log(value);
    case PheValueType::kProportion: {
      const double p = value / scale;
      return std::log(p) - std::log(1 - p);
    }
    case PheValueType::kNormal:
      break;
  }
  return value;
}

double PheBackward(PheValueType type, double value, double scale) {
  switch (type) {
    case PheValueType::kRate:
      return std::exp(value);
    case PheValueType::kProportion:
      return Expit(value) * scale;
    case PheValueType::kNormal:
      break;
  }
  return value;
}

// Shares a, midpoint ranks b and the fit's linear weights: the weighted least-squares slope is
// sum c1_k v_k with c1_k = a_k (b_k - mean b) / S_bb, the intercept sum c0_k v_k with
// c0_k = a_k - mean b * c1_k (the shares sum to 1). Returns (intercept, slope) for the values
// (transformed when `transform`). Kept apart so that its sums stay in registers.
[[gnu::noinline]] std::pair<double, double> PheFit(const SubgroupSet& set, const OrderIndex& order,
                                                   PheValueType type, bool transform, double scale,
                                                   double* c0, double* c1) {
  const std::size_t n = set.estimate.size();
  double total = 0;
  for (std::size_t k = 0; k < n; ++k) total += set.population[order[k]];
  const double inverse_total = 1 / total;
  double cumulative = 0;
  double mean_rank = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double a = set.population[order[k]] * inverse_total;
    c0[k] = a;
    c1[k] = cumulative + a / 2;  // the rank, for now
    cumulative += a;
    mean_rank += a * c1[k];
  }
  double sbb = 0;
  for (std::size_t k = 0; k < n; ++k) {
    c1[k] -= mean_rank;
    sbb += c0[k] * c1[k] * c1[k];
  }
  const double inverse_sbb = 1 / sbb;
  double b0 = 0, b1 = 0;
  for (std::size_t k = 0; k < n; ++k) {
    c1[k] *= c0[k] * inverse_sbb;
    c0[k] -= mean_rank * c1[k];
    const double value = set.estimate[order[k]];
    const double fitted = transform ? PheForward(type, value, scale) : value;
    b0 += c0[k] * fitted;
    b1 += c1[k] * fitted;
  }
  return {b0, b1};
}

// phe_sii: weighted least squares of the value on the cumulative midpoint rank b (weights a =
// population shares), i.e. lm(y sqrt(a) ~ sqrt(a) + b sqrt(a) - 1); SII = multiplier * slope,
// RII = (intercept + slope) / intercept. With `phe_transform` the fit is on the log / logit
// scale and both come from the back-transformed fit at b = 0 and b = 1. The interval: draws of
// every quantile from N(transformed value, SE), back-transformed, refitted; the limits are the
// sorted draws at positions round(R (1 - c)) and round(R c), c = level + (1 - level) / 2.
struct PheModel {
  PheValueType type = PheValueType::kNormal;
  bool transform = false;
  double scale = 1;
  double multiplier = 1;
  double Sii(double intercept, double slope) const {
    return transform ? multiplier * (PheBackward(type, intercept + slope, scale) -
                                     PheBackward(type, intercept, scale))
                     : multiplier * slope;
  }
  double Rii(double intercept, double slope) const {
    const double ratio = transform ? PheBackward(type, intercept + slope, scale) /
                                         PheBackward(type, intercept, scale)
                                   : (intercept + slope) / intercept;
    return multiplier < 0 ? 1 / ratio : ratio;
  }
};

// PHE's Monte Carlo limits of the SII (or of the RII when `rii`). Out of line: the point
// estimate must not pay for it.
[[gnu::noinline]] tl::expected<std::pair<double, double>, Error> PheInterval(
    const MeasureInfo& info, const SubgroupSet& set, const MeasureOptions& options,
    const OrderIndex& order, const PheModel& model, double b0, double b1, const double* c0,
    const double* c1, bool rii) {
  const std::size_t n = set.estimate.size();
  const PheValueType type = model.type;
  const double scale = model.scale;
  const bool transform = model.transform;
  SmallBuffer<double> centre(n), spread(n);
  // Standard errors on the simulation's scale: from the 95 % limits if given (PHE's rule), else
  // from the standard errors by the delta method.
  const bool from_limits = !set.lower.empty();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = order[k];
    const double value = set.estimate[j];
    centre[k] = PheForward(type, value, scale);
    double se = kAbsent;
    if (from_limits && Present(set.lower[j]) && Present(set.upper[j])) {
      const double lower = PheForward(type, set.lower[j], scale);
      const double upper = PheForward(type, set.upper[j], scale);
      if (!std::isfinite(lower) || !std::isfinite(upper)) {
        const bool lower_bad = !std::isfinite(lower);
        return SubgroupError(
            info, set, j, lower_bad ? "lower" : "upper", lower_bad ? set.lower[j] : set.upper[j],
            fmt::format("the limit {} is outside the range of a {} (its {} is needed)",
                        lower_bad ? set.lower[j] : set.upper[j],
                        type == PheValueType::kRate ? "rate" : "proportion",
                        type == PheValueType::kRate ? "logarithm" : "logit"));
      }
      se = (upper - lower) / (2 * kZ95);
    } else if (!set.se.empty() && Present(set.se[j])) {
      se = set.se[j];
      if (type == PheValueType::kRate) se /= value;
      if (type == PheValueType::kProportion) {
        const double p = value / scale;
        se /= scale * p * (1 - p);
      }
    }
    if (!(se >= 0 && std::isfinite(se))) {
      return SubgroupError(info, set, j, from_limits ? "lower" : "se", se,
                           "PHE's interval needs the standard error or the 95 % limits of every "
                           "quantile");
    }
    spread[k] = se;
  }
  const auto repetitions = static_cast<std::size_t>(options.phe_repetitions);
  std::vector<double>& buffer = DrawBuffer(repetitions);
  double* draws = buffer.data();
  NormalGenerator normal(options.seed);
  if (type == PheValueType::kNormal) {
    // The coefficients are linear in the draws, b = b_point + sum c_k se_k z_k, so each
    // repetition's (slope, intercept) is exactly bivariate normal: drawn directly through the
    // Cholesky factor of its covariance (one deviate for the SII, two for the RII) instead of
    // one per quantile. Same distribution as phe_sii's, several times faster.
    double s00 = 0, s01 = 0, s11 = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double d0 = c0[k] * spread[k];
      const double d1 = c1[k] * spread[k];
      s00 += d0 * d0;
      s01 += d0 * d1;
      s11 += d1 * d1;
    }
    const double l11 = std::sqrt(s11);
    const double l01 = l11 > 0 ? s01 / l11 : 0;
    const double l00 = std::sqrt(std::max(s00 - l01 * l01, 0.0));
    if (!rii) {
      normal.Fill(draws, repetitions);
      for (std::size_t r = 0; r < repetitions; ++r) {
        draws[r] = model.multiplier * (b1 + l11 * draws[r]);
      }
    } else {
      std::array<double, 2> z{};
      for (std::size_t r = 0; r < repetitions; ++r) {
        normal.Fill(z.data(), 2);
        draws[r] = model.Rii(b0 + l01 * z[0] + l00 * z[1], b1 + l11 * z[0]);
      }
    }
  } else {
    SmallBuffer<double, kDrawBlock> z(n);
    for (std::size_t r = 0; r < repetitions; ++r) {
      normal.Fill(z.Data(), n);
      double e0 = 0, e1 = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const double draw = centre[k] + spread[k] * z[k];
        const double v = transform ? draw : PheBackward(type, draw, scale);
        e0 += c0[k] * v;
        e1 += c1[k] * v;
      }
      draws[r] = rii ? model.Rii(e0, e1) : model.Sii(e0, e1);
    }
  }
  const double critical = options.confidence.level + (1 - options.confidence.level) / 2;
  const auto position = [&](double fraction) {
    const double rounded = std::nearbyint(static_cast<double>(repetitions) * fraction);
    return static_cast<std::size_t>(std::clamp(rounded, 1.0, static_cast<double>(repetitions))) - 1;
  };
  const std::size_t low = position(1 - critical);
  const std::size_t high = position(critical);
  std::nth_element(draws, draws + low, draws + repetitions);
  const double lower = draws[low];
  std::nth_element(draws + low, draws + high, draws + repetitions);
  return std::pair{lower, draws[high]};
}

// The SII (or the RII when `rii`) in PHE's way.
[[gnu::always_inline]] inline Result<Estimate> PheMeasure(const MeasureInfo& info,
                                                          const SubgroupSet& set,
                                                          const MeasureOptions& options, bool rii) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(info, set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  const PheValueType type = options.phe_value_type;
  if (options.phe_transform && type == PheValueType::kNormal) {
    return SetError(info, "phe_transform needs a rate or a proportion (phe_value_type)",
                    {{"field", "phe_transform"}});
  }
  if (!std::isfinite(options.phe_multiplier) || options.phe_multiplier == 0) {
    return SetError(
        info, fmt::format("the multiplier {} is not a non-zero number", options.phe_multiplier),
        {{"field", "phe_multiplier"}, {"value", options.phe_multiplier}});
  }
  if (options.phe_repetitions < 0 ||
      (options.phe_repetitions > 0 && options.phe_repetitions < kPheMinRepetitions)) {
    return SetError(info,
                    fmt::format("the number of repetitions {} is below PHE's minimum of {} (0: no "
                                "interval)",
                                options.phe_repetitions, kPheMinRepetitions),
                    {{"field", "phe_repetitions"}, {"value", options.phe_repetitions}});
  }
  const double scale = type == PheValueType::kProportion ? ResolvedScale(set) : 1.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double value = set.estimate[j];
    if (set.population[j] <= 0) {
      return SubgroupError(info, set, j, "population", set.population[j],
                           "the population is 0 (PHE's SII needs people in every quantile)");
    }
    if (type == PheValueType::kRate && !(value > 0)) {
      return SubgroupError(
          info, set, j, "estimate", value,
          fmt::format("the rate {} is not positive (its logarithm is needed)", value));
    }
    if (type == PheValueType::kProportion && !(value > 0 && value < scale)) {
      return SubgroupError(info, set, j, "estimate", value,
                           fmt::format("the proportion {} is not strictly between 0 and the "
                                       "scale {} (its logit is needed)",
                                       value, scale));
    }
  }
  const PheModel model{type, options.phe_transform, scale, options.phe_multiplier};
  SmallBuffer<double> c0(n), c1(n);
  const auto [b0, b1] = PheFit(set, order, type, model.transform, scale, c0.Data(), c1.Data());
  Estimate estimate = MakeEstimate(rii ? model.Rii(b0, b1) : model.Sii(b0, b1), options, "none");
  if (options.phe_repetitions == 0) {
    estimate.note = "no interval: phe_repetitions = 0";
    return estimate;
  }
  auto interval = PheInterval(info, set, options, order, model, b0, b1, c0.Data(), c1.Data(), rii);
  if (!interval) return tl::unexpected(std::move(interval.error()));
  estimate.method = "phe_simulated";
  estimate.lower = interval->first;
  estimate.upper = interval->second;
  estimate.note = "Monte Carlo interval (PHE's method); no standard error";
  return estimate;
}

// ---- Gaps --------------------------------------------------------------------------------------

tl::expected<std::pair<std::size_t, std::size_t>, Error> GapPair(const MeasureInfo& info,
                                                                 const SubgroupSet& set,
                                                                 const MeasureOptions& options,
                                                                 const OrderIndex& order) {
  const std::size_t n = set.estimate.size();
  if (options.gap_first >= 0 || options.gap_second >= 0) {
    for (int index : {options.gap_first, options.gap_second}) {
      if (index < 0 || static_cast<std::size_t>(index) >= n) {
        return SetError(info,
                        fmt::format("the gap subgroup index {} is outside 0..{} (give both "
                                    "gap_first and gap_second)",
                                    index, n - 1),
                        {{"field", "gap_first"}, {"value", index}});
      }
    }
    if (options.gap_first == options.gap_second) {
      return SetError(info, "gap_first and gap_second are the same subgroup",
                      {{"field", "gap_second"}, {"value", options.gap_second}});
    }
    return std::pair{static_cast<std::size_t>(options.gap_first),
                     static_cast<std::size_t>(options.gap_second)};
  }
  if (set.ordered) return std::pair{order[0], order[n - 1]};
  if (n == 2) {
    if (set.reference >= 0) {
      const auto reference = static_cast<std::size_t>(set.reference);
      return std::pair{1 - reference, reference};
    }
    return std::pair<std::size_t, std::size_t>{0, 1};
  }
  return SetError(info,
                  fmt::format("with {} non-ordered subgroups, say which two to compare "
                              "(gap_first, gap_second)",
                              n),
                  {{"field", "gap_first"}});
}

}  // namespace

// ---- Public functions --------------------------------------------------------------------------

double AutomaticScale(std::span<const double> estimate) {
  double highest = -std::numeric_limits<double>::infinity();
  for (double value : estimate) highest = std::max(highest, value);
  if (highest <= 1) return 1;
  if (highest <= 100) return 100;
  if (highest <= 1000) return 1000;
  if (highest <= 10000) return 10000;
  if (highest <= 100000) return 100000;
  return 1000000;
}

std::span<const MeasureInfo> Measures() { return kMeasures; }

const MeasureInfo* FindMeasure(std::string_view id) {
  for (const MeasureInfo& info : kMeasures) {
    if (info.id == id) return &info;
  }
  return nullptr;
}

Result<Estimate> ComputeMeasure(std::string_view id, const SubgroupSet& set,
                                const MeasureOptions& options) {
  const MeasureInfo* info = FindMeasure(id);
  if (info == nullptr) {
    std::string known;
    for (const MeasureInfo& entry : kMeasures) {
      if (!known.empty()) known += ", ";
      known += entry.id;
    }
    return Fail(ErrorCode::kInvalidParameter,
                fmt::format("unknown measure of inequality '{}'; known: {}", id, known),
                {{"field", "measure"}, {"value", id}});
  }
  return info->compute(set, options);
}

Result<Estimate> Difference(const SubgroupSet& set, const MeasureOptions& options) {
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(kMeasures[kD], set, options, order, kNeedsNothing); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  const auto [first, second] = WhoPair(set, order);
  return DifferenceOf(set, first, second, options);
}

Result<Estimate> Ratio(const SubgroupSet& set, const MeasureOptions& options) {
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(kMeasures[kR], set, options, order, kNeedsNothing); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  const auto [first, second] = WhoPair(set, order);
  return RatioOf(set, first, second, options);
}

Result<Estimate> Sii(const SubgroupSet& set, const MeasureOptions& options) {
  const MeasureInfo& info = kMeasures[kSii];
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(info, set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  auto fit = FitWhoLogistic(info, set, order);
  if (!fit) return tl::unexpected(std::move(fit.error()));
  Estimate estimate = MakeEstimate(kAbsent, options, "delta_hc1");
  estimate.note = fit->note;
  if (!Present(fit->b0)) {
    estimate.method = "none";
    return estimate;
  }
  const double m1 = Expit(fit->b0 + fit->b1);
  const double m0 = Expit(fit->b0);
  estimate.value = (m1 - m0) * fit->scale;
  if (Present(fit->v00)) {
    const double se = DeltaSe(*fit, m1 * (1 - m1) - m0 * (1 - m0), m1 * (1 - m1));
    SetNormalInterval(estimate, se * fit->scale, options);
  }
  return estimate;
}

Result<Estimate> Rii(const SubgroupSet& set, const MeasureOptions& options) {
  const MeasureInfo& info = kMeasures[kRii];
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(info, set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  auto fit = FitWhoLogistic(info, set, order);
  if (!fit) return tl::unexpected(std::move(fit.error()));
  Estimate estimate = MakeEstimate(kAbsent, options, "delta_hc1");
  estimate.note = fit->note;
  if (!Present(fit->b0)) {
    estimate.method = "none";
    return estimate;
  }
  // m = expit(x) and ln m = -(max(-x, 0) + ln(1 + e^-|x|)) from one exponential each; the
  // logarithms keep RII exact also for proportions near 0.
  const double x1 = fit->b0 + fit->b1;
  const double x0 = fit->b0;
  const double e1 = std::exp(-std::fabs(x1));
  const double e0 = std::exp(-std::fabs(x0));
  const double m1 = x1 >= 0 ? 1 / (1 + e1) : e1 / (1 + e1);
  const double m0 = x0 >= 0 ? 1 / (1 + e0) : e0 / (1 + e0);
  const double log_m1 = -(std::max(-x1, 0.0) + std::log1p(e1));
  const double log_m0 = -(std::max(-x0, 0.0) + std::log1p(e0));
  estimate.value = std::exp(log_m1 - log_m0);
  if (Present(fit->v00)) SetLogInterval(estimate, DeltaSe(*fit, m0 - m1, 1 - m1), options);
  return estimate;
}

Result<Estimate> Aci(const SubgroupSet& set, const MeasureOptions& options) {
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(kMeasures[kAci], set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  const Concentration index = ConcentrationIndex(set, order);
  Estimate estimate = MakeEstimate(index.aci, options, "normal");
  SetNormalInterval(estimate, index.se, options);
  return estimate;
}

Result<Estimate> Rci(const SubgroupSet& set, const MeasureOptions& options) {
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(kMeasures[kRci], set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  const Concentration index = ConcentrationIndex(set, order);
  Estimate estimate = MakeEstimate(kAbsent, options, "normal");
  if (index.mean == 0) {
    estimate.method = "none";
    estimate.note = "the mean is 0: the relative index is undefined";
    return estimate;
  }
  estimate.value = index.aci / index.mean;
  SetNormalInterval(estimate, index.se / std::fabs(index.mean), options);
  return estimate;
}

Result<Estimate> Bgv(const SubgroupSet& set, const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(kMeasures[kBgv], set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  SmallBuffer<double> share(n);
  const double mean = WeightedMean(set, share.Data());
  double bgv = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double d = set.estimate[j] - mean;
    bgv += share[j] * d * d;
  }
  Estimate estimate = MakeEstimate(bgv, options, "normal");
  if (!AllSePresent(set)) {
    estimate.method = "none";
    estimate.note = "no interval: standard errors are missing";
    return estimate;
  }
  // Ahn et al. (2018) as healthequal writes it.
  double s_dev = 0, s2 = 0, s4 = 0, s_rest = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double d = set.estimate[j] - mean;
    const double p2v = share[j] * share[j] * set.se[j] * set.se[j];
    s_dev += p2v * d * d;
    s2 += p2v;
    s4 += p2v * p2v;
    s_rest += p2v * (1 - share[j]) * (1 - share[j]) * set.se[j] * set.se[j];
  }
  SetNormalInterval(estimate, std::sqrt(4 * s_dev + 2 * (s2 * s2 - s4 + s_rest)), options);
  return estimate;
}

Result<Estimate> Bgsd(const SubgroupSet& set, const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(kMeasures[kBgsd], set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  SmallBuffer<double> share(n);
  WeightedMean(set, share.Data());
  const double* p = share.Data();
  const auto measure = [n, p](const double* y) {
    double mean = 0;
    for (std::size_t j = 0; j < n; ++j) mean += p[j] * y[j];
    double bgv = 0;
    for (std::size_t j = 0; j < n; ++j) bgv += p[j] * (y[j] - mean) * (y[j] - mean);
    return std::sqrt(bgv);
  };
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

Result<Estimate> Cov(const SubgroupSet& set, const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(kMeasures[kCov], set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  SmallBuffer<double> share(n);
  const double mean = WeightedMean(set, share.Data());
  const double* p = share.Data();
  const auto measure = [n, p](const double* y) {
    double m = 0;
    for (std::size_t j = 0; j < n; ++j) m += p[j] * y[j];
    double bgv = 0;
    for (std::size_t j = 0; j < n; ++j) bgv += p[j] * (y[j] - m) * (y[j] - m);
    return 100 * std::sqrt(bgv) / m;
  };
  if (mean == 0)
    return UndefinedEstimate(options, "the mean is 0: the coefficient of variation is undefined");
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

namespace {

// MDMU (kRelative false) and IDISU (true: 100 × MDMU / m): the unweighted mean absolute deviation
// from m, the setting average when given, else the population-weighted mean.
template <bool kRelative>
Result<Estimate> MeanDeviationUnweighted(const MeasureInfo& info, const SubgroupSet& set,
                                         const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(info, set, options, order, kNeedsPopulationOrAverage); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  SmallBuffer<double> share(n);
  const bool fixed = Present(set.setting_average);
  const double mean = fixed ? set.setting_average : WeightedMean(set, share.Data());
  const double* p = share.Data();
  const auto measure = [n, p, fixed, mean](const double* y) {
    double m = mean;
    if (!fixed) {
      m = 0;
      for (std::size_t j = 0; j < n; ++j) m += p[j] * y[j];
    }
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += std::fabs(y[j] - m);
    if constexpr (kRelative) return 100 / static_cast<double>(n) * sum / m;
    return sum / static_cast<double>(n);
  };
  if (kRelative && mean == 0)
    return UndefinedEstimate(options, "the mean is 0: the index of disparity is undefined");
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

// MDMW (kRelative false) and IDISW (true: 100 × MDMW / μ): the population-weighted mean absolute
// deviation from the weighted mean μ.
template <bool kRelative>
Result<Estimate> MeanDeviationWeighted(const MeasureInfo& info, const SubgroupSet& set,
                                       const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(info, set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  SmallBuffer<double> share(n);
  const double mean = WeightedMean(set, share.Data());
  const double* p = share.Data();
  const auto measure = [n, p](const double* y) {
    double m = 0;
    for (std::size_t j = 0; j < n; ++j) m += p[j] * y[j];
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += p[j] * std::fabs(y[j] - m);
    if constexpr (kRelative) return 100 * sum / m;
    return sum;
  };
  if (kRelative && mean == 0)
    return UndefinedEstimate(options, "the mean is 0: the index of disparity is undefined");
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

}  // namespace

Result<Estimate> Idisu(const SubgroupSet& set, const MeasureOptions& options) {
  return MeanDeviationUnweighted<true>(kMeasures[kIdisu], set, options);
}

Result<Estimate> Idisw(const SubgroupSet& set, const MeasureOptions& options) {
  return MeanDeviationWeighted<true>(kMeasures[kIdisw], set, options);
}

Result<Estimate> Mdbu(const SubgroupSet& set, const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(kMeasures[kMdbu], set, options, order, kNeedsNothing); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  const bool favourable = set.favourable;
  const auto measure = [n, favourable](const double* y) {
    double best = y[0];
    for (std::size_t j = 1; j < n; ++j)
      best = favourable ? std::max(best, y[j]) : std::min(best, y[j]);
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += std::fabs(y[j] - best);
    return sum / static_cast<double>(n);
  };
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

Result<Estimate> Mdbw(const SubgroupSet& set, const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(kMeasures[kMdbw], set, options, order, kNeedsPopulation); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  SmallBuffer<double> share(n);
  WeightedMean(set, share.Data());
  const double* p = share.Data();
  const bool favourable = set.favourable;
  const auto measure = [n, p, favourable](const double* y) {
    double best = y[0];
    for (std::size_t j = 1; j < n; ++j)
      best = favourable ? std::max(best, y[j]) : std::min(best, y[j]);
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += p[j] * std::fabs(y[j] - best);
    return sum;
  };
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

Result<Estimate> Mdmu(const SubgroupSet& set, const MeasureOptions& options) {
  return MeanDeviationUnweighted<false>(kMeasures[kMdmu], set, options);
}

Result<Estimate> Mdmw(const SubgroupSet& set, const MeasureOptions& options) {
  return MeanDeviationWeighted<false>(kMeasures[kMdmw], set, options);
}

Result<Estimate> Mdru(const SubgroupSet& set, const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(kMeasures[kMdru], set, options, order, kNeedsReference); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  const auto reference = static_cast<std::size_t>(set.reference);
  const auto measure = [n, reference](const double* y) {
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += std::fabs(y[j] - y[reference]);
    return sum / static_cast<double>(n);
  };
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

Result<Estimate> Mdrw(const SubgroupSet& set, const MeasureOptions& options) {
  const std::size_t n = set.estimate.size();
  OrderIndex order(n);
  if (auto checked = CheckSet(kMeasures[kMdrw], set, options, order,
                              Needs(kNeedsPopulation | kNeedsReference));
      !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  SmallBuffer<double> share(n);
  WeightedMean(set, share.Data());
  const double* p = share.Data();
  const auto reference = static_cast<std::size_t>(set.reference);
  const auto measure = [n, p, reference](const double* y) {
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += p[j] * std::fabs(y[j] - y[reference]);
    return sum;
  };
  return SimulatedEstimate(measure(set.estimate.data()), set, options, measure);
}

Result<Estimate> Theil(const SubgroupSet& set, const MeasureOptions& options) {
  return EntropyEstimate(kMeasures[kTi], set, options, true);
}

Result<Estimate> Mld(const SubgroupSet& set, const MeasureOptions& options) {
  return EntropyEstimate(kMeasures[kMld], set, options, false);
}

Result<Estimate> Par(const SubgroupSet& set, const MeasureOptions& options) {
  return AttributableEstimate(kMeasures[kPar], set, options, false);
}

Result<Estimate> Paf(const SubgroupSet& set, const MeasureOptions& options) {
  return AttributableEstimate(kMeasures[kPaf], set, options, true);
}

Result<Estimate> SiiPhe(const SubgroupSet& set, const MeasureOptions& options) {
  return PheMeasure(kMeasures[kSiiPhe], set, options, false);
}

Result<Estimate> RiiPhe(const SubgroupSet& set, const MeasureOptions& options) {
  return PheMeasure(kMeasures[kRiiPhe], set, options, true);
}

Result<Estimate> GapDifference(const SubgroupSet& set, const MeasureOptions& options) {
  const MeasureInfo& info = kMeasures[kGapDifference];
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(info, set, options, order, kNeedsNothing); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  auto pair = GapPair(info, set, options, order);
  if (!pair) return tl::unexpected(std::move(pair.error()));
  return DifferenceOf(set, pair->first, pair->second, options);
}

Result<Estimate> GapRatio(const SubgroupSet& set, const MeasureOptions& options) {
  const MeasureInfo& info = kMeasures[kGapRatio];
  OrderIndex order(set.estimate.size());
  if (auto checked = CheckSet(info, set, options, order, kNeedsNothing); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  auto pair = GapPair(info, set, options, order);
  if (!pair) return tl::unexpected(std::move(pair.error()));
  return RatioOf(set, pair->first, pair->second, options);
}

}  // namespace halsonav::stats
