#include "tools/goalseek.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/keys.hpp"
#include "tools/charts.hpp"
#include "tools/lever_range.hpp"
#include "tools/report_format.hpp"
#include "tools/terminal.hpp"

namespace salesim::tools {
namespace {

// The scan's points: every whole number when there are few, else evenly spaced.
std::vector<double> scan_points(const GoalSeekSettings& s) {
  std::vector<double> xs;
  const int n = std::max(2, s.scan);
  if (s.integer && s.hi - s.lo + 1 <= n) {
    for (double x = s.lo; x <= s.hi; ++x) xs.push_back(x);
    return xs;
  }
  for (int i = 0; i < n; ++i) {
    double x = i == n - 1 ? s.hi : s.lo + (s.hi - s.lo) * i / (n - 1);
    if (s.integer) x = std::round(x);
    if (xs.empty() || x != xs.back()) xs.push_back(x);
  }
  return xs;
}

// Empty when the figures, in lever order, never turn back by more than noise; else where they
// turn back most.
std::string monotone_note(std::vector<GoalSeekStep> steps, const Outcome& o) {
  std::sort(steps.begin(), steps.end(), [](auto& a, auto& b) { return a.x < b.x; });
  if (steps.size() < 3) return "";
  const double trend = steps.back().y.mean - steps.front().y.mean;
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t i = 1; i < steps.size(); ++i) {
    const double d = steps[i].y.mean - steps[i - 1].y.mean;
    // A move against the overall direction (either direction when there is none).
    const double against = trend > 0 ? -d : trend < 0 ? d : std::abs(d);
    // A turn smaller than a quarter of the standard error is the wobble of a finite sample
    // (a percentile's order statistics, a path crossing the line), not a shape to warn of.
    const double noise = 0.25 * std::max(steps[i].y.se, steps[i - 1].y.se);
    if (against > noise && against > worst) worst = against, at = i;
  }
  if (worst <= 0) return "";
  const auto& a = steps[at - 1];
  const auto& b = steps[at];
  return fmt::format(
      "the figure is not monotone in the lever: it goes from {} at {} to {} at {}, against its "
      "overall direction; the target may also be reached elsewhere in the interval",
      figure_text(o, a.y), lever_text(a.x), figure_text(o, b.y), lever_text(b.x));
}

// The figure's slope near the answer `in`: towards the nearest point probed on the far side
// (between the answer and the scan's `out`) whose figure differs from the answer's by at least
// its standard error, else towards `out`. The scan's own bracket can be far wider than the
// region where the figure moves (hires in [0, 100000] crossing at 3), and would make the answer
// look thousands of times noisier than it is.
double slope_near(const std::vector<GoalSeekStep>& steps, double in, const sim::MeanSe& in_y,
                  double out) {
  const GoalSeekStep* nearest = nullptr;  // the nearest that moved clearly
  const GoalSeekStep* end = nullptr;      // the scan's out
  for (const GoalSeekStep& p : steps) {
    const bool between = out < in ? (p.x >= out && p.x < in) : (p.x > in && p.x <= out);
    if (!between) continue;
    if (p.x == out) end = &p;
    const double moved = std::abs(p.y.mean - in_y.mean);
    const bool clear = moved > 0 && !(moved < in_y.se);  // an SE of NaN (one path): any move
    if (clear && (!nearest || std::abs(p.x - in) < std::abs(nearest->x - in))) nearest = &p;
  }
  const GoalSeekStep* use = nearest ? nearest : end;
  return use ? (in_y.mean - use->y.mean) / (in - use->x) : 0;
}

}  // namespace

GoalSeekResult goal_seek(const Probe& probe, const Condition& target, const GoalSeekSettings& s) {
  GoalSeekResult r;
  r.step = s.integer ? 1 : (s.tolerance > 0 ? s.tolerance : (s.hi - s.lo) / 1000);
  auto eval = [&](double x) {
    const sim::MeanSe y = probe(x);
    r.steps.push_back({x, y});
    return target.met(y.mean);
  };
  std::vector<double> xs = scan_points(s);
  std::vector<bool> met;
  for (double x : xs) met.push_back(eval(x));

  // No scan point meets the target, but the one nearest it lies between two others: the figure
  // peaks (or dips) between scan points, where it may meet it (bookings that rise with the
  // prospecting hours, then fall, met 19M at 14.5 hours, between the scan's 13 and 22, and the
  // answer was "not reachable"). A ternary search between its neighbours, at most 16 more
  // points; a point meeting the target joins the scan and the bracket goes on from it.
  if (std::find(met.begin(), met.end(), true) == met.end()) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < xs.size(); ++i)
      if (target.excess(r.steps[i].y.mean) < target.excess(r.steps[best].y.mean)) best = i;
    if (best > 0 && best + 1 < xs.size()) {
      double a = xs[best - 1], b = xs[best + 1];
      auto excess_at = [&](double x) {
        const bool ok = eval(x);
        return std::pair{ok, target.excess(r.steps.back().y.mean)};
      };
      for (int k = 0; k < 8 && b - a > r.step * (1 + 1e-9); ++k) {
        double c = a + (b - a) / 3, d = b - (b - a) / 3;
        c = s.integer ? std::round(c) : tidy_value(c, r.step);
        d = s.integer ? std::round(d) : tidy_value(d, r.step);
        if (c >= d || c <= a || d >= b) break;
        const auto [c_met, c_excess] = excess_at(c);
        const auto [d_met, d_excess] = excess_at(d);
        if (c_met || d_met) {
          const double x = c_met ? c : d;
          const auto at = std::upper_bound(xs.begin(), xs.end(), x) - xs.begin();
          xs.insert(xs.begin() + at, x);
          met.insert(met.begin() + at, true);
          // Its step moves to its place among the scan's (steps[i] is xs[i]'s).
          const std::size_t from = r.steps.size() - (c_met ? 2 : 1);
          const GoalSeekStep step = r.steps[from];
          r.steps.erase(r.steps.begin() + std::ptrdiff_t(from));
          r.steps.insert(r.steps.begin() + at, step);
          break;
        }
        if (c_excess < d_excess)
          b = d;
        else
          a = c;
      }
    }
  }

  if (std::find(met.begin(), met.end(), true) == met.end()) {
    // Not reachable: the point whose figure comes nearest the target, of every point probed.
    std::size_t best = 0;
    for (std::size_t i = 1; i < r.steps.size(); ++i) {
      const double e = target.excess(r.steps[i].y.mean), b = target.excess(r.steps[best].y.mean);
      if (e < b || (e == b && s.largest && r.steps[i].x > r.steps[best].x)) best = i;
    }
    r.value = r.steps[best].x;
    r.achieved = r.steps[best].y;
    r.value_se = std::nan("");  // no bracket
    r.monotone_note = monotone_note(r.steps, target.outcome);
    return r;
  }
  r.reachable = true;
  // The bracket: `in` reaches the target, `out` (one scan point further out) does not.
  std::size_t j;
  std::optional<double> out;
  if (!s.largest) {
    j = std::size_t(std::find(met.begin(), met.end(), true) - met.begin());
    if (j > 0) out = xs[j - 1];
  } else {
    j = met.size() - 1 - std::size_t(std::find(met.rbegin(), met.rend(), true) - met.rbegin());
    if (j + 1 < xs.size()) out = xs[j + 1];
  }
  double in = xs[j];
  sim::MeanSe in_y = r.steps[j].y;
  const std::optional<double> scan_out = out;
  while (out && std::abs(in - *out) > r.step * (1 + 1e-9)) {
    // Midpoints on the step's power of ten: the answer reads as the file will write it.
    double m = s.integer ? std::floor((in + *out) / 2) : tidy_value((in + *out) / 2, r.step);
    if (m == in || m == *out) break;
    if (eval(m))
      in = m, in_y = r.steps.back().y;
    else
      out = m;
  }
  r.value = in;
  r.achieved = in_y;
  // How fast the figure moves with the lever near the answer.
  const double slope = scan_out ? slope_near(r.steps, in, in_y, *scan_out) : 0;
  r.value_se = slope != 0 ? in_y.se / std::abs(slope) : std::nan("");
  r.neighbour = out;
  r.monotone_note = monotone_note(r.steps, target.outcome);
  return r;
}

std::string amount_text(const Outcome& o, double v) {
  if (o.proportion) return fmt::format("{:.10g}%", 100 * v);
  // The charts' short form reads as a leader writes an amount; kept only when it is exact, so
  // a target never reads as another number.
  const std::string c = charts::compact_number(v);
  std::string why;
  if (parse_number(c, false, why) == v) return c;
  const double a = std::abs(v);
  if (a >= 1e6) return fmt::format("{:.10g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:.10g}k", v / 1e3);
  return fmt::format("{:.10g}", v);
}

std::string figure_name(const Outcome& o) {
  if (o.name == "p_goal") return "P(goal)";
  if (o.name == "p_all_checkpoints") return "P(all checkpoints)";
  const std::string cp = "p_checkpoint:";
  if (o.name.rfind(cp, 0) == 0) return "P(checkpoint " + o.name.substr(cp.size()) + ")";
  return o.name;
}

std::string figure_text(const Outcome& o, const sim::MeanSe& m) {
  return o.proportion ? percent_se(m) : outcome_text(o, m);
}

std::string difference_text(const Outcome& o, const sim::MeanSe& d) {
  if (!o.proportion) return outcome_text(o, d);
  const std::string v = report::Fmt::signed_fixed(100 * d.mean, 1) + "pt";
  return std::isfinite(d.se) ? v + " " + points_se(d.se) : v;
}

std::string figure_text(const Outcome& o, double v, const Condition& near) {
  if (!o.proportion) {
    // outcome_text's decimals, unless a figure that misses the target would then read as it:
    // 8,000,001.66 is not "8.000M" beside a target of at most 8M.
    const double a = std::abs(v), unit = a >= 1e6 ? 1e6 : a >= 1e3 ? 1e3 : 1;
    const char* suffix = a >= 1e6 ? "M" : a >= 1e3 ? "k" : "";
    auto text = [&](double x, int d) { return fmt::format("{:.{}f}{}", x / unit, d, suffix); };
    int d = a >= 1e6 ? 3 : 1;
    if (near.met(v) || text(v, d) != text(near.value, d)) return outcome_text(o, v);
    while (d < 9 && text(v, d) == text(near.value, d)) ++d;
    return text(v, d);
  }
  // share()'s one decimal, unless a figure that misses the target would then read as it:
  // 89.96% is not "90.0%" beside a target of 90%.
  auto pct = [](double x, int d) { return fmt::format("{:.{}f}%", 100 * x, d); };
  int d = 1;
  while (d < 3 && !near.met(v) && pct(v, d) == pct(near.value, d)) ++d;
  return d == 1 ? share(v) : pct(v, d);
}

std::string condition_words(const Condition& c) {
  return fmt::format("{} {} {}", figure_name(c.outcome), c.at_least ? "at least" : "at most",
                     amount_text(c.outcome, c.value));
}

bool at_key_limit(const Lever& lever, double v, bool upper) {
  return v == fit_to_lever(lever, upper ? INFINITY : -INFINITY);
}

std::string key_limit_words(double v, bool upper) {
  return fmt::format("{}, the {} value the key allows", lever_text(v),
                     upper ? "highest" : "lowest");
}

}  // namespace salesim::tools
