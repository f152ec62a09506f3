// The scenario's extensions in plain words for the report's client pages (docs/model.md 12.4-12.8:
// uncertain assumptions, recurring revenue, calendars, segments and territories, quotas): what
// the assumptions section says about them, what a plan's territories change, and what the
// method's "what the model leaves out" may no longer claim. Key names stay in the appendix.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "models/calendar.hpp"
#include "models/key_path.hpp"
#include "models/keys.hpp"
#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

const char* kMonths[12] = {"January", "February", "March",     "April",   "May",      "June",
                           "July",    "August",   "September", "October", "November", "December"};

// "north 5, central 20 and south 7"
std::string listed(const std::vector<std::string>& parts) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i)
    s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return s;
}

std::string territory_split(const Scenario& sc, const std::vector<TerritoryLine>& lines) {
  std::vector<std::string> parts;
  for (const TerritoryLine& t : lines)
    parts.push_back(esc(sc.base.segments.segments.at(std::size_t(t.segment)).name) + " " +
                    plain_g(t.reps));
  return listed(parts);
}

std::string recurring_item(const Fmt& f, const Params& p) {
  const RevenueParams& r = p.revenue;
  std::string s = fmt::format(
      "Customers sign contracts of {} months; at each anniversary {} of them renew, and a renewal "
      "grows by {} (expansion); {}",
      plain_g(r.term_months), plain_share(r.renewal_rate), plain_share(r.expansion_rate),
      r.ramp_months > 0 ? fmt::format("a new contract bills in full after {} {} of onboarding. ",
                                      plain_g(r.ramp_months), noun(r.ramp_months, "month"))
                        : "a new contract bills in full from its first month. ");
  if (p.customers.count > 0)
    s += fmt::format(
        "The year starts with {} customers paying {} a year on average (about {} of ARR), "
        "their anniversaries spread over the first term.",
        Fmt::count(double(p.customers.count)), esc(f.money(p.customers.acv_mean)),
        esc(f.money(double(p.customers.count) * p.customers.acv_mean)));
  else
    s += "There are no customers at the start: every contract is won during the run.";
  return s;
}

// Short weeks (holidays, vacation) and the seasons: two sentences, as the seasons move demand,
// not selling time.
std::string calendar_item(const Params& p) {
  const CalendarParams& c = p.calendar;
  std::vector<std::string> short_weeks;
  if (!c.holidays.empty())
    short_weeks.push_back(fmt::format("{} public {} (a working day less in {})", c.holidays.size(),
                                      noun(double(c.holidays.size()), "holiday"),
                                      c.holidays.size() == 1 ? "its week" : "their weeks"));
  if (c.vacation_weeks_per_rep > 0)
    short_weeks.push_back(fmt::format("{} {} of vacation per rep, spread over the year",
                                      plain_g(c.vacation_weeks_per_rep),
                                      noun(c.vacation_weeks_per_rep, "week")));
  std::string s;
  if (!short_weeks.empty())
    s = capitalised(listed(short_weeks)) + "; a short week loses selling time, not admin.";
  if (c.by_month.size() == 12) {
    const double mean = season_normaliser(p);  // what the weekly step divides the factors by
    const auto lo = std::min_element(c.by_month.begin(), c.by_month.end());
    const auto hi = std::max_element(c.by_month.begin(), c.by_month.end());
    if (mean > 0)
      s += fmt::format(
          "{}Demand follows the seasons, from {} of an average week in {} to {} in {} (the "
          "year's total is unchanged, only its timing).",
          s.empty() ? "" : " ", plain_share(*lo / mean), kMonths[lo - c.by_month.begin()],
          plain_share(*hi / mean), kMonths[hi - c.by_month.begin()]);
  }
  return s;
}

std::string segments_item(const Fmt& f, const Scenario& sc) {
  const Params& p = sc.base;
  std::string s =
      "The market is split into segments of a finite number of accounts; a lost "
      "account cools off before it can be prospected again. ";
  std::vector<std::string> parts;
  for (const Segment& seg : p.segments.segments) {
    std::string x = fmt::format("<strong>{}</strong>: {} accounts, fit {}", esc(seg.name),
                                Fmt::count(double(seg.accounts)), plain_g(seg.fit));
    if (seg.deal_mean) x += ", deals of " + esc(f.money(*seg.deal_mean)) + " on average";
    if (seg.conversion_multiplier != 1)
      x += fmt::format(", win rates &times;{}", plain_g(seg.conversion_multiplier));
    if (seg.quota_annual) x += ", quota " + esc(f.money(*seg.quota_annual)) + " a year";
    parts.push_back(x);
  }
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
  s += ". ";
  if (!p.segments.territories.empty())
    s += "Reps by segment: " + territory_split(sc, p.segments.territories) +
         " (shares of whoever is on the team, hires and leavers included).";
  else
    s += "Reps are spread over the segments by their accounts.";
  return s;
}

std::string quota_item(const Fmt& f, const Params& p) {
  std::string s;
  if (p.quota.annual)
    s = fmt::format(
        "Each rep carries a quota of {} a year, pro rata over the weeks worked (a "
        "ramping rep a part of it)",
        esc(f.money(*p.quota.annual)));
  else {
    // Only segments with a quota of their own carry one (no team quota to fall back on).
    std::vector<std::string> with, without;
    for (const Segment& g : p.segments.segments)
      (g.quota_annual ? with : without).push_back(esc(g.name));
    s = without.empty() ? "Reps carry their segment's quota (above), pro rata over the weeks worked"
                        : "Reps in " + listed(with) +
                              " carry their segment's quota (above), pro rata over the weeks "
                              "worked; those in " +
                              listed(without) + " carry none";
  }
  if (!p.quota.accelerators.empty()) {
    std::vector<std::string> tiers;
    for (const AcceleratorTier& t : p.quota.accelerators)
      tiers.push_back(fmt::format("{} more commission above {} of quota", plain_share(t.rate),
                                  plain_share(t.from)));
    s += "; accelerators: " + listed(tiers);
  }
  return s + ".";
}

// The values an uncertain assumption is drawn from, in the key's unit.
std::string distribution_words(const Fmt& f, const Assumption& a, const std::string& unit) {
  auto v = [&](double x) { return plain_number(f, x, unit); };
  switch (a.dist) {
    case AssumptionDist::uniform:
      return fmt::format("anywhere from {} to {}", v(a.low), v(a.high));
    case AssumptionDist::triangular:
      return fmt::format("from {} to {}, most likely {}", v(a.low), v(a.high), v(a.mode));
    case AssumptionDist::lognormal:
      return fmt::format("{} on average, varying by about {} (lognormal)", v(a.mean),
                         plain_share(a.cv));
    case AssumptionDist::beta:
      return fmt::format("{} on average, give or take {} (beta)", v(a.mean), v(a.sd));
    case AssumptionDist::discrete: {
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < a.values.size(); ++i)
        parts.push_back(fmt::format("{} ({} likely)", v(a.values[i]), plain_share(a.weights[i])));
      return "one of " + listed(parts);
    }
  }
  return "";
}

std::string uncertain_item(const Fmt& f, const Scenario& sc) {
  std::string s = fmt::format(
      "{} of the values above {} not known for sure: each simulated future draws {} from "
      "the range below in place of the value above, so the results carry this uncertainty "
      "too (&ldquo;What the answer depends on&rdquo; says which matter).<ul>",
      sc.assumptions.size(), sc.assumptions.size() == 1 ? "is" : "are",
      sc.assumptions.size() == 1 ? "it" : "each");
  for (const Assumption& a : sc.assumptions) {
    const std::string unit = key_unit(sc, a.key);
    s += "<li>" + esc(capitalised(plain_key(sc, a.key))) + ": " +
         esc(distribution_words(f, a, unit)) + "</li>";
  }
  return s + "</ul>";
}

}  // namespace

std::string capitalised(std::string text) {
  if (!text.empty()) text[0] = char(std::toupper((unsigned char)text[0]));
  return text;
}

std::string plain_share(double share) {
  std::string s = fmt::format("{:.1f}", 100 * share);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "%";
}
std::string plain_g(double v) { return fmt::format("{:g}", v); }

std::string plain_number(const Fmt& f, double x, const std::string& unit) {
  if (percent_unit(unit)) return plain_share(x);
  if (unit == "week") return "week " + plain_g(x);  // a file week: a point in time
  if (unit.rfind("currency", 0) == 0) {
    const std::string per = unit.substr(8);  // "", "/week", "/year"
    return f.money(x) + (per == "/week" ? " a week" : per == "/year" ? " a year" : per);
  }
  std::string u = unit.empty() || unit == "ratio" ? "" : " " + unit;
  // One of a plural unit reads as one: "1 hour/rep/week", "1 week", not "1 hours".
  if (x == 1 && u.size() > 1) {
    const std::size_t end = u.find('/');
    const std::size_t word_end = end == std::string::npos ? u.size() : end;
    if (word_end > 4 && u.compare(word_end - 3, 3, "ies") == 0)
      u.replace(word_end - 3, 3, "y");  // opportunities
    else if (word_end > 2 && u[word_end - 1] == 's')
      u.erase(word_end - 1, 1);
  }
  return plain_g(x) + u;
}

std::string key_unit(const Scenario& sc, const std::string& key) {
  Params base = sc.base;
  for (const auto& k : scalar_keys(base))
    if (k.path == key) return k.unit;
  // A field of a list's item or a territory line: its unit in the first plan that has it.
  for (const PlanSpec& plan : sc.plans) try {
      return find_lever(sc, plan.name, key).unit;
    } catch (const std::invalid_argument&) {
    }
  return "";
}

std::string plain_distribution(const Page& pg, const std::string& key) {
  if (!pg.scenario) return "";
  for (const Assumption& a : pg.scenario->assumptions)
    if (a.key == key) return distribution_words(pg.f, a, key_unit(*pg.scenario, key));
  return "";
}

std::string plain_key(const Scenario& sc, const std::string& key) {
  // A territory line (docs/cli.md, "Territory lines"): "reps on the enterprise segment's line".
  const std::string terr = "territories[", reps = "].reps";
  if (key.rfind(terr, 0) == 0 && key.size() > terr.size() + reps.size() &&
      key.compare(key.size() - reps.size(), reps.size(), reps) == 0)
    return "reps on the " + key.substr(terr.size(), key.size() - terr.size() - reps.size()) +
           " segment's territory line";
  // A field of a plan's hiring, training or programme (models/key_path.hpp): "the coach-academy
  // programme: manager coaching skill".
  std::optional<ListKey> list;
  try {
    list = parse_list_key(key);
  } catch (const std::invalid_argument&) {
  }
  if (list) {
    std::string field = list->field;
    std::replace(field.begin(), field.end(), '_', ' ');
    if (list->list == "hiring") return "hires (item " + list->item + "): " + field;
    std::string item = list->item;  // a programme's kind (coach_the_coaches) in words
    if (list->list == "programs") std::replace(item.begin(), item.end(), '_', ' ');
    return "the " + item + (list->list == "programs" ? " programme: " : " training: ") + field;
  }
  Params base = sc.base;
  for (const auto& k : scalar_keys(base)) {
    if (k.path != key) continue;
    std::string meaning = k.meaning;
    if (const auto cut = meaning.find(" ("); cut != std::string::npos) meaning.resize(cut);
    if (meaning.empty()) break;
    // A stage's or a skill's key says which: "proposal stage: share of exits that advance".
    for (const char* pre : {"pipeline.stages.", "team.skills."})
      if (key.rfind(pre, 0) == 0) {
        const std::string rest = key.substr(std::string(pre).size());
        const std::string name = rest.substr(0, rest.find('.'));
        return name + (pre[0] == 'p' ? " stage: " : " skill: ") + meaning;
      }
    return meaning;
  }
  return key;
}

std::vector<std::pair<std::string, std::string>> extension_items(const Page& pg) {
  std::vector<std::pair<std::string, std::string>> items;
  if (!pg.scenario) return items;
  const Scenario& sc = *pg.scenario;
  const Params& p = sc.base;
  if (p.revenue.model == "recurring") items.emplace_back("Revenue", recurring_item(pg.f, p));
  if (p.segments.on()) items.emplace_back("Segments", segments_item(pg.f, sc));
  if (p.quota.on(p.segments)) items.emplace_back("Quotas", quota_item(pg.f, p));
  if (const std::string c = calendar_item(p); !c.empty()) items.emplace_back("Calendar", c);
  if (!sc.assumptions.empty()) items.emplace_back("Uncertain", uncertain_item(pg.f, sc));
  return items;
}

std::string territory_change(const Page& pg, const PlanSpec& plan) {
  if (!pg.scenario || !plan.params.segments.plan_territories) return "";
  const Scenario& sc = *pg.scenario;
  const auto& was = sc.base.segments.territories;
  std::string s = "Reps by segment: <strong>" +
                  territory_split(sc, plan.params.segments.territories) + "</strong>";
  if (!was.empty()) s += " instead of " + territory_split(sc, was);
  return s + (plan.from_week > 0 ? ", from " + pg.f.event_week(plan.from_week) : "") + ".";
}

std::vector<std::string> left_out_items(const Page& pg) {
  const Scenario* sc = pg.scenario ? &*pg.scenario : nullptr;
  const bool recurring = sc && sc->base.revenue.model == "recurring";
  const bool seasons = sc && sc->base.calendar.by_month.size() == 12;
  bool segment_deals = false;
  if (sc)
    for (const Segment& s : sc->base.segments.segments) segment_deals |= s.deal_mean.has_value();
  std::vector<std::string> items = {
      std::string("pricing, discounting and product changes: deal sizes follow one "
                  "distribution") +
          (segment_deals ? " per segment;" : ";"),
      std::string("competitors' moves") + (seasons ? "" : ", seasonality") +
          " and one-off shocks beyond the market's random ups and downs" +
          (seasons ? " and the seasons given;" : ";"),
      recurring ? "customers' revenue beyond their contracts: renewals, churn and expansion come "
                  "only at anniversaries, at the rates given, with no upsell in between;"
                : "renewals, churn and expansion of existing customers: bookings are new deals;",
      "cash timing: a deal counts when it is won, not when it is paid; costs other than "
      "salaries, commission, marketing, hiring, training and programmes;",
      "team dynamics beyond what the parameters describe (morale spreading, star performers "
      "leaving first, manager turnover);"};
  if (sc && !sc->assumptions.empty())
    items.push_back(fmt::format(
        "uncertainty about the other assumptions: the {} uncertain {} drawn in every future; "
        "the rest are taken as known (the check below shows what a 20% error in one would do).",
        sc->assumptions.size(), sc->assumptions.size() == 1 ? "one is" : "ones are"));
  else
    items.push_back(
        "uncertainty about the assumptions themselves: the ranges show the randomness of one set "
        "of assumptions, not errors in them (the check below shows what a 20% error in one would "
        "do).");
  return items;
}

}  // namespace salesim::tools::report
