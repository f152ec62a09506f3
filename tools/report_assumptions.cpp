// The report's assumptions in plain language (the scenario's key parameters and each plan's
// changes, read from the scenario text stored in the results) and its method notes.
#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "models/keys.hpp"
#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

// What compensation.on pays commission on (docs/model.md 12.5).
std::string commission_base(const std::string& on) {
  if (on == "acv") return "new and expansion annual contract value";
  if (on == "first_year") return "new contracts' first-year billings";
  return "bookings";
}

// How many lines the run's summary holds under `key` ("warnings", "notices").
std::size_t said_count(const nlohmann::json& s, const char* key) {
  if (!s.contains(key) || !s[key].is_array()) return 0;
  std::size_t n = 0;
  for (const auto& line : s[key]) n += line.is_string();
  return n;
}

std::string participants_text(Participants p) {
  switch (p) {
    case Participants::all:
      return "every rep";
    case Participants::new_hires:
      return "the reps hired during the run";
    case Participants::bottom_half:
      return "the less skilled half of the reps";
  }
  return {};
}

std::string hire_text(const Fmt& f, const Hire& h) {
  return fmt::format("{} rep{} hired to start in {}", h.count, h.count == 1 ? "" : "s",
                     f.event_week(h.week));
}

std::string training_text(const Fmt& f, const TrainingProgram& t) {
  return fmt::format(
      "<strong>Training{}</strong> for {}, {} week{} from {}, {} hours a week out of the field, "
      "on {}; it closes {} of each trained skill's gap to mastery and costs {} per person.",
      t.name.empty() ? "" : " '" + esc(t.name) + "'", participants_text(t.participants), t.weeks,
      t.weeks == 1 ? "" : "s", f.event_week(t.start_week), plain_g(t.hours_per_week),
      t.targeting == Targeting::gap ? fmt::format("each rep's {} weakest skill{}", t.focus_skills,
                                                  t.focus_skills == 1 ? "" : "s")
                                    : "every skill",
      plain_share(t.efficacy), esc(f.money(t.cost_per_person)));
}

std::string program_text(const Fmt& f, const Program& p) {
  const std::string name =
      p.name.empty() || p.name == to_string(p.kind) ? "" : " '" + esc(p.name) + "'";
  const std::string when = f.event_week(p.start_week);
  switch (p.kind) {
    case ProgramKind::coach_the_coaches:
      return fmt::format(
          "<strong>Coach the coaches{}</strong> in {}: managers' coaching skill rises to {} "
          "on a scale of 0 to 1; cost {}.",
          name, when, plain_g(p.value), esc(f.money(p.cost)));
    case ProgramKind::profiling:
      return fmt::format(
          "<strong>Profiling{}</strong> in {}: reps learn to see the activities they tend to "
          "avoid (their awareness rises to {} on a scale of 0 to 1); {} per rep.",
          name, when, plain_g(p.value), esc(f.money(p.cost_per_person)));
    case ProgramKind::alignment:
      return fmt::format(
          "<strong>Alignment{}</strong> in {}: the share of leadership's expectations the team "
          "understands becomes {}; {} hours per rep that week; cost {}.",
          name, when, plain_share(p.value), plain_g(p.hours_per_rep), esc(f.money(p.cost)));
    case ProgramKind::coaching_policy:
      return fmt::format(
          "<strong>Coaching policy{}</strong> from {}: managers aim for {} {} of coaching "
          "per rep per week.",
          name, when, plain_g(p.value), noun(p.value, "hour"));
  }
  return {};
}

// A YAML value in words: null is "none", true/false "yes"/"no", a number in its key's unit (a
// share a percentage, money in the report's currency).
std::string plain_value(const Fmt& f, const std::string& v, const std::string& unit) {
  if (v == "null" || v == "~" || v.empty()) return "none";
  if (v == "true") return "yes";
  if (v == "false") return "no";
  std::string why;  // "27k", "12%" and "1.5M" as the loader reads them
  if (const auto x = parse_number(v, percent_unit(unit), why)) return plain_number(f, *x, unit);
  const std::string u = unit.empty() || unit == "ratio" || percent_unit(unit) ? "" : " " + unit;
  return v + u;
}

// "Prospecting target per rep: 18 hours/week instead of none" from the key's meaning (its
// part before any parenthesis, which speaks of key values); the key name goes to the appendix.
std::string plain_change(const Fmt& f, std::string meaning, const std::string& value,
                         const std::string& was, const std::string& unit) {
  if (const auto cut = meaning.find(" ("); cut != std::string::npos) meaning.resize(cut);
  if (meaning.rfind("true: ", 0) == 0) {  // a switch: say what it does, on or off
    const std::string what = meaning.substr(6);
    return value == "true" ? "<strong>Now</strong>: " + esc(what)
                           : "<strong>No longer</strong>: " + esc(what);
  }
  if (meaning.empty()) meaning = "a further setting";
  return fmt::format("{}: <strong>{}</strong> instead of {}", esc(capitalised(meaning)),
                     esc(plain_value(f, value, unit)), esc(plain_value(f, was, unit)));
}

// One plan's changes against the scenario's baseline settings, in plain words.
std::string plan_changes(const Page& pg, const PlanSpec& plan) {
  const Scenario& sc = *pg.scenario;
  Params base = sc.base;
  const auto keys = scalar_keys(base);
  std::vector<std::string> items;
  for (const auto& [path, value] : plan.overrides) {
    std::string meaning, was, unit;
    for (const auto& k : keys)
      if (k.path == path) meaning = k.meaning, was = k.value_text(), unit = k.unit;
    items.push_back(
        plain_change(pg.f, meaning, value, was, unit) +
        (plan.from_week > 0 ? fmt::format(", from {}", pg.f.event_week(plan.from_week)) : "") +
        ".");
  }
  const Params& p = plan.params;
  for (std::size_t i = base.hiring.size(); i < p.hiring.size(); ++i)
    items.push_back(hire_text(pg.f, p.hiring[i]) + ".");
  for (std::size_t i = base.training.size(); i < p.training.size(); ++i)
    items.push_back(training_text(pg.f, p.training[i]));
  for (std::size_t i = base.programs.size(); i < p.programs.size(); ++i)
    items.push_back(program_text(pg.f, p.programs[i]));
  if (const std::string t = territory_change(pg, plan); !t.empty()) items.push_back(t);
  if (items.empty()) return "<p>No changes: the organisation carries on as described above.</p>";
  std::string h = R"(<ul class="changes">)";
  for (const auto& i : items) h += "<li>" + i + "</li>";
  return h + "</ul>";
}

}  // namespace

std::optional<Scenario> parse_scenario(const ReportData& d) {
  try {
    return load_scenario_text(d.scenario_text, d.scenario_file);
  } catch (const std::exception&) {
    return std::nullopt;  // written by another salesim: the text is still shown as run
  }
}

std::string assumptions_section(Page& pg) {
  std::string h = R"(<section id="assumptions"><div class="keep"><h2>Assumptions</h2>)";
  if (!pg.scenario)
    return h +
           "<p>This salesim cannot read the scenario stored in the results file, so its "
           "parameters are not summarised here; the file as run is in the "
           "appendix.</p></div></section>";
  const Scenario& sc = *pg.scenario;
  const Params& p = sc.base;
  const Fmt& f = pg.f;
  h += "<p>What the simulation takes as given, in plain words. Every plan starts from this "
       "organisation; the next part lists what each plan changes.</p><dl class=\"params\">";
  auto item = [&](const std::string& term, const std::string& text) {
    h += "<dt>" + term + "</dt><dd>" + text + "</dd>";
  };
  item("Horizon", fmt::format("{} {}{}", sc.horizon(), noun(sc.horizon(), "week"),
                              f.has_dates() ? ", from " + f.date(p.simulation.start_date) : ""));
  if (p.goal.revenue) {
    const bool arr = p.goal.metric == "arr";
    std::string goal = fmt::format("{} of {} by {}", arr ? "ARR" : "Bookings",
                                   esc(f.money(*p.goal.revenue)), f.week(sc.goal_week()));
    if (!p.goal.checkpoints.empty()) {
      goal += arr ? "; checkpoints (ARR at the week): " : "; checkpoints: ";
      for (std::size_t i = 0; i < p.goal.checkpoints.size(); ++i) {
        const auto& c = p.goal.checkpoints[i];
        goal += fmt::format("{}{} {} by {}", i ? ", " : "", esc(c.label), esc(f.money(c.revenue)),
                            f.week(c.week));
      }
    }
    item("Goal", goal + ".");
  }
  item("Team", fmt::format("{} sales reps and {} managers (about {:.0f} reps each); salary {} a "
                           "year per rep and {} per manager; {}.",
                           p.team.reps, p.team.managers,
                           double(p.team.reps) / std::max<std::int64_t>(1, p.team.managers),
                           esc(f.money(p.team.salary)), esc(f.money(p.team.manager_salary)),
                           p.compensation.commission_rate > 0
                               ? "commission of " + plain_share(p.compensation.commission_rate) +
                                     " of " + commission_base(p.compensation.on)
                               : "no commission"));
  std::string skills;
  for (const auto& [name, b] : p.team.skills)
    skills += fmt::format("{}{} {} (spread {})", skills.empty() ? "" : ", ", esc(name),
                          plain_g(b.mean), plain_g(b.sd));
  item("Skills", fmt::format("On a scale of 0 to 1, the team's average (and spread): {}. New "
                             "hires start at {} and ramp up over {} {}.",
                             skills.empty() ? "0.4 for every skill" : skills,
                             plain_g(p.people.new_hire_skill.mean), p.people.ramp_weeks,
                             noun(p.people.ramp_weeks, "week")));
  item("Deals", fmt::format("A won deal books {} on average (coefficient of variation {}: deals "
                            "vary a lot in size){}.",
                            esc(f.money(p.pipeline.deal_mean)), plain_g(p.pipeline.deal_cv),
                            p.segments.on() ? ", unless its segment says otherwise (below)" : ""));
  std::string stages;
  for (const auto& st : p.pipeline.stages)
    stages += fmt::format(
        "<tr><th>{}</th><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{} to {}</td><td>{}</td>"
        "<td>{}</td></tr>",
        esc(st.name), esc(st.skill), plain_g(st.hours), plain_share(st.exit_rate),
        plain_share(st.conversion.floor), plain_share(st.conversion.top),
        plain_share(st.stale_loss), st.initial_per_rep);
  item("Market",
       p.market.volatility > 0
           ? fmt::format("Demand moves by about {} from its average (volatility {}, persistence "
                         "{}: good and bad spells last). {} inbound leads a week, of which {} "
                         "become opportunities; marketing costs {} a week.",
                         plain_share(p.market.volatility), plain_g(p.market.volatility),
                         plain_g(p.market.persistence), plain_g(p.market.inbound_leads_per_week),
                         plain_share(p.market.lead_quality),
                         esc(f.money(p.costs.marketing_per_week)))
           : fmt::format("Steady demand. {} inbound leads a week, of which {} become "
                         "opportunities; marketing costs {} a week.",
                         plain_g(p.market.inbound_leads_per_week),
                         plain_share(p.market.lead_quality),
                         esc(f.money(p.costs.marketing_per_week))));
  item("Time",
       fmt::format(
           "Reps work {} hours a week without strain and at most {}; {} hours go to "
           "admin; managers have {} hours a week for coaching and aim for {} {} per "
           "rep. Prospecting: {}.",
           plain_g(p.capacity.sustainable_hours), plain_g(p.capacity.max_hours),
           plain_g(p.capacity.admin_hours), plain_g(p.capacity.manager_coaching_hours),
           plain_g(p.org.coaching_hours_per_rep), noun(p.org.coaching_hours_per_rep, "hour"),
           p.prospecting.target_hours
               ? fmt::format("a target of {} hours a week{}", plain_g(*p.prospecting.target_hours),
                             p.prospecting.mandatory
                                 ? ", mandatory (served before pipeline work)"
                                 : ", as a floor on the time left after pipeline work")
               : "in the time left after pipeline work"));
  item("Burnout",
       fmt::format("Working more than {} hours a week ({} times the sustainable hours) builds "
                   "burnout, and so does disliked work; {} of it fades each week. A fully "
                   "burnt-out rep wins {} fewer deals (across the whole funnel), has {} fewer "
                   "hours and is more likely to leave.",
                   plain_g(p.burnout.onset_load * p.capacity.sustainable_hours),
                   plain_g(p.burnout.onset_load), plain_share(p.burnout.recovery),
                   plain_share(p.burnout.conversion_loss), plain_share(p.burnout.capacity_loss)));
  item("People",
       fmt::format("{} of reps leave in a year at the base rate; {}; a hire costs {}; a "
                   "leaver's open opportunities are lost at a rate of {}, the rest handed over.",
                   plain_share(p.people.attrition_annual),
                   p.people.backfill ? fmt::format("every leaver is replaced after {} {}",
                                                   p.people.time_to_fill_weeks,
                                                   noun(p.people.time_to_fill_weeks, "week"))
                                     : "leavers are not replaced",
                   esc(f.money(p.people.hire_cost)), plain_share(p.people.handover_loss)));
  item("Organisation",
       fmt::format("The team knows and understands {} of what leadership expects of it; {}; "
                   "managers' coaching skill is {} on a scale of 0 to 1.",
                   plain_share(p.org.alignment),
                   p.org.awareness <= 0 ? "reps do not yet see which activities they tend to avoid"
                   : p.org.awareness >= 1
                       ? "reps fully see which activities they tend to avoid"
                       : fmt::format("reps partly see which activities they tend to avoid ({} "
                                     "on a scale of 0 to 1)",
                                     plain_g(p.org.awareness)),
                   plain_g(p.org.manager_coaching_skill)));
  for (const auto& [term, text] : extension_items(pg)) item(term, text);
  std::vector<std::string> planned;
  for (const auto& hr : p.hiring) planned.push_back(hire_text(f, hr) + ".");
  for (const auto& t : p.training) planned.push_back(training_text(f, t));
  for (const auto& pr : p.programs) planned.push_back(program_text(f, pr));
  if (!planned.empty()) {
    std::string list;
    for (const auto& x : planned) list += x + " ";
    item("In every plan", list);
  }
  h += "</dl></div>";
  h +=
      R"(<table class="data"><caption>The sales pipeline, stage by stage</caption><thead><tr><th>Stage</th><th class="t">Skill it needs</th><th>Hours per opportunity per week</th><th>Leave the stage per week</th><th>Advance (skill 0 to 1)</th><th>Lost per week if not worked</th><th>Open per rep at the start</th></tr></thead><tbody>)" +
      stages + "</tbody></table>";

  h += "<h3>What each plan changes</h3>";
  for (std::size_t i = 0; i < pg.d.plans.size(); ++i) {
    const PlanSpec* spec = nullptr;
    for (const auto& ps : sc.plans)
      if (ps.name == pg.d.plans[i].name) spec = &ps;
    h += fmt::format("<div class=\"keep\"><h4>{}{}</h4>", pg.plan_name(i),
                     pg.d.plans[i].description.empty()
                         ? ""
                         : " <span class=\"note\">" + esc(pg.d.plans[i].description) + "</span>");
    h += (spec ? plan_changes(pg, *spec) : "<p>Not in the stored scenario.</p>") + "</div>";
  }
  return h + "</section>";
}

std::string method_section(Page& pg) {
  const auto& s = pg.s;
  const Fmt& f = pg.f;
  std::string h = R"(<section id="method"><div class="keep"><h2>Method</h2>)";
  h += fmt::format(
      "<p><strong>Simulation.</strong> salesim simulated each plan week by week over {} "
      "possible {} (Monte Carlo paths) of {} {}, with seed {}: every rep's skills, "
      "hours, burnout, pipeline, deals won and lost, departures and hires, in a market that "
      "moves. The same seed gives the same results on any computer.</p>",
      f.fig(s, "/paths", Kind::count), noun(num_at(s, "/paths"), "future"),
      f.fig(s, "/horizon_weeks", Kind::count), noun(num_at(s, "/horizon_weeks"), "week"),
      esc(s["seed"].dump()));
  h += "</div>";  // the keep: heading and first paragraph
  h += "<p><strong>Same futures for every plan.</strong> Every plan meets the same market, the "
       "same people and the same luck wherever it does not change them (common random "
       "numbers). Differences between plans are therefore the plans' doing, and the paired "
       "differences in this report are far more precise than two separate forecasts would "
       "be.</p>";
  h += fmt::format(
      "<p><strong>Uncertainty, shown two ways.</strong> The bands of the fan charts and the "
      "10-90% ranges show how widely the outcome varies from one future to another: real "
      "uncertainty about what will happen. The standard errors (&plusmn;) and the whiskers "
      "(&plusmn;1.96 standard errors, a 95% interval) show how precisely the simulation has "
      "estimated each figure; they shrink as more futures are simulated. A probability's "
      "standard error is &radic;(p(1&minus;p)/n); a mean's is its standard deviation over "
      "&radic;n. When no simulated future misses (100%) or none meets (0%), the standard "
      "error is 0, yet the true chance may still differ by up to about 3/n: here "
      "{}.</p>",
      Fmt::prob_diff(3.0 / std::max(1.0, num_at(s, "/paths"))).substr(1));
  if (s.contains("precision"))
    h += fmt::format(
        "<p><strong>Precision.</strong> Futures were added until the standard error of "
        "P(goal) was at most {} for every plan.</p>",
        f.fig(s, "/precision/target_se", Kind::prob_se));
  // What salesim said about the scenario when it ran (summary JSON `notices`, `warnings`): in
  // the appendix, as it names keys and files; here how many, and where.
  const std::size_t warnings = said_count(s, "warnings"), notices = said_count(s, "notices");
  if (warnings + notices > 0)
    h += fmt::format(
        "<p><strong>{}.</strong> When it read the scenario, salesim {}{}{}: {} listed, with the "
        "scenario keys concerned, in the appendix for analysts.</p>",
        warnings > 0 ? "Warnings" : "Notices",
        warnings > 0 ? fmt::format("found {} plan {} that cannot act, or cannot act on the goal "
                                   "(the file is valid and was run as written)",
                                   warnings, noun(double(warnings), "element"))
                     : "",
        warnings > 0 && notices > 0 ? " and " : "",
        notices > 0 ? fmt::format("noted {} {}", notices, noun(double(notices), "point")) : "",
        warnings + notices == 1 ? "it is" : "they are");
  h += "<p><strong>What the model leaves out.</strong> The simulation is a model of a sales "
       "team, not of the whole business. It does not include:</p><ul>";
  for (const std::string& item : left_out_items(pg)) h += "<li>" + item + "</li>";
  h += "</ul>";
  h += sensitivity_method(pg);
  return h + "</section>";
}

std::string analysts_appendix(Page& pg) {
  const auto& s = pg.s;
  const Fmt& f = pg.f;
  std::string h = R"(<section id="analysts"><h2>Appendix for analysts</h2>)";
  h += "<p>The scenario keys behind the plain words of this report, the one-at-a-time check "
       "with the keys it moved, where the figures come from, and the scenario file as run.</p>";
  auto said = [&](const char* key, const std::string& intro) {
    if (said_count(s, key) == 0) return;
    h += "<p>" + intro + "</p><ul>";
    for (const auto& line : s[key])
      if (line.is_string()) h += "<li>" + esc(line.get<std::string>()) + "</li>";
    h += "</ul>";
  };
  said("warnings",
       "<strong>Warnings.</strong> salesim found plan elements that cannot act, or cannot act "
       "on the goal (the file is valid and was run as written):");
  said("notices", "<strong>Notices.</strong> When it read the scenario, salesim noted:");
  if (pg.scenario) {
    std::string rows;
    for (const auto& plan : pg.scenario->plans)
      for (const auto& [path, value] : plan.overrides)
        rows += fmt::format(
            R"(<tr><th>{}</th><td class="t"><code>{}</code></td><td class="t">{}{}</td></tr>)",
            esc(plan.name), esc(path), esc(value),
            plan.from_week > 0 ? fmt::format(" from {}", f.event_week(plan.from_week)) : "");
    if (!rows.empty())
      h +=
          R"(<table class="data"><caption>What each plan sets, as scenario keys</caption><thead><tr><th>Plan</th><th class="t">Key</th><th class="t">Value</th></tr></thead><tbody>)" +
          rows + "</tbody></table>";
    std::string uncertain;
    for (const Assumption& a : pg.scenario->assumptions)
      uncertain += fmt::format(
          R"(<tr><th>{}</th><td class="t"><code>{}</code></td><td class="t">{}</td></tr>)",
          esc(capitalised(plain_key(*pg.scenario, a.key))), esc(a.key), esc(a.describe()));
    if (!uncertain.empty())
      h +=
          R"(<table class="data"><caption>The uncertain assumptions, as scenario keys</caption><thead><tr><th>Assumption</th><th class="t">Key</th><th class="t">Distribution</th></tr></thead><tbody>)" +
          uncertain + "</tbody></table>";
  }
  h += sensitivity_appendix(pg);
  h += R"(<table class="data"><caption>Provenance</caption><tbody>)";
  auto row = [&](const std::string& k, const std::string& v) {
    h += "<tr><th>" + k + "</th><td style=\"text-align:left\">" + v + "</td></tr>";
  };
  row("Scenario", esc(pg.d.scenario_name) + " (<code>" + esc(pg.d.scenario_file) + "</code>)");
  row("Futures per plan", f.fig(s, "/paths", Kind::count));
  row("Seed", esc(s["seed"].dump()));
  row("Model and program", fmt::format("salesim {} (git {}); the model is salesim's model, "
                                       "version 2",
                                       esc(s.value("salesim_version", pg.d.salesim_version)),
                                       esc(s.value("git_revision", pg.d.git_revision))));
  row("Results", fmt::format("from {}, format {}, created {}", results_source(pg.d),
                             esc(pg.d.format_version), esc(pg.d.created)));
  h += "</tbody></table>";
  h +=
      R"(</section><section id="scenario"><h3>The scenario file as run</h3><pre class="scenario">)" +
      esc(pg.d.scenario_text) + "</pre></section>";
  return h;
}

}  // namespace salesim::tools::report
