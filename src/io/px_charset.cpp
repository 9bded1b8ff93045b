#include "io/px_charset.hpp"

#include <array>
#include <cstdint>

#include "io/csv.hpp"

namespace halsonav::statsio {
namespace {

// windows-1252's 0x80–0x9F (0 where it has no character).
constexpr std::array<char16_t, 32> kWindows1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendCodePoint(char32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// ISO-8859-15 differs from ISO-8859-1 in eight places (€, Š, š, Ž, ž, Œ, œ, Ÿ).
char32_t Latin9(unsigned char byte) {
  switch (byte) {
    case 0xA4:
      return 0x20AC;
    case 0xA6:
      return 0x0160;
    case 0xA8:
      return 0x0161;
    case 0xB4:
      return 0x017D;
    case 0xB8:
      return 0x017E;
    case 0xBC:
      return 0x0152;
    case 0xBD:
      return 0x0153;
    case 0xBE:
      return 0x0178;
    default:
      return byte;
  }
}

std::string Folded(std::string_view codepage) {
  std::string folded;
  for (char c : codepage) {
    if (c == '-' || c == '_' || c == ' ') continue;
    folded.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return folded;
}

}  // namespace

std::optional<PxEncoding> PxEncodingOf(std::string_view codepage) {
  const std::string folded = Folded(codepage);
  if (folded == "utf8") return PxEncoding::kUtf8;
  if (folded == "windows1252" || folded == "cp1252" || folded == "ansi" || folded == "iso88591" ||
      folded == "latin1" || folded == "iso885911987" || folded == "l1") {
    return PxEncoding::kWindows1252;
  }
  if (folded == "iso885915" || folded == "latin9" || folded == "l9") return PxEncoding::kLatin9;
  return std::nullopt;
}

bool HasNonAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::optional<std::size_t> AppendUtf8(std::string_view bytes, PxEncoding encoding,
                                      std::string& out) {
  if (encoding == PxEncoding::kUtf8) {
    if (const auto bad = csv::FirstInvalidUtf8(bytes); bad != std::string_view::npos) {
      out.append(bytes.substr(0, bad));
      return bad;
    }
    out.append(bytes);
    return std::nullopt;
  }
  out.reserve(out.size() + bytes.size());
  for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
    const auto byte = static_cast<unsigned char>(bytes[pos]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(byte));
    } else if (encoding == PxEncoding::kLatin9) {
      AppendCodePoint(Latin9(byte), out);
    } else if (byte < 0xA0) {
      const char16_t code_point = kWindows1252High[byte - 0x80];
      if (code_point == 0) return pos;
      AppendCodePoint(code_point, out);
    } else {
      AppendCodePoint(byte, out);
    }
  }
  return std::nullopt;
}

}  // namespace halsonav::statsio
