#pragma once

// Synthetic national statistics for benchmarks and load tests (`halsonav synth`): Kolada-shaped
// data responses and JSON-stat 2.0 datasets that together hold millions of observations with sex
// and education splits, intervals, counts, and some missing and suppressed cells. Deterministic
// for a given seed. Not real data: codes start with "SYN".

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace halsonav::statsio {

struct SynthOptions {
  std::vector<std::string> municipalities;  // area codes to use (the registry's, in order)
  int indicators = 500;
  int years = 20;
  int last_year = 2025;
  std::uint64_t seed = 1;
};

struct SynthSummary {
  std::vector<std::filesystem::path> kolada_files;    // import with --format kolada
  std::vector<std::filesystem::path> jsonstat_files;  // import with --format jsonstat
  std::filesystem::path mapping_file;                 // --mapping for the JSON-stat files
  std::filesystem::path catalogue_file;               // import kpis: the indicators' titles
  std::uint64_t observations = 0;  // cells written, parts of one value counted once
  std::uint64_t bytes = 0;
};

// Writes the files into `directory` (created if missing; existing files of the same names are
// replaced).
Result<SynthSummary> WriteSynthetic(const SynthOptions& options,
                                    const std::filesystem::path& directory);

}  // namespace halsonav::statsio
