#pragma once

// Area boundaries from GeoJSON (RFC 7946): a FeatureCollection whose Features carry a Polygon or
// MultiPolygon and, in a property, the code of the area they outline (docs/api.md, "Area
// geometries"). The reader knows nothing of the registry: the importer (app) resolves the codes.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace halsonav::geo {

struct GeoJsonOptions {
  // The feature property that holds the area code: a string of digits ("0138", "24" → "0024"
  // as NormalizeAreaCode makes it) or a county number 1–99 (21 → "0021").
  std::string code_property = "id";
  // Coordinates are rounded to this many decimals (5 ≈ 1 m, which halves the municipalities'
  // payload; docs/BENCHMARKS.md); a negative number keeps them as the file writes them.
  int decimals = 5;
};

// One feature's area and its geometry, re-written compactly.
struct AreaShape {
  std::string code;   // normalised area code
  std::string where;  // "FILE#/features/N": the feature, for messages
  // The GeoJSON geometry object as compact JSON: {"type":"Polygon"|"MultiPolygon",
  // "coordinates":[…]}, positions as [lon,lat] (a third value is dropped), rounded as the
  // options say, positions that rounding made equal to the one before dropped (a ring keeps at
  // least four).
  std::string geometry;
  double west = 0;  // the bounding box of the written coordinates
  double south = 0;
  double east = 0;
  double north = 0;
  std::size_t positions = 0;  // positions written
};

// Reads a FeatureCollection. Checks: the type names; every feature an object with "type":
// "Feature", an object "properties" holding the code property and a Polygon or MultiPolygon
// "geometry"; coordinates nested arrays of positions of two or more numbers, longitude in
// [-180, 180] and latitude in [-90, 90]; every ring with four or more positions and closed (its
// last position equal to its first); a code that is not a string of digits or a county number;
// the same code on two features. Every problem is collected, each at its JSON pointer
// ("FILE#/features/3/geometry/coordinates/0/7"; "FILE:LINE:COLUMN" for a syntax error), and any
// problem fails the file (ProblemsError). Features come back in file order. Never throws.
Result<std::vector<AreaShape>> ReadGeoJson(std::string_view text, std::string_view file_name,
                                           const GeoJsonOptions& options);

}  // namespace halsonav::geo
