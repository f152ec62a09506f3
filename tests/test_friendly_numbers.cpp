// Friendly numbers in scenario files (models/keys.hpp parse_number): 12M, 250k, 1.5bn, 20% for
// shares; refusals that show the accepted form; ranges in words.
#include <gtest/gtest.h>

#include "models/keys.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

double parsed(const std::string& text, bool percent_ok = true) {
  std::string why;
  const auto v = parse_number(text, percent_ok, why);
  EXPECT_TRUE(v) << text << ": " << why;
  return v.value_or(-1);
}

std::string refused(const std::string& text, bool percent_ok = true) {
  std::string why;
  EXPECT_FALSE(parse_number(text, percent_ok, why)) << text;
  return why;
}

TEST(FriendlyNumbers, SuffixesAndPercent) {
  EXPECT_EQ(parsed("12M"), 12e6);
  EXPECT_EQ(parsed("250k"), 250e3);
  EXPECT_EQ(parsed("250K"), 250e3);
  EXPECT_EQ(parsed("1.5m"), 1.5e6);
  EXPECT_EQ(parsed("2B"), 2e9);
  EXPECT_EQ(parsed("1.5bn"), 1.5e9);
  EXPECT_EQ(parsed("0.25M"), 250000);
  EXPECT_EQ(parsed("0.1k"), 100);  // read as 0.1e3: rounded once, exactly 100
  EXPECT_EQ(parsed("20%"), 0.2);   // read as 20e-2, the same double as 0.2
  EXPECT_EQ(parsed("12.5%"), 0.125);
  EXPECT_EQ(parsed("1e3"), 1000);  // plain numbers as before
  EXPECT_EQ(parsed("-0.5"), -0.5);
}

TEST(FriendlyNumbers, RefusedFormsSayWhy) {
  EXPECT_EQ(refused("1,000,000"), "no thousands separators: write 1000000 or 1M");
  EXPECT_EQ(refused("20%", false),
            "'%' is only for shares and probabilities (0 to 1); write the number itself");
  EXPECT_EQ(refused("$250k"), "no currency sign: write 250000 or 250k");
  EXPECT_EQ(refused("12 M"), "no space before the suffix: write 250k or 1.5M");
  for (const char* t : {"lots", "0x10", "inf", "nan", "1e3k", "k", "%", "12MM", "1.2.3", ""})
    EXPECT_EQ(refused(t), "") << t;  // not a number at all: the caller shows the accepted forms
}

TEST(FriendlyNumbers, RangesReadInWords) {
  Params p;
  p.pipeline.stages.push_back(Stage{});
  auto words = [&](const std::string& path) {
    for (const KeyInfo& k : scalar_keys(p))
      if (k.path == path) return k.expect_text();
    return std::string("no key ") + path;
  };
  EXPECT_EQ(words("market.lead_quality"), "a number between 0 and 1");
  EXPECT_EQ(words("market.persistence"), "a number >= 0 and below 1");
  EXPECT_EQ(words("simulation.horizon_weeks"), "a whole number from 1 to 520");
  EXPECT_EQ(words("pipeline.deal_size.mean"), "a number > 0 and at most 1e12");
  EXPECT_EQ(words("goal.revenue"), "a number between 0 and 1e15 (or null)");
  EXPECT_EQ(words("simulation.seed"), "a whole number from 0 to 2^64-1");
  EXPECT_EQ(KeyInfo({"x", static_cast<double*>(nullptr), 0, 1e300}).expect_text(), "a number >= 0");
}

TEST(FriendlyNumbers, AcceptedWhereverAScenarioHasANumber) {
  const Scenario sc = test::scenario(R"(
salesim: 2
name: friendly
simulation: {paths: 2k, seed: 1k}
goal:
  revenue: 12M
  checkpoints: [{week: 26, revenue: 5.5M}]
market: {lead_quality: 40%, inbound_leads_per_week: 1.5k}
pipeline:
  deal_size: {mean: 42.5k, cv: 0.6}
  stages: [{name: qualify, exit_rate: 35%, conversion: {floor: 20%, top: 0.45}}]
team: {reps: 0.025k, salary: 95k, skills: {discovery: {mean: 45%, sd: 10%}}}
training: [{start_week: 3, efficacy: 35%, cost_per_person: 1.5k}]
programs: [{kind: alignment, start_week: 2, alignment: 60%, cost: 0.25M}]
plans:
  - name: baseline
  - {name: more, set: {org.alignment: 55%, costs.marketing_per_week: 2.5k}}
)");
  const Params& p = sc.base;
  EXPECT_EQ(p.simulation.paths, 2000);
  EXPECT_EQ(p.simulation.seed, 1000u);
  EXPECT_EQ(*p.goal.revenue, 12e6);
  EXPECT_EQ(p.goal.checkpoints[0].revenue, 5.5e6);
  EXPECT_EQ(p.market.lead_quality, 0.4);
  EXPECT_EQ(p.market.inbound_leads_per_week, 1500);
  EXPECT_EQ(p.pipeline.deal_mean, 42500);
  EXPECT_EQ(p.pipeline.stages[0].exit_rate, 0.35);
  EXPECT_EQ(p.pipeline.stages[0].conversion.floor, 0.2);
  EXPECT_EQ(p.team.reps, 25);
  EXPECT_EQ(p.team.salary, 95000);
  EXPECT_EQ(p.team.skills[0].second.mean, 0.45);
  EXPECT_EQ(p.training[0].efficacy, 0.35);
  EXPECT_EQ(p.training[0].cost_per_person, 1500);
  EXPECT_EQ(p.programs[0].value, 0.6);
  EXPECT_EQ(p.programs[0].cost, 250000);
  EXPECT_EQ(sc.plans[1].params.org.alignment, 0.55);
  EXPECT_EQ(sc.plans[1].params.costs.marketing_per_week, 2500);
}

std::string problems_of(const std::string& yaml) {
  try {
    test::scenario(yaml);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(FriendlyNumbers, RefusalsShowTheAcceptedForm) {
  const std::string all = problems_of(R"(
salesim: 2
name: refused
goal: {revenue: twelve million}
team: {reps: 2.5, salary: "$90k"}
market: {lead_quality: 0.4, persistence: 90%}
capacity: {admin_hours: 10%}
simulation: {paths: 1.0005k}
people: {hire_cost: 20 k}
plans: [{name: baseline}]
)");
  for (const char* part : {
           "test.yaml:4:17: goal.revenue: expected a number between 0 and 1e15 (or null) "
           "(written like 250000, 250k or 0.25M), found 'twelve million'",
           "test.yaml:5:14: team.reps: expected a whole number from 0 to 100000, found 2.5",
           "team.salary: expected a number between 0 and 1e12, found '$90k': no currency sign",
           "market.persistence: expected a number >= 0 and below 1, found '90%': '%' is only for "
           "shares and probabilities",
           "capacity.admin_hours: expected a number between 0 and 168, found '10%'",
           "simulation.paths: expected a whole number from 1 to 1e9, found 1.0005k (= 1000.5)",
           "people.hire_cost: expected a number between 0 and 1e12, found '20 k': no space",
       })
    EXPECT_NE(all.find(part), std::string::npos) << "no \"" << part << "\" in:\n" << all;
}

TEST(FriendlyNumbers, OutOfRangeShowsWhatTheSuffixMeant) {
  EXPECT_NE(problems_of("salesim: 2\nname: x\nmarket: {inbound_leads_per_week: 2M}\n"
                        "plans: [{name: b}]\n")
                .find("market.inbound_leads_per_week: expected a number between 0 and 1e6, "
                      "found 2M (= 2e+06)"),
            std::string::npos);
}

}  // namespace
}  // namespace salesim
