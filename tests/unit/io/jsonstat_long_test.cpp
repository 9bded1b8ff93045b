// A long value array is left out of simdjson's parse and read from the file's own text
// (io/jsonstat_document.hpp, Document::Load): every result and every problem must be what the
// whole parse gives. The reference is the same file with the key written "valu\u0065", which
// the search in the raw text does not see but the reader reads as "value".

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "io/jsonstat.hpp"
#include "io/jsonstat_cells.hpp"
#include "io/jsonstat_document.hpp"

namespace halsonav::statsio {
namespace {

constexpr const char* kKey = "\"value\"";
constexpr const char* kEscapedKey = "\"valu\\u0065\"";

// 21 counties x 20 age groups x 150 years.
constexpr int kYears = 150;
constexpr std::size_t kCells = 21 * 20 * kYears;

// The elements of a value array: numbers in the forms JSON allows, nulls, blanks between some.
std::vector<std::string> Elements() {
  const char* forms[] = {"50.0",     "43.8",
                         "9",        "23",
                         "null",     "0.05",
                         "-7.25",    "0",
                         "-0",       "1.5e3",
                         "2E-2",     "-1e+2",
                         "100.25",   "3.14159265358979",
                         "98765.43", "0.0",
                         "-0.5",     "7",
                         "12.3",     "12345678901234567890.5"};
  std::vector<std::string> elements;
  std::uint64_t state = 12345;
  for (std::size_t cell = 0; cell < kCells; ++cell) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    elements.emplace_back(forms[(state >> 33) % std::size(forms)]);
  }
  return elements;
}

std::string Join(const std::vector<std::string>& elements, bool blanks) {
  std::string text = "[";
  for (std::size_t idx = 0; idx < elements.size(); ++idx) {
    if (idx > 0) text += blanks && idx % 7 == 0 ? (idx % 2 ? " ,\n  " : ",\t") : ",";
    text += elements[idx];
  }
  return text + "]";
}

std::string Dimensions() {
  const char* counties[] = {"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
                            "14", "17", "18", "19", "20", "21", "22", "23", "24", "25"};
  std::string text = R"("dimension":{"Region":{"category":{"index":[)";
  for (std::size_t idx = 0; idx < std::size(counties); ++idx) {
    text += (idx ? ",\"" : "\"") + std::string(counties[idx]) + "\"";
  }
  text += R"(]}},"Alder":{"category":{"index":[)";
  for (int age = 0; age < 20; ++age) text += (age ? ",\"A" : "\"A") + std::to_string(age) + "\"";
  text += R"(]}},"Tid":{"category":{"index":[)";
  for (int year = 1950; year < 1950 + kYears; ++year) {
    text += (year > 1950 ? ",\"" : "\"") + std::to_string(year) + "\"";
  }
  return text + "]}}}";
}

// A dataset around `values` (the key on a line of its own, so that the escaped key moves no
// column a message names); `label` and `value_first` vary the rest.
std::string Dataset(const std::string& key, const std::string& values,
                    const std::string& label = "Long", bool value_first = false) {
  const std::string value = key + ":\n" + values + "\n";
  const std::string meta = R"("class":"dataset","label":")" + label +
                           R"(","id":["Region","Alder","Tid"],"size":[21,20,)" +
                           std::to_string(kYears) + "]," +
                           R"("role":{"geo":["Region"],"time":["Tid"]},)" + Dimensions();
  const std::string status = R"("status":{"3":"..","17":"p","41999":"c"})";
  if (value_first) return "{" + value + "," + meta + "," + status + "}";
  return "{" + meta + "," + value + "," + status + "}";
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::uint64_t Bits(double value) {
  std::uint64_t out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

void ExpectSameBatch(const StatsBatch& a, const StatsBatch& b) {
  ASSERT_EQ(a.observations.size(), b.observations.size());
  ASSERT_EQ(a.areas.size(), b.areas.size());
  ASSERT_EQ(a.breakdowns.size(), b.breakdowns.size());
  ASSERT_EQ(a.indicators.size(), b.indicators.size());
  EXPECT_EQ(a.dataset_pointers, b.dataset_pointers);
  for (std::size_t idx = 0; idx < a.indicators.size(); ++idx) {
    EXPECT_EQ(a.indicators[idx].definition.code, b.indicators[idx].definition.code);
    EXPECT_EQ(a.indicators[idx].definition.title, b.indicators[idx].definition.title);
  }
  for (std::size_t idx = 0; idx < a.observations.size(); ++idx) {
    const auto& x = a.observations[idx];
    const auto& y = b.observations[idx];
    ASSERT_EQ(std::tie(x.indicator, x.area, x.breakdown, x.status, x.period, x.origin),
              std::tie(y.indicator, y.area, y.breakdown, y.status, y.period, y.origin))
        << idx;
    ASSERT_EQ(Bits(x.value), Bits(y.value)) << idx;
  }
}

// Reads `text` and its escaped-key twin: the long array must be found in the first (so that it
// is read the cut way) and not in the twin, and both must give the same batch.
void ExpectAsWholeParse(const std::string& text, const std::string& first_dataset_pointer = "") {
  auto cut = jsonstat::FindLongValueArray(text);
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->begin, text.find(std::string(kKey) + ":\n[") + std::strlen(kKey) + 3);
  const std::string twin = Replace(text, kKey, kEscapedKey);
  ASSERT_FALSE(jsonstat::FindLongValueArray(twin));
  auto read = ReadJsonStat(text, "long.json", {});
  ASSERT_TRUE(read) << read.error().message << read.error().details.dump();
  auto whole = ReadJsonStat(twin, "long.json", {});
  ASSERT_TRUE(whole) << whole.error().message;
  ExpectSameBatch(*read, *whole);
  // And the values are the file's (read independently with nlohmann).
  const auto json = nlohmann::json::parse(text);
  const auto& values = json.at(nlohmann::json::json_pointer(first_dataset_pointer + "/value"));
  std::size_t checked = 0;
  for (const auto& observation : read->observations) {
    if ((observation.origin >> 40) != 0) continue;
    const auto& value = values.at(observation.origin & 0xffffffffff);
    if (value.is_null()) {
      EXPECT_FALSE(Present(observation.value));
    } else if (!(observation.status & kObservationMissing)) {
      EXPECT_EQ(observation.value, value.get<double>()) << value.dump();  // nlohmann: -0 is 0
    }
    ++checked;
  }
  EXPECT_EQ(checked, kCells);
}

TEST(JsonStatLongValueArray, ReadsAsTheWholeParse) {
  const auto elements = Elements();
  const std::string values = Join(elements, false);
  ASSERT_GT(values.size(), jsonstat::kMinValueCut);
  {
    SCOPED_TRACE("value after the dimensions, status after it");
    ExpectAsWholeParse(Dataset(kKey, values));
  }
  {
    SCOPED_TRACE("value first: pass 1 meets it before the sizes");
    ExpectAsWholeParse(Dataset(kKey, values, "Long", true));
  }
  {
    SCOPED_TRACE("blanks between elements");
    ExpectAsWholeParse(Dataset(kKey, Join(elements, true)));
  }
  {
    SCOPED_TRACE("another \"value\" array before it: left out at first, then read whole");
    std::string text = Dataset(kKey, values);
    text.insert(1, R"("extension":{"value":)" + values + "},");
    auto cut = jsonstat::FindLongValueArray(text);
    ASSERT_TRUE(cut);
    EXPECT_LT(cut->begin, text.find("\"value\":\n"));
    auto read = ReadJsonStat(text, "long.json", {});
    ASSERT_TRUE(read) << read.error().message;
    auto whole = ReadJsonStat(Replace(text, kKey, kEscapedKey), "long.json", {});
    ASSERT_TRUE(whole) << whole.error().message;
    ExpectSameBatch(*read, *whole);
  }
  {
    SCOPED_TRACE("a collection: the first dataset's array cut, the second's read as usual");
    const std::string second = Join(std::vector<std::string>(kCells, "1.5"), false);
    const std::string text = R"({"version":"2.0","class":"collection","link":{"item":[)" +
                             Dataset(kKey, values) + "," + Dataset(kKey, second, "Second") + "]}}";
    ExpectAsWholeParse(text, "/link/item/0");
  }
}

// Every problem in or around a long value array: the same error, message and details, as the
// whole parse gives (the file is read again whole).
TEST(JsonStatLongValueArray, ProblemsAreReportedAsByTheWholeParse) {
  const auto elements = Elements();
  struct Case {
    std::string name;
    std::size_t at;           // the element replaced
    std::string replacement;  // its text
  };
  const std::size_t last = kCells - 1;
  const Case cases[] = {
      {"two points", 50000, "1.2.3"},
      {"a string", 50000, "\"x\""},
      {"a string at the start", 0, "\"x\""},
      {"out of range", 50000, "1e400"},
      {"a broken null", 50000, "nul"},
      {"a lone minus", last, "-"},
      {"a leading zero", 50000, "01"},
      {"true", 50000, "true"},
      {"an array", 50000, "[1]"},
      {"an object", 50000, "{}"},
      {"a missing comma", 50000, "1 2"},
      {"an empty element", 50000, ""},
      {"a trailing comma", last, "1,"},
      {"too many values", last, "1,2"},
      {"too few values", last, ""},
      {"a byte that is no UTF-8", 50000, "1\xff"},
      {"NaN", 50000, "NaN"},
      {"a plus", 50000, "+1"},
      {"a bare point", 50000, ".5"},
      {"a point without decimals", 50000, "5."},
      {"an exponent without digits", 50000, "1e"},
      {"a control character", 50000, "1\x01"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    auto broken = elements;
    if (test_case.name == "too few values") {
      broken.pop_back();
    } else {
      broken[test_case.at] = test_case.replacement;
    }
    const std::string text = Dataset(kKey, Join(broken, false));
    ASSERT_TRUE(jsonstat::FindLongValueArray(text));
    auto read = ReadJsonStat(text, "long.json", {});
    auto whole = ReadJsonStat(Replace(text, kKey, kEscapedKey), "long.json", {});
    ASSERT_FALSE(whole);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, whole.error().code);
    EXPECT_EQ(read.error().message, whole.error().message);
    EXPECT_EQ(read.error().details.dump(), whole.error().details.dump());
  }
  // A long array under another "value" key before the dataset's: its elements are left out of
  // the parse at first, but it is no dataset's value, so the file is read whole, and the number
  // out of range in it is found.
  for (const std::string decoy_key : {"\"value\"", "\"x\\\"value\""}) {
    SCOPED_TRACE(decoy_key);
    auto decoy = elements;
    decoy[50000] = "1e400";
    std::string text = Dataset(kKey, Join(elements, false));
    text.insert(1, R"("extension":{)" + decoy_key + ":" + Join(decoy, false) + "},");
    auto cut = jsonstat::FindLongValueArray(text);
    ASSERT_TRUE(cut);
    EXPECT_LT(cut->begin, text.find("\"value\":\n"));
    auto read = ReadJsonStat(text, "long.json", {});
    auto whole = ReadJsonStat(Replace(text, kKey, kEscapedKey), "long.json", {});
    ASSERT_FALSE(read);
    ASSERT_FALSE(whole);
    EXPECT_EQ(read.error().message, whole.error().message);
    EXPECT_NE(read.error().details.dump().find("/extension/"), std::string::npos)
        << read.error().details.dump();
  }
  {
    SCOPED_TRACE("the file ends after the value array");
    std::string text = Dataset(kKey, Join(elements, false));
    text = text.substr(0, text.find("]\n") + 1);
    ASSERT_TRUE(jsonstat::FindLongValueArray(text));
    auto read = ReadJsonStat(text, "long.json", {});
    auto whole = ReadJsonStat(Replace(text, kKey, kEscapedKey), "long.json", {});
    ASSERT_FALSE(read);
    ASSERT_FALSE(whole);
    EXPECT_EQ(read.error().message, whole.error().message);
  }
}

// The value array's short path for plain decimals reads every element as the general one does:
// the same number to the bit, the same end, the same refusal. Elements built from pieces.
TEST(JsonStatLongValueArray, PlainNumbersReadAsTheGeneralPathReadsThem) {
  const char* pieces[] = {"0",
                          "1",
                          "9",
                          "12",
                          "123",
                          "45.6",
                          "0.05",
                          "00",
                          "01",
                          "-",
                          "-0",
                          ".",
                          "5.",
                          ".5",
                          "e",
                          "E",
                          "e+",
                          "e-",
                          "1e5",
                          "null",
                          "nul",
                          " ",
                          ",",
                          "]",
                          "x",
                          "\"",
                          "123456789012345",
                          "1234567890123456",
                          "0.123456789012345",
                          "0.1234567890123456",
                          "99999999999999999999",
                          "4.9e-324"};
  std::uint64_t state = 99;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  std::size_t plain = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string element;
    for (auto count = next() % 3 + 1; count > 0; --count) {
      if (next() % 2) {
        element += pieces[next() % std::size(pieces)];
      } else {
        element += std::to_string(next() % 100000);
        if (next() % 2) {
          // Appended in two steps: GCC 12 at -O3 warns falsely (-Wrestrict) of "." + string.
          element += '.';
          element += std::to_string(next() % 1000);
        }
      }
    }
    const char* ends[] = {",", "]", " ", "\n", "x", ""};
    element += ends[next() % std::size(ends)];
    element.append(64, '\0');  // the padding the reader's text has
    double general = 0;
    double fast = 0;
    const char* general_end = jsonstat::ScanCellValue(element.data(), general);
    const char* fast_end = jsonstat::ScanPlainCellValue(element.data(), fast);
    ASSERT_EQ(general_end, fast_end) << element.c_str();
    if (general_end != nullptr) {
      ASSERT_EQ(Bits(general), Bits(fast)) << element.c_str();
      plain += element[0] >= '0' && element[0] <= '9';
    }
  }
  EXPECT_GT(plain, 10000U);
}

}  // namespace
}  // namespace halsonav::statsio
