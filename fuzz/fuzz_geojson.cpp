// libFuzzer target: area boundaries from GeoJSON (geo::ReadGeoJson), with the county-number
// code property of the regions' file.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/geojson.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)halsonav::geo::ReadGeoJson(text, "areas.geojson", halsonav::geo::GeoJsonOptions{});
  (void)halsonav::geo::ReadGeoJson(text, "areas.geojson", halsonav::geo::GeoJsonOptions{"l_id", 5});
  return 0;
}
