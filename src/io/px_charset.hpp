#pragma once

// The character sets of PX files (docs/px.md): what a file's CHARSET and CODEPAGE declare, what
// its bytes really are, and the decoding of its strings to UTF-8. PX files come as UTF-8 (modern
// StatFin), windows-1252 (CHARSET="ANSI", the PC-Axis default), ISO-8859-1 and ISO-8859-15; some
// declare one and hold another (PxBuild writes UTF-8 under CODEPAGE="iso-8859-15").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace halsonav::statsio {

enum class PxEncoding { kUtf8, kWindows1252, kLatin9 };

// The encoding a CODEPAGE value names ("UTF-8", "iso-8859-1", "windows-1252", "cp1252",
// "iso-8859-15", "latin1"…; case and '-'/'_' ignored). ISO-8859-1 is read as windows-1252, as
// browsers do: the two agree except in 0x80–0x9F, where ISO-8859-1 has only control characters.
// nullopt for a codepage Hälsonav does not read.
std::optional<PxEncoding> PxEncodingOf(std::string_view codepage);

// Whether `bytes` holds any byte ≥ 0x80.
bool HasNonAscii(std::string_view bytes);

// Appends `bytes` decoded from `encoding` to `out` as UTF-8. Returns the offset of the first byte
// that is no character in that encoding (windows-1252's 0x81, 0x8D, 0x8F, 0x90, 0x9D; any
// invalid UTF-8, as csv::FirstInvalidUtf8 finds it), having stopped there; nullopt when all of
// it decoded.
std::optional<std::size_t> AppendUtf8(std::string_view bytes, PxEncoding encoding,
                                      std::string& out);

}  // namespace halsonav::statsio
