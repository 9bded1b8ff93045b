#pragma once

// Shared by the importers (plan files, measure CSV) and the plan export: unit paths below their
// actor, and creating an entity with the API's checks and recording it in the history, inside
// the importer's transaction.

#include <map>
#include <optional>
#include <string>
#include <type_traits>

#include "app/app.hpp"
#include "app/entity_checks.hpp"
#include "io/plan_file.hpp"
#include "store/store.hpp"

namespace halsonav::import_support {

template <typename T>
constexpr const char* EntityNameOf() {
  if constexpr (std::is_same_v<T, Actor>) return "actor";
  if constexpr (std::is_same_v<T, Unit>) return "unit";
  if constexpr (std::is_same_v<T, Framework>) return "framework";
  if constexpr (std::is_same_v<T, Node>) return "node";
  if constexpr (std::is_same_v<T, Measure>) return "measure";
  return "adoption";
}

// A unit's path below its actor, as plan files and CSV name units: "Region X / A / B" → "A / B".
inline std::string PathBelowActor(const Unit& unit, const std::string& actor_name) {
  const auto prefix = actor_name + std::string(plan::kUnitSeparator);
  return unit.path.starts_with(prefix) ? unit.path.substr(prefix.size()) : unit.path;
}

// The live units of an actor by their path below it.
inline Result<std::map<std::string, Id>> UnitIdsByPath(Transaction& tx, Id actor_id,
                                                       const std::string& actor_name) {
  UnitFilter filter;
  filter.actor_id = actor_id;
  auto units = tx.List(filter, PageRequest{1'000'000, 0});
  if (!units) return tl::unexpected(units.error());
  std::map<std::string, Id> paths;
  for (const auto& unit : units->items) paths[PathBelowActor(unit, actor_name)] = unit.meta.id;
  return paths;
}

// A measure's own fields from a file's measure: everything but its node, order and actors, which
// the importer resolves.
inline Measure MeasureFields(const plan::MeasureSpec& spec) {
  Measure measure;
  measure.code = spec.code;
  measure.target_group = spec.target_group;
  measure.expected_result = spec.expected_result;
  measure.expected_result_year = spec.expected_result_year;
  measure.text = spec.text;
  measure.status = spec.status;
  measure.tags = spec.tags;
  measure.classifications = spec.classifications;
  measure.suggested_classifications = spec.suggested_classifications;
  return measure;
}

// Runs the API's checks on a new entity; when they pass, inserts it (setting its meta and id)
// and records the creation. A failed check comes back as the optional Error, for the importer to
// report at its own place in the file; a storage failure is the Result's error.
template <typename T>
Result<std::optional<Error>> InsertChecked(Transaction& tx, T& item, const std::string& now,
                                           const Caller& caller) {
  if (auto ok = checks::Check(tx, item, nullptr); !ok) {
    if (ok.error().code == ErrorCode::kDatabase || ok.error().code == ErrorCode::kInternal) {
      return tl::unexpected(ok.error());
    }
    return std::optional<Error>(ok.error());
  }
  item.meta = Meta{0, 1, false, now, now};
  auto id = tx.Insert(item);
  if (!id) return tl::unexpected(id.error());
  item.meta.id = *id;
  if (auto ok = tx.Record({0, EntityNameOf<T>(), *id, "create", caller.user, now, 1, std::nullopt,
                           ToJson(item).dump()});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return std::optional<Error>();
}

}  // namespace halsonav::import_support
