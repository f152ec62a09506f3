// The terminal's answers to "why" and "what if we miss": run --explain-diff and --conditional.
#include <fmt/format.h>

#include <algorithm>

#include "tools/terminal.hpp"

namespace salesim::tools {
namespace {

std::string share(const std::optional<sim::MeanSe>& m) {
  return m ? percent_se(*m) : std::string("-");
}

}  // namespace

std::string format_drivers(const ScenarioResults& res) {
  std::string s;
  for (const Comparison& c : res.comparisons) {
    // A plan that books what the first plan books does not book "0 more" than it.
    const double d = c.bookings_diff.mean;
    const std::string how = d == 0 ? std::string("the same as")
                            : money(std::abs(d)) == "0"
                                ? std::string("about the same as")
                                : money(std::abs(d)) + (d > 0 ? " more than" : " less than");
    s += fmt::format(
        "\nWhy '{}' books {} '{}' (paired, same paths; the effects add up to the "
        "difference):\n",
        c.plan, how, c.baseline);
    // A standard error that does not exist (one path) is left out, not shown as 0.
    auto se = [](const sim::MeanSe& m) { return std::isfinite(m.se) ? " ±" + money(m.se) : ""; };
    for (std::size_t k = 0; k < c.drivers.size(); ++k)
      s += fmt::format("  {:<44}{:>12}{}\n", kDriverLabels[k], money(c.drivers[k].mean),
                       se(c.drivers[k]));
    s += fmt::format("  {:<44}{:>12}{}\n", "Total (final bookings difference)",
                     money(c.bookings_diff.mean), se(c.bookings_diff));
  }
  if (res.comparisons.empty()) s += "\n(--explain-diff: one plan only, nothing to compare)\n";
  return s;
}

std::string format_conditional(const Scenario& sc, const ScenarioResults& res) {
  std::string s;
  if (sc.base.goal.checkpoints.empty())
    return "\n(--conditional: the scenario has no checkpoints to condition on)\n";
  // The first column fits the longest "<label> missed" (a long label pushed its row askew).
  std::size_t gw = 16;
  for (const PlanResult& r : res.plans)
    for (const ConditionalFigure& f : r.conditional) gw = std::max(gw, text_width(f.given) + 2);
  for (const PlanResult& r : res.plans) {
    s += fmt::format(
        "\nIf a checkpoint is missed, plan '{}' (figures on fewer than {} paths{}: -):\n", r.name,
        kMinConditionalPaths, sc.base.goal.revenue ? "" : ", and P(goal) without a goal");
    // (The third header is as wide as its column: a gap of two before it, or it ran into
    // "P(goal)".)
    s += fmt::format("  {:<{}}{:>8}{:>16}{:>24}{:>16}  {}\n", "given", gw, "paths", "P(goal)",
                     "missed+reached, of all", "shortfall", "later checkpoints");
    for (const ConditionalFigure& f : r.conditional) {
      std::string later;
      for (const auto& l : f.later) later += fmt::format("{} {}  ", l.checkpoint, share(l.p));
      s += fmt::format("  {:<{}}{:>8}{:>16}{:>24}{:>16}  {}\n", f.given, gw, f.paths,
                       share(f.p_goal), f.met ? std::string() : share(f.reached_anyway),
                       f.shortfall ? money(f.shortfall->mean) + " ±" + money(f.shortfall->se)
                                   : std::string(f.met ? "" : "-"),
                       later);
    }
  }
  return s;
}

}  // namespace salesim::tools
