// The DATA of a PX file (the per-cell hot path: docs/BENCHMARKS.md has its speed) and TIMEVAL.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/statistics.hpp"
#include "io/px_table.hpp"

namespace halsonav::statsio {
namespace {

// Separators between DATA cells: white space, and ';' and ',' (INE ends every row with ';').
constexpr std::array<bool, 256> kSeparator = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {' ', '\t', '\r', '\n', ';', ','}) table[c] = true;
  return table;
}();

constexpr std::array<double, 23> kPowersOfTen = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// A decimal number ("31.75", "-0.6", "1e5"). The usual short decimal is exact in a double
// division (both parts exact, one correctly rounded operation); anything else goes to
// from_chars.
inline bool ParseNumber(const char* first, const char* last, double& out) {
  const char* p = first;
  bool negative = false;
  if (p < last && (*p == '-' || *p == '+')) negative = *p++ == '-';
  std::uint64_t mantissa = 0;
  int digits = 0;
  int fraction = 0;
  while (p < last && static_cast<unsigned>(*p - '0') < 10) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
    ++digits;
  }
  if (p < last && *p == '.') {
    ++p;
    while (p < last && static_cast<unsigned>(*p - '0') < 10) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
      ++digits;
      ++fraction;
    }
  }
  if (p == last && digits > 0 && digits <= 15) {
    const double value = static_cast<double>(mantissa) / kPowersOfTen[fraction];
    out = negative ? -value : value;
    return true;
  }
  if (digits == 0) return false;
  const char* from = first + (*first == '+' ? 1 : 0);
  auto [end, error] = std::from_chars(from, last, out);
  return error == std::errc() && end == last && std::isfinite(out);
}

// The symbol a non-number cell stands for; nullopt when it is none.
std::optional<PxSymbol> SymbolOf(std::string_view token, const PxTable& table) {
  if (!token.empty() && token.size() <= 6 &&
      std::all_of(token.begin(), token.end(), [](char c) { return c == '.'; })) {
    return static_cast<PxSymbol>(token.size());
  }
  if (token == "-") return PxSymbol::kNil;
  for (std::size_t symbol = 1; symbol < table.symbol_texts.size(); ++symbol) {
    if (!table.symbol_texts[symbol].empty() && table.symbol_texts[symbol] == token) {
      return static_cast<PxSymbol>(symbol);
    }
  }
  return std::nullopt;
}

[[gnu::noinline]] void ReadSymbolCell(std::string_view token, std::size_t offset, PxTable& table,
                                      std::uint64_t cell, PxProblems& problems) {
  std::optional<PxSymbol> symbol = SymbolOf(token, table);  // the dots and "-" are ASCII
  std::string decoded(token);
  if (!symbol && HasNonAscii(token)) {
    decoded.clear();
    if (DecodePx(token, table.encoding, decoded)) symbol = SymbolOf(decoded, table);
  }
  if (!symbol) {
    problems.Add(offset, fmt::format("DATA cell {} \"{}\" is neither a number nor a symbol (\".\" "
                                     "… \"......\", \"-\" or a DATASYMBOL the file declares)",
                                     cell + 1, decoded));
    return;
  }
  table.symbols[cell] = *symbol;
  if (*symbol == PxSymbol::kNil) table.values[cell] = 0;  // "-": exactly zero
}

std::string SizesText(const PxTable& table) {
  std::string text;
  for (const auto& variable : table.variables) {
    text +=
        fmt::format("{}{} {}", text.empty() ? "" : " × ", variable.values.size(), variable.name);
  }
  return text;
}

void ReadDenseData(std::string_view text, PxTable& table, PxProblems& problems) {
  const std::uint64_t cells = table.cells;
  table.values.assign(cells, std::numeric_limits<double>::quiet_NaN());
  table.symbols.assign(cells, PxSymbol::kNumber);
  table.line_first_cell.clear();
  const char* const base = text.data();
  const char* p = base + table.data_offset;
  const char* const end = base + text.size();
  table.data_line = static_cast<std::uint32_t>(1 + std::count(base, p, '\n'));
  std::uint64_t cell = 0;
  table.line_first_cell.push_back(0);
  std::size_t first_extra = 0;
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (kSeparator[c]) {
      if (c == '\n') table.line_first_cell.push_back(cell);
      ++p;
      continue;
    }
    const char* first = p;
    const char* last;
    if (c == '"') {
      ++first;
      last = first;
      while (last < end && *last != '"' && *last != '\n') ++last;
      if (last >= end || *last != '"') {
        problems.Add(static_cast<std::size_t>(p - base), "a DATA string is not closed on its line");
        return;
      }
      p = last + 1;
    } else {
      last = p;
      while (last < end && !kSeparator[static_cast<unsigned char>(*last)]) ++last;
      p = last;
    }
    if (cell < cells) {
      if (!ParseNumber(first, last, table.values[cell])) {
        table.values[cell] = std::numeric_limits<double>::quiet_NaN();
        ReadSymbolCell(std::string_view(first, static_cast<std::size_t>(last - first)),
                       static_cast<std::size_t>(first - base), table, cell, problems);
      }
    } else if (cell == cells) {
      first_extra = static_cast<std::size_t>(first - base);
    }
    ++cell;
  }
  if (cell > cells) {
    problems.Add(first_extra,
                 fmt::format("DATA holds {} cells, {} more than the variables give ({} = {}): "
                             "this is the first cell too many",
                             cell, cell - cells, SizesText(table), cells));
  } else if (cell < cells) {
    problems.Add(table.data_offset,
                 fmt::format("DATA holds {} cells, {} fewer than the variables give ({} = {})",
                             cell, cells - cell, SizesText(table), cells));
  }
}

// One token of keyed DATA on the current line: a quoted string's content or a bare word.
struct RowToken {
  std::string_view text;
  std::size_t offset = 0;  // where it starts in the file
};

// The tokens of one line of keyed DATA from `p` on; moves `p` past the line's '\n'. False (a
// problem added) when a string is not closed on its line.
bool ReadRow(const char* base, const char*& p, const char* end, std::vector<RowToken>& tokens,
             PxProblems& problems) {
  tokens.clear();
  while (p < end && *p != '\n') {
    if (kSeparator[static_cast<unsigned char>(*p)]) {
      ++p;
      continue;
    }
    const char* first = p;
    const char* last = p;
    if (*p == '"') {
      first = last = p + 1;
      while (last < end && *last != '"' && *last != '\n') ++last;
      if (last >= end || *last != '"') {
        problems.Add(static_cast<std::size_t>(p - base), "a DATA string is not closed on its line");
        return false;
      }
      p = last + 1;
    } else {
      while (last < end && !kSeparator[static_cast<unsigned char>(*last)]) ++last;
      p = last;
    }
    tokens.push_back({std::string_view(first, static_cast<std::size_t>(last - first)),
                      static_cast<std::size_t>(first - base)});
  }
  if (p < end) ++p;  // the '\n'
  return true;
}

// The row (index of the STUB combination) a line's keys name; nullopt (problems added) when a
// key is none of its variable's.
std::optional<std::uint64_t> RowOfKeys(
    const PxTable& table, const std::vector<RowToken>& tokens,
    const std::vector<std::unordered_map<std::string_view, std::size_t>>& lookup,
    PxProblems& problems) {
  std::uint64_t row = 0;
  bool known = true;
  for (std::size_t var_idx = 0; var_idx < lookup.size(); ++var_idx) {
    const PxVariable& variable = table.variables[var_idx];
    std::string decoded;
    std::string_view key = tokens[var_idx].text;
    if (HasNonAscii(key) && DecodePx(key, table.encoding, decoded)) key = decoded;
    auto it = lookup[var_idx].find(key);
    if (it == lookup[var_idx].end()) {
      const char* kind = variable.key == PxKey::kCodes ? "CODES" : "VALUES";
      problems.Add(tokens[var_idx].offset,
                   fmt::format("the key \"{}\" is none of the {} of \"{}\" (KEYS(\"{}\")={})", key,
                               kind, variable.default_name, variable.default_name, kind));
      known = false;
      continue;
    }
    row = row * variable.values.size() + it->second;
  }
  if (!known) return std::nullopt;
  return row;
}

// KEYS: each line is one row, the STUB variables' keys then the row's HEADING cells. Rows not
// written are zeros (PC-Axis leaves out rows of zeros).
void ReadKeyedData(std::string_view text, PxTable& table, PxProblems& problems) {
  std::size_t stub_count = 0;
  table.row_cells = 1;
  for (const auto& variable : table.variables) {
    if (variable.heading) {
      table.row_cells *= variable.values.size();
    } else {
      ++stub_count;
    }
  }
  const std::uint64_t rows = table.row_cells == 0 ? 0 : table.cells / table.row_cells;
  table.values.assign(table.cells, 0.0);
  table.symbols.assign(table.cells, PxSymbol::kNumber);
  table.row_lines.assign(rows, 0);
  std::vector<std::unordered_map<std::string_view, std::size_t>> lookup(stub_count);
  for (std::size_t var_idx = 0; var_idx < stub_count; ++var_idx) {
    const auto& keys = table.variables[var_idx].keys;
    for (std::size_t value_idx = 0; value_idx < keys.size(); ++value_idx) {
      lookup[var_idx].emplace(keys[value_idx], value_idx);
    }
  }
  const char* const base = text.data();
  const char* p = base + table.data_offset;
  const char* const end = base + text.size();
  table.data_line = static_cast<std::uint32_t>(1 + std::count(base, p, '\n'));
  std::vector<RowToken> tokens;
  for (std::uint32_t line = table.data_line; p < end && !problems.Full(); ++line) {
    if (!ReadRow(base, p, end, tokens, problems)) return;
    if (tokens.empty()) continue;
    if (tokens.size() != stub_count + table.row_cells) {
      problems.Add(
          tokens.front().offset,
          fmt::format("this DATA row holds {} keys and cells; KEYS and HEADING give {} "
                      "({} keys, one per STUB variable, then {} cells)",
                      tokens.size(), stub_count + table.row_cells, stub_count, table.row_cells));
      continue;
    }
    if (rows == 0) {  // a variable without values
      problems.Add(tokens.front().offset,
                   "this DATA row has no place: the variables give no cells");
      continue;
    }
    const auto row = RowOfKeys(table, tokens, lookup, problems);
    if (!row) continue;
    if (table.row_lines[*row] != 0) {
      problems.Add(tokens.front().offset,
                   fmt::format("this DATA row's keys were written before, on line {}",
                               table.row_lines[*row]));
      continue;
    }
    table.row_lines[*row] = line;
    for (std::uint64_t cell_idx = 0; cell_idx < table.row_cells; ++cell_idx) {
      const RowToken& token = tokens[stub_count + cell_idx];
      const std::uint64_t cell = *row * table.row_cells + cell_idx;
      if (!ParseNumber(token.text.data(), token.text.data() + token.text.size(),
                       table.values[cell])) {
        table.values[cell] = std::numeric_limits<double>::quiet_NaN();
        ReadSymbolCell(token.text, token.offset, table, cell, problems);
      }
    }
  }
}

}  // namespace

void ReadPxData(std::string_view text, PxTable& table, PxProblems& problems) {
  if (table.keyed) {
    ReadKeyedData(text, table, problems);
  } else {
    ReadDenseData(text, table, problems);
  }
}

std::uint32_t PxTable::Line(std::uint64_t cell) const {
  if (keyed) {
    const std::uint32_t line = row_lines[cell / row_cells];
    return line == 0 ? data_line : line;
  }
  // The last line whose first cell is at or before `cell`.
  auto after = std::upper_bound(line_first_cell.begin(), line_first_cell.end(), cell);
  return data_line + static_cast<std::uint32_t>(after - line_first_cell.begin()) - 1;
}

namespace {

constexpr std::size_t kMaxPeriods = 100000;

std::optional<int> Digits(std::string_view text) {
  int number = 0;
  if (text.empty() || text.size() > 6) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + (c - '0');
  }
  return number;
}

// One period of a TLIST unit: 'A' "2022", 'H' "20221" (or "2022H1"), 'Q' "20221" (or "2022Q1",
// SSB's "2022K1"), 'M' "202208".
std::optional<Period> TimePeriod(char unit, std::string_view text) {
  std::optional<Period> period;
  if (unit == 'A' && text.size() == 4) {
    if (auto year = Digits(text)) period = Period{*year, 12, 12};
  } else if ((unit == 'Q' || unit == 'H') && text.size() == 5) {
    const int per_year = unit == 'Q' ? 4 : 2;
    const int months = 12 / per_year;
    auto year = Digits(text.substr(0, 4));
    auto part = Digits(text.substr(4));
    if (year && part && *part >= 1 && *part <= per_year) {
      period = Period{*year, *part * months, months};
    }
  } else if (unit == 'M' && text.size() == 6) {
    auto year = Digits(text.substr(0, 4));
    auto month = Digits(text.substr(4));
    if (year && month && *month >= 1 && *month <= 12) period = Period{*year, *month, 1};
  }
  if (!period) period = ParsePeriod(text);
  if (period && (period->end_year < 1800 || period->end_year > 2200)) return std::nullopt;
  return period;
}

Period Next(const Period& period) {
  Period next = period;
  next.end_month += period.months == 12 ? 0 : period.months;
  if (period.months == 12) ++next.end_year;
  if (next.end_month > 12) {
    next.end_month -= 12;
    ++next.end_year;
  }
  return next;
}

}  // namespace

std::vector<std::int64_t> ReadTimeval(const std::vector<PxItem>& items, std::size_t offset,
                                      PxProblems& problems) {
  if (items.empty() || items.front().quoted || !items.front().text.starts_with("TLIST(")) {
    problems.Add(items.empty() ? offset : items.front().offset,
                 "TIMEVAL must start with TLIST(unit): TLIST(A1), TLIST(H1), TLIST(Q1), TLIST(M1)");
    return {};
  }
  const std::string& tlist = items.front().text;
  const std::size_t unit_at = 6;
  const char unit_letter = unit_at < tlist.size() ? tlist[unit_at] : ' ';
  const char unit = unit_letter == 'K' ? 'Q' : unit_letter;  // SSB's kvartal
  if (unit == 'W') {
    problems.Add(items.front().offset,
                 "week periods (TLIST(W1)) cannot be stored: Hälsonav's periods are runs of "
                 "whole months (months, quarters, half-years, years, spans of years), and a "
                 "week is not one");
    return {};
  }
  if (unit != 'A' && unit != 'H' && unit != 'Q' && unit != 'M') {
    problems.Add(items.front().offset,
                 fmt::format("\"{}\" is not a time unit PX knows (A1, H1, Q1, M1, W1)", tlist));
    return {};
  }
  // The list: the items after TLIST(…), or the strings inside it ("TLIST(A1, "1994"-"1996")").
  std::vector<PxItem> list(items.begin() + 1, items.end());
  if (auto comma = tlist.find(','); comma != std::string::npos) {
    std::string_view inner(tlist);
    inner = inner.substr(comma + 1, inner.size() - comma - 2);
    std::size_t pos = 0;
    while ((pos = inner.find('"', pos)) != std::string_view::npos) {
      const std::size_t close = inner.find('"', pos + 1);
      if (close == std::string_view::npos) break;
      PxItem item{std::string(inner.substr(pos + 1, close - pos - 1)), true, false,
                  items.front().offset};
      const std::size_t after = inner.find_first_not_of(' ', close + 1);
      item.range_to_next = after != std::string_view::npos && inner[after] == '-';
      list.push_back(std::move(item));
      pos = close + 1;
    }
  }
  std::vector<std::int64_t> periods;
  for (std::size_t item_idx = 0; item_idx < list.size(); ++item_idx) {
    const PxItem& item = list[item_idx];
    auto period = TimePeriod(unit, item.text);
    if (!period) {
      problems.Add(item.offset, fmt::format("\"{}\" is not a period of {}", item.text, tlist));
      return {};
    }
    periods.push_back(PeriodKey(*period));
    if (!item.range_to_next || item_idx + 1 >= list.size()) continue;
    auto last = TimePeriod(unit, list[item_idx + 1].text);
    if (!last || *last < *period) {
      problems.Add(item.offset, fmt::format("the range \"{}\"-\"{}\" is not a range of periods",
                                            item.text, list[item_idx + 1].text));
      return {};
    }
    for (Period next = Next(*period); next <= *last && periods.size() < kMaxPeriods;
         next = Next(next)) {
      periods.push_back(PeriodKey(next));
    }
    ++item_idx;  // the range's end is in
  }
  return periods;
}

}  // namespace halsonav::statsio
