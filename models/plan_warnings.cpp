#include "models/plan_warnings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <type_traits>
#include <variant>

#include "models/capacity.hpp"
#include "models/format_upgrade.hpp"
#include "models/keys.hpp"

namespace salesim {
namespace {

// What a check sees: the scenario, the plan it looks at, and how the message says where
// ("in this plan", or "in every plan" for an entry of the baseline's lists).
struct Where {
  const Scenario& sc;
  const PlanSpec& plan;
  const char* scope;
};

// The uncertain assumption on `key` (docs/model.md 12.4), or null.
const Assumption* assumed(const Scenario& sc, const std::string& key) {
  for (const Assumption& a : sc.assumptions)
    if (a.key == key) return &a;
  return nullptr;
}

bool plan_sets(const PlanSpec& plan, const std::string& key) {
  return std::any_of(plan.overrides.begin(), plan.overrides.end(),
                     [&](const auto& o) { return o.first == key; });
}

// Whether the value of `key` is 0 (or false) wherever the plan uses it: in its own parameters,
// and in the baseline's before its from_week (MODEL.md 3.2; from_week 0 is file week 1, so never
// before). An assumption on the key replaces the file's value in the baseline and in a plan that
// does not set the key: then only draws that are all 0 count.
bool never(const Where& w, const std::string& key,
           const std::function<double(const Params&)>& get) {
  const Assumption* a = assumed(w.sc, key);
  const bool always_zero = !a || (a->reach_low() == 0 && a->reach_high() == 0);
  const bool plan_zero =
      plan_sets(w.plan, key) ? get(w.plan.params) == 0 : get(w.plan.params) == 0 && always_zero;
  return plan_zero && (w.plan.from_week == 0 || (get(w.sc.base) == 0 && always_zero));
}

// The week a message names: the file's own numbering (format 1 counts event weeks from 0, format
// 2 from 1), so "week 20" never names a week the file does not have.
int file_week(const Scenario& sc, int t) { return t + first_file_week(sc.format); }

// An event at 0-based week t happens after the goal week (only with a goal).
bool after_goal(const Scenario& sc, int t) {
  return sc.base.goal.revenue && t + 1 > sc.goal_week();
}

std::string after_goal_text(const Scenario& sc, const std::string& what, int t) {
  return fmt::format(
      "{} in week {}, after the goal's week {}, so this cannot help reach the goal (it still "
      "shows in costs and in the weeks after); move it to week {} or earlier, or drop it",
      what, file_week(sc, t), sc.goal_week(), file_week(sc, sc.goal_week() - 1));
}

// Warning 1, shared: managers coach 0 hours per rep throughout the plan, so `effect`.
std::string no_coaching(const Where& w, const std::string& effect) {
  if (never(w, "capacity.manager_coaching_hours",
            [](const Params& p) { return p.capacity.manager_coaching_hours; }))
    return fmt::format(
        "managers have no coaching time {} (capacity.manager_coaching_hours is 0), so {}; set "
        "capacity.manager_coaching_hours",
        w.scope, effect);
  if (!never(w, "org.coaching_hours_per_rep",
             [](const Params& p) { return p.org.coaching_hours_per_rep; }))
    return {};
  for (const Program& pr : w.plan.params.programs)
    if (pr.kind == ProgramKind::coaching_policy && pr.value > 0) return {};
  return fmt::format(
      "managers coach 0 hours per rep {} (org.coaching_hours_per_rep is 0 and no coaching_policy "
      "programme raises it), so {}; set org.coaching_hours_per_rep or add a coaching_policy "
      "programme",
      w.scope, effect);
}

// ---- Hires ----

std::string hire_after_goal(const Where& w, const Hire& h) {
  if (h.week + 1 == w.sc.horizon()) return {};  // hire_in_last_week says more
  return after_goal(w.sc, h.week) ? after_goal_text(w.sc, "these reps join", h.week) : "";
}

std::string hire_in_last_week(const Where& w, const Hire& h) {
  if (h.week + 1 != w.sc.horizon()) return {};
  return fmt::format(
      "these reps join in week {}, the last week simulated, with no pipeline and at the start "
      "of their ramp, so they add cost but no bookings; hire earlier or drop it",
      file_week(w.sc, h.week));
}

// ---- Training ----

std::string training_without_new_hires(const Where& w, const TrainingProgram& tp) {
  if (tp.participants != Participants::new_hires) return {};
  if (!never(w, "people.backfill", [](const Params& p) { return double(p.people.backfill); }))
    return {};
  for (const Hire& h : w.plan.params.hiring)
    if (h.count > 0 && h.week <= tp.start_week) return {};
  return fmt::format(
      "it is for new hires, but no rep is hired by its start in week {} {} and leavers are not "
      "replaced (people.backfill is false), so no one takes part; hire by week {}, or choose "
      "participants: all or bottom_half",
      file_week(w.sc, tp.start_week), w.scope, file_week(w.sc, tp.start_week));
}

std::string training_without_efficacy(const Where& w, const TrainingProgram& tp) {
  if (tp.efficacy > 0) return {};
  return fmt::format(
      "its efficacy is 0, so it trains nothing, yet it takes {:g} hours a week out of the field "
      "for {} week{} and costs {:g} per person; set efficacy above 0 or drop it",
      tp.hours_per_week, tp.weeks, tp.weeks == 1 ? "" : "s", tp.cost_per_person);
}

std::string training_after_goal(const Where& w, const TrainingProgram& tp) {
  return after_goal(w.sc, tp.start_week) ? after_goal_text(w.sc, "it starts", tp.start_week) : "";
}

// ---- Programmes ----

std::string coach_without_coaching(const Where& w, const Program& pr) {
  if (pr.kind != ProgramKind::coach_the_coaches) return {};
  return no_coaching(w, "a better coach changes nothing");
}

std::string program_after_goal(const Where& w, const Program& pr) {
  return after_goal(w.sc, pr.start_week) ? after_goal_text(w.sc, "it starts", pr.start_week) : "";
}

// ---- A plan's `set` and from_week ----

std::string set_without_coaching(const Where& w, const std::string& path) {
  if (path == "org.manager_coaching_skill") return no_coaching(w, "a better coach changes nothing");
  if (path.starts_with("skills.coaching_"))
    return no_coaching(w, "this coaching setting changes nothing");
  return {};
}

// The revenue keys a plan may set act on contracts, which only revenue.model: recurring makes
// (a plan cannot set the model).
std::string set_without_recurring(const Where& w, const std::string& path) {
  if (!path.starts_with("revenue.") || w.sc.base.revenue.model == "recurring") return {};
  return "recurring revenue is off (revenue.model is bookings), so there are no contracts and "
         "this key changes nothing; set revenue.model: recurring at the top of the file";
}

// An org.* override sets its state value at from_week (MODEL.md 3.2): after a programme of the
// same kind changed that value, even the baseline's value acts (it undoes the programme).
bool resets_programme(const Where& w, const std::string& path) {
  static const std::pair<const char*, ProgramKind> state[] = {
      {"org.alignment", ProgramKind::alignment},
      {"org.awareness", ProgramKind::profiling},
      {"org.manager_coaching_skill", ProgramKind::coach_the_coaches},
      {"org.coaching_hours_per_rep", ProgramKind::coaching_policy}};
  for (const auto& [key, kind] : state)
    if (path == key)
      for (const Program& pr : w.plan.params.programs)
        if (pr.kind == kind && pr.start_week < w.plan.from_week) return true;
  return false;
}

std::string set_to_baseline_value(const Where& w, const std::string& path) {
  Params base = w.sc.base, plan = w.plan.params;
  const auto base_keys = scalar_keys(base), plan_keys = scalar_keys(plan);
  auto find = [&](const std::vector<KeyInfo>& keys) {
    return std::find_if(keys.begin(), keys.end(), [&](const KeyInfo& k) { return k.path == path; });
  };
  const auto b = find(base_keys), p = find(plan_keys);
  if (b == base_keys.end() || p == plan_keys.end() || b->target.index() != p->target.index())
    return {};
  const bool same = std::visit(
      [&](auto* x) { return *x == *std::get<std::remove_cvref_t<decltype(x)>>(p->target); },
      b->target);
  // With an assumption on the key, the baseline's value is uncertain: the plan's value fixes it.
  if (!same || resets_programme(w, path) || assumed(w.sc, path)) return {};
  return fmt::format(
      "{} is already {} in the baseline, so this plan's setting changes nothing; drop it or set "
      "the value you meant",
      path, b->value_text());
}

std::string from_week_after_goal(const Where& w) {
  if (w.plan.overrides.empty() || !after_goal(w.sc, w.plan.from_week)) return {};
  return after_goal_text(w.sc, "the plan's set overrides take effect", w.plan.from_week);
}

// The most hours a rep may work in a week under p: max_hours times the largest effort its
// commission can give (MODEL.md 3.4.2 caps hours by nothing else; every accelerator tier a rep
// reaches adds its rate, 12.8).
double most_weekly_hours(const Scenario& sc, const Params& p) {
  double rate = p.compensation.commission_rate;
  for (const AcceleratorTier& t : p.quota.accelerators) rate += std::max(0.0, t.rate);
  return p.capacity.max_hours * effort_at_rate(p, rate, sc.base.compensation.commission_rate);
}

// Warning: the effort multiplier lets reps work more hours than a week has (a commission many
// times the file's, or steep accelerators); the model then books work no one could do.
std::string hours_past_the_week(const Scenario& sc, const Params& p) {
  const double h = most_weekly_hours(sc, p);
  if (h <= 168) return {};
  return fmt::format(
      "reps may work up to {:.0f} hours a week (capacity.max_hours {:g} times the effort "
      "multiplier {:.2f} that a commission rate of {:g}{} gives against the file's {:g}, at "
      "compensation.effort_elasticity {:g}), more than the 168 hours a week has; the model caps "
      "hours only by that product (MODEL.md 3.4.2): lower the rate or the elasticity",
      h, p.capacity.max_hours, h / p.capacity.max_hours, p.compensation.commission_rate,
      p.quota.accelerators.empty() ? "" : " with every accelerator tier reached",
      sc.base.compensation.commission_rate, p.compensation.effort_elasticity);
}

// Warning: renewals that grow the base past any company's net retention. A contract renews with
// probability renewal_rate and then grows by expansion_rate, so the base's ARR is multiplied by
// their product each term; best-in-class SaaS companies report about 120-130% net retention.
// Above 150% the likely cause is a percentage written as a number (expansion_rate: 10 for 10%,
// which makes every renewing contract 11 times larger); the model computes it all the same.
std::string retention_past_any(const Params& p) {
  if (p.revenue.model != "recurring") return {};
  const double per_term = p.revenue.renewal_rate * (1 + p.revenue.expansion_rate);
  if (per_term <= 1.5) return {};
  return fmt::format(
      "revenue.renewal_rate {:g} times (1 + revenue.expansion_rate {:g}) is {:.0f}%: the base's "
      "ARR would multiply by about {:.3g} every term ({:g} months), where the best companies "
      "keep 120-130% (net retention). A share is written 0.1 or 10%, not 10",
      p.revenue.renewal_rate, p.revenue.expansion_rate, 100 * per_term, per_term,
      p.revenue.term_months);
}

// ---- Naming the entries, and walking the lists ----

std::string label(const Scenario& sc, const Hire& h) {
  return fmt::format("{} rep{} in week {}", h.count, h.count == 1 ? "" : "s",
                     file_week(sc, h.week));
}
std::string label(const Scenario&, const TrainingProgram& t) { return t.name; }
std::string label(const Scenario&, const Program& p) {
  return p.name.empty() || p.name == to_string(p.kind)
             ? to_string(p.kind)
             : fmt::format("{} '{}'", to_string(p.kind), p.name);
}

template <class T>
using Check = std::string (*)(const Where&, const T&);

// The baseline's entries of a list: every plan has them first, so each is reported once, when
// the check fires in every plan.
template <class T>
void baseline_entries(const Scenario& sc, const std::vector<const PlanSpec*>& plans,
                      const char* key, std::vector<T> Params::*list,
                      std::initializer_list<Check<T>> checks, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < (sc.base.*list).size(); ++i)
    for (Check<T> check : checks) {
      const bool everywhere = std::all_of(plans.begin(), plans.end(), [&](const PlanSpec* p) {
        return !check(Where{sc, *p, "in every plan"}, (p->params.*list)[i]).empty();
      });
      if (everywhere)
        out.push_back(fmt::format(
            "{}: the baseline's {}[{}] ({}): {}", sc.file, key, i, label(sc, (sc.base.*list)[i]),
            check(Where{sc, *plans[0], "in every plan"}, (plans[0]->params.*list)[i])));
    }
}

// A plan's own entries of a list (after the baseline's), numbered within the plan's list.
template <class T>
void plan_entries(const Where& w, const std::string& plan_key, const char* key,
                  std::vector<T> Params::*list, std::initializer_list<Check<T>> checks,
                  std::vector<std::string>& out) {
  const auto& items = w.plan.params.*list;
  const std::size_t first = (w.sc.base.*list).size();
  for (std::size_t i = first; i < items.size(); ++i)
    for (Check<T> check : checks)
      if (const std::string why = check(w, items[i]); !why.empty())
        out.push_back(fmt::format("{}: {}.{}[{}] ({}): {}", w.sc.file, plan_key, key, i - first,
                                  label(w.sc, items[i]), why));
}

}  // namespace

std::vector<std::string> plan_warnings(const Scenario& sc, const std::vector<std::string>& only) {
  std::vector<std::string> out;
  std::vector<const PlanSpec*> plans;
  for (const PlanSpec& p : sc.plans)
    if (std::find(only.begin(), only.end(), p.name) != only.end()) plans.push_back(&p);
  if (plans.empty())
    for (const PlanSpec& p : sc.plans) plans.push_back(&p);
  if (plans.empty()) return out;
  const auto hiring = {Check<Hire>(hire_after_goal), Check<Hire>(hire_in_last_week)};
  const auto training = {Check<TrainingProgram>(training_without_new_hires),
                         Check<TrainingProgram>(training_without_efficacy),
                         Check<TrainingProgram>(training_after_goal)};
  const auto programs = {Check<Program>(coach_without_coaching),
                         Check<Program>(program_after_goal)};
  baseline_entries(sc, plans, "hiring", &Params::hiring, hiring, out);
  baseline_entries(sc, plans, "training", &Params::training, training, out);
  baseline_entries(sc, plans, "programs", &Params::programs, programs, out);
  // An uncertain assumption that can take one value only is not uncertain: its ranking reads
  // "0 ± 0" as if it were known to matter not at all, and the robustness block counts it.
  for (const Assumption& a : sc.assumptions)
    if (a.reach_low() == a.reach_high())
      out.push_back(fmt::format(
          "{}: assumptions.{}: {} can take one value only ({:g}), so it is not uncertain; write "
          "it as the key's value in the file, or give the distribution a width",
          sc.file, a.key, a.describe(), a.reach_low()));
  const std::string baseline_hours = hours_past_the_week(sc, sc.base);
  if (!baseline_hours.empty())
    out.push_back(fmt::format("{}: compensation: {}", sc.file, baseline_hours));
  // A plan is warned of what it changes: the baseline's own findings are said once, above.
  const double baseline_most_hours = most_weekly_hours(sc, sc.base);
  const std::string baseline_retention = retention_past_any(sc.base);
  if (!baseline_retention.empty())
    out.push_back(fmt::format("{}: revenue: {}", sc.file, baseline_retention));

  for (std::size_t k = 0; k < sc.plans.size(); ++k) {
    const PlanSpec& plan = sc.plans[k];
    if (std::find(plans.begin(), plans.end(), &plan) == plans.end()) continue;  // not run
    const Where w{sc, plan, "in this plan"};
    const std::string key = fmt::format("plans[{}] ({})", k, plan.name);
    // A plan after the first with nothing of its own is the file's baseline under another name:
    // its table reads "+0 ±0, P(better) 0%", which looks like a plan that failed.
    if (k > 0 && !plan.changes_anything)
      out.push_back(fmt::format(
          "{}: {}: the plan changes nothing (no set, hiring, training, programs or territories "
          "of its own), so it runs the file's baseline as written{}; give it what it should "
          "change",
          sc.file, key, sc.plans[0].changes_anything ? "" : ", as the first plan does"));
    if (const std::string why = from_week_after_goal(w); !why.empty())
      out.push_back(fmt::format("{}: {}.from_week: {}", sc.file, key, why));
    for (const auto& [path, text] : plan.overrides)
      for (const std::string& why : {set_without_coaching(w, path), set_without_recurring(w, path),
                                     set_to_baseline_value(w, path)})
        if (!why.empty()) out.push_back(fmt::format("{}: {}.set.{}: {}", sc.file, key, path, why));
    plan_entries(w, key, "hiring", &Params::hiring, hiring, out);
    plan_entries(w, key, "training", &Params::training, training, out);
    plan_entries(w, key, "programs", &Params::programs, programs, out);
    if (most_weekly_hours(sc, plan.params) != baseline_most_hours)
      if (const std::string why = hours_past_the_week(sc, plan.params); !why.empty())
        out.push_back(fmt::format("{}: {}: {}", sc.file, key, why));
    const std::string retention = retention_past_any(plan.params);
    if (retention != baseline_retention && !retention.empty())
      out.push_back(fmt::format("{}: {}: {}", sc.file, key, retention));
  }
  return out;
}

}  // namespace salesim
