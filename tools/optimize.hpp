#pragma once
// Optimisation of a plan's levers under uncertainty by sample average approximation: the
// figures at each point are means over one fixed block of paths (common random numbers), so
// the problem the optimiser sees is deterministic. Derivative-free with constraints: NLopt's
// COBYLA over the box of the levers (scaled to [0, 1]); whole-number levers are rounded before
// each evaluation and finished with a search of their neighbours; when every lever is a whole
// number and the grid fits the budget, the whole grid instead.
#include <functional>
#include <string>
#include <vector>

#include "sim/stats.hpp"
#include "tools/outcome.hpp"

namespace salesim::tools {

struct OptLever {
  double lo = 0, hi = 1;
  bool integer = false;
  double start = 0;  // where the search starts (the plan's own value, inside [lo, hi])
};

struct OptProblem {
  std::vector<OptLever> levers;
  std::vector<Condition> constraints;  // on figures[1..]: figures[1 + i] is constraints[i]'s
  std::size_t budget = 60;             // distinct points evaluated, at most
};

// The figures at a point: [objective, constraint 1, ...]. Deterministic in the point.
using Evaluate = std::function<std::vector<sim::MeanSe>(const std::vector<double>&)>;

struct OptPoint {
  std::vector<double> x;
  std::vector<sim::MeanSe> figures;
  std::string stage;  // grid, cobyla or rounding
  bool feasible = false;
  double violation = 0;  // sum of the constraints' relative excesses (0 when feasible)
};

struct OptResult {
  OptPoint best;                // the best feasible point, else the least infeasible
  std::vector<OptPoint> trace;  // every distinct point, in the order evaluated
  std::string method;           // what ran: "grid" or "COBYLA" (+ "rounding")
  std::string stop;             // why the optimiser stopped
};

OptResult maximize(const Evaluate& f, const OptProblem& p);

}  // namespace salesim::tools
