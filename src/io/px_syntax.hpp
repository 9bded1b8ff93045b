#pragma once

// The syntax of PX files (PC-Axis; docs/px.md): the keywords before DATA, each
// `NAME[lang]("sub","keys")=value;`, with values that are lists of quoted strings (a string
// continued over lines as adjacent quoted strings), bare words (YES, 2, TLIST(A1)) and ranges
// ("1994"-"1996"). Keywords are read on the raw bytes (their structure is ASCII in every
// codepage PX files use); the strings are decoded to UTF-8 once the file's encoding is known.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/problems.hpp"
#include "io/px_charset.hpp"

namespace halsonav::statsio {

// "FILE:LINE:COLUMN" of byte offsets in one file; lines counted from 1, columns in characters
// (UTF-8 continuation bytes do not count). The line index grows as far as the offsets asked
// for, so that places in the header do not cost a scan of the whole DATA.
class PxPositions {
 public:
  PxPositions(std::string_view text, std::string_view file_name, bool utf8)
      : text_(text), file_name_(file_name), utf8_(utf8) {}
  void SetUtf8(bool utf8) { utf8_ = utf8; }
  std::uint32_t Line(std::size_t offset) const;
  std::string Where(std::size_t offset) const;
  std::string_view FileName() const { return file_name_; }

 private:
  std::string_view text_;
  std::string file_name_;
  bool utf8_;
  mutable std::vector<std::size_t> line_starts_;  // of the lines up to scanned_
  mutable std::size_t scanned_ = 0;
};

// The problems of one PX file at their places: the first kMax listed, the rest counted
// (io/problems.hpp's ProblemList).
class PxProblems {
 public:
  static constexpr std::size_t kMax = 100;
  explicit PxProblems(const PxPositions& positions) : positions_(positions), list_(kMax) {}
  void Add(std::size_t offset, std::string message);
  bool Empty() const { return list_.empty(); }
  bool Full() const { return list_.Full(); }
  const PxPositions& Positions() const { return positions_; }
  // ProblemsError of the list, with "N more problems not listed" when some were left out.
  tl::unexpected<Error> Fail();

 private:
  const PxPositions& positions_;
  ProblemList list_;
};

// One element of a keyword's value.
struct PxItem {
  std::string text;            // a string's content (adjacent strings joined), or the bare word
  bool quoted = false;         // a quoted string (else a bare word: YES, 2, TLIST(A1))
  bool range_to_next = false;  // this and the next item are a range: "1994"-"1996"
  std::size_t offset = 0;      // where it starts in the file
};

struct PxKeyword {
  std::string name;                  // upper case: "VALUES", "AXIS-VERSION"
  std::string language;              // "sv" for VALUES[sv]; empty for the default language
  std::vector<std::string> subkeys;  // ("region") or ("tabellinnehåll","Skattesats, total")
  std::vector<PxItem> items;
  std::size_t offset = 0;  // where the keyword starts
};

struct PxHeader {
  std::vector<PxKeyword> keywords;  // in file order, strings decoded to UTF-8
  PxEncoding encoding = PxEncoding::kWindows1252;
  std::size_t data_offset = std::string_view::npos;  // first byte after "DATA="; npos: no DATA
  std::size_t data_keyword_offset = 0;
};

// Reads the keywords up to DATA and decides the encoding: a UTF-8 byte order mark, or a header
// that is valid UTF-8 with letters outside ASCII, is UTF-8 whatever CODEPAGE says; otherwise
// CODEPAGE (or, without one, windows-1252). A header that is valid in neither — CODEPAGE says
// UTF-8 and a byte is not, or a byte is no character in the declared codepage — is a problem at
// that byte, as is a keyword that does not parse. `positions` learns the encoding.
PxHeader ReadPxHeader(std::string_view text, PxPositions& positions, PxProblems& problems);

// Decodes bytes of the file (a DATA symbol) as the header's encoding; false on a bad byte.
bool DecodePx(std::string_view bytes, PxEncoding encoding, std::string& out);

}  // namespace halsonav::statsio
