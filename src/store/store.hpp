#pragma once

// The persistence interface that `app` uses. One implementation today (SQLite, sqlite_store.hpp);
// a PostgreSQL one can be added behind the same interface without touching `app` or `server`.
//
// Work happens in transactions: BeginRead() for a consistent snapshot, BeginWrite() for changes
// (serialised across threads and processes). A transaction that is destroyed without Commit()
// rolls back, so a failed request writes nothing. A Transaction is used by one thread at a time;
// a Store may be shared by all threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.hpp"
#include "core/error.hpp"
#include "core/queries.hpp"

namespace halsonav {

// One line of the change history. `before` and `after` are the entity's JSON as the API shows it
// (absent on create and delete respectively is not the rule: delete keeps both).
struct ChangeRecord {
  std::int64_t seq = 0;
  std::string entity;
  Id entity_id = 0;
  std::string action;  // create, update, delete, restore
  std::string user;
  std::string at;
  std::int64_t version = 0;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

// Live entities that refer to another, by kind: {"measure", 3}.
struct Reference {
  std::string entity;
  std::int64_t count = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;

  // Load an entity, deleted or not. kNotFound when no such id exists.
  virtual Result<void> Load(Id id, Actor& out) = 0;
  virtual Result<void> Load(Id id, Unit& out) = 0;
  virtual Result<void> Load(Id id, Framework& out) = 0;
  virtual Result<void> Load(Id id, Node& out) = 0;
  virtual Result<void> Load(Id id, Measure& out) = 0;
  virtual Result<void> Load(Id id, Adoption& out) = 0;

  // Insert a new entity with the meta given (id ignored); returns its id.
  virtual Result<Id> Insert(const Actor& actor) = 0;
  virtual Result<Id> Insert(const Unit& unit) = 0;
  virtual Result<Id> Insert(const Framework& framework) = 0;
  virtual Result<Id> Insert(const Node& node) = 0;
  virtual Result<Id> Insert(const Measure& measure) = 0;
  virtual Result<Id> Insert(const Adoption& adoption) = 0;

  // Overwrite every stored field of an existing entity, its meta included (soft delete and
  // restore are updates of `meta.deleted`).
  virtual Result<void> Update(const Actor& actor) = 0;
  virtual Result<void> Update(const Unit& unit) = 0;
  virtual Result<void> Update(const Framework& framework) = 0;
  virtual Result<void> Update(const Node& node) = 0;
  virtual Result<void> Update(const Measure& measure) = 0;
  virtual Result<void> Update(const Adoption& adoption) = 0;

  virtual Result<Page<Actor>> List(const ActorFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Unit>> List(const UnitFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Framework>> List(const FrameworkFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Node>> List(const NodeFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Measure>> List(const MeasureFilter& filter, const PageRequest& page) = 0;
  virtual Result<Page<Adoption>> List(const AdoptionFilter& filter, const PageRequest& page) = 0;

  // Every live node and measure of a framework, in tree order (order, then id).
  virtual Result<std::vector<Node>> FrameworkNodes(Id framework_id) = 0;
  virtual Result<std::vector<Measure>> FrameworkMeasures(Id framework_id) = 0;

  // The live entity holding a code, if any.
  virtual Result<std::optional<Id>> FindNodeByCode(Id framework_id, const std::string& kind,
                                                   const std::string& code) = 0;
  virtual Result<std::optional<Id>> FindMeasureByCode(Id framework_id, const std::string& code) = 0;
  virtual Result<std::optional<Id>> FindAdoption(Id framework_id, Id actor_id) = 0;

  // Live entities that refer to the given one (and would dangle if it were deleted).
  virtual Result<std::vector<Reference>> LiveReferences(EntityKind kind, Id id) = 0;

  virtual Result<std::vector<Classification>> Classifications() = 0;
  virtual Result<void> Insert(const Classification& classification) = 0;

  virtual Result<void> Record(const ChangeRecord& change) = 0;
  virtual Result<Page<ChangeRecord>> History(const HistoryFilter& filter,
                                             const PageRequest& page) = 0;

  // A framework's content beyond its tree. Load gives an empty content (with framework_id set)
  // when none was saved; Save replaces the whole of it.
  virtual Result<void> Load(Id framework_id, FrameworkContent& out) = 0;
  virtual Result<void> Save(const FrameworkContent& content) = 0;

  // The sequence number of the newest change in the history (0 when there is none). Every write
  // is recorded there, so an unchanged number means unchanged data, whichever process wrote.
  virtual Result<std::int64_t> LatestChange() = 0;

  // Make the changes durable. Without it, the destructor rolls back.
  virtual Result<void> Commit() = 0;

  template <typename T>
  Result<T> Get(Id id) {
    T out;
    if (auto ok = Load(id, out); !ok) return tl::unexpected<Error>(ok.error());
    return out;
  }
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::unique_ptr<Transaction>> BeginRead() = 0;
  virtual Result<std::unique_ptr<Transaction>> BeginWrite() = 0;
  // The schema version of the database (the highest migration applied).
  virtual std::int64_t SchemaVersion() const = 0;
};

}  // namespace halsonav
