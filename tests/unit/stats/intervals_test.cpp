// Confidence intervals and estimators (stats/intervals, stats/standardised,
// stats/life_expectancy) against the published expected values of PHEindicatormethods, read in
// place from tests/data/reference/phe/ (FORMULAS.md says which rows and columns), and the
// errors bad input must give.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "stats/estimate.hpp"
#include "stats/intervals.hpp"
#include "stats/life_expectancy.hpp"
#include "stats/standardised.hpp"

namespace halsonav::stats {
namespace {

const std::string kPhe = std::string(HALSONAV_TEST_DATA) + "/reference/phe/";

// testthat's expect_equal tolerance (sqrt of the double epsilon), relative; the PHE tests
// compare with it.
constexpr double kTolerance = 1.5e-8;

// ---------------------------------------------------------------------------------------------
// A tiny CSV reader for the reference sheets: comma-separated, a header row, fields optionally
// in double quotes ("" inside quotes is one quote).

class Sheet {
 public:
  explicit Sheet(const std::string& file) : name_(file) {
    std::ifstream in(kPhe + file, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << kPhe + file;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::vector<std::vector<std::string>> records = Parse(buffer.str());
    if (records.empty()) return;
    header_ = records.front();
    rows_.assign(records.begin() + 1, records.end());
  }

  std::size_t RowCount() const { return rows_.size(); }

  // The text of a cell; fails the test when the column does not exist.
  const std::string& Text(std::size_t row_idx, std::string_view column) const {
    const auto found = std::find(header_.begin(), header_.end(), column);
    EXPECT_NE(found, header_.end()) << name_ << " has no column " << column;
    static const std::string kEmpty;
    if (found == header_.end()) return kEmpty;
    const auto column_idx = static_cast<std::size_t>(found - header_.begin());
    const std::vector<std::string>& row = rows_.at(row_idx);
    return column_idx < row.size() ? row[column_idx] : kEmpty;
  }

  // A numeric cell; an empty cell (R's NA) is kAbsent.
  double Number(std::size_t row_idx, std::string_view column) const {
    const std::string& text = Text(row_idx, column);
    if (text.empty() || text == "NA") return kAbsent;
    return std::stod(text);
  }

 private:
  static std::vector<std::vector<std::string>> Parse(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (std::size_t char_idx = 0; char_idx < text.size(); ++char_idx) {
      const char c = text[char_idx];
      if (quoted) {
        if (c == '"' && char_idx + 1 < text.size() && text[char_idx + 1] == '"') {
          field += '"';
          ++char_idx;
        } else if (c == '"') {
          quoted = false;
        } else {
          field += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.push_back(std::move(field));
        field.clear();
      } else if (c == '\n') {
        record.push_back(std::move(field));
        field.clear();
        records.push_back(std::move(record));
        record.clear();
      } else if (c != '\r') {
        field += c;
      }
    }
    if (!field.empty() || !record.empty()) {
      record.push_back(std::move(field));
      records.push_back(std::move(record));
    }
    return records;
  }

  std::string name_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// "95%" → 0.95, "99.8%" → 0.998.
double Percent(const std::string& text) { return std::stod(text) / 100.0; }

// Expects `actual` within kTolerance (relative) of `expected`; an absent expected value must be
// absent.
void ExpectClose(double expected, double actual, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": expected absent, got " << actual;
    return;
  }
  EXPECT_NEAR(actual, expected, kTolerance * std::max(std::abs(expected), 1.0)) << what;
}

std::string Where(const std::string& file, std::size_t row_idx, std::string_view what) {
  return file + " row " + std::to_string(row_idx + 1) + " " + std::string(what);
}

// ---------------------------------------------------------------------------------------------
// Wilson, Byar, crude rates

TEST(IntervalsReference, ProportionsWithBothConfidenceLevels) {
  const std::string file = "testdata_Proportion__testdata_Prop.csv";
  const Sheet sheet(file);
  ASSERT_EQ(sheet.RowCount(), 19u);
  std::size_t computed = 0;
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    const double x = sheet.Number(row_idx, "Numerator");
    const double n = sheet.Number(row_idx, "Denominator");
    const double multiplier = sheet.Number(row_idx, "multiplier");
    for (const auto& [conf, lower, upper] : {std::tuple{0.95, "lower95_0cl", "upper95_0cl"},
                                             std::tuple{0.998, "lower99_8cl", "upper99_8cl"}}) {
      const auto estimate = Proportion(x, n, conf, multiplier);
      if (std::isnan(x) || std::isnan(n)) {
        // PHE returns NA for a missing numerator or denominator; Hälsonav says what is missing.
        ASSERT_FALSE(estimate) << Where(file, row_idx, "missing input");
        EXPECT_NE(estimate.error().message.find("missing"), std::string::npos);
        continue;
      }
      ASSERT_TRUE(estimate) << Where(file, row_idx, estimate.error().message);
      ExpectClose(sheet.Number(row_idx, "value"), estimate->value, Where(file, row_idx, "value"));
      ExpectClose(sheet.Number(row_idx, lower), estimate->lower, Where(file, row_idx, lower));
      ExpectClose(sheet.Number(row_idx, upper), estimate->upper, Where(file, row_idx, upper));
      EXPECT_EQ(estimate->method, "wilson");
      ++computed;
    }
  }
  EXPECT_EQ(computed, 32u);
}

TEST(IntervalsReference, ProportionsGroupedByArea) {
  // PHE sums numerators and denominators per Area (test_Prop grouped by Area) before the
  // interval; Prop_g lists the sums and the expected results. A missing value makes the sum
  // missing.
  const Sheet inputs("testdata_Proportion__testdata_Prop.csv");
  std::map<std::string, std::pair<double, double>> sums;
  for (std::size_t row_idx = 0; row_idx < inputs.RowCount(); ++row_idx) {
    auto& [x, n] = sums[inputs.Text(row_idx, "Area")];
    x += inputs.Number(row_idx, "Numerator");
    n += inputs.Number(row_idx, "Denominator");
  }
  const std::string file = "testdata_Proportion__testdata_Prop_g.csv";
  const Sheet sheet(file);
  ASSERT_EQ(sheet.RowCount(), 11u);
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    const auto& [x, n] = sums.at(sheet.Text(row_idx, "Area"));
    ExpectClose(sheet.Number(row_idx, "Numerator"), x, Where(file, row_idx, "Numerator"));
    ExpectClose(sheet.Number(row_idx, "Denominator"), n, Where(file, row_idx, "Denominator"));
    const auto estimate = Proportion(x, n, Percent(sheet.Text(row_idx, "confidence")),
                                     sheet.Number(row_idx, "multiplier"));
    if (std::isnan(sheet.Number(row_idx, "value"))) {
      EXPECT_FALSE(estimate) << Where(file, row_idx, "missing input");
      continue;
    }
    ASSERT_TRUE(estimate) << Where(file, row_idx, estimate.error().message);
    ExpectClose(sheet.Number(row_idx, "value"), estimate->value, Where(file, row_idx, "value"));
    ExpectClose(sheet.Number(row_idx, "lowercl"), estimate->lower, Where(file, row_idx, "lower"));
    ExpectClose(sheet.Number(row_idx, "uppercl"), estimate->upper, Where(file, row_idx, "upper"));
  }
}

TEST(IntervalsReference, ByarAndWilsonLimits) {
  const std::string file = "testdata_Byars_Wilson__testdata_B_W.csv";
  const Sheet sheet(file);
  ASSERT_EQ(sheet.RowCount(), 13u);
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    const double x = sheet.Number(row_idx, "x");
    const double level = Percent(sheet.Text(row_idx, "confidence"));
    const double expected_lower = sheet.Number(row_idx, "lowercl");
    const double expected_upper = sheet.Number(row_idx, "uppercl");
    if (sheet.Text(row_idx, "method") == "Byars") {
      const auto confidence = MakeConfidence(level);
      ASSERT_TRUE(confidence);
      const auto lower = ByarLower(x, confidence->z);
      const auto upper = ByarUpper(x, confidence->z);
      ASSERT_TRUE(lower && upper);
      // Row 13 (x = 1 at 99.8 %): the lower limit comes out negative and is absent.
      ExpectClose(expected_lower, *lower, Where(file, row_idx, "Byar lower"));
      ExpectClose(expected_upper, *upper, Where(file, row_idx, "Byar upper"));
    } else {
      const auto estimate = Proportion(x, sheet.Number(row_idx, "n"), level);
      ASSERT_TRUE(estimate) << Where(file, row_idx, estimate.error().message);
      ExpectClose(expected_lower, estimate->lower, Where(file, row_idx, "Wilson lower"));
      ExpectClose(expected_upper, estimate->upper, Where(file, row_idx, "Wilson upper"));
    }
  }
  EXPECT_TRUE(std::isnan(sheet.Number(12, "lowercl")));  // the sheet's row 13 is the NA one
}

// PHE's method column: "Exact" below 10 events, "Byars" from 10.
std::string_view PheMethod(std::string_view method) {
  return method == "exact_poisson" ? "Exact" : method == "byar" ? "Byars" : method;
}

TEST(IntervalsReference, CrudeRatesWithBothConfidenceLevels) {
  const std::string file = "testdata_Rate__testdata_Rate.csv";
  const Sheet sheet(file);
  ASSERT_EQ(sheet.RowCount(), 20u);
  std::size_t computed = 0;
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    const double x = sheet.Number(row_idx, "Numerator");
    const double n = sheet.Number(row_idx, "Denominator");
    for (const auto& [conf, lower, upper] : {std::tuple{0.95, "lower95_0cl", "upper95_0cl"},
                                             std::tuple{0.998, "lower99_8cl", "upper99_8cl"}}) {
      const auto estimate = Rate(x, n, conf, sheet.Number(row_idx, "multiplier"));
      if (std::isnan(x) || std::isnan(n)) {
        ASSERT_FALSE(estimate) << Where(file, row_idx, "missing input");
        EXPECT_NE(estimate.error().message.find("missing"), std::string::npos);
        continue;
      }
      ASSERT_TRUE(estimate) << Where(file, row_idx, estimate.error().message);
      ExpectClose(sheet.Number(row_idx, "value"), estimate->value, Where(file, row_idx, "value"));
      ExpectClose(sheet.Number(row_idx, lower), estimate->lower, Where(file, row_idx, lower));
      ExpectClose(sheet.Number(row_idx, upper), estimate->upper, Where(file, row_idx, upper));
      EXPECT_EQ(PheMethod(estimate->method), sheet.Text(row_idx, "method"))
          << Where(file, row_idx, "method");
      ++computed;
    }
  }
  EXPECT_EQ(computed, 34u);  // 17 rows with both inputs (Area12 has more events than people)
}

TEST(IntervalsReference, CrudeRatesGroupedByArea) {
  const Sheet inputs("testdata_Rate__testdata_Rate.csv");
  std::map<std::string, std::pair<double, double>> sums;
  for (std::size_t row_idx = 0; row_idx < inputs.RowCount(); ++row_idx) {
    auto& [x, n] = sums[inputs.Text(row_idx, "Area")];
    x += inputs.Number(row_idx, "Numerator");
    n += inputs.Number(row_idx, "Denominator");
  }
  const std::string file = "testdata_Rate__testdata_Rate_g.csv";
  const Sheet sheet(file);
  ASSERT_EQ(sheet.RowCount(), 12u);
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    const auto& [x, n] = sums.at(sheet.Text(row_idx, "Area"));
    const auto estimate =
        Rate(x, n, Percent(sheet.Text(row_idx, "confidence")), sheet.Number(row_idx, "multiplier"));
    if (std::isnan(sheet.Number(row_idx, "value"))) {
      EXPECT_FALSE(estimate) << Where(file, row_idx, "missing input");
      continue;
    }
    ASSERT_TRUE(estimate) << Where(file, row_idx, estimate.error().message);
    ExpectClose(sheet.Number(row_idx, "value"), estimate->value, Where(file, row_idx, "value"));
    ExpectClose(sheet.Number(row_idx, "lowercl"), estimate->lower, Where(file, row_idx, "lower"));
    ExpectClose(sheet.Number(row_idx, "uppercl"), estimate->upper, Where(file, row_idx, "upper"));
    EXPECT_EQ(PheMethod(estimate->method), sheet.Text(row_idx, "method"));
  }
}

// ---------------------------------------------------------------------------------------------
// Means and quantiles

TEST(IntervalsReference, MeansByAreaAndOverall) {
  const Sheet inputs("testdata_Mean__testdata_Mean.csv");
  std::map<std::string, std::vector<double>> by_area;
  for (std::size_t row_idx = 0; row_idx < inputs.RowCount(); ++row_idx) {
    const double value = inputs.Number(row_idx, "values");
    by_area[inputs.Text(row_idx, "area")].push_back(value);
    by_area["No grouping"].push_back(value);
  }
  const std::string file = "testdata_Mean__testdata_Mean_results.csv";
  const Sheet sheet(file);
  ASSERT_EQ(sheet.RowCount(), 3u);
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    const std::vector<double>& values = by_area.at(sheet.Text(row_idx, "area"));
    ASSERT_EQ(static_cast<double>(values.size()), sheet.Number(row_idx, "value_count"));
    for (const auto& [conf, lower, upper] : {std::tuple{0.95, "lower95_0cl", "upper95_0cl"},
                                             std::tuple{0.998, "lower99_8cl", "upper99_8cl"}}) {
      const auto from_values = Mean(values, conf);
      const auto from_summary =
          MeanFromSummary(sheet.Number(row_idx, "value_sum"), sheet.Number(row_idx, "value_count"),
                          sheet.Number(row_idx, "stdev"), conf);
      for (const auto* estimate : {&from_values, &from_summary}) {
        ASSERT_TRUE(*estimate) << Where(file, row_idx, (*estimate).error().message);
        ExpectClose(sheet.Number(row_idx, "value"), (*estimate)->value,
                    Where(file, row_idx, "value"));
        ExpectClose(sheet.Number(row_idx, lower), (*estimate)->lower, Where(file, row_idx, lower));
        ExpectClose(sheet.Number(row_idx, upper), (*estimate)->upper, Where(file, row_idx, upper));
        ExpectClose(sheet.Number(row_idx, "stdev") / std::sqrt(static_cast<double>(values.size())),
                    (*estimate)->se, Where(file, row_idx, "se"));
      }
    }
  }
}

TEST(IntervalsReference, QuantilesAsTheSheetGroupsThem) {
  // testQuantiles.R: GroupSet IndSexReg → deciles within IndSexRef × ParentCode, inverted by
  // Polarity; IndSex → septiles within IndSexRef, inverted by Polarity; None → quartiles over
  // all those rows together with PHE's default invert = TRUE. Only the "Good..." test rows.
  const std::string file = "testdata_Quantiles__testdata_Quantiles.csv";
  const Sheet sheet(file);
  struct GroupSet {
    std::string name;
    bool by_parent;
    bool by_indicator;
    int n_quantiles;
    std::optional<bool> invert;  // nullopt: from Polarity
  };
  const std::vector<GroupSet> sets = {
      {"IndSexReg", true, true, 10, std::nullopt},
      {"IndSex", false, true, 7, std::nullopt},
      {"None", false, false, 4, true},
  };
  std::size_t checked = 0;
  std::size_t groups_too_small = 0;
  for (const GroupSet& set : sets) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
      if (sheet.Text(row_idx, "GroupSet") != set.name) continue;
      if (sheet.Text(row_idx, "Test").rfind("Good", 0) != 0) continue;
      std::string key;
      if (set.by_indicator) key += sheet.Text(row_idx, "IndSexRef");
      if (set.by_parent) key += "|" + sheet.Text(row_idx, "ParentCode");
      groups[key].push_back(row_idx);
    }
    for (const auto& [key, rows] : groups) {
      std::vector<double> values;
      for (const std::size_t row_idx : rows) values.push_back(sheet.Number(row_idx, "Value"));
      const std::string& polarity = sheet.Text(rows.front(), "Polarity");
      const bool invert = set.invert.value_or(polarity == "RAG - Low is good" || polarity == "1");
      const auto quantiles = AssignQuantiles(values, set.n_quantiles, invert);
      if (!quantiles) {
        // Fewer areas than quantiles: PHE leaves the whole group without quantiles (and warns);
        // Hälsonav says so as an error.
        for (const std::size_t row_idx : rows) {
          EXPECT_TRUE(std::isnan(sheet.Number(row_idx, "QuantileInGrp")))
              << Where(file, row_idx, quantiles.error().message);
        }
        EXPECT_NE(quantiles.error().message.find("cannot be split"), std::string::npos);
        ++groups_too_small;
        checked += rows.size();
        continue;
      }
      for (std::size_t value_idx = 0; value_idx < rows.size(); ++value_idx) {
        const double expected = sheet.Number(rows[value_idx], "QuantileInGrp");
        const std::optional<int>& actual = (*quantiles)[value_idx];
        if (std::isnan(expected)) {
          EXPECT_FALSE(actual) << Where(file, rows[value_idx], "no quantile for a missing value");
        } else {
          ASSERT_TRUE(actual) << Where(file, rows[value_idx], "quantile");
          EXPECT_EQ(*actual, expected) << Where(file, rows[value_idx], "quantile");
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 982u);         // 339 + 152 + 491 "Good" rows
  EXPECT_EQ(groups_too_small, 2u);  // two regions with fewer than 10 areas
}

// ---------------------------------------------------------------------------------------------
// Directly and indirectly standardised rates

TEST(StandardisedReference, Esp2013EqualsTheSheet) {
  const Sheet sheet("esp2013.csv");
  ASSERT_EQ(sheet.RowCount(), kEsp2013.size());
  double total = 0;
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    EXPECT_EQ(kEsp2013[row_idx].label, sheet.Text(row_idx, "ageband"));
    EXPECT_EQ(kEsp2013[row_idx].population, sheet.Number(row_idx, "esp2013"));
    total += kEsp2013[row_idx].population;
  }
  EXPECT_EQ(total, 100000);
}

// All rows of a sheet that holds one area.
std::vector<std::size_t> AllRows(const Sheet& sheet) {
  std::vector<std::size_t> rows(sheet.RowCount());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return rows;
}

// The rows of one area of a long sheet, in file order.
std::map<std::string, std::vector<std::size_t>> RowsByArea(const Sheet& sheet,
                                                           std::string_view column = "area") {
  std::map<std::string, std::vector<std::size_t>> areas;
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    areas[sheet.Text(row_idx, column)].push_back(row_idx);
  }
  return areas;
}

// The DSR bands of one area with the ESP2013 weights (or a weight column), labels kept alive by
// the sheet.
std::vector<DsrBand> DsrBands(const Sheet& sheet, const std::vector<std::size_t>& rows,
                              std::string_view weight_column = "", std::string_view label = "") {
  std::vector<DsrBand> bands;
  for (std::size_t band_idx = 0; band_idx < rows.size(); ++band_idx) {
    const std::size_t row_idx = rows[band_idx];
    bands.push_back(
        DsrBand{.count = sheet.Number(row_idx, "count"),
                .population = sheet.Number(row_idx, "pop"),
                .standard_population = weight_column.empty() ? kEsp2013.at(band_idx).population
                                                             : sheet.Number(row_idx, weight_column),
                .label = label.empty() ? std::string_view() : sheet.Text(row_idx, label)});
  }
  return bands;
}

TEST(StandardisedReference, DirectlyStandardisedRates) {
  const Sheet results("testdata_DSR_ISR__testresults_DSR.csv");
  const Sheet multiarea("testdata_DSR_ISR__testdata_multiarea.csv");
  const Sheet data_1976("testdata_DSR_ISR__testdata_1976.csv");
  const auto areas = RowsByArea(multiarea);
  std::size_t checked = 0;
  // Rows 1-3 per 10,000, 5-7 per 100,000 (multiarea, ESP2013); rows 4 and 8 the 1976 data with
  // its own esp1976 column, where only the 95 % columns are checked (FORMULAS.md).
  for (std::size_t row_idx = 0; row_idx < 8; ++row_idx) {
    const std::string& area = results.Text(row_idx, "area");
    const bool is_1976 = area == "testdata_1976";
    const std::vector<DsrBand> bands = is_1976 ? DsrBands(data_1976, AllRows(data_1976), "esp1976")
                                               : DsrBands(multiarea, areas.at(area));
    const double multiplier = row_idx < 4 ? 10000 : 100000;
    for (const auto& [conf, lower, upper] : {std::tuple{0.95, "lower95_0cl", "upper95_0cl"},
                                             std::tuple{0.998, "lower99_8cl", "upper99_8cl"}}) {
      if (is_1976 && conf == 0.998) continue;
      const auto dsr = Dsr(bands, conf, multiplier);
      const std::string where = Where("testresults_DSR", row_idx, area);
      ASSERT_TRUE(dsr) << where << ": " << dsr.error().message;
      ExpectClose(results.Number(row_idx, "total_count"), dsr->total_count, where + " count");
      ExpectClose(results.Number(row_idx, "total_pop"), dsr->total_population, where + " pop");
      ExpectClose(results.Number(row_idx, "value"), dsr->estimate.value, where + " value");
      ExpectClose(results.Number(row_idx, lower), dsr->estimate.lower, where + " " + lower);
      ExpectClose(results.Number(row_idx, upper), dsr->estimate.upper, where + " " + upper);
      EXPECT_EQ(dsr->estimate.method, "dobson");
      EXPECT_EQ(std::isnan(results.Number(row_idx, "value")), !dsr->estimate.note.empty());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 14u);
}

TEST(StandardisedReference, DirectlyStandardisedRatesForNonIndependentEvents) {
  // testdata_nonindepe: f1..f4 are the persons with 1..4 events; rows 9-12 of testresults_DSR.
  const Sheet results("testdata_DSR_ISR__testresults_DSR.csv");
  const Sheet data("testdata_DSR_ISR__testdata_nonindepe.csv");
  const auto areas = RowsByArea(data);
  std::size_t checked = 0;
  for (std::size_t row_idx = 8; row_idx < 12; ++row_idx) {
    const std::string& area = results.Text(row_idx, "area");
    const std::vector<std::size_t>& rows = areas.at(area);
    std::vector<std::vector<double>> persons(rows.size());
    std::vector<DsrPersonsBand> bands;
    for (std::size_t band_idx = 0; band_idx < rows.size(); ++band_idx) {
      for (const char* column : {"f1", "f2", "f3", "f4"}) {
        persons[band_idx].push_back(data.Number(rows[band_idx], column));
      }
      bands.push_back(DsrPersonsBand{.persons_by_frequency = persons[band_idx],
                                     .population = data.Number(rows[band_idx], "pop"),
                                     .standard_population = kEsp2013.at(band_idx).population,
                                     .label = data.Text(rows[band_idx], "ageband")});
    }
    for (const auto& [conf, lower, upper] : {std::tuple{0.95, "lower95_0cl", "upper95_0cl"},
                                             std::tuple{0.998, "lower99_8cl", "upper99_8cl"}}) {
      const auto dsr = DsrNonIndependent(bands, conf, 100000);
      const std::string where = Where("testresults_DSR", row_idx, area);
      ASSERT_TRUE(dsr) << where << ": " << dsr.error().message;
      ExpectClose(results.Number(row_idx, "total_count"), dsr->total_count, where + " count");
      ExpectClose(results.Number(row_idx, "total_pop"), dsr->total_population, where + " pop");
      ExpectClose(results.Number(row_idx, "value"), dsr->estimate.value, where + " value");
      ExpectClose(results.Number(row_idx, lower), dsr->estimate.lower, where + " " + lower);
      ExpectClose(results.Number(row_idx, upper), dsr->estimate.upper, where + " " + upper);
      EXPECT_EQ(dsr->estimate.method, "dobson_non_independent");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8u);
}

// The ISR bands of one area: counts, populations and reference data from refdata.csv (by
// position, as PHE's vectors) or from the sheet's own refcount/refpop columns.
std::vector<IsrBand> IsrBands(const Sheet& sheet, const std::vector<std::size_t>& rows,
                              const Sheet* refdata, bool with_counts = true) {
  std::vector<IsrBand> bands;
  for (std::size_t band_idx = 0; band_idx < rows.size(); ++band_idx) {
    const std::size_t row_idx = rows[band_idx];
    IsrBand band;
    band.count = with_counts ? sheet.Number(row_idx, "count") : kAbsent;
    band.population = sheet.Number(row_idx, "pop");
    band.reference_count =
        refdata ? refdata->Number(band_idx, "refcount") : sheet.Number(row_idx, "refcount");
    band.reference_population =
        refdata ? refdata->Number(band_idx, "refpop") : sheet.Number(row_idx, "refpop");
    bands.push_back(band);
  }
  return bands;
}

// Checks one testresults_ISR row against a computed figure (the 99.8 % columns when present).
void ExpectIsrRow(const Sheet& results, std::size_t row_idx, const std::vector<IsrBand>& bands,
                  double observed_total = kAbsent) {
  const std::string& statistic = results.Text(row_idx, "statistic");
  const bool is_ratio = statistic.find("ratio") != std::string::npos;
  const double scale = std::stod(statistic.substr(statistic.rfind(' ') + 1));
  const std::string where =
      Where("testresults_ISR", row_idx, results.Text(row_idx, "area") + " " + statistic);
  for (const auto& [conf, lower, upper] : {std::tuple{0.95, "lower95_0cl", "upper95_0cl"},
                                           std::tuple{0.998, "lower99_8cl", "upper99_8cl"}}) {
    if (std::isnan(results.Number(row_idx, lower))) continue;  // not in the sheet
    const auto isr = is_ratio ? IsRatio(bands, conf, scale, observed_total)
                              : IsRate(bands, conf, scale, observed_total);
    ASSERT_TRUE(isr) << where << ": " << isr.error().message;
    ExpectClose(results.Number(row_idx, "observed"), isr->observed, where + " observed");
    ExpectClose(results.Number(row_idx, "expected"), isr->expected, where + " expected");
    ExpectClose(results.Number(row_idx, "ref_rate"), isr->reference_rate, where + " ref_rate");
    ExpectClose(results.Number(row_idx, "value"), isr->estimate.value, where + " value");
    ExpectClose(results.Number(row_idx, lower), isr->estimate.lower, where + " " + lower);
    ExpectClose(results.Number(row_idx, upper), isr->estimate.upper, where + " " + upper);
    EXPECT_EQ(PheMethod(isr->estimate.method), results.Text(row_idx, "method")) << where;
  }
}

TEST(StandardisedReference, IndirectlyStandardisedRatiosAndRates) {
  // Rows 1-12: multiarea with refdata by position (rate per 100,000 and per 1,000, ratio × 1
  // and × 100).
  const Sheet results("testdata_DSR_ISR__testresults_ISR.csv");
  const Sheet multiarea("testdata_DSR_ISR__testdata_multiarea.csv");
  const Sheet refdata("testdata_DSR_ISR__refdata.csv");
  const auto areas = RowsByArea(multiarea);
  ASSERT_EQ(results.RowCount(), 16u);
  for (std::size_t row_idx = 0; row_idx < 12; ++row_idx) {
    ExpectIsrRow(results, row_idx,
                 IsrBands(multiarea, areas.at(results.Text(row_idx, "area")), &refdata));
  }
}

TEST(StandardisedReference, IndirectlyStandardisedWithOwnReferenceColumns) {
  // testdata_multiarea_isr carries refcount/refpop per row (PHE refpoptype = "field"): rows 1-3.
  // Its tiny area has no population in band 3, which PHE counts as 0 and Hälsonav refuses.
  const Sheet results("testdata_DSR_ISR__testresults_ISR.csv");
  const Sheet data("testdata_DSR_ISR__testdata_multiarea_isr.csv");
  const auto areas = RowsByArea(data);
  for (std::size_t row_idx = 0; row_idx < 3; ++row_idx) {
    const std::vector<IsrBand> bands =
        IsrBands(data, areas.at(results.Text(row_idx, "area")), nullptr);
    if (results.Text(row_idx, "area") == "testdata_tiny") {
      const auto isr = IsRate(bands);
      ASSERT_FALSE(isr);
      EXPECT_EQ(isr.error().message, "band 3: the population is missing");
      continue;
    }
    ExpectIsrRow(results, row_idx, bands);
  }
}

TEST(StandardisedReference, IndirectlyStandardisedWithObservedTotals) {
  // PHE's observed_totals: the counts come from testdata_multiarea_lookup, the bands have
  // populations only; the results are rows 1-3 again.
  const Sheet results("testdata_DSR_ISR__testresults_ISR.csv");
  const Sheet multiarea("testdata_DSR_ISR__testdata_multiarea.csv");
  const Sheet refdata("testdata_DSR_ISR__refdata.csv");
  const Sheet lookup("testdata_DSR_ISR__testdata_multiarea_lookup.csv");
  const auto areas = RowsByArea(multiarea);
  ASSERT_EQ(lookup.RowCount(), 3u);
  for (std::size_t row_idx = 0; row_idx < 3; ++row_idx) {
    const std::string& area = results.Text(row_idx, "area");
    ASSERT_EQ(lookup.Text(row_idx, "area"), area);
    ExpectIsrRow(results, row_idx, IsrBands(multiarea, areas.at(area), &refdata, false),
                 lookup.Number(row_idx, "total_count"));
  }
}

TEST(StandardisedReference, IndirectlyStandardisedWithAZeroPopulation) {
  // Rows 13-16 (Area1/Area2) are testISRates.R's "zero population" case: testdata_err2, whose
  // Area1 has population 0 in band 2. A population of 0 is allowed for ISRs (nothing expected
  // there) but not for DSRs.
  const Sheet results("testdata_DSR_ISR__testresults_ISR.csv");
  const Sheet err2("testdata_DSR_ISR__testdata_err2.csv");
  const Sheet refdata("testdata_DSR_ISR__refdata.csv");
  const auto areas = RowsByArea(err2);
  for (std::size_t row_idx = 12; row_idx < 16; ++row_idx) {
    ExpectIsrRow(results, row_idx,
                 IsrBands(err2, areas.at(results.Text(row_idx, "area")), &refdata));
  }
  const auto dsr = Dsr(DsrBands(err2, areas.at("Area1")));
  ASSERT_FALSE(dsr);
  EXPECT_EQ(dsr.error().message, "band 2: the population is 0");
}

TEST(StandardisedReference, ErrorSheetsGiveClearErrors) {
  // err1: a negative count; err3: a negative population; err4: a negative standard population
  // (testDSRs.R / testISRates.R error cases), each in band 6 or band 2 of one area.
  const Sheet refdata("testdata_DSR_ISR__refdata.csv");
  struct Case {
    std::string file;
    std::string dsr_message;
    std::string isr_message;  // empty: the ISR has no such input
  };
  const std::vector<Case> cases = {
      {"testdata_DSR_ISR__testdata_err1.csv", "band 6 (25-29): the count -26 is negative",
       "band 6: the count -26 is negative"},
      {"testdata_DSR_ISR__testdata_err3.csv", "band 2 (5-9): the population -558 is negative",
       "band 2: the population -558 is negative"},
      {"testdata_DSR_ISR__testdata_err4.csv",
       "band 6 (25-29): the standard population -6000 is negative", ""},
  };
  for (const Case& c : cases) {
    const Sheet sheet(c.file);
    const std::vector<std::size_t> rows = AllRows(sheet);
    const auto dsr = Dsr(DsrBands(sheet, rows, "stdpop", "Age Band"));
    ASSERT_FALSE(dsr) << c.file;
    EXPECT_EQ(dsr.error().message, c.dsr_message);
    EXPECT_EQ(dsr.error().code, ErrorCode::kInvalidValue);
    if (c.isr_message.empty()) continue;
    const auto isr = IsRatio(IsrBands(sheet, rows, &refdata));
    ASSERT_FALSE(isr) << c.file;
    EXPECT_EQ(isr.error().message, c.isr_message);
  }
}

// ---------------------------------------------------------------------------------------------
// Life expectancy

TEST(LifeExpectancyReference, ChiangWithSilcocksInterval) {
  // testLifeExpectancy.R df1: values compared at 4 decimals; the CIs match to 1e-5.
  const std::string file = "LE_reference_df1_from_testLifeExpectancy.csv";
  const Sheet sheet(file);
  ASSERT_EQ(sheet.RowCount(), 20u);
  std::vector<LifeTableBand> bands;
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    bands.push_back(LifeTableBand{.start_age = sheet.Number(row_idx, "startage"),
                                  .population = sheet.Number(row_idx, "pops"),
                                  .deaths = sheet.Number(row_idx, "deaths")});
  }
  const auto estimates = LifeExpectancy(bands, 95);
  ASSERT_TRUE(estimates) << estimates.error().message;
  ASSERT_EQ(estimates->size(), 20u);
  const auto round4 = [](double v) { return std::round(v * 1e4) / 1e4; };
  for (std::size_t row_idx = 0; row_idx < sheet.RowCount(); ++row_idx) {
    const Estimate& estimate = (*estimates)[row_idx];
    EXPECT_EQ(round4(estimate.value), round4(sheet.Number(row_idx, "value")))
        << Where(file, row_idx, "value");
    EXPECT_NEAR(estimate.lower, sheet.Number(row_idx, "lowercl95"), 1e-5)
        << Where(file, row_idx, "lower");
    EXPECT_NEAR(estimate.upper, sheet.Number(row_idx, "uppercl95"), 1e-5)
        << Where(file, row_idx, "upper");
    EXPECT_EQ(estimate.method, "chiang_silcocks");
    EXPECT_TRUE(estimate.note.empty());
  }
}

// ---------------------------------------------------------------------------------------------
// Bad input and legitimately undefined results

const std::vector<double> kLeStartAges = {0,  1,  5,  10, 15, 20, 25, 30, 35, 40,
                                          45, 50, 55, 60, 65, 70, 75, 80, 85, 90};
const std::vector<double> kLePops = {7060,  35059, 46974, 48489, 43219, 38561, 46009,
                                     57208, 61435, 55601, 50209, 56416, 46411, 39820,
                                     37978, 37039, 33288, 23306, 11936, 11936};
const std::vector<double> kLeDeaths = {17,  9,   4,   8,   20,  15,  24,   33,   50,   71,
                                       100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937};

std::vector<LifeTableBand> LeBands(std::vector<double> pops, std::vector<double> deaths) {
  std::vector<LifeTableBand> bands;
  for (std::size_t band_idx = 0; band_idx < kLeStartAges.size(); ++band_idx) {
    bands.push_back({kLeStartAges[band_idx], pops[band_idx], deaths[band_idx]});
  }
  return bands;
}

struct BadCase {
  std::string name;
  Result<Estimate> result;
  std::string message;
};

TEST(IntervalsErrors, BadInputIsAClearError) {
  const std::vector<BadCase> cases = {
      {"negative numerator", Proportion(-1, 10), "the numerator -1 is negative"},
      {"x > n", Proportion(12, 10), "the numerator 12 is larger than the denominator 10"},
      {"n = 0", Proportion(0, 0), "the denominator 0 is not greater than 0"},
      {"NaN numerator", Proportion(kAbsent, 10), "the numerator is missing"},
      {"missing denominator", Proportion(3, kAbsent), "the denominator is missing"},
      {"infinite denominator", Proportion(3, HUGE_VAL),
       "the denominator inf is not a finite number"},
      {"conf 1.5", Proportion(3, 10, 1.5),
       "the confidence level 1.5 is not between 0 and 1 (e.g. 0.95 or 95)"},
      {"conf 100", Proportion(3, 10, 100),
       "the confidence level 100 is not between 0 and 1 (e.g. 0.95 or 95)"},
      {"negative conf", Rate(3, 10, -0.95),
       "the confidence level -0.95 is not between 0 and 1 (e.g. 0.95 or 95)"},
      {"rate negative count", Rate(-2, 100), "the numerator -2 is negative"},
      {"rate n = 0", Rate(2, 0), "the denominator 0 is not greater than 0"},
      {"rate missing population", Rate(2, kAbsent), "the denominator is missing"},
      {"rate multiplier 0", Rate(2, 10, 0.95, 0), "the multiplier 0 is not greater than 0"},
      {"mean of nothing", Mean(std::vector<double>{}), "there are no values to average"},
      {"mean with NaN", Mean(std::vector<double>{1, kAbsent, 3}), "value 2 is missing"},
      {"summary count 0", MeanFromSummary(10, 0, 1), "the count of values 0 is not greater than 0"},
      {"summary count 2.5", MeanFromSummary(10, 2.5, 1),
       "the count of values 2.5 is not a whole number"},
      {"summary negative sd", MeanFromSummary(10, 3, -1), "the standard deviation -1 is negative"},
      {"normal missing se", NormalInterval(1, kAbsent), "the standard error is missing"},
      {"normal negative se", NormalInterval(1, -0.1), "the standard error -0.1 is negative"},
  };
  for (const BadCase& c : cases) {
    ASSERT_FALSE(c.result) << c.name << " gave a value";
    EXPECT_EQ(c.result.error().message, c.message) << c.name;
    EXPECT_EQ(c.result.error().code, ErrorCode::kInvalidValue) << c.name;
    EXPECT_TRUE(c.result.error().details.contains("field")) << c.name;
  }
  EXPECT_FALSE(ByarLower(-1, 1.96));
  EXPECT_FALSE(ByarUpper(1, 0));
  EXPECT_FALSE(ByarUpper(kAbsent, 1.96));
}

TEST(IntervalsErrors, QuantileErrors) {
  const std::vector<double> values = {3, kAbsent, 1, 2};
  const auto too_few = AssignQuantiles(values, 4, false);
  ASSERT_FALSE(too_few);
  EXPECT_EQ(too_few.error().message,
            "3 values (not counting missing ones) cannot be split into 4 quantiles: at least as "
            "many values as quantiles are needed");
  EXPECT_FALSE(AssignQuantiles(values, 0, false));
  EXPECT_FALSE(AssignQuantiles(std::vector<double>{1, HUGE_VAL}, 2, false));
  const auto ok = AssignQuantiles(values, 3, false);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, (std::vector<std::optional<int>>{3, std::nullopt, 1, 2}));
  const auto inverted = AssignQuantiles(values, 3, true);
  ASSERT_TRUE(inverted);
  EXPECT_EQ(*inverted, (std::vector<std::optional<int>>{1, std::nullopt, 3, 2}));
}

TEST(StandardisedErrors, BandErrorsNameTheBand) {
  std::vector<DsrBand> bands(3, DsrBand{.count = 5, .population = 100, .standard_population = 1});
  bands[1].population = kAbsent;
  bands[1].label = "5-9";
  auto dsr = Dsr(bands);
  ASSERT_FALSE(dsr);
  EXPECT_EQ(dsr.error().message, "band 2 (5-9): the population is missing");
  EXPECT_EQ(dsr.error().details["band"], 2);
  EXPECT_EQ(dsr.error().details["field"], "pop");
  EXPECT_EQ(dsr.error().details["label"], "5-9");

  bands[1].population = 100;
  bands[2].standard_population = kAbsent;
  dsr = Dsr(bands);
  ASSERT_FALSE(dsr);
  EXPECT_EQ(dsr.error().message, "band 3: the standard population is missing");

  for (DsrBand& band : bands) band.standard_population = 0;
  dsr = Dsr(bands);
  ASSERT_FALSE(dsr);
  EXPECT_EQ(dsr.error().message,
            "the standard populations are all 0: there is nothing to weight by");
  EXPECT_FALSE(Dsr(std::vector<DsrBand>{}));
  for (DsrBand& band : bands) band.standard_population = 1;
  EXPECT_FALSE(Dsr(bands, 0.2 * 5));  // conf 1.0
  EXPECT_FALSE(Dsr(bands, 0.95, -1));

  // Non-independent events: all bands give the same frequencies.
  const std::vector<double> two = {1, 2};
  const std::vector<double> three = {1, 2, 3};
  const std::vector<DsrPersonsBand> ragged = {
      {.persons_by_frequency = two, .population = 10, .standard_population = 1},
      {.persons_by_frequency = three, .population = 10, .standard_population = 1}};
  const auto nonindependent = DsrNonIndependent(ragged);
  ASSERT_FALSE(nonindependent);
  EXPECT_EQ(nonindependent.error().message,
            "band 2: the band gives persons for 3 event frequencies, band 1 for 2");

  // ISR: an observed total with band counts is ambiguous; no expected events is undefined.
  std::vector<IsrBand> isr_bands(
      2, IsrBand{.count = 3, .population = 10, .reference_count = 1, .reference_population = 50});
  const auto both = IsRatio(isr_bands, 0.95, 1, 6);
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().message,
            "band 1: the band has a count (3) although the observed total is given; give one or "
            "the other");
  for (IsrBand& band : isr_bands) band.population = 0;
  const auto nothing_expected = IsRate(isr_bands);
  ASSERT_FALSE(nothing_expected);
  EXPECT_NE(nothing_expected.error().message.find("expected count is 0"), std::string::npos);
  isr_bands[0].population = 10;
  isr_bands[1].reference_population = 0;
  const auto no_reference = IsRate(isr_bands);
  ASSERT_FALSE(no_reference);
  EXPECT_EQ(no_reference.error().message, "band 2: the reference population is 0");
}

TEST(LifeExpectancyErrors, BadBandsAreErrors) {
  struct Case {
    std::string name;
    std::vector<LifeTableBand> bands;
    std::string message;
  };
  std::vector<double> deaths = kLeDeaths;
  deaths[3] = -5;
  std::vector<double> zero_pop = kLePops;
  zero_pop[5] = 0;
  std::vector<double> few_pops = kLePops;
  few_pops[18] = 119;
  std::vector<LifeTableBand> unordered = LeBands(kLePops, kLeDeaths);
  std::swap(unordered[14], unordered[15]);
  std::vector<LifeTableBand> missing = LeBands(kLePops, kLeDeaths);
  missing[7].population = kAbsent;
  const std::vector<Case> cases = {
      {"negative deaths", LeBands(kLePops, deaths),
       "band 4: the number of deaths -5 is negative or not finite (age 10)"},
      {"zero population", LeBands(zero_pop, kLeDeaths),
       "band 6: the population 0 is not greater than 0 (age 20)"},
      {"deaths above population", LeBands(few_pops, kLeDeaths),
       "band 19: the deaths 1936 are more than the population 119 (age 85)"},
      {"unordered", unordered, "band 16: the start age 65 does not follow the previous band's 70"},
      {"missing population", missing, "band 8: the population is missing"},
      {"one band", {LifeTableBand{0, 10000, 10}}, "a life table needs at least 2 age bands, not 1"},
      {"not from 0",
       {LifeTableBand{1, 10000, 10}, LifeTableBand{5, 10000, 10}},
       "band 1: the first band starts at age 1, not 0"},
  };
  for (const Case& c : cases) {
    const auto result = LifeExpectancy(c.bands);
    ASSERT_FALSE(result) << c.name;
    EXPECT_EQ(result.error().message, c.message) << c.name;
  }
  EXPECT_FALSE(LifeExpectancy(LeBands(kLePops, kLeDeaths), 0.5 * 3));
}

TEST(UndefinedResults, StayAbsentWithANote) {
  // Byar's lower limit below 0.
  const auto byar = ByarLower(1, 3.090232306167813);
  ASSERT_TRUE(byar);
  EXPECT_TRUE(std::isnan(*byar));
  // A rate with no events: exact interval from 0.
  const auto zero_rate = Rate(0, 1000);
  ASSERT_TRUE(zero_rate);
  EXPECT_EQ(zero_rate->value, 0);
  EXPECT_EQ(zero_rate->lower, 0);
  EXPECT_NEAR(zero_rate->upper, 368.8879454113936, 1e-9);  // qchisq(0.975, 2)/2/1000 × 1e5
  // One value: a mean but no interval.
  const auto single = Mean(std::vector<double>{4.5});
  ASSERT_TRUE(single);
  EXPECT_EQ(single->value, 4.5);
  EXPECT_TRUE(std::isnan(single->lower) && std::isnan(single->upper) && std::isnan(single->se));
  EXPECT_FALSE(single->note.empty());
  // A DSR from fewer than 10 events.
  std::vector<DsrBand> bands(2, DsrBand{.count = 4, .population = 100, .standard_population = 1});
  const auto dsr = Dsr(bands);
  ASSERT_TRUE(dsr);
  EXPECT_EQ(dsr->total_count, 8);
  EXPECT_TRUE(std::isnan(dsr->estimate.value) && std::isnan(dsr->estimate.lower));
  EXPECT_NE(dsr->estimate.note.find("fewer than 10"), std::string::npos);
  // Life expectancy: a small population (testLifeExpectancy.R df_low_pops), an open band with
  // no deaths, and an interval wider than 20 years.
  const std::vector<double> low_pops = {128, 152, 120, 176, 194, 180, 145, 149, 107, 185,
                                        165, 109, 100, 122, 133, 189, 123, 121, 147, 138};
  const std::vector<double> low_deaths = {58, 93, 78, 94, 59, 71, 80, 73, 69, 72,
                                          91, 69, 78, 71, 54, 91, 82, 53, 50, 84};
  const auto small = LifeExpectancy(LeBands(low_pops, low_deaths));
  ASSERT_TRUE(small);
  for (const Estimate& estimate : *small) {
    EXPECT_TRUE(std::isnan(estimate.value) && std::isnan(estimate.lower));
    EXPECT_NE(estimate.note.find("5,000"), std::string::npos);
  }
  std::vector<double> no_open_deaths = kLeDeaths;
  no_open_deaths.back() = 0;
  const auto open = LifeExpectancy(LeBands(kLePops, no_open_deaths));
  ASSERT_TRUE(open);
  EXPECT_TRUE(std::isnan(open->front().value));
  EXPECT_NE(open->front().note.find("open"), std::string::npos);
  // 6,000 people with one death at 90+: the open band's 1/M is huge and its variance more so.
  std::vector<double> thin_pops(20, 300);
  std::vector<double> thin_deaths(20, 0);
  thin_deaths.back() = 1;
  const auto wide = LifeExpectancy(LeBands(thin_pops, thin_deaths));
  ASSERT_TRUE(wide);
  const Estimate& at_90 = wide->back();
  EXPECT_TRUE(std::isnan(at_90.value));
  EXPECT_FALSE(std::isnan(at_90.lower));
  EXPECT_GT(at_90.upper - at_90.lower, 20);
  EXPECT_NE(at_90.note.find("wider than 20 years"), std::string::npos);
}

TEST(NormalIntervalTest, ValuePlusMinusZTimesSe) {
  const auto estimate = NormalInterval(10, 2, 95);
  ASSERT_TRUE(estimate);
  EXPECT_DOUBLE_EQ(estimate->lower, 10 - 1.959963984540054 * 2);
  EXPECT_DOUBLE_EQ(estimate->upper, 10 + 1.959963984540054 * 2);
  EXPECT_EQ(estimate->confidence, 0.95);
  EXPECT_EQ(estimate->method, "normal");
}

}  // namespace
}  // namespace halsonav::stats
