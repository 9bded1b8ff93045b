#pragma once

// Pass 2 of the JSON-stat reader: a dataset's `value` streamed into a sink, and its `status`.
// A sink takes the cells: `bool Dense(cell, value)` for a value array (cells in order),
// `bool DenseBlock(first, values, count)` for the cells first, first + 1, … of a value array at
// once, and `bool Sparse(cell, value)` for a value object; cell < layout.cells, value NaN for
// null; false stops (io/observation_sink.hpp is the one ReadJsonStat uses). Templates rather
// than virtual calls: this is the per-cell hot path. Internal to the io layer.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "io/jsonstat_document.hpp"

namespace halsonav::statsio::jsonstat {

// ReadCellValue's rare cases (null, a problem), out of line so that the per-cell path stays
// small.
std::optional<double> ReadOtherCellValue(od::value element, std::uint64_t index,
                                         const std::string& prefix, Problems& problems,
                                         simdjson::error_code error);

// Reads one value: a finite number or null (NaN). nullopt after adding a problem.
inline std::optional<double> ReadCellValue(od::value element, std::uint64_t index,
                                           const std::string& prefix, Problems& problems) {
  double number;
  auto error = element.get_double().get(number);
  if (!error && std::isfinite(number)) [[likely]] {
    return number;
  }
  return ReadOtherCellValue(element, index, prefix, problems, error);
}

// JSON whitespace.
inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The numbers that ScanCellValue does not read itself, out of line. libstdc++'s from_chars
// (fast_float) rounds correctly, as simdjson does; out of range or not finite goes to the
// on-demand path for its exact problem.
bool ScanLongNumber(const char* start, const char* end, double& number);

// Reads one element of a value array straight from the text at `p` (its first character): a
// finite JSON number (checked against JSON's grammar) or null, up to whitespace, ',' or ']'.
// Returns the character after it, or nullptr for anything else (left to the on-demand path,
// which reports it). The text is a simdjson padded string: zero bytes follow its end, and they
// stop every loop here.
[[gnu::always_inline]] inline const char* ScanCellValue(const char* p, double& number) {
  // Powers of ten that a double holds exactly.
  static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* start = p;
  if (*p == 'n') {
    if (p[1] != 'u' || p[2] != 'l' || p[3] != 'l') return nullptr;
    p += 4;
    number = kAbsent;
  } else {
    const bool negative = *p == '-';
    if (negative) ++p;
    // The significant digits as an integer (up to 19 of them) and how many follow the point.
    std::uint64_t digits = 0;
    int count = 0;
    int decimals = 0;
    if (*p == '0') {
      ++p;
    } else if (*p >= '1' && *p <= '9') {
      do {
        digits = digits * 10 + static_cast<std::uint64_t>(*p - '0');
        ++count;
      } while (IsDigit(*++p) && count < 19);
      while (IsDigit(*p)) {
        ++p;
        count = 99;  // too many for the short path
      }
    } else {
      return nullptr;
    }
    if (*p == '.') {
      if (!IsDigit(*++p)) return nullptr;
      do {
        if (count < 19) {
          digits = digits * 10 + static_cast<std::uint64_t>(*p - '0');
          if (digits != 0) ++count;  // leading zeros of 0.001 do not count
          ++decimals;
        } else {
          count = 99;
        }
      } while (IsDigit(*++p));
    }
    bool exponent = false;
    if (*p == 'e' || *p == 'E') {
      exponent = true;
      ++p;
      if (*p == '+' || *p == '-') ++p;
      if (!IsDigit(*p)) return nullptr;
      while (IsDigit(*++p)) {
      }
    }
    if (!exponent && count <= 15 && decimals <= 22) {
      // Clinger's fast path: both exact, so one division rounds correctly (as simdjson's own
      // first path does).
      number = static_cast<double>(digits) / kPowers[decimals];
      if (negative) number = -number;
    } else if (!ScanLongNumber(start, p, number)) {
      return nullptr;
    }
  }
  if (!IsJsonSpace(*p) && *p != ',' && *p != ']') return nullptr;
  return p;
}

// ScanCellValue for the common element, a plain decimal number (no sign, no exponent, at most
// 15 digits: "50.0", "9", "0.05"), without its counters and checks; any other element goes to
// ScanCellValue. The same numbers: the digits as an integer, divided once by the power of ten
// of the decimals (Clinger's fast path, correctly rounded). Reads up to the first character
// that is no digit, as ScanCellValue does.
[[gnu::always_inline]] inline const char* ScanPlainCellValue(const char* p, double& number) {
  const auto digit = [](char c) {
    return static_cast<unsigned>(static_cast<unsigned char>(c) - '0');
  };
  std::uint64_t digits = digit(*p);
  if (digits > 9 || (digits == 0 && IsDigit(p[1]))) return ScanCellValue(p, number);
  const char* q = p;
  unsigned next;
  while ((next = digit(*++q)) <= 9) digits = digits * 10 + next;  // wraps when long: not used
  const char* point = q;
  const bool has_point = *q == '.';
  if (has_point) {
    if ((next = digit(*++q)) > 9) return nullptr;
    do {
      digits = digits * 10 + next;
    } while ((next = digit(*++q)) <= 9);
  }
  if (q - p - (has_point ? 1 : 0) > 15 || *q == 'e' || *q == 'E') return ScanCellValue(p, number);
  static constexpr double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  number = static_cast<double>(digits) / kPowers[has_point ? q - point - 1 : 0];
  if (!IsJsonSpace(*q) && *q != ',' && *q != ']') return nullptr;
  return q;
}

// Reads a value array's elements straight from the text at `open` (its '[': in the parsed text,
// or in the file's own when the parse left them out) with ScanCellValue, and hands them to
// `deliver(values, count)` a block at a time. true when it read the whole array; false when it
// stopped at an element it cannot read (the on-demand path takes over from there) or when
// `deliver` said stop (`stopped` is then set).
template <typename Deliver>
bool ScanValueArray(const char* open, Deliver&& deliver, bool& stopped) {
  const char* p = open + 1;  // after '['
  while (IsJsonSpace(*p)) ++p;
  if (*p == ']') return false;  // an empty array goes the on-demand way
  constexpr std::size_t kBlock = 256;
  double block[kBlock];
  bool done = false;
  bool more = true;
  while (more) {
    std::size_t count = 0;
    while (count < kBlock) {
      const char* next = ScanPlainCellValue(p, block[count]);
      if (next == nullptr) {
        more = false;
        break;
      }
      ++count;
      p = next;
      if (*p == ',' && !IsJsonSpace(p[1])) [[likely]] {  // the common separator
        ++p;
        continue;
      }
      while (IsJsonSpace(*p)) ++p;
      if (*p == ']') {
        done = true;
        more = false;
        break;
      }
      if (*p != ',') {
        more = false;
        break;
      }
      ++p;
      while (IsJsonSpace(*p)) ++p;
    }
    if (!deliver(block, count)) {
      stopped = true;
      return false;
    }
  }
  return done;
}

// A value array: the fast path (ScanValueArray) first, then the on-demand iterator from the
// first element it could not read, so that every problem stays as the on-demand path makes it.
// `then_more`: whether the caller goes on reading the dataset's fields after `value` (else a
// value array read by the fast path is not stepped over: nothing after it is read).
template <typename Sink>
bool ReadValueArray(od::value value, const Dataset& dataset, const CellLayout& layout,
                    Problems& problems, Sink& sink, bool then_more) {
  const std::string pointer = dataset.prefix + "/value";
  std::uint64_t index = 0;
  bool too_many = false;
  auto past_sizes = [&](std::uint64_t cell) {
    if (!too_many) {
      too_many = true;
      problems.Add(fmt::format("{}/{}", pointer, cell),
                   fmt::format("more values than the sizes allow ({})", layout.cells));
    }
  };
  // Hands `count` values read by the fast path, the cells from `index` on, to the sink; as the
  // on-demand loop below does, cells past the sizes are one problem. false stops.
  auto deliver = [&](const double* values, std::uint64_t count) {
    const std::uint64_t end = index + count;
    const std::uint64_t in_range = index < layout.cells ? std::min(end, layout.cells) - index : 0;
    if (in_range > 0) {
      if (problems.Full() || !sink.DenseBlock(index, values, in_range)) return false;
    }
    for (std::uint64_t cell = index + in_range; cell < end; ++cell) {
      past_sizes(cell);
      if (problems.Full()) return false;
    }
    index = end;
    return true;
  };
  bool stopped = false;
  const bool fast_done = !problems.fatal && ScanValueArray(dataset.value_text != nullptr
                                                               ? dataset.value_text
                                                               : value.raw_json_token().data(),
                                                           deliver, stopped);
  if (stopped) return false;
  if (!fast_done && dataset.value_text != nullptr) {
    // The elements are not in the parse for the on-demand path to report: the caller reads the
    // file again uncut (ParseDocument), and this is never shown.
    problems.fatal = true;
    problems.Add(pointer, "a value the fast path cannot read");
    return false;
  }
  od::array array;
  if (auto error = value.get_array().get(array)) return problems.Json(pointer, error);
  if (fast_done && then_more) {
    // Skips the (non-empty) array by its structural index.
    std::string_view skipped;
    if (auto error = array.raw_json().get(skipped)) return problems.Json(pointer, error);
  }
  const std::uint64_t fast_count = index;
  std::uint64_t seen = 0;
  if (!fast_done) {
    for (auto element_result : array) {
      od::value element;
      if (auto error = element_result.get(element)) {
        return problems.Json(fmt::format("{}/{}", pointer, seen < fast_count ? seen : index),
                             error);
      }
      if (seen < fast_count) {  // read by the fast path already
        ++seen;
        continue;
      }
      auto number = ReadCellValue(element, index, dataset.prefix, problems);
      if (problems.fatal) return false;
      if (index >= layout.cells) {
        past_sizes(index);
      } else if (number && !problems.Full() && !sink.Dense(index, *number)) {
        return false;
      }
      if (problems.Full()) return false;
      ++index;
    }
  }
  if (index != layout.cells) {
    problems.Add(pointer,
                 fmt::format("{} values, but the sizes multiply to {}", index, layout.cells));
  }
  return true;
}

// A dataset's `value`: an array (ReadValueArray) or an object of cell index -> value.
template <typename Sink>
bool ReadValues(od::value value, const Dataset& dataset, const CellLayout& layout,
                Problems& problems, Sink& sink, bool then_more) {
  const std::string pointer = dataset.prefix + "/value";
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  if (type == od::json_type::array) {
    return ReadValueArray(value, dataset, layout, problems, sink, then_more);
  }
  if (type == od::json_type::object) {
    return ForEachIndexField(
        value, pointer, problems, layout.cells,
        [&](std::string_view key, od::value element, const auto& where) {
          auto cell = ParseIndexKey(key);
          if (!cell || *cell >= layout.cells) {
            const std::string at = where();
            problems.Add(at, fmt::format("\"{}\" is not a value index from 0 to {}", key,
                                         layout.cells == 0 ? 0 : layout.cells - 1));
            return Validate(element, at, problems) && !problems.Full();
          }
          auto number = ReadCellValue(element, *cell, dataset.prefix, problems);
          if (problems.Full()) return false;
          if (number) return sink.Sparse(*cell, *number);
          return true;
        });
  }
  problems.Add(pointer,
               fmt::format("value must be an array or an object, not {}", JsonTypeWord(type)));
  return Validate(value, pointer, problems);
}

// Takes the status pass 1 read, when it fits the sizes (every cell index below `cells`);
// false when pass 2 must read it.
bool TakeEarlyStatus(Dataset& dataset, const CellLayout& layout, CellStatus& status);

// After pass 2: a status array of one element applies to every value; any other length that is
// not the number of cells is a problem. false when the walk must stop.
bool FinishStatus(const Dataset& dataset, const CellLayout& layout, Problems& problems,
                  CellStatus& status);

// Pass 2 for one dataset: streams value into `sink` and status into `status` (taken from pass 1
// when it read it). false when the walk must stop.
template <typename Sink>
bool ReadCells(Document& document, Dataset& dataset, const CellLayout& layout, Problems& problems,
               Sink& sink, CellStatus& status) {
  od::value value;
  if (auto error = FindDataset(document.doc, dataset.prefix, value)) {
    return problems.Json(dataset.prefix, error);
  }
  od::object object;
  if (auto error = value.get_object().get(object)) return problems.Json(dataset.prefix, error);
  // Pass 1 checked the object's keys (each once); pass 2 reads only value and status, and stops
  // after the last of them: stepping over a long value array token by token costs ~5 %. When
  // pass 1 read the status already, pass 2 stops right after the value.
  const bool status_taken =
      dataset.status != Shape::kAbsent && TakeEarlyStatus(dataset, layout, status);
  bool status_left = dataset.status != Shape::kAbsent && !status_taken;
  bool value_left = true;
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) {
      return problems.Json(dataset.prefix, error);
    }
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return problems.Json(dataset.prefix, error);
    if (key == "value") {
      value_left = false;
      if (!ReadValues(field.value(), dataset, layout, problems, sink, status_left)) return false;
    } else if (key == "status" && !status_taken) {
      status_left = false;
      if (!ReadStatus(field.value(), dataset.prefix, layout.cells, true, problems, status)) {
        return false;
      }
    }
    if (!value_left && !status_left) break;
  }
  return FinishStatus(dataset, layout, problems, status);
}

}  // namespace halsonav::statsio::jsonstat
