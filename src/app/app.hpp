#pragma once

// The use cases of Hälsonav, as one facade that the server and the CLI call. Each call runs in
// one store transaction: it either completes and is recorded in the change history, or fails
// with an Error and changes nothing. Entities come back as the JSON the API shows (core's
// json_codec), which is also what the history keeps. Thread-safe: calls may run concurrently.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/json_codec.hpp"
#include "core/queries.hpp"

namespace halsonav {

class Store;

// Who is making a change: recorded in the history. Until accounts exist, the name a request
// header gives, or the operating-system user for the CLI.
struct Caller {
  std::string user = "anonymous";
};

class App {
 public:
  // `now` gives the current UTC time as YYYY-MM-DDTHH:MM:SSZ (injectable for tests).
  explicit App(std::unique_ptr<Store> store, std::function<std::string()> now = {});
  ~App();

  // Adds the content every database holds (national framework, classifications) if missing.
  Result<void> EnsureNationalContent();

  Result<Json> Create(EntityKind kind, const Json& body, const Caller& caller);
  Result<Json> Get(EntityKind kind, Id id);
  // `body` must carry the `version` the client last read; only the fields present change.
  Result<Json> Update(EntityKind kind, Id id, const Json& body, const Caller& caller);
  // Soft delete; `version`, when given, must be current.
  Result<Json> Delete(EntityKind kind, Id id, std::optional<std::int64_t> version,
                      const Caller& caller);
  Result<Json> Restore(EntityKind kind, Id id, const Caller& caller);

  // {"items": [...], "total", "limit", "offset"}
  Result<Json> ListActors(const ActorFilter& filter, const PageRequest& page);
  Result<Json> ListUnits(const UnitFilter& filter, const PageRequest& page);
  Result<Json> ListFrameworks(const FrameworkFilter& filter, const PageRequest& page);
  Result<Json> ListNodes(const NodeFilter& filter, const PageRequest& page);
  Result<Json> ListMeasures(const MeasureFilter& filter, const PageRequest& page);
  Result<Json> ListAdoptions(const AdoptionFilter& filter, const PageRequest& page);
  Result<Json> History(const HistoryFilter& filter, const PageRequest& page);

  // {"framework": {...}, "nodes": [node + "children" + "measures"]}: the whole tree, as JSON
  // text. Served from a cache while the history has no newer change (docs/BENCHMARKS.md).
  Result<std::shared_ptr<const std::string>> FrameworkTree(Id framework_id);

  Result<Json> ListClassifications(const std::optional<std::string>& scheme,
                                   const PageRequest& page);
  Result<Json> GetClassification(const std::string& id);

  std::int64_t SchemaVersion() const;

 private:
  template <typename T>
  Result<Json> CreateEntity(const Json& body, const Caller& caller);
  template <typename T>
  Result<Json> UpdateEntity(Id id, const Json& body, const Caller& caller);
  template <typename T>
  Result<Json> DeleteEntity(Id id, std::optional<std::int64_t> version, const Caller& caller);
  template <typename T>
  Result<Json> RestoreEntity(Id id, const Caller& caller);
  template <typename T>
  Result<Json> GetEntity(Id id);

  std::unique_ptr<Store> store_;
  std::function<std::string()> now_;

  // Serialised trees by framework, each with the history sequence it was built at.
  struct CachedTree {
    std::int64_t change = -1;
    std::shared_ptr<const std::string> document;
  };
  std::mutex tree_cache_mutex_;
  std::map<Id, CachedTree> tree_cache_;
};

// The current UTC time, YYYY-MM-DDTHH:MM:SSZ.
std::string UtcNow();

}  // namespace halsonav
