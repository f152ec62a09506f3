// bench_flows_lanes.cpp again, with sim/binomial_lanes.hpp's gathers done by scalar loads
// (SIM_LANES_GATHER_BY_LOADS): the benchmarks' names end in "Loads".
#define SIM_LANES_GATHER_BY_LOADS
#define FLOWS_SUFFIX "Loads"
#include "bench_flows_lanes.cpp"
