#include "io/geojson.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "core/json_codec.hpp"
#include "core/statistics.hpp"
#include "core/text.hpp"
#include "io/csv.hpp"
#include "io/problems.hpp"

namespace halsonav::geo {
namespace {

namespace dom = simdjson::dom;

// A broken file could otherwise give a problem per coordinate; the first ones show what to fix.
constexpr std::size_t kMaxProblems = 200;

std::string_view TypeWord(dom::element_type type) {
  switch (type) {
    case dom::element_type::ARRAY:
      return "an array";
    case dom::element_type::OBJECT:
      return "an object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      return "a number";
    case dom::element_type::STRING:
      return "a string";
    case dom::element_type::BOOL:
      return "a boolean";
    case dom::element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

bool IsNumber(dom::element_type type) {
  return type == dom::element_type::INT64 || type == dom::element_type::UINT64 ||
         type == dom::element_type::DOUBLE;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Box {
  double west = std::numeric_limits<double>::infinity();
  double south = std::numeric_limits<double>::infinity();
  double east = -std::numeric_limits<double>::infinity();
  double north = -std::numeric_limits<double>::infinity();
  void Add(double lon, double lat) {
    west = std::min(west, lon);
    east = std::max(east, lon);
    south = std::min(south, lat);
    north = std::max(north, lat);
  }
};

class Reader {
 public:
  Reader(std::string_view file_name, const GeoJsonOptions& options)
      : file_name_(csv::ValidUtf8(file_name)), options_(options) {
    if (options_.decimals >= 0) scale_ = std::pow(10.0, std::min(options_.decimals, 15));
  }

  std::vector<Problem>& problems() { return problems_.list(); }

  void Report(const std::string& pointer, std::string message) {
    problems_.Add(PointerPlace(file_name_, pointer), std::move(message));
  }

  void ReportSyntax(std::string_view text, simdjson::error_code error) {
    auto parsed = ParseJson(text);
    std::string where = csv::Where(file_name_, 1, 1);
    if (!parsed) {
      where = csv::Where(file_name_, parsed.error().details.value("line", std::size_t{1}),
                         parsed.error().details.value("column", std::size_t{1}));
    }
    problems_.Add(where, fmt::format("not valid JSON here ({})", simdjson::error_message(error)));
  }

  void Finish() { problems_.NoteUnlisted(PointerPlace(file_name_, "")); }

  void Collection(dom::element root, std::vector<AreaShape>& out) {
    dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) {
      return Report("", fmt::format("a GeoJSON file must be a FeatureCollection object, not {}",
                                    TypeWord(root.type())));
    }
    ExpectType(object, "", "FeatureCollection");
    dom::element features_element;
    if (object["features"].get(features_element) != simdjson::SUCCESS) {
      return Report("/features", "missing: a FeatureCollection lists its features in \"features\"");
    }
    dom::array features;
    if (features_element.get_array().get(features) != simdjson::SUCCESS) {
      return Report("/features", fmt::format("must be an array of features, not {}",
                                             TypeWord(features_element.type())));
    }
    if (features.size() == 0) return Report("/features", "has no features: nothing to import");
    std::map<std::string, std::string> first_of_code;
    std::size_t feature_idx = 0;
    for (dom::element feature : features) {
      const auto pointer = fmt::format("/features/{}", feature_idx++);
      AreaShape shape;
      if (!Feature(feature, pointer, shape)) continue;
      const auto [first, inserted] = first_of_code.emplace(shape.code, pointer);
      if (!inserted) {
        Report(CodePointer(pointer),
               fmt::format("area code \"{}\" is also the code of {}: one geometry per area",
                           shape.code, first->second));
        continue;
      }
      shape.where = fmt::format("{}#{}", file_name_, pointer);
      out.push_back(std::move(shape));
    }
  }

 private:
  std::string CodePointer(const std::string& feature) const {
    return fmt::format("{}/properties/{}", feature, EscapePointerToken(options_.code_property));
  }

  // Checks "type" of an object; false (and a problem) when it is missing or another.
  bool ExpectType(dom::object object, const std::string& pointer, std::string_view expected) {
    dom::element type;
    if (object["type"].get(type) != simdjson::SUCCESS) {
      Report(pointer + "/type", fmt::format("missing: it must be \"{}\"", expected));
      return false;
    }
    std::string_view name;
    if (type.get_string().get(name) != simdjson::SUCCESS) {
      Report(pointer + "/type",
             fmt::format("must be the string \"{}\", not {}", expected, TypeWord(type.type())));
      return false;
    }
    if (name != expected) {
      Report(pointer + "/type", fmt::format("\"{}\" is not \"{}\"", name, expected));
      return false;
    }
    return true;
  }

  bool Feature(dom::element element, const std::string& pointer, AreaShape& out) {
    dom::object feature;
    if (element.get_object().get(feature) != simdjson::SUCCESS) {
      Report(pointer, fmt::format("a feature must be an object, not {}", TypeWord(element.type())));
      return false;
    }
    const std::size_t before = problems_.found();
    ExpectType(feature, pointer, "Feature");
    auto code = Code(feature, pointer);
    if (code) out.code = std::move(*code);
    Geometry(feature, pointer, out);
    return problems_.found() == before;
  }

  std::optional<std::string> Code(dom::object feature, const std::string& pointer) {
    dom::element properties_element;
    dom::object properties;
    if (feature["properties"].get(properties_element) != simdjson::SUCCESS ||
        properties_element.is_null()) {
      Report(pointer + "/properties",
             fmt::format("missing: the feature needs properties with the area code in \"{}\"",
                         options_.code_property));
      return std::nullopt;
    }
    if (properties_element.get_object().get(properties) != simdjson::SUCCESS) {
      Report(pointer + "/properties",
             fmt::format("must be an object, not {}", TypeWord(properties_element.type())));
      return std::nullopt;
    }
    dom::element value;
    if (properties.at_key(options_.code_property).get(value) != simdjson::SUCCESS) {
      Report(CodePointer(pointer),
             fmt::format("missing: the feature has no property \"{}\" with its area code",
                         options_.code_property));
      return std::nullopt;
    }
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
      if (AllDigits(text)) return NormalizeAreaCode(text);
      Report(CodePointer(pointer),
             fmt::format("\"{}\" is not an area code: the code must be a string of digits "
                         "(\"0138\") or a county number (21)",
                         text));
      return std::nullopt;
    }
    std::int64_t number = 0;
    if (value.get_int64().get(number) == simdjson::SUCCESS && number >= 1 && number <= 99) {
      return fmt::format("{:04}", number);
    }
    Report(CodePointer(pointer),
           IsNumber(value.type())
               ? fmt::format("{} is not an area code: a number must be a county number 1–99",
                             simdjson::to_string(value))
               : fmt::format("must be an area code (a string of digits or a county number), "
                             "not {}",
                             TypeWord(value.type())));
    return std::nullopt;
  }

  void Geometry(dom::object feature, const std::string& pointer, AreaShape& out) {
    const auto geometry_pointer = pointer + "/geometry";
    dom::element element;
    if (feature["geometry"].get(element) != simdjson::SUCCESS || element.is_null()) {
      return Report(geometry_pointer,
                    "missing: the feature has no geometry (a Polygon or MultiPolygon)");
    }
    dom::object geometry;
    if (element.get_object().get(geometry) != simdjson::SUCCESS) {
      return Report(geometry_pointer,
                    fmt::format("must be a geometry object, not {}", TypeWord(element.type())));
    }
    dom::element type_element;
    std::string_view type;
    if (geometry["type"].get(type_element) != simdjson::SUCCESS) {
      return Report(geometry_pointer + "/type",
                    "missing: it must be \"Polygon\" or \"MultiPolygon\"");
    }
    if (type_element.get_string().get(type) != simdjson::SUCCESS) {
      return Report(geometry_pointer + "/type",
                    fmt::format("must be the string \"Polygon\" or \"MultiPolygon\", not {}",
                                TypeWord(type_element.type())));
    }
    if (type != "Polygon" && type != "MultiPolygon") {
      return Report(geometry_pointer + "/type",
                    fmt::format("\"{}\" is not \"Polygon\" or \"MultiPolygon\": only areas can be "
                                "imported",
                                type));
    }
    const auto coordinates_pointer = geometry_pointer + "/coordinates";
    dom::element coordinates;
    if (geometry["coordinates"].get(coordinates) != simdjson::SUCCESS) {
      return Report(coordinates_pointer, fmt::format("missing: a {} has coordinates", type));
    }
    Box box;
    std::string written = fmt::format(R"({{"type":"{}","coordinates":)", type);
    if (type == "Polygon") {
      Polygon(coordinates, coordinates_pointer, written, box);
    } else {
      dom::array polygons;
      if (coordinates.get_array().get(polygons) != simdjson::SUCCESS) {
        return Report(coordinates_pointer, fmt::format("must be an array of polygons, not {}",
                                                       TypeWord(coordinates.type())));
      }
      if (polygons.size() == 0) {
        return Report(coordinates_pointer, "a MultiPolygon needs at least one polygon");
      }
      written += '[';
      std::size_t polygon_idx = 0;
      for (dom::element polygon : polygons) {
        if (polygon_idx > 0) written += ',';
        Polygon(polygon, fmt::format("{}/{}", coordinates_pointer, polygon_idx++), written, box);
      }
      written += ']';
    }
    written += '}';
    out.geometry = std::move(written);
    out.west = box.west;
    out.south = box.south;
    out.east = box.east;
    out.north = box.north;
    out.positions = positions_;
    positions_ = 0;
  }

  void Polygon(dom::element element, const std::string& pointer, std::string& out, Box& box) {
    dom::array rings;
    if (element.get_array().get(rings) != simdjson::SUCCESS) {
      return Report(pointer, fmt::format("a polygon must be an array of rings, not {}",
                                         TypeWord(element.type())));
    }
    if (rings.size() == 0) {
      return Report(pointer, "a polygon needs at least one ring (its outer boundary)");
    }
    out += '[';
    std::size_t ring_idx = 0;
    for (dom::element ring : rings) {
      if (ring_idx > 0) out += ',';
      Ring(ring, fmt::format("{}/{}", pointer, ring_idx++), out, box);
    }
    out += ']';
  }

  void Ring(dom::element element, const std::string& pointer, std::string& out, Box& box) {
    dom::array ring;
    if (element.get_array().get(ring) != simdjson::SUCCESS) {
      return Report(pointer, fmt::format("a ring must be an array of positions, not {}",
                                         TypeWord(element.type())));
    }
    const std::size_t before = problems_.found();
    std::vector<std::pair<double, double>> positions;
    std::size_t position_idx = 0;
    for (dom::element position : ring) {
      const auto position_pointer = fmt::format("{}/{}", pointer, position_idx++);
      if (auto lon_lat = Position(position, position_pointer)) positions.push_back(*lon_lat);
    }
    if (problems_.found() != before) return;
    if (positions.size() < 4) {
      return Report(pointer, fmt::format("a ring needs at least 4 positions (the first repeated "
                                         "at the end); this one has {}",
                                         positions.size()));
    }
    if (positions.front() != positions.back()) {
      return Report(pointer, fmt::format("the ring is not closed: its last position [{}, {}] is "
                                         "not its first [{}, {}]",
                                         positions.back().first, positions.back().second,
                                         positions.front().first, positions.front().second));
    }
    WriteRing(positions, out, box);
  }

  // [longitude, latitude] of a position, or nullopt (and a problem).
  std::optional<std::pair<double, double>> Position(dom::element element,
                                                    const std::string& pointer) {
    dom::array position;
    if (element.get_array().get(position) != simdjson::SUCCESS || position.size() < 2) {
      Report(pointer, element.is_array()
                          ? fmt::format("a position needs two numbers [longitude, latitude]; this "
                                        "one has {}",
                                        position.size())
                          : fmt::format("a position must be an array [longitude, latitude], not {}",
                                        TypeWord(element.type())));
      return std::nullopt;
    }
    std::array<double, 2> lon_lat{};
    std::size_t idx = 0;
    bool ok = true;
    for (dom::element number : position) {
      double value = 0;
      if (!IsNumber(number.type()) || number.get_double().get(value) != simdjson::SUCCESS) {
        Report(fmt::format("{}/{}", pointer, idx),
               fmt::format("a coordinate must be a number, not {}", TypeWord(number.type())));
        ok = false;
      } else if (idx < 2) {
        lon_lat[idx] = value;
      }
      ++idx;
    }
    if (!ok) return std::nullopt;
    if (lon_lat[0] < -180 || lon_lat[0] > 180) {
      Report(pointer + "/0",
             fmt::format("longitude {} is outside -180…180 (is the file in WGS 84 degrees, "
                         "longitude first?)",
                         lon_lat[0]));
      ok = false;
    }
    if (lon_lat[1] < -90 || lon_lat[1] > 90) {
      Report(pointer + "/1",
             fmt::format("latitude {} is outside -90…90 (is the file in WGS 84 degrees, "
                         "longitude first?)",
                         lon_lat[1]));
      ok = false;
    }
    if (!ok) return std::nullopt;
    return std::pair{lon_lat[0], lon_lat[1]};
  }

  double Round(double value) const {
    if (scale_ == 0) return value;
    const double rounded = std::round(value * scale_) / scale_;
    return rounded == 0 ? 0.0 : rounded;  // no "-0"
  }

  void WriteRing(const std::vector<std::pair<double, double>>& positions, std::string& out,
                 Box& box) {
    std::vector<std::pair<double, double>> rounded;
    rounded.reserve(positions.size());
    for (const auto& [lon, lat] : positions) {
      const std::pair<double, double> position{Round(lon), Round(lat)};
      if (!rounded.empty() && rounded.back() == position) continue;
      rounded.push_back(position);
    }
    // Rounding cannot open a closed ring (both ends round alike), but it may shrink a tiny one
    // below four positions: that one is kept whole.
    if (rounded.size() < 4) {
      rounded.clear();
      for (const auto& [lon, lat] : positions) rounded.emplace_back(Round(lon), Round(lat));
    }
    out += '[';
    for (std::size_t idx = 0; idx < rounded.size(); ++idx) {
      const auto [lon, lat] = rounded[idx];
      fmt::format_to(std::back_inserter(out), "{}[{},{}]", idx == 0 ? "" : ",", lon, lat);
      box.Add(lon, lat);
    }
    out += ']';
    positions_ += rounded.size();
  }

  std::string file_name_;
  const GeoJsonOptions& options_;
  double scale_ = 0;  // 10^decimals; 0 keeps coordinates as they are
  ProblemList problems_{kMaxProblems};
  std::size_t positions_ = 0;  // of the geometry being read
};

}  // namespace

Result<std::vector<AreaShape>> ReadGeoJson(std::string_view text, std::string_view file_name,
                                           const GeoJsonOptions& options) {
  Reader reader(file_name, options);
  dom::parser parser;
  dom::element root;
  std::vector<AreaShape> shapes;
  const simdjson::padded_string padded(text);
  if (auto error = parser.parse(padded).get(root); error) {
    reader.ReportSyntax(text, error);
  } else {
    reader.Collection(root, shapes);
  }
  reader.Finish();
  if (!reader.problems().empty()) {
    return ProblemsError(reader.problems(), fmt::format("{}", csv::ValidUtf8(file_name)));
  }
  return shapes;
}

}  // namespace halsonav::geo
