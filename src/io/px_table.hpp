#pragma once

// A PX file (PC-Axis) read as a table: its variables in DATA's order (STUB, then HEADING; the
// last HEADING variable varies fastest), their values and codes in one language, the content
// variable's units, decimals and precision, the periods TIMEVAL gives, the notes, and every
// cell's number or symbol. docs/px.md has the rules; io/px.hpp turns a table into a StatsBatch.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/px_syntax.hpp"

namespace halsonav::statsio {

// A cell's symbol: a number, the dot codes "." … "......" (DATASYMBOL1–6), "-" (DATASYMBOLNIL:
// exactly zero) or the DATASYMBOLSUM text.
enum class PxSymbol : std::uint8_t { kNumber = 0, kDot1 = 1, kDot6 = 6, kNil = 7, kSum = 8 };

// How a STUB variable's value is written at the start of each row of keyed DATA (KEYS).
enum class PxKey : std::uint8_t { kNone, kValues, kCodes };

struct PxVariable {
  std::string name;                        // in the chosen language
  std::string default_name;                // in the file's default language (the keywords' subkey)
  std::string code;                        // VARIABLECODE, else the default-language name
  std::vector<std::string> values;         // labels in the chosen language
  std::vector<std::string> codes;          // CODES, else the default-language labels
  std::vector<std::size_t> value_offsets;  // where each value is written (for messages)
  std::size_t offset = 0;                  // where VALUES for it is written
  bool heading = false;                    // in HEADING (else STUB)
  bool content = false;                    // the CONTVARIABLE
  bool time = false;                       // has TIMEVAL (or VARIABLE-TYPE "Time")
  std::vector<std::int64_t> periods;       // with TIMEVAL: each value's PeriodKey
  std::optional<std::size_t> elimination;  // the value ELIMINATION names: the total
  PxKey key = PxKey::kNone;                // KEYS("v")=VALUES or CODES
  std::vector<std::string> keys;           // with KEYS: what a row writes for each value
};

// What the table says about one content value (or, without a CONTVARIABLE, the whole table).
struct PxContent {
  std::string units;       // UNITS
  int decimals = -1;       // DECIMALS (-1: not given)
  int show_decimals = -1;  // SHOWDECIMALS (-1: not given)
  int precision = -1;      // PRECISION(content variable, value) (-1: not given)

  // The decimals to show this content's values with: PRECISION, else SHOWDECIMALS, else
  // DECIMALS (each 0–15); nullopt when the file gives none of them.
  std::optional<int> Shown() const {
    for (int given : {precision, show_decimals, decimals}) {
      if (given >= 0 && given <= 15) return given;  // the specification's range
    }
    return std::nullopt;
  }
};

struct PxNote {
  std::size_t offset = 0;
  std::string text;  // "NOTE: …", "VALUENOTE region=Stockholm: …", "unknown keyword FOO=…"
};

struct PxTable {
  std::string file;
  std::string table_id;                // TABLEID, else MATRIX
  std::string title;                   // TITLE, else DESCRIPTION, else CONTENTS
  std::string contents;                // CONTENTS
  std::string language;                // the language read ("sv"); empty when the file names none
  std::vector<std::string> languages;  // LANGUAGES
  std::vector<PxVariable> variables;   // STUB then HEADING
  std::optional<std::size_t> content_variable;
  std::vector<PxContent> contents_meta;     // one per content value, or one
  std::array<std::string, 9> symbol_texts;  // by PxSymbol: DATASYMBOL1–6, NIL, SUM texts
  std::vector<PxNote> notes;
  std::size_t data_offset = 0;
  std::uint64_t cells = 0;  // the product of the variables' value counts
  // One per cell, in DATA's order: the number (NaN with a symbol) and the symbol.
  std::vector<double> values;
  std::vector<PxSymbol> symbols;
  // Where the cells are: DATA's lines from data_line on, each with the first cell that starts
  // on it (nondecreasing; a line without cells repeats the next cell). Kept per line rather than
  // per cell, as a DATA line holds a row of cells.
  std::uint32_t data_line = 1;
  std::vector<std::uint64_t> line_first_cell;
  // Keyed DATA (KEYS): each STUB combination's row of HEADING cells is written on its own line,
  // in any order, and rows of zeros are left out. row_lines holds each row's line (0: not
  // written, its cells are zero), row_cells the cells of one row; line_first_cell is unused.
  bool keyed = false;
  std::uint64_t row_cells = 0;
  std::vector<std::uint32_t> row_lines;

  // The line a cell starts on (cell < cells).
  std::uint32_t Line(std::uint64_t cell) const;
  PxEncoding encoding = PxEncoding::kWindows1252;
};

struct PxReadOptions {
  std::string language;  // read this language's texts ("en"); empty: the file's default
};

// Reads a whole PX file. Fails with ProblemsError (every problem as "FILE:LINE:COLUMN") on any
// problem: a codepage that does not match the bytes, a keyword that does not parse, a variable
// without VALUES, VALUES and CODES (or the languages' VALUES) of different lengths, a TIMEVAL
// that does not match its values, a language the file lacks, a DATA cell that is neither a
// number nor a symbol, DATA with more or fewer cells than the variables give. A keyword it does
// not know is a note, not a problem. Never throws.
Result<PxTable> ReadPxTable(std::string_view text, std::string_view file_name,
                            const PxReadOptions& options);

// Reads the DATA of `table` (its variables read) from `text`: values, symbols and where they are.
// Problems at their cell; internal to ReadPxTable, declared for px_data.cpp. With KEYS, the rows
// of keys and cells (docs/px.md): a key that is none of its variable's VALUES or CODES, a row
// written twice or a row of another length than the HEADING gives is a problem at the row.
void ReadPxData(std::string_view text, PxTable& table, PxProblems& problems);

// The periods a TIMEVAL value gives: TLIST(A1|H1|Q1|M1|W1) (SSB's TLIST(K) read as quarters)
// with a list ("2022","2023" after the TLIST) or a range (TLIST(A1, "1994"-"1996")). Problems
// at the items; an empty result when it fails.
std::vector<std::int64_t> ReadTimeval(const std::vector<PxItem>& items, std::size_t offset,
                                      PxProblems& problems);

}  // namespace halsonav::statsio
