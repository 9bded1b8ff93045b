#include "io/stats_batch.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace halsonav::statsio {

std::string StatsBatch::Where(const ObservationDraft& observation) const {
  switch (origin_kind) {
    case OriginKind::kLine:
      return fmt::format("{}:{}", file, observation.origin);
    case OriginKind::kJsonValue: {
      auto dataset = static_cast<std::size_t>(observation.origin >> 40);
      auto index = observation.origin & ((std::uint64_t{1} << 40) - 1);
      std::string_view prefix =
          dataset < dataset_pointers.size() ? std::string_view(dataset_pointers[dataset]) : "";
      return fmt::format("{}#{}/value/{}", file, prefix, index);
    }
    case OriginKind::kKoladaValue:
      return fmt::format("{}#/values/{}/values/{}", file, observation.origin >> 8,
                         observation.origin & 0xFF);
  }
  return file;
}

namespace {
thread_local std::vector<ObservationDraft> recycled_observations;
}

void RecycleObservations(std::vector<ObservationDraft>&& observations) {
  if (observations.capacity() * sizeof(ObservationDraft) > kMaxRecycledBytes ||
      observations.capacity() <= recycled_observations.capacity()) {
    return;  // the caller's vector frees it
  }
  observations.clear();
  recycled_observations = std::move(observations);
}

void ReleaseRecycledObservations() { std::vector<ObservationDraft>().swap(recycled_observations); }

std::vector<ObservationDraft> TakeRecycledObservations(std::size_t capacity) {
  if (recycled_observations.capacity() < capacity) return {};
  return std::exchange(recycled_observations, {});
}

StatsBatchBuilder::StatsBatchBuilder(StatsBatch& batch) : batch_(batch) {
  if (batch_.breakdowns.empty()) batch_.breakdowns.push_back({});
  for (std::size_t idx = 0; idx < batch_.breakdowns.size(); ++idx) {
    breakdown_of_.emplace(BreakdownKey(batch_.breakdowns[idx]), static_cast<std::uint32_t>(idx));
  }
}

std::uint32_t StatsBatchBuilder::Indicator(IndicatorRef ref) {
  auto [it, inserted] = indicator_of_.emplace(ref.definition.code, 0);
  if (inserted) {
    it->second = static_cast<std::uint32_t>(batch_.indicators.size());
    batch_.indicators.push_back(std::move(ref));
  } else {
    auto& dims = batch_.indicators[it->second].definition.dimensions;
    for (auto& name : ref.definition.dimensions) {
      if (std::find(dims.begin(), dims.end(), name) == dims.end()) dims.push_back(name);
    }
    std::sort(dims.begin(), dims.end());
  }
  return it->second;
}

std::uint32_t StatsBatchBuilder::Area(AreaRef ref) {
  auto [it, inserted] = area_of_.emplace(ref.code, 0);
  if (inserted) {
    it->second = static_cast<std::uint32_t>(batch_.areas.size());
    batch_.areas.push_back(std::move(ref));
  }
  return it->second;
}

std::uint32_t StatsBatchBuilder::BreakdownIndex(Breakdown breakdown) {
  auto key = BreakdownKey(breakdown);
  auto [it, inserted] = breakdown_of_.emplace(std::move(key), 0);
  if (inserted) {
    it->second = static_cast<std::uint32_t>(batch_.breakdowns.size());
    batch_.breakdowns.push_back(std::move(breakdown));
  }
  return it->second;
}

}  // namespace halsonav::statsio
