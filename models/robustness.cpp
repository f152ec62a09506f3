#include "models/robustness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/outputs.hpp"
#include "sim/prim.hpp"
#include "sim/regression.hpp"

namespace salesim {
namespace {

std::vector<AssumptionEffect> ranked(const Scenario& sc, const sim::StandardisedFit& fit) {
  std::vector<AssumptionEffect> out;
  if (!fit.defined) return out;
  for (std::size_t j = 0; j < sc.assumptions.size(); ++j)
    out.push_back({sc.assumptions[j].key, fit.coef[j], fit.se[j]});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::abs(a.coef) > std::abs(b.coef);
  });
  return out;
}

std::optional<double> median_of(const PlanResult& r) {
  return r.final_q.size() > 3 ? r.final_q[3] : std::nullopt;  // kPercentiles[3] is 0.5
}

// A share in whole percent; one that is neither 0 nor 1 never reads "0%" or "100%" (a plan
// that fails on 2 paths in 1000 "beat it in 100% of futures" and then described "the rest").
std::string pct(double v) {
  const std::string s = fmt::format("{:.0f}%", 100 * v);
  if (v > 0 && s == "0%") return "under 1%";
  if (v < 1 && s == "100%") return "over 99%";
  return s;
}

// Why a fit gave no ranking, in words: the outcome is the same on every path, or too few paths.
std::string unranked(const std::vector<double>& y, std::size_t assumptions) {
  // Too few paths first: on one path every outcome is "the same on every path".
  if (y.size() < assumptions + 3)
    return fmt::format("{} {} too few to rank {} assumptions (it takes at least {})", y.size(),
                       y.size() == 1 ? "path is" : "paths are", assumptions, assumptions + 3);
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); }))
    return "it is the same on every path, so nothing moves it";
  return "the least-squares fit has no solution on these paths";
}

}  // namespace

std::string bound_text(const RegionBound& b) {
  if (b.low && b.high && *b.low == *b.high)
    return fmt::format("{} = {}", b.name, bound_value(*b.low));
  if (b.low && b.high)
    return fmt::format("{} between {} and {}", b.name, bound_value(*b.low), bound_value(*b.high));
  if (b.low) return fmt::format("{} >= {}", b.name, bound_value(*b.low));
  return fmt::format("{} <= {}", b.name, bound_value(*b.high));
}

std::string vs_baseline_summary(const VsBaseline& v,
                                const std::function<std::string(const RegionBound&)>& bound_words) {
  // A plan with the same final bookings as the baseline on every path does not "fail": it is
  // the baseline as far as bookings go (it read "beats it in 0% of futures; the others have no
  // simple region in common").
  if (v.p_ties >= 1.0)
    return fmt::format(
        "{} books the same as {} in every future (equal final bookings on every path), so it "
        "never beats it",
        v.plan, v.baseline);
  std::string s =
      fmt::format("{} beats {} in {} of futures", v.plan, v.baseline, pct(v.p_beats.mean));
  if (v.p_ties > 0) s += fmt::format(" and ties in {}", pct(v.p_ties));
  if (v.p_beats.mean >= 1.0) return s + "; it never fails to";
  if (!v.region.found) return s + "; the others have no simple region in common";
  std::string where;
  for (std::size_t i = 0; i < v.region.bounds.size(); ++i)
    where += (i == 0                            ? ""
              : i + 1 == v.region.bounds.size() ? " and "
                                                : ", ") +
             bound_words(v.region.bounds[i]);
  return s + fmt::format("; {} of the rest have {} (where it fails in {} of futures)",
                         v.region.coverage > 0.5 ? fmt::format("most ({})", pct(v.region.coverage))
                                                 : pct(v.region.coverage),
                         where, pct(v.region.density));
}

namespace {
std::string summary(const VsBaseline& v) { return vs_baseline_summary(v, bound_text); }
}  // namespace

std::string bound_value(double v) {
  const double a = std::abs(v);
  if (a >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:.3g}k", v / 1e3);
  return fmt::format("{:.3g}", v);
}

Robustness analyse_robustness(const Scenario& sc, const ScenarioResults& res,
                              const ScenarioResults* central, std::uint64_t first_path) {
  Robustness out;
  out.paths = res.paths;
  out.per_path = !res.streamed;
  if (sc.assumptions.empty() || res.plans.empty()) return out;
  const std::size_t p = sc.assumptions.size();
  const std::vector<double> draws =
      res.streamed ? std::vector<double>{} : assumption_draws(sc, first_path, res.paths);
  const bool goal = sc.base.goal.revenue.has_value();

  for (std::size_t i = 0; i < res.plans.size(); ++i) {
    const PlanResult& r = res.plans[i];
    PlanFigures f;
    f.plan = r.name;
    f.p_goal = r.goal;
    f.median = median_of(r);
    if (central && i < central->plans.size()) {
      const PlanResult& c = central->plans[i];
      if (c.goal) f.p_goal_central = c.goal->mean;
      f.median_central = median_of(c);
    }
    if (goal && !res.streamed) {
      const sim::StandardisedFit fit =
          sim::standardised_regression(draws, p, r.column(out::goal_met));
      f.goal_drivers = ranked(sc, fit);
      f.goal_r2 = fit.r2;
      f.goal_defined = fit.defined;
      if (!fit.defined) f.goal_unranked = unranked(r.column(out::goal_met), p);
    }
    out.plans.push_back(std::move(f));
  }

  // A streamed run keeps no per-path columns: no rankings, no ties and no region, but the
  // share of paths each plan beats the first is its comparison's p_better (a running sum).
  if (res.streamed) {
    for (const Comparison& c : res.comparisons) {
      VsBaseline v;
      v.plan = c.plan, v.baseline = c.baseline;
      const double n = double(res.paths);
      // The standard error of a share of paths, as sim::proportion gives it stored.
      v.p_beats = {c.p_better, n > 1 ? std::sqrt(c.p_better * (1 - c.p_better) / n) : std::nan(""),
                   res.paths};
      v.p_ties = std::nan("");
      v.diff_unranked = "a streamed run keeps no per-path figures";
      v.summary =
          fmt::format("{} beats {} in {} of futures", v.plan, v.baseline, pct(v.p_beats.mean));
      out.vs_baseline.push_back(std::move(v));
    }
    return out;
  }
  const std::vector<double> base = res.plans[0].column(out::final_bookings);
  for (std::size_t i = 1; i < res.plans.size(); ++i) {
    VsBaseline v;
    v.plan = res.plans[i].name, v.baseline = res.plans[0].name;
    const std::vector<double> plan = res.plans[i].column(out::final_bookings);
    const std::vector<double> diff = sim::paired_values(base, plan);
    std::vector<double> beats(plan.size());
    std::vector<std::uint8_t> fails(plan.size());
    std::size_t ties = 0;
    for (std::size_t k = 0; k < plan.size(); ++k) {
      ties += plan[k] == base[k];
      beats[k] = plan[k] > base[k];  // as p_better (docs/model.md 9)
      fails[k] = !beats[k];
    }
    v.p_beats = sim::proportion(beats);
    v.p_ties = plan.empty() ? 0.0 : double(ties) / double(plan.size());
    const sim::StandardisedFit fit = sim::standardised_regression(draws, p, diff);
    v.diff_drivers = ranked(sc, fit);
    v.diff_r2 = fit.r2;
    v.diff_defined = fit.defined;
    if (!fit.defined) v.diff_unranked = unranked(diff, p);
    const sim::PrimBox box = sim::prim(draws, p, fails);
    for (std::size_t j = 0; j < p; ++j) {
      if (!box.restricted(j)) continue;
      RegionBound b{sc.assumptions[j].key, sc.assumptions[j].short_name(), std::nullopt,
                    std::nullopt};
      if (std::isfinite(box.lo[j])) b.low = box.lo[j];
      if (std::isfinite(box.hi[j])) b.high = box.hi[j];
      // A discrete assumption with one value left in the box reads "volatility = 0.1".
      if (sc.assumptions[j].dist == AssumptionDist::discrete) {
        std::vector<double> in;
        for (double x : sc.assumptions[j].values)
          if (x >= box.lo[j] && x <= box.hi[j]) in.push_back(x);
        if (in.size() == 1) b.low = b.high = in[0];
      }
      v.region.bounds.push_back(b);
    }
    // A box denser in failures than chance allows: PRIM keeps the densest box it finds, so even
    // assumptions that cannot matter give one a little denser than the rest. Its rate must
    // exceed the overall rate by 3 standard errors of a random subset of its size (binomial,
    // without replacement from the paths).
    const double n = double(plan.size()), in = double(box.inside);
    const double noise =
        in > 0 && in < n ? std::sqrt(box.base_density * (1 - box.base_density) * (1 / in - 1 / n))
                         : 0.0;
    v.region.found = !v.region.bounds.empty() && box.density > box.base_density + 3 * noise;
    v.region.coverage = box.coverage;
    v.region.density = box.density;
    v.region.inside = box.inside;
    if (!v.region.found) {
      // No region: its figures are those of every path, not of the box that was rejected.
      v.region.bounds.clear();
      v.region.coverage = box.base_density > 0 ? 1.0 : 0.0;
      v.region.density = box.base_density;
      v.region.inside = plan.size();
    }
    v.summary = summary(v);
    out.vs_baseline.push_back(std::move(v));
  }
  return out;
}

}  // namespace salesim
