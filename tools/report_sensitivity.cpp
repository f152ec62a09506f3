// The report's check of its own headline: the leading plan re-run with its levers and a few
// key assumptions moved by +-20%, one at a time, on the same simulated futures
// (tools/one_at_a_time.hpp), so the answer can say which assumption it leans on most.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "models/key_path.hpp"
#include "models/keys.hpp"
#include "sim/progress.hpp"
#include "tools/cli.hpp"
#include "tools/one_at_a_time.hpp"
#include "tools/report_sections.hpp"
#include "tools/table_file.hpp"

namespace salesim::tools {
namespace {

// The key assumptions checked besides the plan's own levers, in plain words. Keys of a group
// move together (every stage's conversion at full skill).
struct Assumption {
  const char* name;
  std::vector<std::string> keys;
};
std::vector<Assumption> key_assumptions(const Scenario& sc) {
  std::vector<std::string> tops;
  for (const auto& st : sc.base.pipeline.stages)
    tops.push_back("pipeline.stages." + st.name + ".conversion.top");
  std::vector<Assumption> out = {
      {"the prospecting yield (new opportunities per prospecting hour)",
       {"prospecting.yield.floor", "prospecting.yield.top"}},
      {"the share of opportunities that advance at each stage (for skilled reps)", tops},
      {"the average deal size", {"pipeline.deal_size.mean"}},
      {"staff turnover (the share of reps who leave in a year)", {"people.attrition_annual"}},
      {"the time new hires take to ramp up", {"people.ramp_weeks"}}};
  // With recurring revenue the base's renewals weigh on ARR as much as new business does.
  if (sc.base.revenue.model == "recurring") {
    out.push_back({"the renewal rate (the share of contracts renewed at each anniversary)",
                   {"revenue.renewal_rate"}});
    out.push_back({"the expansion of a renewed contract", {"revenue.expansion_rate"}});
  }
  return out;
}

// A setting with its lever's unit, for the appendix: "$18k a week", "14.4%", "21 weeks",
// "1 week", "week 12"; shares and rates in percent, as the report's words give them.
std::string setting_text(const report::Fmt& f, const std::string& unit, double v) {
  if (percent_unit(unit)) return fmt::format("{:g}%", 100 * v);
  if (unit == "week" || unit.rfind("currency", 0) == 0) return report::plain_number(f, v, unit);
  const std::string n = format_number(v);
  if (unit.empty() || unit == "ratio") return n;
  // Units name many ("weeks", "hours/week"): one of them is singular ("1 week", "1 hour/week").
  std::string u = unit;
  const std::size_t end = std::min(u.find('/'), u.size());
  if (n == "1" && end > 1 && u[end - 1] == 's') u.erase(end - 1, 1);
  return n + " " + u;
}

// A name that reads after "leans most on" or "Next comes": a key's meaning has its article
// (models/keys.cpp); a label made of names ("coaching policy") gets "the" unless it has one.
std::string with_article(const std::string& s) {
  for (const char* det : {"the ", "a ", "an "})
    if (s.rfind(det, 0) == 0) return s;
  const std::string first = s.substr(0, s.find(' '));
  if (first.ends_with("'") || first.ends_with("'s")) return s;  // "reps' awareness"
  return "the " + s;
}

// A list item's lever: "the efficacy of the targeted-skills training", not plain_key's label
// "the targeted-skills training: efficacy", which reads badly inside a sentence.
std::string list_lever_name(const ListKey& k) {
  std::string field = k.field == "count"   ? "number"
                      : k.field == "weeks" ? "length in weeks"
                                           : k.field;
  std::replace(field.begin(), field.end(), '_', ' ');
  if (k.list == "hiring")
    return k.field == "count" ? fmt::format("the number of reps hired (hiring item {})", k.item)
                              : fmt::format("the {} of hiring item {}", field, k.item);
  // A programme without a name goes by its kind (coach_the_coaches): in words, as elsewhere.
  std::string item = k.item;
  if (k.list == "programs") std::replace(item.begin(), item.end(), '_', ' ');
  return fmt::format("the {} of the {} {}", field, item,
                     k.list == "programs" ? "programme" : "training");
}

// A plan lever's name in words: the key assumption's when it is one (the same name in every
// report), else its meaning as a noun phrase.
std::string lever_name(const Scenario& sc, const std::vector<Assumption>& assumed,
                       const std::string& key) {
  for (const auto& a : assumed)
    if (a.keys == std::vector<std::string>{key}) return a.name;
  std::optional<ListKey> list;
  try {
    list = parse_list_key(key);
  } catch (const std::invalid_argument&) {
  }
  if (list) return list_lever_name(*list);
  const std::string words = report::plain_key(sc, key);
  if (words == key) return key;  // no words for it
  const auto colon = words.find(": ");
  if (colon == std::string::npos) return with_article(words);
  const std::string what = words.substr(0, colon), meaning = words.substr(colon + 2);
  // "qualify stage: share of exits that advance" -> "the qualify stage's share of ..."
  if (key.starts_with("pipeline.stages.") || key.starts_with("team.skills."))
    return "the " + what + "'s " + (meaning.starts_with("the ") ? meaning.substr(4) : meaning);
  return with_article(what) + " (" + meaning + ")";  // "the coaching policy (hours per rep ...)"
}

}  // namespace

namespace report {
bool ranks_above(const ReportData& d, std::size_t a, std::size_t b) {
  auto at = [&](std::size_t i, const char* key) {
    return num_at(d.summary, fmt::format("/plans/{}/{}", i, key));
  };
  // Ties on P(goal) are common (every plan certain, or none able to reach the goal): the plan
  // that books more leads them (more ARR, with a goal on ARR), not whichever was listed first.
  if (d.goal && at(a, "goal/p_met") != at(b, "goal/p_met"))
    return at(a, "goal/p_met") > at(b, "goal/p_met");
  const bool arr =
      d.goal &&
      d.summary.value(nlohmann::json::json_pointer("/goal/metric"), std::string()) == "arr" &&
      std::isfinite(at(a, "arr/final/p50")) && std::isfinite(at(b, "arr/final/p50"));
  if (arr) return at(a, "arr/final/p50") > at(b, "arr/final/p50");
  return at(a, "final_bookings/p50") > at(b, "final_bookings/p50");
}

std::size_t leading_plan(const ReportData& d) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < d.plans.size(); ++i)
    if (ranks_above(d, i, best)) best = i;
  return best;
}
}  // namespace report

void check_sensitivity(ReportData& d, const ReportOptions& o) {
  std::optional<Scenario> parsed = report::parse_scenario(d);
  if (!parsed || d.plans.empty()) return;
  Scenario& sc = *parsed;
  // The run's seed, which may have come from the command line rather than the file.
  if (d.summary.contains("seed") && d.summary["seed"].is_number_unsigned()) {
    sc.base.simulation.seed = d.summary["seed"].get<std::uint64_t>();
    for (auto& p : sc.plans) p.params.simulation.seed = sc.base.simulation.seed;
  }
  const std::string plan = d.plans[report::leading_plan(d)].name;
  bool known = false;
  for (const auto& p : sc.plans) known = known || p.name == plan;
  if (!known) return;

  ReportSensitivity out;
  out.plan = plan;
  StudySettings st;
  const double paths = report::num_at(d.summary, "/paths");
  st.run.paths = std::isfinite(paths) && paths >= 1 ? std::size_t(paths) : 0;
  st.run.threads = o.threads;
  st.run.split = sim::PathSplit::none;  // a report is made by one rank (rank 0 under mpirun)

  std::vector<Factor> factors;
  std::vector<std::string> seen;
  const std::vector<Assumption> assumed = key_assumptions(sc);
  for (const Lever& l : plan_levers(sc, plan)) {
    // The key's meaning in words (the key itself goes to the appendix's table).
    factors.push_back({lever_name(sc, assumed, l.path), {l}});
    seen.push_back(l.path);
  }
  for (const auto& a : assumed) {
    Factor f{a.name, {}};
    for (const auto& key : a.keys)
      if (std::find(seen.begin(), seen.end(), key) == seen.end()) try {
          f.levers.push_back(find_lever(sc, plan, key));
        } catch (const std::invalid_argument&) {
        }
    if (!f.levers.empty()) factors.push_back(std::move(f));
  }
  const std::size_t per_run = st.run.paths ? st.run.paths : std::size_t(sc.base.simulation.paths);
  const std::size_t total = per_run * (1 + 2 * factors.size());
  const auto t0 = std::chrono::steady_clock::now();
  auto run_all = [&](Metric metric, const char* what) {
    st.metric = metric;
    sim::Progress bar(what, total, o.progress);
    OneAtATime oat = one_at_a_time(
        sc, plan, factors, out.delta, st,
        [&](std::size_t run, std::size_t done) {
          bar.update(run * per_run + std::min(done, per_run), total);
        },
        true);
    bar.finish();
    out.metric = to_string(metric);
    return oat;
  };
  OneAtATime oat =
      run_all(d.goal ? Metric::p_goal : Metric::final_bookings, "checking the assumptions");
  // P(goal) at 0% or 100% that no factor moves ("from 0% to 0%") says nothing of what the answer
  // leans on: measure what the goal counts instead (a second set of runs, on the same paths).
  bool stuck = d.goal && (oat.base.mean == 0 || oat.base.mean == 1);
  for (const FactorSwing& s : oat.swings)
    stuck = stuck && s.low.mean == oat.base.mean && s.high.mean == oat.base.mean;
  if (stuck) {
    out.pinned = oat.base.mean;
    const bool arr = sc.base.goal.metric == "arr";  // the loader requires recurring revenue
    oat = run_all(arr ? Metric::arr_final : Metric::final_bookings,
                  arr ? "checking the assumptions on ARR" : "checking the assumptions on bookings");
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.paths = oat.paths;
  out.base = oat.base.mean, out.base_se = oat.base.se;
  out.skipped = oat.skipped;
  const report::Fmt money(o.currency, "");
  for (const FactorSwing& s : oat.swings) {
    ReportSensitivity::Item it;
    it.name = s.factor.name;
    for (const Lever& l : s.factor.levers) it.keys.push_back(l.path);
    if (s.factor.levers.size() == 1) {
      const std::string& unit = s.factor.levers[0].unit;
      it.values = setting_text(money, unit, s.low_values[0]) + " and " +
                  setting_text(money, unit, s.high_values[0]) + " instead of " +
                  setting_text(money, unit, s.factor.levers[0].value);
    } else {
      it.values = fmt::format("each {:g}% lower and higher", 100 * out.delta);
    }
    it.low = s.low.mean, it.high = s.high.mean, it.low_se = s.low.se, it.high_se = s.high.se;
    it.swing = s.swing.mean, it.swing_se = s.swing.se;
    it.moved = s.moved;
    out.items.push_back(std::move(it));
  }
  d.sensitivity = std::move(out);
}

}  // namespace salesim::tools

namespace salesim::tools::report {
namespace {

std::string metric_text(const Page& pg, double v) {
  return pg.d.sensitivity->metric == "p_goal" ? Fmt::prob(v) : pg.f.money(v);
}
std::string sens_value(const Page& pg, double v) {
  return fmt::format(R"(<span class="sens" data-value="{}">{}</span>)", v, metric_text(pg, v));
}
// The k-th factor (0 the first) whose two settings move the metric as the text shows it: a
// factor with no visible effect was named as a driver, "from 100% to 100%".
const ReportSensitivity::Item* top_item(const Page& pg, const ReportSensitivity& s,
                                        std::size_t k = 0) {
  for (const auto& it : s.items)
    if (it.moved && metric_text(pg, it.low) != metric_text(pg, it.high) && k-- == 0) return &it;
  return nullptr;
}

// "a, b and c"; with semicolons when a name has commas of its own ("..., at skill 1").
std::string listed_names(const std::vector<ReportSensitivity::Item>& items) {
  bool commas = false;
  for (const auto& it : items) commas = commas || it.name.find(',') != std::string::npos;
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0                  ? ""
            : i + 1 == items.size() ? " and "
            : commas                ? "; "
                                    : ", ") +
           esc(items[i].name);
  return out;
}

}  // namespace

std::string sensitivity_words(Page& pg, std::size_t best) {
  if (!pg.d.sensitivity || pg.d.sensitivity->plan != pg.d.plans[best].name) return "";
  const ReportSensitivity& s = *pg.d.sensitivity;
  const bool prob = s.metric == "p_goal";
  const std::string what = prob                      ? "its chance of reaching the goal"
                           : s.metric == "arr_final" ? "its mean final ARR"
                                                     : "its mean bookings";
  const std::string pct = fmt::format("{:g}%", 100 * s.delta);
  // A chance of 0% or 100% that no factor moved: say what was measured instead.
  const std::string pinned =
      s.pinned ? fmt::format(
                     "{} the goal, and moving its levers and the key assumptions by "
                     "&plusmn;{} one at a time does not change that, so what the answer "
                     "leans on is measured on {}. ",
                     *s.pinned == 0 ? "None of its simulated futures reaches"
                                    : "Every one of its simulated futures reaches",
                     pct, what)
               : "";
  const ReportSensitivity::Item* a = top_item(pg, s);
  if (!a)
    return fmt::format(
        "<p>{}Moving its levers and the key assumptions by &plusmn;{} one at a time does not move "
        "{}.</p>",
        pinned, pct, what);
  std::string h = pinned.empty() ? "<p>" : "<p>" + pinned;
  h += fmt::format(
      "The answer leans most on <strong>{}</strong>: moving it by &plusmn;{} moves {} from "
      "{} to {}.",
      esc(a->name), pct, what, sens_value(pg, std::min(a->low, a->high)),
      sens_value(pg, std::max(a->low, a->high)));
  const double worst = std::min(a->low, a->high);
  // The headline's own threshold (reached in at least half of the futures), not the verbal
  // scale's "likely" (two in three), which the plan may not have reached in the first place.
  if (prob && s.base >= 0.5 && worst < 0.5)
    h += fmt::format(
        " Were it {} less favourable than assumed, the goal would be reached in fewer than half "
        "of the futures ({}): the headline rests on this assumption.",
        pct, sens_value(pg, worst));
  else if (prob && std::fabs(a->swing) < 0.05)
    h += fmt::format(" The answer holds up: no assumption checked moves it by more than 5 points.");
  // The figures follow the name in words, not in parentheses: names may end with their own.
  if (const auto* b = top_item(pg, s, 1)) {
    h += fmt::format(" Next comes {}, which moves {} from {} to {}", esc(b->name), what,
                     sens_value(pg, std::min(b->low, b->high)),
                     sens_value(pg, std::max(b->low, b->high)));
    if (const auto* c = top_item(pg, s, 2))
      h += fmt::format("; then {}, from {} to {}", esc(c->name),
                       sens_value(pg, std::min(c->low, c->high)),
                       sens_value(pg, std::max(c->low, c->high)));
    h += ".";
  }
  return h + "</p>";
}

std::string sensitivity_method(Page& pg) {
  const std::string head = "<p><strong>How much the answer depends on the assumptions.</strong> ";
  if (!pg.d.sensitivity)
    return head +
           "This was not checked for this report: the figures hold for the assumptions as "
           "stated, and a close call deserves a check of the assumptions it leans on.</p>";
  const ReportSensitivity& s = *pg.d.sensitivity;
  const std::string names = listed_names(s.items);
  std::string h =
      head + fmt::format(
                 "The leading plan, {}, was simulated again with each of these set "
                 "{:g}% lower and {:g}% higher, one at a time, on the same {} "
                 "simulated {}: {}. ",
                 esc(s.plan), 100 * s.delta, 100 * s.delta, Fmt::count(double(s.paths)),
                 noun(double(s.paths), "future"), names.empty() ? "nothing could be moved" : names);
  if (!s.skipped.empty()) {
    std::string sk;
    for (std::size_t i = 0; i < s.skipped.size(); ++i) sk += (i ? ", " : "") + esc(s.skipped[i]);
    h += fmt::format("Not checked, because a {:g}% change makes the scenario inconsistent: {}. ",
                     100 * s.delta, sk);
  }
  h += "Each figure shows what an error of that size in one assumption would do; errors in "
       "several at once can add up, and a larger error moves the answer further. The "
       "analysts' appendix has the full table.</p>";
  return h;
}

// A key with the places it may break marked: after a dot or an underscore and before an
// index, so a long key wraps between its words in a narrow column instead of widening the
// table past the page (the cells of the report's tables do not wrap by themselves).
std::string breakable_key(const std::string& key) {
  std::string out;
  for (const char c : esc(key)) {
    if (c == '[') out += "<wbr>";
    out += c;
    if (c == '.' || c == '_') out += "<wbr>";
  }
  return out;
}

std::string sensitivity_appendix(Page& pg) {
  if (!pg.d.sensitivity || pg.d.sensitivity->items.empty()) return "";
  const ReportSensitivity& s = *pg.d.sensitivity;
  const bool prob = s.metric == "p_goal";
  std::string h = fmt::format(
      R"(<table class="data sensitivity"><caption>One at a time, &plusmn;{:g}%: {} of plan {} ({}; {} {} per run, common random numbers)</caption><thead><tr><th>Factor</th><th class="t">Keys</th><th class="t">Settings</th><th>At low</th><th>At high</th><th>Swing</th></tr></thead><tbody>)",
      100 * s.delta,
      prob                      ? "P(goal)"
      : s.metric == "arr_final" ? "mean final ARR"
                                : "mean final bookings",
      esc(s.plan), "as written: " + metric_text(pg, s.base), Fmt::count(double(s.paths)),
      noun(double(s.paths), "path"));
  for (const auto& it : s.items) {
    std::string keys;
    for (const auto& k : it.keys)
      keys += (keys.empty() ? "" : "<br>") + ("<code>" + breakable_key(k) + "</code>");
    auto se = [&](double v) { return prob ? Fmt::prob_se(v) : "±" + pg.f.money(v); };
    h += fmt::format(
        "<tr><th>{}</th><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{} <small>{}</small></td>"
        "<td>{} <small>{}</small></td><td>{} <small>{}</small></td></tr>",
        esc(capitalised(it.name)), keys, esc(it.values), metric_text(pg, it.low), se(it.low_se),
        metric_text(pg, it.high), se(it.high_se),
        prob ? Fmt::prob_diff(it.swing) : pg.f.money_signed(it.swing), se(it.swing_se));
  }
  return h + "</tbody></table>";
}

}  // namespace salesim::tools::report
