#include "tools/results_h5.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "models/outputs.hpp"
#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/h5.hpp"
#include "sim/sketch.hpp"

namespace salesim::tools {
namespace {

void write_checkpoints(sim::h5::Group& g, const Scenario& sc, const PlanResult& r);

// Quantiles per week as a [weeks x 7] matrix; a quantile that does not exist is NaN.
std::vector<double> quantile_matrix(const std::vector<Quantiles>& q) {
  std::vector<double> out;
  for (const auto& row : q)
    for (const auto& v : row) out.push_back(v ? *v : std::nan(""));
  return out;
}

void write_plan(sim::h5::Group& g, const Scenario& sc, const PlanResult& r, int index) {
  const hsize_t W = r.run.shape.weeks, P = r.run.paths, NQ = std::size(sim::kPercentiles);
  g.attr("name", r.name);
  g.attr("index", std::int64_t(index));
  for (const auto& p : sc.plans)
    if (p.name == r.name) {
      g.attr("description", p.description);
      g.attr("from_week", std::int64_t(p.from_week));
    }
  auto weekly = g.group("weekly");
  std::vector<std::int32_t> weeks(W);
  for (hsize_t w = 0; w < W; ++w) weeks[w] = std::int32_t(w + 1);
  weekly.write("week", weeks, {W});
  weekly.attr("quantile_probabilities",
              std::vector<double>(std::begin(sim::kPercentiles), std::end(sim::kPercentiles)));
  weekly.write("cum_bookings_mean", r.weekly.cum_mean, {W});
  weekly.write("cum_bookings_quantiles", quantile_matrix(r.weekly.cum_q), {W, NQ});
  weekly.write("weekly_bookings_mean", r.weekly.weekly_mean, {W});
  weekly.write("weekly_bookings_quantiles", quantile_matrix(r.weekly.weekly_q), {W, NQ});
  for (std::size_t s = 0; s < out::summed_count; ++s) {
    if (s == out::s_has_reps || s == out::s_has_stepped) continue;
    weekly.write(std::string(out::summed_names[s]) + "_mean", r.weekly.means[s], {W});
  }

  if (r.streamed) return write_checkpoints(g, sc, r);  // no per-path data to write
  auto paths = g.group("paths");
  std::vector<double> idx(P);
  for (hsize_t i = 0; i < P; ++i) idx[i] = double(r.run.first_path + i);
  paths.write("path_index", idx, {P});
  const std::pair<const char*, std::size_t> cols[] = {
      {"final_bookings", out::final_bookings},
      {"cost", out::cost},
      {"leavers", out::leavers},
      {"hires", out::hires},
      {"opportunities_created", out::created},
      {"won", out::won},
      {"lost", out::lost},
      {"goal_met", out::goal_met},
      {"goal_week", out::goal_week},
      {"burnout_final", out::burnout_final},
      {"burnt_out_share_final", out::burnt_out_share_final},
      {"headcount_final", out::headcount_final},
      {"hours_per_rep_week", out::hours_per_rep_week}};
  for (const auto& [name, col] : cols) paths.write(name, r.column(col), {P});
  const hsize_t C = sc.base.goal.checkpoints.size();
  std::vector<std::uint8_t> met(P * C);
  for (hsize_t i = 0; i < P; ++i)
    for (hsize_t c = 0; c < C; ++c) met[i * C + c] = r.run.scalar(i, out::first_checkpoint + c) > 0;
  paths.write("checkpoints_met", met, {P, C});
  write_checkpoints(g, sc, r);
}

void write_checkpoints(sim::h5::Group& g, const Scenario& sc, const PlanResult& r) {
  const hsize_t C = sc.base.goal.checkpoints.size();
  auto cps = g.group("checkpoints");
  std::vector<std::string> labels;
  std::vector<std::int32_t> cweeks;
  std::vector<double> target, p, se, bmean, bse;
  for (const auto& c : r.checkpoints) {
    labels.push_back(c.label), cweeks.push_back(c.week), target.push_back(c.target);
    p.push_back(c.met.mean), se.push_back(c.met.se);
    bmean.push_back(c.bookings.mean), bse.push_back(c.bookings.se);
  }
  cps.write_strings("label", labels);
  cps.write("week", cweeks, {C});
  cps.write("target", target, {C});
  cps.write("p_met", p, {C});
  cps.write("p_met_se", se, {C});
  cps.write("bookings_mean", bmean, {C});
  cps.write("bookings_se", bse, {C});
}

}  // namespace

void write_results_h5(const std::string& path, const Scenario& sc, const ScenarioResults& res,
                      std::uint64_t seed, const std::string& summary_json) {
  sim::write_atomically(path, [&](const std::filesystem::path& tmp) {
    auto f = sim::h5::File::create(tmp.string());
    f.attr("file_type", std::string(kResultsFileType));
    f.attr("format_version", fmt::format("{}.{}", kResultsFormatMajor, kResultsFormatMinor));
    f.attr("format_major", std::int64_t(kResultsFormatMajor));
    f.attr("salesim_version", std::string(sim::build::version));
    f.attr("model_version", std::int64_t(kModelVersion));
    f.attr("git_revision", std::string(sim::build::git_revision));
    f.attr("created",
           fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(
                                                    std::chrono::system_clock::now()))));
    f.attr("seed", fmt::format("{}", seed));
    f.attr("paths", std::int64_t(res.paths));
    f.attr("threads", std::int64_t(res.threads));
    // Format 1.1: a streamed run (--streaming) has no per-path data and approximate quantiles.
    f.attr("per_path", std::int64_t(res.streamed ? 0 : 1));
    f.attr("quantile_relative_error",
           res.streamed ? sim::QuantileSketch::kDefaultRelativeError : 0.0);
    f.attr("scenario_name", sc.name);
    f.attr("scenario_file", sc.file);
    f.attr("horizon_weeks", std::int64_t(sc.horizon()));
    f.attr("goal_revenue", sc.base.goal.revenue ? *sc.base.goal.revenue : std::nan(""));
    f.attr("goal_by_week", std::int64_t(sc.goal_week()));
    f.attr("start_date", sc.base.simulation.start_date);
    f.write_string("scenario_text", sc.text);
    f.write_string("summary_json", summary_json);
    auto plans = f.group("plans");
    std::vector<std::string> order;
    for (std::size_t i = 0; i < res.plans.size(); ++i) {
      auto g = plans.group(res.plans[i].name);
      write_plan(g, sc, res.plans[i], int(i));
      order.push_back(res.plans[i].name);
    }
    f.write_strings("plan_order", order);
    auto comps = f.group("comparisons");
    for (const auto& c : res.comparisons) {
      auto g = comps.group(c.plan + "_vs_" + c.baseline);
      g.attr("plan", c.plan);
      g.attr("baseline", c.baseline);
      g.attr("final_bookings_diff_mean", c.bookings_diff.mean);
      g.attr("final_bookings_diff_se", c.bookings_diff.se);
      g.attr("cost_diff_mean", c.cost_diff.mean);
      g.attr("cost_diff_se", c.cost_diff.se);
      g.attr("profit_diff_mean", c.profit_diff.mean);
      g.attr("p_better", c.p_better);
      g.attr("roi", c.roi ? *c.roi : std::nan(""));
      if (res.streamed) continue;
      const PlanResult* a = &res.plans[0];
      const PlanResult* b = nullptr;
      for (const auto& p : res.plans)
        if (p.name == c.plan) b = &p;
      const auto fa = a->column(out::final_bookings), fb = b->column(out::final_bookings);
      std::vector<double> d(fa.size());
      for (std::size_t i = 0; i < d.size(); ++i) d[i] = fb[i] - fa[i];
      g.write("final_bookings_diff", d, {d.size()});
    }
    f.close();
  });
}

}  // namespace salesim::tools
