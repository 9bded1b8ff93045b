#include "io/jsonstat_cells.hpp"

#include <charconv>

namespace halsonav::statsio::jsonstat {

[[gnu::noinline]] std::optional<double> ReadOtherCellValue(od::value element, std::uint64_t index,
                                                           const std::string& prefix,
                                                           Problems& problems,
                                                           simdjson::error_code error) {
  if (!error) {
    problems.Add(fmt::format("{}/value/{}", prefix, index), "a value must be finite");
    return std::nullopt;
  }
  if (error == simdjson::INCORRECT_TYPE) {
    od::json_type type;
    if (auto type_error = element.type().get(type)) {
      problems.Json(fmt::format("{}/value/{}", prefix, index), type_error);
      return std::nullopt;
    }
    if (type == od::json_type::null) {
      bool null = false;
      if (auto null_error = element.is_null().get(null); null_error || !null) {
        problems.Json(fmt::format("{}/value/{}", prefix, index), simdjson::N_ATOM_ERROR);
        return std::nullopt;
      }
      return kAbsent;
    }
    std::string pointer = fmt::format("{}/value/{}", prefix, index);
    problems.Add(pointer,
                 fmt::format("a value must be a number or null, not {}", JsonTypeWord(type)));
    if (!Validate(element, pointer, problems)) return std::nullopt;
    return std::nullopt;
  }
  problems.Json(fmt::format("{}/value/{}", prefix, index), error);
  return std::nullopt;
}

[[gnu::noinline]] bool ScanLongNumber(const char* start, const char* end, double& number) {
  auto [stop, error] = std::from_chars(start, end, number);
  return error == std::errc{} && stop == end && std::isfinite(number);
}

namespace {

// A status symbol (a string, or null for none); `where()` makes the element's pointer, for a
// problem only.
template <typename Where>
std::optional<std::uint16_t> ReadSymbol(od::value element, const Where& where, Problems& problems,
                                        CellStatus& status) {
  od::json_type element_type;
  if (auto error = element.type().get(element_type)) {
    problems.Json(where(), error);
    return std::nullopt;
  }
  if (element_type == od::json_type::string) {
    std::string_view text;
    if (auto error = element.get_string().get(text)) {
      problems.Json(where(), error);
      return std::nullopt;
    }
    return status.Symbol(text);
  }
  if (element_type == od::json_type::null) {
    if (!Validate(element, where(), problems)) return std::nullopt;
    return std::uint16_t{0};
  }
  auto text = ReadString(element, where(), problems, "a status");
  if (!text) return std::nullopt;
  return status.Symbol(*text);
}

// A status array: one symbol per cell (as ForEachElement, with each element's pointer made only
// for a problem).
bool ReadStatusArray(od::value value, const std::string& pointer, std::uint64_t cells,
                     bool cells_known, Problems& problems, CellStatus& status) {
  status.is_dense = true;
  od::array array;
  if (auto error = value.get_array().get(array)) return problems.Json(pointer, error);
  std::uint64_t index = 0;
  for (auto element_result : array) {
    auto where = [&] { return Child(pointer, index); };
    od::value element;
    if (auto error = element_result.get(element)) return problems.Json(where(), error);
    auto symbol = ReadSymbol(element, where, problems, status);
    ++status.dense_count;
    ++index;
    if (!symbol) {
      if (problems.Full()) return false;
      continue;
    }
    if (!cells_known || status.dense.size() < cells) status.dense.push_back(*symbol);
  }
  return true;
}

// A status object: cell index -> symbol.
bool ReadStatusObject(od::value value, const std::string& pointer, std::uint64_t cells,
                      bool cells_known, Problems& problems, CellStatus& status) {
  bool ok = ForEachIndexField(value, pointer, problems, cells,
                              [&](std::string_view key, od::value element, const auto& where) {
                                auto cell = ParseIndexKey(key);
                                if (!cell || (cells_known && *cell >= cells)) {
                                  const std::string at = where();
                                  problems.Add(at, fmt::format("\"{}\" is not a value index", key));
                                  return Validate(element, at, problems) && !problems.Full();
                                }
                                auto symbol = ReadSymbol(element, where, problems, status);
                                if (symbol) status.sparse.emplace_back(*cell, *symbol);
                                return !problems.Full();
                              });
  // Files list the cells in order, mostly.
  if (!std::is_sorted(status.sparse.begin(), status.sparse.end())) {
    std::sort(status.sparse.begin(), status.sparse.end());
  }
  return ok;
}

}  // namespace

bool ReadStatus(od::value value, const std::string& prefix, std::uint64_t cells, bool cells_known,
                Problems& problems, CellStatus& status) {
  const std::string pointer = prefix + "/status";
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  if (type == od::json_type::string) {
    auto text = ReadString(value, pointer, problems, "status");
    if (!text) return !problems.fatal;
    status.has_single = true;
    status.single = std::move(*text);
    return true;
  }
  if (type == od::json_type::array) {
    return ReadStatusArray(value, pointer, cells, cells_known, problems, status);
  }
  if (type == od::json_type::object) {
    return ReadStatusObject(value, pointer, cells, cells_known, problems, status);
  }
  if (type == od::json_type::null) return Validate(value, pointer, problems);
  problems.Add(pointer, fmt::format("status must be a string, an array or an object, not {}",
                                    JsonTypeWord(type)));
  return Validate(value, pointer, problems);
}

bool TakeEarlyStatus(Dataset& dataset, const CellLayout& layout, CellStatus& status) {
  if (!dataset.early_status) return false;
  const auto& early = *dataset.early_status;
  if (!early.sparse.empty() && early.sparse.back().first >= layout.cells) return false;
  status = std::move(*dataset.early_status);
  dataset.early_status.reset();
  if (status.is_dense && status.dense.size() > layout.cells) status.dense.resize(layout.cells);
  return true;
}

bool FinishStatus(const Dataset& dataset, const CellLayout& layout, Problems& problems,
                  CellStatus& status) {
  if (status.is_dense && status.dense_count == 1 && layout.cells != 1) {
    status.is_dense = false;
    status.has_single = true;
    status.single = status.dense.empty() ? "" : status.symbols[status.dense.front()];
    status.dense.clear();
  }
  if (status.is_dense && status.dense_count != layout.cells) {
    problems.Add(dataset.prefix + "/status", fmt::format("{} statuses, but there are {} values",
                                                         status.dense_count, layout.cells));
  }
  return !problems.Full();
}

}  // namespace halsonav::statsio::jsonstat
