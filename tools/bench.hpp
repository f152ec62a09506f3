#pragma once
// `salesim bench`: whole-run throughput of a scenario's first plan, with 1 thread and with all
// threads (median of repeats).
#include <string>
#include <vector>

namespace salesim::tools {

struct BenchArgs {
  std::string file, json;
  int paths = 2000;
  int repeats = 3;
};

int run_bench(const BenchArgs& a);
// The median of the measurements (of an even count, the mean of the two middle ones); v is not
// empty.
double median_seconds(std::vector<double> v);

}  // namespace salesim::tools
