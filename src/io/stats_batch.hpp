#pragma once

// What every statistics reader (Kolada, JSON-stat, tidy CSV) turns a file into: the indicators,
// areas, breakdowns and observations it holds, with each observation's place in the file. The
// readers check what the file alone can show; matching areas against the registry, suppression
// and storing are the app's (app/stats_import.cpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/statistics.hpp"
#include "io/problems.hpp"

namespace halsonav::statsio {

// An area as the file names it. `code` is already normalised (NormalizeAreaCode); `label` is the
// file's name for it, if any (used when an import creates missing areas); `where` is the place of
// its first mention, for messages ("FILE:12:3" or "FILE#/dimension/Region/category/index/SE").
struct AreaRef {
  std::string code;
  std::string label;
  std::string where;
};

// An indicator as the file defines it. Fields the file does not give stay empty (or kOther /
// kNone), and the app keeps what the registry already has for them.
struct IndicatorRef {
  Indicator definition;  // code always set
  std::string where;
};

// How an observation's `origin` maps back to the file.
enum class OriginKind {
  kLine,       // origin = the 1-based line:                     "FILE:LINE"
  kJsonValue,  // origin = the index into `value`, dataset d:    "FILE#/value/N" ("FILE#/d/value/N")
  kKoladaValue,  // origin = (item << 8) | inner (inner < 256):      "FILE#/values/I/values/J"
};

// 80 bytes (status in what would be padding): big tables hold millions of these.
struct ObservationDraft {
  std::uint32_t indicator = 0;  // index into StatsBatch::indicators
  std::uint32_t area = 0;       // index into StatsBatch::areas
  std::uint32_t breakdown = 0;  // index into StatsBatch::breakdowns
  std::uint8_t status = 0;      // ObservationFlag bits
  std::int64_t period = 0;      // PeriodKey
  double value = kAbsent;
  double ci_low = kAbsent;
  double ci_high = kAbsent;
  double numerator = kAbsent;
  double denominator = kAbsent;
  double respondents = kAbsent;
  std::uint64_t origin = 0;
};

struct StatsBatch {
  std::string file;  // the file name, as the messages show it
  OriginKind origin_kind = OriginKind::kLine;
  // For kJsonValue in a file of several datasets: the pointer prefix of each dataset ("" for a
  // single dataset, "/dataset1" … in a 1.x bundle, "/link/item/0" in a collection), indexed by
  // the high 24 bits of `origin` (origin = (dataset << 40) | value index).
  std::vector<std::string> dataset_pointers;
  std::vector<IndicatorRef> indicators;
  std::vector<AreaRef> areas;
  std::vector<Breakdown> breakdowns;  // breakdowns[0] is always the total (empty)
  std::vector<ObservationDraft> observations;
  // What the file says that the store keeps no place for (an SDMX status such as "Estimated
  // value", a PX file's NOTE), each with its first place: not problems, the import goes on; shown
  // in its report.
  std::vector<Problem> notes;

  // "FILE:LINE", "FILE#/value/17", "FILE#/values/3/values/1": where an observation came from.
  std::string Where(const ObservationDraft& observation) const;
};

// Adds indicators, areas and breakdowns to a batch, each once (by code, by code, by
// BreakdownKey), and gives their indices. An indicator met again gains the breakdown dimensions
// it did not list yet. Holds a reference to the batch.
class StatsBatchBuilder {
 public:
  // Starts the batch's breakdowns with the total (breakdowns[0]) when it has none.
  explicit StatsBatchBuilder(StatsBatch& batch);

  std::uint32_t Indicator(IndicatorRef ref);
  std::uint32_t Area(AreaRef ref);
  std::uint32_t BreakdownIndex(Breakdown breakdown);
  StatsBatch& batch() { return batch_; }

 private:
  StatsBatch& batch_;
  std::unordered_map<std::string, std::uint32_t> indicator_of_;
  std::unordered_map<std::string, std::uint32_t> area_of_;
  std::unordered_map<std::string, std::uint32_t> breakdown_of_;
};

static_assert(sizeof(ObservationDraft) == 80);

// Observation buffers reused between files (docs/BENCHMARKS.md). Writing a large table's
// observations into fresh memory costs a page fault and the kernel's zeroing of every page,
// which on a 55 MB JSON-stat table took about as long as the parse itself. A caller done with a
// batch hands its observations back; the next reader on the same thread that needs at most
// that many takes the buffer, already mapped. One buffer is kept per thread (the larger one),
// of at most kMaxRecycledBytes; ReleaseRecycledObservations frees it, so an import that calls
// it at its end pins nothing between imports.
inline constexpr std::size_t kMaxRecycledBytes = std::size_t{1} << 30;
void RecycleObservations(std::vector<ObservationDraft>&& observations);
void ReleaseRecycledObservations();
// The kept buffer, empty, when its capacity is at least `capacity`; else an empty vector (the
// buffer stays kept). For the readers' sinks.
std::vector<ObservationDraft> TakeRecycledObservations(std::size_t capacity);

}  // namespace halsonav::statsio
