// Importing a plan's measures from CSV (docs/measure-csv.md) into an existing framework: each
// row's node found by kind and code, actors and units resolved against the registry by name,
// every measure created with the API's checks, all in one transaction. Every problem is reported
// as FILE:LINE[:COLUMN]; any problem means nothing is stored.

#include <map>

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/app.hpp"
#include "app/import_support.hpp"
#include "io/measure_csv.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

using plan::Problem;

class CsvMeasureImporter {
 public:
  CsvMeasureImporter(Transaction& tx, Id framework_id, std::string_view file_name,
                     const Caller& caller, std::string now)
      : tx_(tx),
        framework_id_(framework_id),
        file_name_(file_name),
        caller_(caller),
        now_(std::move(now)) {}

  Result<std::vector<Problem>> Run(const std::vector<plan::CsvMeasure>& rows) {
    if (auto ok = LoadFramework(); !ok) return tl::unexpected(ok.error());
    for (const auto& row : rows) {
      if (auto ok = ImportRow(row); !ok) return tl::unexpected(ok.error());
    }
    return std::move(problems_);
  }

  std::int64_t created() const { return created_; }

 private:
  void Add(const plan::CsvMeasure& row, std::string message) {
    problems_.push_back(Problem{fmt::format("{}:{}", file_name_, row.line), std::move(message)});
  }

  Result<void> LoadFramework() {
    auto framework = tx_.Get<Framework>(framework_id_);
    if (!framework) return tl::unexpected(framework.error());
    if (framework->meta.deleted) {
      return Fail(ErrorCode::kEntityDeleted,
                  fmt::format("framework {} is deleted; restore it before importing into it",
                              framework_id_));
    }
    auto nodes = tx_.FrameworkNodes(framework_id_);
    if (!nodes) return tl::unexpected(nodes.error());
    for (const auto& node : *nodes) {
      if (node.code.empty()) continue;
      by_kind_and_code_[{node.kind, node.code}] = node.meta.id;
      by_code_[node.code].push_back(node);
    }
    auto measures = tx_.FrameworkMeasures(framework_id_);
    if (!measures) return tl::unexpected(measures.error());
    for (const auto& measure : *measures) {
      next_order_[measure.node_id] = std::max(next_order_[measure.node_id], measure.order + 1);
    }
    ActorFilter filter;
    auto actors = tx_.List(filter, PageRequest{1'000'000, 0});
    if (!actors) return tl::unexpected(actors.error());
    for (const auto& actor : actors->items) actors_[actor.name] = actor.meta.id;
    return {};
  }

  std::optional<Id> FindNode(const plan::CsvMeasure& row) {
    if (!row.node_kind.empty()) {
      const auto it = by_kind_and_code_.find({row.node_kind, row.node_code});
      if (it != by_kind_and_code_.end()) return it->second;
      Add(row,
          fmt::format("the framework has no {} with code \"{}\"", row.node_kind, row.node_code));
      return std::nullopt;
    }
    const auto it = by_code_.find(row.node_code);
    if (it == by_code_.end()) {
      Add(row, fmt::format("the framework has no node with code \"{}\"", row.node_code));
      return std::nullopt;
    }
    if (it->second.size() > 1) {
      std::vector<std::string> kinds;
      for (const auto& node : it->second) kinds.push_back(node.kind);
      Add(row, fmt::format("node code \"{}\" is used by several kinds ({}): give node_kind",
                           row.node_code, fmt::join(kinds, ", ")));
      return std::nullopt;
    }
    return it->second.front().meta.id;
  }

  // The actor's id and its units' ids by path; problems for what the registry lacks.
  Result<std::optional<std::pair<Id, std::vector<Id>>>> Resolve(
      const plan::CsvMeasure& row, const std::string& actor,
      const std::vector<std::string>& units) {
    const auto found = actors_.find(actor);
    if (found == actors_.end()) {
      Add(row, fmt::format("actor \"{}\" is not in the registry; add it first, or import a plan "
                           "file that describes it",
                           actor));
      return std::optional<std::pair<Id, std::vector<Id>>>();
    }
    if (!unit_paths_.contains(found->second)) {
      auto listed = import_support::UnitIdsByPath(tx_, found->second, actor);
      if (!listed) return tl::unexpected(listed.error());
      unit_paths_[found->second] = std::move(*listed);
    }
    std::vector<Id> unit_ids;
    bool complete = true;
    for (const auto& path : units) {
      const auto& paths = unit_paths_[found->second];
      if (const auto it = paths.find(path); it != paths.end()) {
        unit_ids.push_back(it->second);
      } else {
        Add(row, fmt::format("actor \"{}\" has no unit \"{}\"", actor, path));
        complete = false;
      }
    }
    if (!complete) return std::optional<std::pair<Id, std::vector<Id>>>();
    return std::optional(std::pair{found->second, std::move(unit_ids)});
  }

  Result<void> ImportRow(const plan::CsvMeasure& row) {
    const auto node_id = FindNode(row);
    const auto& spec = row.measure;
    Measure measure = import_support::MeasureFields(spec);
    bool complete = node_id.has_value();
    for (const auto& responsible : spec.responsible) {
      auto resolved = Resolve(row, responsible.actor, responsible.units);
      if (!resolved) return tl::unexpected(resolved.error());
      if (!*resolved) {
        complete = false;
        continue;
      }
      measure.responsible.push_back({(*resolved)->first, (*resolved)->second});
    }
    for (const auto& partner : spec.partners) {
      auto resolved = Resolve(row, partner.actor, partner.units);
      if (!resolved) return tl::unexpected(resolved.error());
      if (!*resolved) {
        complete = false;
        continue;
      }
      measure.partners.push_back({(*resolved)->first, partner.role, (*resolved)->second});
    }
    if (!complete) return {};
    measure.node_id = *node_id;
    measure.order = next_order_[*node_id]++;
    auto rejected = import_support::InsertChecked(tx_, measure, now_, caller_);
    if (!rejected) return tl::unexpected(rejected.error());
    if (*rejected) {
      Add(row, (*rejected)->message);
    } else {
      ++created_;
    }
    return {};
  }

  Transaction& tx_;
  Id framework_id_;
  std::string file_name_;
  const Caller& caller_;
  std::string now_;
  std::vector<Problem> problems_;
  std::map<std::pair<std::string, std::string>, Id> by_kind_and_code_;
  std::map<std::string, std::vector<Node>> by_code_;
  std::map<Id, std::int64_t> next_order_;  // node → the order for its next measure
  std::map<std::string, Id> actors_;
  std::map<Id, std::map<std::string, Id>> unit_paths_;  // actor → unit path → id
  std::int64_t created_ = 0;
};

}  // namespace

Result<Json> App::ImportMeasuresCsv(Id framework_id, std::string_view text,
                                    std::string_view file_name, bool dry_run,
                                    const Caller& caller) {
  auto rows = plan::ReadMeasureCsv(text, file_name);
  if (!rows) return tl::unexpected(rows.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = access::MayCoordinate(**tx, caller, framework_id, "import measures into it"); !ok) {
    return tl::unexpected(ok.error());
  }
  CsvMeasureImporter importer(**tx, framework_id, file_name, caller, now_());
  auto problems = importer.Run(*rows);
  if (!problems) return tl::unexpected(problems.error());
  if (!problems->empty()) return plan::ProblemsError(*problems, "the CSV file");
  if (!dry_run) {
    if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  }
  return Json{{"framework_id", framework_id},
              {"dry_run", dry_run},
              {"created", {{"measures", importer.created()}}}};
}

}  // namespace halsonav
