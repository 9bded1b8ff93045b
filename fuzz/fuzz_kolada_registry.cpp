// libFuzzer target: Kolada's registry files. The first byte picks the reader (its value modulo
// 3: '0' areas, '1' municipality groups, '2' the KPI catalogue), the rest is the file, so one
// target and one corpus cover the three CSV/JSON readers (seeds are prefixed by run_fuzzer.sh).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/kolada.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      (void)halsonav::statsio::ReadKoladaAreas(text, "municipalities.csv");
      break;
    case 1:
      (void)halsonav::statsio::ReadKoladaGroups(text, "municipality_groups.csv");
      break;
    default:
      (void)halsonav::statsio::ReadKoladaCatalogue(text, "kpi_catalogue.csv");
      break;
  }
  return 0;
}
