#pragma once

// The vocabulary of reading: which kind of entity, which page, which filter. Shared by the store
// (which runs the queries), the app (which passes them on) and the server (which builds them from
// a URL), so it lives in core.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.hpp"
#include "core/error.hpp"
#include "core/statistics.hpp"

namespace halsonav {

enum class EntityKind { kActor, kUnit, kFramework, kNode, kMeasure, kAdoption };

// "actor", "unit", "framework", "node", "measure", "adoption": the entity names of the API and
// the change history.
std::string_view EntityName(EntityKind kind);
std::optional<EntityKind> ParseEntityName(std::string_view name);

// kNotFound "there is no <entity> with id <id>": what a missing id answers, and what an entity
// the reader may not see answers too (so that the two cannot be told apart).
Error EntityNotFound(EntityKind kind, Id id);

// Who a read is for (issue 15; docs/SECURITY.md, "Reading"). kPublic, a visitor who is not
// signed in, reads no framework in status draft nor anything in one (its nodes, measures,
// adoptions, content, their history); kSignedIn reads everything. app/access.hpp decides it from
// the caller; the filters below carry it to the store, so that totals and pages count only what
// the reader sees.
enum class Audience : std::uint8_t { kSignedIn, kPublic };

struct PageRequest {
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // matches before limit and offset
};

// Indicator search.
struct IndicatorFilter {
  std::string text;  // full-text over code, title, description, operating area
  std::optional<IndicatorSource> source;
  std::optional<bool> has_data;  // only those with (or without) observations
};

struct ActorFilter {
  std::optional<ActorKind> kind;
  std::string name_contains;
  bool include_deleted = false;
};

struct UnitFilter {
  std::optional<Id> actor_id;
  bool include_deleted = false;
};

struct FrameworkFilter {
  std::optional<FrameworkKind> kind;
  std::optional<FrameworkStatus> status;
  bool include_deleted = false;
  Audience audience = Audience::kSignedIn;  // kPublic: nothing of a draft framework
};

struct NodeFilter {
  std::optional<Id> framework_id;
  bool only_roots = false;      // nodes with no parent
  std::optional<Id> parent_id;  // children of this node
  bool include_deleted = false;
  Audience audience = Audience::kSignedIn;  // kPublic: nothing of a draft framework
};

struct MeasureFilter {
  std::optional<Id> framework_id;
  std::optional<Id> node_id;   // the node's whole subtree, cross-cutting nodes linked into it too
  std::optional<Id> actor_id;  // responsible or partner
  std::optional<MeasureStatus> status;
  std::vector<std::string> classifications;  // every one must be on the measure or its node
  std::string tag;
  std::string text;  // full text over code, target group, expected result, text and tags
  bool include_deleted = false;
  Audience audience = Audience::kSignedIn;  // kPublic: nothing of a draft framework
};

struct AdoptionFilter {
  std::optional<Id> framework_id;
  std::optional<Id> actor_id;
  bool include_deleted = false;
  Audience audience = Audience::kSignedIn;  // kPublic: nothing of a draft framework
};

struct HistoryFilter {
  std::optional<std::string> entity;
  std::optional<Id> entity_id;
  // kPublic: no line of a draft framework, nor of a node, measure or adoption in one (judged by
  // what the object is now).
  Audience audience = Audience::kSignedIn;
};

}  // namespace halsonav
