#pragma once

// What must hold before an entity is written: core's rules, plus everything that needs other
// entities (references exist and are live, codes are unique, nothing is written into a
// read-only framework). Each Check fills the entity's derived fields (a measure's framework).
// `before` is the stored entity on update and restore, null on create.

#include <map>
#include <vector>

#include "core/domain.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace halsonav::checks {

Result<void> Check(Transaction& tx, Actor& item, const Actor* before);
Result<void> Check(Transaction& tx, Unit& item, const Unit* before);
Result<void> Check(Transaction& tx, Framework& item, const Framework* before);
Result<void> Check(Transaction& tx, Node& item, const Node* before);
Result<void> Check(Transaction& tx, Measure& item, const Measure* before);
Result<void> Check(Transaction& tx, Adoption& item, const Adoption* before);

// kReadOnly when the entity is, or lies in, a read-only framework.
Result<void> CheckWritable(Transaction& tx, const Actor& item);
Result<void> CheckWritable(Transaction& tx, const Unit& item);
Result<void> CheckWritable(Transaction& tx, const Framework& item);
Result<void> CheckWritable(Transaction& tx, const Node& item);
Result<void> CheckWritable(Transaction& tx, const Measure& item);
Result<void> CheckWritable(Transaction& tx, const Adoption& item);

// Finds nodes and their chains of ancestors, reading each node once: from the given nodes, and
// from the transaction (when there is one) for any other.
class NodeLookup {
 public:
  explicit NodeLookup(Transaction& tx) : tx_(&tx) {}
  explicit NodeLookup(const std::vector<Node>& nodes);

  // The node `node_id` and its ancestors up to the top, the node first. Stops at a node it
  // cannot find (without a transaction) or at a repeated id (a corrupt tree) rather than loop.
  Result<std::vector<Node>> Chain(Id node_id);

 private:
  Transaction* tx_ = nullptr;
  std::map<Id, Node> nodes_;
};

}  // namespace halsonav::checks
