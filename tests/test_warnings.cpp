// Plan elements that cannot act (models/plan_warnings.hpp): each warning fires on a small file
// and stays silent on its near twin; the example scenarios have none; the CLI shows them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/plan_warnings.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;

// A 20-week file with a baseline and a plan 'x': `top` goes before the plans, `plan` (indented
// four spaces) into plan 'x'.
std::string file(const std::string& top, const std::string& plan) {
  return "salesim: 2\nname: warnings\nsimulation: {horizon_weeks: 20, paths: 20}\n" + top +
         "plans:\n  - name: baseline\n  - name: x\n" + plan;
}

// The file's warnings but "the plan changes nothing", which plan 'x' gets whenever `plan` is
// empty (tested on its own below).
std::vector<std::string> warnings(const std::string& top, const std::string& plan) {
  std::vector<std::string> ws = test::scenario(file(top, plan)).warnings;
  std::erase_if(ws, [](const std::string& w) {
    return w.find("the plan changes nothing") != std::string::npos;
  });
  return ws;
}

std::string joined(const std::vector<std::string>& ws) {
  std::string s;
  for (const auto& w : ws) s += w + "\n";
  return s;
}

// Exactly one warning, on the given key, mentioning `what`.
void expect_one(const std::vector<std::string>& ws, const std::string& key,
                const std::string& what) {
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_EQ(ws[0].rfind("test.yaml: " + key + ": ", 0), 0u) << ws[0];
  EXPECT_NE(ws[0].find(what), std::string::npos) << ws[0];
  EXPECT_EQ(ws[0].find('\n'), std::string::npos) << "one line";
}

// ---- 1. Coaching levers while managers coach 0 hours ----

TEST(Warnings, CoachTheCoachesWithoutCoachingHours) {
  const std::string ctc =
      "    programs: [{kind: coach_the_coaches, start_week: 2, manager_coaching_skill: 0.8}]\n";
  expect_one(warnings("", ctc), "plans[1] (x).programs[0] (coach_the_coaches)",
             "org.coaching_hours_per_rep is 0");
  EXPECT_TRUE(warnings("", ctc + "    set: {org.coaching_hours_per_rep: 1}\n").empty());
  EXPECT_TRUE(warnings("org: {coaching_hours_per_rep: 0.5}\n", ctc).empty());
  EXPECT_TRUE(warnings("",
                       "    programs:\n"
                       "      - {kind: coach_the_coaches, start_week: 2, "
                       "manager_coaching_skill: 0.8}\n"
                       "      - {kind: coaching_policy, start_week: 5, hours_per_rep: 1}\n")
                  .empty());
}

// A plan raising the renewal rate of a file without recurring revenue: read and ignored.
TEST(Warnings, RevenueKeysOfAPlanWithoutRecurringRevenue) {
  expect_one(warnings("", "    set: {revenue.renewal_rate: 0.95}\n"),
             "plans[1] (x).set.revenue.renewal_rate", "recurring revenue is off");
  EXPECT_TRUE(
      warnings("revenue: {model: recurring}\n", "    set: {revenue.renewal_rate: 0.95}\n").empty());
}

TEST(Warnings, CoachingSettingsWithoutCoachingHours) {
  expect_one(warnings("", "    set: {skills.coaching_growth: 0.05}\n"),
             "plans[1] (x).set.skills.coaching_growth", "coach 0 hours per rep in this plan");
  expect_one(warnings("", "    set: {org.manager_coaching_skill: 0.9}\n"),
             "plans[1] (x).set.org.manager_coaching_skill", "a better coach changes nothing");
  EXPECT_TRUE(
      warnings("", "    set: {skills.coaching_growth: 0.05, org.coaching_hours_per_rep: 1}\n")
          .empty());
  EXPECT_TRUE(warnings("",
                       "    set: {org.manager_coaching_skill: 0.9}\n"
                       "    programs: [{kind: coaching_policy, start_week: 1, "
                       "hours_per_rep: 1}]\n")
                  .empty());
}

TEST(Warnings, CoachingWithoutManagersTime) {
  const std::string top =
      "capacity: {manager_coaching_hours: 0}\norg: {coaching_hours_per_rep: 1}\n";
  expect_one(warnings(top, "    set: {skills.coaching_transfer: 0.2}\n"),
             "plans[1] (x).set.skills.coaching_transfer", "capacity.manager_coaching_hours is 0");
  EXPECT_TRUE(warnings(top,
                       "    set: {skills.coaching_transfer: 0.2, "
                       "capacity.manager_coaching_hours: 8}\n")
                  .empty());
}

TEST(Warnings, BaselineCoachingProgrammeIsReportedOnceNotPerPlan) {
  const std::string top =
      "programs: [{kind: coach_the_coaches, start_week: 2, manager_coaching_skill: 0.8}]\n";
  const std::string two_plans = "    description: a plan with nothing of its own\n";
  expect_one(warnings(top, two_plans), "the baseline's programs[0] (coach_the_coaches)",
             "in every plan");
  // One plan gives managers coaching time: the baseline's programme acts there.
  EXPECT_TRUE(warnings(top, "    set: {org.coaching_hours_per_rep: 1}\n").empty());
}

// ---- 2. A `set` of the value already in force ----

TEST(Warnings, SetToTheBaselineValue) {
  expect_one(warnings("market: {volatility: 0.1}\n", "    set: {market.volatility: 0.1}\n"),
             "plans[1] (x).set.market.volatility", "already 0.1 in the baseline");
  EXPECT_TRUE(
      warnings("market: {volatility: 0.1}\n", "    set: {market.volatility: 0.2}\n").empty());
  // Defaults count as the baseline's values; stage keys are compared too.
  expect_one(warnings("", "    set: {pipeline.stages.qualify.exit_rate: 0.5}\n"),
             "plans[1] (x).set.pipeline.stages.qualify.exit_rate", "already 0.5");
  expect_one(warnings("", "    set: {people.backfill: true}\n"), "plans[1] (x).set.people.backfill",
             "already true");
  EXPECT_TRUE(warnings("", "    set: {people.backfill: false}\n").empty());
}

// An assumption on the key makes the baseline's value uncertain (docs/model.md 12.4): a plan
// that sets the file's value fixes it, which acts (it was said to change nothing). An assumption
// that can only draw the file's value leaves the warning as it was.
TEST(Warnings, SetOfAnAssumedKeyIsNotANoOp) {
  const std::string set = "    set: {market.volatility: 0.1}\n";
  EXPECT_TRUE(warnings("market: {volatility: 0.1}\nassumptions:\n"
                       "  market.volatility: {dist: uniform, low: 0, high: 0.5}\n",
                       set)
                  .empty());
  expect_one(warnings("market: {volatility: 0.1}\nassumptions:\n"
                      "  market.persistence: {dist: uniform, low: 0, high: 0.5}\n",
                      set),
             "plans[1] (x).set.market.volatility", "already 0.1 in the baseline");
}

// Managers' coaching time that an assumption may draw above 0 is not "no coaching time".
TEST(Warnings, CoachingHoursThatAnAssumptionMayGiveAreCoachingHours) {
  const std::string ctc =
      "    programs: [{kind: coach_the_coaches, start_week: 2, manager_coaching_skill: 0.8}]\n";
  EXPECT_TRUE(warnings("assumptions:\n"
                       "  org.coaching_hours_per_rep: {dist: uniform, low: 0, high: 2}\n",
                       ctc)
                  .empty());
  EXPECT_TRUE(warnings("org: {coaching_hours_per_rep: 1}\ncapacity: {manager_coaching_hours: 0}\n"
                       "assumptions:\n"
                       "  capacity.manager_coaching_hours: {dist: uniform, low: 0, high: 10}\n",
                       ctc)
                  .empty());
  // The plan's own value wins over the assumption in the plan, from its first week.
  expect_one(warnings("assumptions:\n"
                      "  org.coaching_hours_per_rep: {dist: uniform, low: 0, high: 2}\n",
                      ctc + "    set: {org.coaching_hours_per_rep: 0}\n"),
             "plans[1] (x).programs[0] (coach_the_coaches)", "org.coaching_hours_per_rep is 0");
}

// MODEL.md 3.4.2 caps a rep's hours by max_hours times the effort multiplier only: a commission
// of 1 against the file's 0.08 (elasticity 0.3) lets reps work 245 hours a week, and the runs
// reported 182 hours per rep-week without a word. Steep accelerators do it in the baseline,
// reported once.
TEST(Warnings, EffortThatWouldPassTheHoursOfAWeek) {
  expect_one(warnings("", "    set: {compensation.commission_rate: 1}\n"), "plans[1] (x)",
             "up to 245 hours a week");
  EXPECT_TRUE(warnings("", "    set: {compensation.commission_rate: 0.16}\n").empty());
  const std::string quota = "team: {quota: {annual: 1000000}}\n";
  expect_one(warnings(quota + "compensation: {accelerators: [{from: 1, rate: 0.5}, "
                              "{from: 1.5, rate: 0.3}]}\n",
                      ""),
             "compensation", "with every accelerator tier reached");
  EXPECT_TRUE(
      warnings(quota + "compensation: {accelerators: [{from: 1, rate: 0.12}]}\n", "").empty());
}

// expansion_rate: 10 meant as 10% makes every renewing contract 11 times larger: the base's ARR
// grew to 1e74 with no word. Above 150% net retention a term, a warning on the key's owner.
TEST(Warnings, RenewalsThatGrowTheBasePastAnyCompanys) {
  const std::string recurring = "revenue: {model: recurring}\n";
  expect_one(warnings("revenue: {model: recurring, expansion_rate: 10}\n", ""), "revenue",
             "is 935%: the base's ARR would multiply by about 9.35 every term (12 months)");
  expect_one(warnings(recurring, "    set: {revenue.expansion_rate: 1}\n"), "plans[1] (x)",
             "is 170%");
  EXPECT_TRUE(warnings(recurring, "    set: {revenue.expansion_rate: 0.3}\n").empty());
  // Without the recurring model the key would be unused: refused (scenario-reference.md).
  EXPECT_THROW(warnings("revenue: {expansion_rate: 10}\n", ""), ScenarioError);
}

// A plan with only a name ran as the baseline and read "+0 ±0, P(better) 0%", like a plan that
// failed. Any set, hire, training, programme or territory of its own makes it a plan.
TEST(Warnings, APlanThatChangesNothing) {
  const auto ws = test::scenario(file("", "")).warnings;
  expect_one(ws, "plans[1] (x)", "the plan changes nothing");
  EXPECT_NE(ws[0].find("as the first plan does"), std::string::npos) << ws[0];
  for (const char* own :
       {"    set: {costs.marketing_per_week: 100}\n", "    hiring: [{week: 3, count: 1}]\n",
        "    programs: [{kind: alignment, start_week: 2, alignment: 0.8}]\n"})
    EXPECT_TRUE(test::scenario(file("", own)).warnings.empty()) << own;
}

// run --plans (and sweep's, sensitivity's, goalseek's and optimize's --plan) report the
// warnings of the plans they run, not of the others: --strict refused a run of plans that had
// none because another plan of the file had one.
TEST(Warnings, OnlyThePlansThatRun) {
  const Scenario sc = test::scenario(file("", "    hiring: [{week: 20, count: 1}]\n"));
  ASSERT_EQ(sc.warnings.size(), 1u) << joined(sc.warnings);  // x's hire in the last week
  EXPECT_TRUE(plan_warnings(sc, {"baseline"}).empty());
  EXPECT_EQ(plan_warnings(sc, {"baseline", "x"}), sc.warnings);
  EXPECT_EQ(plan_warnings(sc, {"no such plan"}), sc.warnings) << "a list of no plan: all";
  // Through the command line: the run of the baseline alone has none, on stderr or in the JSON.
  const std::string dir = ::testing::TempDir() + "/warnings-only";
  fs::create_directories(dir);
  std::ofstream(dir + "/w.yaml") << file("", "    hiring: [{week: 20, count: 1}]\n");
  std::string out;
  ASSERT_EQ(test::shell(test::binary() + " run " + dir + "/w.yaml --strict --quiet --paths 5 " +
                            "--plans baseline --json " + dir + "/w.json",
                        &out),
            0)
      << out;
  EXPECT_EQ(out.find("warning"), std::string::npos) << out;
  EXPECT_TRUE(nlohmann::json::parse(test::read_file(dir + "/w.json"))["warnings"].empty());
  EXPECT_EQ(
      test::shell(test::binary() + " run " + dir + "/w.yaml --strict --quiet --paths 5", &out), 2)
      << out;
}

// An assumption that can take one value only (discrete [0.1, 0.1] or [0.3]; the reader refuses
// a uniform of width 0) was accepted silently, and ranked "0 ± 0".
TEST(Warnings, AnAssumptionThatCannotVary) {
  expect_one(
      warnings("assumptions:\n  market.volatility: {dist: discrete, values: [0.1, 0.1]}\n", ""),
      "assumptions.market.volatility", "can take one value only (0.1)");
  expect_one(warnings("assumptions:\n  market.volatility: {dist: discrete, values: [0.3]}\n", ""),
             "assumptions.market.volatility", "not uncertain");
  EXPECT_TRUE(
      warnings("assumptions:\n  market.volatility: {dist: uniform, low: 0.1, high: 0.2}\n", "")
          .empty());
}

TEST(Warnings, SetOfAnOrgValueAfterAProgrammeChangedItIsNotANoOp) {
  // From week 10 the plan puts alignment back to 0.3 after the workshop raised it: that acts.
  const std::string workshop =
      "    programs: [{kind: alignment, start_week: 3, alignment: 0.7}]\n"
      "    set: {org.alignment: 0.3}\n";
  EXPECT_TRUE(warnings("", workshop + "    from_week: 10\n").empty());
  expect_one(warnings("", workshop), "plans[1] (x).set.org.alignment", "already 0.3");
}

// ---- 3. Training that can train no one ----

TEST(Warnings, NewHireTrainingWithoutNewHires) {
  const std::string no_backfill = "people: {backfill: false}\n";
  const std::string training =
      "    training: [{name: onboarding, start_week: 6, participants: new_hires}]\n";
  expect_one(warnings(no_backfill, training), "plans[1] (x).training[0] (onboarding)",
             "people.backfill is false");
  EXPECT_TRUE(warnings(no_backfill, training + "    hiring: [{week: 6, count: 2}]\n").empty());
  EXPECT_EQ(warnings(no_backfill, training + "    hiring: [{week: 7, count: 2}]\n").size(), 1u)
      << "a hire after the start is too late";
  EXPECT_TRUE(warnings("", training).empty()) << "with backfill, leavers' replacements take part";
  EXPECT_TRUE(warnings(no_backfill + "hiring: [{week: 2, count: 1}]\n", training).empty());
}

TEST(Warnings, TrainingWithoutEfficacy) {
  expect_one(warnings("", "    training: [{name: pep-talk, start_week: 3, efficacy: 0}]\n"),
             "plans[1] (x).training[0] (pep-talk)", "efficacy is 0");
  EXPECT_TRUE(
      warnings("", "    training: [{name: pep-talk, start_week: 3, efficacy: 0.1}]\n").empty());
}

TEST(Warnings, PlanEntriesAreNumberedWithinThePlansOwnList) {
  const std::string top = "training: [{name: base-course, start_week: 2}]\n";
  expect_one(warnings(top, "    training: [{name: own, start_week: 3, efficacy: 0}]\n"),
             "plans[1] (x).training[0] (own)", "efficacy is 0");
  // A baseline entry that cannot act is named as the baseline's, once.
  expect_one(warnings("training: [{name: base-course, start_week: 2, efficacy: 0}]\n", ""),
             "the baseline's training[0] (base-course)", "efficacy is 0");
}

// ---- 4. Events after the goal week ----

TEST(Warnings, EventsAfterTheGoalWeek) {
  const std::string goal = "goal: {revenue: 1000000, by_week: 10}\n";
  expect_one(warnings(goal, "    hiring: [{week: 11, count: 2}]\n"),
             "plans[1] (x).hiring[0] (2 reps in week 11)", "after the goal's week 10");
  EXPECT_TRUE(warnings(goal, "    hiring: [{week: 10, count: 2}]\n").empty());
  EXPECT_TRUE(warnings("", "    hiring: [{week: 11, count: 2}]\n").empty()) << "no goal";
  expect_one(warnings(goal, "    training: [{name: late, start_week: 12}]\n"),
             "plans[1] (x).training[0] (late)", "after the goal's week 10");
  expect_one(warnings(goal, "    programs: [{kind: profiling, start_week: 15, awareness: 0.6}]\n"),
             "plans[1] (x).programs[0] (profiling)", "after the goal's week 10");
  expect_one(warnings(goal, "    from_week: 11\n    set: {capacity.max_hours: 60}\n"),
             "plans[1] (x).from_week", "after the goal's week 10");
  EXPECT_TRUE(warnings(goal, "    from_week: 10\n    set: {capacity.max_hours: 60}\n").empty());
  // The goal week defaults to the horizon; baseline events are reported once.
  expect_one(warnings("goal: {revenue: 1000000, by_week: 5}\n"
                      "programs: [{kind: alignment, name: offsite, start_week: 8, "
                      "alignment: 0.6}]\n",
                      ""),
             "the baseline's programs[0] (alignment 'offsite')", "week 8");
}

// ---- 5. Hires in the last week ----

TEST(Warnings, HiresInTheLastWeek) {
  expect_one(warnings("", "    hiring: [{week: 20, count: 3}]\n"),
             "plans[1] (x).hiring[0] (3 reps in week 20)", "the last week simulated");
  EXPECT_TRUE(warnings("", "    hiring: [{week: 19, count: 3}]\n").empty());
  // After the goal week too: the last-week warning alone, which says more.
  expect_one(
      warnings("goal: {revenue: 1000000, by_week: 10}\n", "    hiring: [{week: 20, count: 3}]\n"),
      "plans[1] (x).hiring[0] (3 reps in week 20)", "the last week simulated");
  expect_one(warnings("hiring: [{week: 20, count: 1}]\n", ""),
             "the baseline's hiring[0] (1 rep in week 20)", "the last week simulated");
}

// A format 1 file counts event weeks from 0: its warnings name its own weeks ("week 19" is its
// last), where they named the weekly step's 1-based weeks ("week 20", which it does not have).
TEST(Warnings, AFormatOneFileIsToldItsOwnWeeks) {
  std::string text = file("goal: {revenue: 1000000, by_week: 10}\n",
                          "    hiring: [{week: 19, count: 3}, {week: 12, count: 1}]\n");
  text.replace(text.find("salesim: 2"), 10, "salesim: 1");
  const std::vector<std::string> ws = test::scenario(text).warnings;
  const std::string all = joined(ws);
  EXPECT_NE(all.find("(3 reps in week 19): these reps join in week 19, the last week simulated"),
            std::string::npos)
      << all;
  // The goal counts weeks 1-10 of the run, file weeks 0-9; by_week is a count, not an event
  // week, and keeps its value (10) in both formats.
  EXPECT_NE(all.find("(1 rep in week 12): these reps join in week 12, after the goal's week 10"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("move it to week 9 or earlier"), std::string::npos) << all;
  EXPECT_EQ(all.find("week 20"), std::string::npos) << all;
}

// ---- The example scenarios use every lever on purpose ----

TEST(Warnings, NoneOnTheExampleScenarios) {
  int files = 0;
  for (const auto& e : fs::directory_iterator(test::source_dir() + "/scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    ++files;
    const Scenario sc = load_scenario_file(e.path().string());
    EXPECT_TRUE(sc.warnings.empty()) << e.path() << ":\n" << joined(sc.warnings);
  }
  EXPECT_GE(files, 5);
}

// ---- The command line ----

struct WarningsCli : ::testing::Test {
  fs::path dir, yaml;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("salesim-warnings-" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    yaml = dir / "late.yaml";
    std::ofstream(yaml) << file("",
                                "    hiring: [{week: 20, count: 3}]\n"
                                "    training: [{name: \"a<b>&c\", start_week: 3, efficacy: 0}]\n");
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string salesim(const std::string& args) { return test::binary() + " " + args; }
};

TEST_F(WarningsCli, ValidatePrintsWarningsAndStrictMakesThemErrors) {
  std::string out;
  EXPECT_EQ(test::shell(salesim("validate " + yaml.string()), &out), 0) << out;
  EXPECT_NE(out.find("salesim: warning: " + yaml.string() + ": plans[1] (x).hiring[0]"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2 warnings"), std::string::npos) << out;
  EXPECT_EQ(test::shell(salesim("validate --strict " + yaml.string()), &out), 2) << out;
  EXPECT_NE(out.find("plans[1] (x).hiring[0]"), std::string::npos) << out;
  EXPECT_EQ(test::shell(salesim("validate --strict " + test::example()), &out), 0) << out;
  EXPECT_EQ(out.find("warning"), std::string::npos) << out;
}

// validate's summary line counts in words: "1 stage", "1 warning" (it said "1 stages, ...
// 1 warnings").
TEST_F(WarningsCli, ValidateCountsOneOfAThingInTheSingular) {
  std::ofstream(dir / "one.yaml") << file("", "    set: {compensation.commission_rate: 1}\n");
  std::string out;
  EXPECT_EQ(test::shell(salesim("validate " + (dir / "one.yaml").string()), &out), 0) << out;
  EXPECT_NE(out.find("ok: 'warnings', 2 plans, 1 stage, 2 skills, 20 weeks, 1 warning\n"),
            std::string::npos)
      << out;
}

TEST_F(WarningsCli, RunStrictRefusesAndRunRecordsWarningsInTheSummaryAndReport) {
  std::string out;
  const auto json = (dir / "s.json").string(), h5 = (dir / "r.h5").string(),
             html = (dir / "r.html").string();
  EXPECT_EQ(
      test::shell(salesim("run --strict --quiet --paths 20 " + yaml.string() + " --json " + json),
                  &out),
      2)
      << out;
  EXPECT_FALSE(fs::exists(json)) << "nothing run";
  ASSERT_EQ(test::shell(salesim("run --quiet --paths 20 " + yaml.string() + " --json " + json +
                                " -o " + h5 + " --report " + html),
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("warning:"), std::string::npos) << out;
  const auto j = nlohmann::json::parse(test::read_file(json));
  ASSERT_EQ(j["warnings"].size(), 2u) << j["warnings"].dump();
  const std::string w = j["warnings"][0];
  EXPECT_NE(w.find("plans[1] (x).hiring[0] (3 reps in week 20)"), std::string::npos) << w;
  EXPECT_NE(std::string(j["warnings"][1]).find("training[0] (a<b>&c)"), std::string::npos);
  // The report's method notes list them, HTML-escaped.
  const std::string report = test::read_file(html);
  const auto method = report.find("<section id=\"method\">");
  const auto appendix = report.find("<section id=\"scenario\">");
  ASSERT_NE(method, std::string::npos);
  ASSERT_NE(appendix, std::string::npos);
  const std::string notes = report.substr(method, appendix - method);
  EXPECT_NE(notes.find("<strong>Warnings.</strong>"), std::string::npos);
  EXPECT_NE(notes.find("plans[1] (x).hiring[0] (3 reps in week 20)"), std::string::npos);
  EXPECT_NE(notes.find("training[0] (a&lt;b&gt;&amp;c)"), std::string::npos) << notes;
  EXPECT_EQ(report.find("a<b>"), std::string::npos) << "escaped everywhere";
}

}  // namespace
}  // namespace salesim
