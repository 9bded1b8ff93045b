#include "io/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "core/text.hpp"

namespace halsonav::csv {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view text) { return TrimWhitespace(text); }

std::string ValidUtf8(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const auto bad = FirstInvalidUtf8(text);
    out.append(text.substr(0, bad));
    if (bad == std::string_view::npos) break;
    out.append("\xEF\xBF\xBD");
    text.remove_prefix(bad + 1);
  }
  return out;
}

std::string Fold(std::string_view text) {
  std::string spaced;
  spaced.reserve(text.size());
  bool in_blank = false;
  for (const char c : text) {
    if (IsBlank(c)) {
      in_blank = true;
      continue;
    }
    if (in_blank && !spaced.empty()) spaced.push_back(' ');
    in_blank = false;
    spaced.push_back(c);
  }
  return LowerCase(spaced);
}

char DetectDelimiter(std::string_view text) {
  std::size_t semicolons = 0;
  std::size_t commas = 0;
  bool content = false;
  bool quoted = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          ++pos;
        } else {
          quoted = false;
        }
      }
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (content) break;
      semicolons = commas = 0;
    } else if (c == ';') {
      ++semicolons;
    } else if (c == ',') {
      ++commas;
    } else if (c == '"') {
      quoted = true;
      content = true;
    } else if (!IsBlank(c)) {
      content = true;
    }
  }
  return commas > semicolons ? ',' : ';';
}

std::string Where(std::string_view file_name, std::size_t line, std::size_t column) {
  return fmt::format("{}:{}:{}", file_name, line, column);
}

bool Record::Blank() const {
  return std::all_of(fields.begin(), fields.end(),
                     [](const Field& field) { return Trim(field.value).empty(); });
}

Table Parse(std::string_view text, std::string_view file_name, std::vector<Problem>& problems,
            char delimiter) {
  Table table;
  if (text.substr(0, kBom.size()) == kBom) {
    text.remove_prefix(kBom.size());
    table.had_bom = true;
  }
  table.delimiter = delimiter != 0 ? delimiter : DetectDelimiter(text);
  delimiter = table.delimiter;
  const auto report = [&](std::size_t line, std::size_t column, std::string message) {
    problems.push_back({Where(file_name, line, column), std::move(message)});
  };
  std::size_t pos = 0;
  std::size_t line = 1;
  const auto at_line_end = [&] {
    return pos >= text.size() || text[pos] == '\n' || text[pos] == '\r';
  };
  const auto skip_line_end = [&] {
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
    ++line;
  };
  while (pos < text.size()) {
    Record record;
    record.line = line;
    while (true) {
      Field field;
      field.line = line;
      const std::size_t column = record.fields.size() + 1;
      std::size_t start = pos;
      while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
      if (start < text.size() && text[start] == '"') {
        pos = start + 1;
        bool closed = false;
        while (pos < text.size()) {
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field.value.push_back('"');
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\r' || c == '\n') {
            field.value.push_back('\n');
            skip_line_end();
            continue;
          }
          field.value.push_back(c);
          ++pos;
        }
        if (!closed) {
          report(field.line, column,
                 "a quote (\") opens a cell here and is never closed: the cell runs to the "
                 "end of the file");
          record.broken = true;
          record.fields.push_back(std::move(field));
          break;
        }
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
        if (pos < text.size() && text[pos] != delimiter && !at_line_end()) {
          report(line, column,
                 "text after the closing quote of a quoted cell (a quote inside a quoted cell "
                 "is written twice: \"\")");
          record.broken = true;
          while (pos < text.size() && text[pos] != delimiter && !at_line_end()) ++pos;
        }
      } else {
        const std::size_t cell_start = pos;
        while (pos < text.size() && text[pos] != delimiter && !at_line_end()) ++pos;
        field.value.assign(text.substr(cell_start, pos - cell_start));
      }
      record.fields.push_back(std::move(field));
      if (pos < text.size() && text[pos] == delimiter) {
        ++pos;
        continue;
      }
      if (pos < text.size()) skip_line_end();
      break;
    }
    table.records.push_back(std::move(record));
  }
  return table;
}

bool CheckUtf8(const Field& field, std::size_t column, std::string_view file_name,
               std::vector<Problem>& problems) {
  const auto bad = FirstInvalidUtf8(field.value);
  if (bad == std::string_view::npos) return true;
  const auto line = field.line + static_cast<std::size_t>(std::count(
                                     field.value.begin(),
                                     field.value.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
  problems.push_back({Where(file_name, line, column),
                      fmt::format("invalid UTF-8 (byte 0x{:02X}); save the file as \"CSV UTF-8\"",
                                  static_cast<unsigned char>(field.value[bad]))});
  return false;
}

// Values beyond this are refused as errors in the file (no health statistic comes near it).
constexpr double kLargestValue = 1e15;

std::optional<double> Number(std::string_view cell, char delimiter, std::string& why) {
  if (cell.empty() || cell == "..") return kAbsent;
  std::string text(cell);
  const auto commas = std::count(text.begin(), text.end(), ',');
  const auto points = std::count(text.begin(), text.end(), '.');
  const auto refuse = [&](std::string_view reason) -> std::optional<double> {
    why = reason;
    return std::nullopt;
  };
  constexpr std::string_view kThousands =
      "is not a number (thousands separators are not read: write 12345.6)";
  if (text.find_first_of(" \t'\xC2") != std::string::npos) return refuse(kThousands);
  if (commas > 0 && points > 0) return refuse(kThousands);
  if (commas > 0) {
    if (delimiter == ',') {
      return refuse(
          "has a decimal comma in a comma-separated file: use a decimal point, or ';' between "
          "cells");
    }
    if (commas > 1) return refuse("is not a number (one decimal comma at most)");
    std::replace(text.begin(), text.end(), ',', '.');
  }
  if (points > 1) return refuse("is not a number (thousands separators are not read)");
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  });
  double value = 0;
  const char* first = text.data();
  if (!text.empty() && text.front() == '+') ++first;
  const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
  if (!plain || error == std::errc::invalid_argument || end != text.data() + text.size()) {
    return refuse("is not a number");
  }
  if (error == std::errc::result_out_of_range || !std::isfinite(value) ||
      std::fabs(value) > kLargestValue) {
    return refuse("is beyond ±1e15: refused as an error in the file");
  }
  return value;
}

}  // namespace halsonav::csv
