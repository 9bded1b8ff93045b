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

// Parses text as JSON; a syntax error becomes kMalformedJson with 1-based line and column.
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
