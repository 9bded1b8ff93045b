#include "store/sql_rows.hpp"

#include <cctype>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_codec.hpp"
#include "core/text.hpp"

namespace halsonav::rows {
namespace {

template <typename E>
E EnumColumn(const sql::Row& row, std::size_t idx) {
  const auto parsed = ParseEnum<E>(row.Text(idx));
  if (!parsed) {
    throw std::runtime_error(fmt::format("unknown value \"{}\" in column {}", row.Text(idx), idx));
  }
  return *parsed;
}

}  // namespace

std::vector<Column> MetaColumns(std::initializer_list<Column> more) {
  std::vector<Column> columns = {Column::kInt, Column::kInt, Column::kInt, Column::kText,
                                 Column::kText};
  columns.insert(columns.end(), more.begin(), more.end());
  return columns;
}

void ReadMeta(const sql::Row& row, Meta& meta) {
  meta.id = row.Int(0);
  meta.version = row.Int(1);
  meta.deleted = row.Bool(2);
  meta.created_at = row.Text(3);
  meta.updated_at = row.Text(4);
}

const std::vector<Column>& ActorTypes() {
  static const auto kTypes =
      MetaColumns({Column::kText, Column::kText, Column::kText, Column::kText, Column::kText});
  return kTypes;
}
const std::vector<Column>& UnitTypes() {
  static const auto kTypes =
      MetaColumns({Column::kInt, Column::kInt, Column::kText, Column::kText});
  return kTypes;
}
const std::vector<Column>& FrameworkTypes() {
  static const auto kTypes =
      MetaColumns({Column::kText, Column::kText, Column::kText, Column::kText, Column::kInt,
                   Column::kInt, Column::kInt, Column::kText, Column::kInt, Column::kText});
  return kTypes;
}
const std::vector<Column>& NodeTypes() {
  static const auto kTypes =
      MetaColumns({Column::kInt, Column::kInt, Column::kText, Column::kText, Column::kText,
                   Column::kText, Column::kInt, Column::kInt, Column::kInt, Column::kInt});
  return kTypes;
}
const std::vector<Column>& MeasureTypes() {
  static const auto kTypes =
      MetaColumns({Column::kInt, Column::kInt, Column::kText, Column::kText, Column::kText,
                   Column::kInt, Column::kText, Column::kText, Column::kInt});
  return kTypes;
}
const std::vector<Column>& AdoptionTypes() {
  static const auto kTypes =
      MetaColumns({Column::kInt, Column::kInt, Column::kText, Column::kText, Column::kText});
  return kTypes;
}

Actor ReadActor(const sql::Row& row) {
  Actor actor;
  ReadMeta(row, actor.meta);
  actor.kind = EnumColumn<ActorKind>(row, 5);
  actor.name = row.Text(6);
  actor.short_name = row.OptText(7);
  actor.area_code = row.OptText(8);
  actor.description = row.Text(9);
  return actor;
}

Unit ReadUnit(const sql::Row& row) {
  Unit unit;
  ReadMeta(row, unit.meta);
  unit.actor_id = row.Int(5);
  unit.parent_id = row.OptInt(6);
  unit.name = row.Text(7);
  unit.description = row.Text(8);
  return unit;
}

Framework ReadFramework(const sql::Row& row) {
  Framework framework;
  ReadMeta(row, framework.meta);
  framework.kind = EnumColumn<FrameworkKind>(row, 5);
  framework.title = row.Text(6);
  framework.short_title = row.OptText(7);
  framework.description = row.Text(8);
  framework.owner_actor_id = row.OptInt(9);
  framework.valid_from = row.OptInt(10);
  framework.valid_to = row.OptInt(11);
  framework.status = EnumColumn<FrameworkStatus>(row, 12);
  framework.read_only = row.Bool(13);
  framework.node_kinds = NodeKindsFromText(row.Text(14));
  return framework;
}

Node ReadNode(const sql::Row& row) {
  Node node;
  ReadMeta(row, node.meta);
  node.framework_id = row.Int(5);
  node.parent_id = row.OptInt(6);
  node.kind = row.Text(7);
  node.code = row.Text(8);
  node.title = row.Text(9);
  node.text = row.Text(10);
  node.order = row.Int(11);
  node.coordinating_actor_id = row.OptInt(12);
  node.contact_unit_id = row.OptInt(13);
  node.cross_cutting = row.Bool(14);
  return node;
}

Measure ReadMeasure(const sql::Row& row) {
  Measure measure;
  ReadMeta(row, measure.meta);
  measure.framework_id = row.Int(5);
  measure.node_id = row.Int(6);
  measure.code = row.Text(7);
  measure.target_group = row.Text(8);
  measure.expected_result = row.Text(9);
  measure.expected_result_year = row.OptInt(10);
  measure.text = row.Text(11);
  measure.status = EnumColumn<MeasureStatus>(row, 12);
  measure.order = row.Int(13);
  return measure;
}

Adoption ReadAdoption(const sql::Row& row) {
  Adoption adoption;
  ReadMeta(row, adoption.meta);
  adoption.framework_id = row.Int(5);
  adoption.actor_id = row.Int(6);
  adoption.body = row.OptText(7);
  adoption.date = row.OptText(8);
  adoption.reference = row.OptText(9);
  return adoption;
}

std::string NodeKindsToText(const std::vector<NodeKind>& kinds) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& kind : kinds) out.push_back(ToJson(kind));
  return out.dump();
}

std::vector<NodeKind> NodeKindsFromText(const std::string& text) {
  std::vector<NodeKind> kinds;
  for (const auto& item : nlohmann::json::parse(text)) {
    kinds.push_back(NodeKind{item.at("key").get<std::string>(), item.at("label").get<std::string>(),
                             item.at("root").get<bool>(),
                             item.at("parents").get<std::vector<std::string>>()});
  }
  return kinds;
}

std::string IdSet(const std::vector<Id>& ids) {
  if (ids.empty()) return "(NULL)";
  return fmt::format("({})", fmt::join(ids, ","));
}

// Turns what a person typed into a full-text query: every word must occur. A word of three or
// more characters matches as a prefix, so that "folkhäls" finds "folkhälsa"; a shorter one only
// as a whole word, so that the code "10 B" does not find every word beginning with b. FTS5's
// words are quoted, so that its operators in the text are not interpreted; PostgreSQL's
// tsquery joins them with & and marks prefixes with :*. A word is a run of letters, digits and
// non-ASCII characters, as in FtsDocument.
bool NotUtf8(const std::string& text) { return FirstInvalidUtf8(text) != std::string::npos; }

std::string FtsQuery(const std::string& text, Backend backend) {
  if (NotUtf8(text)) return {};
  std::string query;
  std::string word;
  const auto flush = [&] {
    if (word.empty()) return;
    if (!query.empty()) query += backend == Backend::kSqlite ? " " : " & ";
    std::size_t characters = 0;
    for (const char c : word) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    const bool prefix = characters >= 3;
    if (backend == Backend::kSqlite) {
      query += '"' + word + (prefix ? "\"*" : "\"");
    } else {
      query += '\'' + word + (prefix ? "':*" : "'");
    }
    word.clear();
  };
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || std::isalnum(byte)) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return query;
}

std::string FtsDocument(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& field : fields) {
    if (!out.empty()) out += ' ';
    for (const char c : field) {
      const auto byte = static_cast<unsigned char>(c);
      out += byte >= 0x80 || std::isalnum(byte) ? c : ' ';
    }
  }
  return out;
}

}  // namespace halsonav::rows
