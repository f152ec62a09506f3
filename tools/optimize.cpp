#include "tools/optimize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <nlopt.hpp>

#include "tools/lever_range.hpp"

namespace salesim::tools {
namespace {

// A bound's scale, so that constraint tolerances and violations are relative to it; at least 1,
// so a bound of 0 (profit>=0) or a small share (burnt_out_share<=0.05) is not blown up.
double scale_of(double v) { return std::max(std::abs(v), 1.0); }

class Search {
 public:
  Search(const Evaluate& f, const OptProblem& p) : f_(f), p_(p) {}

  // The point with every lever inside its box, whole-number levers rounded and the others
  // rounded to a power of ten near a thousandth of their interval (the optimiser's own
  // resolution), so the plan written says 15.95, not 15.953290716692969, and is what was run.
  std::vector<double> fit(std::vector<double> x) const {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const OptLever& l = p_.levers[i];
      if (l.integer) {
        x[i] = std::round(x[i]);
      } else {
        x[i] = tidy_value(x[i], (l.hi - l.lo) / 1000);
      }
      x[i] = std::clamp(x[i], l.lo, l.hi);
    }
    return x;
  }

  const OptPoint& at(const std::vector<double>& raw, const char* stage) {
    const std::vector<double> x = fit(raw);
    if (auto it = seen_.find(x); it != seen_.end()) return trace_[it->second];
    OptPoint pt{x, f_(x), stage, true, 0};
    for (std::size_t i = 0; i < p_.constraints.size(); ++i) {
      const Condition& c = p_.constraints[i];
      const double e = c.excess(pt.figures.at(1 + i).mean) / scale_of(c.value);
      if (e > 0) pt.feasible = false, pt.violation += e;
    }
    seen_[x] = trace_.size();
    trace_.push_back(std::move(pt));
    return trace_.back();
  }

  bool better(const OptPoint& a, const OptPoint& b) const {  // a better than b
    if (a.feasible != b.feasible) return a.feasible;
    if (!a.feasible) return a.violation < b.violation;
    return a.figures[0].mean > b.figures[0].mean;
  }
  const OptPoint& best() const {
    std::size_t b = 0;
    for (std::size_t i = 1; i < trace_.size(); ++i)
      if (better(trace_[i], trace_[b])) b = i;
    return trace_[b];
  }
  std::size_t evaluations() const { return trace_.size(); }
  std::vector<OptPoint> take_trace() { return std::move(trace_); }

 private:
  const Evaluate& f_;
  const OptProblem& p_;
  std::map<std::vector<double>, std::size_t> seen_;
  std::vector<OptPoint> trace_;
};

// Every combination of whole numbers, or 0 when there are more than `limit` or a lever is not a
// whole number.
std::size_t grid_size(const OptProblem& p, std::size_t limit) {
  std::size_t n = 1;
  for (const OptLever& l : p.levers) {
    if (!l.integer) return 0;
    n *= std::size_t(l.hi - l.lo + 1);
    if (n > limit) return 0;
  }
  return n;
}

void run_grid(Search& s, const OptProblem& p) {
  std::vector<double> x;
  for (const OptLever& l : p.levers) x.push_back(l.lo);
  while (true) {
    s.at(x, "grid");
    std::size_t i = 0;
    while (i < x.size() && ++x[i] > p.levers[i].hi) x[i] = p.levers[i].lo, ++i;
    if (i == x.size()) return;
  }
}

struct CobylaContext {
  Search* search;
  const OptProblem* p;
  double objective_scale = 1;
  std::size_t calls = 0;     // NLopt's evaluations
  std::size_t repeats = 0;   // of them, at a point already run (which runs nothing)
  std::exception_ptr error;  // an exception of the evaluation, rethrown after NLopt returns
};

std::vector<double> unscale(const std::vector<double>& u, const OptProblem& p) {
  std::vector<double> x(u.size());
  for (std::size_t i = 0; i < u.size(); ++i)
    x[i] = p.levers[i].lo + u[i] * (p.levers[i].hi - p.levers[i].lo);
  return x;
}

const OptPoint& cobyla_point(const std::vector<double>& u, CobylaContext& c) {
  try {
    return c.search->at(unscale(u, *c.p), "cobyla");
  } catch (...) {
    c.error = std::current_exception();
    throw nlopt::forced_stop();
  }
}

double cobyla_objective(const std::vector<double>& u, std::vector<double>&, void* data) {
  auto& c = *static_cast<CobylaContext*>(data);
  // NLopt calls the objective once per evaluation, first (the constraints then find it run).
  const std::size_t before = c.search->evaluations();
  const double f = -cobyla_point(u, c).figures[0].mean / c.objective_scale;
  ++c.calls;
  if (c.search->evaluations() == before) ++c.repeats;
  return f;
}

struct ConstraintData {
  CobylaContext* c;
  std::size_t i;
};
double cobyla_constraint(const std::vector<double>& u, std::vector<double>&, void* data) {
  auto& d = *static_cast<ConstraintData*>(data);
  const Condition& cond = d.c->p->constraints[d.i];
  return cond.excess(cobyla_point(u, *d.c).figures[1 + d.i].mean) / scale_of(cond.value);
}

// What a COBYLA pass did: why it stopped, and NLopt's calls (its budget counts calls, and a
// call at a point already run, such as a nearby value of a whole-number lever, runs nothing).
struct CobylaPass {
  std::string stop;
  bool budget_spent = false;
  std::size_t calls = 0, repeats = 0;
};

// One COBYLA pass from x with a first step of `step` (a share of each interval), at most
// `budget` calls. `objective_scale` is set on the first pass and kept for the next.
CobylaPass run_cobyla(Search& s, const OptProblem& p, std::size_t budget,
                      const std::vector<double>& x, double step, double& objective_scale) {
  const std::size_t n = p.levers.size();
  std::vector<double> u(n);
  for (std::size_t i = 0; i < n; ++i) {
    const OptLever& l = p.levers[i];
    u[i] = std::clamp((x[i] - l.lo) / (l.hi - l.lo), 0.0, 1.0);
  }
  CobylaContext c{&s, &p, 1, 0, 0, nullptr};
  CobylaPass pass;
  const bool probe = objective_scale == 0;
  if (probe) {
    // The objective's scale: its size or its spread over paths (profit near 0 still moves by
    // millions), at least 1 (a probability).
    const sim::MeanSe f0 = s.at(unscale(u, p), "cobyla").figures[0];
    objective_scale = std::max({std::abs(f0.mean), f0.se * std::sqrt(double(f0.n)), 1.0});
  }
  c.objective_scale = objective_scale;
  nlopt::opt opt(nlopt::LN_COBYLA, unsigned(n));
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_min_objective(cobyla_objective, &c);
  std::vector<ConstraintData> data;
  data.reserve(p.constraints.size());
  for (std::size_t i = 0; i < p.constraints.size(); ++i) {
    data.push_back({&c, i});
    opt.add_inequality_constraint(cobyla_constraint, &data.back(), 1e-6);
  }
  // Stop at a thousandth of each interval, or at the budget (calls at a point already run, such
  // as a rounded whole number, cost nothing but count here).
  opt.set_initial_step(step);
  opt.set_xtol_abs(1e-3);
  opt.set_maxeval(int(std::max<std::size_t>(budget, 1)));
  double value = 0;
  std::string& stop = pass.stop;
  try {
    switch (opt.optimize(u, value)) {
      case nlopt::MAXEVAL_REACHED:
        stop = "the evaluation budget was reached";
        pass.budget_spent = true;
        break;
      case nlopt::XTOL_REACHED:
        stop = "the step fell below a thousandth of each interval";
        break;
      default:
        stop = "converged";
    }
  } catch (const nlopt::forced_stop&) {
    if (c.error) std::rethrow_exception(c.error);
    stop = "stopped";
  } catch (const nlopt::roundoff_limited&) {
    stop = "stopped by rounding (the figures are flat near the optimum)";
  }
  if (c.error) std::rethrow_exception(c.error);
  pass.calls = c.calls, pass.repeats = c.repeats;
  // NLopt's first call is at the start, which the probe for the scale ran as if for it.
  if (probe && pass.repeats > 0) --pass.repeats;
  return pass;
}

// The moves to the neighbours of a point in n whole-number levers (each -1, 0 or +1): every
// combination while there are at most 3^11; past that, those that move one or two levers (3^n
// would not fit, and a cut-off count would move the last levers one way only).
std::vector<std::vector<int>> neighbour_offsets(std::size_t n) {
  std::vector<std::vector<int>> out;
  if (n <= 11) {
    std::size_t combos = 1;
    for (std::size_t k = 0; k < n; ++k) combos *= 3;
    for (std::size_t m = 0; m < combos; ++m) {
      std::vector<int> d(n);
      std::size_t code = m;
      for (std::size_t k = 0; k < n; ++k) d[k] = int(code % 3) - 1, code /= 3;
      out.push_back(std::move(d));
    }
    return out;
  }
  for (std::size_t a = 0; a < n; ++a)
    for (int da : {-1, 1}) {
      std::vector<int> d(n);
      d[a] = da;
      out.push_back(d);
      for (std::size_t b = a + 1; b < n; ++b)
        for (int db : {-1, 1}) {
          d[b] = db;
          out.push_back(d);
          d[b] = 0;
        }
    }
  return out;
}

// A local search over the whole-number levers: the neighbours of the best point (each -1, 0,
// +1), nearest first; from a better one, strides doubling along the same direction; then again
// around the new best, until no neighbour is better or `budget` new points are spent. COBYLA
// treats whole numbers as continuous and can stall on a rounding plateau.
std::string run_rounding(Search& s, const OptProblem& p, std::size_t budget) {
  std::vector<std::size_t> ints;
  for (std::size_t i = 0; i < p.levers.size(); ++i)
    if (p.levers[i].integer) ints.push_back(i);
  const std::vector<std::vector<int>> offsets = neighbour_offsets(ints.size());
  const std::size_t stop_at = s.evaluations() + budget;
  std::vector<double> centre;
  while (true) {
    if (s.evaluations() >= stop_at) return "the budget was spent";
    if (s.best().x == centre) return "no whole-number neighbour is better";
    centre = s.best().x;
    std::vector<std::vector<double>> around;
    for (const auto& d : offsets) {
      std::vector<double> x = centre;
      for (std::size_t k = 0; k < ints.size(); ++k) x[ints[k]] += d[k];
      around.push_back(s.fit(x));
    }
    auto moved = [&](const std::vector<double>& x) {
      double d = 0;
      for (std::size_t i : ints) d += std::abs(x[i] - centre[i]);
      return d;
    };
    std::stable_sort(around.begin(), around.end(),
                     [&](auto& a, auto& b) { return moved(a) < moved(b); });
    for (const auto& x : around) {
      if (s.evaluations() >= stop_at) break;
      s.at(x, "rounding");
    }
    // A better neighbour gives a direction: go on along it with doubling strides while that
    // keeps improving, so a long climb does not cost one evaluation per unit.
    const std::vector<double> from = s.best().x;
    if (from == centre)
      return s.evaluations() >= stop_at ? "the budget was spent"
                                        : "no whole-number neighbour is better";
    for (double stride = 2; s.evaluations() < stop_at; stride *= 2) {
      std::vector<double> x = from;
      for (std::size_t i : ints) x[i] += stride * (from[i] - centre[i]);
      x = s.fit(x);
      const std::vector<double> was = s.best().x;
      if (x == was) break;  // clamped at the box's edge
      s.at(x, "rounding");
      if (s.best().x == was) break;
    }
  }
}

}  // namespace

OptResult maximize(const Evaluate& f, const OptProblem& p) {
  Search s(f, p);
  OptResult r;
  bool any_integer = false;
  for (const OptLever& l : p.levers) any_integer = any_integer || l.integer;
  if (grid_size(p, p.budget) > 0) {
    run_grid(s, p);
    r.method = "grid";
    r.stop = "every combination evaluated";
  } else {
    // A quarter of the budget kept for the local search over whole numbers after COBYLA, which
    // also gets whatever COBYLA leaves (it often converges with calls to spare).
    const std::size_t reserve = any_integer ? std::max<std::size_t>(1, p.budget / 4) : 0;
    const std::size_t budget = p.budget - reserve;
    std::vector<double> start;
    for (const OptLever& l : p.levers) start.push_back(l.start);
    double scale = 0;
    // First steps of a quarter of each interval; then, while the budget allows, a finer pass
    // from the best point: the sample surface is bumpy at the scale of a few paths, and a fresh
    // simplex there often finds a little more.
    CobylaPass pass = run_cobyla(s, p, budget, start, 0.25, scale);
    std::size_t calls = pass.calls, repeats = pass.repeats;
    // Nothing feasible yet: the pass followed a bound to an end of the box while the feasible
    // region lay elsewhere in it (cost rising, then falling, with the hours: "no point meets
    // every bound" with 52 of 60 evaluations unused). Fresh passes from spread-out starts, every
    // lever at the same share of its interval (10%, 90%, 50%, 30%, 70%), while the budget lasts.
    for (const double at : {0.1, 0.9, 0.5, 0.3, 0.7}) {
      if (s.best().feasible || s.evaluations() + p.levers.size() + 2 >= budget) break;
      std::vector<double> from;
      for (const OptLever& l : p.levers) from.push_back(l.lo + at * (l.hi - l.lo));
      const std::size_t share = std::max<std::size_t>(p.levers.size() + 6, budget / 4);
      pass = run_cobyla(s, p, std::min(budget - s.evaluations(), share), from, 0.1, scale);
      calls += pass.calls, repeats += pass.repeats;
    }
    if (s.evaluations() + p.levers.size() + 2 < budget) {
      pass = run_cobyla(s, p, budget - s.evaluations(), s.best().x, 0.05, scale);
      calls += pass.calls, repeats += pass.repeats;
    }
    r.stop = pass.stop;
    // Its budget counts NLopt's calls, and a call at a point already run (nearby values of a
    // whole-number lever round alike) runs nothing: "the evaluation budget was reached" beside
    // 7 evaluations of 20 was not true. Say what stopped it.
    if (pass.budget_spent && repeats > 0)
      r.stop = fmt::format(
          "its {} calls were spent, {} of them at points already run (nearby values round to "
          "the same point), so it ran {} points",
          calls, repeats, s.evaluations());
    r.method = "COBYLA";
    if (any_integer) {
      r.stop = "COBYLA: " + r.stop + "; whole numbers: " +
               run_rounding(s, p, p.budget - std::min(p.budget, s.evaluations()));
      r.method += " + rounding";
    }
  }
  r.best = s.best();
  r.trace = s.take_trace();
  return r;
}

}  // namespace salesim::tools
