// libFuzzer target: JSON-stat datasets (statsio::ReadJsonStat and statsio::FlattenJsonStat).
// The readers promise never to throw for any input; a crash, a sanitizer report or an escaping
// exception is a finding (docs/FUZZING.md).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/jsonstat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const halsonav::statsio::JsonStatOptions options;
  (void)halsonav::statsio::ReadJsonStat(text, "fuzz.json", options);
  (void)halsonav::statsio::FlattenJsonStat(text, "fuzz.json");
  return 0;
}
