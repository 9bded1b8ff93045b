#include "stats/disclosure.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <deque>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace halsonav::stats {
namespace {

constexpr double kNaN = kAbsent;

// A cell as the cases write it: the breakdown as "education=low,sex=women" ("" the total).
struct CellSpec {
  std::string breakdown;
  double numerator = kNaN;
  double respondents = kNaN;
  bool source_suppressed = false;
};

Breakdown ParseSpec(std::string_view text) {
  Breakdown breakdown;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view pair = text.substr(0, comma);
    const std::size_t equals = pair.find('=');
    breakdown.emplace_back(std::string(pair.substr(0, equals)),
                           std::string(pair.substr(equals + 1)));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  EXPECT_TRUE(NormalizeBreakdown(breakdown));
  return breakdown;
}

// Owns the breakdowns the cells point to.
struct Table {
  std::deque<Breakdown> breakdowns;
  std::vector<DisclosureCell> cells;

  explicit Table(const std::vector<CellSpec>& specs) {
    for (const CellSpec& spec : specs) {
      breakdowns.push_back(ParseSpec(spec.breakdown));
      cells.push_back(DisclosureCell{.breakdown = &breakdowns.back(),
                                     .numerator = spec.numerator,
                                     .respondents = spec.respondents,
                                     .suppressed = spec.source_suppressed});
    }
  }
};

struct Case {
  std::string name;
  std::vector<CellSpec> cells;
  double min_count = 5;
  std::set<std::string> primary;        // suppressed, not complementary (breakdown specs)
  std::set<std::string> complementary;  // suppressed and complementary
  std::size_t newly_suppressed = 0;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case> kCases = {
      {"sex only: women below 5, so men go too and the total stays",
       {{"", 20}, {"sex=women", 3}, {"sex=men", 17}},
       5,
       {"sex=women"},
       {"sex=men"},
       2},
      {"nothing below 5: nothing suppressed",
       {{"", 20, 40}, {"sex=women", 10, 20}, {"sex=men", 10, 20}},
       5,
       {},
       {},
       0},
      {"a count of exactly min_count is shown",
       {{"", 10}, {"sex=women", 5}, {"sex=men", 5}},
       5,
       {},
       {},
       0},
      {"total small: everything below 5 is primary",
       {{"", 4}, {"sex=women", 2}, {"sex=men", 2}},
       5,
       {"", "sex=women", "sex=men"},
       {},
       3},
      {"total alone suppressed (parts without counts): one part goes too, by breakdown order",
       {{"", 3}, {"sex=women"}, {"sex=men"}},
       5,
       {""},
       {"sex=men"},
       2},
      {"source-suppressed total: the smaller part goes too",
       {{"", kNaN, kNaN, true}, {"sex=women", 12}, {"sex=men", 10}},
       5,
       {""},
       {"sex=men"},
       1},
      {"source-suppressed part: its sibling goes",
       {{"", 100}, {"sex=women", kNaN, kNaN, true}, {"sex=men", 50}},
       5,
       {"sex=women"},
       {"sex=men"},
       1},
      {"a part without siblings: the total goes",
       {{"", 100}, {"sex=women", 2}},
       5,
       {"sex=women"},
       {""},
       2},
      {"respondents rule: numerator absent, 4 respondents",
       {{"", kNaN, 50}, {"sex=women", kNaN, 4}, {"sex=men", kNaN, 46}},
       5,
       {"sex=women"},
       {"sex=men"},
       2},
      {"respondents rule: numerator large, respondents small",
       {{"", 60, 60}, {"sex=women", 10, 3}, {"sex=men", 50, 57}},
       5,
       {"sex=women"},
       {"sex=men"},
       2},
      {"smallest part by numerator, then respondents; ties by breakdown order",
       {{"", 100},
        {"age=a", 3},
        {"age=b", 10, 30},
        {"age=c", 10, 20},
        {"age=d", 10, 20},
        {"age=e", 40}},
       5,
       {"age=a"},
       {"age=c"},
       2},
      {"a part with counts goes before a part without",
       {{"", 100}, {"age=a", 3}, {"age=b"}, {"age=c", 60}},
       5,
       {"age=a"},
       {"age=c"},
       2},
      {"NaN counts never trigger the rule",
       {{"", kNaN, kNaN}, {"sex=women", kNaN, kNaN}, {"sex=men", kNaN, kNaN}},
       5,
       {},
       {},
       0},
      {"min_count 0 disables the primary rule",
       {{"", 3, 3}, {"sex=women", 1, 1}, {"sex=men", 2, 2}},
       0,
       {},
       {},
       0},
      {"negative min_count disables the primary rule, also for negative counts",
       {{"", -3}, {"sex=women", -7}, {"sex=men", 2}},
       -5,
       {},
       {},
       0},
      {"min_count 0 still protects source-suppressed cells",
       {{"", 3}, {"sex=women", 1, kNaN, true}, {"sex=men", 2}},
       0,
       {"sex=women"},
       {"sex=men"},
       1},
      {"sex x education: one small cell takes the whole interior, the margins stay",
       {{"", 93},
        {"sex=women", 33},
        {"sex=men", 60},
        {"education=low", 23},
        {"education=high", 70},
        {"education=low,sex=women", 3},
        {"education=low,sex=men", 20},
        {"education=high,sex=women", 30},
        {"education=high,sex=men", 40}},
       5,
       {"education=low,sex=women"},
       {"education=low,sex=men", "education=high,sex=women", "education=high,sex=men"},
       4},
      {"sex x three educations: the cascade runs over two passes",
       {{"", 58},
        {"sex=women", 32},
        {"sex=men", 26},
        {"education=low", 10},
        {"education=mid", 22},
        {"education=high", 26},
        {"education=low,sex=women", 2},
        {"education=low,sex=men", 8},
        {"education=mid,sex=women", 10},
        {"education=mid,sex=men", 12},
        {"education=high,sex=women", 20},
        {"education=high,sex=men", 6}},
       5,
       {"education=low,sex=women"},
       {"education=low,sex=men", "education=mid,sex=women", "education=mid,sex=men",
        "education=high,sex=women", "education=high,sex=men"},
       6},
      {"partial grid: the cascade reaches the margins",
       {{"", 93},
        {"sex=women", 33},
        {"sex=men", 60},
        {"education=low", 23},
        {"education=high", 70},
        {"education=low,sex=women", 3},
        {"education=low,sex=men", 20}},
       5,
       {"education=low,sex=women"},
       {"education=low,sex=men", "sex=women", "sex=men"},
       4},
      {"parts without their total in the table form no line",
       {{"sex=women", 3}, {"sex=men", 17}},
       5,
       {"sex=women"},
       {},
       1},
  };
  return kCases;
}

TEST(DisclosureTest, Cases) {
  for (const Case& test_case : Cases()) {
    SCOPED_TRACE(test_case.name);
    Table table(test_case.cells);
    const std::size_t newly =
        ApplyDisclosureControl(table.cells, DisclosureRule{.min_count = test_case.min_count});
    EXPECT_EQ(newly, test_case.newly_suppressed);
    for (std::size_t cell_idx = 0; cell_idx < table.cells.size(); ++cell_idx) {
      const std::string& spec = test_case.cells[cell_idx].breakdown;
      const DisclosureCell& cell = table.cells[cell_idx];
      const bool primary = test_case.primary.contains(spec);
      const bool complementary = test_case.complementary.contains(spec);
      EXPECT_EQ(cell.suppressed, primary || complementary) << "cell \"" << spec << "\"";
      EXPECT_EQ(cell.complementary, complementary) << "cell \"" << spec << "\"";
    }
    // A second call finds nothing more to do.
    std::vector<DisclosureCell> before = table.cells;
    EXPECT_EQ(ApplyDisclosureControl(table.cells, DisclosureRule{.min_count = test_case.min_count}),
              0u);
    for (std::size_t cell_idx = 0; cell_idx < table.cells.size(); ++cell_idx) {
      EXPECT_EQ(table.cells[cell_idx].suppressed, before[cell_idx].suppressed);
      EXPECT_EQ(table.cells[cell_idx].complementary, before[cell_idx].complementary);
    }
  }
}

TEST(DisclosureTest, EmptySpanChangesNothing) {
  std::vector<DisclosureCell> cells;
  EXPECT_EQ(ApplyDisclosureControl(cells, DisclosureRule{}), 0u);
}

TEST(DisclosureTest, NullBreakdownIsTheTotal) {
  const Breakdown women = {{"sex", "women"}};
  const Breakdown men = {{"sex", "men"}};
  std::vector<DisclosureCell> cells = {
      {.breakdown = nullptr, .numerator = 3},
      {.breakdown = &women, .numerator = kNaN},
      {.breakdown = &men, .numerator = kNaN},
  };
  EXPECT_EQ(ApplyDisclosureControl(cells, DisclosureRule{}), 2u);
  EXPECT_TRUE(cells[0].suppressed);
  EXPECT_TRUE(cells[2].suppressed && cells[2].complementary);
  EXPECT_FALSE(cells[1].suppressed);
}

TEST(DisclosureTest, CellsWithOneBreakdownAreSuppressedTogether) {
  const Breakdown total;
  const Breakdown women = {{"sex", "women"}};
  const Breakdown men = {{"sex", "men"}};
  std::vector<DisclosureCell> cells = {
      {.breakdown = &total, .numerator = 50},
      {.breakdown = &women, .numerator = 3},
      {.breakdown = &women, .numerator = 30},
      {.breakdown = &men, .numerator = 20},
  };
  ApplyDisclosureControl(cells, DisclosureRule{});
  EXPECT_TRUE(cells[1].suppressed);
  EXPECT_TRUE(cells[2].suppressed && cells[2].complementary);
  EXPECT_TRUE(cells[3].suppressed && cells[3].complementary);
  EXPECT_FALSE(cells[0].suppressed);
}

// ---- Property test on random grids -------------------------------------------------------------

// Every line of the table, found by brute force: a cell t and every cell that equals t plus one
// pair of a dimension t lacks; only lines with at least one part.
std::vector<std::vector<std::size_t>> BruteForceLines(const std::vector<DisclosureCell>& cells) {
  std::set<std::string> dimensions;
  for (const DisclosureCell& cell : cells) {
    for (const auto& [dimension, category] : *cell.breakdown) dimensions.insert(dimension);
  }
  std::vector<std::vector<std::size_t>> lines;
  for (std::size_t total_idx = 0; total_idx < cells.size(); ++total_idx) {
    const Breakdown& total = *cells[total_idx].breakdown;
    for (const std::string& dimension : dimensions) {
      bool has_dimension = false;
      for (const auto& pair : total) has_dimension = has_dimension || pair.first == dimension;
      if (has_dimension) continue;
      std::vector<std::size_t> line = {total_idx};
      for (std::size_t part_idx = 0; part_idx < cells.size(); ++part_idx) {
        Breakdown without;
        bool found = false;
        for (const auto& pair : *cells[part_idx].breakdown) {
          if (pair.first == dimension) {
            found = true;
          } else {
            without.push_back(pair);
          }
        }
        if (found && without == total) line.push_back(part_idx);
      }
      if (line.size() > 1) lines.push_back(line);
    }
  }
  return lines;
}

TEST(DisclosureTest, RandomGridsHaveNoLineWithOneSuppressedCell) {
  std::mt19937 random(20240517);
  const std::vector<std::pair<std::string, std::vector<std::string>>> all_dimensions = {
      {"sex", {"women", "men"}},
      {"education", {"low", "mid", "high"}},
      {"age", {"16-29", "30-44", "45-64", "65-84"}},
  };
  std::size_t cascades = 0;
  for (int grid_idx = 0; grid_idx < 500; ++grid_idx) {
    SCOPED_TRACE("grid " + std::to_string(grid_idx));
    // A random number of dimensions, each with 1..all of its categories; every combination of
    // "total or a category" per dimension, some left out (cells a source did not publish).
    const std::size_t dimension_count = 1 + random() % all_dimensions.size();
    std::vector<Breakdown> breakdowns = {{}};
    for (std::size_t dimension_idx = 0; dimension_idx < dimension_count; ++dimension_idx) {
      const auto& [dimension, categories] = all_dimensions[dimension_idx];
      const std::size_t category_count = 1 + random() % categories.size();
      std::vector<Breakdown> extended;
      for (const Breakdown& breakdown : breakdowns) {
        extended.push_back(breakdown);
        for (std::size_t category_idx = 0; category_idx < category_count; ++category_idx) {
          Breakdown with = breakdown;
          with.emplace_back(dimension, categories[category_idx]);
          extended.push_back(with);
        }
      }
      breakdowns = extended;
    }
    std::deque<Breakdown> kept;
    for (Breakdown& breakdown : breakdowns) {
      if (random() % 10 == 0) continue;
      NormalizeBreakdown(breakdown);
      kept.push_back(breakdown);
    }
    const DisclosureRule rule{.min_count = static_cast<double>(random() % 8)};
    std::vector<DisclosureCell> cells;
    for (const Breakdown& breakdown : kept) {
      DisclosureCell cell{.breakdown = &breakdown};
      if (random() % 6 != 0) cell.numerator = static_cast<double>(random() % 40);
      if (random() % 3 == 0) cell.respondents = static_cast<double>(random() % 60);
      cell.suppressed = random() % 25 == 0;
      cells.push_back(cell);
    }
    const std::vector<DisclosureCell> input = cells;

    const std::size_t newly = ApplyDisclosureControl(cells, rule);

    std::size_t suppressed_after = 0;
    std::size_t suppressed_before = 0;
    std::size_t complementary = 0;
    for (std::size_t cell_idx = 0; cell_idx < cells.size(); ++cell_idx) {
      const DisclosureCell& before = input[cell_idx];
      const DisclosureCell& after = cells[cell_idx];
      const bool primary = rule.min_count > 0 &&
                           ((Present(before.numerator) && before.numerator < rule.min_count) ||
                            (Present(before.respondents) && before.respondents < rule.min_count));
      if (before.suppressed || primary) {
        EXPECT_TRUE(after.suppressed) << BreakdownKey(*after.breakdown);
      }
      if (primary && !before.suppressed) {
        EXPECT_FALSE(after.complementary);
      }
      if (after.complementary) {
        EXPECT_TRUE(after.suppressed);
      }
      suppressed_before += before.suppressed;
      suppressed_after += after.suppressed;
      complementary += after.complementary;
    }
    EXPECT_EQ(newly, suppressed_after - suppressed_before);
    cascades += complementary > 1;

    for (const std::vector<std::size_t>& line : BruteForceLines(cells)) {
      std::size_t suppressed_in_line = 0;
      for (std::size_t cell_idx : line) suppressed_in_line += cells[cell_idx].suppressed;
      EXPECT_NE(suppressed_in_line, 1u) << "line of " << BreakdownKey(*cells[line[0]].breakdown);
    }
  }
  // The generator must reach the interesting cases, or the property says little.
  EXPECT_GT(cascades, 50u);
}

// ---- Missing cells and lines across areas ------------------------------------------------------

const Breakdown kTotal;
const Breakdown kWomen = {{"sex", "women"}};
const Breakdown kMen = {{"sex", "men"}};

TEST(DisclosureTest, AMissingPartHidesTheSuppressedOneAlready) {
  std::vector<DisclosureCell> cells = {
      {.breakdown = &kTotal, .numerator = 50},
      {.breakdown = &kWomen, .numerator = 3},
      {.breakdown = &kMen, .missing = true},
  };
  // total − women = men cannot be computed, nor total − men: nothing more to hide.
  EXPECT_EQ(ApplyDisclosureControl(cells, DisclosureRule{}), 1u);
  EXPECT_TRUE(cells[1].suppressed);
  EXPECT_FALSE(cells[0].suppressed);
  EXPECT_FALSE(cells[2].suppressed);
}

// A county (area 24) of three municipalities (1, 2, 3) and Riket (0) with the county and another
// region (25, of municipality 4).
std::vector<AreaLine> SmallCountry() {
  return {{24, {1, 2, 3}}, {25, {4}}, {0, {24, 25}}, {0, {1, 2, 3, 4}}};
}

TEST(DisclosureTest, ACountyBesideAllButOneMunicipalityHidesOneMore) {
  std::vector<DisclosureCell> cells = {
      {.breakdown = &kTotal, .numerator = 100, .area = 24},
      {.breakdown = &kTotal, .numerator = 60, .area = 1},
      {.breakdown = &kTotal, .numerator = 3, .area = 2},
      {.breakdown = &kTotal, .numerator = 37, .area = 3},
  };
  const auto lines = SmallCountry();
  EXPECT_EQ(ApplyDisclosureControl(cells, DisclosureRule{}, lines), 2u);
  EXPECT_TRUE(cells[2].suppressed && !cells[2].complementary);
  // The smaller of the others goes, the county stays.
  EXPECT_TRUE(cells[3].suppressed && cells[3].complementary);
  EXPECT_FALSE(cells[0].suppressed);
  EXPECT_FALSE(cells[1].suppressed);
  // Without the area lines each municipality is a table of its own.
  for (auto& cell : cells) cell.suppressed = cell.complementary = false;
  EXPECT_EQ(ApplyDisclosureControl(cells, DisclosureRule{}), 1u);
  EXPECT_FALSE(cells[3].suppressed);
}

TEST(DisclosureTest, AMunicipalityNotInTheTableHidesLikeAMissingOne) {
  std::vector<DisclosureCell> cells = {
      {.breakdown = &kTotal, .numerator = 100, .area = 24},
      {.breakdown = &kTotal, .numerator = 60, .area = 1},
      {.breakdown = &kTotal, .numerator = 3, .area = 2},
  };
  // 24 − 1 = 2 + 3, and 3 is given nowhere: nothing more to hide.
  const auto lines = SmallCountry();
  EXPECT_EQ(ApplyDisclosureControl(cells, DisclosureRule{}, lines), 1u);
  EXPECT_FALSE(cells[0].suppressed || cells[1].suppressed);
}

TEST(DisclosureTest, AnOnlyMunicipalityTakesItsRegionAndTheCascadeGoesUp) {
  std::vector<DisclosureCell> cells = {
      {.breakdown = &kTotal, .numerator = 500, .area = 0},
      {.breakdown = &kTotal, .numerator = 400, .area = 24},
      {.breakdown = &kTotal, .numerator = 100, .area = 25},
      {.breakdown = &kTotal, .numerator = 2, .suppressed = true, .area = 4},
  };
  const auto lines = SmallCountry();
  ApplyDisclosureControl(cells, DisclosureRule{}, lines);
  // Region 25 is its one municipality: it goes, and then Riket − 24 = 25, so 24 goes too.
  EXPECT_TRUE(cells[2].suppressed && cells[2].complementary);
  EXPECT_TRUE(cells[1].suppressed && cells[1].complementary);
  EXPECT_FALSE(cells[0].suppressed);
}

TEST(DisclosureTest, AreaAndBreakdownLinesCascadeIntoEachOther) {
  std::vector<DisclosureCell> cells;
  // The county and its three municipalities, each with total, women and men.
  const std::vector<std::pair<std::int64_t, std::vector<double>>> figures = {
      {24, {300, 150, 150}}, {1, {100, 50, 50}}, {2, {100, 3, 97}}, {3, {100, 97, 3}}};
  for (const auto& [area, counts] : figures) {
    cells.push_back({.breakdown = &kTotal, .numerator = counts[0], .area = area});
    cells.push_back({.breakdown = &kWomen, .numerator = counts[1], .area = area});
    cells.push_back({.breakdown = &kMen, .numerator = counts[2], .area = area});
  }
  const auto lines = SmallCountry();
  ApplyDisclosureControl(cells, DisclosureRule{}, lines);
  // Municipality 2's women and 3's men are primary; within 2, its men go; within 3, its women;
  // then the county's women line has two hidden (2 and 3) and so has the men's: done.
  auto suppressed = [&](std::int64_t area, const Breakdown& breakdown) {
    for (const auto& cell : cells) {
      if (cell.area == area && *cell.breakdown == breakdown) return cell.suppressed;
    }
    return false;
  };
  EXPECT_TRUE(suppressed(2, kWomen) && suppressed(2, kMen));
  EXPECT_TRUE(suppressed(3, kWomen) && suppressed(3, kMen));
  EXPECT_FALSE(suppressed(1, kWomen) || suppressed(1, kMen) || suppressed(24, kTotal));
  EXPECT_FALSE(suppressed(2, kTotal) || suppressed(3, kTotal));
}

// Random tables of sex × the small country: no line within an area or across areas holds
// exactly one hidden cell that is suppressed.
TEST(DisclosureTest, RandomAreaTablesHaveNoLineWithOneHiddenSuppressedCell) {
  std::mt19937 random(20261207);
  const std::vector<std::int64_t> areas = {0, 24, 25, 1, 2, 3, 4};
  const std::vector<const Breakdown*> breakdowns = {&kTotal, &kWomen, &kMen};
  const auto area_lines = SmallCountry();
  std::size_t across = 0;
  for (int table_idx = 0; table_idx < 500; ++table_idx) {
    SCOPED_TRACE("table " + std::to_string(table_idx));
    std::vector<DisclosureCell> cells;
    for (const std::int64_t area : areas) {
      for (const Breakdown* breakdown : breakdowns) {
        if (random() % 8 == 0) continue;
        DisclosureCell cell{.breakdown = breakdown, .area = area};
        cell.missing = random() % 12 == 0;
        if (!cell.missing) cell.numerator = static_cast<double>(random() % 30);
        cell.suppressed = random() % 30 == 0;
        cells.push_back(cell);
      }
    }
    std::vector<DisclosureCell> within = cells;
    ApplyDisclosureControl(cells, DisclosureRule{}, area_lines);
    ApplyDisclosureControl(within, DisclosureRule{});
    for (std::size_t idx = 0; idx < cells.size(); ++idx) {
      across += cells[idx].suppressed && !within[idx].suppressed;
    }
    auto find = [&](std::int64_t area, const Breakdown* breakdown) -> const DisclosureCell* {
      for (const auto& cell : cells) {
        if (cell.area == area && cell.breakdown == breakdown) return &cell;
      }
      return nullptr;
    };
    // A part not in the table hides for an area line (its parts are all the area has), not for a
    // breakdown's (its categories need not be all there are).
    auto check = [&](const DisclosureCell* line_total, std::vector<const DisclosureCell*> parts,
                     bool absent_hides) {
      if (line_total == nullptr) return;
      parts.push_back(line_total);
      std::size_t suppressed = 0;
      std::size_t hidden = 0;
      std::size_t present = 0;
      for (const DisclosureCell* cell : parts) {
        if (cell == nullptr) {
          hidden += absent_hides;
          continue;
        }
        ++present;
        suppressed += cell->suppressed;
        hidden += cell->suppressed || cell->missing;
      }
      if (present < 2) return;
      EXPECT_FALSE(suppressed == 1 && hidden == 1);
    };
    for (const std::int64_t area : areas) {
      check(find(area, &kTotal), {find(area, &kWomen), find(area, &kMen)}, false);
    }
    for (const AreaLine& line : area_lines) {
      for (const Breakdown* breakdown : breakdowns) {
        std::vector<const DisclosureCell*> parts;
        for (const std::int64_t part : line.parts) parts.push_back(find(part, breakdown));
        check(find(line.total, breakdown), parts, true);
      }
    }
  }
  // Lines across areas must hide more than the lines within areas alone, or the test says little.
  EXPECT_GT(across, 100u);
}

}  // namespace
}  // namespace halsonav::stats
