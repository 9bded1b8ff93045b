// halsonav_bench_pieces: where the time of GET /frameworks/{id}/tree and GET /measures/{id}
// goes, in process and without HTTP. Times, as the median of several runs:
//   store   - BeginRead + Get<Framework> + FrameworkNodes + FrameworkMeasures (SQL, row decoding)
//   tree    - App::FrameworkTree (the above + inheritance + building the nlohmann DOM)
//   dump    - Json::dump() of the tree (what the server sends)
//   free    - destroying the tree's DOM
//   measure - App::Get(measure) and its dump, over many ids
//
//   halsonav_bench_pieces DB FRAMEWORK_ID [RUNS]

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/open.hpp"
#include "store/sqlite_store.hpp"

namespace halsonav {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

int Run(const std::string& path, Id framework_id, int runs) {
  auto store = OpenSqliteStore(SqliteOptions{path, false, false, 1});
  if (!store) {
    std::cerr << "halsonav_bench_pieces: " << store.error().message << "\n";
    return 1;
  }
  std::vector<double> store_ms;
  std::size_t node_count = 0;
  std::size_t measure_count = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    auto tx = (*store)->BeginRead();
    if (!tx) throw std::runtime_error(tx.error().message);
    auto framework = (*tx)->Get<Framework>(framework_id);
    auto nodes = (*tx)->FrameworkNodes(framework_id);
    auto measures = (*tx)->FrameworkMeasures(framework_id);
    if (!framework || !nodes || !measures) throw std::runtime_error("store read failed");
    store_ms.push_back(Ms(start, Clock::now()));
    node_count = nodes->size();
    measure_count = measures->size();
  }
  store->reset();

  auto app = OpenApp(DatabaseConfig{path, false, false, 1});
  if (!app) {
    std::cerr << "halsonav_bench_pieces: " << app.error().message << "\n";
    return 1;
  }
  const Caller reader = Caller::Operator("bench");  // reads as a signed-in user does
  // The first call builds the document (store reads, JSON, dump); the later ones are served
  // from the cache until the history changes.
  const auto build_start = Clock::now();
  const auto built = (*app)->FrameworkTree(framework_id, reader);
  if (!built) throw std::runtime_error(built.error().message);
  const double build_ms = Ms(build_start, Clock::now());
  const std::size_t bytes = (*built)->size();
  std::vector<double> cached_ms;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    const auto cached = (*app)->FrameworkTree(framework_id, reader);
    if (!cached) throw std::runtime_error(cached.error().message);
    cached_ms.push_back(Ms(start, Clock::now()));
  }

  // Single measures: the ids of this framework's tree, each read and dumped once.
  std::vector<Id> ids;
  const Json whole = Json::parse(**built);
  for (const auto& sub_goal : whole["nodes"]) {
    for (const auto& group : sub_goal["children"]) {
      for (const auto& measure : group["measures"]) ids.push_back(measure["id"].get<Id>());
    }
  }
  std::vector<double> get_us;
  std::vector<double> get_dump_us;
  for (const Id id : ids) {
    const auto start = Clock::now();
    auto measure = (*app)->Get(EntityKind::kMeasure, id, reader);
    const auto got = Clock::now();
    const std::string body = measure->dump();
    const auto dumped = Clock::now();
    get_us.push_back(Ms(start, got) * 1000);
    get_dump_us.push_back(Ms(got, dumped) * 1000);
  }

  std::cout << fmt::format("tree of framework {}: {} nodes, {} measures, {} bytes\n", framework_id,
                           node_count, measure_count, bytes);
  std::cout << fmt::format("  store reads (SQL + rows), median of {}  {:8.2f} ms\n", runs,
                           Median(store_ms));
  std::cout << fmt::format("  first App::FrameworkTree (reads, JSON, dump) {:8.2f} ms\n", build_ms);
  std::cout << fmt::format("  cached App::FrameworkTree, median of {}  {:8.3f} ms\n", runs,
                           Median(cached_ms));
  std::cout << fmt::format(
      "single measure over {} ids: App::Get {:.0f} us, dump {:.0f} us (medians)\n", ids.size(),
      Median(get_us), Median(get_dump_us));
  return 0;
}

}  // namespace
}  // namespace halsonav

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: halsonav_bench_pieces DB FRAMEWORK_ID [RUNS]\n";
    return 2;
  }
  try {
    return halsonav::Run(argv[1], std::stoll(argv[2]), argc > 3 ? std::stoi(argv[3]) : 15);
  } catch (const std::exception& error) {
    std::cerr << "halsonav_bench_pieces: " << error.what() << "\n";
    return 1;
  }
}
