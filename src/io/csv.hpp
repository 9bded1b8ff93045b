#pragma once

// The CSV tokenizer every CSV reader of the io layer shares (measure CSV, Kolada registry files,
// tidy statistics CSV): RFC 4180 as Swedish Excel and R write it. It splits a file into records
// and cells and reports only what is wrong with the file as CSV (an unclosed quote, text after a
// closing quote); what the cells mean is the reader's. Problems are "FILE:LINE:COLUMN", LINE the
// 1-based line, COLUMN the 1-based cell number.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/statistics.hpp"
#include "core/text.hpp"
#include "io/problems.hpp"

namespace halsonav::csv {

// The first invalid UTF-8 byte: core/text.hpp (the server checks form part names with it too).
using halsonav::FirstInvalidUtf8;

inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsBlank(char c);
// The text without surrounding blanks (space, tab, CR, LF, VT, FF).
std::string_view Trim(std::string_view text);

// The text with every invalid UTF-8 byte replaced by U+FFFD, so that it can go into JSON.
std::string ValidUtf8(std::string_view text);

// Lower case for matching headers and words (LowerCase: ASCII and the Latin-1 capitals),
// with runs of blanks made one space and surrounding blanks gone.
std::string Fold(std::string_view text);

// The delimiter of the first line that holds more than delimiters and blanks (the header):
// whichever of ';' and ',' occurs more often there outside quotes, ';' on a tie.
char DetectDelimiter(std::string_view text);

// A number cell: a decimal point, or a decimal comma when the file's delimiter is ';'. A blank
// cell and ".." are absent (kAbsent). Thousands separators, NaN, infinities and numbers beyond
// ±1e15 are refused: nullopt, with `why` saying what is wrong ("is not a number …").
std::optional<double> Number(std::string_view cell, char delimiter, std::string& why);

// "FILE:LINE:COLUMN".
std::string Where(std::string_view file_name, std::size_t line, std::size_t column);

// One cell as read: its bytes (quotes removed, doubled quotes single, a line break inside quotes
// as "\n") and the line where it starts.
struct Field {
  std::string value;
  std::size_t line = 0;
};

struct Record {
  std::size_t line = 0;  // where the record starts
  std::vector<Field> fields;
  bool broken = false;  // a quoting problem was reported; the record is not read further

  // Every cell empty or blanks only (a blank line, or a line of delimiters).
  bool Blank() const;
};

struct Table {
  char delimiter = ';';
  bool had_bom = false;
  std::vector<Record> records;  // in file order, blank ones included
};

// Splits a whole file into records: a leading UTF-8 byte-order mark is skipped, the delimiter is
// `delimiter` or, when 0, DetectDelimiter's; CRLF, LF and CR end lines. A quoted cell may hold
// delimiters, doubled quotes and line breaks; blanks before an opening quote are allowed; a quote
// inside an unquoted cell is kept as it is. Quoting problems are appended to `problems` with
// `file_name` as written (pass it through ValidUtf8 first). Cells are not checked for UTF-8: see
// CheckUtf8.
Table Parse(std::string_view text, std::string_view file_name, std::vector<Problem>& problems,
            char delimiter = 0);

// Appends a problem naming the line of the first invalid UTF-8 byte in `field` (cell `column`);
// true if the cell is valid UTF-8.
bool CheckUtf8(const Field& field, std::size_t column, std::string_view file_name,
               std::vector<Problem>& problems);

}  // namespace halsonav::csv
