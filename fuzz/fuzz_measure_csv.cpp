// libFuzzer target: measure CSV files (plan::ReadMeasureCsv), which promise never to throw.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/measure_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)halsonav::plan::ReadMeasureCsv(text, "measures.csv");
  return 0;
}
