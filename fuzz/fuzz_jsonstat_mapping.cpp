// libFuzzer target: the JSON-stat mapping file (statsio::ReadJsonStatMapping); a mapping that
// reads is then applied to a small fixed dataset, so that odd mappings reach ReadJsonStat too.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/jsonstat.hpp"

namespace {

// Two dimensions with ids a mapping seed names (Kon, Tid, Region, ContentsCode).
constexpr std::string_view kDataset = R"({"class": "dataset", "version": "2.0",
  "id": ["Region", "Kon", "ContentsCode", "Tid"], "size": [1, 3, 1, 1],
  "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
  "dimension": {"Region": {"category": {"index": ["24"]}},
    "Kon": {"category": {"index": ["1", "2", "1+2"]}},
    "ContentsCode": {"category": {"index": ["000007J3"]}},
    "Tid": {"category": {"index": ["2022"]}}},
  "value": [1, 2, 3]})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto mapping = halsonav::statsio::ReadJsonStatMapping(text, "mapping.json");
  if (mapping) {
    halsonav::statsio::JsonStatOptions options;
    options.mapping = &*mapping;
    (void)halsonav::statsio::ReadJsonStat(kDataset, "dataset.json", options);
  }
  return 0;
}
