#include "tools/lever_runs.hpp"

#include <fmt/format.h>

#include "tools/cli.hpp"
#include "tools/lever_range.hpp"
#include "tools/study.hpp"

namespace salesim::tools {

LeverRuns::LeverRuns(const Scenario& sc, std::string plan, std::vector<Lever> levers,
                     std::vector<Outcome> outcomes, RunSettings run)
    : sc_(sc),
      plan_(std::move(plan)),
      levers_(std::move(levers)),
      outcomes_(std::move(outcomes)),
      run_(std::move(run)) {
  if (!run_.paths) run_.paths = std::size_t(sc_.base.simulation.paths);
  run_.streaming = false;  // the figures need per-path columns
  run_.progress = [this](std::size_t done, std::size_t) {
    if (progress) progress(runs_, done);
  };
}

std::string invalid_at_message(const std::string& plan,
                               const std::vector<std::pair<std::string, double>>& values,
                               const std::string& problem) {
  std::string at, hint;
  for (const auto& [k, v] : values) {
    at += fmt::format(" {}={}", k, lever_text(v));
    const auto ends = [&](const std::string& tail) {
      return k.size() > tail.size() && k.compare(k.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (problem.find("must not exceed top") != std::string::npos && ends(".top"))
      hint = fmt::format("; to try a {} below its floor, lower {}.floor in the file first", k,
                         k.substr(0, k.size() - 4));
    if (problem.find("must not exceed top") != std::string::npos && ends(".floor"))
      hint = fmt::format("; to try a {} above its top, raise {}.top in the file first", k,
                         k.substr(0, k.size() - 6));
  }
  return fmt::format("plan '{}' at{} is not a valid scenario (narrow the lever's range{}): {}",
                     plan, at, hint, problem);
}

namespace {

using Values = std::vector<std::pair<std::string, double>>;

// The levers' values at every corner of their box; past six levers (2^k runs away), each lever
// at its two ends alone, the others as written.
std::vector<Values> lever_corners(const std::vector<LeverRange>& levers) {
  const std::size_t k = levers.size();
  const auto at = [&](std::size_t i, bool high) {
    return std::pair{levers[i].lever.path,
                     fit_to_lever(levers[i].lever, high ? levers[i].hi : levers[i].lo)};
  };
  std::vector<Values> corners;
  if (k <= 6) {
    for (std::size_t c = 0; c < (std::size_t(1) << k); ++c) {
      corners.emplace_back();
      for (std::size_t i = 0; i < k; ++i) corners.back().push_back(at(i, (c >> i) & 1));
    }
  } else {
    for (std::size_t i = 0; i < k; ++i)
      for (const bool high : {false, true}) corners.push_back({at(i, high)});
  }
  return corners;
}

}  // namespace

void check_lever_corners(const Scenario& sc, const std::string& plan,
                         const std::vector<LeverRange>& levers) {
  for (const Values& values : lever_corners(levers)) try {
      plan_variant(sc, plan, values);
    } catch (const ScenarioError& e) {
      throw BadInput(invalid_at_message(plan, values, e.what()));
    }
}

void check_points_time(const Scenario& sc, const std::string& plan,
                       const std::vector<LeverRange>& levers, std::size_t paths, std::size_t points,
                       int threads, double max_hours, const std::string& what) {
  // The plan at the corners of the levers' box: hires and contracts grow with a lever's value,
  // and two hiring levers high together step the most (each at its ends alone under-counted
  // them). Past six levers, also all at their lows and all at their highs.
  std::vector<Values> corners = lever_corners(levers);
  if (levers.size() > 6)
    for (const bool high : {false, true}) {
      corners.emplace_back();
      for (const LeverRange& l : levers)
        corners.back().emplace_back(l.lever.path, fit_to_lever(l.lever, high ? l.hi : l.lo));
    }
  double most = run_rep_weeks(plan_variant(sc, plan, {}), paths, 1);
  for (const Values& values : corners) {
    try {
      most = std::max(most, run_rep_weeks(plan_variant(sc, plan, values), paths, 1));
    } catch (const ScenarioError&) {
      // a corner no point reaches (a Latin hypercube's) and the scenario refuses: not counted
    }
  }
  const double seconds =
      most * double(points) / (kRepWeeksPerSecondPerThread * std::max(1, threads));
  if (seconds <= max_hours * 3600) return;
  throw BadInput(fmt::format(
      "{}: about {} runs of {} paths, each stepping up to {:.3g} rep-weeks (the plan at a corner "
      "of its levers), {} at {:.2g} rep-weeks per second per thread on {} thread{}; more than the "
      "{:g} hours allowed: use fewer --paths or a narrower range, or raise --max-hours if you "
      "mean it",
      what, points, paths, most, about_duration(seconds), kRepWeeksPerSecondPerThread,
      std::max(1, threads), threads == 1 ? "" : "s", max_hours));
}

Point LeverRuns::run_point(const std::vector<std::pair<std::string, double>>& values) {
  Scenario variant;
  try {
    variant = plan_variant(sc_, plan_, values);
  } catch (const ScenarioError& e) {
    throw BadInput(invalid_at_message(plan_, values, e.what()));
  }
  const PlanResult r = run_scenario(variant, run_).plans.front();
  ++runs_;
  Point p;
  for (const auto& [k, v] : values) p.values.push_back(v);
  for (const Outcome& o : outcomes_) p.figures.push_back(evaluate(o, r));
  if (!outcomes_.empty()) p.first_column = outcome_column(outcomes_.front(), r);
  return p;
}

Point LeverRuns::at(const std::vector<double>& values) {
  std::vector<double> fitted(levers_.size());
  std::vector<std::pair<std::string, double>> set;
  for (std::size_t i = 0; i < levers_.size(); ++i) {
    fitted[i] = fit_to_lever(levers_[i], values.at(i));
    set.emplace_back(levers_[i].path, fitted[i]);
  }
  if (auto it = seen_.find(fitted); it != seen_.end()) return trace_[it->second];
  trace_.push_back(run_point(set));
  seen_[fitted] = trace_.size() - 1;
  return trace_.back();
}

Point LeverRuns::as_written() {
  Point p = run_point({});
  for (const Lever& l : levers_) p.values.push_back(l.value);
  return p;
}

}  // namespace salesim::tools
