// halsonav_bench_jsonstat_parse: how fast the statistics readers parse national-scale files.
//
// Build (release; not yet a target in bench/CMakeLists.txt — the owner adds it):
//   add_executable(halsonav_bench_jsonstat_parse jsonstat_parse.cpp)
//   target_link_libraries(halsonav_bench_jsonstat_parse PRIVATE halsonav_io fmt::fmt)
// or by hand against a release build directory B:
//   g++ -std=c++20 -O2 -DNDEBUG -Isrc bench/jsonstat_parse.cpp B/src/io/libhalsonav_io.a
//       B/src/core/libhalsonav_core.a -lsimdjson -lfmt -lxlsxwriter -lz -o jsonstat_parse
//
//   halsonav_bench_jsonstat_parse [--municipalities N] [--indicators N] [--years N] [--seed N]
//                                 [--repeat N] [--keep DIR] [--reuse yes|no]
//   halsonav_bench_jsonstat_parse --jsonstat FILE [--mapping FILE] [--repeat N] [--reuse yes|no]
//   halsonav_bench_jsonstat_parse --kolada FILE [--repeat N] [--reuse yes|no]
//
// Without a file it writes the synthetic national set (io/synth: 290 municipalities, 500
// indicators, 20 years by default) into a temporary directory (or --keep DIR, which is kept),
// reports how long that took, then times statsio::ReadJsonStat on every JSON-stat file and
// statsio::ReadKoladaData on every Kolada file. Each file is read into memory first; only the
// parse is timed, best of --repeat runs (default 3) per file, and the best times are summed:
//
//   synth: 12180000 observations, 101 files, 712.3 MB in 9.81 s
//   parse jsonstat: 75.2 MB in 0.19 s = 396 MB/s, CPU time 0.18 s = 418 MB/s (3480000
//     observations, 50 files)
//   parse kolada: 637.1 MB in 0.88 s = 724 MB/s, CPU time … (8700000 observations, 20 files)
//
// The CPU time is the parsing thread's (page faults included), best of the runs: on a machine
// that other work shares it is the steadier figure. Each run's observations are handed back
// for the next (statsio::RecycleObservations), as `halsonav import stats` does from one file
// to the next, unless --reuse no; the first run's CPU time, into fresh memory, is printed too.
//
// Exits 1 when a reader fails (the message is printed), 2 on bad arguments.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include "io/jsonstat.hpp"
#include "io/kolada.hpp"
#include "io/stats_batch.hpp"
#include "io/synth.hpp"

namespace halsonav {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  statsio::SynthOptions synth;
  int municipalities = 290;
  int repeat = 3;
  std::optional<fs::path> keep;      // write the set here and keep it
  std::optional<fs::path> jsonstat;  // time this file instead of a generated set
  std::optional<fs::path> mapping;   // for --jsonstat
  std::optional<fs::path> kolada;    // time this file instead of a generated set
  bool reuse = true;                 // hand each run's observations to the next
};

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// Four-digit codes that look like municipality codes (county 01–25, then a number); the parse
// does not care whether they are in a registry.
std::vector<std::string> MunicipalityCodes(int count) {
  std::vector<std::string> codes;
  for (int code_idx = 0; code_idx < count; ++code_idx) {
    codes.push_back(fmt::format("{:02}{:02}", 1 + code_idx / 80, 10 + code_idx % 80));
  }
  return codes;
}

// The CPU time this thread has used (user and system, page faults included): on a machine
// shared with other work it varies much less than the wall clock.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

struct Timing {
  double bytes = 0;
  double seconds = 0;
  double cpu_seconds = 0;
  double first_cpu_seconds = 0;  // the first run's, into fresh memory
  std::uint64_t observations = 0;
  std::size_t files = 0;
};

// Best of `repeat` parses of each file, summed. Prints the reader's error and returns nullopt if
// one fails.
template <typename Parse>
std::optional<Timing> TimeFiles(const std::vector<fs::path>& files, int repeat, bool reuse,
                                Parse parse) {
  Timing timing;
  for (const fs::path& path : files) {
    const std::string text = ReadAll(path);
    double best = std::numeric_limits<double>::infinity();
    double best_cpu = std::numeric_limits<double>::infinity();
    for (int run = 0; run < repeat; ++run) {
      const auto start = Clock::now();
      const double cpu_start = ThreadCpuSeconds();
      Result<statsio::StatsBatch> batch = parse(text, path.filename().string());
      const double seconds = Seconds(Clock::now() - start);
      const double cpu = ThreadCpuSeconds() - cpu_start;
      best_cpu = std::min(best_cpu, cpu);
      if (run == 0) timing.first_cpu_seconds += cpu;
      if (!batch) {
        fmt::print(stderr, "{}: {} {}\n", path.string(), batch.error().message,
                   batch.error().details.dump());
        return std::nullopt;
      }
      best = std::min(best, seconds);
      if (run == 0) timing.observations += batch->observations.size();
      if (reuse) statsio::RecycleObservations(std::move(batch->observations));
    }
    timing.bytes += static_cast<double>(text.size());
    timing.seconds += best;
    timing.cpu_seconds += best_cpu;
    ++timing.files;
  }
  return timing;
}

void PrintTiming(std::string_view what, const Timing& timing) {
  const double megabytes = timing.bytes / 1e6;
  fmt::print(
      "parse {}: {:.1f} MB in {:.2f} s = {:.0f} MB/s, CPU time {:.2f} s = {:.0f} MB/s ({} "
      "observations, {} files; first run CPU time {:.2f} s = {:.0f} MB/s)\n",
      what, megabytes, timing.seconds, timing.seconds > 0 ? megabytes / timing.seconds : 0.0,
      timing.cpu_seconds, timing.cpu_seconds > 0 ? megabytes / timing.cpu_seconds : 0.0,
      timing.observations, timing.files, timing.first_cpu_seconds,
      timing.first_cpu_seconds > 0 ? megabytes / timing.first_cpu_seconds : 0.0);
}

std::optional<Config> ParseArguments(int argc, char** argv) {
  Config config;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string_view flag = argv[arg_idx];
    if (arg_idx + 1 >= argc) return std::nullopt;
    const char* value = argv[++arg_idx];
    if (flag == "--municipalities") {
      config.municipalities = std::atoi(value);
    } else if (flag == "--indicators") {
      config.synth.indicators = std::atoi(value);
    } else if (flag == "--years") {
      config.synth.years = std::atoi(value);
    } else if (flag == "--seed") {
      config.synth.seed = std::strtoull(value, nullptr, 10);
    } else if (flag == "--repeat") {
      config.repeat = std::max(1, std::atoi(value));
    } else if (flag == "--keep") {
      config.keep = value;
    } else if (flag == "--jsonstat") {
      config.jsonstat = value;
    } else if (flag == "--mapping") {
      config.mapping = value;
    } else if (flag == "--kolada") {
      config.kolada = value;
    } else if (flag == "--reuse" &&
               (value == std::string_view("yes") || value == std::string_view("no"))) {
      config.reuse = value == std::string_view("yes");
    } else {
      return std::nullopt;
    }
  }
  if (config.municipalities < 1) return std::nullopt;
  config.synth.municipalities = MunicipalityCodes(config.municipalities);
  return config;
}

int Run(const Config& config) {
  std::vector<fs::path> jsonstat_files;
  std::vector<fs::path> kolada_files;
  std::optional<fs::path> mapping_file = config.mapping;
  std::optional<fs::path> temporary;

  if (config.jsonstat || config.kolada) {
    if (config.jsonstat) jsonstat_files.push_back(*config.jsonstat);
    if (config.kolada) kolada_files.push_back(*config.kolada);
  } else {
    fs::path directory;
    if (config.keep) {
      directory = *config.keep;
    } else {
      std::string pattern = (fs::temp_directory_path() / "halsonav-bench-synth-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      directory = pattern;
      temporary = directory;
    }
    const auto start = Clock::now();
    auto summary = statsio::WriteSynthetic(config.synth, directory);
    const double seconds = Seconds(Clock::now() - start);
    if (!summary) {
      fmt::print(stderr, "synth: {}\n", summary.error().message);
      if (temporary) fs::remove_all(*temporary);
      return 1;
    }
    fmt::print("synth: {} observations, {} files, {:.1f} MB in {:.2f} s ({})\n",
               summary->observations,
               summary->kolada_files.size() + summary->jsonstat_files.size() + 1,
               static_cast<double>(summary->bytes) / 1e6, seconds, directory.string());
    jsonstat_files = summary->jsonstat_files;
    kolada_files = summary->kolada_files;
    mapping_file = summary->mapping_file;
  }

  int status = 0;
  if (!jsonstat_files.empty()) {
    std::optional<statsio::JsonStatMapping> mapping;
    if (mapping_file) {
      auto read = statsio::ReadJsonStatMapping(ReadAll(*mapping_file), mapping_file->string());
      if (read) {
        mapping = std::move(*read);
      } else {
        fmt::print(stderr, "{}: {}\n", mapping_file->string(), read.error().message);
        status = 1;
      }
    }
    if (status == 0) {
      statsio::JsonStatOptions options;
      options.mapping = mapping ? &*mapping : nullptr;
      auto timing = TimeFiles(jsonstat_files, config.repeat, config.reuse,
                              [&](std::string_view text, const std::string& name) {
                                return statsio::ReadJsonStat(text, name, options);
                              });
      if (timing) {
        PrintTiming("jsonstat", *timing);
      } else {
        status = 1;
      }
    }
  }
  if (!kolada_files.empty()) {
    auto timing = TimeFiles(kolada_files, config.repeat, config.reuse,
                            [](std::string_view text, const std::string& name) {
                              return statsio::ReadKoladaData(text, name);
                            });
    if (timing) {
      PrintTiming("kolada", *timing);
    } else {
      status = 1;
    }
  }
  if (temporary) fs::remove_all(*temporary);
  return status;
}

}  // namespace
}  // namespace halsonav

int main(int argc, char** argv) {
  const auto config = halsonav::ParseArguments(argc, argv);
  if (!config) {
    std::fputs(
        "usage: halsonav_bench_jsonstat_parse [--municipalities N] [--indicators N] [--years N]\n"
        "         [--seed N] [--repeat N] [--keep DIR]\n"
        "       halsonav_bench_jsonstat_parse --jsonstat FILE [--mapping FILE] [--repeat N]\n"
        "       halsonav_bench_jsonstat_parse --kolada FILE [--repeat N]\n",
        stderr);
    return 2;
  }
  try {
    return halsonav::Run(*config);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}
