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
// the line-wise rule of docs/METHODS.md, "Disclosure control": along every breakdown dimension
// and every line of areas, a total and its parts never hold exactly one hidden cell that is
// suppressed.

namespace halsonav::stats {
namespace {

bool BelowMinimum(double count, const DisclosureRule& rule) {
  // An absent count (NaN) compares false, so it never triggers the rule; a min_count <= 0 (or
  // NaN) switches the rule off rather than suppressing negative counts.
  return rule.min_count > 0 && Present(count) && count < rule.min_count;
}

// All cells with one area and breakdown. Cells are expected to be distinct; if several share an
// area and breakdown they are the same figure, so they are suppressed together.
struct Node {
  std::int64_t area = 0;
  const Breakdown* breakdown = nullptr;
  std::vector<std::size_t> cells;
  double numerator = std::numeric_limits<double>::infinity();
  double respondents = std::numeric_limits<double>::infinity();
  bool suppressed = false;
  bool missing = true;  // every cell of it has no figure
};

// A total and its parts: along one breakdown dimension within an area, or along one area line
// within a breakdown (indices into the sorted nodes).
struct Line {
  std::size_t total = 0;
  std::vector<std::size_t> parts;
  std::size_t absent = 0;  // parts of an area line not in the table: unknown, so hidden
};

// A line's key, for a fixed order: the total, then the area line (0 for a breakdown dimension,
// else its index + 1), then the dimension.
using LineKey = std::tuple<std::size_t, std::size_t, std::string>;
using NodeKey = std::pair<std::int64_t, Breakdown>;

const Breakdown& EmptyBreakdown() {
  static const Breakdown kEmpty;
  return kEmpty;
}

class Table {
 public:
  Table(std::span<DisclosureCell> cells, std::span<const AreaLine> area_lines) : cells_(cells) {
    BuildNodes();
    BuildBreakdownLines();
    BuildAreaLines(area_lines);
  }

  // A figure shown under one copy of a node and hidden under another would leak it.
  void SuppressWholeNodes() {
    for (Node& node : nodes_) {
      if (node.suppressed) Suppress(node);
    }
  }

  // Secondary suppression to a fixed point. Every pass that changes something suppresses at
  // least one more node and nothing is ever unsuppressed, so there are at most nodes + 1 passes;
  // at the end no line has exactly one hidden node that is suppressed (each such line would have
  // been changed).
  void SuppressToFixedPoint() {
    bool changed = true;
    while (changed) {
      changed = false;
      for (const auto& entry : lines_) changed = ProtectLine(entry.second) || changed;
    }
  }

  std::size_t NewlySuppressed() const { return newly_suppressed_; }

 private:
  void BuildNodes() {
    // Nodes in (area, breakdown) order: the order of lines, parts and ties, hence determinism.
    // A cell without a breakdown is its area's total.
    for (const DisclosureCell& cell : cells_) node_of_.emplace(KeyOf(cell), 0);
    nodes_.reserve(node_of_.size());
    for (auto& [key, node_idx] : node_of_) {
      node_idx = nodes_.size();
      nodes_.push_back(Node{.area = key.first, .breakdown = &key.second});
    }
    for (std::size_t cell_idx = 0; cell_idx < cells_.size(); ++cell_idx) {
      const DisclosureCell& cell = cells_[cell_idx];
      Node& node = nodes_[node_of_.at(KeyOf(cell))];
      node.cells.push_back(cell_idx);
      if (Present(cell.numerator) && cell.numerator < node.numerator) {
        node.numerator = cell.numerator;
      }
      if (Present(cell.respondents) && cell.respondents < node.respondents) {
        node.respondents = cell.respondents;
      }
      node.suppressed = node.suppressed || cell.suppressed;
      node.missing = node.missing && cell.missing;
    }
  }

  // Along every dimension of a node's breakdown, the node without it is the line's total. A part
  // whose total is not in the table forms no line: nothing can be subtracted from a figure that
  // is not given.
  void BuildBreakdownLines() {
    for (std::size_t node_idx = 0; node_idx < nodes_.size(); ++node_idx) {
      const Node& node = nodes_[node_idx];
      const Breakdown& breakdown = *node.breakdown;
      for (std::size_t pair_idx = 0; pair_idx < breakdown.size(); ++pair_idx) {
        NodeKey without{node.area, breakdown};
        without.second.erase(without.second.begin() + static_cast<std::ptrdiff_t>(pair_idx));
        const auto total = node_of_.find(without);
        if (total == node_of_.end()) continue;
        AddPart(LineKey{total->second, 0, breakdown[pair_idx].first}, node_idx);
      }
    }
  }

  // For every area line and every breakdown its total area has here: the total's node and the
  // nodes of its parts that are in the table. The line lists every part the area has, so a part
  // not in the table is a figure nobody is given: total − the others is then that part plus the
  // suppressed one, and it hides as a missing figure does.
  void BuildAreaLines(std::span<const AreaLine> area_lines) {
    for (std::size_t line_idx = 0; line_idx < area_lines.size(); ++line_idx) {
      const AreaLine& area_line = area_lines[line_idx];
      auto total = node_of_.lower_bound(NodeKey{area_line.total, EmptyBreakdown()});
      for (; total != node_of_.end() && total->first.first == area_line.total; ++total) {
        const LineKey key{total->second, line_idx + 1, {}};
        std::size_t absent = 0;
        for (const std::int64_t part : area_line.parts) {
          const auto found = node_of_.find(NodeKey{part, total->first.second});
          if (found == node_of_.end()) {
            ++absent;
          } else {
            AddPart(key, found->second);
          }
        }
        const auto line = lines_.find(key);
        if (line != lines_.end()) line->second.absent = absent;
      }
    }
  }

  void AddPart(const LineKey& key, std::size_t part) {
    Line& line = lines_[key];
    line.total = std::get<0>(key);
    line.parts.push_back(part);
  }

  // When the line's only hidden node is a suppressed one, the smallest unsuppressed part hides
  // the least (by numerator, then respondents, absent counts last, then node order); when every
  // part is hidden, the total goes. True when something was suppressed.
  bool ProtectLine(const Line& line) {
    std::size_t suppressed = 0;
    std::size_t hidden = line.absent;
    auto count = [&](const Node& node) {
      suppressed += node.suppressed ? 1 : 0;
      hidden += node.suppressed || node.missing ? 1 : 0;
    };
    count(nodes_[line.total]);
    for (std::size_t part_idx : line.parts) count(nodes_[part_idx]);
    if (suppressed != 1 || hidden != 1) return false;
    std::optional<std::size_t> chosen;
    for (std::size_t part_idx : line.parts) {
      const Node& part = nodes_[part_idx];
      if (part.suppressed) continue;
      if (!chosen || std::tie(part.numerator, part.respondents) <
                         std::tie(nodes_[*chosen].numerator, nodes_[*chosen].respondents)) {
        chosen = part_idx;
      }
    }
    Suppress(nodes_[chosen.value_or(line.total)]);
    return true;
  }

  void Suppress(Node& node) {
    node.suppressed = true;
    for (std::size_t cell_idx : node.cells) {
      if (cells_[cell_idx].suppressed) continue;
      cells_[cell_idx].suppressed = true;
      cells_[cell_idx].complementary = true;
      ++newly_suppressed_;
    }
  }

  static NodeKey KeyOf(const DisclosureCell& cell) {
    return NodeKey{cell.area, cell.breakdown != nullptr ? *cell.breakdown : EmptyBreakdown()};
  }

  std::span<DisclosureCell> cells_;
  std::map<NodeKey, std::size_t> node_of_;
  std::vector<Node> nodes_;
  std::map<LineKey, Line> lines_;
  std::size_t newly_suppressed_ = 0;
};

}  // namespace

bool BelowRule(double numerator, double respondents, const DisclosureRule& rule) {
  return BelowMinimum(numerator, rule) || BelowMinimum(respondents, rule);
}

std::size_t ApplyDisclosureControl(std::span<DisclosureCell> cells, const DisclosureRule& rule,
                                   std::span<const AreaLine> area_lines) {
  // Primary suppression. Cells the source already suppressed keep their flags, so that a second
  // call changes nothing.
  std::size_t primary = 0;
  for (DisclosureCell& cell : cells) {
    if (cell.suppressed) continue;
    if (BelowRule(cell.numerator, cell.respondents, rule)) {
      cell.suppressed = true;
      cell.complementary = false;
      ++primary;
    }
  }
  Table table(cells, area_lines);
  table.SuppressWholeNodes();
  table.SuppressToFixedPoint();
  return primary + table.NewlySuppressed();
}

}  // namespace halsonav::stats
