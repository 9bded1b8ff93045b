#pragma once

// What the io readers' tests share: a refused file's problems as (pointer, message) pairs, and a
// file of the repository's real data read in place (HALSONAV_SOURCE_DIR, set by
// tests/unit/CMakeLists.txt): "data/national/…" (the registry and outlines every database gets)
// or "tests/data/…" (tests/data/SOURCES.md).

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace halsonav::testing {

using Problems = std::vector<std::pair<std::string, std::string>>;  // pointer, message

inline Problems ProblemsOf(const Error& error) {
  Problems out;
  for (const auto& problem : error.details.at("problems")) {
    out.emplace_back(problem.at("pointer").get<std::string>(),
                     problem.at("message").get<std::string>());
  }
  return out;
}

#ifdef HALSONAV_SOURCE_DIR
inline std::string RepositoryFile(const std::string& path) {
  std::ifstream in(std::string(HALSONAV_SOURCE_DIR) + "/" + path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}
#endif

}  // namespace halsonav::testing
