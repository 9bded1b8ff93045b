// Writes the sample plan (sample_plan.hpp) as a workbook exported on 2024-05-01, for
// check_plan_xlsx.py to read back with openpyxl. Usage: plan_xlsx_sample OUT.xlsx

#include <fstream>
#include <iostream>

#include "io/plan_xlsx.hpp"
#include "sample_plan.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: plan_xlsx_sample OUT.xlsx\n";
    return 2;
  }
  const auto bytes =
      halsonav::plan::WritePlanXlsx(halsonav::plan::testing::SamplePlan(), "2024-05-01");
  if (!bytes) {
    std::cerr << bytes.error().message << "\n";
    return 1;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  if (!out) {
    std::cerr << "cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
