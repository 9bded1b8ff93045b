#include "io/jsonstat_document.hpp"

// The text a JSON-stat file is parsed from: the padded copy that simdjson needs, kept between
// files, and a long value array's elements left out of it (Document, in jsonstat_document.hpp).

#include <string.h>  // memmem

#include <cstring>

#include "io/huge_pages.hpp"

namespace halsonav::statsio::jsonstat {
namespace {

// simdjson's parser keeps its buffers between documents: a fresh one per file would allocate
// (and fault in) them anew every time. Each thread keeps one for files up to kReusedParserBytes;
// a larger file gets its own, so that one huge import does not pin its buffers for good.
constexpr std::size_t kReusedParserBytes = std::size_t{64} << 20;

od::parser& ThreadParser() {
  thread_local od::parser parser;
  return parser;
}

PaddedText& ThreadText() {
  thread_local PaddedText text;
  return text;
}

bool IsBlank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The first character from `at` on that is no JSON whitespace (text.size() if none).
std::size_t SkipBlanks(std::string_view text, std::size_t at) {
  while (at < text.size() && IsBlank(text[at])) ++at;
  return at;
}

}  // namespace

Document::Document(std::size_t size)
    : parser(size <= kReusedParserBytes ? ThreadParser() : own_parser),
      padded(size <= kReusedParserBytes ? ThreadText() : own_text) {}

void Document::Load(std::string_view source, bool cut) {
  cut_at = nullptr;
  cut_source = nullptr;
  std::optional<ValueCut> found;
  if (cut) found = FindLongValueArray(source);
  if (!found) {
    text = padded.Load(source);
    return;
  }
  text = padded.Load(source, found->begin, found->end);
  cut_at = text.data() + found->begin - 1;
  cut_source = source.data() + found->begin - 1;
}

simdjson::padded_string_view PaddedText::Load(std::string_view text, std::size_t cut_begin,
                                              std::size_t cut_end) {
  const std::size_t size = text.size() - (cut_end - cut_begin);
  const std::size_t needed = size + simdjson::SIMDJSON_PADDING;
  if (capacity_ < needed) {
    data_.reset(new char[needed]);
    capacity_ = needed;
    AdviseHugePages(data_.get(), capacity_);
  }
  std::memcpy(data_.get(), text.data(), cut_begin);
  std::memcpy(data_.get() + cut_begin, text.data() + cut_end, text.size() - cut_end);
  // The padding is zero: ScanCellValue's loops stop at it.
  std::memset(data_.get() + size, 0, simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(data_.get(), size, needed);
}

std::optional<ValueCut> FindLongValueArray(std::string_view text) {
  constexpr std::string_view kKey = "\"value\"";
  if (text.size() < kMinValueCut) return std::nullopt;
  std::size_t from = 0;
  while (from < text.size()) {
    // glibc's memmem: several GB/s where string_view::find stops at every quote.
    const void* hit = memmem(text.data() + from, text.size() - from, kKey.data(), kKey.size());
    if (hit == nullptr) return std::nullopt;
    const std::size_t key = static_cast<const char*>(hit) - text.data();
    from = key + 1;
    std::size_t at = SkipBlanks(text, key + kKey.size());
    if (at >= text.size() || text[at] != ':') continue;
    at = SkipBlanks(text, at + 1);
    if (at >= text.size() || text[at] != '[') continue;
    const std::size_t begin = at + 1;
    const void* close = std::memchr(text.data() + begin, ']', text.size() - begin);
    if (close == nullptr) return std::nullopt;
    const std::size_t end = static_cast<const char*>(close) - text.data();
    // Elements, not only blanks: pass 1 must see an empty array for what it is.
    if (end - begin >= kMinValueCut && SkipBlanks(text, begin) < end) {
      return ValueCut{begin, end};
    }
    from = end;
  }
  return std::nullopt;
}

}  // namespace halsonav::statsio::jsonstat
