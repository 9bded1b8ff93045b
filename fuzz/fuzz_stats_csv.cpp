// libFuzzer target: tidy statistics CSV (statsio::ReadStatsCsv), Open SDG's layout and Hälsonav's.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/stats_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // An indicator for files without an indicator column (Open SDG); Hälsonav's own files name it.
  halsonav::statsio::StatsCsvOptions options;
  options.indicator = "N00945";
  (void)halsonav::statsio::ReadStatsCsv(text, "stats.csv", options);
  return 0;
}
