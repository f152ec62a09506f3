// Scenario files MODEL.md allows, written in forms a hand-written file uses: stage names with
// spaces or accents, sections left empty, YAML's boolean words, optional keys left null, and
// YAML merge keys (<<: *anchor) for plans or stages that share settings. Each was refused
// before (a review of the loader against MODEL.md, 2026-12-06).
#include <gtest/gtest.h>

#include "models/format_upgrade.hpp"
#include "models/plan_edit.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

const std::string kHead = "salesim: 2\nname: forms\n";

std::string problems_of(const std::string& yaml) {
  try {
    test::scenario(yaml);
  } catch (const ScenarioError& e) {
    std::string all;
    for (const auto& p : e.problems) all += p + "\n";
    return all;
  }
  return "";
}

TEST(YamlForms, StageNamesMayHaveSpacesAndAccents) {
  const Scenario sc = test::scenario(kHead + R"(pipeline:
  stages:
    - {name: discovery call, exit_rate: 0.4}
    - {name: qualifié, exit_rate: 0.5}
    - {name: 提案, exit_rate: 0.6}
plans:
  - {name: baseline}
  - {name: faster, set: {pipeline.stages.discovery call.exit_rate: 0.8, pipeline.stages.提案.exit_rate: 0.7}}
)");
  ASSERT_EQ(sc.base.pipeline.stages.size(), 3u);
  EXPECT_EQ(sc.base.pipeline.stages[1].name, "qualifié");
  EXPECT_EQ(sc.plans[1].params.pipeline.stages[0].exit_rate, 0.8);
  EXPECT_EQ(sc.plans[1].params.pipeline.stages[2].exit_rate, 0.7);
  // The analyst commands reach the key by the name too.
  EXPECT_EQ(find_lever(sc, "faster", "pipeline.stages.discovery call.exit_rate").value, 0.8);
  const Scenario v =
      scenario_with_plan_values(sc, "faster", {{"pipeline.stages.qualifié.exit_rate", 0.25}});
  EXPECT_EQ(v.plans[0].params.pipeline.stages[1].exit_rate, 0.25);
}

TEST(YamlForms, StageNamesThatKeyPathsCannotHoldAreRefused) {
  for (const char* bad :
       {"'a.b'", "'x=y'", "'a:b'", "'a,b'", "' lead'", "'lead '", "'a/b'", "'[a]'", "''"}) {
    const std::string msg = problems_of(kHead + "pipeline:\n  stages: [{name: " + bad +
                                        "}]\nplans: [{name: baseline}]\n");
    EXPECT_NE(msg.find("pipeline.stages[0].name: expected a stage name"), std::string::npos)
        << bad << ": " << msg;
  }
  // 64 characters of two bytes each are a name; 65 are not.
  std::string name;
  for (int i = 0; i < 64; ++i) name += "é";
  EXPECT_EQ(problems_of(kHead + "pipeline:\n  stages: [{name: " + name +
                        "}]\nplans: [{name: baseline}]\n"),
            "");
  EXPECT_NE(problems_of(kHead + "pipeline:\n  stages: [{name: " + name +
                        "é}]\nplans: [{name: baseline}]\n"),
            "");
}

TEST(YamlForms, AnEmptySectionIsASectionOfDefaults) {
  const Scenario plain = test::scenario(kHead + "plans: [{name: baseline}]\n");
  for (const char* section : {"org:\n  # nothing changed yet\n", "market: null\n",
                              "team:\n  preference:\n", "pipeline:\n  deal_size: ~\n",
                              "prospecting:\n  yield:\n", "people:\n  new_hire_skill:\n"}) {
    const Scenario sc = test::scenario(kHead + section + "plans: [{name: baseline}]\n");
    EXPECT_EQ(sc.base.org.alignment, plain.base.org.alignment) << section;
    EXPECT_EQ(sc.base.market.persistence, plain.base.market.persistence) << section;
    EXPECT_EQ(sc.base.pipeline.deal_mean, plain.base.pipeline.deal_mean) << section;
    EXPECT_EQ(sc.base.prospecting.yield.top, plain.base.prospecting.yield.top) << section;
    EXPECT_EQ(sc.base.people.new_hire_skill.mean, plain.base.people.new_hire_skill.mean) << section;
  }
}

TEST(YamlForms, YamlBooleanWordsInEveryCase) {
  for (const char* word : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}) {
    const Scenario sc =
        test::scenario(kHead + "prospecting: {target_hours: 10, mandatory: " + word +
                       "}\nplans: [{name: baseline}]\n");
    EXPECT_TRUE(sc.base.prospecting.mandatory) << word;
  }
  for (const char* word : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}) {
    const Scenario sc =
        test::scenario(kHead + "prospecting: {target_hours: 10, mandatory: " + word +
                       "}\nplans: [{name: baseline}]\n");
    EXPECT_FALSE(sc.base.prospecting.mandatory) << word;
  }
  EXPECT_NE(problems_of(kHead + "prospecting: {target_hours: 10, mandatory: maybe}\n"
                                "plans: [{name: baseline}]\n")
                .find("expected true or false, found 'maybe'"),
            std::string::npos);
}

TEST(YamlForms, AnOptionalKeyLeftNullKeepsItsDefault) {
  const Scenario sc = test::scenario(kHead + R"(plans:
  - {name: baseline}
  - {name: p, from_week:, set: {org.alignment: 0.9}}
)");
  EXPECT_EQ(sc.plans[1].from_week, 0);  // file week 1
  // A required one is still missing.
  EXPECT_NE(problems_of(kHead + "hiring: [{week: ~, count: 2}]\nplans: [{name: baseline}]\n")
                .find("hiring[0].week"),
            std::string::npos);
  // The scenario's description is text.
  EXPECT_NE(problems_of(kHead + "description: {a: 1}\nplans: [{name: baseline}]\n")
                .find("description: expected text"),
            std::string::npos);
}

TEST(YamlForms, MergeKeysShareSettingsBetweenPlansAndStages) {
  const Scenario sc = test::scenario(kHead + R"(pipeline:
  stages:
    - &stage {name: qualify, hours: 0.7, exit_rate: 0.45}
    - {<<: *stage, name: close, exit_rate: 0.3}
plans:
  - {name: baseline}
  - &sprint
    name: sprint
    set: {prospecting.target_hours: 18, prospecting.mandatory: true}
    hiring: [{week: 5, count: 2}]
  - {<<: *sprint, name: late-sprint, from_week: 10}
  - <<: [{name: first-wins, from_week: 3}, *sprint]
    description: both
)");
  const auto& st = sc.base.pipeline.stages;
  EXPECT_EQ(st[1].hours, 0.7);      // merged
  EXPECT_EQ(st[1].exit_rate, 0.3);  // written beside the merge: it wins
  ASSERT_EQ(sc.plans.size(), 4u);
  const PlanSpec& late = sc.plans[2];
  EXPECT_EQ(late.name, "late-sprint");
  EXPECT_EQ(late.from_week, 9);
  EXPECT_EQ(*late.params.prospecting.target_hours, 18);
  EXPECT_TRUE(late.params.prospecting.mandatory);
  EXPECT_EQ(late.params.hiring.size(), sc.plans[1].params.hiring.size());
  const PlanSpec& first = sc.plans[3];
  EXPECT_EQ(first.name, "first-wins");  // the first map of a list wins over the later ones
  EXPECT_EQ(first.from_week, 2);
  EXPECT_EQ(*first.params.prospecting.target_hours, 18);

  // A variant of a merged plan keeps what it merged, and does not change the plan it came from.
  const Scenario v =
      scenario_with_plan_values(sc, "late-sprint", {{"prospecting.target_hours", 12}});
  EXPECT_EQ(*v.plans[0].params.prospecting.target_hours, 12);
  EXPECT_TRUE(v.plans[0].params.prospecting.mandatory);
  EXPECT_EQ(v.plans[0].from_week, 9);
  const Scenario s2 = scenario_with_plan_values(sc, "sprint", {});
  EXPECT_EQ(*s2.plans[0].params.prospecting.target_hours, 18);
}

TEST(YamlForms, AMergeKeyNeedsAMap) {
  const std::string msg = problems_of(kHead + "org: {<<: 3}\nplans: [{name: baseline}]\n");
  EXPECT_NE(msg.find("org.<<: a merge key takes an alias of a map"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("unknown key"), std::string::npos) << msg;  // said once
}

// A plan's `set` reads `prospecting.target_hours` and `prospecting: {target_hours}` as one key.
// Written the same way beside a merge, the one written there wins (YAML's rule); spelt the
// other way, which one the loader read last would win, so it is refused (a review found the
// merged value silently winning). A merge never changes the plan merged from.
TEST(YamlForms, InASetAMergedKeyInTheOtherSpellingIsRefusedAndTheSourceKeepsItsValues) {
  const Scenario sc = test::scenario(kHead + R"(plans:
  - {name: baseline}
  - name: sprint
    set: &sprint
      prospecting: {target_hours: 14, mandatory: true}
  - {name: same-way, set: {<<: *sprint, prospecting: {target_hours: 5}}}
  - name: flat
    set: &flat {prospecting.target_hours: 12, prospecting.mandatory: true}
  - {name: flat-too, set: {<<: *flat, prospecting.target_hours: 6}}
  - {name: other-key, set: {<<: *sprint, org.alignment: 0.9}}
)");
  EXPECT_EQ(*sc.plans[1].params.prospecting.target_hours, 14);  // the source keeps its set
  EXPECT_TRUE(sc.plans[1].params.prospecting.mandatory);
  EXPECT_EQ(*sc.plans[2].params.prospecting.target_hours, 5);  // the whole map written here
  EXPECT_FALSE(sc.plans[2].params.prospecting.mandatory);      // replaces the merged one
  EXPECT_EQ(*sc.plans[3].params.prospecting.target_hours, 12);
  EXPECT_EQ(*sc.plans[4].params.prospecting.target_hours, 6);
  EXPECT_TRUE(sc.plans[4].params.prospecting.mandatory);  // a flat key of its own joins
  EXPECT_EQ(*sc.plans[5].params.prospecting.target_hours, 14);
  EXPECT_EQ(sc.plans[5].params.org.alignment, 0.9);

  for (const char* set : {"{<<: *sprint, prospecting.target_hours: 5}",
                          "{<<: *flat, prospecting: {target_hours: 6}}"}) {
    const std::string msg = problems_of(kHead + R"(plans:
  - {name: baseline}
  - {name: sprint, set: &sprint {prospecting: {target_hours: 14, mandatory: true}}}
  - {name: flat, set: &flat {prospecting.target_hours: 12, prospecting.mandatory: true}}
  - {name: x, set: )" + set + "}\n");
    EXPECT_NE(msg.find("spelt the other way"), std::string::npos) << set << ": " << msg;
    EXPECT_NE(msg.find("prospecting.target_hours"), std::string::npos) << msg;
    EXPECT_NE(msg.find("plans[3] (x).set.<<."), std::string::npos) << msg;  // named as plans are
  }
}

TEST(YamlForms, AMessageAboutAMergedValuePointsAtItsPlace) {
  const std::string msg = problems_of(kHead + R"(plans:
  - {name: baseline}
  - &p {name: p, hiring: [{week: 60, count: 1}]}
  - {<<: *p, name: q}
)");
  // Line 5 holds the week: both plans that have it are told, each at that place.
  EXPECT_NE(msg.find("test.yaml:5:"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("test.yaml:1:1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("plans[2] (q).hiring[0].week"), std::string::npos) << msg;
}

TEST(YamlForms, TwoMergeKeysInAMapAreADuplicateAndAQuotedOneIsText) {
  EXPECT_NE(problems_of(kHead + "org: {<<: {alignment: 0.5}, <<: {awareness: 0.5}}\n"
                                "plans: [{name: baseline}]\n")
                .find("org.<<: duplicate key"),
            std::string::npos);
  for (const char* key : {"'<<'", "!!str <<"})
    EXPECT_NE(problems_of(kHead + "org: {" + key +
                          ": {alignment: 0.5}}\n"
                          "plans: [{name: baseline}]\n")
                  .find("unknown key"),
              std::string::npos)
        << key;
}

// A format 1 file with an inline merge: upgrade moves the merged week too, once.
TEST(YamlForms, UpgradeMovesAWeekInAMerge) {
  const std::string old = R"(salesim: 1
name: old
plans:
  - {name: baseline}
  - <<: {from_week: 3, hiring: [{week: 5, count: 2}]}
    name: a
  - <<: &b {name: b, from_week: 4}
  - {<<: *b, name: c}
)";
  const Scenario before = test::scenario(old);
  const Scenario after = test::scenario(upgrade_scenario_text(old, "test.yaml"));
  ASSERT_EQ(after.plans.size(), 4u);
  for (std::size_t i = 1; i < 4; ++i)
    EXPECT_EQ(after.plans[i].from_week, before.plans[i].from_week) << after.plans[i].name;
  EXPECT_EQ(after.plans[1].params.hiring.back().week, before.plans[1].params.hiring.back().week);
}

// A refused stage name used to stop the reading there, hiding the file's other problems; now
// the stage is read under a name no valid stage has, and everything else is reported with it.
TEST(YamlForms, ABadStageNameHidesNoOtherProblem) {
  const std::string msg = problems_of(kHead + R"(pipeline:
  stages:
    - {name: qualify, exit_rate: 0.4}
    - {name: qualify, exit_rate: 1.4}
    - {exit_rate: 0.5}
    - 5
    - ~
    - {name: 'a.b', hours: -1}
    - {name: close}
team: {reps: -4}
assumptions:
  pipeline.stages.propose.exit_rate: {dist: uniform, low: 0.2, high: 0.3}
plans:
  - {name: baseline}
  - {name: faster, set: {pipeline.stages.close.exit_rate: 0.9, pipeline.stages.demo.hours: 2}}
)");
  for (const char* expected :
       {"pipeline.stages[1].name: duplicate stage name 'qualify'",
        "pipeline.stages[1].exit_rate: expected a number between 0 and 1",
        "pipeline.stages[2].name: missing required key", "pipeline.stages[3]: expected a map",
        "pipeline.stages[4]: expected a stage, a map with its name and keys, found nothing",
        "pipeline.stages[5].name: expected a stage name",
        "pipeline.stages[5].hours: expected a number between 0 and 168",
        "team.reps: expected a whole number",
        "assumptions.pipeline.stages.propose.exit_rate: no stage is named 'propose'; a stage's "
        "name was refused",
        "(faster).set.pipeline.stages.demo.hours: no stage is named 'demo'"})
    EXPECT_NE(msg.find(expected), std::string::npos) << expected << " in:\n" << msg;
  // The valid stages keep their names and keys: a plan setting one is not an error.
  EXPECT_EQ(msg.find("pipeline.stages.close.exit_rate"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("stages[3].name"), std::string::npos) << msg;  // no map: said once
  // Where every stage name is valid, an unknown stage is still "no such key".
  EXPECT_NE(problems_of(kHead + "plans:\n  - {name: baseline}\n  - {name: b, set: "
                                "{pipeline.stages.demo.hours: 2}}\n")
                .find("no such key"),
            std::string::npos);
}

// A key given twice stopped the reading there (the docs say every problem is reported at
// once): the duplicate is read as the first and the rest of the file with it; only a second
// merge key `<<` in one map stops it, as the merges cannot be resolved then.
TEST(YamlForms, ADuplicateKeyHidesNoOtherProblem) {
  const std::string msg = problems_of(kHead + R"(market: {volatility: 5}
team: {reps: 3, reps: 4}
plans:
  - {name: a}
  - {name: a}
)");
  for (const char* expected :
       {"team.reps: duplicate key (first given on line 4)",
        "market.volatility: expected a number between 0 and 3", "duplicate plan name 'a'"})
    EXPECT_NE(msg.find(expected), std::string::npos) << expected << " in:\n" << msg;
  const std::string merges = problems_of(kHead + R"(market: {volatility: 5}
plans:
  - {name: a, set: {<<: {org.alignment: 0.5}, <<: {org.alignment: 0.6}}}
)");
  EXPECT_NE(merges.find("plans[0].set.<<: duplicate key"), std::string::npos) << merges;
  EXPECT_EQ(merges.find("volatility"), std::string::npos) << merges;
}

// A key a plan may not set was refused as "team.*, stage names, ... shape the starting state"
// whatever it was (revenue.term_months, goal.revenue): each now says what all plans share.
TEST(YamlForms, AKeyAPlanMayNotSetSaysWhatThePlansShare) {
  const std::string msg = problems_of(kHead + R"(plans:
  - {name: a}
  - {name: b, set: {revenue.term_months: 24, goal.revenue: 5, team.reps: 3, calendar.vacation_weeks_per_rep: 2}}
)");
  for (const char* expected :
       {"set.revenue.term_months: a plan cannot set this key: the recurring revenue model",
        "set.goal.revenue: a plan cannot set this key: the run's settings",
        "set.team.reps: a plan cannot set this key: team.*, stage names",
        "set.calendar.vacation_weeks_per_rep: a plan cannot set this key: the calendar"})
    EXPECT_NE(msg.find(expected), std::string::npos) << expected << " in:\n" << msg;
}

TEST(YamlForms, StageNamesCannotHoldInvisibleCharacters) {
  for (const char* bad : {"\"qualify\u0085\"", "\"\u202Eyfilauq\"", "\"\u200b\"",
                          "\"qualify\u00a0\"", "\"a\u2028b\""}) {
    const std::string msg = problems_of(kHead + "pipeline:\n  stages: [{name: " + bad +
                                        "}]\nplans: [{name: baseline}]\n");
    EXPECT_NE(msg.find("expected a stage name"), std::string::npos) << bad << ": " << msg;
    EXPECT_EQ(msg.find("\u202E"), std::string::npos) << "shown raw: " << msg;
  }
  // A name too long is cut in the message at a character, not inside one: the message stays
  // UTF-8 (a workbook holding it would not open otherwise).
  std::string name;
  for (int i = 0; i < 65; ++i) name += "提";
  const std::string msg = problems_of(kHead + "pipeline:\n  stages: [{name: " + name +
                                      "}]\nplans: [{name: baseline}]\n");
  const std::size_t at = msg.find("found '");
  ASSERT_NE(at, std::string::npos) << msg;
  EXPECT_EQ(msg.compare(at + 7, 20 * 3 + 3, std::string(name, 0, 20 * 3) + "..."), 0) << msg;
}

TEST(YamlForms, AKeyLeftEmptyInASectionKeepsItsDefault) {
  const Scenario plain = test::scenario(kHead + "plans: [{name: baseline}]\n");
  const Scenario sc = test::scenario(kHead + R"(goal: {revenue: 1M, metric: ~}
org: {alignment: ~}
pipeline:
  stages:
    - {name: qualify, exit_rate: }
prospecting: {target_hours: ~, mandatory: n}
plans: [{name: baseline}]
)");
  EXPECT_EQ(sc.base.goal.metric, "bookings");
  EXPECT_EQ(sc.base.org.alignment, plain.base.org.alignment);
  EXPECT_EQ(sc.base.pipeline.stages[0].exit_rate, plain.base.pipeline.stages[0].exit_rate);
  EXPECT_FALSE(sc.base.prospecting.target_hours.has_value());
  // A plan's set needs a value.
  EXPECT_NE(problems_of(kHead + "plans: [{name: baseline}, {name: p, set: {org.alignment: ~}}]\n"),
            "");
}

}  // namespace
}  // namespace salesim
