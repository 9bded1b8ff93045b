#pragma once

// The JSON form of the domain types, as the API and the change history show them, and strict
// decoding of what a client sends: an unknown field, a wrong type or a missing required field is
// an error naming the field by JSON pointer. Pure functions over in-memory values.

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/domain.hpp"
#include "core/error.hpp"

namespace halsonav {

using Json = nlohmann::json;

// kCreate: required fields must be present. kPatch: only the fields present are changed (null
// clears an optional field), and fields fixed after creation may not change.
enum class DecodeMode { kCreate, kPatch };

// How deeply JSON may nest (arrays and objects) in anything Hälsonav reads: far more than any
// document it knows needs (a plan of 64 levels nests ~135 deep), far less than would exhaust a
// stack in code that walks the result recursively.
inline constexpr std::size_t kMaxJsonDepth = 200;

// The first place where `text`, read as JSON, nests deeper than `limit` (strings are skipped,
// so brackets inside them do not count): kMalformedJson with line and column, or nothing.
// Linear and allocation-free, so it runs before a parser builds anything.
Result<void> CheckJsonDepth(std::string_view text, std::size_t limit = kMaxJsonDepth);

// Parses text as JSON; a syntax error, or nesting deeper than kMaxJsonDepth, becomes
// kMalformedJson with 1-based line and column.
Result<Json> ParseJson(std::string_view text);

Json ToJson(const Actor& actor);
Json ToJson(const Unit& unit);
Json ToJson(const NodeKind& kind);
Json ToJson(const Framework& framework);
Json ToJson(const Node& node);
Json ToJson(const Measure& measure);
Json ToJson(const Adoption& adoption);
Json ToJson(const Classification& classification);
Json ToJson(const FrameworkContent& content);

// Appends the same JSON as ToJson(measure).dump() (keys in the same order), written directly
// without building a DOM: ~10x faster, for the framework tree's thousands of measures. Strings
// must be valid UTF-8 (all stored text came through ParseJson).
void AppendJson(std::string& out, const Measure& measure);

// Apply the writable fields of `body` onto `out`. Read-only fields (id, version, deleted,
// timestamps, derived fields) are accepted and ignored, so a client may send back what it read.
Result<void> Decode(const Json& body, DecodeMode mode, Actor& out);
Result<void> Decode(const Json& body, DecodeMode mode, Unit& out);
Result<void> Decode(const Json& body, DecodeMode mode, Framework& out);
Result<void> Decode(const Json& body, DecodeMode mode, Node& out);
Result<void> Decode(const Json& body, DecodeMode mode, Measure& out);
Result<void> Decode(const Json& body, DecodeMode mode, Adoption& out);
Result<void> Decode(const Json& body, DecodeMode mode, FrameworkContent& out);

}  // namespace halsonav
