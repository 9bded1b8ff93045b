#include "core/text.hpp"

#include <arpa/inet.h>

#include <cstdint>

namespace halsonav {

std::string LowerCase(std::string_view text) {
  std::string out(text);
  for (std::size_t pos = 0; pos < out.size(); ++pos) {
    const auto c = static_cast<unsigned char>(out[pos]);
    if (c >= 'A' && c <= 'Z') {
      out[pos] = static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && pos + 1 < out.size()) {
      // U+00C0–U+00DE are C3 80–C3 9E; their small letters are 0x20 further (U+00D7 × is none).
      const auto next = static_cast<unsigned char>(out[pos + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97)
        out[pos + 1] = static_cast<char>(next + 0x20);
      ++pos;
    }
  }
  return out;
}

void AppendPointerToken(std::string& pointer, std::string_view key) {
  pointer.push_back('/');
  // Keys rarely hold '~' or '/': append them whole (this runs for every key a reader walks).
  auto special = key.find_first_of("~/");
  if (special == std::string_view::npos) {
    pointer.append(key);
    return;
  }
  pointer.reserve(pointer.size() + key.size() + 8);
  for (const char c : key) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

std::string EscapePointerToken(std::string_view key) {
  std::string pointer;
  AppendPointerToken(pointer, key);
  return pointer.substr(1);
}

std::string ChildPointer(std::string_view pointer, std::string_view key) {
  std::string out(pointer);
  AppendPointerToken(out, key);
  return out;
}

std::string UnescapePointerToken(std::string_view token) {
  std::string key;
  key.reserve(token.size());
  for (std::size_t pos = 0; pos < token.size(); ++pos) {
    if (token[pos] == '~' && pos + 1 < token.size()) {
      key += token[pos + 1] == '1' ? '/' : '~';
      ++pos;
    } else {
      key += token[pos];
    }
  }
  return key;
}

std::size_t FirstInvalidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t smallest = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1Fu;
      smallest = 0x80;
    } else if ((lead & 0xF0u) == 0xE0) {
      length = 3;
      code_point = lead & 0x0Fu;
      smallest = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07u;
      smallest = 0x10000;
    } else {
      return pos;
    }
    if (pos + length > text.size()) return pos;
    for (std::size_t idx = 1; idx < length; ++idx) {
      const auto next = static_cast<unsigned char>(text[pos + idx]);
      if ((next & 0xC0u) != 0x80) return pos;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return pos;
    }
    pos += length;
  }
  return std::string_view::npos;
}

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n\v\f";
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

bool IsIpAddress(const std::string& text) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

}  // namespace halsonav
