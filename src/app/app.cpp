#include "app/app.hpp"

#include <chrono>
#include <map>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "app/access.hpp"
#include "app/entity_checks.hpp"
#include "app/fetch_job_rules.hpp"
#include "core/national.hpp"
#include "core/rules.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

template <typename T>
struct KindOf;
template <>
struct KindOf<Actor> : std::integral_constant<EntityKind, EntityKind::kActor> {};
template <>
struct KindOf<Unit> : std::integral_constant<EntityKind, EntityKind::kUnit> {};
template <>
struct KindOf<Framework> : std::integral_constant<EntityKind, EntityKind::kFramework> {};
template <>
struct KindOf<Node> : std::integral_constant<EntityKind, EntityKind::kNode> {};
template <>
struct KindOf<Measure> : std::integral_constant<EntityKind, EntityKind::kMeasure> {};
template <>
struct KindOf<Adoption> : std::integral_constant<EntityKind, EntityKind::kAdoption> {};

template <typename T>
struct Type {};

// Calls `visit(Type<T>{})` with the domain type of an entity kind.
template <typename Visitor>
auto WithEntityType(EntityKind kind, Visitor&& visit) {
  switch (kind) {
    case EntityKind::kUnit:
      return visit(Type<Unit>{});
    case EntityKind::kFramework:
      return visit(Type<Framework>{});
    case EntityKind::kNode:
      return visit(Type<Node>{});
    case EntityKind::kMeasure:
      return visit(Type<Measure>{});
    case EntityKind::kAdoption:
      return visit(Type<Adoption>{});
    case EntityKind::kActor:
      break;
  }
  return visit(Type<Actor>{});
}

// Records one change in the history and commits the transaction; returns `after`.
template <typename T>
Result<Json> RecordAndCommit(Transaction& tx, Id id, std::string action, const Caller& caller,
                             const Meta& meta, const T* before, Json after) {
  ChangeRecord change{0,
                      std::string(EntityName(KindOf<T>::value)),
                      id,
                      std::move(action),
                      caller.user,
                      meta.updated_at,
                      meta.version,
                      before != nullptr ? std::optional(ToJson(*before).dump()) : std::nullopt,
                      after.dump()};
  if (auto ok = tx.Record(change); !ok) return tl::unexpected(ok.error());
  if (auto ok = tx.Commit(); !ok) return tl::unexpected(ok.error());
  return after;
}

// Fills each measure's inherited responsibility from its node chain; nodes are read once. A
// measure that names its responsible actors inherits nothing, so its chain is not read.
Result<void> DecorateMeasures(checks::NodeLookup& nodes, std::vector<Measure>& measures) {
  for (auto& measure : measures) {
    if (!measure.responsible.empty()) {
      measure.inherited_responsible.reset();
      continue;
    }
    auto chain = nodes.Chain(measure.node_id);
    if (!chain) return tl::unexpected(chain.error());
    measure.inherited_responsible = InheritResponsible(measure, *chain);
  }
  return {};
}

Result<void> DecorateMeasures(Transaction& tx, std::vector<Measure>& measures) {
  checks::NodeLookup nodes(tx);
  return DecorateMeasures(nodes, measures);
}

template <typename T>
Result<void> Decorate(Transaction& tx, T& item) {
  if constexpr (std::is_same_v<T, Measure>) {
    std::vector<Measure> one = {std::move(item)};
    auto ok = DecorateMeasures(tx, one);
    item = std::move(one.front());
    return ok;
  } else {
    (void)tx;
    (void)item;
    return {};
  }
}

// The API's list envelope.
Json ListJson(Json items, std::int64_t total, const PageRequest& page) {
  return Json{{"items", std::move(items)},
              {"total", total},
              {"limit", page.limit},
              {"offset", page.offset}};
}

template <typename T>
Result<Json> Envelope(Result<Page<T>> page, const PageRequest& request) {
  if (!page) return tl::unexpected(page.error());
  Json items = Json::array();
  for (const auto& item : page->items) items.push_back(ToJson(item));
  return ListJson(std::move(items), page->total, request);
}

Result<std::int64_t> VersionOf(const Json& body) {
  if (!body.is_object()) {
    return Fail(ErrorCode::kWrongType, "the body must be object",
                {{"field", ""}, {"expected", "object"}});
  }
  const auto it = body.find("version");
  if (it == body.end()) {
    return Fail(ErrorCode::kMissingField,
                "/version is required: send the version you last read, so that a change made "
                "meanwhile by someone else is not overwritten",
                {{"field", "/version"}});
  }
  if (!it->is_number_integer()) {
    return Fail(ErrorCode::kWrongType, "/version must be integer",
                {{"field", "/version"}, {"expected", "integer"}});
  }
  return it->get<std::int64_t>();
}

// A visitor is asked to sign in before anything is looked up, so that the answer is the same for
// every id, a draft's included (docs/SECURITY.md, "Reading").
Result<void> SignedInToChange(const Caller& caller, EntityKind kind) {
  return access::RequireSignedIn(caller, fmt::format("change {}s", EntityName(kind)));
}

tl::unexpected<Error> VersionConflict(std::int64_t sent, std::int64_t actual, Json current) {
  return Fail(
      ErrorCode::kVersionConflict,
      fmt::format("the entity has changed since version {}: it is now at version {}", sent, actual),
      {{"expected", sent}, {"actual", actual}, {"current", std::move(current)}});
}

}  // namespace

std::string UtcNow() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

App::App(std::unique_ptr<Store> store, std::function<std::string()> now)
    : store_(std::move(store)),
      now_(now ? std::move(now) : UtcNow),
      fetch_owner_(NewFetchOwner()) {}

App::~App() { JoinFetchJobs(); }

std::int64_t App::SchemaVersion() const { return store_->SchemaVersion(); }

template <typename T>
Result<Json> App::GetEntity(Id id, const Caller& caller) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto item = (*tx)->Get<T>(id);
  if (!item) return tl::unexpected(item.error());
  if (auto ok = access::MayRead(**tx, caller, *item); !ok) return tl::unexpected(ok.error());
  if (auto ok = Decorate(**tx, *item); !ok) return tl::unexpected(ok.error());
  return ToJson(*item);
}

template <typename T>
Result<Json> App::CreateEntity(const Json& body, const Caller& caller) {
  T item;
  if (auto ok = Decode(body, DecodeMode::kCreate, item); !ok) return tl::unexpected(ok.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  if (auto ok = access::MayWrite(t, caller, item, access::Action::kCreate); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = checks::Check(t, item, nullptr); !ok) return tl::unexpected(ok.error());
  const auto now = now_();
  item.meta = Meta{0, 1, false, now, now};
  auto id = t.Insert(item);
  if (!id) return tl::unexpected(id.error());
  auto stored = t.Get<T>(*id);
  if (!stored) return tl::unexpected(stored.error());
  if (auto ok = Decorate(t, *stored); !ok) return tl::unexpected(ok.error());
  return RecordAndCommit<T>(t, *id, "create", caller, stored->meta, nullptr, ToJson(*stored));
}

template <typename T>
Result<Json> App::UpdateEntity(Id id, const Json& body, const Caller& caller) {
  if (auto ok = SignedInToChange(caller, KindOf<T>::value); !ok) return tl::unexpected(ok.error());
  auto sent_version = VersionOf(body);
  if (!sent_version) return tl::unexpected(sent_version.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto before = t.Get<T>(id);
  if (!before) return tl::unexpected(before.error());
  if (auto ok = Decorate(t, *before); !ok) return tl::unexpected(ok.error());
  if (auto ok = access::MayWrite(t, caller, *before, access::Action::kUpdate); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = checks::CheckWritable(t, *before); !ok) return tl::unexpected(ok.error());
  if (before->meta.deleted) {
    return Fail(ErrorCode::kEntityDeleted,
                fmt::format("{} {} is deleted; restore it before changing it",
                            EntityName(KindOf<T>::value), id));
  }
  if (*sent_version != before->meta.version) {
    return VersionConflict(*sent_version, before->meta.version, ToJson(*before));
  }
  T item = *before;
  if (auto ok = Decode(body, DecodeMode::kPatch, item); !ok) return tl::unexpected(ok.error());
  if (auto ok = checks::Check(t, item, &*before); !ok) return tl::unexpected(ok.error());
  // The changed entity must stay within the caller's reach (no handing a measure to another
  // organisation's framework).
  if (auto ok = access::MayWrite(t, caller, item, access::Action::kUpdate); !ok) {
    return tl::unexpected(ok.error());
  }
  item.meta.version += 1;
  item.meta.updated_at = now_();
  if (auto ok = t.Update(item); !ok) return tl::unexpected(ok.error());
  auto stored = t.Get<T>(id);
  if (!stored) return tl::unexpected(stored.error());
  if (auto ok = Decorate(t, *stored); !ok) return tl::unexpected(ok.error());
  return RecordAndCommit(t, id, "update", caller, stored->meta, &*before, ToJson(*stored));
}

template <typename T>
Result<Json> App::DeleteEntity(Id id, std::optional<std::int64_t> version, const Caller& caller) {
  if (auto ok = SignedInToChange(caller, KindOf<T>::value); !ok) return tl::unexpected(ok.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto before = t.Get<T>(id);
  if (!before) return tl::unexpected(before.error());
  if (auto ok = Decorate(t, *before); !ok) return tl::unexpected(ok.error());
  if (auto ok = access::MayWrite(t, caller, *before, access::Action::kDelete); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = checks::CheckWritable(t, *before); !ok) return tl::unexpected(ok.error());
  if (version && *version != before->meta.version) {
    return VersionConflict(*version, before->meta.version, ToJson(*before));
  }
  if (before->meta.deleted) return ToJson(*before);  // deleting twice changes nothing
  auto references = t.LiveReferences(KindOf<T>::value, id);
  if (!references) return tl::unexpected(references.error());
  if (!references->empty()) {
    Json refs = Json::array();
    std::vector<std::string> words;
    for (const auto& reference : *references) {
      refs.push_back({{"entity", reference.entity}, {"count", reference.count}});
      words.push_back(fmt::format("{} {}", reference.count, reference.entity));
    }
    return Fail(ErrorCode::kInUse,
                fmt::format("{} {} is still referred to by {}; change or delete those first",
                            EntityName(KindOf<T>::value), id, fmt::join(words, ", ")),
                {{"references", std::move(refs)}});
  }
  T item = *before;
  item.meta.deleted = true;
  item.meta.version += 1;
  item.meta.updated_at = now_();
  if (auto ok = t.Update(item); !ok) return tl::unexpected(ok.error());
  return RecordAndCommit(t, id, "delete", caller, item.meta, &*before, ToJson(item));
}

template <typename T>
Result<Json> App::RestoreEntity(Id id, const Caller& caller) {
  if (auto ok = SignedInToChange(caller, KindOf<T>::value); !ok) return tl::unexpected(ok.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto before = t.Get<T>(id);
  if (!before) return tl::unexpected(before.error());
  if (auto ok = Decorate(t, *before); !ok) return tl::unexpected(ok.error());
  if (auto ok = access::MayWrite(t, caller, *before, access::Action::kRestore); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = checks::CheckWritable(t, *before); !ok) return tl::unexpected(ok.error());
  if (!before->meta.deleted) return ToJson(*before);  // nothing to restore
  T item = *before;
  // What it refers to must be live again, and its code free.
  if (auto ok = checks::Check(t, item, &*before); !ok) return tl::unexpected(ok.error());
  item.meta.deleted = false;
  item.meta.version += 1;
  item.meta.updated_at = now_();
  if (auto ok = t.Update(item); !ok) return tl::unexpected(ok.error());
  return RecordAndCommit(t, id, "restore", caller, item.meta, &*before, ToJson(item));
}

Result<Json> App::Create(EntityKind kind, const Json& body, const Caller& caller) {
  return WithEntityType(kind, [&]<typename T>(Type<T>) { return CreateEntity<T>(body, caller); });
}

Result<Json> App::Get(EntityKind kind, Id id, const Caller& caller) {
  return WithEntityType(kind, [&]<typename T>(Type<T>) { return GetEntity<T>(id, caller); });
}

Result<Json> App::Update(EntityKind kind, Id id, const Json& body, const Caller& caller) {
  return WithEntityType(kind,
                        [&]<typename T>(Type<T>) { return UpdateEntity<T>(id, body, caller); });
}

Result<Json> App::Delete(EntityKind kind, Id id, std::optional<std::int64_t> version,
                         const Caller& caller) {
  return WithEntityType(kind,
                        [&]<typename T>(Type<T>) { return DeleteEntity<T>(id, version, caller); });
}

Result<Json> App::Restore(EntityKind kind, Id id, const Caller& caller) {
  return WithEntityType(kind, [&]<typename T>(Type<T>) { return RestoreEntity<T>(id, caller); });
}

Result<Json> App::ListActors(const ActorFilter& filter, const PageRequest& page) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  return Envelope((*tx)->List(filter, page), page);
}

Result<Json> App::ListUnits(const UnitFilter& filter, const PageRequest& page) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  return Envelope((*tx)->List(filter, page), page);
}

Result<Json> App::ListFrameworks(FrameworkFilter filter, const PageRequest& page,
                                 const Caller& caller) {
  filter.audience = access::ReadAudience(caller);
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  return Envelope((*tx)->List(filter, page), page);
}

Result<Json> App::ListNodes(NodeFilter filter, const PageRequest& page, const Caller& caller) {
  filter.audience = access::ReadAudience(caller);
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  return Envelope((*tx)->List(filter, page), page);
}

Result<Json> App::ListMeasures(MeasureFilter filter, const PageRequest& page,
                               const Caller& caller) {
  filter.audience = access::ReadAudience(caller);
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto measures = (*tx)->List(filter, page);
  if (!measures) return tl::unexpected(measures.error());
  if (auto ok = DecorateMeasures(**tx, measures->items); !ok) return tl::unexpected(ok.error());
  return Envelope(std::move(measures), page);
}

Result<Json> App::ListAdoptions(AdoptionFilter filter, const PageRequest& page,
                                const Caller& caller) {
  filter.audience = access::ReadAudience(caller);
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  return Envelope((*tx)->List(filter, page), page);
}

Result<Json> App::History(HistoryFilter filter, const PageRequest& page, const Caller& caller) {
  filter.audience = access::ReadAudience(caller);
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto changes = (*tx)->History(filter, page);
  if (!changes) return tl::unexpected(changes.error());
  Json items = Json::array();
  for (const auto& change : changes->items) {
    items.push_back({{"seq", change.seq},
                     {"entity", change.entity},
                     {"entity_id", change.entity_id},
                     {"action", change.action},
                     {"user", change.user},
                     {"at", change.at},
                     {"version", change.version},
                     {"before", change.before ? Json::parse(*change.before) : Json(nullptr)},
                     {"after", change.after ? Json::parse(*change.after) : Json(nullptr)}});
  }
  return ListJson(std::move(items), changes->total, page);
}

Result<std::shared_ptr<const std::string>> App::FrameworkTree(Id framework_id,
                                                              const Caller& caller) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  // Read first: it opens the snapshot the tree is then read from.
  auto change = t.LatestChange();
  if (!change) return tl::unexpected(change.error());
  // A document is cached only after its audience was found to may read it, and every change of
  // a framework's status is a change in the history: an entry of this change is still right.
  const auto key = std::make_pair(framework_id, access::ReadAudience(caller));
  {
    std::lock_guard lock(tree_cache_mutex_);
    const auto it = tree_cache_.find(key);
    if (it != tree_cache_.end() && it->second.change == *change) return it->second.document;
  }
  auto framework = access::ReadableFramework(t, caller, framework_id);
  if (!framework) return tl::unexpected(framework.error());
  auto nodes = t.FrameworkNodes(framework_id);
  if (!nodes) return tl::unexpected(nodes.error());
  auto measures = t.FrameworkMeasures(framework_id);
  if (!measures) return tl::unexpected(measures.error());

  std::map<std::optional<Id>, std::vector<const Node*>> children;
  for (const auto& node : *nodes) children[node.parent_id].push_back(&node);
  checks::NodeLookup lookup(*nodes);
  if (auto ok = DecorateMeasures(lookup, *measures); !ok) return tl::unexpected(ok.error());
  std::map<Id, std::vector<const Measure*>> measures_of;
  for (const auto& measure : *measures) measures_of[measure.node_id].push_back(&measure);
  // Written straight into one string: each node's own fields as ToJson gives them, then its
  // children and measures (measures without a DOM: AppendJson). Recursion depth is the
  // tree's depth, bounded.
  auto document = std::make_shared<std::string>();
  std::string& out = *document;
  out.reserve(1024 * (measures->size() + nodes->size()) + 4096);
  const auto dump = [&out](const Json& json) {
    out += json.dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  std::function<void(const Node&, int)> render = [&](const Node& node, int depth) {
    dump(ToJson(node));
    out.pop_back();  // reopen the object for the two lists below
    out += ",\"children\":[";
    if (depth < kMaxNodeDepth) {  // deeper plans are refused where they come in
      bool first = true;
      for (const Node* child : children[node.meta.id]) {
        if (!std::exchange(first, false)) out += ',';
        render(*child, depth + 1);
      }
    }
    out += "],\"measures\":[";
    bool first = true;
    for (const Measure* measure : measures_of[node.meta.id]) {
      if (!std::exchange(first, false)) out += ',';
      AppendJson(out, *measure);
    }
    out += "]}";
  };
  out += "{\"framework\":";
  dump(ToJson(*framework));
  out += ",\"nodes\":[";
  bool first_root = true;
  for (const Node* root : children[std::nullopt]) {
    if (!std::exchange(first_root, false)) out += ',';
    render(*root, 0);
  }
  out += "]}";
  std::lock_guard lock(tree_cache_mutex_);
  auto& cached = tree_cache_[key];
  if (*change > cached.change) cached = CachedTree{*change, document};
  return std::shared_ptr<const std::string>(std::move(document));
}

Result<Json> App::ListClassifications(const std::optional<std::string>& scheme,
                                      const PageRequest& page) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto all = (*tx)->Classifications();
  if (!all) return tl::unexpected(all.error());
  Json items = Json::array();
  std::int64_t total = 0;
  for (const auto& classification : *all) {
    if (scheme && classification.scheme != *scheme) continue;
    if (total >= page.offset && total < page.offset + page.limit) {
      items.push_back(ToJson(classification));
    }
    ++total;
  }
  return ListJson(std::move(items), total, page);
}

Result<Json> App::GetClassification(const std::string& id) {
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto all = (*tx)->Classifications();
  if (!all) return tl::unexpected(all.error());
  for (const auto& classification : *all) {
    if (classification.id == id) return ToJson(classification);
  }
  return Fail(ErrorCode::kNotFound, fmt::format("there is no classification \"{}\"", id),
              {{"entity", "classification"}, {"id", id}});
}

Result<void> App::EnsureNationalContent() {
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto existing = t.Classifications();
  if (!existing) return tl::unexpected(existing.error());
  if (!existing->empty()) return {};
  const Caller system{"system"};
  const auto now = now_();
  const auto record = [&](EntityKind kind, Id id, const Json& after) {
    return t.Record({0, std::string(EntityName(kind)), id, "create", system.user, now, 1,
                     std::nullopt, after.dump()});
  };
  for (const auto& classification : PreloadedClassifications()) {
    if (auto ok = t.Insert(classification); !ok) return ok;
  }
  Actor owner = NationalFrameworkOwner();
  owner.meta = Meta{0, 1, false, now, now};
  auto owner_id = t.Insert(owner);
  if (!owner_id) return tl::unexpected(owner_id.error());
  owner.meta.id = *owner_id;
  if (auto ok = record(EntityKind::kActor, *owner_id, ToJson(owner)); !ok) return ok;
  Framework framework = NationalFramework();
  framework.owner_actor_id = *owner_id;
  framework.meta = Meta{0, 1, false, now, now};
  auto framework_id = t.Insert(framework);
  if (!framework_id) return tl::unexpected(framework_id.error());
  framework.meta.id = *framework_id;
  if (auto ok = record(EntityKind::kFramework, *framework_id, ToJson(framework)); !ok) return ok;
  for (auto node : NationalTargetAreaNodes()) {
    node.framework_id = *framework_id;
    node.meta = Meta{0, 1, false, now, now};
    auto node_id = t.Insert(node);
    if (!node_id) return tl::unexpected(node_id.error());
    node.meta.id = *node_id;
    if (auto ok = record(EntityKind::kNode, *node_id, ToJson(node)); !ok) return ok;
  }
  return t.Commit();
}

}  // namespace halsonav
