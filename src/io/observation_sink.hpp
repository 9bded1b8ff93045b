#pragma once

// Turns the cells of a table, as a reader streams them, into observations with the table's plan
// (io/dimension_roles.hpp): each cell's coordinates give its indicator, area, period and
// breakdown; a parts dimension gathers its cells into one observation. Shared by the JSON-stat
// and PX readers. The per-cell calls are inline: they are the readers' hot path.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/dimension_roles.hpp"
#include "io/stats_batch.hpp"

namespace halsonav::statsio {

// The cells of a table: row-major over its dimensions, the last varying fastest.
struct CellLayout {
  std::vector<std::uint64_t> sizes;    // per dimension
  std::vector<std::uint64_t> strides;  // row-major
  std::uint64_t cells = 0;

  // The layout of `sizes`; their product must not overflow (the reader checks it).
  static CellLayout Of(std::vector<std::uint64_t> sizes);
};

// A sink takes the cells a reader reads: `Dense(cell, value)` for cells in order,
// `DenseBlock(first, values, count)` for the cells first, first + 1, … at once, and
// `Sparse(cell, value)` for cells in any order (after MarkSparse); cell < layout.cells, value
// NaN (kAbsent) for a missing one. They return false to stop (never, here). Observations are
// appended to the builder's batch, starting from its size at construction. Holds references to
// the plan, the layout and the builder.
// Streams cells into observations. Without a parts dimension one cell is one observation
// (appended in order); with one, the cells of the parts dimension fill one observation each.
class ObservationSink {
 public:
  ObservationSink(const TablePlan& plan, const CellLayout& layout, std::uint64_t dataset_bits,
                  StatsBatchBuilder& builder, std::size_t text_size);

  // [[gnu::flatten]]: the per-cell path inlined whole (vector::push_back included), as it was
  // when all of this lived in one file.
  [[gnu::flatten]] bool Dense(std::uint64_t cell, double value) {
    if (parts_dim_ == kNoParts) {
      // The common case: cells arrive in order, one observation each.
      while (next_cell_ < cell) Advance();
      current_.value = value;
      current_.status = Present(value) ? 0 : kObservationMissing;
      current_.origin = dataset_bits_ | cell;
      observations_.push_back(current_);
      Advance();
      return true;
    }
    // With parts, cells still arrive in order: the groups (observations) are first met in order,
    // so a group's observation is base_ + group and no lookup is needed.
    while (next_cell_ < cell) Advance();
    const std::uint64_t group = next_group_;  // GroupOf(cell), without its two divisions
    if (group > groups_) {
      // Only after a cell was skipped for a problem (the file fails anyway): keep the order.
      Advance();
      return true;
    }
    if (group == groups_) {
      ObservationDraft draft = current_;
      draft.value = kAbsent;
      draft.status = kObservationMissing;  // until its value part comes
      draft.origin = dataset_bits_ | cell;
      observations_.push_back(draft);
      ++groups_;
    }
    auto& draft = observations_[base_ + group];
    auto field = plans_[parts_dim_].part[coordinates_[parts_dim_]];
    draft.*field = value;
    if (field == &ObservationDraft::value) {
      draft.origin = dataset_bits_ | cell;
      draft.status = Present(value) ? 0 : kObservationMissing;
    }
    Advance();
    return true;
  }
  // Dense for the cells first, first + 1, …: along the last dimension, where only one field of
  // the observation changes, without Advance for every cell.
  [[gnu::flatten]] bool DenseBlock(std::uint64_t first, const double* values, std::uint64_t count) {
    const std::size_t last = plans_.size() - 1;
    if (plans_.empty() || parts_dim_ == last || plans_[last].role == DimensionRole::kBreakdown) {
      for (std::uint64_t idx = 0; idx < count; ++idx) Dense(first + idx, values[idx]);
      return true;
    }
    while (next_cell_ < first) Advance();
    while (count > 0) {
      const std::uint64_t coordinate = coordinates_[last];
      const std::uint64_t run = std::min(count, layout_.sizes[last] - coordinate);
      if (parts_dim_ == kNoParts) {
        PlainRun(values, run);
      } else if (!PartsRun(values, run)) {  // a cell was skipped before: one at a time
        for (std::uint64_t idx = 0; idx < count; ++idx) Dense(next_cell_ + idx, values[idx]);
        return true;
      }
      // As if Advance had stepped to the run's last cell; the next Advance leaves the run.
      coordinates_[last] = coordinate + run - 1;
      next_cell_ += run - 1;
      next_group_ += (run - 1) * group_steps_[last];
      Advance();
      values += run;
      count -= run;
    }
    return true;
  }
  bool Sparse(std::uint64_t cell, double value) {
    Seek(cell);
    if (parts_dim_ == kNoParts) {
      current_.value = value;
      current_.status = Present(value) ? 0 : kObservationMissing;
      current_.origin = dataset_bits_ | cell;
      cell_of_.emplace_back(cell, observations_.size());
      observations_.push_back(current_);
      return true;
    }
    return Place(cell, value);
  }

  // The observation (index into batch.observations) a cell went to, if any.
  std::optional<std::size_t> ObservationOf(std::uint64_t cell) const;
  double ObservationDraft::*FieldOf(std::uint64_t cell) const {
    if (parts_dim_ == kNoParts) return &ObservationDraft::value;
    auto part = (cell / layout_.strides[parts_dim_]) % layout_.sizes[parts_dim_];
    return plans_[parts_dim_].part[part];
  }
  void Finish() {
    std::sort(cell_of_.begin(), cell_of_.end());
    // Duplicate sparse keys were rejected with the object's keys; groups are unique by build.
  }
  void MarkSparse() { sparse_ = true; }
  // Whether an observation's missing flag waits for the statuses: with parts from a value
  // object. Otherwise the flag follows the value part as it comes (before any status is
  // applied, an observation's status holds no other flag), as it does without parts.
  bool MissingAfterStatus() const { return parts_dim_ != kNoParts && sparse_; }

 private:
  static constexpr std::size_t kNoParts = std::numeric_limits<std::size_t>::max();
  static constexpr std::uint32_t kNoIndex = std::numeric_limits<std::uint32_t>::max();

  std::uint64_t GroupOf(std::uint64_t cell) const {
    const std::uint64_t stride = layout_.strides[parts_dim_];
    const std::uint64_t high = cell / (stride * layout_.sizes[parts_dim_]);
    return high * stride + cell % stride;
  }

  bool Place(std::uint64_t cell, double value);

  // The field of an observation that the last dimension sets, for its coordinate.
  template <typename Each>
  void ForLastField(Each&& each) {
    const auto& plan = plans_.back();
    switch (plan.role) {
      case DimensionRole::kMetric:
        each([&](ObservationDraft& draft, std::uint64_t at) {
          draft.indicator = plan.indicator[at];
        });
        break;
      case DimensionRole::kGeo:
        each([&](ObservationDraft& draft, std::uint64_t at) { draft.area = plan.area[at]; });
        break;
      case DimensionRole::kTime:
        each([&](ObservationDraft& draft, std::uint64_t at) { draft.period = plan.period[at]; });
        break;
      default:  // kIgnore (kParts and kBreakdown never come here)
        each([](ObservationDraft&, std::uint64_t) {});
        break;
    }
  }

  // DenseBlock without parts: `run` cells from next_cell_ on, along the last dimension.
  void PlainRun(const double* values, std::uint64_t run) {
    const std::uint64_t coordinate = coordinates_.back();
    ForLastField([&](auto&& set_last) {
      ObservationDraft draft = current_;
      for (std::uint64_t idx = 0; idx < run; ++idx) {
        set_last(draft, coordinate + idx);
        draft.value = values[idx];
        draft.status = Present(values[idx]) ? 0 : kObservationMissing;
        draft.origin = dataset_bits_ | (next_cell_ + idx);
        observations_.push_back(draft);
      }
    });
  }

  // DenseBlock with parts (not the last dimension): every cell of the run is the same part of
  // consecutive groups (the last dimension's group step is its stride, 1). false (nothing done)
  // if a group would come out of order.
  bool PartsRun(const double* values, std::uint64_t run) {
    if (next_group_ > groups_) return false;
    const std::uint64_t coordinate = coordinates_.back();
    const auto field = plans_[parts_dim_].part[coordinates_[parts_dim_]];
    const bool is_value = field == &ObservationDraft::value;
    ForLastField([&](auto&& set_last) {
      std::uint64_t group = next_group_;
      for (std::uint64_t idx = 0; idx < run; ++idx, ++group) {
        const std::uint64_t cell = next_cell_ + idx;
        if (group == groups_) {
          ObservationDraft draft = current_;
          set_last(draft, coordinate + idx);
          draft.value = kAbsent;
          draft.status = kObservationMissing;  // until its value part comes
          draft.origin = dataset_bits_ | cell;
          observations_.push_back(draft);
          ++groups_;
        }
        auto& draft = observations_[base_ + group];
        draft.*field = values[idx];
        if (is_value) {
          draft.origin = dataset_bits_ | cell;
          draft.status = Present(values[idx]) ? 0 : kObservationMissing;
        }
      }
    });
    return true;
  }

  void Seek(std::uint64_t cell);

  void Advance() {
    ++next_cell_;
    for (std::size_t dim_idx = plans_.size(); dim_idx-- > 0;) {
      if (++coordinates_[dim_idx] < layout_.sizes[dim_idx]) {
        next_group_ += group_steps_[dim_idx];
        Apply(dim_idx);
        return;
      }
      next_group_ -= (coordinates_[dim_idx] - 1) * group_steps_[dim_idx];
      coordinates_[dim_idx] = 0;
      Apply(dim_idx);
    }
  }

  void Apply(std::size_t dim_idx) {
    const auto& plan = plans_[dim_idx];
    const auto coordinate = coordinates_[dim_idx];
    if (coordinate >= layout_.sizes[dim_idx]) return;
    switch (plan.role) {
      case DimensionRole::kMetric:
        current_.indicator = plan.indicator[coordinate];
        break;
      case DimensionRole::kGeo:
        current_.area = plan.area[coordinate];
        break;
      case DimensionRole::kTime:
        current_.period = plan.period[coordinate];
        break;
      case DimensionRole::kBreakdown:
        current_.breakdown = BreakdownFor();
        break;
      default:
        break;
    }
  }

  // The breakdown of the current coordinates: cached per combination of breakdown categories.
  std::uint32_t BreakdownFor() {
    std::uint64_t combo = 0;
    for (std::size_t idx = 0; idx < breakdown_dims_.size(); ++idx) {
      combo += coordinates_[breakdown_dims_[idx]] * combo_strides_[idx];
    }
    if (!dense_combo_.empty() && dense_combo_[combo] != kNoIndex) return dense_combo_[combo];
    return NewBreakdown(combo);
  }
  // BreakdownFor's first meeting of a combination (or any, when there are too many to cache
  // densely).
  std::uint32_t NewBreakdown(std::uint64_t combo);

  const std::vector<DimensionPlan>& plans_;
  const CellLayout& layout_;
  std::uint64_t dataset_bits_;
  StatsBatchBuilder& builder_;
  std::vector<ObservationDraft>& observations_;
  std::size_t base_;
  std::vector<std::uint64_t> coordinates_;
  ObservationDraft current_;
  std::uint64_t next_cell_ = 0;
  std::uint64_t groups_ = 0;                // observations made from a value array with parts
  std::uint64_t next_group_ = 0;            // GroupOf(next_cell_) with parts
  std::vector<std::uint64_t> group_steps_;  // see the constructor
  std::size_t parts_dim_ = kNoParts;
  std::vector<std::size_t> breakdown_dims_;
  std::vector<std::uint64_t> combo_strides_;
  std::uint64_t combos_ = 1;
  std::vector<std::uint32_t> dense_combo_;
  std::unordered_map<std::uint64_t, std::uint32_t> sparse_combo_;
  std::unordered_map<std::uint64_t, std::size_t> group_slot_;
  std::vector<std::pair<std::uint64_t, std::size_t>> cell_of_;
  bool sparse_ = false;
};

}  // namespace halsonav::statsio
