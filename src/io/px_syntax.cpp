#include "io/px_syntax.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "io/csv.hpp"

namespace halsonav::statsio {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

// Reads the raw keywords; strings are still in the file's bytes.
class Scanner {
 public:
  Scanner(std::string_view text, PxProblems& problems) : text_(text), problems_(problems) {
    if (text_.starts_with(kUtf8Bom)) pos_ = kUtf8Bom.size();
  }

  void Run(PxHeader& header) {
    while (!problems_.Full()) {
      SkipSpace();
      if (pos_ >= text_.size()) return;
      PxKeyword keyword;
      keyword.offset = pos_;
      if (!ReadKeywordHead(keyword)) {
        SkipPastSemicolon();
        continue;
      }
      if (keyword.name == "DATA") {
        header.data_keyword_offset = keyword.offset;
        header.data_offset = pos_;
        return;
      }
      if (!ReadValue(keyword)) {
        SkipPastSemicolon();
        continue;
      }
      header.keywords.push_back(std::move(keyword));
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  void SkipPastSemicolon() {
    bool quoted = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') quoted = !quoted;
      if (c == ';' && !quoted) return;
    }
  }

  // NAME, [lang], ("sub","keys") and '='.
  bool ReadKeywordHead(PxKeyword& keyword) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    if (pos_ == start) {
      problems_.Add(start, "expected a keyword (NAME=value;)");
      return false;
    }
    keyword.name = Upper(text_.substr(start, pos_ - start));
    if (pos_ < text_.size() && text_[pos_] == '[') {
      const std::size_t close = text_.find(']', pos_);
      if (close == std::string_view::npos || close - pos_ > 20) {
        problems_.Add(pos_, fmt::format("{}[ has no closing ']'", keyword.name));
        return false;
      }
      keyword.language = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
    }
    if (pos_ < text_.size() && text_[pos_] == '(') {
      ++pos_;
      if (!ReadSubkeys(keyword)) return false;
    }
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != '=') {
      problems_.Add(pos_, fmt::format("expected '=' after the keyword {}", keyword.name));
      return false;
    }
    ++pos_;
    return true;
  }

  bool ReadSubkeys(PxKeyword& keyword) {
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == '"') {
        auto text = ReadString();
        if (!text) return false;
        keyword.subkeys.push_back(std::move(*text));
      } else {
        // A bare subkey, as some writers leave it: ELIMINATION(region)=YES.
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ')' &&
               text_[pos_] != '\n' && text_[pos_] != ';') {
          ++pos_;
        }
        std::string_view word = text_.substr(start, pos_ - start);
        while (!word.empty() && IsSpace(word.back())) word.remove_suffix(1);
        keyword.subkeys.emplace_back(word);
      }
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ')') {
        ++pos_;
        return true;
      }
      break;
    }
    problems_.Add(pos_, fmt::format("the keys of {}( have no closing ')'", keyword.name));
    return false;
  }

  // A quoted string and any strings right after it (continued over lines), joined. A string
  // may hold a line break (SSB's notes do): it is kept as "\n".
  std::optional<std::string> ReadString() {
    std::string joined;
    while (true) {
      const std::size_t open = pos_;
      const std::size_t close = text_.find('"', open + 1);
      if (close == std::string_view::npos) {
        problems_.Add(open, "a string is not closed (\"…\" before the file ends)");
        pos_ = text_.size();
        return std::nullopt;
      }
      for (char c : text_.substr(open + 1, close - open - 1)) {
        if (c != '\r') joined.push_back(c);
      }
      pos_ = close + 1;
      const std::size_t after = pos_;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == '"') continue;
      pos_ = after;
      return joined;
    }
  }

  bool ReadValue(PxKeyword& keyword) {
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) {
        problems_.Add(keyword.offset, fmt::format("{} has no ';' at its end", keyword.name));
        return false;
      }
      const char c = text_[pos_];
      if (c == ';') {
        ++pos_;
        return true;
      }
      if (c == ',') {
        ++pos_;
        continue;
      }
      if (c == '-' && !keyword.items.empty() && keyword.items.back().quoted) {
        keyword.items.back().range_to_next = true;
        ++pos_;
        continue;
      }
      PxItem item;
      item.offset = pos_;
      if (c == '"') {
        auto text = ReadString();
        if (!text) return false;
        item.text = std::move(*text);
        item.quoted = true;
      } else if (!ReadWord(item)) {
        return false;
      }
      keyword.items.push_back(std::move(item));
    }
  }

  // A bare word; one with parentheses (TLIST(A1, "1994"-"1996")) runs to its ')'.
  bool ReadWord(PxItem& item) {
    const std::size_t start = pos_;
    int depth = 0;
    bool quoted = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') break;
      if (c == '"') quoted = !quoted;
      if (!quoted) {
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (depth == 0 && (c == ',' || c == ';' || IsSpace(c))) break;
      }
      ++pos_;
    }
    if (quoted) {
      problems_.Add(start, "a string is not closed on its line");
      return false;
    }
    if (depth != 0) {
      problems_.Add(start, "a '(' has no ')' on its line");
      return false;
    }
    item.text = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  std::string_view text_;
  PxProblems& problems_;
  std::size_t pos_ = 0;
};

const PxKeyword* Find(const PxHeader& header, std::string_view name) {
  for (const auto& keyword : header.keywords) {
    if (keyword.name == name && keyword.language.empty() && keyword.subkeys.empty()) {
      return &keyword;
    }
  }
  return nullptr;
}

// The first byte of the header that is no character in `encoding`.
std::optional<std::size_t> FirstBadByte(std::string_view header, PxEncoding encoding) {
  if (encoding == PxEncoding::kUtf8) {
    const auto bad = csv::FirstInvalidUtf8(header);
    return bad == std::string_view::npos ? std::nullopt : std::optional<std::size_t>(bad);
  }
  if (encoding == PxEncoding::kLatin9) return std::nullopt;
  for (std::size_t pos = 0; pos < header.size(); ++pos) {
    const auto byte = static_cast<unsigned char>(header[pos]);
    if (byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D) return pos;
  }
  return std::nullopt;
}

// Decides the file's encoding; a problem when its bytes fit none it could be.
// `positions` counts columns in characters of the encoding decided.
PxEncoding DecideEncoding(std::string_view text, const PxHeader& header, PxPositions& positions,
                          PxProblems& problems) {
  const std::string_view head =
      text.substr(0, std::min(header.data_offset, text.size()));  // npos: all of it
  if (text.starts_with(kUtf8Bom)) return PxEncoding::kUtf8;
  const bool ascii = !HasNonAscii(head);
  const std::size_t invalid = ascii ? std::string_view::npos : csv::FirstInvalidUtf8(head);
  if (!ascii && invalid == std::string_view::npos) {
    return PxEncoding::kUtf8;  // whatever CODEPAGE says: PxBuild's files lie
  }
  if (!ascii && HasNonAscii(head.substr(0, invalid))) {
    // UTF-8 letters, then a byte that is not UTF-8: no one codepage reads the whole file.
    problems.Add(invalid, fmt::format("byte 0x{:02X} is not UTF-8, though the letters before it "
                                      "are: the file mixes UTF-8 with another codepage",
                                      static_cast<unsigned char>(head[invalid])));
    return PxEncoding::kUtf8;
  }
  positions.SetUtf8(false);
  const PxKeyword* codepage = Find(header, "CODEPAGE");
  PxEncoding encoding = PxEncoding::kWindows1252;  // CHARSET="ANSI" and the PC-Axis default
  std::string declared = "windows-1252";
  if (codepage != nullptr && !codepage->items.empty()) {
    declared = codepage->items.front().text;
    auto named = PxEncodingOf(declared);
    if (!named) {
      if (!ascii) {
        problems.Add(codepage->items.front().offset,
                     fmt::format("CODEPAGE \"{}\" is not one Hälsonav reads (UTF-8, "
                                 "windows-1252, iso-8859-1, iso-8859-15): save the file in one "
                                 "of them",
                                 declared));
      }
      return encoding;
    }
    encoding = *named;
  }
  if (ascii) return encoding;
  positions.SetUtf8(encoding == PxEncoding::kUtf8);
  if (auto bad = FirstBadByte(head, encoding)) {
    problems.Add(*bad, fmt::format("byte 0x{:02X} is no character in {}, the file's codepage: "
                                   "the codepage does not match the file's bytes",
                                   static_cast<unsigned char>(head[*bad]), declared));
  }
  return encoding;
}

void DecodeAll(PxHeader& header) {
  auto decode = [&](std::string& text) {
    if (!HasNonAscii(text)) return;
    std::string out;
    AppendUtf8(text, header.encoding, out);  // checked by DecideEncoding
    text = std::move(out);
  };
  for (auto& keyword : header.keywords) {
    for (auto& subkey : keyword.subkeys) decode(subkey);
    for (auto& item : keyword.items) decode(item.text);
  }
}

}  // namespace

std::uint32_t PxPositions::Line(std::size_t offset) const {
  if (line_starts_.empty()) line_starts_.push_back(0);
  while (scanned_ < text_.size() && scanned_ <= offset) {
    const std::size_t newline = text_.find('\n', scanned_);
    if (newline == std::string_view::npos) {
      scanned_ = text_.size();
      break;
    }
    line_starts_.push_back(newline + 1);
    scanned_ = newline + 1;
  }
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<std::uint32_t>(after - line_starts_.begin());
}

std::string PxPositions::Where(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const std::uint32_t line = Line(offset);
  std::size_t column = 1;
  for (std::size_t pos = line_starts_[line - 1]; pos < offset; ++pos) {
    const auto byte = static_cast<unsigned char>(text_[pos]);
    if (!utf8_ || (byte & 0xC0) != 0x80) ++column;
  }
  return csv::Where(file_name_, line, column);
}

void PxProblems::Add(std::size_t offset, std::string message) {
  // A problem past the list is only counted: its place is not worth a scan for its line.
  list_.Add(list_.Full() ? std::string() : positions_.Where(offset), std::move(message));
}

tl::unexpected<Error> PxProblems::Fail() {
  list_.NoteUnlisted(std::string(positions_.FileName()));
  return ProblemsError(list_.list(), positions_.FileName());
}

PxHeader ReadPxHeader(std::string_view text, PxPositions& positions, PxProblems& problems) {
  PxHeader header;
  Scanner(text, problems).Run(header);
  header.encoding = DecideEncoding(text, header, positions, problems);
  positions.SetUtf8(header.encoding == PxEncoding::kUtf8);
  DecodeAll(header);
  return header;
}

bool DecodePx(std::string_view bytes, PxEncoding encoding, std::string& out) {
  return !AppendUtf8(bytes, encoding, out);
}

}  // namespace halsonav::statsio
