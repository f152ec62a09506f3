#include "tools/one_at_a_time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/bytes.hpp"
#include "sim/distributed.hpp"
#include "tools/cli.hpp"
#include "tools/rank_items.hpp"

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
  // Under mpirun the factors are split, not the paths; PathSplit::none from the caller means
  // this rank works alone (a report made by rank 0).
  const bool across_ranks = st.run.split != sim::PathSplit::none;
  st.run.split = sim::PathSplit::none;
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
  // Each factor's low and high runs are one item; under mpirun the factors are dealt to the
  // ranks (each also runs the plan as written, for the paired differences) and rank 0 gathers
  // the figures in factor order; the other ranks return no swings.
  std::vector<FactorSwing> all;
  for (const Factor& f : factors) {
    FactorSwing s;
    s.factor = f;
    for (const Lever& l : f.levers) {
      double lo = fit_to_lever(l, tidy(l.value * (1 - delta)));
      double hi = fit_to_lever(l, tidy(l.value * (1 + delta)));
      if (lo > hi) std::swap(lo, hi);  // negative values
      s.moved = s.moved || lo != l.value || hi != l.value;
      s.low_values.push_back(lo), s.high_values.push_back(hi);
    }
    all.push_back(std::move(s));
  }
  const std::vector<std::string> figures = gather_items(
      sim::dist::deal(all.size(), sim::dist::size()),
      [&](std::size_t i) {
        FactorSwing& s = all[i];
        sim::ByteWriter w;
        if (s.factor.levers.empty()) return w.take();
        std::vector<std::pair<std::string, double>> lo_set, hi_set;
        for (std::size_t k = 0; k < s.factor.levers.size(); ++k) {
          lo_set.emplace_back(s.factor.levers[k].path, s.low_values[k]);
          hi_set.emplace_back(s.factor.levers[k].path, s.high_values[k]);
        }
        try {
          const PlanResult lo = run(lo_set);
          const PlanResult hi = run(hi_set);
          w.put(std::uint8_t(1));
          w.put(*metric_estimate(lo, st.metric)), w.put(*metric_estimate(hi, st.metric));
          w.put(paired_metric_diff(base, lo, st.metric));
          w.put(paired_metric_diff(base, hi, st.metric));
          w.put(paired_metric_diff(lo, hi, st.metric));
        } catch (const Invalid& e) {
          if (!skip_invalid) throw BadInput(e.message);
          w.put(std::uint8_t(0));
        }
        return w.take();
      },
      across_ranks);
  for (std::size_t i = 0; i < figures.size(); ++i) {
    FactorSwing& s = all[i];
    if (s.factor.levers.empty()) continue;
    sim::ByteReader in(figures[i]);
    if (in.get<std::uint8_t>() == 0) {
      out.skipped.push_back(s.factor.name);
      continue;
    }
    s.low = in.get<sim::MeanSe>(), s.high = in.get<sim::MeanSe>();
    s.low_effect = in.get<sim::MeanSe>(), s.high_effect = in.get<sim::MeanSe>();
    s.swing = in.get<sim::MeanSe>();
    out.swings.push_back(std::move(s));
  }
  std::stable_sort(out.swings.begin(), out.swings.end(),
                   [](const FactorSwing& x, const FactorSwing& y) {
                     return std::abs(x.swing.mean) > std::abs(y.swing.mean);
                   });
  return out;
}

}  // namespace salesim::tools
