#pragma once

// Small text helpers that every layer needs, written once (CONVENTIONS.md, "One helper per
// job"): case folding and JSON-pointer tokens (RFC 6901).

#include <cstddef>
#include <string>
#include <string_view>

namespace halsonav {

// `text` in lower case: ASCII letters, and the capitals of UTF-8's Latin-1 block (À–Þ but ×,
// so Å, Ä, Ö, É, Ü…) folded to their small letters. Other bytes are kept as they are; the
// result has the same length. Locale-independent.
std::string LowerCase(std::string_view text);

// A key as one JSON-pointer token: "~" becomes "~0" and "/" becomes "~1".
std::string EscapePointerToken(std::string_view key);

// Appends "/" and the escaped `key` to `pointer`.
void AppendPointerToken(std::string& pointer, std::string_view key);

// "/" and the escaped key after `pointer`: the pointer of an object's member.
std::string ChildPointer(std::string_view pointer, std::string_view key);

// The key a JSON-pointer token stands for ("~1" → "/", "~0" → "~").
std::string UnescapePointerToken(std::string_view token);

// `text` without the ASCII white space around it (space, tab, CR, LF, VT, FF: what isspace
// means in the C locale).
std::string_view TrimWhitespace(std::string_view text);

// Whether `text` is an IPv4 address in dotted form or an IPv6 address (inet_pton's forms).
bool IsIpAddress(const std::string& text);

// The byte offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or npos.
std::size_t FirstInvalidUtf8(std::string_view text);

}  // namespace halsonav
