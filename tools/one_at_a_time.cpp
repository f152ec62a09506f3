#include "tools/one_at_a_time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tools/cli.hpp"

namespace salesim::tools {
namespace {

struct Invalid {
  std::string message;
};

}  // namespace

OneAtATime one_at_a_time(const Scenario& sc, const std::string& plan,
                         const std::vector<Factor>& factors, double delta, StudySettings st,
                         const RunProgress& progress, bool skip_invalid) {
  OneAtATime out;
  out.paths = st.run.paths ? st.run.paths : std::size_t(sc.base.simulation.paths);
  std::size_t runs_done = 0;
  if (progress) st.run.progress = [&](std::size_t done, std::size_t) { progress(runs_done, done); };
  auto run = [&](const std::vector<std::pair<std::string, double>>& values) {
    Scenario variant;
    try {
      variant = plan_variant(sc, plan, values);
    } catch (const ScenarioError& e) {
      throw Invalid{fmt::format(
          "{} = {} makes an invalid scenario (try a smaller --delta or leave this key out): {}",
          values.front().first, values.front().second, e.what())};
    }
    PlanResult r = run_variant(variant, st).result;
    ++runs_done;
    return r;
  };

  const PlanResult base = run({});
  out.base = *metric_estimate(base, st.metric);
  // 12 significant digits: 0.4 * 0.8 is 0.32, not 0.32000000000000006.
  auto tidy = [](double v) { return std::stod(fmt::format("{:.12g}", v)); };
  for (const Factor& f : factors) {
    FactorSwing s;
    s.factor = f;
    std::vector<std::pair<std::string, double>> lo_set, hi_set;
    for (const Lever& l : f.levers) {
      double lo = fit_to_lever(l, tidy(l.value * (1 - delta)));
      double hi = fit_to_lever(l, tidy(l.value * (1 + delta)));
      if (lo > hi) std::swap(lo, hi);  // negative values
      s.moved = s.moved || lo != l.value || hi != l.value;
      s.low_values.push_back(lo), s.high_values.push_back(hi);
      lo_set.emplace_back(l.path, lo), hi_set.emplace_back(l.path, hi);
    }
    if (f.levers.empty()) continue;
    try {
      const PlanResult lo = run(lo_set);
      const PlanResult hi = run(hi_set);
      s.low = *metric_estimate(lo, st.metric);
      s.high = *metric_estimate(hi, st.metric);
      s.low_effect = paired_metric_diff(base, lo, st.metric);
      s.high_effect = paired_metric_diff(base, hi, st.metric);
      s.swing = paired_metric_diff(lo, hi, st.metric);
    } catch (const Invalid& e) {
      if (!skip_invalid) throw BadInput(e.message);
      out.skipped.push_back(f.name);
      continue;
    }
    out.swings.push_back(std::move(s));
  }
  std::stable_sort(out.swings.begin(), out.swings.end(),
                   [](const FactorSwing& x, const FactorSwing& y) {
                     return std::abs(x.swing.mean) > std::abs(y.swing.mean);
                   });
  return out;
}

}  // namespace salesim::tools
