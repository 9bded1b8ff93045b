#include "core/json_codec.hpp"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/json_reader.hpp"

namespace halsonav {

using json_read::ObjectReader;

// Read by json_read::ReadValue through argument-dependent lookup, so not in an unnamed namespace.
Result<void> ReadObject(const Json& value, const std::string& pointer, Responsible& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor_id", out.actor_id)
      .Optional("unit_ids", out.unit_ids)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, Partner& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor_id", out.actor_id)
      .Required("role", out.role)
      .Optional("unit_ids", out.unit_ids)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, NodeKind& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("key", out.key)
      .Required("label", out.label)
      .Optional("root", out.root)
      .Optional("parents", out.parents)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, NodeContact& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor_id", out.actor_id)
      .Optional("unit_id", out.unit_id)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, IndicatorRef& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .OptionalText("code", out.code)
      .Required("title", out.title)
      .OptionalText("unit", out.unit)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ResultGoal& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Optional("code", out.code)
      .Required("title", out.title)
      .Optional("text", out.text)
      .Optional("node_ids", out.node_ids)
      .Optional("indicators", out.indicators)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, FollowUpItem& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("kind", out.kind)
      .Optional("code", out.code)
      .Required("text", out.text)
      .Optional("node_ids", out.node_ids)
      .Optional("indicator", out.indicator)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, FollowUp& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Optional("baseline_year", out.baseline_year)
      .Optional("follow_up_year", out.follow_up_year)
      .Optional("text", out.text)
      .Optional("items", out.items)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ForumMember& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("actor_id", out.actor_id)
      .Optional("unit_ids", out.unit_ids)
      .Optional("role", out.role)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, ForumGroup& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("name", out.name)
      .Optional("members", out.members)
      .Finish();
}

Result<void> ReadObject(const Json& value, const std::string& pointer, Forum& out) {
  return ObjectReader(value, DecodeMode::kCreate, pointer)
      .Required("name", out.name)
      .Optional("text", out.text)
      .Optional("purposes", out.purposes)
      .Optional("groups", out.groups)
      .Finish();
}

namespace {

template <typename T>
Json Nullable(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

void PutMeta(Json& out, const Meta& meta) {
  out["id"] = meta.id;
  out["version"] = meta.version;
  out["deleted"] = meta.deleted;
  out["created_at"] = meta.created_at;
  out["updated_at"] = meta.updated_at;
}

// Direct JSON writing (AppendJson): escapes as nlohmann's dump does.
void AppendString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendKey(std::string& out, std::string_view key) {
  if (out.back() != '{') out += ',';
  AppendString(out, key);
  out += ':';
}

void AppendIds(std::string& out, const std::vector<Id>& ids) {
  out += '[';
  for (std::size_t idx = 0; idx < ids.size(); ++idx) {
    if (idx > 0) out += ',';
    fmt::format_to(std::back_inserter(out), "{}", ids[idx]);
  }
  out += ']';
}

void AppendStrings(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t idx = 0; idx < items.size(); ++idx) {
    if (idx > 0) out += ',';
    AppendString(out, items[idx]);
  }
  out += ']';
}

template <typename T>
void AppendOptional(std::string& out, const std::optional<T>& value) {
  if (!value) {
    out += "null";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", *value);
  }
}

Json ToJson(const IndicatorRef& indicator) {
  return {{"code", indicator.code}, {"title", indicator.title}, {"unit", indicator.unit}};
}

}  // namespace

void AppendJson(std::string& out, const Measure& measure) {
  // Keys in nlohmann's order (sorted), so that both writers give the same bytes.
  out += '{';
  AppendKey(out, "classifications");
  AppendStrings(out, measure.classifications);
  AppendKey(out, "code");
  AppendString(out, measure.code);
  AppendKey(out, "created_at");
  AppendString(out, measure.meta.created_at);
  AppendKey(out, "deleted");
  out += measure.meta.deleted ? "true" : "false";
  AppendKey(out, "expected_result");
  AppendString(out, measure.expected_result);
  AppendKey(out, "expected_result_year");
  AppendOptional(out, measure.expected_result_year);
  AppendKey(out, "framework_id");
  fmt::format_to(std::back_inserter(out), "{}", measure.framework_id);
  AppendKey(out, "id");
  fmt::format_to(std::back_inserter(out), "{}", measure.meta.id);
  AppendKey(out, "inherited_responsible");
  if (measure.inherited_responsible) {
    const auto& from = *measure.inherited_responsible;
    fmt::format_to(std::back_inserter(out),
                   "{{\"actor_id\":{},\"node_id\":{},\"unit_id\":", from.actor_id, from.node_id);
    AppendOptional(out, from.unit_id);
    out += '}';
  } else {
    out += "null";
  }
  AppendKey(out, "node_id");
  fmt::format_to(std::back_inserter(out), "{}", measure.node_id);
  AppendKey(out, "order");
  fmt::format_to(std::back_inserter(out), "{}", measure.order);
  AppendKey(out, "partners");
  out += '[';
  for (std::size_t idx = 0; idx < measure.partners.size(); ++idx) {
    const auto& partner = measure.partners[idx];
    if (idx > 0) out += ',';
    fmt::format_to(std::back_inserter(out),
                   "{{\"actor_id\":{},\"role\":\"{}\",\"unit_ids\":", partner.actor_id,
                   ToString(partner.role));
    AppendIds(out, partner.unit_ids);
    out += '}';
  }
  out += ']';
  AppendKey(out, "responsible");
  out += '[';
  for (std::size_t idx = 0; idx < measure.responsible.size(); ++idx) {
    if (idx > 0) out += ',';
    fmt::format_to(std::back_inserter(out),
                   "{{\"actor_id\":{},\"unit_ids\":", measure.responsible[idx].actor_id);
    AppendIds(out, measure.responsible[idx].unit_ids);
    out += '}';
  }
  out += ']';
  AppendKey(out, "status");
  AppendString(out, ToString(measure.status));
  AppendKey(out, "suggested_classifications");
  AppendStrings(out, measure.suggested_classifications);
  AppendKey(out, "tags");
  AppendStrings(out, measure.tags);
  AppendKey(out, "target_group");
  AppendString(out, measure.target_group);
  AppendKey(out, "text");
  AppendString(out, measure.text);
  AppendKey(out, "updated_at");
  AppendString(out, measure.meta.updated_at);
  AppendKey(out, "version");
  fmt::format_to(std::back_inserter(out), "{}", measure.meta.version);
  out += '}';
}

namespace {

// kMalformedJson at the byte offset `end`: its line and column, counting characters, not UTF-8
// continuation bytes.
tl::unexpected<Error> Malformed(std::string_view text, std::size_t end, std::string_view what) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t idx = 0; idx < std::min(end, text.size()); ++idx) {
    if (text[idx] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[idx]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return Fail(
      ErrorCode::kMalformedJson,
      fmt::format("the body is not valid JSON: {} at line {}, column {}", what, line, column),
      {{"line", line}, {"column", column}});
}

}  // namespace

Result<void> CheckJsonDepth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    const char c = text[idx];
    if (in_string) {
      if (c == '\\') {
        ++idx;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) {
        auto error = Malformed(text, idx, fmt::format("nesting deeper than {} levels", limit));
        error.value().details["limit"] = limit;
        return error;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return {};
}

Result<Json> ParseJson(std::string_view text) {
  if (auto ok = CheckJsonDepth(text); !ok) return tl::unexpected(ok.error());
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded()) return parsed;
  const auto malformed = [text](std::size_t end, std::string_view what) {
    return Malformed(text, end, what);
  };
  // Parse again with exceptions to learn where it failed; nlohmann reports a byte offset.
  try {
    [[maybe_unused]] const Json reparsed = Json::parse(text);
  } catch (const Json::parse_error& error) {
    return malformed(error.byte == 0 ? 0 : error.byte - 1, "syntax error");
  } catch (const Json::out_of_range& error) {
    // A number beyond a double (1E400): nlohmann names the number but not where it stands.
    const std::string_view message = error.what();
    const auto open = message.find("parsing '");
    const auto number = open == std::string_view::npos
                            ? std::string_view()
                            : message.substr(open + 9, message.rfind('\'') - open - 9);
    const auto at = number.empty() ? std::string_view::npos : text.find(number);
    return malformed(at == std::string_view::npos ? 0 : at,
                     fmt::format("the number {} is out of range", number));
  }
  return malformed(0, "syntax error");
}

Json ToJson(const Actor& actor) {
  Json out = {{"kind", ToString(actor.kind)},
              {"name", actor.name},
              {"short_name", Nullable(actor.short_name)},
              {"area_code", Nullable(actor.area_code)},
              {"description", actor.description}};
  PutMeta(out, actor.meta);
  return out;
}

Json ToJson(const Unit& unit) {
  Json out = {{"actor_id", unit.actor_id},
              {"parent_id", Nullable(unit.parent_id)},
              {"name", unit.name},
              {"description", unit.description},
              {"path", unit.path}};
  PutMeta(out, unit.meta);
  return out;
}

Json ToJson(const NodeKind& kind) {
  return {{"key", kind.key}, {"label", kind.label}, {"root", kind.root}, {"parents", kind.parents}};
}

Json ToJson(const Framework& framework) {
  Json kinds = Json::array();
  for (const auto& kind : framework.node_kinds) kinds.push_back(ToJson(kind));
  Json out = {{"kind", ToString(framework.kind)},
              {"title", framework.title},
              {"short_title", Nullable(framework.short_title)},
              {"description", framework.description},
              {"owner_actor_id", Nullable(framework.owner_actor_id)},
              {"valid_from", Nullable(framework.valid_from)},
              {"valid_to", Nullable(framework.valid_to)},
              {"status", ToString(framework.status)},
              {"read_only", framework.read_only},
              {"node_kinds", std::move(kinds)},
              {"classifications", framework.classifications},
              {"suggested_classifications", framework.suggested_classifications}};
  PutMeta(out, framework.meta);
  return out;
}

Json ToJson(const Node& node) {
  Json contacts = Json::array();
  for (const auto& contact : node.contacts) {
    contacts.push_back({{"actor_id", contact.actor_id}, {"unit_id", Nullable(contact.unit_id)}});
  }
  Json out = {{"framework_id", node.framework_id},
              {"parent_id", Nullable(node.parent_id)},
              {"kind", node.kind},
              {"code", node.code},
              {"title", node.title},
              {"text", node.text},
              {"order", node.order},
              {"coordinating_actor_id", Nullable(node.coordinating_actor_id)},
              {"contact_unit_id", Nullable(node.contact_unit_id)},
              {"cross_cutting", node.cross_cutting},
              {"linked_node_ids", node.linked_node_ids},
              {"classifications", node.classifications},
              {"suggested_classifications", node.suggested_classifications},
              {"contacts", std::move(contacts)},
              {"actor_ids", node.actor_ids}};
  PutMeta(out, node.meta);
  return out;
}

Json ToJson(const Measure& measure) {
  Json responsible = Json::array();
  for (const auto& r : measure.responsible) {
    responsible.push_back({{"actor_id", r.actor_id}, {"unit_ids", r.unit_ids}});
  }
  Json partners = Json::array();
  for (const auto& p : measure.partners) {
    partners.push_back(
        {{"actor_id", p.actor_id}, {"role", ToString(p.role)}, {"unit_ids", p.unit_ids}});
  }
  Json inherited = nullptr;
  if (measure.inherited_responsible) {
    const auto& from = *measure.inherited_responsible;
    inherited = {{"actor_id", from.actor_id},
                 {"unit_id", Nullable(from.unit_id)},
                 {"node_id", from.node_id}};
  }
  Json out = {{"framework_id", measure.framework_id},
              {"node_id", measure.node_id},
              {"code", measure.code},
              {"target_group", measure.target_group},
              {"expected_result", measure.expected_result},
              {"expected_result_year", Nullable(measure.expected_result_year)},
              {"text", measure.text},
              {"status", ToString(measure.status)},
              {"order", measure.order},
              {"responsible", std::move(responsible)},
              {"partners", std::move(partners)},
              {"tags", measure.tags},
              {"classifications", measure.classifications},
              {"suggested_classifications", measure.suggested_classifications},
              {"inherited_responsible", std::move(inherited)}};
  PutMeta(out, measure.meta);
  return out;
}

Json ToJson(const Adoption& adoption) {
  Json out = {{"framework_id", adoption.framework_id},
              {"actor_id", adoption.actor_id},
              {"body", Nullable(adoption.body)},
              {"date", Nullable(adoption.date)},
              {"reference", Nullable(adoption.reference)}};
  PutMeta(out, adoption.meta);
  return out;
}

Json ToJson(const Classification& classification) {
  return {{"id", classification.id},
          {"scheme", classification.scheme},
          {"code", classification.code},
          {"label_sv", classification.label_sv},
          {"label_en", classification.label_en}};
}

Result<void> Decode(const Json& body, DecodeMode mode, Actor& out) {
  return ObjectReader(body, mode, "")
      .IgnoredMeta()
      .Required("kind", out.kind)
      .Required("name", out.name)
      .Optional("short_name", out.short_name)
      .Optional("area_code", out.area_code)
      .Optional("description", out.description)
      .Finish();
}

Result<void> Decode(const Json& body, DecodeMode mode, Unit& out) {
  return ObjectReader(body, mode, "")
      .IgnoredMeta()
      .Ignored({"path"})
      .Fixed("actor_id", out.actor_id)
      .Optional("parent_id", out.parent_id)
      .Required("name", out.name)
      .Optional("description", out.description)
      .Finish();
}

Result<void> Decode(const Json& body, DecodeMode mode, Framework& out) {
  return ObjectReader(body, mode, "")
      .IgnoredMeta()
      .Ignored({"read_only"})
      .Required("kind", out.kind)
      .Required("title", out.title)
      .Optional("short_title", out.short_title)
      .Optional("description", out.description)
      .Optional("owner_actor_id", out.owner_actor_id)
      .Optional("valid_from", out.valid_from)
      .Optional("valid_to", out.valid_to)
      .Optional("status", out.status)
      .Required("node_kinds", out.node_kinds)
      .Optional("classifications", out.classifications)
      .Optional("suggested_classifications", out.suggested_classifications)
      .Finish();
}

Result<void> Decode(const Json& body, DecodeMode mode, Node& out) {
  return ObjectReader(body, mode, "")
      .IgnoredMeta()
      .Fixed("framework_id", out.framework_id)
      .Optional("parent_id", out.parent_id)
      .Required("kind", out.kind)
      .Optional("code", out.code)
      .Required("title", out.title)
      .Optional("text", out.text)
      .Optional("order", out.order)
      .Optional("coordinating_actor_id", out.coordinating_actor_id)
      .Optional("contact_unit_id", out.contact_unit_id)
      .Optional("cross_cutting", out.cross_cutting)
      .Optional("linked_node_ids", out.linked_node_ids)
      .Optional("classifications", out.classifications)
      .Optional("suggested_classifications", out.suggested_classifications)
      .Optional("contacts", out.contacts)
      .Optional("actor_ids", out.actor_ids)
      .Finish();
}

Result<void> Decode(const Json& body, DecodeMode mode, Measure& out) {
  return ObjectReader(body, mode, "")
      .IgnoredMeta()
      .Ignored({"framework_id", "inherited_responsible"})
      .Required("node_id", out.node_id)
      .Optional("code", out.code)
      .Optional("target_group", out.target_group)
      .Optional("expected_result", out.expected_result)
      .Optional("expected_result_year", out.expected_result_year)
      .Required("text", out.text)
      .Optional("status", out.status)
      .Optional("order", out.order)
      .Optional("responsible", out.responsible)
      .Optional("partners", out.partners)
      .Optional("tags", out.tags)
      .Optional("classifications", out.classifications)
      .Optional("suggested_classifications", out.suggested_classifications)
      .Finish();
}

Result<void> Decode(const Json& body, DecodeMode mode, Adoption& out) {
  return ObjectReader(body, mode, "")
      .IgnoredMeta()
      .Fixed("framework_id", out.framework_id)
      .Fixed("actor_id", out.actor_id)
      .Optional("body", out.body)
      .Optional("date", out.date)
      .Optional("reference", out.reference)
      .Finish();
}

Json ToJson(const FrameworkContent& content) {
  Json goals = Json::array();
  for (const auto& goal : content.result_goals) {
    Json indicators = Json::array();
    for (const auto& indicator : goal.indicators) indicators.push_back(ToJson(indicator));
    goals.push_back({{"code", goal.code},
                     {"title", goal.title},
                     {"text", goal.text},
                     {"node_ids", goal.node_ids},
                     {"indicators", std::move(indicators)}});
  }
  Json items = Json::array();
  for (const auto& item : content.follow_up.items) {
    items.push_back({{"kind", ToString(item.kind)},
                     {"code", item.code},
                     {"text", item.text},
                     {"node_ids", item.node_ids},
                     {"indicator", item.indicator ? ToJson(*item.indicator) : Json(nullptr)}});
  }
  Json forums = Json::array();
  for (const auto& forum : content.forums) {
    Json groups = Json::array();
    for (const auto& group : forum.groups) {
      Json members = Json::array();
      for (const auto& member : group.members) {
        members.push_back(
            {{"actor_id", member.actor_id}, {"unit_ids", member.unit_ids}, {"role", member.role}});
      }
      groups.push_back({{"name", group.name}, {"members", std::move(members)}});
    }
    forums.push_back({{"name", forum.name},
                      {"text", forum.text},
                      {"purposes", forum.purposes},
                      {"groups", std::move(groups)}});
  }
  return {{"framework_id", content.framework_id},
          {"commitments", content.commitments},
          {"result_goals", std::move(goals)},
          {"follow_up",
           {{"baseline_year", Nullable(content.follow_up.baseline_year)},
            {"follow_up_year", Nullable(content.follow_up.follow_up_year)},
            {"text", content.follow_up.text},
            {"items", std::move(items)}}},
          {"forums", std::move(forums)}};
}

Result<void> Decode(const Json& body, DecodeMode mode, FrameworkContent& out) {
  return ObjectReader(body, mode, "")
      .Fixed("framework_id", out.framework_id)
      .Optional("commitments", out.commitments)
      .Optional("result_goals", out.result_goals)
      .Optional("follow_up", out.follow_up)
      .Optional("forums", out.forums)
      .Finish();
}

}  // namespace halsonav
