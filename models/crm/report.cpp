#include "models/crm/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/crm/csv.hpp"
#include "models/crm/scenario_writer.hpp"

namespace salesim::crm {
namespace {

using nlohmann::json;

json band_json(const Band& b) {
  return {{"mean", b.mean}, {"p10", b.p10}, {"p50", b.p50}, {"p90", b.p90}};
}

json shrink_json(const Shrinkage& s, const char* what) {
  json reps = json::array();
  for (const auto& r : s.reps)
    reps.push_back({{"owner", r.owner},
                    {"observed", r.observed},
                    {"expected", r.expected},
                    {"raw_ratio", r.raw},
                    {"shrunk_ratio", r.shrunk},
                    {"shrunk_se", r.se}});
  return {{"what", what},        {"chi2", s.test.chi2},
          {"df", s.test.df},     {"p_value", s.test.p_value},
          {"tau2", s.test.tau2}, {"distinguishable_from_noise", s.test.distinguishable},
          {"reps", reps}};
}

// Amounts up to 1e12 a deal are allowed, so a period can book trillions: B and T keep the
// terminal's columns as wide as for millions.
std::string money(double v) {
  const double a = std::abs(v);
  if (a >= 1e12) return fmt::format("{:.2f}T", v / 1e12);
  if (a >= 1e9) return fmt::format("{:.2f}B", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:.0f}k", v / 1e3);
  if (a >= 10 || a == 0) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);  // amounts in thousands or millions: 2.36, 0.00236, not 0
}

// A share as a percentage, "n/a" when it is not a number (an APE of a period with nothing
// won).
std::string percent(double v, int width) {
  return std::isfinite(v) ? fmt::format("{:>{}.1f}%", 100 * v, width - 1)
                          : fmt::format("{:>{}}", "n/a", width);
}

std::string verdict(const Heterogeneity& t) {
  // No degrees of freedom: fewer than two reps with data, nothing to compare, which "chi2 0.0 on 0
  // df, p = 1: not distinguishable from noise" did not say.
  if (t.df <= 0) return "fewer than two reps with data: no rep to compare with";
  return fmt::format("chi2 {:.1f} on {} df, p = {:.3g}: {}", t.chi2, t.df, t.p_value,
                     t.distinguishable ? "reps differ beyond noise (shrunk factors used)"
                                       : "not distinguishable from noise");
}

}  // namespace

json quality_json(const QualityReport& q) {
  json checks = json::array();
  for (const auto& c : q.checks)
    checks.push_back({{"reason", c.reason},
                      {"excluded", c.excluded},
                      {"rows", c.rows},
                      {"examples", c.examples}});
  auto date = [](const std::optional<Day>& d) { return d ? json(format_date(*d)) : json(); };
  json stages = json::object();
  for (const auto& [value, v] : q.stages)
    stages[value] = {{"rows", v.rows},
                     {"outcome", v.outcome == Outcome::won    ? "won"
                                 : v.outcome == Outcome::lost ? "lost"
                                                              : "open"}};
  return {{"file", q.file},
          {"stages", stages},
          {"rows_read", q.rows_read},
          {"rows_kept", q.rows_kept},
          {"rows_excluded", q.rows_excluded},
          {"won", q.won},
          {"lost", q.lost},
          {"open", q.open},
          {"checks", checks},
          {"product_matches", q.product_matches},
          {"products_unpriced", q.products_unpriced},
          {"owners_without_manager", q.owners_without_manager},
          {"org_owners_without_deals", q.org_owners_without_deals},
          {"first_created", date(q.first_created)},
          {"last_created", date(q.last_created)},
          {"first_closed", date(q.first_closed)},
          {"last_closed", date(q.last_closed)}};
}

json calibration_json(const Calibration& c) {
  json j;
  const History& h = c.history;
  j["file"] = c.source->file;
  j["as_of"] = format_date(h.as_of);
  j["export_date"] = format_date(c.source->export_date);
  j["history_start"] = c.history_start ? json(format_date(*c.history_start)) : json();
  j["known"] = {{"deals", h.deals.size()},
                {"won", h.won()},
                {"lost", h.lost()},
                {"open", h.open()},
                {"owners", h.owners.size()}};
  j["notes"] = c.notes;
  j["warnings"] = c.warnings;
  j["win_probability"] = c.new_deal ? json(c.new_deal->p_win) : json();
  j["win_probability_se"] = c.new_deal ? json(c.p_win_se) : json();
  j["win_share_of_closed_naive"] = h.won() + h.lost() ? json(c.p_win_naive) : json();
  j["loss_probability"] = c.new_deal ? json(c.new_deal->p_loss) : json();
  j["mean_days_to_close"] = c.new_deal ? json(c.new_deal->mean_days_to_close) : json();
  if (c.hazards) {
    json bands = json::array();
    for (const auto& b : c.hazards->bands)
      bands.push_back({{"from_week", b.from_week},
                       {"to_week", b.to_week < 0 ? json() : json(b.to_week)},
                       {"exposure_weeks", b.exposure_weeks},
                       {"wins", b.wins},
                       {"losses", b.losses},
                       {"win_per_week", b.win},
                       {"win_se", b.win_se},
                       {"loss_per_week", b.loss},
                       {"loss_se", b.loss_se}});
    j["hazards"] = {{"bands", bands},
                    {"stale_from_week", c.hazards->tail_from_week},
                    {"deals_at_risk", c.hazards->deals_at_risk},
                    {"entered_late", c.hazards->entered_late},
                    {"closed_before_history", c.hazards->closed_before_history}};
    if (c.drift) {
      const Drift& d = *c.drift;
      json months = json::array();
      for (const auto& m : d.months)
        months.push_back({{"from", format_date(m.from)},
                          {"to", format_date(m.to)},
                          {"wins", m.wins},
                          {"expected_wins", m.expected_wins},
                          {"losses", m.losses},
                          {"expected_losses", m.expected_losses}});
      auto level = [](const LevelVariation& v) {
        return json{{"df", v.df},
                    {"chi2", v.x2},
                    {"p_value", v.df > 0 ? json(v.p_value) : json()},
                    {"tau2_from_data", v.df > 0 ? json(v.tau2_data) : json()},
                    {"tau2_used", v.tau2},
                    {"sd_used", std::sqrt(v.tau2)},
                    {"effective_months", v.effective_months}};
      };
      j["month_variation"] = {{"history_weeks", d.history_weeks},
                              {"prior", {{"sd", d.prior.sd}, {"months", d.prior.months}}},
                              {"win", level(d.win)},
                              {"loss", level(d.loss)},
                              {"months", months}};
    }
    j["rep_win_factors"] = shrink_json(c.win_reps, "wins, observed vs the team's hazards");
    j["rep_loss_factors"] = shrink_json(c.loss_reps, "losses, observed vs the team's hazards");
    if (c.cure) {  // the never-close shares (cure.hpp), with --never-close
      const CureFit& f = *c.cure;
      json live = json::array();
      for (const auto& b : f.live.bands)
        live.push_back({{"from_week", b.from_week},
                        {"to_week", b.to_week < 0 ? json() : json(b.to_week)},
                        {"live_exposure_weeks", b.exposure_weeks},
                        {"win_per_week", b.win},
                        {"loss_per_week", b.loss}});
      const Calibration::LiveOpen open = c.live_open_deals();
      json reps = json::array();
      for (const RepShare& r : f.reps)
        reps.push_back({{"owner", r.owner},
                        {"deals", r.deals},
                        {"open", r.open},
                        {"own_estimate", r.own},
                        {"share", r.share},
                        {"sd", r.sd}});
      j["never_close"] = {{"mode", "per-rep"},
                          {"team_share", f.team},
                          {"open_deals", open.open},
                          {"open_deals_live", open.live},
                          {"iterations", f.iterations},
                          {"converged", f.converged},
                          {"live_hazards", live},
                          {"prior_strength", f.prior_strength},
                          {"reps", reps}};
    }
  }
  if (c.sizes) {
    json products = json::array();
    auto size = [](const SizeEstimate& s) {
      return json{
          {"product", s.product}, {"wins", s.wins},
          {"mean", s.mean},       {"cv", s.cv},
          {"mean_se", s.mean_se}, {"source", s.source},
          {"mix", s.mix},         {"list_price", s.list_price ? json(*s.list_price) : json()}};
    };
    for (const auto& p : c.sizes->products) products.push_back(size(p));
    j["deal_sizes"] = {
        {"overall", size(c.sizes->overall)},
        {"products", products},
        {"close_to_list_ratio", c.sizes->ratio_to_list ? json(*c.sizes->ratio_to_list) : json()},
        {"won_without_amount", c.sizes->won_without_amount}};
  }
  if (c.creation) {
    const auto& cr = *c.creation;
    j["creation"] = {{"window_start", format_date(cr.window_start)},
                     {"window_end", format_date(cr.window_end)},
                     {"weeks", cr.weeks},
                     {"created", cr.created},
                     {"reps", cr.reps.size()},
                     {"per_rep_week", cr.per_rep_week},
                     {"per_rep_week_se", cr.per_rep_week_se},
                     {"dispersion", cr.dispersion},
                     {"weekly_counts", cr.weekly},
                     {"seasonality",
                      {{"estimable", cr.season.estimable},
                       {"used", cr.season.used},
                       {"f", cr.season.f},
                       {"p_value", cr.season.p_value},
                       {"month_of_quarter_factor", cr.season.factor},
                       {"factor_se", cr.season.factor_se},
                       {"weeks_per_month", cr.season.weeks}}},
                     {"rep_rates", shrink_json(cr.rep_rates, "created, vs the team's rate")}};
  }
  j["unassigned_pool"] = {
      {"leads", c.history.unassigned.size()},
      {"assignment_per_week", c.assignment ? json(c.assignment->per_week()) : json()}};
  j["open_pipeline"] = {{"deals", c.open.deals},
                        {"stale", c.open.stale},
                        {"median_age_days", c.open.median_age_days},
                        {"max_age_days", c.open.max_age_days},
                        {"by_stage", c.open.by_stage}};
  if (!c.missing_for_forecast()) {
    const ScenarioFigures f = scenario_figures(c);
    j["scenario"] = {{"reps", f.reps},
                     {"managers", f.managers},
                     {"exit_rate", f.exit_rate},
                     {"conversion", f.conversion},
                     {"prospecting_yield", f.yield},
                     {"prospecting_hours", f.prospecting_hours},
                     {"initial_per_rep", f.initial_per_rep},
                     {"deal_mean", f.deal_mean},
                     {"deal_cv", f.deal_cv},
                     {"steady_state_bookings_per_week",
                      double(f.reps) * c.creation->per_rep_week * f.conversion * f.deal_mean}};
  } else {
    j["scenario"] = nullptr;
    j["not_estimable"] = *c.missing_for_forecast();
  }
  return j;
}

static json by_group(const std::vector<GroupBand>& g, bool owners) {
  json a = json::array();
  for (const auto& x : g) {
    json row = {{"name", x.name}, {"bookings", band_json(x.bookings)}};
    if (owners) row["manager"] = x.manager;
    a.push_back(row);
  }
  return a;
}

static json forecast_json_core(const ForecastResult& f) {
  json by_month = json::array();
  for (const auto& m : f.by_month)
    by_month.push_back({{"month", format_date(m.from).substr(0, 7)},
                        {"from", format_date(m.from)},
                        {"to", format_date(m.to)},
                        {"bookings", band_json(m.bookings)}});
  json weeks = json::array();
  for (int w = 0; w < f.weeks; ++w)
    weeks.push_back({{"week", w + 1},
                     {"ends", format_date(f.as_of + 7 * (w + 1))},
                     {"weekly", band_json(f.weekly[w])},
                     {"cumulative", band_json(f.cumulative[w])},
                     {"cumulative_open_pipeline", band_json(f.cumulative_open[w])},
                     {"cumulative_new_pipeline", band_json(f.cumulative_new[w])},
                     {"won_deals", band_json(f.weekly_won[w])},
                     {"cumulative_won_deals", band_json(f.cumulative_won[w])}});
  return {{"as_of", format_date(f.as_of)},
          {"weeks", f.weeks},
          {"paths", f.paths},
          {"open_deals", f.open_deals},
          {"unassigned_leads", f.unassigned_leads},
          {"stale_deals", f.stale_deals},
          {"creating_reps", f.creating_reps},
          {"history_weeks", f.history_weeks},
          {"month_sd_win", f.month_sd_win},
          {"month_sd_loss", f.month_sd_loss},
          {"warnings", f.warnings},
          {"period",
           {{"total", band_json(f.total)},
            {"from_open_pipeline", band_json(f.from_open)},
            {"from_new_pipeline", band_json(f.from_new)},
            {"won_open_deals", band_json(f.won_open_count)},
            {"won_new_deals", band_json(f.won_new_count)},
            {"won_deals", band_json(f.won_count)}}},
          {"amounts_known", f.amounts_known},
          {"by_week", weeks},
          {"by_month", by_month},
          {"by_owner", by_group(f.by_owner, true)},
          {"by_manager", by_group(f.by_manager, false)}};
}

json forecast_json(const ForecastResult& f) {
  json j = forecast_json_core(f);
  if (f.never_close_share)  // --never-close per-rep, the default
    j["never_close"] = {{"team_share", *f.never_close_share},
                        {"open_deals_live", f.open_deals_live}};
  return j;
}

static json reliability_json(const std::vector<AgeReliability>& t) {
  json rows = json::array();
  for (const auto& r : t)
    rows.push_back({{"from_week", r.from_week},
                    {"to_week", r.to_week < 0 ? json() : json(r.to_week)},
                    {"open_deals", r.deals},
                    {"predicted_wins", r.predicted_wins},
                    {"actual_wins", r.actual_wins},
                    {"predicted_value", r.predicted_value},
                    {"actual_value", r.actual_value}});
  return rows;
}

// A figure that may be missing (a baseline that could not be made) is null in the JSON.
static json maybe(bool ok, double v) { return ok && std::isfinite(v) ? json(v) : json(); }

json backtest_json(const BacktestResult& b) {
  json cases = json::array();
  for (const auto& k : b.cases) {
    json baselines, skill;
    for (int i = 0; i < kBaselines; ++i) {
      const BaselineScore& s = k.baselines[i];
      const bool ok = s.forecast.available;
      baselines[kBaselineNames[i]] = {{"p50", maybe(ok, s.forecast.p50())},
                                      {"p10", maybe(ok, s.forecast.p10())},
                                      {"p90", maybe(ok, s.forecast.p90())},
                                      {"ape", maybe(ok, s.ape)},
                                      {"crps", maybe(ok, s.crps)},
                                      {"available", ok},
                                      {"how", s.forecast.note}};
      skill[kBaselineNames[i]] = maybe(ok, s.skill);
    }
    cases.push_back({{"cutoff", format_date(k.cutoff)},
                     {"weeks", k.weeks},
                     {"actual", k.actual},
                     {"actual_from_open_pipeline", k.actual_open},
                     {"actual_from_new_pipeline", k.actual_new},
                     {"forecast", band_json(k.forecast)},
                     {"forecast_open_pipeline", band_json(k.forecast_open)},
                     {"forecast_new_pipeline", band_json(k.forecast_new)},
                     {"covered_p10_p90", k.covered},
                     {"weekly_coverage", k.weekly_coverage},
                     {"ape_of_median", maybe(true, k.ape)},
                     {"crps", k.crps},
                     {"pit", k.pit},
                     {"relative_crps", maybe(true, k.relative_crps)},
                     {"history_weeks", k.history_weeks},
                     {"month_sd_win", k.month_sd_win},
                     {"month_sd_loss", k.month_sd_loss},
                     {"warnings", k.warnings},
                     {"win_probability", k.p_win},
                     {"per_rep_week", k.per_rep_week},
                     {"p5", k.p5},
                     {"p95", k.p95},
                     {"covered_p5_p95", k.covered_p5_p95},
                     {"baselines", baselines},
                     {"skill", skill},
                     {"open_pipeline_reliability", reliability_json(k.reliability)}});
  }
  json baselines, skill;
  for (int i = 0; i < kBaselines; ++i) {
    const BaselineAggregate& a = b.baselines[i];
    const bool ok = a.cutoffs > 0;
    baselines[kBaselineNames[i]] = {{"cutoffs", a.cutoffs},
                                    {"cutoffs_with_ape", a.cutoffs_with_ape},
                                    {"p50", maybe(ok, a.mean_p50)},
                                    {"ape", maybe(ok, a.mean_ape)},
                                    {"crps", maybe(ok, a.mean_crps)},
                                    {"salesim_ape", maybe(ok, a.salesim_mean_ape)},
                                    {"salesim_crps", maybe(ok, a.salesim_mean_crps)}};
    skill[kBaselineNames[i]] = maybe(ok, a.skill);
  }
  return {{"cases", cases},
          {"aggregate",
           {{"cutoffs", b.cases.size()},
            {"cutoffs_with_ape", b.cutoffs_with_ape},
            {"coverage_p5_p95", b.coverage_p5_p95},
            {"pit_histogram", b.pit_histogram},
            {"baselines", baselines},
            {"skill", skill},
            {"open_pipeline_reliability", reliability_json(b.reliability)},
            {"coverage_p10_p90", b.coverage},
            {"mean_weekly_coverage", b.mean_weekly_coverage},
            {"mean_ape_of_median", maybe(true, b.mean_ape)},
            {"mean_crps", b.mean_crps},
            {"mean_relative_crps", maybe(true, b.mean_relative_crps)}}},
          {"coverage_p10_p90", b.coverage},
          {"mean_ape_of_median", maybe(true, b.mean_ape)},
          {"mean_crps", b.mean_crps}};
}

std::string format_calibration(const Calibration& c) {
  const History& h = c.history;
  std::string s = fmt::format("Calibration of {} as of {}\n", c.source->file, format_date(h.as_of));
  s += fmt::format("  known that day: {} deals (won {}, lost {}, open {}), {} owners\n",
                   h.deals.size(), h.won(), h.lost(), h.open(), h.owners.size());
  if (c.history_start) s += fmt::format("  close history from {}\n", format_date(*c.history_start));
  for (const auto& n : c.notes) s += "  note: " + n + "\n";
  for (const auto& w : c.warnings) s += "  WARNING: " + w + "\n";
  if (!c.hazards) {
    s += fmt::format("\nWin rate: not estimable: {}\n", *c.missing_for_forecast());
    return s;
  }
  s += "\nHazards by deal age (per week; open deals censored):\n"
       "  age weeks   exposure  wins  losses   win/week (se)      loss/week (se)\n";
  for (const auto& b : c.hazards->bands)
    s += fmt::format("  {:>9}  {:>9.1f}  {:>4.0f}  {:>6.0f}   {:.4f} ({:.4f})    {:.4f} ({:.4f})\n",
                     b.to_week < 0 ? fmt::format("{}+ stale", b.from_week)
                                   : fmt::format("{}-{}", b.from_week, b.to_week),
                     b.exposure_weeks, b.wins, b.losses, b.win, b.win_se, b.loss, b.loss_se);
  s += fmt::format(
      "  a new deal: won {:.1f}% (se {:.1f}), lost {:.1f}%, {:.0f} days to close on average; "
      "the naive won/(won+lost) of closed deals is {:.1f}%\n",
      100 * c.new_deal->p_win, 100 * c.p_win_se, 100 * c.new_deal->p_loss,
      c.new_deal->mean_days_to_close, 100 * c.p_win_naive);
  s += fmt::format(
      "  open deals: {} (median age {:.0f} days, oldest {:.0f}); stale (older than "
      "any close seen, {} weeks): {}\n",
      c.open.deals, c.open.median_age_days, c.open.max_age_days, c.hazards->tail_from_week,
      c.open.stale);
  if (c.drift) {
    const Drift& d = *c.drift;
    s += "  month by month (wins observed/expected, losses observed/expected):";
    for (const auto& m : d.months)
      s += fmt::format(" {}: {:.0f}/{:.0f}, {:.0f}/{:.0f};", format_date(m.from).substr(0, 7),
                       m.wins, m.expected_wins, m.losses, m.expected_losses);
    auto level = [&](const char* what, const LevelVariation& v) {
      const std::string data =
          v.df > 0 ? fmt::format("from the data {:.2f} (chi2 {:.1f} on {} df, p = {:.3g})",
                                 std::sqrt(v.tau2_data), v.x2, v.df, v.p_value)
                   : std::string("not estimable from one month");
      return fmt::format(
          "  month-to-month sd of the {} rates' level: {:.2f} used; {}; prior "
          "{:.2f} worth {:g} months\n",
          what, std::sqrt(v.tau2), data, d.prior.sd, d.prior.months);
    };
    s += "\n" + level("win", d.win) + level("loss", d.loss);
  }
  s += "  rep win factors: " + verdict(c.win_reps.test) + "\n";
  s += "  rep loss factors: " + verdict(c.loss_reps.test) + "\n";
  if (c.cure) {
    const Calibration::LiveOpen open = c.live_open_deals();
    s += fmt::format(
        "  deals that never close: {:.1f}% of new deals (the team's; per rep a Beta of strength "
        "{:.1f} deals); {:.0f} of the {} open deals live\n",
        100 * c.cure->team, c.cure->prior_strength, open.live, open.open);
  }
  if (c.sizes) {
    s += fmt::format("\nDeal sizes (won deals): mean {} (se {}), cv {:.2f}, {} wins\n",
                     money(c.sizes->overall.mean), money(c.sizes->overall.mean_se),
                     c.sizes->overall.cv, c.sizes->overall.wins);
    for (const auto& p : c.sizes->products)
      s += fmt::format(
          "  {:<16} mean {:>8} (se {:>6}) cv {:.2f}  {:>4} wins  {:>5.1f}% of new  [{}]\n",
          p.product, money(p.mean), money(p.mean_se), p.cv, p.wins, 100 * p.mix, p.source);
  }
  if (c.creation) {
    const auto& cr = *c.creation;
    s += fmt::format(
        "\nNew opportunities: {:.2f} per rep per week (se {:.2f}), {} rep{}, {} weeks from {}; "
        "dispersion {:.2f}\n",
        cr.per_rep_week, cr.per_rep_week_se, cr.reps.size(), cr.reps.size() == 1 ? "" : "s",
        cr.weeks, format_date(cr.window_start), cr.dispersion);
    if (!cr.season.estimable)
      s += "  within-quarter seasonality: not estimable (needs two weeks in every month of the "
           "quarter)\n";
    else
      s += fmt::format(
          "  within-quarter seasonality: month factors {:.2f} / {:.2f} / {:.2f}, F = {:.2f}, "
          "p = {:.3g}: {}\n",
          cr.season.factor[0], cr.season.factor[1], cr.season.factor[2], cr.season.f,
          cr.season.p_value, cr.season.used ? "used" : "not significant, not used");
    s += "  rep creation rates: " + verdict(cr.rep_rates.test) + "\n";
  }
  return s;
}

// Terminal columns fmt pads a text to (it counts East Asian wide characters as two), so a
// column can be as wide as its longest name.
std::size_t columns(const std::string& s) {
  const std::size_t room = 2 * s.size() + 1;
  return room - (fmt::format("{:<{}}", s, room).size() - s.size());
}

std::string format_forecast(const ForecastResult& f) {
  // The open pipeline leaves the unassigned leads out of its count; their wins are in it, so
  // the line names them (the import counts them as open).
  const std::string unassigned = f.unassigned_leads
                                     ? fmt::format(" and {} unassigned lead{}", f.unassigned_leads,
                                                   f.unassigned_leads == 1 ? "" : "s")
                                     : std::string();
  std::string s = fmt::format(
      "Forecast of {} after {} for {} week{} ({} path{}): {} open deal{} ({} stale){}, {} "
      "rep{} creating new ones\n\n",
      f.amounts_known ? "bookings" : "won deals", format_date(f.as_of), f.weeks,
      f.weeks == 1 ? "" : "s", f.paths, f.paths == 1 ? "" : "s", f.open_deals,
      f.open_deals == 1 ? "" : "s", f.stale_deals, unassigned, f.creating_reps,
      f.creating_reps == 1 ? "" : "s");
  if (f.never_close_share)
    s += fmt::format(
        "With deals that never close, per rep (team share {:.1f}%): {:.0f} of the {} open deals "
        "live in expectation\n\n",
        100 * *f.never_close_share, f.open_deals_live, f.open_deals);
  auto count_line = [&](const char* what, const Band& b) {
    return fmt::format("  {:<22} P10 {:>8.0f}  P50 {:>8.0f}  P90 {:>8.0f}  mean {:>8.1f}\n", what,
                       b.p10, b.p50, b.p90, b.mean);
  };
  if (!f.amounts_known) {
    // Every booking is 0 without amounts: tables of zeros read as a forecast of nothing, so
    // the won deals are given instead, and the reason first.
    s += "No amounts (no won deal has one and there is no price list): the forecast is in won "
         "deals, not bookings;\nmap the amount column or give a price list to forecast "
         "bookings.\n\nPeriod (won deals):\n";
    s += count_line("total", f.won_count) + count_line("from the open pipeline", f.won_open_count) +
         count_line("from new pipeline", f.won_new_count);
    s += "\n week  ends         won P50   cumulative P10      P50      P90\n";
    for (int w = 0; w < f.weeks; ++w)
      s += fmt::format(" {:>4}  {}  {:>7.0f}   {:>14.0f} {:>8.0f} {:>8.0f}\n", w + 1,
                       format_date(f.as_of + 7 * (w + 1)), f.weekly_won[w].p50,
                       f.cumulative_won[w].p10, f.cumulative_won[w].p50, f.cumulative_won[w].p90);
  } else {
    s += " week  ends         weekly P50   cumulative P10      P50      P90   open P50   new P50\n";
    for (int w = 0; w < f.weeks; ++w)
      s += fmt::format(" {:>4}  {}  {:>10}   {:>14} {:>8} {:>8}  {:>9} {:>9}\n", w + 1,
                       format_date(f.as_of + 7 * (w + 1)), money(f.weekly[w].p50),
                       money(f.cumulative[w].p10), money(f.cumulative[w].p50),
                       money(f.cumulative[w].p90), money(f.cumulative_open[w].p50),
                       money(f.cumulative_new[w].p50));
    auto line = [&](const char* what, const Band& b) {
      return fmt::format("  {:<22} P10 {:>8}  P50 {:>8}  P90 {:>8}  mean {:>8}\n", what,
                         money(b.p10), money(b.p50), money(b.p90), money(b.mean));
    };
    s += "\nPeriod:\n" + line("total", f.total) + line("from the open pipeline", f.from_open) +
         line("from new pipeline", f.from_new) + count_line("won deals", f.won_count);
    s += "\nBy calendar month (bookings P10 / P50 / P90; the first and last may be part "
         "months):\n";
    for (const auto& m : f.by_month)
      s += fmt::format("  {} ({} .. {})  {:>8} {:>8} {:>8}\n", format_date(m.from).substr(0, 7),
                       format_date(m.from), format_date(m.to), money(m.bookings.p10),
                       money(m.bookings.p50), money(m.bookings.p90));
    // As wide as the longest manager's name, so that a long one does not push its figures
    // out of their columns.
    std::size_t width = 24;
    for (const auto& g : f.by_manager) width = std::max(width, columns(one_line(g.name)));
    s += "By manager (bookings P10 / P50 / P90; by owner in the JSON and the --html report):\n";
    for (const auto& g : f.by_manager)
      s += fmt::format("  {:<{}} {:>8} {:>8} {:>8}\n", one_line(g.name), width,
                       money(g.bookings.p10), money(g.bookings.p50), money(g.bookings.p90));
  }
  s += fmt::format(
      "\n{} weeks of close history; month-to-month sd of the win / loss rates' level "
      "{:.2f} / {:.2f}\n",
      f.history_weeks, f.month_sd_win, f.month_sd_loss);
  for (const auto& w : f.warnings) s += "WARNING: " + w + "\n";
  return s;
}

std::string format_backtest(const BacktestResult& b) {
  std::string s =
      " cutoff      weeks     actual  (open / new)           P10      P50      P90  in P10-P90  "
      "  APE    CRPS   PIT  history\n";
  for (const auto& k : b.cases)
    s += fmt::format(
        " {}  {:>5}  {:>9}  ({:>7} / {:>7})  {:>8} {:>8} {:>8}  {:>9}  {}  {:>6}  {:.2f}  "
        "{:>3} "
        "wk{}\n",
        format_date(k.cutoff), k.weeks, money(k.actual), money(k.actual_open), money(k.actual_new),
        money(k.forecast.p10), money(k.forecast.p50), money(k.forecast.p90),
        k.covered ? "yes" : "no", percent(k.ape, 6), money(k.crps), k.pit, k.history_weeks,
        k.warnings.empty() ? "" : " (short)");
  // Cutoffs with nothing won have no APE; the means say over how many the others are.
  const std::string over_ape =
      b.cutoffs_with_ape == b.cases.size() ? std::string()
      : b.cutoffs_with_ape == 0 ? std::string(" (nothing was won in any cutoff's period)")
                                : fmt::format(" over the {} cutoff{} with wins", b.cutoffs_with_ape,
                                              b.cutoffs_with_ape == 1 ? "" : "s");
  s += fmt::format(
      "\n over {} cutoff{}: coverage of P10-P90 {:.0f}% (weekly {:.0f}%); mean APE of the median "
      "{}{}; mean CRPS {} ({} of the actual)\n",
      b.cases.size(), b.cases.size() == 1 ? "" : "s", 100 * b.coverage,
      100 * b.mean_weekly_coverage, percent(b.mean_ape, 1), over_ape, money(b.mean_crps),
      percent(b.mean_relative_crps, 1));
  s += fmt::format(" coverage of P5-P95 {:.0f}%; PIT histogram (tenths):", 100 * b.coverage_p5_p95);
  for (int n : b.pit_histogram) s += fmt::format(" {}", n);
  s += "\n\n Naive baselines (means over the cutoffs where each could be made):\n"
       " baseline          cutoffs  APE     salesim APE   CRPS      salesim CRPS  skill\n";
  for (int i = 0; i < kBaselines; ++i) {
    const BaselineAggregate& a = b.baselines[i];
    if (a.cutoffs == 0) {
      s += fmt::format(" {:<16}  0        not available: {}\n", kBaselineNames[i],
                       b.cases.empty() ? "" : b.cases.front().baselines[i].forecast.note);
      continue;
    }
    s += fmt::format(" {:<16}  {:>7}  {}  {}  {:>8}  {:>12}  {:>5}\n", kBaselineNames[i], a.cutoffs,
                     percent(a.mean_ape, 6), percent(a.salesim_mean_ape, 12), money(a.mean_crps),
                     money(a.salesim_mean_crps),
                     std::isfinite(a.skill) ? fmt::format("{:.2f}", a.skill) : "n/a");
  }
  s += "\n Open pipeline by age on the cutoff (summed over the cutoffs): wins predicted / seen, "
       "value predicted / seen\n";
  for (const auto& r : b.reliability)
    s += fmt::format("  {:>9} weeks  {:>5} deals  {:>7.1f} / {:>5.0f}  {:>8} / {:>8}\n",
                     r.to_week < 0 ? fmt::format("{}+", r.from_week)
                                   : fmt::format("{}-{}", r.from_week, r.to_week),
                     r.deals, r.predicted_wins, r.actual_wins, money(r.predicted_value),
                     money(r.actual_value));
  for (const auto& k : b.cases)
    for (const auto& w : k.warnings)
      s += fmt::format(" WARNING {}: {}\n", format_date(k.cutoff), w);
  return s;
}

}  // namespace salesim::crm
