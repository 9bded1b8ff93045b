// halsonav_bench_px: how fast PX files (PC-Axis) are read (bench/px.sh; docs/BENCHMARKS.md).
//
//   halsonav_bench_px [--years N] [--ages N] [--repeat N] [--keep FILE]
//   halsonav_bench_px --px FILE [--repeat N]
//
// Without --px it generates a large PX file in memory (and writes it to --keep FILE, if given)
// by expanding a real one: SCB's TAB2017 (tests/data/px/scb__TAB2017_kommunalskatter.px: 290
// municipalities × year × 3 contents, windows-1252, CRLF) gets a sex and an age variable and
// --years years (default 35, 1990 on) with --ages ages (default 101), so 290 × 3 × 101 × 35 × 3 =
// 9.2 million cells; the cells are numbers written as SCB writes them ("31.75"), one in ten
// "..", a row of HEADING cells per line. Then it times, best of --repeat runs (default 3):
//
//   table: statsio::ReadPxTable — the PX parse: keywords, codepage, DATA into numbers
//   batch: statsio::ReadPx — the same, then the cells planned into a StatsBatch's observations
//
//   px: generated 54.6 MB from scb__TAB2017_kommunalskatter.px in 1.95 s
//   parse px (table): 54.6 MB in 0.32 s = 172 MB/s (9226350 cells; CPU 0.16 s = 340 MB/s)
//   parse px (batch): 54.6 MB in 1.56 s = 35 MB/s (9226350 observations; CPU 0.78 s = 70 MB/s)
//
// Wall time and the thread's CPU time are both printed: on a shared machine they differ.
//
// Exits 1 when the reader fails (the message is printed), 2 on bad arguments.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <time.h>

#include "io/px.hpp"
#include "io/px_table.hpp"

#ifndef HALSONAV_SOURCE_DIR
#define HALSONAV_SOURCE_DIR "."
#endif

namespace halsonav {
namespace {

using Clock = std::chrono::steady_clock;

struct Config {
  int years = 35;
  int ages = 101;
  int repeat = 3;
  std::optional<std::string> keep;  // write the generated file here
  std::optional<std::string> px;    // time this file instead
};

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

std::string Quoted(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += fmt::format("{}\"{}\"", out.empty() ? "" : ",", item);
  return out;
}

// The real table's regions and contents, with sex, age and more years, in its own bytes
// (windows-1252: "år", "kön", "ålder" as single bytes) and line ends (CRLF).
std::string Generate(const Config& config, const statsio::PxTable& real) {
  const auto& regions = real.variables.at(0);
  const auto& contents = real.variables.at(2);
  std::vector<std::string> years, ages;
  for (int year = 1990; year < 1990 + config.years; ++year) years.push_back(std::to_string(year));
  for (int age = 0; age < config.ages; ++age) ages.push_back(std::to_string(age));
  const std::string ar = "\xE5r", kon = "k\xF6n", alder = "\xE5lder";
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\r\n"; };
  line("CHARSET=\"ANSI\";");
  line("AXIS-VERSION=\"2010\";");
  line("CODEPAGE=\"iso-8859-1\";");
  line("LANGUAGE=\"sv\";");
  line("DECIMALS=2;");
  line("MATRIX=\"TAB2017X\";");
  line("TITLE=\"Kommunalskatter efter region, k\xF6n, \xE5lder och \xE5r (bench)\";");
  line(fmt::format("STUB=\"region\",\"{}\",\"{}\";", kon, alder));
  line(fmt::format("HEADING=\"{}\",\"tabellinneh\xE5ll\";", ar));
  line("CONTVARIABLE=\"tabellinneh\xE5ll\";");
  line("VARIABLECODE(\"region\")=\"Region\";");
  line(fmt::format("VALUES(\"region\")={};", Quoted(regions.codes)));
  line(fmt::format("CODES(\"region\")={};", Quoted(regions.codes)));
  line(fmt::format("VARIABLECODE(\"{}\")=\"Kon\";", kon));
  line(fmt::format("VALUES(\"{}\")=\"m\xE4n\",\"kvinnor\",\"totalt\";", kon));
  line(fmt::format("CODES(\"{}\")=\"1\",\"2\",\"1+2\";", kon));
  line(fmt::format("VARIABLECODE(\"{}\")=\"Alder\";", alder));
  line(fmt::format("VALUES(\"{}\")={};", alder, Quoted(ages)));
  line(fmt::format("VARIABLECODE(\"{}\")=\"Tid\";", ar));
  line(fmt::format("VALUES(\"{}\")={};", ar, Quoted(years)));
  line(fmt::format("TIMEVAL(\"{}\")=TLIST(A1),{};", ar, Quoted(years)));
  line("VARIABLECODE(\"tabellinneh\xE5ll\")=\"ContentsCode\";");
  line(fmt::format("VALUES(\"tabellinneh\xE5ll\")={};", Quoted(contents.codes)));
  line(fmt::format("CODES(\"tabellinneh\xE5ll\")={};", Quoted(contents.codes)));
  line("UNITS=\"procent\";");
  line("DATASYMBOL2=\"..\";");
  line("DATA=");
  const std::size_t row = years.size() * contents.values.size();
  const std::size_t rows = regions.values.size() * 3 * ages.size();
  std::uint64_t state = 88172645463325252ULL;  // xorshift: the same file every run
  for (std::size_t row_idx = 0; row_idx < rows; ++row_idx) {
    for (std::size_t cell = 0; cell < row; ++cell) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      if (state % 10 == 0) {
        out += "\"..\" ";
      } else {
        out += fmt::format("{}.{:02} ", 10 + state % 25, (state >> 8) % 100);
      }
    }
    out += "\r\n";
  }
  out += ";";
  return out;
}

// The thread's CPU time: on a machine shared with other work, wall time says more about the
// neighbours than about the parser, so both are printed.
double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

struct Best {
  double seconds = std::numeric_limits<double>::infinity();
  double cpu_seconds = std::numeric_limits<double>::infinity();
  std::size_t count = 0;
};

template <typename Read>
std::optional<Best> Time(int repeat, Read read) {
  Best best;
  for (int run = 0; run < repeat; ++run) {
    const auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    auto count = read();
    const double seconds = Seconds(Clock::now() - start);
    best.cpu_seconds = std::min(best.cpu_seconds, CpuSeconds() - cpu_start);
    if (!count) return std::nullopt;
    best.seconds = std::min(best.seconds, seconds);
    best.count = *count;
  }
  return best;
}

void Print(std::string_view what, double bytes, const Best& best, std::string_view unit) {
  const double megabytes = bytes / 1e6;
  fmt::print(
      "parse px ({}): {:.1f} MB in {:.2f} s = {:.0f} MB/s ({} {}; CPU {:.2f} s = {:.0f} "
      "MB/s)\n",
      what, megabytes, best.seconds, megabytes / best.seconds, best.count, unit, best.cpu_seconds,
      megabytes / best.cpu_seconds);
}

int Run(const Config& config) {
  std::string text;
  if (config.px) {
    text = ReadAll(*config.px);
  } else {
    const std::string real_name = "scb__TAB2017_kommunalskatter.px";
    const std::string real_text =
        ReadAll(std::string(HALSONAV_SOURCE_DIR) + "/tests/data/px/" + real_name);
    auto real = statsio::ReadPxTable(real_text, real_name, {});
    if (!real) {
      fmt::print(stderr, "{}: {}\n", real_name, real.error().message);
      return 1;
    }
    const auto start = Clock::now();
    text = Generate(config, *real);
    fmt::print("px: generated {:.1f} MB from {} in {:.2f} s\n", text.size() / 1e6, real_name,
               Seconds(Clock::now() - start));
    if (config.keep) std::ofstream(*config.keep, std::ios::binary) << text;
  }
  std::string error;
  auto table = Time(config.repeat, [&]() -> std::optional<std::size_t> {
    auto read = statsio::ReadPxTable(text, "bench.px", {});
    if (!read) error = read.error().message;
    return read ? std::optional<std::size_t>(read->cells) : std::nullopt;
  });
  if (!table) {
    fmt::print(stderr, "bench.px: {}\n", error);
    return 1;
  }
  Print("table", static_cast<double>(text.size()), *table, "cells");
  auto batch = Time(config.repeat, [&]() -> std::optional<std::size_t> {
    auto read = statsio::ReadPx(text, "bench.px", {});
    if (!read) error = read.error().message;
    return read ? std::optional<std::size_t>(read->observations.size()) : std::nullopt;
  });
  if (!batch) {
    fmt::print(stderr, "bench.px: {}\n", error);
    return 1;
  }
  Print("batch", static_cast<double>(text.size()), *batch, "observations");
  return 0;
}

std::optional<Config> ParseArguments(int argc, char** argv) {
  Config config;
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string_view flag = argv[arg_idx];
    const char* value = argv[arg_idx + 1];
    if (flag == "--years") {
      config.years = std::atoi(value);
    } else if (flag == "--ages") {
      config.ages = std::atoi(value);
    } else if (flag == "--repeat") {
      config.repeat = std::max(1, std::atoi(value));
    } else if (flag == "--keep") {
      config.keep = value;
    } else if (flag == "--px") {
      config.px = value;
    } else {
      return std::nullopt;
    }
  }
  if (argc % 2 == 0 || config.years < 1 || config.years > 200 || config.ages < 1) {
    return std::nullopt;
  }
  return config;
}

}  // namespace
}  // namespace halsonav

int main(int argc, char** argv) {
  auto config = halsonav::ParseArguments(argc, argv);
  if (!config) {
    fmt::print(stderr,
               "usage: halsonav_bench_px [--years N] [--ages N] [--repeat N] [--keep FILE]\n"
               "       halsonav_bench_px --px FILE [--repeat N]\n");
    return 2;
  }
  try {
    return halsonav::Run(*config);
  } catch (const std::exception& error) {
    fmt::print(stderr, "halsonav_bench_px: {}\n", error.what());
    return 1;
  }
}
