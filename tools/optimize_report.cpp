#include "tools/optimize_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "tools/goalseek.hpp"

namespace salesim::tools {

void finish_report(OptimizeReport& r) {
  // Optimism: how much the search's own paths flatter the optimum (blocks are independent).
  const sim::MeanSe in = r.in_sample.figures[0], out = r.confirmed.figures[0];
  r.optimism = {in.mean - out.mean, std::hypot(in.se, out.se), out.n};
  r.gain = sim::paired_diff(r.written.first_column, r.confirmed.first_column);
  // A lever at an end of its interval: the optimum may lie beyond it.
  r.at_end.assign(r.levers.size(), "");
  for (std::size_t i = 0; i < r.levers.size(); ++i) {
    if (r.result.best.x[i] == r.levers[i].lo) r.at_end[i] = "lower";
    if (r.result.best.x[i] == r.levers[i].hi) r.at_end[i] = "upper";
  }
  r.unmet.clear();
  for (std::size_t i = 0; i < r.constraints.size(); ++i)
    if (!r.constraints[i].met(r.confirmed.figures[1 + i].mean))
      r.unmet.push_back(condition_words(r.constraints[i]));
}

nlohmann::json report_json(const OptimizeReport& r) {
  using nlohmann::json;
  auto mean_se = [](const sim::MeanSe& m) { return json{{"mean", m.mean}, {"se", m.se}}; };
  json js = {{"plan", r.plan},
             {"name", r.name},
             {"file", r.file},
             {"seed", r.seed},
             {"maximize", r.objective.name},
             {"subject_to", json::array()},
             {"method", r.result.method},
             {"stop", r.result.stop},
             {"evaluations", r.evaluations},
             {"budget", r.budget},
             {"paths", r.paths},
             {"confirmation_paths", r.confirm_paths},
             {"confirmation_first_path", r.confirm_first},
             {"feasible", r.result.best.feasible},
             {"levers", json::array()},
             {"in_sample", json::object()},
             {"confirmation", json::object()},
             {"as_written_confirmation", json::object()},
             {"optimism", mean_se(r.optimism)},
             {"gain_vs_as_written", mean_se(r.gain)},
             {"constraints_met_on_confirmation", r.unmet.empty()},
             {"trace", json::array()}};
  for (const auto& c : r.constraints) js["subject_to"].push_back(c.text());
  for (std::size_t i = 0; i < r.levers.size(); ++i)
    js["levers"].push_back({{"key", r.levers[i].lever.path},
                            {"lo", r.levers[i].lo},
                            {"hi", r.levers[i].hi},
                            {"as_written", r.levers[i].lever.value},
                            {"value", r.result.best.x[i]},
                            {"at_end", r.at_end[i].empty() ? json() : json(r.at_end[i])}});
  for (std::size_t k = 0; k < r.outcomes.size(); ++k) {
    const std::string& n = r.outcomes[k].name;
    js["in_sample"][n] = mean_se(r.in_sample.figures[k]);
    js["confirmation"][n] = mean_se(r.confirmed.figures[k]);
    js["as_written_confirmation"][n] = mean_se(r.written.figures[k]);
  }
  for (std::size_t e = 0; e < r.result.trace.size(); ++e) {
    const OptPoint& pt = r.result.trace[e];
    json row = {{"evaluation", e + 1}, {"stage", pt.stage}, {"feasible", pt.feasible}};
    for (std::size_t i = 0; i < r.levers.size(); ++i) row[r.levers[i].lever.path] = pt.x[i];
    for (std::size_t k = 0; k < pt.figures.size(); ++k)
      row[r.outcomes[k].name] = mean_se(pt.figures[k]);
    js["trace"].push_back(row);
  }
  return js;
}

namespace {

// Whether outcome k's figure came earlier (a figure bounded twice, cost >= 7.5M and cost <= 8M,
// or the objective bounded): one column of the trace and one row of the table, not two.
bool named_before(const OptimizeReport& r, std::size_t k) {
  for (std::size_t j = 0; j < k; ++j)
    if (r.outcomes[j].name == r.outcomes[k].name) return true;
  return false;
}

}  // namespace

Table trace_table(const OptimizeReport& r) {
  Table t;
  for (std::size_t e = 0; e < r.result.trace.size(); ++e) {
    const OptPoint& pt = r.result.trace[e];
    Row cells{{"evaluation", double(e + 1)}, {"stage", pt.stage}};
    for (std::size_t i = 0; i < r.levers.size(); ++i)
      cells.emplace_back(r.levers[i].lever.path, pt.x[i]);
    for (std::size_t k = 0; k < pt.figures.size(); ++k) {
      if (named_before(r, k)) continue;
      cells.emplace_back(r.outcomes[k].name, pt.figures[k].mean);
      cells.emplace_back(r.outcomes[k].name + "_se", pt.figures[k].se);
    }
    cells.emplace_back("feasible", pt.feasible ? 1.0 : 0.0);
    t.add(std::move(cells));
  }
  return t;
}

std::vector<std::string> report_header(const OptimizeReport& r) {
  std::vector<std::string> h = {fmt::format("salesim optimize: plan '{}' of {}, maximize {}{}",
                                            r.plan, r.file, r.objective.name,
                                            r.constraints.empty() ? "" : " subject to")};
  for (std::size_t i = 0; i < r.constraints.size(); ++i)
    h.back() += (i ? ", " : " ") + condition_words(r.constraints[i]);
  h.push_back(fmt::format("{} on {} path{} (seed {}), {} evaluations", r.result.method, r.paths,
                          r.paths == 1 ? "" : "s", r.seed, r.evaluations));
  // Without a point that meets the bounds there is no optimum to confirm.
  if (r.result.best.feasible)
    h.back() += fmt::format("; confirmation on paths {}..{}: {} = {}", r.confirm_first,
                            r.confirm_first + r.confirm_paths - 1, figure_name(r.objective),
                            figure_text(r.objective, r.confirmed.figures[0]));
  h.push_back("Paste under `plans:` of the scenario file.");
  return h;
}

namespace {

// A lever at an end of its interval: the optimum (or, with no point meeting the bounds, a point
// that meets them) may lie beyond it, unless that end is the key's own limit.
std::string end_note(const OptimizeReport& r, std::size_t i) {
  const LeverRange& l = r.levers[i];
  const bool upper = r.at_end[i] == "upper";
  const double v = r.result.best.x[i];
  if (at_key_limit(l.lever, v, upper))
    return fmt::format("Note: {} is at the {} end of its interval, {}: nothing lies beyond it.\n",
                       l.lever.path, r.at_end[i], key_limit_words(v, upper));
  return fmt::format(
      "Note: {} is at the {} end of its interval; {} may lie beyond it (widen the interval, if "
      "the key allows).\n",
      l.lever.path, r.at_end[i],
      r.result.best.feasible ? "the optimum" : "a point that meets every bound");
}

}  // namespace

void print_report(const OptimizeReport& r, std::ostream& out) {
  const bool feasible = r.result.best.feasible;
  const auto header = report_header(r);
  out << header[0] << "\n" << header[1] << "\n";
  out << fmt::format("Stopped: {}\n\n", r.result.stop);
  // No point meets every bound: what follows is the nearest point, not a result.
  if (!feasible)
    out << "No point evaluated meets every bound, so there is no optimum and no plan was "
           "written. The nearest point:\n";
  for (std::size_t i = 0; i < r.levers.size(); ++i)
    out << fmt::format("  {} = {}   (as written {}; searched [{}, {}])\n", r.levers[i].lever.path,
                       lever_text(r.result.best.x[i]), lever_text(r.levers[i].lever.value),
                       lever_text(r.levers[i].lo), lever_text(r.levers[i].hi));
  out << fmt::format("\n  {:<22} {:>24} {:>24} {:>24}\n", "figure", "in-sample", "confirmation",
                     "as written (confirm.)");
  for (std::size_t k = 0; k < r.outcomes.size(); ++k) {
    const Outcome& o = r.outcomes[k];
    if (named_before(r, k)) continue;  // a figure bounded twice is one row
    out << fmt::format(
        "  {:<22} {:>24} {:>24} {:>24}\n", figure_name(o), figure_text(o, r.in_sample.figures[k]),
        figure_text(o, r.confirmed.figures[k]), figure_text(o, r.written.figures[k]));
  }
  if (feasible)
    out << fmt::format(
        "\nOptimism of {} (in-sample - confirmation): {}\nGain over the plan as written on the "
        "confirmation paths (paired): {}\n",
        figure_name(r.objective), difference_text(r.objective, r.optimism),
        difference_text(r.objective, r.gain));
  else
    out << "\n";
  for (std::size_t i = 0; i < r.levers.size(); ++i)
    if (!r.at_end[i].empty()) out << end_note(r, i);
  // A bound no point met in-sample is not one that "binds" and slips on other paths: the
  // message of infeasible_message says what happened.
  if (!r.unmet.empty() && feasible) {
    std::string list;
    for (std::size_t i = 0; i < r.unmet.size(); ++i) list += (i ? ", " : " ") + r.unmet[i];
    out << fmt::format(
        "Warning: on the confirmation paths the optimum misses{}: the bound binds, and on other "
        "paths the figure falls on its other side (raise --paths, or tighten the bound by a "
        "standard error or two)\n",
        list);
  }
}

std::string infeasible_message(const OptimizeReport& r) {
  std::string at, bounds;
  bool widen = false;  // a lever at an end of its interval that the key lets go further
  for (std::size_t i = 0; i < r.levers.size(); ++i) {
    at += fmt::format(" {}={}", r.levers[i].lever.path, lever_text(r.result.best.x[i]));
    widen = widen || (!r.at_end[i].empty() &&
                      !at_key_limit(r.levers[i].lever, r.result.best.x[i], r.at_end[i] == "upper"));
  }
  for (std::size_t i = 0; i < r.constraints.size(); ++i)
    bounds += fmt::format(
        " {} (there {});", condition_words(r.constraints[i]),
        figure_text(r.constraints[i].outcome, r.result.best.figures[1 + i].mean, r.constraints[i]));
  return fmt::format(
      "no point evaluated meets every --subject-to bound; the nearest is at{}:{} no plan "
      "written ({})",
      at, bounds,
      widen ? "widen the levers' intervals or loosen the bounds"
            : "loosen the bounds, or choose other levers");
}

}  // namespace salesim::tools
