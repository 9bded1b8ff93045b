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
  std::vector<double> tree_ms;
  std::vector<double> dump_ms;
  std::vector<double> free_ms;
  std::size_t bytes = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    auto tree = std::make_unique<Json>(*(*app)->FrameworkTree(framework_id));
    const auto built = Clock::now();
    const std::string body = tree->dump();
    const auto dumped = Clock::now();
    tree.reset();
    const auto freed = Clock::now();
    tree_ms.push_back(Ms(start, built));
    dump_ms.push_back(Ms(built, dumped));
    free_ms.push_back(Ms(dumped, freed));
    bytes = body.size();
  }

  // Single measures: the ids of this framework's tree, each read and dumped once.
  std::vector<Id> ids;
  const Json whole = *(*app)->FrameworkTree(framework_id);
  for (const auto& sub_goal : whole["nodes"]) {
    for (const auto& group : sub_goal["children"]) {
      for (const auto& measure : group["measures"]) ids.push_back(measure["id"].get<Id>());
    }
  }
  std::vector<double> get_us;
  std::vector<double> get_dump_us;
  for (const Id id : ids) {
    const auto start = Clock::now();
    auto measure = (*app)->Get(EntityKind::kMeasure, id);
    const auto got = Clock::now();
    const std::string body = measure->dump();
    const auto dumped = Clock::now();
    get_us.push_back(Ms(start, got) * 1000);
    get_dump_us.push_back(Ms(got, dumped) * 1000);
  }

  const double tree_total = Median(tree_ms) + Median(dump_ms) + Median(free_ms);
  std::cout << fmt::format(
      "tree of framework {}: {} nodes, {} measures, {} bytes; median of {} runs\n", framework_id,
      node_count, measure_count, bytes, runs);
  std::cout << fmt::format("  store reads (SQL + rows)         {:8.2f} ms\n", Median(store_ms));
  std::cout << fmt::format(
      "  App::FrameworkTree (store + DOM) {:8.2f} ms  (DOM building ~{:.2f})\n", Median(tree_ms),
      Median(tree_ms) - Median(store_ms));
  std::cout << fmt::format("  dump                             {:8.2f} ms\n", Median(dump_ms));
  std::cout << fmt::format("  destroying the DOM               {:8.2f} ms\n", Median(free_ms));
  std::cout << fmt::format("  total in process                 {:8.2f} ms\n", tree_total);
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
