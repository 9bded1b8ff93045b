#pragma once

// The demo content: the plan files of data/demo/, embedded in the binary at build time so that
// `halsonav init --demo` works wherever the binary is. Loaded through the plan-file importer.

#include <string_view>
#include <vector>

namespace halsonav {

struct DemoPlan {
  std::string_view file_name;
  std::string_view text;
};

// In the order they are loaded.
const std::vector<DemoPlan>& DemoPlans();

}  // namespace halsonav
