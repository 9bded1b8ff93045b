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
#include <string_view>

#include "core/error.hpp"
#include "core/json_codec.hpp"
#include "core/queries.hpp"

namespace halsonav {

class Store;
namespace plan {
struct PlanFile;
}

// How a plan import treats what the registry lacks, and whether it stores anything.
struct PlanImportOptions {
  bool dry_run = false;        // check and report what would be created; store nothing
  bool create_actors = false;  // create actors and units the registry lacks (else an error)
};

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

  // Plan files (docs/plan-format.md). Import is all-or-nothing: any problem is an error whose
  // details list every problem found with its JSON pointer in the file, and nothing is stored.
  // The report: {"framework_id", "title", "dry_run", "created": {"frameworks", "actors",
  // "units", "nodes", "measures", "adoptions"}, "actors_created", "units_created",
  // "actors_matched"}.
  Result<Json> ImportPlan(std::string_view text, const PlanImportOptions& options,
                          const Caller& caller);
  // Imports the demo plans (app/demo_content.hpp), creating their actors; one report each.
  Result<Json> LoadDemo(const Caller& caller);
  // The canonical plan file of a live framework.
  Result<std::string> ExportPlan(Id framework_id);
  // The framework as an XLSX workbook (io/plan_xlsx.hpp): measures, partners, classifications.
  Result<std::string> ExportPlanXlsx(Id framework_id);
  // Adds measures from a CSV file (docs/measure-csv.md) to a framework, all or nothing: every
  // problem comes back as FILE:LINE[:COLUMN]. Report: {"framework_id", "dry_run", "created":
  // {"measures"}}.
  Result<Json> ImportMeasuresCsv(Id framework_id, std::string_view text, std::string_view file_name,
                                 bool dry_run, const Caller& caller);
  // A framework's commitments, result goals, follow-up and forums, with ids.
  Result<Json> GetFrameworkContent(Id framework_id);

  std::int64_t SchemaVersion() const;

 private:
  Result<plan::PlanFile> PlanOf(Id framework_id);

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
