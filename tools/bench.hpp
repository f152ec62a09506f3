#pragma once
// `salesim bench`: whole-run throughput of a scenario's first plan, with 1 thread and with all
// threads (median of repeats).
#include <string>

namespace salesim::tools {

struct BenchArgs {
  std::string file, json;
  int paths = 2000;
  int repeats = 3;
};

int run_bench(const BenchArgs& a);

}  // namespace salesim::tools
