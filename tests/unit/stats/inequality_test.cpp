#include "stats/inequality.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

// The reference files of tests/data/reference/ are read in place (FORMULAS.md explains them):
// who/expected_values.csv with its inputs (WHO's healthequal tests) and
// phe/testdata_SII__testdata_SII.csv (PHEindicatormethods' phe_sii tests).

namespace halsonav::stats {
namespace {

const std::string kReference = std::string(HALSONAV_TEST_DATA) + "/reference/";
constexpr double kZ95 = 1.959963984540054;

// ---- A small CSV reader (quoted fields, no embedded newlines)
// ------------------------------------

using Row = std::map<std::string, std::string>;

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

std::vector<Row> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsvLine(line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = SplitCsvLine(line);
    Row row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

double Number(const std::string& text) {
  if (text.empty() || text == "NA") return kAbsent;
  return std::stod(text);
}

// testthat's expect_equal(tolerance = t) on one number: |actual - expected| / |expected| < t.
::testing::AssertionResult NearRelative(double actual, double expected, double tolerance) {
  const double error = std::fabs(actual - expected) / std::fabs(expected);
  if (error < tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << actual << " expected " << expected
                                       << " relative error " << error << " >= " << tolerance;
}

// ---- Sets built from the WHO input files
// ---------------------------------------------------------

struct OwnedSet {
  std::vector<double> estimate, se, population, lower, upper;
  std::vector<int> order;
  SubgroupSet set;
  void Bind() {
    set.estimate = estimate;
    set.se = se;
    set.population = population;
    set.order = order;
    set.lower = lower;
    set.upper = upper;
  }
};

OwnedSet WhoInputs(const std::string& file) {
  OwnedSet owned;
  const std::vector<Row> rows = ReadCsv(kReference + "who/" + file);
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const Row& row = rows[j];
    owned.estimate.push_back(Number(row.at("est")));
    owned.se.push_back(Number(row.at("se")));
    owned.population.push_back(Number(row.at("pop")));
    if (row.count("subgroup_order") != 0)
      owned.order.push_back(std::stoi(row.at("subgroup_order")));
    if (row.count("reference_subgroup") != 0 && row.at("reference_subgroup") == "1") {
      owned.set.reference = static_cast<int>(j);
    }
    owned.set.ordered = row.at("ordered_dimension") == "1";
    owned.set.favourable = row.at("favourable_indicator") == "1";
  }
  owned.Bind();
  return owned;
}

// Our SEs are on the value's scale (docs/METHODS.md); healthequal reports SII's on the 0-1 scale
// and MLD's and TI's without the factor 1000, PAF's as a fraction.
double HealthequalSeFactor(std::string_view id, double scale) {
  if (id == "sii") return 1 / scale;
  if (id == "mld" || id == "ti") return 1.0 / 1000;
  if (id == "paf") return 1.0 / 100;
  return 1;
}

TEST(InequalityWho, ReproducesEveryRowOfExpectedValues) {
  const std::vector<Row> rows = ReadCsv(kReference + "who/expected_values.csv");
  ASSERT_EQ(rows.size(), 12u);
  for (const Row& row : rows) {
    const std::string id = row.at("function");
    SCOPED_TRACE(id);
    OwnedSet owned = WhoInputs(row.at("input_file"));
    const std::string args = row.at("call_args");
    if (args.find("scaleval=100") != std::string::npos) owned.set.scale = 100;
    auto result = ComputeMeasure(id, owned.set, {});
    ASSERT_TRUE(result.has_value()) << result.error().message;
    const double tolerance = Number(row.at("testthat_tolerance_relative"));
    EXPECT_TRUE(NearRelative(result->value, Number(row.at("expected_estimate")), tolerance));
    const double expected_se = Number(row.at("expected_se"));
    if (Present(expected_se)) {
      const double factor = HealthequalSeFactor(id, 100);
      EXPECT_TRUE(NearRelative(result->se * factor, expected_se, tolerance));
    } else if (row.at("expected_se") == "NA") {
      EXPECT_FALSE(Present(result->se));
    }
    // The limits are either numbers or "est -+ se*qnorm(.975)". The formula is read with the SE
    // on the value's scale, so for MLD (healthequal: 5.05 -+ 1.96 * 0.0014) the limits are
    // 5.05 -+ 1.96 * 1.42: healthequal's interval mixes the scale of the value (x 1000) with
    // that of its SE (docs/METHODS.md), which is deliberately not reproduced.
    for (const auto& [column, sign, actual] :
         {std::tuple{"expected_lowerci", -1.0, result->lower},
          std::tuple{"expected_upperci", 1.0, result->upper}}) {
      const std::string text = row.at(column);
      if (text.empty()) continue;
      const double expected = text.find("qnorm") != std::string::npos
                                  ? result->value + sign * result->se * kZ95
                                  : Number(text);
      EXPECT_TRUE(NearRelative(actual, expected, tolerance)) << column;
    }
  }
}

// Values from healthequal's own tests (tests/testthat/test-rii.R, test-parisk.R, test-paf.R,
// test-par-nonordered.R, test-paf-nonordered.R, test-ti.R, test-mdru.R, test-mdrw.R) on the same
// two input sets, with their tolerances; SEs converted as above.
TEST(InequalityWho, ReproducesHealthequalTestValuesBeyondTheCsv) {
  struct Case {
    const char* id;
    const char* file;
    double value, se, lower, upper, tolerance;
  };
  const Case cases[] = {
      {"rii", "inputs_ordered_5groups_seed123.csv", 3.159506, 0.07644001, 2.719902, 3.67016, 1e-6},
      {"par", "inputs_ordered_5groups_seed123.csv", 18.775509, 4.4066348, 10.138505, 27.412513,
       1e-2},
      {"paf", "inputs_ordered_5groups_seed123.csv", 45.544548, .10689361, kAbsent, kAbsent, 1e-6},
      {"par", "inputs_nonordered_25groups_seed123.csv", 16.293152, 1.1994447, 13.94224, 18.644063,
       1e-4},
      {"paf", "inputs_nonordered_25groups_seed123.csv", 24.06426, .01771526, kAbsent, kAbsent,
       1e-4},
      {"ti", "inputs_nonordered_25groups_seed123.csv", 5.0359201, .0014201, kAbsent, kAbsent, 1e-4},
      {"mdru", "inputs_nonordered_25groups_seed123.csv", 7.2399998, kAbsent, kAbsent, kAbsent,
       1e-4},
      {"mdrw", "inputs_nonordered_25groups_seed123.csv", 7.2228465, kAbsent, kAbsent, kAbsent,
       1e-4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.id) + " " + c.file);
    OwnedSet owned = WhoInputs(c.file);
    owned.set.scale = 100;
    auto result = ComputeMeasure(c.id, owned.set, {});
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_TRUE(NearRelative(result->value, c.value, c.tolerance));
    if (Present(c.se)) {
      EXPECT_TRUE(NearRelative(result->se * HealthequalSeFactor(c.id, 100), c.se, c.tolerance));
    }
    if (Present(c.lower)) {
      EXPECT_TRUE(NearRelative(result->lower, c.lower, c.tolerance));
      EXPECT_TRUE(NearRelative(result->upper, c.upper, c.tolerance));
    }
  }
}

TEST(InequalityWho, IntervalsUseTheValuesScale) {
  OwnedSet owned = WhoInputs("inputs_nonordered_25groups_seed123.csv");
  for (const char* id : {"bgv", "ti", "mld", "par", "paf"}) {
    auto result = ComputeMeasure(id, owned.set, {});
    ASSERT_TRUE(result.has_value()) << id;
    EXPECT_NEAR(result->lower, result->value - kZ95 * result->se, 1e-9) << id;
    EXPECT_NEAR(result->upper, result->value + kZ95 * result->se, 1e-9) << id;
    EXPECT_EQ(result->se_scale, "") << id;
  }
}

// ---- WHO's sample data: every applicable measure computes --------------------------------------

OwnedSet WhoSample(const std::string& file) {
  OwnedSet owned;
  const std::vector<Row> rows = ReadCsv(kReference + "who/" + file);
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const Row& row = rows[j];
    owned.estimate.push_back(Number(row.at("estimate")));
    owned.se.push_back(Number(row.at("se")));
    owned.population.push_back(Number(row.at("population")));
    if (row.count("subgroup_order") != 0)
      owned.order.push_back(std::stoi(row.at("subgroup_order")));
    if (row.count("reference_subgroup") != 0 && row.at("reference_subgroup") == "1") {
      owned.set.reference = static_cast<int>(j);
    }
    owned.set.ordered = row.at("ordered_dimension") == "1";
    owned.set.favourable = row.at("favourable_indicator") == "1";
    owned.set.scale = Number(row.at("indicator_scale"));
    owned.set.setting_average = Number(row.at("setting_average"));
  }
  owned.Bind();
  return owned;
}

TEST(InequalityWho, SampleDataComputesForEveryApplicableMeasure) {
  for (const char* file : {"data_OrderedSample.csv", "data_NonorderedSample.csv"}) {
    OwnedSet owned = WhoSample(file);
    MeasureOptions options;
    options.gap_second = std::max(owned.set.reference, 0);
    options.gap_first = options.gap_second == 0 ? 1 : 0;
    options.phe_repetitions = 10000;
    int computed = 0;
    for (const MeasureInfo& info : Measures()) {
      SCOPED_TRACE(std::string(file) + " " + std::string(info.id));
      auto result = ComputeMeasure(info.id, owned.set, options);
      const bool applicable = owned.set.ordered ? info.ordered : info.non_ordered;
      if (!applicable) {
        EXPECT_FALSE(result.has_value());
        continue;
      }
      ASSERT_TRUE(result.has_value()) << result.error().message;
      EXPECT_TRUE(std::isfinite(result->value));
      EXPECT_TRUE(std::isfinite(result->lower)) << result->note;
      EXPECT_TRUE(std::isfinite(result->upper)) << result->note;
      EXPECT_LE(result->lower, result->upper);
      EXPECT_EQ(std::isfinite(result->se), info.has_se);
      ++computed;
    }
    EXPECT_EQ(computed, owned.set.ordered ? 12 : 19) << file;
  }
}

// ---- PHE's SII and RII -------------------------------------------------------------------------

struct PheCase {
  const char* description;
  bool transform;
  double multiplier;
  std::vector<double> confidences;  // the _1 and _2 columns
};

// The parameters of each test block, as PHEindicatormethods' tests/testthat/testSII.R calls
// phe_sii for it (value_type comes from the file).
const PheCase kPheCases[] = {
    {"default (e.g. life expectancy) - default parameters", false, 1, {0.95}},
    {"default - testing 99% confidence", false, 1, {0.99}},
    {"default - testing 10,000 repetitions", false, 1, {0.95}},
    {"default - testing quintiles", false, 1, {0.95}},
    {"rate (e.g. infant mortality) - default parameters", false, 1, {0.95}},
    {"proportion (e.g. child obesity) - default parameters", false, 1, {0.95}},
    {"proportion - testing multiplier (x 100)", false, 100, {0.95}},
    {"proportion - testing multiplier (x -100)", false, -100, {0.95}},
    {"default (e.g. life expectancy) - multiple CIs", false, 1, {0.95, 0.99}},
    {"default (e.g. life expectancy) - intercept", false, 1, {0.95}},
    {"rate (e.g. infant mortality) - intercept", false, 1, {0.95}},
    {"proportion (e.g. child obesity) - intercept", false, 1, {0.95}},
    {"rate (e.g. infant mortality) - log transform with intercept", true, 1, {0.95}},
    {"proportion (e.g. child obesity) - logit transform with intercept", true, 1, {0.95}},
    {"proportion (e.g. child obesity) - logit transform with negative multiplier",
     true,
     -1,
     {0.95}},
    {"rate (e.g. infant mortality) - log transform with multiple Cis (95 and 98)",
     true,
     1,
     {0.95, 0.98}},
    {"rate (e.g. infant mortality) - log transform with negative multiplier", true, -1, {0.95}},
    {"rate (e.g. infant mortality) - log transform with 98% CI", true, 1, {0.98}},
    {"rate (e.g. infant mortality) - log transform without rii", true, 1, {0.95}},
    {"proportion (e.g. child obesity) - logit transform without rii", true, 1, {0.95}},
    {"proportion (e.g. child obesity) - logit transform with 98% cis", true, 1, {0.98}},
    {"proportion (e.g. child obesity) - logit transform with 95% and 98% cis",
     true,
     1,
     {0.95, 0.98}},
};

// The blocks of the SII sheet: (description, area) -> rows in file order.
std::map<std::pair<std::string, std::string>, std::vector<Row>> PheBlocks() {
  std::map<std::pair<std::string, std::string>, std::vector<Row>> blocks;
  for (const Row& row : ReadCsv(kReference + "phe/testdata_SII__testdata_SII.csv")) {
    blocks[{row.at("TestDescription"), row.at("Area")}].push_back(row);
  }
  return blocks;
}

OwnedSet PheSet(const std::vector<Row>& rows, bool with_limits, bool with_se) {
  OwnedSet owned;
  for (const Row& row : rows) {
    owned.order.push_back(std::stoi(row.at("Quantile")));
    owned.population.push_back(Number(row.at("Population")));
    owned.estimate.push_back(Number(row.at("Value")));
    if (with_limits) {
      owned.lower.push_back(Number(row.at("LowerCL")));
      owned.upper.push_back(Number(row.at("UpperCL")));
    }
    if (with_se) owned.se.push_back(Number(row.at("StandardError")));
  }
  owned.set.ordered = true;
  owned.set.scale = 1;
  owned.Bind();
  return owned;
}

TEST(InequalityPhe, ReproducesTheSiiSheet) {
  const auto blocks = PheBlocks();
  int checked_blocks = 0;
  for (const PheCase& c : kPheCases) {
    for (const char* area : {"area1", "area2"}) {
      const auto found = blocks.find({c.description, area});
      ASSERT_NE(found, blocks.end()) << c.description << " " << area;
      const std::vector<Row>& rows = found->second;
      const Row& first = rows.front();
      const int value_type = std::stoi(first.at("ValueType"));
      // Life-expectancy blocks are run both from the SEs and from the limits (PHE's tests do);
      // rates and proportions from the limits, since the sheet's SEs are on the log / logit scale.
      for (const bool from_se : value_type == 0 ? std::vector{true, false} : std::vector{false}) {
        SCOPED_TRACE(std::string(c.description) + " " + area + (from_se ? " se" : " limits"));
        OwnedSet owned = PheSet(rows, !from_se, from_se);
        for (std::size_t ci = 0; ci < c.confidences.size(); ++ci) {
          MeasureOptions options;
          options.confidence = *MakeConfidence(c.confidences[ci]);
          options.phe_value_type = value_type == 1   ? PheValueType::kRate
                                   : value_type == 2 ? PheValueType::kProportion
                                                     : PheValueType::kNormal;
          options.phe_transform = c.transform;
          options.phe_multiplier = c.multiplier;
          options.phe_repetitions = 10000;  // as PHE's tests (no_reps)
          const std::string suffix = fmt::format("_{}", ci + 1);
          auto sii = SiiPhe(owned.set, options);
          ASSERT_TRUE(sii.has_value()) << sii.error().message;
          EXPECT_TRUE(NearRelative(sii->value, Number(first.at("sii")), 1e-10));
          const double sii_lower = Number(first.at("sii_lowercl" + suffix));
          if (Present(sii_lower)) {
            EXPECT_TRUE(NearRelative(sii->lower, sii_lower, 0.05)) << "sii lower";
            EXPECT_TRUE(NearRelative(sii->upper, Number(first.at("sii_uppercl" + suffix)), 0.05))
                << "sii upper";
          }
          const double rii_expected = Number(first.at("rii"));
          if (!Present(rii_expected)) continue;
          auto rii = RiiPhe(owned.set, options);
          ASSERT_TRUE(rii.has_value()) << rii.error().message;
          EXPECT_TRUE(NearRelative(rii->value, rii_expected, 1e-10));
          const double rii_lower = Number(first.at("rii_lowercl" + suffix));
          if (Present(rii_lower)) {
            EXPECT_TRUE(NearRelative(rii->lower, rii_lower, 0.05)) << "rii lower";
            EXPECT_TRUE(NearRelative(rii->upper, Number(first.at("rii_uppercl" + suffix)), 0.05))
                << "rii upper";
          }
        }
      }
      ++checked_blocks;
    }
  }
  EXPECT_EQ(checked_blocks, 44);
}

TEST(InequalityPhe, SameSeedSameInterval) {
  const auto blocks = PheBlocks();
  OwnedSet owned = PheSet(
      blocks.at({"default (e.g. life expectancy) - default parameters", "area1"}), false, true);
  MeasureOptions options;
  options.phe_repetitions = 1000;
  options.seed = 5;
  auto first = SiiPhe(owned.set, options);
  auto second = SiiPhe(owned.set, options);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->lower, second->lower);
  EXPECT_EQ(first->upper, second->upper);
  options.seed = 6;
  auto other = SiiPhe(owned.set, options);
  ASSERT_TRUE(other);
  EXPECT_NE(first->lower, other->lower);
  EXPECT_EQ(first->value, other->value);
}

TEST(InequalityPhe, RejectsWhatPheRejects) {
  const auto blocks = PheBlocks();
  {
    OwnedSet owned =
        PheSet(blocks.at({"error handling - negative populations", "area1"}), false, true);
    auto result = SiiPhe(owned.set, {});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("population"), std::string::npos)
        << result.error().message;
  }
  {
    OwnedSet owned = PheSet(blocks.at({"error handling - negative counts/standard error", "area1"}),
                            false, true);
    auto result = SiiPhe(owned.set, {});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("negative"), std::string::npos) << result.error().message;
  }
  {
    OwnedSet owned = PheSet(
        blocks.at({"error handling - missing confidence limits and se", "area3"}), false, false);
    auto result = SiiPhe(owned.set, {});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("needs the standard error or the 95 % limits"),
              std::string::npos)
        << result.error().message;
    MeasureOptions point_only;
    point_only.phe_repetitions = 0;
    EXPECT_TRUE(SiiPhe(owned.set, point_only).has_value());
  }
  {
    // Row 7's lower limit (8) is above its upper one; once that is mended, row 4's upper limit
    // (11) is no proportion.
    OwnedSet owned =
        PheSet(blocks.at({"error handling - invalid proportion in CLs", "area1"}), true, false);
    MeasureOptions proportion;
    proportion.phe_value_type = PheValueType::kProportion;
    auto result = SiiPhe(owned.set, proportion);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("subgroup 7 (subgroup_order 7): the limits 8 to "),
              std::string::npos)
        << result.error().message;
    owned.lower[6] = 0.08;
    result = SiiPhe(owned.set, proportion);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("subgroup 4 (subgroup_order 4): the limit 11 is outside "
                                          "the range of a proportion"),
              std::string::npos)
        << result.error().message;
  }
  {
    // The first missing figure named is the estimate of row 8, then the population of row 5.
    OwnedSet owned =
        PheSet(blocks.at({"warning handling - missing populations, counts or values", "area1"}),
               false, true);
    auto result = SiiPhe(owned.set, {});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("subgroup 8 (subgroup_order 8): the estimate is missing"),
              std::string::npos)
        << result.error().message;
    owned.estimate[7] = 14.6;
    result = SiiPhe(owned.set, {});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("subgroup 5 (subgroup_order 5): the population is "
                                          "missing"),
              std::string::npos)
        << result.error().message;
  }
  OwnedSet owned = PheSet(
      blocks.at({"default (e.g. life expectancy) - default parameters", "area1"}), false, true);
  MeasureOptions options;
  options.phe_repetitions = 999;
  EXPECT_FALSE(SiiPhe(owned.set, options).has_value());
  options.phe_repetitions = 1000;
  options.phe_transform = true;
  EXPECT_FALSE(SiiPhe(owned.set, options).has_value());
  options.phe_transform = false;
  options.phe_value_type = PheValueType::kProportion;
  auto result = SiiPhe(owned.set, options);  // values of 75 on a scale of 1
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("subgroup 1 (subgroup_order 1): the proportion"),
            std::string::npos)
      << result.error().message;
}

// ---- Gaps --------------------------------------------------------------------------------------

TEST(InequalityGaps, DifferenceAndRatioWithIntervals) {
  const std::vector<double> estimate = {30, 20};  // women, men
  const std::vector<double> se = {2, 1.5};
  SubgroupSet set;
  set.estimate = estimate;
  set.se = se;
  auto difference = GapDifference(set, {});
  ASSERT_TRUE(difference);
  EXPECT_DOUBLE_EQ(difference->value, 10);
  EXPECT_DOUBLE_EQ(difference->se, 2.5);
  EXPECT_DOUBLE_EQ(difference->lower, 10 - kZ95 * 2.5);
  EXPECT_DOUBLE_EQ(difference->upper, 10 + kZ95 * 2.5);
  auto ratio = GapRatio(set, {});
  ASSERT_TRUE(ratio);
  EXPECT_DOUBLE_EQ(ratio->value, 1.5);
  const double log_se = std::sqrt(2.0 * 2 / (30 * 30) + 1.5 * 1.5 / (20 * 20));
  EXPECT_DOUBLE_EQ(ratio->se, log_se);
  EXPECT_EQ(ratio->se_scale, "log");
  EXPECT_DOUBLE_EQ(ratio->lower, 1.5 * std::exp(-kZ95 * log_se));
  EXPECT_DOUBLE_EQ(ratio->upper, 1.5 * std::exp(kZ95 * log_se));
  // The reference (men) is subtracted whatever its position.
  set.reference = 0;
  EXPECT_DOUBLE_EQ(GapDifference(set, {})->value, -10);
  // An explicit pair wins.
  MeasureOptions options;
  options.gap_first = 1;
  options.gap_second = 0;
  EXPECT_DOUBLE_EQ(GapDifference(set, options)->value, -10);
}

TEST(InequalityGaps, OrderedDefaultIsLowestMinusHighest) {
  const std::vector<double> estimate = {12, 20, 8};  // education: high (3), low (1), middle (2)
  const std::vector<int> order = {3, 1, 2};
  SubgroupSet set;
  set.estimate = estimate;
  set.order = order;
  set.ordered = true;
  EXPECT_DOUBLE_EQ(GapDifference(set, {})->value, 8);
  EXPECT_DOUBLE_EQ(GapRatio(set, {})->value, 20.0 / 12);
  auto no_se = GapDifference(set, {});
  EXPECT_FALSE(Present(no_se->se));
  EXPECT_FALSE(no_se->note.empty());
}

TEST(InequalityGaps, RatioUndefinedOrWithoutLogInterval) {
  const std::vector<double> estimate = {3, 0};
  const std::vector<double> se = {1, 1};
  SubgroupSet set;
  set.estimate = estimate;
  set.se = se;
  auto ratio = GapRatio(set, {});
  ASSERT_TRUE(ratio);
  EXPECT_FALSE(Present(ratio->value));
  EXPECT_NE(ratio->note.find("undefined"), std::string_view::npos);
  const std::vector<double> negative = {-3, 2};
  set.estimate = negative;
  ratio = GapRatio(set, {});
  EXPECT_DOUBLE_EQ(ratio->value, -1.5);
  EXPECT_FALSE(Present(ratio->lower));
  EXPECT_NE(ratio->note.find("log scale"), std::string_view::npos);
}

// ---- Behaviour shared by all measures ----------------------------------------------------------

TEST(InequalityMeasures, RegistryListsEveryMeasureOnce) {
  const std::vector<std::string> expected = {
      "d",        "r",     "sii",   "rii",  "aci",  "rci",     "bgv",     "bgsd",
      "cov",      "idisu", "idisw", "mdbu", "mdbw", "mdmu",    "mdmw",    "mdru",
      "mdrw",     "ti",    "mld",   "par",  "paf",  "sii_phe", "rii_phe", "gap_difference",
      "gap_ratio"};
  ASSERT_EQ(Measures().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(Measures()[i].id, expected[i]);
    EXPECT_EQ(FindMeasure(expected[i]), &Measures()[i]);
    EXPECT_FALSE(Measures()[i].name.empty());
  }
  EXPECT_EQ(FindMeasure("gini"), nullptr);
  EXPECT_TRUE(FindMeasure("sii")->ordered);
  EXPECT_FALSE(FindMeasure("sii")->non_ordered);
  EXPECT_FALSE(FindMeasure("bgv")->ordered);
  EXPECT_TRUE(FindMeasure("d")->ordered && FindMeasure("d")->non_ordered);
  EXPECT_FALSE(FindMeasure("mdbu")->has_se);
  EXPECT_TRUE(FindMeasure("mdbu")->simulated);
}

TEST(InequalityMeasures, UnsortedOrdersGiveTheSameResults) {
  OwnedSet sorted = WhoInputs("inputs_ordered_5groups_seed123.csv");
  OwnedSet shuffled = sorted;
  const std::vector<std::size_t> permutation = {3, 0, 4, 2, 1};
  for (std::size_t j = 0; j < permutation.size(); ++j) {
    shuffled.estimate[j] = sorted.estimate[permutation[j]];
    shuffled.se[j] = sorted.se[permutation[j]];
    shuffled.population[j] = sorted.population[permutation[j]];
    shuffled.order[j] = sorted.order[permutation[j]];
  }
  shuffled.Bind();
  MeasureOptions options;
  options.phe_repetitions = 1000;
  for (const MeasureInfo& info : Measures()) {
    if (!info.ordered) continue;
    SCOPED_TRACE(info.id);
    auto a = info.compute(sorted.set, options);
    auto b = info.compute(shuffled.set, options);
    ASSERT_TRUE(a && b);
    EXPECT_NEAR(a->value, b->value, 1e-12 * std::fabs(a->value));
    EXPECT_NEAR(a->lower, b->lower, 1e-9 * std::fabs(a->lower));
  }
}

TEST(InequalityMeasures, AdverseIndicatorsTurnTheReferences) {
  const std::vector<double> estimate = {40, 30, 20};
  const std::vector<double> population = {100, 100, 100};
  const std::vector<int> order = {1, 2, 3};
  SubgroupSet set;
  set.estimate = estimate;
  set.population = population;
  set.order = order;
  set.ordered = true;
  set.favourable = false;
  EXPECT_DOUBLE_EQ(Difference(set, {})->value, 20);  // least minus most advantaged
  EXPECT_DOUBLE_EQ(Ratio(set, {})->value, 2);
  EXPECT_DOUBLE_EQ(Par(set, {})->value, -10);  // 20 - 30
  set.favourable = true;
  EXPECT_DOUBLE_EQ(Difference(set, {})->value, -20);
  EXPECT_DOUBLE_EQ(Par(set, {})->value, 0);  // the most advantaged is below the mean
  set.ordered = false;
  EXPECT_DOUBLE_EQ(Mdbu(set, {})->value, 10);  // |40-40| + |30-40| + |20-40| over 3
  set.favourable = false;
  EXPECT_DOUBLE_EQ(Mdbu(set, {})->value, 10);
  EXPECT_DOUBLE_EQ(Par(set, {})->value, -10);  // best = lowest
}

TEST(InequalityMeasures, SimulatedIntervalsAreSeededAndSurroundTheValue) {
  OwnedSet owned = WhoInputs("inputs_nonordered_25groups_seed123.csv");
  owned.set.scale = 100;
  for (const char* id :
       {"bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw"}) {
    SCOPED_TRACE(id);
    auto first = ComputeMeasure(id, owned.set, {});
    auto second = ComputeMeasure(id, owned.set, {});
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->method, "simulated");
    EXPECT_EQ(first->lower, second->lower);
    EXPECT_LT(first->lower, first->upper);
    EXPECT_FALSE(Present(first->se));
    MeasureOptions off;
    off.who_simulations = 0;
    auto none = ComputeMeasure(id, owned.set, off);
    EXPECT_EQ(none->value, first->value);
    EXPECT_FALSE(Present(none->lower));
  }
}

TEST(InequalityMeasures, SettingAverageReplacesTheMeanWhereHealthequalUsesIt) {
  OwnedSet owned = WhoInputs("inputs_nonordered_25groups_seed123.csv");
  auto by_population = Mdmu(owned.set, {});
  owned.set.setting_average = 70;
  auto by_average = Mdmu(owned.set, {});
  double expected = 0;
  for (double y : owned.estimate) expected += std::fabs(y - 70);
  EXPECT_DOUBLE_EQ(by_average->value, expected / 25);
  EXPECT_NE(by_average->value, by_population->value);
  // MDMW, like healthequal, keeps the population-weighted mean.
  EXPECT_DOUBLE_EQ(Mdmw(owned.set, {})->value, 5.8348686944781605);
  // Without populations PAR falls back on the setting average, without an interval.
  owned.population.clear();
  owned.Bind();
  auto par = Par(owned.set, {});
  ASSERT_TRUE(par);
  EXPECT_DOUBLE_EQ(par->value, 84 - 70);
  EXPECT_FALSE(Present(par->se));
}

TEST(InequalityMeasures, ZeroEstimatesFollowHealthequalInTheLogMeasures) {
  const std::vector<double> estimate = {0, 10, 20};
  const std::vector<double> population = {1, 1, 1};
  SubgroupSet set;
  set.estimate = estimate;
  set.population = population;
  auto mld = Mld(set, {});
  ASSERT_TRUE(mld);
  const double mean = (0.000001 + 10 + 20) / 3;
  EXPECT_NEAR(mld->value,
              1000 * (-std::log(0.000001 / mean) - std::log(10 / mean) - std::log(20 / mean)) / 3,
              1e-9);
  EXPECT_NE(mld->note.find("0.000001"), std::string_view::npos);
}

TEST(InequalityMeasures, AutomaticScale) {
  EXPECT_EQ(AutomaticScale(std::vector<double>{0.2, 1}), 1);
  EXPECT_EQ(AutomaticScale(std::vector<double>{0.2, 1.5}), 100);
  EXPECT_EQ(AutomaticScale(std::vector<double>{100}), 100);
  EXPECT_EQ(AutomaticScale(std::vector<double>{100.5}), 1000);
  EXPECT_EQ(AutomaticScale(std::vector<double>{20000}), 100000);
  EXPECT_EQ(AutomaticScale(std::vector<double>{2e6}), 1000000);
}

// ---- Bad input: one clear error per kind -------------------------------------------------------

struct BadCase {
  const char* what;
  const char* measure;
  const char* message;  // a part of the expected message
};

class InequalityBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    estimate = {20, 30, 40, 50, 60};
    se = {5, 7, 10, 12, 14};
    population = {78, 91, 162, 103, 105};
    order = {1, 2, 3, 4, 5};
    Bind();
  }
  void Bind() {
    set.estimate = estimate;
    set.se = se;
    set.population = population;
    set.order = order;
  }
  void ExpectError(const char* measure, const std::string& part,
                   const MeasureOptions& options = {}) {
    auto result = ComputeMeasure(measure, set, options);
    ASSERT_FALSE(result.has_value()) << measure << " accepted the set";
    EXPECT_NE(result.error().message.find(part), std::string::npos)
        << "message: " << result.error().message << "\nexpected to contain: " << part;
    EXPECT_EQ(result.error().details.value("measure", ""), measure);
  }
  std::vector<double> estimate, se, population;
  std::vector<int> order;
  SubgroupSet set;
};

TEST_F(InequalityBadInput, UnknownMeasure) {
  auto result = ComputeMeasure("gini", set, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidParameter);
  EXPECT_NE(result.error().message.find("unknown measure of inequality 'gini'"), std::string::npos);
}

TEST_F(InequalityBadInput, MeasureForTheOtherKindOfDimension) {
  set.ordered = false;
  ExpectError("sii", "applies to ordered dimensions only");
  ExpectError("aci", "applies to ordered dimensions only");
  set.ordered = true;
  ExpectError("bgv", "applies to non-ordered dimensions only");
  ExpectError("mld", "applies to non-ordered dimensions only");
}

TEST_F(InequalityBadInput, TooFewSubgroups) {
  set.estimate = std::span(estimate).first(1);
  set.se = std::span(se).first(1);
  set.population = std::span(population).first(1);
  set.order = std::span(order).first(1);
  ExpectError("d", "needs at least 2 subgroups, the set has 1");
  set.estimate = std::span(estimate).first(2);
  set.se = std::span(se).first(2);
  set.population = std::span(population).first(2);
  set.order = std::span(order).first(2);
  set.ordered = true;
  ExpectError("sii", "needs at least 3 subgroups, the set has 2");
  ExpectError("sii_phe", "needs at least 5 subgroups");
}

TEST_F(InequalityBadInput, MissingOrInfiniteEstimate) {
  set.ordered = true;
  estimate[2] = kAbsent;
  ExpectError("aci", "subgroup 3 (subgroup_order 3): the estimate is missing");
  estimate[2] = INFINITY;
  ExpectError("d", "subgroup 3 (subgroup_order 3): the estimate is not a finite number");
}

TEST_F(InequalityBadInput, BadPopulations) {
  population[1] = -5;
  ExpectError("bgv", "subgroup 2 (subgroup_order 2): the population -5 is negative");
  population[1] = kAbsent;
  ExpectError("mdbu", "subgroup 2 (subgroup_order 2): the population is missing");
  population = {0, 0, 0, 0, 0};
  Bind();
  ExpectError("bgv", "every subgroup has a population of 0");
  set.population = {};
  ExpectError("bgv", "needs the population of every subgroup");
  ExpectError("idisu", "needs the populations of the subgroups or the setting average");
  set.setting_average = 40;
  EXPECT_TRUE(ComputeMeasure("idisu", set, {}).has_value());
}

TEST_F(InequalityBadInput, NegativeStandardError) {
  se[4] = -1;
  ExpectError("bgv", "subgroup 5 (subgroup_order 5): the standard error -1 is negative");
}

TEST_F(InequalityBadInput, SpansOfTheWrongLength) {
  set.se = std::span(se).first(4);
  ExpectError("bgv", "se has 4 entries for 5 subgroups");
  Bind();
  set.lower = se;
  ExpectError("d", "give both lower and upper limits");
}

TEST_F(InequalityBadInput, OrdersMissingOrDuplicated) {
  set.ordered = true;
  set.order = {};
  ExpectError("sii", "an ordered set needs the subgroup_order of each of its 5 subgroups, got 0");
  order = {1, 2, 2, 4, 5};
  Bind();
  ExpectError("aci", "subgroups 2 and 3 have the same subgroup_order 2");
  order = {5, 3, 1, 3, 2};
  Bind();
  ExpectError("d", "subgroups 2 and 4 have the same subgroup_order 3");
}

TEST_F(InequalityBadInput, ReferenceOutOfRangeOrMissing) {
  ExpectError("mdru", "needs a reference subgroup");
  ExpectError("mdrw", "needs a reference subgroup");
  set.reference = 5;
  ExpectError("d", "the reference subgroup index 5 is outside 0..4");
}

TEST_F(InequalityBadInput, OptionsAndScale) {
  MeasureOptions options;
  options.confidence.level = 1.5;
  ExpectError("bgv", "the confidence level 1.5 is not between 0 and 1", options);
  set.scale = -100;
  ExpectError("bgv", "the indicator scale -100 is not a positive number");
  set.scale = 100;
  set.ordered = true;
  estimate[4] = 120;
  ExpectError("sii",
              "subgroup 5 (subgroup_order 5): the estimate 120 is above the indicator "
              "scale 100");
  estimate[4] = -1;
  ExpectError("rii", "the estimate -1 is negative");
  set.ordered = false;
  ExpectError("mld", "subgroup 5 (subgroup_order 5): the estimate -1 is negative");
}

TEST_F(InequalityBadInput, GapPairs) {
  ExpectError("gap_difference", "with 5 non-ordered subgroups, say which two to compare");
  MeasureOptions options;
  options.gap_first = 2;
  options.gap_second = 2;
  ExpectError("gap_ratio", "gap_first and gap_second are the same subgroup", options);
  options.gap_second = 9;
  ExpectError("gap_ratio", "the gap subgroup index 9 is outside 0..4", options);
}

}  // namespace
}  // namespace halsonav::stats
