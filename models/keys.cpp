#include "models/keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace salesim {
namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

// Key builders; a helper per range shape keeps the table below one line per key.
struct Table {
  std::vector<KeyInfo>& out;
  bool settable = true;
  void add(std::string path, KeyTarget t, double lo, double hi, const char* unit,
           const char* meaning, bool hi_open = false) {
    out.push_back(KeyInfo{std::move(path), t, lo, hi, hi_open, settable, unit, meaning});
  }
  void share(std::string path, double* v, const char* meaning) {
    add(std::move(path), v, 0, 1, "share", meaning);
  }
  // [0, hi]: every number gets an upper bound wide enough for real use and narrow enough that
  // the arithmetic stays finite (docs/reliability.md).
  void upto(std::string path, double* v, double hi, const char* unit, const char* meaning) {
    add(std::move(path), v, 0, hi, unit, meaning);
  }
  void text(std::string path, std::string* v, const char* meaning) {
    add(std::move(path), v, 0, 0, "", meaning);
  }
  void beta(const std::string& path, BetaSpec* b, const char* what) {
    add(path + ".mean", &b->mean, 0, 1, "share", what);
    add(path + ".sd", &b->sd, 0, 0.5, "share",
        "the standard deviation of the Beta distribution (0: everyone at the mean; must be below "
        "sqrt(mean*(1-mean)))");
  }
};

}  // namespace

// Every meaning reads mid-sentence ("Next comes the share of inbound leads ..."): a noun
// phrase with its article, or a switch ("true: ..."); a caller that starts a sentence with one
// capitalises it.
std::vector<KeyInfo> scalar_keys(Params& p) {
  std::vector<KeyInfo> keys;
  Table t{keys};
  t.settable = false;
  t.add("simulation.horizon_weeks", &p.simulation.horizon_weeks, 1, 520, "weeks",
        "the weeks simulated");
  t.add("simulation.paths", &p.simulation.paths, 1, 1e9, "paths", "the Monte Carlo paths per plan");
  t.add("simulation.seed", &p.simulation.seed, 0, 18446744073709551615.0, "",
        "the 64-bit seed of every random draw");
  t.text("simulation.start_date", &p.simulation.start_date,
         "the ISO date (YYYY-MM-DD) of week 1's first day, for reports and calendars; null: "
         "weeks only");
  t.add("goal.revenue", &p.goal.revenue, 0, kMaxMoney * 1e3, "currency",
        "the cumulative bookings target at week by_week (null: no goal)");
  t.add("goal.by_week", &p.goal.by_week, 1, 520, "weeks",
        "the week by which the goal must be met, a whole week no later than the horizon "
        "(null: the horizon)");
  t.text("goal.metric", &p.goal.metric,
         "what the goal and checkpoints count: bookings (cumulative) or arr (ARR at the week; "
         "needs revenue.model: recurring)");

  t.settable = true;
  t.upto("market.volatility", &p.market.volatility, 3, "log units",
         "the standard deviation of the log demand factor");
  t.add("market.persistence", &p.market.persistence, 0, 1, "",
        "the AR(1) coefficient of the log demand factor", true);
  t.upto("market.inbound_leads_per_week", &p.market.inbound_leads_per_week, 1e6, "leads/week",
         "the inbound leads for the whole team, before the demand factor");
  t.share("market.lead_quality", &p.market.lead_quality,
          "the share of inbound leads that become first-stage opportunities");

  t.add("pipeline.deal_size.mean", &p.pipeline.deal_mean, 1e-9, kMaxMoney, "currency",
        "the mean booking of a won deal (lognormal)");
  t.upto("pipeline.deal_size.cv", &p.pipeline.deal_cv, 20, "ratio",
         "the coefficient of variation of the deal size");
  // A stage's keys are always named with their stage ("proposal stage: share of exits that
  // advance", "the proposal stage's share of ..."), so their meanings take no article.
  for (Stage& s : p.pipeline.stages) {
    const std::string pre = "pipeline.stages." + s.name + ".";
    t.settable = false;
    t.text(pre + "name", &s.name, "stage name, unique");
    t.text(pre + "skill", &s.skill, "skill that drives this stage's conversion");
    t.add(pre + "initial_per_rep", &s.initial_per_rep, 0, 1e6, "opportunities",
          "open opportunities per starting rep at week 0");
    t.settable = true;
    t.upto(pre + "hours", &s.hours, kWeekHours, "hours/opportunity/week",
           "rep hours one open opportunity needs each week it is worked");
    t.share(pre + "exit_rate", &s.exit_rate, "share of worked opportunities that leave the stage");
    t.share(pre + "conversion.floor", &s.conversion.floor,
            "share of exits that advance, at skill 0");
    t.share(pre + "conversion.top", &s.conversion.top, "share of exits that advance, at skill 1");
    t.share(pre + "stale_loss", &s.stale_loss, "share of unworked opportunities lost each week");
  }

  t.settable = false;
  t.add("team.reps", &p.team.reps, 0, 100000, "reps", "the reps at week 0");
  t.add("team.managers", &p.team.managers, 1, 10000, "managers",
        "the managers; rep i reports to manager i mod managers");
  t.beta("team.preference", &p.team.preference,
         "the mean comfort with each activity (Beta, per rep per activity)");
  t.add("team.tenure_weeks", &p.team.tenure_weeks, 0, 1e6, "weeks",
        "the initial tenure of every starting rep");
  t.upto("team.salary", &p.team.salary, kMaxMoney, "currency/year", "the salary per rep");
  t.upto("team.manager_salary", &p.team.manager_salary, kMaxMoney, "currency/year",
         "the salary per manager");

  t.settable = true;
  t.add("capacity.sustainable_hours", &p.capacity.sustainable_hours, 1e-9, kWeekHours, "hours/week",
        "the hours a rep can work week after week without strain");
  t.upto("capacity.max_hours", &p.capacity.max_hours, kWeekHours, "hours/week",
         "the most hours a rep works (>= sustainable_hours)");
  t.upto("capacity.admin_hours", &p.capacity.admin_hours, kWeekHours, "hours/week",
         "the administration hours per rep at full alignment");
  t.upto("capacity.control_overhead", &p.capacity.control_overhead, 10, "ratio",
         "the fraction by which admin hours grow when alignment is 0");
  t.upto("capacity.manager_coaching_hours", &p.capacity.manager_coaching_hours, kWeekHours,
         "hours/week", "the coaching hours per manager per week");

  t.settable = false;
  t.text("prospecting.skill", &p.prospecting.skill, "the skill that drives prospecting yield");
  t.settable = true;
  t.upto("prospecting.yield.floor", &p.prospecting.yield.floor, 100, "opportunities/hour",
         "the first-stage opportunities per effective prospecting hour at skill 0");
  t.upto("prospecting.yield.top", &p.prospecting.yield.top, 100, "opportunities/hour",
         "the first-stage opportunities per effective prospecting hour at skill 1");
  t.add("prospecting.target_hours", &p.prospecting.target_hours, 0, kWeekHours, "hours/week",
        "the prospecting target per rep (null: reps prospect in their slack)");
  t.add("prospecting.mandatory", &p.prospecting.mandatory, 0, 1, "",
        "true: the target is served before pipeline work");
  t.share("prospecting.avoidance", &p.prospecting.avoidance,
          "the share of a mandatory target skipped by a rep who dislikes prospecting");
  t.upto("prospecting.icp_lift", &p.prospecting.icp_lift, 10, "ratio",
         "the extra prospecting yield at full alignment");

  t.upto("burnout.accumulation", &p.burnout.accumulation, 10, "per unit overload",
         "the burnout added per unit of overload (load - onset_load) per week");
  t.upto("burnout.onset_load", &p.burnout.onset_load, 10, "ratio",
         "the load (hours / sustainable_hours) above which overload accumulates burnout");
  t.share("burnout.recovery", &p.burnout.recovery, "the share of burnout shed per week");
  t.upto("burnout.discomfort", &p.burnout.discomfort, 10, "per sustainable-week",
         "the burnout per sustainable-week of disliked work, before awareness");
  t.share("burnout.conversion_loss", &p.burnout.conversion_loss,
          "the share of conversion lost at full burnout (conversion is multiplied by 1 - "
          "conversion_loss * B)");
  t.share(
      "burnout.capacity_loss", &p.burnout.capacity_loss,
      "the share of hours lost at full burnout (hours are multiplied by 1 - capacity_loss * B)");
  t.share("burnout.attrition", &p.burnout.attrition,
          "the extra weekly quit probability, times B^2");

  t.share("people.attrition_annual", &p.people.attrition_annual, "the annual base attrition");
  t.add("people.backfill", &p.people.backfill, 0, 1, "", "true: every leaver is replaced");
  t.add("people.time_to_fill_weeks", &p.people.time_to_fill_weeks, 1, 520, "weeks",
        "the weeks from a departure to the backfill's start");
  t.upto("people.hire_cost", &p.people.hire_cost, kMaxMoney, "currency",
         "the one-off cost per hire");
  t.add("people.ramp_weeks", &p.people.ramp_weeks, 0, 520, "weeks",
        "the weeks for a new rep to reach full effectiveness (linear ramp)");
  t.beta("people.new_hire_skill", &p.people.new_hire_skill,
         "the mean skill of a new hire, every skill");
  t.share("people.handover_loss", &p.people.handover_loss,
          "the share of a leaver's open opportunities lost");

  t.share("skills.experience_rate", &p.skills.experience_rate,
          "the weekly growth of durable skill toward 1 from selling");
  t.add("skills.training_half_life_weeks", &p.skills.training_half_life_weeks, 1e-9, 1e4, "weeks",
        "the half-life of an unreinforced training gain");
  t.add("skills.coaching_reference_hours", &p.skills.coaching_reference_hours, 1e-9, kWeekHours,
        "hours/rep/week", "the coaching hours per rep per week that count as full coaching");
  t.share("skills.coaching_reinforcement", &p.skills.coaching_reinforcement,
          "the share of training decay that full coaching prevents");
  t.share("skills.coaching_transfer", &p.skills.coaching_transfer,
          "the share of the training gain made durable per week of full coaching");
  t.share("skills.coaching_growth", &p.skills.coaching_growth,
          "the durable growth per week of full coaching by a coach of skill 1");

  t.share("org.alignment", &p.org.alignment,
          "the share of leadership's expectations the team understands");
  t.share("org.awareness", &p.org.awareness,
          "the reps' awareness of their own activity preferences");
  t.share("org.manager_coaching_skill", &p.org.manager_coaching_skill,
          "the managers' coaching skill");
  t.upto("org.coaching_hours_per_rep", &p.org.coaching_hours_per_rep, kWeekHours, "hours/rep/week",
         "the coaching policy: hours per rep per week the managers aim for");

  t.share("compensation.commission_rate", &p.compensation.commission_rate,
          "the commission paid on bookings");
  t.upto("compensation.effort_elasticity", &p.compensation.effort_elasticity, 10, "ratio",
         "the effort multiplier per unit of relative commission change");
  t.upto("costs.marketing_per_week", &p.costs.marketing_per_week, kMaxMoney, "currency/week",
         "the marketing spend");

  // Recurring revenue (docs/model.md 12.5). Keys that shape the starting base or the contract
  // calendar cannot be set by a plan.
  t.settable = false;
  t.text("compensation.on", &p.compensation.on,
         "what commission is paid on: bookings, acv (new and expansion ACV) or first_year "
         "(first-year billings); acv and first_year need revenue.model: recurring");
  t.text("revenue.model", &p.revenue.model,
         "the revenue model: bookings (won deals only) or recurring (contracts that renew, churn "
         "and expand)");
  t.add("revenue.term_months", &p.revenue.term_months, 1, 120, "months",
        "the contract term; a contract renews or churns at each anniversary");
  t.add("customers.count", &p.customers.count, 0, 1e7, "contracts",
        "the contracts live at week 1, anniversaries spread evenly over the first term");
  t.add("customers.acv.mean", &p.customers.acv_mean, 1e-9, kMaxMoney, "currency",
        "the mean annual contract value of the starting base (lognormal)");
  t.upto("customers.acv.cv", &p.customers.acv_cv, 20, "ratio",
         "the coefficient of variation of the starting base's ACV");
  t.upto(
      "calendar.vacation_weeks_per_rep", &p.calendar.vacation_weeks_per_rep, 52, "weeks/year",
      "the vacation per rep, spread evenly over the year: every week's hours shrink by this / 52");
  t.settable = true;
  t.share("revenue.renewal_rate", &p.revenue.renewal_rate,
          "the probability that a contract renews at an anniversary (a draw per contract)");
  t.upto("revenue.expansion_rate", &p.revenue.expansion_rate, 10, "rate",
         "the growth of a contract's ACV when it renews");
  t.upto("revenue.ramp_months", &p.revenue.ramp_months, 120, "months",
         "the months from signature to full billing (linear ramp of MRR)");
  return keys;
}

const char* KeyInfo::type_name() const {
  switch (target.index()) {
    case 0:
      return "number";
    case 1:
      return "whole number";
    case 2:
      return "true/false";
    case 3:
      return "number or null";
    case 4:
      return "whole number";
    default:
      return "text";
  }
}

namespace {
std::string num(double v) {  // 1e12, not 1e+12
  const std::string t = fmt::format("{:g}", v);
  const std::size_t e = t.find("e+");
  if (e == std::string::npos) return t;
  const std::size_t digits = t.find_first_not_of('0', e + 2);
  return t.substr(0, e + 1) + (digits == std::string::npos ? "0" : t.substr(digits));
}
}  // namespace

bool KeyInfo::in_range(double v) const {
  if (std::isnan(v) || v < lo) return false;
  return hi_open ? v < hi : v <= hi;
}

std::string KeyInfo::range_text() const {
  if (target.index() == 2 || target.index() == 5) return "";
  if (std::holds_alternative<std::uint64_t*>(target)) return "0..2^64-1";
  const bool integral = std::holds_alternative<std::int64_t*>(target);
  if (std::isinf(hi)) {
    if (lo == 0) return ">= 0";
    if (lo > 0 && lo < 1e-6) return "> 0";
    return fmt::format(">= {}", num(lo));
  }
  if (integral) return fmt::format("{}..{}", num(lo), num(hi));
  return fmt::format("[{}, {}{}", num(lo), num(hi), hi_open ? ")" : "]");
}

bool percent_unit(const std::string& unit) { return unit == "share" || unit == "rate"; }

bool KeyInfo::percent_ok() const { return percent_unit(unit); }

std::string KeyInfo::percent_hint(double v) const {
  return percent_ok() ? share_hint(v, lo, hi, unit) : "";
}

std::string share_hint(double v, double lo, double hi, const std::string& noun) {
  // From 2: 1.5 for a share is more likely a slip than 1.5%.
  if (!(v >= 2 && v <= 100 && v / 100 >= lo && v / 100 <= hi)) return "";
  return fmt::format(": a {} is written {:g} or {:g}%, not {:g}", noun, v / 100, v, v);
}

std::string KeyInfo::expect_text() const {
  if (std::holds_alternative<bool*>(target)) return "true or false";
  if (std::holds_alternative<std::string*>(target)) return "text";
  if (std::holds_alternative<std::uint64_t*>(target)) return "a whole number from 0 to 2^64-1";
  const bool whole = std::holds_alternative<std::int64_t*>(target);
  const std::string a = whole ? "a whole number" : "a number";
  // Bounds that only keep the arithmetic finite (1e18 and up) are not worth a reader's time.
  const bool unbounded = std::isinf(hi) || hi >= 1e18;
  const bool positive = lo > 0 && lo < 1e-6;  // "> 0": the 1e-9 lower bounds
  std::string r;
  if (unbounded)
    r = positive ? a + " > 0" : a + " >= " + num(lo);
  else if (whole)
    r = a + " from " + num(lo) + " to " + num(hi);
  else if (positive)
    r = a + " > 0 and at most " + num(hi);
  else if (hi_open)
    r = a + " >= " + num(lo) + " and below " + num(hi);
  else
    r = a + " between " + num(lo) + " and " + num(hi);
  if (std::holds_alternative<std::optional<double>*>(target)) r += " (or null)";
  return r;
}

std::string KeyInfo::examples() const {
  if (std::string(unit) == "rate") return "0.12 or 12%";
  if (percent_ok()) return "0.25 or 25%";
  if (std::holds_alternative<std::int64_t*>(target) ||
      std::holds_alternative<std::uint64_t*>(target))
    return hi >= 2000 ? "2000 or 2k" : hi >= 12 ? "12" : hi >= 2 ? "2" : "1";
  if (std::string(unit).find("currency") != std::string::npos) return "250000, 250k or 0.25M";
  // Examples inside the key's range: "40" for a volatility of at most 3 read as a value to try.
  return hi > 1000   ? "1500, 1.5k or 0.5"
         : hi >= 40  ? "40 or 2.5"
         : hi >= 2.5 ? "2.5 or 0.5"
                     : "0.5 or 0.25";
}

std::optional<double> parse_number(const std::string& text, bool percent_ok, std::string& why) {
  why.clear();
  if (text.empty()) return std::nullopt;
  // The suffix, as a power of ten appended to the digits, so "0.1k" is read as "0.1e3" and
  // rounds once, exactly like the number written out.
  std::string digits = text;
  int exp10 = 0;
  bool suffix = true;
  auto ends = [&](const char* s) {
    const std::size_t n = std::char_traits<char>::length(s);
    return digits.size() > n && digits.compare(digits.size() - n, n, s) == 0;
  };
  if (ends("bn") || ends("BN") || ends("Bn"))
    digits.resize(digits.size() - 2), exp10 = 9;
  else if (ends("k") || ends("K"))
    digits.pop_back(), exp10 = 3;
  else if (ends("m") || ends("M"))
    digits.pop_back(), exp10 = 6;
  else if (ends("b") || ends("B"))
    digits.pop_back(), exp10 = 9;
  else if (ends("%"))
    digits.pop_back(), exp10 = -2;
  else
    suffix = false;
  const bool has_digit = digits.find_first_of("0123456789") != std::string::npos;
  if (has_digit && digits.find_first_not_of("0123456789,.+-") == std::string::npos &&
      digits.find(',') != std::string::npos) {
    why = "no thousands separators: write 1000000 or 1M";
    return std::nullopt;
  }
  if (has_digit && !digits.empty() && digits.back() == ' ') {
    why = "no space before the suffix: write 250k or 1.5M";
    return std::nullopt;
  }
  if (has_digit && std::string("$\xe2\xc2").find(text[0]) != std::string::npos) {
    why = "no currency sign: write 250000 or 250k";
    return std::nullopt;
  }
  // Digits, one point, an optional sign and (without a suffix) an exponent: no hex, no
  // infinities, nothing the user did not mean as a plain number.
  const char* allowed = suffix ? "0123456789.+-" : "0123456789.+-eE";
  if (!has_digit || digits.find_first_not_of(allowed) != std::string::npos) return std::nullopt;
  if (exp10 == -2 && !percent_ok) {
    why = "'%' is only for shares and probabilities (0 to 1); write the number itself";
    return std::nullopt;
  }
  const std::string full = suffix ? digits + "e" + std::to_string(exp10) : digits;
  char* end = nullptr;
  const double v = std::strtod(full.c_str(), &end);
  if (end != full.c_str() + full.size()) return std::nullopt;
  if (!std::isfinite(v)) {
    why = "too large for a number (above about 1.8e308)";
    return std::nullopt;
  }
  return v;
}

std::string KeyInfo::value_text() const {
  return std::visit(
      [](auto* v) -> std::string {
        using T = std::remove_pointer_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>)
          return *v ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::optional<double>>)
          return *v ? fmt::format("{:g}", **v) : "null";
        else if constexpr (std::is_same_v<T, std::string>)
          return v->empty() ? "null" : *v;
        else if constexpr (std::is_same_v<T, double>)
          return fmt::format("{:g}", *v);
        else
          return fmt::format("{}", *v);
      },
      target);
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string nearest(const std::string& key, const std::vector<std::string>& candidates) {
  // A candidate that starts with what was typed, then one that contains it, before edit
  // distance alone: 'push' is short for 'push-activity', though 'baseline' is fewer edits away.
  auto rank = [&](const std::string& c) {
    if (key.empty()) return 2;
    if (c.rfind(key, 0) == 0) return 0;
    return c.find(key) != std::string::npos ? 1 : 2;
  };
  std::string best;
  std::pair<int, std::size_t> best_d{3, std::string::npos};
  for (const auto& c : candidates) {
    const std::pair<int, std::size_t> d{rank(c), edit_distance(key, c)};
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

std::string not_plan_settable_why(const std::string& path) {
  const auto under = [&](const char* prefix) { return path.rfind(prefix, 0) == 0; };
  if (under("simulation.") || under("goal."))
    return "the run's settings (simulation.*) and the goal (goal.*) are the same for every plan, "
           "so that their figures compare";
  if (under("revenue.") || under("customers."))
    return "the recurring revenue model, its contract term and the book of customers at the start "
           "(revenue.model, revenue.term_months, customers.*) are the same for every plan";
  if (under("calendar."))
    return "the calendar (holidays, vacation, seasonality) is the same for every plan";
  if (under("compensation."))
    return "what commission is paid on (compensation.on: bookings, acv or first_year) is the "
           "same for every plan; a plan may change the rates";
  return "team.*, stage names, skills and initial_per_rep shape the starting state, which all "
         "plans share";
}

std::string unnamed_stage(std::size_t index) { return fmt::format("stages[{}]", index); }

std::string unnamed_stage_key_problem(const std::string& key, const Params& p) {
  const std::string pre = "pipeline.stages.";
  if (key.rfind(pre, 0) != 0) return "";
  const std::string name = key.substr(pre.size(), key.find('.', pre.size()) - pre.size());
  bool refused = false;
  for (const Stage& s : p.pipeline.stages) {
    if (s.name == name) return "";
    refused = refused || s.name.find('[') != std::string::npos;  // see unnamed_stage
  }
  if (!refused) return "";
  return "no stage is named '" + name +
         "'; a stage's name was refused (pipeline.stages): correct that first";
}

}  // namespace salesim
