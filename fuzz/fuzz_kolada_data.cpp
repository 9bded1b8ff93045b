// libFuzzer target: Kolada API data responses (statsio::ReadKoladaData).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/kolada.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)halsonav::statsio::ReadKoladaData(text, "kolada.json");
  return 0;
}
