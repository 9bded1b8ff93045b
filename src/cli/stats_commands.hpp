#pragma once

// The statistics commands of `halsonav` (import stats, the registry imports, synth, the
// disclosure rule). main.cpp parses the flags (CLI11 stays in that one file); these run them.
// Each returns the process's exit code and prints what it did, or why it failed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/analysis.hpp"
#include "app/app.hpp"

namespace halsonav::cli {

// Prints an error and, one per line, the problems it lists (each names its file and place), and
// the unknown areas; returns the exit code 1. `create_hint`: whether --create-areas is the
// other way out of unknown areas.
int PrintError(const Error& error, bool create_hint = true);

// A statistics import report's observation counts as a line's middle: "3 new, 0 changed,
// 1 unchanged observations (0 missing, 2 suppressed, …)", with the figures not compared because
// they replace suppressed ones and the stored figures whose suppression changed, when any.
std::string ObservationCounts(const Json& counts);

// Reads a whole file; an error names it and says why.
Result<std::string> ReadWholeFile(const std::string& path);

struct StatsImportCommand {
  std::string db;
  std::vector<std::string> files;
  std::string format;   // kolada, jsonstat, px, csv, auto
  std::string mapping;  // a mapping file (jsonstat, px)
  StatsImportOptions options;
  bool progress = true;  // draw a progress bar when standard error is a terminal
};
int ImportStats(StatsImportCommand command, const Caller& caller);

struct GeometryImportCommand {
  std::string db;
  std::vector<std::string> files;
  GeometryImportOptions options;
};
// `halsonav import geo FILE…`: area boundaries from GeoJSON (App::ImportGeometries).
int ImportGeometries(const GeometryImportCommand& command, const Caller& caller);

// kind: "areas", "area-groups" or "kpis".
int ImportRegistry(const std::string& db, const std::string& kind, const std::string& file,
                   const Caller& caller);

struct SynthCommand {
  std::string db;
  std::string out;
  int municipalities = 290;
  int indicators = 500;
  int years = 20;
  std::uint64_t seed = 1;
};
int Synth(const SynthCommand& command);

// Prints the rule, or sets it (and re-applies it to every stored observation).
int Disclosure(const std::string& db, std::optional<double> min_count, const Caller& caller);

// `halsonav stats MEASURE --input FILE.csv`: prints the measure of every set as JSON
// (docs/METHODS.md, "For analysts"). Exit 0 when every set computed, 1 when the file or any set
// failed (the JSON still lists the sets' errors), 2 for an unknown measure. With `list`, prints
// the measures and their input columns.
int Stats(const analysis::Options& options, const std::string& input, bool list);

}  // namespace halsonav::cli
