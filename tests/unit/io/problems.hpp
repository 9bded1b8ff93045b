#pragma once

// What the io readers' tests share: a refused file's problems as (pointer, message) pairs, and a
// file of ../shared/data read in place (HALSONAV_SHARED_DATA, set by tests/unit/CMakeLists.txt).

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

#ifdef HALSONAV_SHARED_DATA
inline std::string Shared(const std::string& path) {
  std::ifstream in(std::string(HALSONAV_SHARED_DATA) + "/" + path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}
#endif

}  // namespace halsonav::testing
