// libFuzzer target: plan files (plan::ReadPlanFile). Besides "never crashes", a file that reads
// must survive the round trip through its canonical form (docs/plan-format.md): the canonical
// text reads again and writes the same text. A broken round trip aborts, which libFuzzer reports
// as a crash with the input saved.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "io/plan_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto plan = halsonav::plan::ReadPlanFile(text);
  if (!plan) return 0;
  const std::string canonical = halsonav::plan::WritePlanFile(*plan);
  const auto again = halsonav::plan::ReadPlanFile(canonical);
  if (!again) {
    std::fprintf(stderr, "canonical form does not read again: %s\n%s\n",
                 again.error().message.c_str(), canonical.c_str());
    std::abort();
  }
  if (halsonav::plan::WritePlanFile(*again) != canonical) {
    std::fprintf(stderr, "canonical form is not stable:\n%s\n", canonical.c_str());
    std::abort();
  }
  return 0;
}
