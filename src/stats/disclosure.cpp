#include "stats/disclosure.hpp"

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

// Primary and secondary (complementary) cell suppression as in Hundepool et al., "Statistical
// Disclosure Control" (Wiley 2012), ch. 4 (frequency tables: threshold rule, then secondary
// suppression so that no suppressed cell can be computed from its margins). The secondary step is
// the line-wise rule of docs/METHODS.md, "Disclosure control": along every dimension, a total and
// its parts never hold exactly one suppressed cell.

namespace halsonav::stats {
namespace {

bool BelowMinimum(double count, const DisclosureRule& rule) {
  // An absent count (NaN) compares false, so it never triggers the rule; a min_count <= 0 (or
  // NaN) switches the rule off rather than suppressing negative counts.
  return rule.min_count > 0 && Present(count) && count < rule.min_count;
}

// All cells with one breakdown. Cells are expected to have distinct breakdowns; if several share
// one they are the same figure, so they are suppressed together.
struct Node {
  const Breakdown* breakdown = nullptr;
  std::vector<std::size_t> cells;
  double numerator = std::numeric_limits<double>::infinity();
  double respondents = std::numeric_limits<double>::infinity();
  bool suppressed = false;
};

// A total and its parts along one dimension: the node without the dimension and the nodes that
// equal it except that they also have the dimension (indices into the sorted nodes).
struct Line {
  std::size_t total = 0;
  std::vector<std::size_t> parts;
};

const Breakdown& EmptyBreakdown() {
  static const Breakdown kEmpty;
  return kEmpty;
}

}  // namespace

std::size_t ApplyDisclosureControl(std::span<DisclosureCell> cells, const DisclosureRule& rule) {
  std::size_t newly_suppressed = 0;

  // Primary suppression. Cells the source suppressed keep their flags, so that a second call
  // changes nothing.
  for (DisclosureCell& cell : cells) {
    if (cell.suppressed) continue;
    if (BelowMinimum(cell.numerator, rule) || BelowMinimum(cell.respondents, rule)) {
      cell.suppressed = true;
      cell.complementary = false;
      ++newly_suppressed;
    }
  }

  // Nodes in breakdown order: the order of lines, parts and ties, hence determinism. A cell
  // without a breakdown is the total.
  std::map<Breakdown, std::size_t> node_of;
  for (std::size_t cell_idx = 0; cell_idx < cells.size(); ++cell_idx) {
    const Breakdown* breakdown = cells[cell_idx].breakdown;
    node_of.emplace(breakdown != nullptr ? *breakdown : EmptyBreakdown(), 0);
  }
  std::vector<Node> nodes;
  nodes.reserve(node_of.size());
  for (auto& [breakdown, node_idx] : node_of) {
    node_idx = nodes.size();
    nodes.push_back(Node{.breakdown = &breakdown});
  }
  for (std::size_t cell_idx = 0; cell_idx < cells.size(); ++cell_idx) {
    const DisclosureCell& cell = cells[cell_idx];
    Node& node = nodes[node_of.at(cell.breakdown != nullptr ? *cell.breakdown : EmptyBreakdown())];
    node.cells.push_back(cell_idx);
    if (Present(cell.numerator) && cell.numerator < node.numerator) node.numerator = cell.numerator;
    if (Present(cell.respondents) && cell.respondents < node.respondents) {
      node.respondents = cell.respondents;
    }
    node.suppressed = node.suppressed || cell.suppressed;
  }

  auto suppress = [&](Node& node) {
    node.suppressed = true;
    for (std::size_t cell_idx : node.cells) {
      if (cells[cell_idx].suppressed) continue;
      cells[cell_idx].suppressed = true;
      cells[cell_idx].complementary = true;
      ++newly_suppressed;
    }
  };
  // A figure shown under one copy of a breakdown and hidden under another would leak it.
  for (Node& node : nodes) {
    if (node.suppressed) suppress(node);
  }

  // Lines, keyed by (total, dimension) so that they come in a fixed order. A part whose total is
  // not in the table forms no line: nothing can be subtracted from a figure that is not given.
  std::map<std::pair<std::size_t, std::string>, Line> lines;
  for (std::size_t node_idx = 0; node_idx < nodes.size(); ++node_idx) {
    const Breakdown& breakdown = *nodes[node_idx].breakdown;
    for (std::size_t pair_idx = 0; pair_idx < breakdown.size(); ++pair_idx) {
      Breakdown without = breakdown;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(pair_idx));
      const auto total = node_of.find(without);
      if (total == node_of.end()) continue;
      Line& line = lines[{total->second, breakdown[pair_idx].first}];
      line.total = total->second;
      line.parts.push_back(node_idx);
    }
  }

  // Secondary suppression to a fixed point. Every pass that changes something suppresses at least
  // one more node and nothing is ever unsuppressed, so there are at most nodes.size() + 1 passes;
  // at the end no line has exactly one suppressed cell (each such line would have been changed).
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& entry : lines) {
      const Line& line = entry.second;
      std::size_t suppressed_count = nodes[line.total].suppressed ? 1 : 0;
      for (std::size_t part_idx : line.parts) suppressed_count += nodes[part_idx].suppressed;
      if (suppressed_count != 1) continue;
      // The smallest unsuppressed part hides the least (by numerator, then respondents, absent
      // counts last, then breakdown order); when every part is suppressed, the total goes.
      std::optional<std::size_t> chosen;
      for (std::size_t part_idx : line.parts) {
        if (nodes[part_idx].suppressed) continue;
        if (!chosen || std::tie(nodes[part_idx].numerator, nodes[part_idx].respondents) <
                           std::tie(nodes[*chosen].numerator, nodes[*chosen].respondents)) {
          chosen = part_idx;
        }
      }
      suppress(nodes[chosen.value_or(line.total)]);
      changed = true;
    }
  }
  return newly_suppressed;
}

}  // namespace halsonav::stats
