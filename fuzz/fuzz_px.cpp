// libFuzzer target: PX files (statsio::ReadPx, through the table reader and the shared planning
// rules), in the file's default language and in English, and the format sniffer.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/px.hpp"
#include "io/stats_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)halsonav::statsio::DetectStatsFormat(text, "table.px");
  halsonav::statsio::PxOptions options;
  (void)halsonav::statsio::ReadPx(text, "table.px", options);
  options.language = "en";
  (void)halsonav::statsio::ReadPx(text, "table.px", options);
  return 0;
}
