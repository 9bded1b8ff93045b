#include "io/observation_sink.hpp"

#include "io/huge_pages.hpp"

namespace halsonav::statsio {

CellLayout CellLayout::Of(std::vector<std::uint64_t> sizes) {
  CellLayout layout;
  layout.sizes = std::move(sizes);
  layout.cells = 1;
  for (auto size : layout.sizes) layout.cells *= size;
  layout.strides.assign(layout.sizes.size(), 1);
  for (std::size_t dim_idx = layout.sizes.size(); dim_idx-- > 1;) {
    layout.strides[dim_idx - 1] = layout.strides[dim_idx] * layout.sizes[dim_idx];
  }
  return layout;
}

ObservationSink::ObservationSink(const TablePlan& plan, const CellLayout& layout,
                                 std::uint64_t dataset_bits, StatsBatchBuilder& builder,
                                 std::size_t text_size)
    : plans_(plan.dimensions),
      layout_(layout),
      dataset_bits_(dataset_bits),
      builder_(builder),
      observations_(builder.batch().observations),
      base_(builder.batch().observations.size()),
      coordinates_(plan.dimensions.size(), 0),
      current_(plan.fixed) {
  for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) {
    if (plans_[dim_idx].role == DimensionRole::kParts) parts_dim_ = dim_idx;
    if (plans_[dim_idx].role == DimensionRole::kBreakdown) {
      breakdown_dims_.push_back(dim_idx);
      combo_strides_.push_back(combos_);
      combos_ *= layout_.sizes[dim_idx];
    }
  }
  if (combos_ <= (std::uint64_t{1} << 20)) dense_combo_.assign(combos_, kNoIndex);
  // At most one value per two bytes of text: never reserve more than the file can hold.
  std::uint64_t reserve = std::min<std::uint64_t>(layout_.cells, text_size / 2 + 1);
  if (parts_dim_ != kNoParts) reserve /= std::max<std::uint64_t>(1, layout_.sizes[parts_dim_]);
  if (observations_.empty() && observations_.capacity() < reserve) {
    if (auto recycled = TakeRecycledObservations(reserve); recycled.capacity() >= reserve) {
      observations_ = std::move(recycled);
    }
  }
  observations_.reserve(base_ + reserve);
  AdviseHugePages(observations_.data(), observations_.capacity() * sizeof(ObservationDraft));
  if (layout_.cells > 0) {
    for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) Apply(dim_idx);
  }
  // GroupOf(next_cell_), kept up by Advance: a group's step along each dimension.
  group_steps_.assign(plans_.size(), 0);
  if (parts_dim_ != kNoParts && layout_.cells > 0) {
    for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) {
      if (dim_idx < parts_dim_) {
        group_steps_[dim_idx] = layout_.strides[dim_idx] / layout_.sizes[parts_dim_];
      } else if (dim_idx > parts_dim_) {
        group_steps_[dim_idx] = layout_.strides[dim_idx];
      }
    }
  }
}

std::optional<std::size_t> ObservationSink::ObservationOf(std::uint64_t cell) const {
  if (parts_dim_ == kNoParts && cell_of_.empty() && !sparse_) {
    if (base_ + cell < observations_.size()) return base_ + cell;
    return std::nullopt;
  }
  if (!sparse_) {  // a value array with parts: see Dense
    const std::uint64_t group = GroupOf(cell);
    if (group < groups_) return base_ + group;
    return std::nullopt;
  }
  std::uint64_t key = parts_dim_ == kNoParts ? cell : GroupOf(cell);
  auto it = std::lower_bound(cell_of_.begin(), cell_of_.end(), std::make_pair(key, std::size_t{0}));
  if (it != cell_of_.end() && it->first == key) return it->second;
  return std::nullopt;
}

bool ObservationSink::Place(std::uint64_t cell, double value) {
  Seek(cell);
  const std::uint64_t group = GroupOf(cell);
  std::size_t slot;
  auto it = group_slot_.find(group);
  if (it == group_slot_.end()) {
    slot = observations_.size();
    group_slot_.emplace(group, slot);
    cell_of_.emplace_back(group, slot);
    ObservationDraft draft = current_;
    draft.value = kAbsent;
    draft.status = 0;
    draft.origin = dataset_bits_ | cell;
    observations_.push_back(draft);
  } else {
    slot = it->second;
  }
  auto field = FieldOf(cell);
  auto& draft = observations_[slot];
  draft.*field = value;
  if (field == &ObservationDraft::value) draft.origin = dataset_bits_ | cell;
  return true;
}

void ObservationSink::Seek(std::uint64_t cell) {
  std::uint64_t rest = cell;
  for (std::size_t dim_idx = 0; dim_idx < plans_.size(); ++dim_idx) {
    auto coordinate = rest / layout_.strides[dim_idx];
    rest %= layout_.strides[dim_idx];
    if (coordinate != coordinates_[dim_idx]) {
      coordinates_[dim_idx] = coordinate;
      Apply(dim_idx);
    }
  }
  next_cell_ = cell;
  if (parts_dim_ != kNoParts) next_group_ = GroupOf(cell);
}

std::uint32_t ObservationSink::NewBreakdown(std::uint64_t combo) {
  if (dense_combo_.empty()) {
    if (auto it = sparse_combo_.find(combo); it != sparse_combo_.end()) return it->second;
  }
  Breakdown breakdown;
  for (auto dim_idx : breakdown_dims_) {
    const auto& value = plans_[dim_idx].breakdown_value[coordinates_[dim_idx]];
    if (!value.empty()) breakdown.emplace_back(plans_[dim_idx].name, value);
  }
  NormalizeBreakdown(breakdown);
  auto index = builder_.BreakdownIndex(std::move(breakdown));
  if (!dense_combo_.empty()) {
    dense_combo_[combo] = index;
  } else {
    sparse_combo_.emplace(combo, index);
  }
  return index;
}

}  // namespace halsonav::statsio
