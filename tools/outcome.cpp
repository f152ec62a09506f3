#include "tools/outcome.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/keys.hpp"
#include "models/outputs.hpp"
#include "models/recurring_layout.hpp"

namespace salesim::tools {
namespace {

struct Named {
  const char* name;
  std::size_t scalar;
  bool proportion, higher_is_better;
};
// Means of per-path figures. profit is bookings - cost, so it has no slot of its own.
constexpr std::size_t kProfit = std::size_t(-1);
const Named kNamed[] = {
    {"p_goal", out::goal_met, true, true},
    {"p_all_checkpoints", out::all_checkpoints, true, true},
    {"final_bookings_mean", out::final_bookings, false, true},
    {"profit", kProfit, false, true},
    {"cost", out::cost, false, false},
    {"burnt_out_share", out::burnt_out_share_final, false, false},
    {"burnout", out::burnout_final, false, false},
    {"leavers", out::leavers, false, false},
    {"headcount_final", out::headcount_final, false, true},
    {"exit_run_rate", out::exit_run_rate, false, true},
};

// Final ARR (revenue.model: recurring), named as the run's JSON names it (arr.final): its mean
// (`arr_final`, or `arr_final_mean`) or a percentile (`arr_final_p50`); nullopt for other names.
std::optional<Outcome> arr_outcome(const std::string& name, const Scenario& sc) {
  const std::string pre = "arr_final";
  if (name.rfind(pre, 0) != 0) return std::nullopt;
  const std::string rest = name.substr(pre.size());
  if (!rest.empty() && rest != "_mean" && rest.rfind("_p", 0) != 0) return std::nullopt;
  if (!arr_out::on(sc))
    throw std::invalid_argument(fmt::format(
        "'{}': {} has no recurring revenue (revenue.model: recurring, docs/model.md 12.5), so "
        "there is no ARR",
        name, sc.file));
  const std::size_t slot = out::first_recurring(sc) + arr_out::arr_final;
  if (rest.empty() || rest == "_mean") return Outcome{pre, slot, std::nullopt, false, true};
  for (std::size_t i = 0; i < std::size(sim::kPercentileNames); ++i)
    if (rest.substr(1) == sim::kPercentileNames[i])
      return Outcome{name, slot, sim::kPercentiles[i], false, true};
  throw std::invalid_argument(
      fmt::format("'{}' is not a reported percentile; expected {}_p5 .. "
                  "{}_p95",
                  name, pre, pre));
}

}  // namespace

std::vector<double> outcome_column(const Outcome& o, const PlanResult& r) {
  return o.scalar == kProfit ? metric_column(r, Metric::profit) : r.column(o.scalar);
}

std::string outcome_names(const Scenario& sc) {
  std::string s;
  for (const Named& n : kNamed) s += std::string(s.empty() ? "" : ", ") + n.name;
  s += ", final_bookings_p5 .. final_bookings_p95";
  if (arr_out::on(sc)) s += ", arr_final, arr_final_p5 .. arr_final_p95";
  if (!sc.base.goal.checkpoints.empty()) {
    s += ", p_checkpoint:LABEL (";
    for (std::size_t i = 0; i < sc.base.goal.checkpoints.size(); ++i)
      s += (i ? ", " : "") + sc.base.goal.checkpoints[i].label;
    s += ")";
  }
  return s;
}

Outcome parse_outcome(const std::string& name, const Scenario& sc) {
  auto refuse = [&](const std::string& why) {
    return std::invalid_argument(
        fmt::format("'{}' {}; expected one of {}", name, why, outcome_names(sc)));
  };
  // Short names the examples use.
  const std::string n = name == "final_bookings"               ? "final_bookings_mean"
                        : name == "profit_mean"                ? "profit"
                        : name == "cost_mean"                  ? "cost"
                        : name == "burnt_out_share_final_mean" ? "burnt_out_share"
                                                               : name;
  for (const Named& k : kNamed)
    if (n == k.name) {
      if (k.scalar == out::goal_met && !sc.base.goal.revenue)
        throw std::invalid_argument(fmt::format("'{}': {} has no goal.revenue", name, sc.file));
      if (k.scalar == out::all_checkpoints && sc.base.goal.checkpoints.empty())
        throw std::invalid_argument(fmt::format("'{}': {} has no goal.checkpoints", name, sc.file));
      return Outcome{k.name, k.scalar, std::nullopt, k.proportion, k.higher_is_better};
    }
  if (auto arr = arr_outcome(n, sc)) return *arr;
  const std::string cp = "p_checkpoint:";
  if (n.rfind(cp, 0) == 0) {
    const std::string label = n.substr(cp.size());
    const auto& cps = sc.base.goal.checkpoints;
    for (std::size_t i = 0; i < cps.size(); ++i)
      if (cps[i].label == label)
        return Outcome{n, out::first_checkpoint + i, std::nullopt, true, true};
    throw refuse("names no checkpoint of the file");
  }
  const std::string fb = "final_bookings_p";
  if (n.rfind(fb, 0) == 0) {
    const std::string pct = n.substr(fb.size());
    for (std::size_t i = 0; i < std::size(sim::kPercentileNames); ++i)
      if ("p" + pct == sim::kPercentileNames[i])
        return Outcome{n, out::final_bookings, sim::kPercentiles[i], false, true};
    throw refuse("is not a reported percentile");
  }
  std::vector<std::string> names;
  for (const Named& k : kNamed) names.push_back(k.name);
  if (arr_out::on(sc)) names.push_back("arr_final");
  throw refuse(
      fmt::format("is not a figure salesim aims at (did you mean '{}'?)", nearest(n, names)));
}

sim::MeanSe evaluate(const Outcome& o, const PlanResult& r) {
  std::vector<double> x = outcome_column(o, r);
  if (!o.quantile) return o.proportion ? sim::proportion(x) : sim::mean_se(x);
  std::erase_if(x, [](double v) { return std::isnan(v); });
  std::sort(x.begin(), x.end());
  const double p = *o.quantile, n = double(x.size());
  sim::MeanSe m;
  m.n = x.size();
  auto at = [&](std::uint64_t i) { return x[i]; };
  m.mean = sim::quantile_type7(x.size(), p, at).value_or(std::nan(""));
  m.se = std::nan("");  // one path: no standard error, as sim::mean_se says for a mean
  if (x.size() > 1) {
    // The order statistics about one binomial sd below and above n p: a distribution-free
    // interval of roughly +-1 standard error around the percentile.
    const double k = std::sqrt(n * p * (1 - p));
    const auto lo = std::size_t(std::clamp(std::floor(n * p - k), 0.0, n - 1));
    const auto hi = std::size_t(std::clamp(std::ceil(n * p + k), 0.0, n - 1));
    m.se = (x[hi] - x[lo]) / 2;
  }
  return m;
}

std::string outcome_text(const Outcome& o, double v) {
  if (o.proportion) return fmt::format("{:.4f}", v);
  // Fixed decimals, so two figures either side of a target read apart: 14.499M, 14.510M.
  if (std::abs(v) >= 1e6) return fmt::format("{:.3f}M", v / 1e6);
  if (std::abs(v) >= 1e3) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{:.4g}", v);
}

std::string outcome_text(const Outcome& o, const sim::MeanSe& m) {
  if (!std::isfinite(m.se))  // one path: no standard error
    return fmt::format("{} (no SE from one path)", outcome_text(o, m.mean));
  return fmt::format("{} (SE {})", outcome_text(o, m.mean),
                     o.proportion ? fmt::format("{:.2g}", m.se) : outcome_text(o, m.se));
}

std::string Condition::text() const {
  return fmt::format("{}{}{:.10g}", outcome.name, at_least ? ">=" : "<=", value);
}

Condition parse_condition(const std::string& text, const Scenario& sc, bool plain_ok) {
  const std::string example = plain_ok ? "METRIC=VALUE, as in p_goal=0.8 or final_bookings_p50=16M"
                                       : "METRIC>=VALUE or METRIC<=VALUE, as in p_goal>=0.8";
  std::size_t at = text.find(">=");
  std::size_t width = 2;
  bool at_least = true;
  if (at == std::string::npos) at = text.find("<="), at_least = false;
  if (at == std::string::npos && plain_ok) at = text.find('='), width = 1;
  if (at == std::string::npos || at == 0 || at + width >= text.size())
    throw std::invalid_argument(fmt::format("'{}': expected {}", text, example));
  Condition c;
  c.outcome = parse_outcome(text.substr(0, at), sc);
  c.at_least = width == 1 ? c.outcome.higher_is_better : at_least;
  std::string why;
  const std::string value = text.substr(at + width);
  const auto v = parse_number(value, true, why);
  if (!v || !std::isfinite(*v))
    throw std::invalid_argument(fmt::format("'{}': the value '{}' is not a number{}; expected {}",
                                            text, value, why.empty() ? "" : " (" + why + ")",
                                            example));
  c.value = *v;
  if (c.outcome.proportion && !(c.value >= 0 && c.value <= 1))
    throw std::invalid_argument(
        fmt::format("'{}': {} is a probability; expected a value from 0 to 1 (or 0% to 100%)", text,
                    c.outcome.name));
  return c;
}

}  // namespace salesim::tools
