#include "io/stats_format.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace halsonav::statsio {
namespace {

constexpr std::size_t kSniffBytes = 1 << 20;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trimmed(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  return text;
}

// A PX keyword at the start: NAME[lang]("subkey")= with NAME in capitals, and DATA= further on.
bool LooksLikePx(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size() && ((text[pos] >= 'A' && text[pos] <= 'Z') ||
                               (text[pos] >= '0' && text[pos] <= '9') || text[pos] == '-')) {
    ++pos;
  }
  if (pos < 2 || pos >= text.size()) return false;
  if (text[pos] != '=' && text[pos] != '[' && text[pos] != '(') return false;
  const std::string_view head = text.substr(0, kSniffBytes);
  return head.find("DATA=") != std::string_view::npos ||
         head.find("VALUES(") != std::string_view::npos ||
         head.find("STUB=") != std::string_view::npos ||
         head.find("HEADING=") != std::string_view::npos;
}

// The object keys at depth 1 and 2 of a JSON text's first megabyte.
void JsonKeys(std::string_view text, std::vector<std::string>& top,
              std::vector<std::string>& second) {
  text = text.substr(0, kSniffBytes);
  int depth = 0;
  std::vector<char> open;  // '{' or '['
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '{' || c == '[') {
      open.push_back(c);
      depth = static_cast<int>(open.size());
    } else if (c == '}' || c == ']') {
      if (!open.empty()) open.pop_back();
      depth = static_cast<int>(open.size());
    } else if (c == '"') {
      std::size_t close = pos + 1;
      while (close < text.size() && text[close] != '"') close += text[close] == '\\' ? 2 : 1;
      if (close >= text.size()) return;
      std::size_t after = close + 1;
      while (after < text.size() && IsSpace(text[after])) ++after;
      const bool key =
          after < text.size() && text[after] == ':' && !open.empty() && open.back() == '{';
      if (key && depth == 1) top.emplace_back(text.substr(pos + 1, close - pos - 1));
      if (key && depth == 2) second.emplace_back(text.substr(pos + 1, close - pos - 1));
      pos = close;
    }
  }
}

bool Has(const std::vector<std::string>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool EndsWith(std::string_view name, std::string_view extension) {
  if (name.size() < extension.size()) return false;
  auto tail = name.substr(name.size() - extension.size());
  return std::equal(tail.begin(), tail.end(), extension.begin(), [](char left, char right) {
    return (left >= 'A' && left <= 'Z' ? left - 'A' + 'a' : left) == right;
  });
}

}  // namespace

StatsFileFormat DetectStatsFormat(std::string_view text, std::string_view file_name) {
  const std::string_view start = Trimmed(text);
  if (LooksLikePx(start)) return StatsFileFormat::kPx;
  if (start.starts_with('{') || start.starts_with('[')) {
    std::vector<std::string> top, second;
    JsonKeys(start, top, second);
    const bool jsonstat = Has(top, "class") || Has(top, "dimension") || Has(top, "version") ||
                          (Has(top, "id") && Has(top, "size")) || Has(second, "dimension");
    if (!jsonstat && (Has(top, "values") || (start.starts_with('[') && Has(second, "values")))) {
      return StatsFileFormat::kKolada;
    }
    return StatsFileFormat::kJsonStat;
  }
  if (EndsWith(file_name, ".px")) return StatsFileFormat::kPx;
  if (EndsWith(file_name, ".json")) return StatsFileFormat::kJsonStat;
  return StatsFileFormat::kCsv;
}

}  // namespace halsonav::statsio
