// halsonav_bench_equity: how fast the measures of inequality (src/stats/inequality.hpp) run over
// many subgroup sets, and PHE's Monte Carlo SII over many areas.
//
//   halsonav_bench_equity [--sets N] [--groups G] [--seed S] [--repeat R] [--threads T]
//                         [--mc-areas A] [--mc-groups Q] [--mc-draws D] [--write DIR]
//                         [--clock wall|cpu] [--mc-type normal|rate|proportion]
//
// Input, deterministic for a seed: N sets (default 1,000,000) of G subgroups (default 5). Each set
// has a base level uniform in (5, 95) and a gradient uniform in (-4, 4) points per subgroup; a
// subgroup's estimate (a percentage, scale 100) is base + gradient * (g - (G-1)/2) plus normal
// noise (sd 2), clamped to [1, 99]; its population is a uniform integer in 50..5000 and its
// standard error 100 sqrt(p (1-p) / pop) with p = estimate / 100. Subgroup g (0-based) has
// subgroup_order g + 1; the indicator is favourable; the reference subgroup is the last one.
// The same data serves both kinds of dimension: measures that apply to ordered dimensions run on
// the sets as ordered (D, R, PAR, PAF and the gaps included: the gaps compare the lowest order with
// the highest), the others on the same sets as non-ordered.
//
// Every analytic measure (all of them without simulated intervals: who_simulations = 0 and
// phe_repetitions = 0, so sii_phe and rii_phe give their point estimates) is timed over all sets,
// best of --repeat runs (default 3), one line each, then their sum:
//
//   measure bgv ns_per_set 11.2 total_s 0.0112
//   ...
//   total analytic ns_per_set 1234.5 total_s 1.2345
//
// Then PHE's SII with its Monte Carlo interval (--mc-draws, default 1,000) for --mc-areas areas
// (default 10,000) of --mc-groups deciles (default 10), on --threads threads (default: the
// hardware's, at most 2), best of --repeat runs; each area's seed is --seed plus its index, so
// the result does not depend on the number of threads:
//
//   mc sii_phe areas 10000 groups 10 draws 1000 total_s 0.31
//
// --write DIR writes the input as raw little-endian float64 arrays (sets x groups, set-major)
// DIR/pop.f64, DIR/est.f64, DIR/se.f64, DIR/meta.json, and for every measure
// DIR/cpp/<id>.est.f64 and DIR/cpp/<id>.se.f64 (one value per set; NaN where the measure leaves it
// undefined or the set failed) for bench/equity.sh, which compares them with the numpy
// implementation (tests/reference/heat_numpy.py). SEs are Estimate::se: on the value's scale, or
// of the logarithm for r, rii and gap_ratio (docs/METHODS.md, "Measures of inequality").
//
// --mc-type sets PHE's value type for the Monte Carlo job (default normal, PHE's default; rate and
// proportion draw every decile and back-transform it, which is slower).
//
// --clock cpu times the analytic measures by the thread's CPU time instead of the wall clock (for
// a machine busy with other work); the Monte Carlo job is always timed by the wall clock.
//
// Exits 2 on bad arguments, 1 when writing fails.

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <time.h>

#include "stats/inequality.hpp"

namespace halsonav {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  std::size_t sets = 1000000;     // subgroup sets timed for the analytic measures
  std::size_t groups = 5;         // subgroups per set
  std::uint64_t seed = 20261124;  // seed of the input and of the Monte Carlo draws
  int repeat = 3;                 // runs per measurement; the best counts
  int threads = 0;                // threads of the Monte Carlo job; 0: hardware, at most 2
  std::size_t mc_areas = 10000;   // areas of the Monte Carlo job
  std::size_t mc_groups = 10;     // deciles per area
  int mc_draws = 1000;            // Monte Carlo draws per area (PHE's minimum is 1,000)
  std::optional<fs::path> write;  // write inputs and results here
  bool cpu_clock = false;         // time the analytic measures by thread CPU time
  stats::PheValueType mc_type = stats::PheValueType::kNormal;  // value type of the Monte Carlo job
};

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

// Seconds of CPU time this thread has used, or of wall-clock time.
double Now(bool cpu_clock) {
  if (!cpu_clock) return Seconds(Clock::now().time_since_epoch());
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// splitmix64: a small, well-mixed generator for the input (independent of the library's own).
class InputRandom {
 public:
  explicit InputRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Normal() {                                                           // Box-Muller
    const double u = 1 - Uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * std::numbers::pi * Uniform());
  }

 private:
  std::uint64_t state_;
};

struct Input {
  std::size_t sets = 0;
  std::size_t groups = 0;
  std::vector<double> population, estimate, se;  // sets x groups, set-major
  std::vector<int> order;                        // 1..groups, shared by all sets
};

Input MakeInput(std::size_t sets, std::size_t groups, std::uint64_t seed) {
  Input input;
  input.sets = sets;
  input.groups = groups;
  input.population.resize(sets * groups);
  input.estimate.resize(sets * groups);
  input.se.resize(sets * groups);
  for (std::size_t g = 0; g < groups; ++g) input.order.push_back(static_cast<int>(g + 1));
  InputRandom random(seed);
  const double middle = (static_cast<double>(groups) - 1) / 2;
  for (std::size_t set_idx = 0; set_idx < sets; ++set_idx) {
    const double base = 5 + 90 * random.Uniform();
    const double gradient = 8 * random.Uniform() - 4;
    for (std::size_t g = 0; g < groups; ++g) {
      const std::size_t cell = set_idx * groups + g;
      const double population = 50 + static_cast<double>(random.Next() % 4951);
      const double estimate = std::clamp(
          base + gradient * (static_cast<double>(g) - middle) + 2 * random.Normal(), 1.0, 99.0);
      const double p = estimate / 100;
      input.population[cell] = population;
      input.estimate[cell] = estimate;
      input.se[cell] = 100 * std::sqrt(p * (1 - p) / population);
    }
  }
  return input;
}

stats::SubgroupSet SetAt(const Input& input, std::size_t set_idx, bool ordered) {
  const std::size_t offset = set_idx * input.groups;
  stats::SubgroupSet set;
  set.estimate = std::span(input.estimate).subspan(offset, input.groups);
  set.se = std::span(input.se).subspan(offset, input.groups);
  set.population = std::span(input.population).subspan(offset, input.groups);
  set.order = input.order;
  set.reference = static_cast<int>(input.groups) - 1;
  set.ordered = ordered;
  set.favourable = true;
  set.scale = 100;
  return set;
}

struct Timing {
  double seconds = std::numeric_limits<double>::infinity();
  std::size_t failures = 0;
  std::string first_error;
};

// Runs one measure over all sets `repeat` times; keeps the best time and the last results.
Timing TimeMeasure(const stats::MeasureInfo& info, const Input& input, int repeat, bool cpu_clock,
                   std::vector<double>& values, std::vector<double>& errors) {
  stats::MeasureOptions options;
  options.who_simulations = 0;
  options.phe_repetitions = 0;
  const bool ordered = info.ordered;
  Timing timing;
  for (int run = 0; run < repeat; ++run) {
    std::size_t failures = 0;
    const double start = Now(cpu_clock);
    for (std::size_t set_idx = 0; set_idx < input.sets; ++set_idx) {
      const auto result = info.compute(SetAt(input, set_idx, ordered), options);
      if (result) {
        values[set_idx] = result->value;
        errors[set_idx] = result->se;
      } else {
        values[set_idx] = errors[set_idx] = std::numeric_limits<double>::quiet_NaN();
        if (failures++ == 0 && timing.first_error.empty())
          timing.first_error = result.error().message;
      }
    }
    timing.seconds = std::min(timing.seconds, Now(cpu_clock) - start);
    timing.failures = failures;
  }
  return timing;
}

// PHE's SII with its Monte Carlo interval for every area, the areas split over `threads`.
double TimeMonteCarlo(const Input& areas, int draws, int threads, std::uint64_t seed,
                      stats::PheValueType type, std::vector<double>& lower,
                      std::vector<double>& upper) {
  const auto work = [&](std::size_t begin, std::size_t end) {
    stats::MeasureOptions options;
    options.phe_repetitions = draws;
    options.phe_value_type = type;
    for (std::size_t area_idx = begin; area_idx < end; ++area_idx) {
      options.seed = seed + area_idx;
      const auto result = stats::SiiPhe(SetAt(areas, area_idx, true), options);
      lower[area_idx] = result ? result->lower : std::numeric_limits<double>::quiet_NaN();
      upper[area_idx] = result ? result->upper : std::numeric_limits<double>::quiet_NaN();
    }
  };
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  const std::size_t chunk =
      (areas.sets + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
  for (int thread_idx = 1; thread_idx < threads; ++thread_idx) {
    const std::size_t begin = std::min(areas.sets, chunk * static_cast<std::size_t>(thread_idx));
    pool.emplace_back(work, begin, std::min(areas.sets, begin + chunk));
  }
  work(0, std::min(areas.sets, chunk));
  for (std::thread& thread : pool) thread.join();
  return Seconds(Clock::now() - start);
}

bool WriteDoubles(const fs::path& path, const std::vector<double>& values) {
  static_assert(std::endian::native == std::endian::little, "the files are little-endian");
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(double)));
  return out.good();
}

std::optional<Config> ParseArguments(int argc, char** argv) {
  Config config;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string_view flag = argv[arg_idx];
    if (arg_idx + 1 >= argc) {
      fmt::print(stderr, "equity: {} needs a value\n", flag);
      return std::nullopt;
    }
    const char* value = argv[++arg_idx];
    char* end = nullptr;
    const unsigned long long number = std::strtoull(value, &end, 10);
    const bool numeric = end != value && *end == '\0';
    if (flag == "--write") {
      config.write = value;
      continue;
    }
    if (flag == "--mc-type") {
      const std::string_view type = value;
      if (type == "normal") {
        config.mc_type = stats::PheValueType::kNormal;
      } else if (type == "rate") {
        config.mc_type = stats::PheValueType::kRate;
      } else if (type == "proportion") {
        config.mc_type = stats::PheValueType::kProportion;
      } else {
        fmt::print(stderr, "equity: --mc-type is normal, rate or proportion, got '{}'\n", value);
        return std::nullopt;
      }
      continue;
    }
    if (flag == "--clock") {
      if (std::string_view(value) != "wall" && std::string_view(value) != "cpu") {
        fmt::print(stderr, "equity: --clock is wall or cpu, got '{}'\n", value);
        return std::nullopt;
      }
      config.cpu_clock = std::string_view(value) == "cpu";
      continue;
    }
    if (!numeric) {
      fmt::print(stderr, "equity: {} needs a non-negative integer, got '{}'\n", flag, value);
      return std::nullopt;
    }
    if (flag == "--sets") {
      config.sets = number;
    } else if (flag == "--groups") {
      config.groups = number;
    } else if (flag == "--seed") {
      config.seed = number;
    } else if (flag == "--repeat") {
      config.repeat = static_cast<int>(number);
    } else if (flag == "--threads") {
      config.threads = static_cast<int>(number);
    } else if (flag == "--mc-areas") {
      config.mc_areas = number;
    } else if (flag == "--mc-groups") {
      config.mc_groups = number;
    } else if (flag == "--mc-draws") {
      config.mc_draws = static_cast<int>(number);
    } else {
      fmt::print(stderr, "equity: unknown flag {}\n", flag);
      return std::nullopt;
    }
  }
  if (config.sets == 0 || config.groups < 2 || config.repeat < 1 || config.mc_groups < 2 ||
      config.groups > 100000 || config.mc_groups > 100000) {
    fmt::print(stderr,
               "equity: need --sets >= 1, --groups >= 2, --mc-groups >= 2, --repeat >= 1\n");
    return std::nullopt;
  }
  if (config.threads <= 0) {
    config.threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
  }
  return config;
}

int Run(const Config& config) {
  const Input input = MakeInput(config.sets, config.groups, config.seed);
  std::vector<double> values(config.sets), errors(config.sets);
  if (config.write) {
    const fs::path dir = *config.write;
    fs::create_directories(dir / "cpp");
    std::ofstream meta(dir / "meta.json");
    meta << fmt::format(
        "{{\"sets\":{},\"groups\":{},\"seed\":{},\"scale\":100,\"favourable\":1,"
        "\"reference_group\":{}}}\n",
        config.sets, config.groups, config.seed, config.groups - 1);
    if (!meta.good() || !WriteDoubles(dir / "pop.f64", input.population) ||
        !WriteDoubles(dir / "est.f64", input.estimate) || !WriteDoubles(dir / "se.f64", input.se)) {
      fmt::print(stderr, "equity: cannot write the input into {}\n", dir.string());
      return 1;
    }
  }
  double total = 0;
  for (const stats::MeasureInfo& info : stats::Measures()) {
    const Timing timing = TimeMeasure(info, input, config.repeat, config.cpu_clock, values, errors);
    total += timing.seconds;
    fmt::print("measure {} ns_per_set {:.1f} total_s {:.4f}\n", info.id,
               timing.seconds * 1e9 / static_cast<double>(config.sets), timing.seconds);
    if (timing.failures > 0) {
      fmt::print(stderr, "equity: {} failed for {} of {} sets, e.g.: {}\n", info.id,
                 timing.failures, config.sets, timing.first_error);
    }
    if (config.write) {
      const fs::path cpp = *config.write / "cpp";
      if (!WriteDoubles(cpp / fmt::format("{}.est.f64", info.id), values) ||
          !WriteDoubles(cpp / fmt::format("{}.se.f64", info.id), errors)) {
        fmt::print(stderr, "equity: cannot write the results of {}\n", info.id);
        return 1;
      }
    }
  }
  fmt::print("total analytic ns_per_set {:.1f} total_s {:.4f}\n",
             total * 1e9 / static_cast<double>(config.sets), total);
  std::fflush(stdout);

  const Input areas = MakeInput(config.mc_areas, config.mc_groups, config.seed ^ 0x5eed5eedULL);
  std::vector<double> lower(config.mc_areas), upper(config.mc_areas);
  double best = std::numeric_limits<double>::infinity();
  for (int run = 0; run < config.repeat; ++run) {
    best = std::min(best, TimeMonteCarlo(areas, config.mc_draws, config.threads, config.seed,
                                         config.mc_type, lower, upper));
  }
  const auto failed = static_cast<std::size_t>(
      std::count_if(lower.begin(), lower.end(), [](double v) { return std::isnan(v); }));
  if (failed > 0) {
    fmt::print(stderr,
               "equity: the Monte Carlo SII failed for {} of {} areas (PHE needs >= 1000 "
               "draws and >= 5 deciles)\n",
               failed, config.mc_areas);
  }
  fmt::print("mc sii_phe areas {} groups {} draws {} total_s {:.4f}\n", config.mc_areas,
             config.mc_groups, config.mc_draws, best);
  return 0;
}

}  // namespace
}  // namespace halsonav

int main(int argc, char** argv) {
  const auto config = halsonav::ParseArguments(argc, argv);
  if (!config) return 2;
  return halsonav::Run(*config);
}
