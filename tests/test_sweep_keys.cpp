// Sweep and sensitivity keys beyond the plan's `set`: keys the plan leaves null (explicit
// values), items of the plan's lists by index or name (models/key_path.hpp), the levers
// sensitivity finds by itself, and its note when P(goal) is pinned at 0 or 1.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "models/key_path.hpp"
#include "models/plan_edit.hpp"
#include "test_support.hpp"
#include "tools/lever_range.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::shell;

using test::kLists;

std::string error_of(const Scenario& sc, const std::string& plan, const std::string& key) {
  try {
    find_lever(sc, plan, key);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(KeyPath, ParsesListItemsAndRefusesHalfKeys) {
  EXPECT_FALSE(parse_list_key("prospecting.target_hours"));
  EXPECT_FALSE(parse_list_key("hiringx.count"));
  const auto k = parse_list_key("training[targeted-skills].cost_per_person");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->list, "training");
  EXPECT_EQ(k->item, "targeted-skills");
  EXPECT_EQ(k->field, "cost_per_person");
  EXPECT_EQ(parse_list_key("programs[1].start_week")->item, "1");
  EXPECT_EQ(parse_list_key("training[v1.2].efficacy")->item, "v1.2");
  for (const char* bad : {"hiring[0]", "hiring[].count", "hiring[0]count", "hiring[0].count.x"})
    EXPECT_THROW(parse_list_key(bad), std::invalid_argument) << bad;
  try {
    parse_list_key("training.cost_per_person");
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'training' is a list"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("training[0].cost_per_person"), std::string::npos);
  }
}

TEST(KeyPath, ItemsByIndexAndNameInThePlansOwnLists) {
  const Scenario sc = test::scenario(kLists);
  // A later plan's index counts in its own list; the baseline's items are not its own.
  Lever l = find_lever(sc, "more", "hiring[1].count");
  EXPECT_EQ(l.value, 1);
  EXPECT_TRUE(l.integer);
  EXPECT_EQ(find_lever(sc, "more", "hiring[0].week").value, 4);  // a file week, as written
  EXPECT_EQ(find_lever(sc, "more", "training[deep].efficacy").value, 0.4);
  EXPECT_EQ(find_lever(sc, "more", "training[0].cost_per_person").value, 900);
  EXPECT_EQ(find_lever(sc, "more", "programs[profiling].awareness").value, 0.5);
  EXPECT_EQ(find_lever(sc, "more", "programs[2].hours_per_rep").value, 1.5);
  EXPECT_EQ(find_lever(sc, "more", "programs[coach_the_coaches].cost").value, 5000);
  // The baseline plan reaches the file's top-level lists.
  EXPECT_EQ(find_lever(sc, "baseline", "hiring[0].count").value, 2);
  EXPECT_EQ(find_lever(sc, "baseline", "training[base-course].weeks").value, 2);
  EXPECT_EQ(find_lever(sc, "baseline", "programs[alignment].hours_per_rep").value, 2);

  // Values written land in the item: internal weeks are file week - 1.
  Scenario v =
      scenario_with_plan_values(sc, "more", {{"hiring[0].week", 10}, {"hiring[1].count", 7}});
  ASSERT_EQ(v.plans.size(), 1u);
  const auto& h = v.plans[0].params.hiring;
  ASSERT_EQ(h.size(), 3u);  // the baseline's, then the plan's two
  EXPECT_EQ(h[0].week, 2);
  EXPECT_EQ(h[0].count, 2);
  EXPECT_EQ(h[1].week, 9);
  EXPECT_EQ(h[2].count, 7);
  v = scenario_with_plan_values(
      sc, "more", {{"training[deep].cost_per_person", 1234}, {"programs[1].start_week", 12}});
  EXPECT_EQ(v.plans[0].params.training.at(1).cost_per_person, 1234);
  EXPECT_EQ(v.plans[0].params.training.at(0).cost_per_person, 500);
  EXPECT_EQ(v.plans[0].params.programs.at(2).start_week, 11);
  v = scenario_with_plan_values(sc, "baseline", {{"hiring[0].count", 9}});
  EXPECT_EQ(v.plans[0].params.hiring.at(0).count, 9);
  EXPECT_EQ(v.base.hiring.at(0).count, 9);
}

// Format 1 counted event weeks from 0: a week key takes the file's own weeks.
TEST(KeyPath, WeekFieldsAreTheFilesWeeksInFormatOne) {
  std::string text = kLists;
  text.replace(text.find("salesim: 2"), 10, "salesim: 1");
  const Scenario sc = test::scenario(text);
  const Lever l = find_lever(sc, "more", "hiring[0].week");
  EXPECT_EQ(l.value, 4);
  EXPECT_EQ(l.lo, 0);
  EXPECT_EQ(l.hi, 19);
  const Scenario v = scenario_with_plan_values(sc, "more", {{"hiring[0].week", 0}});
  EXPECT_EQ(v.plans[0].params.hiring.at(1).week, 0);
}

TEST(KeyPath, UnknownItemsAndFieldsNameWhatThePlanHas) {
  const Scenario sc = test::scenario(kLists);
  std::string e = error_of(sc, "more", "hiring[2].count");
  EXPECT_NE(e.find("hiring[2]: no such item"), std::string::npos) << e;
  EXPECT_NE(e.find("[0], [1]"), std::string::npos) << e;
  e = error_of(sc, "more", "training[dep].efficacy");
  EXPECT_NE(e.find("no item of this name (did you mean 'deep'?)"), std::string::npos) << e;
  EXPECT_NE(e.find("[0] deep"), std::string::npos) << e;
  EXPECT_NE(e.find("through plan 'baseline'"), std::string::npos) << e;
  e = error_of(sc, "more", "hiring[first].count");
  EXPECT_NE(e.find("hiring items have no names"), std::string::npos) << e;
  e = error_of(sc, "more", "programs[profiling].alignment");
  EXPECT_NE(e.find("no numeric field 'alignment'; it has start_week, awareness, cost_per_person"),
            std::string::npos)
      << e;
  e = error_of(sc, "baseline", "training[deep].efficacy");
  EXPECT_NE(e.find("[0] base-course"), std::string::npos) << e;
  e = error_of(sc, "more", "training.efficacy");
  EXPECT_NE(e.find("'training' is a list"), std::string::npos) << e;
}

// The ranges the key paths allow are the loader's: each end loads, a step past it does not.
TEST(KeyPath, RangesAreTheLoadersRanges) {
  const Scenario sc = test::scenario(kLists);
  const std::vector<std::string> keys = {"hiring[0].week",
                                         "hiring[0].count",
                                         "training[0].start_week",
                                         "training[0].weeks",
                                         "training[0].hours_per_week",
                                         "training[0].focus_skills",
                                         "training[0].efficacy",
                                         "training[0].cost_per_person",
                                         "programs[0].start_week",
                                         "programs[0].manager_coaching_skill",
                                         "programs[0].cost",
                                         "programs[1].awareness",
                                         "programs[1].cost_per_person",
                                         "programs[2].hours_per_rep"};
  for (const auto& key : keys) {
    const Lever l = find_lever(sc, "more", key);
    const double step = l.integer ? 1 : 0.01 * std::max(1.0, std::abs(l.lo));
    EXPECT_NO_THROW(scenario_with_plan_values(sc, "more", {{key, l.lo}})) << key;
    EXPECT_THROW(scenario_with_plan_values(sc, "more", {{key, l.lo - step}}), ScenarioError) << key;
    ASSERT_TRUE(std::isfinite(l.hi)) << key;
    EXPECT_NO_THROW(scenario_with_plan_values(sc, "more", {{key, l.hi}})) << key;
    EXPECT_THROW(scenario_with_plan_values(sc, "more", {{key, l.hi + step * std::max(1.0, l.hi)}}),
                 ScenarioError)
        << key;
  }
  EXPECT_EQ(find_lever(sc, "more", "hiring[0].week").lo, 1);
  EXPECT_EQ(find_lever(sc, "more", "hiring[0].week").hi, 20);
}

// Every list field has the unit a scalar key of its kind has (models/keys.hpp), which the report,
// the live page and the workbooks read: a share in percent, money in the currency, hours, weeks.
TEST(KeyPath, ListFieldsHaveTheUnitsOfScalarKeys) {
  const Scenario sc = test::scenario(kLists);
  const std::vector<std::pair<std::string, std::string>> units = {
      {"hiring[0].week", "week"},
      {"hiring[0].count", "reps"},
      {"training[0].start_week", "week"},
      {"training[0].weeks", "weeks"},
      {"training[0].hours_per_week", "hours/week"},
      {"training[0].focus_skills", "skills"},
      {"training[0].efficacy", "share"},
      {"training[0].cost_per_person", "currency"},
      {"programs[0].manager_coaching_skill", "share"},
      {"programs[0].cost", "currency"},
      {"programs[1].awareness", "share"},
      {"programs[1].cost_per_person", "currency"},
      {"programs[2].hours_per_rep", "hours/rep/week"}};
  for (const auto& [key, unit] : units) {
    const Lever l = find_lever(sc, "more", key);
    EXPECT_EQ(l.unit, unit) << key;
    EXPECT_EQ(l.share(), unit == "share") << key;
  }
  // A scalar key's lever carries the dictionary's unit.
  EXPECT_EQ(find_lever(sc, "more", "prospecting.target_hours", true).unit, "hours/week");
  EXPECT_EQ(find_lever(sc, "more", "people.attrition_annual").unit, "share");
}

TEST(KeyPath, PlanLeversIncludeTheValueKeysOfItsOwnItems) {
  const Scenario sc = test::scenario(kLists);
  std::vector<std::string> keys;
  for (const Lever& l : plan_levers(sc, "more")) keys.push_back(l.path);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "hiring[0].count", "hiring[1].count", "training[deep].efficacy",
                      "training[deep].hours_per_week",
                      "programs[coach_the_coaches].manager_coaching_skill",
                      "programs[profiling].awareness", "programs[coaching_policy].hours_per_rep"}));
  keys.clear();
  for (const Lever& l : plan_levers(sc, "baseline")) keys.push_back(l.path);
  EXPECT_EQ(keys, (std::vector<std::string>{"hiring[0].count", "training[base-course].efficacy",
                                            "training[base-course].hours_per_week",
                                            "programs[alignment].alignment"}));
}

TEST(KeyPath, NullKeysTakeExplicitValuesButNotPercentages) {
  const Scenario sc = test::scenario(kLists);
  const std::string e = error_of(sc, "baseline", "prospecting.target_hours");
  EXPECT_NE(e.find("has no value in plan 'baseline' (null)"), std::string::npos) << e;
  const Lever l = find_lever(sc, "baseline", "prospecting.target_hours", true);
  EXPECT_TRUE(std::isnan(l.value));
  const Scenario v = scenario_with_plan_values(sc, "baseline", {{"prospecting.target_hours", 8}});
  ASSERT_TRUE(v.plans[0].params.prospecting.target_hours);
  EXPECT_EQ(*v.plans[0].params.prospecting.target_hours, 8);
}

struct SweepKeys : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("salesim-sweepkeys-" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string salesim(const std::string& args) { return test::binary() + " " + args; }
  // Column `col` of every row of a CSV the commands write (no quoted commas in these).
  std::vector<std::string> column(const fs::path& csv, const std::string& col) {
    std::stringstream in(test::read_file(csv.string()));
    std::string line, cell;
    std::getline(in, line);
    std::vector<std::string> head, out;
    for (std::stringstream h(line); std::getline(h, cell, ',');) head.push_back(cell);
    const auto at = std::find(head.begin(), head.end(), col) - head.begin();
    while (std::getline(in, line)) {
      std::vector<std::string> cells;
      for (std::stringstream r(line); std::getline(r, cell, ',');) cells.push_back(cell);
      out.push_back(std::size_t(at) < cells.size() ? cells[at] : "");
    }
    return out;
  }
};

TEST(KeyPath, OneItemByIndexAndByNameIsOneLever) {
  const Scenario sc = test::scenario(kLists);
  using tools::lever_identity;
  // Plan "more": its own items, counted from 0 (the file's are the baseline's).
  EXPECT_EQ(lever_identity(sc, "more", "training[deep].efficacy"), "training[0].efficacy");
  EXPECT_EQ(lever_identity(sc, "more", "training[0].efficacy"), "training[0].efficacy");
  EXPECT_EQ(lever_identity(sc, "more", "programs[profiling].awareness"), "programs[1].awareness");
  EXPECT_EQ(lever_identity(sc, "more", "programs[coaching_policy].hours_per_rep"),
            "programs[2].hours_per_rep");
  EXPECT_EQ(lever_identity(sc, "more", "hiring[01].count"), "hiring[1].count");
  // The baseline's list is the file's.
  EXPECT_EQ(lever_identity(sc, "baseline", "training[base-course].cost_per_person"),
            "training[0].cost_per_person");
  EXPECT_EQ(lever_identity(sc, "baseline", "prospecting.target_hours"), "prospecting.target_hours");
}

TEST_F(SweepKeys, OneItemByIndexAndByNameIsRefusedAsGivenTwice) {
  // Both keys set the same field: the table showed the first key's values while the run used
  // the second's; optimize searched two levers of which only one acted.
  const std::string f = test::example() + " --plan targeted-effectiveness --paths 8 ";
  const std::string out_file = (dir / "x.h5").string();
  std::string out;
  EXPECT_EQ(shell(salesim("sweep " + f +
                          "--vary 'training[0].efficacy=0.1,0.5' --vary "
                          "'training[targeted-skills].efficacy=0.9' -o " +
                          out_file),
                  &out),
            2);
  EXPECT_NE(out.find("--vary training[targeted-skills].efficacy: given twice (as "
                     "training[0].efficacy: the same item)"),
            std::string::npos)
      << out;
  EXPECT_EQ(shell(salesim("sensitivity " + f +
                          "--keys 'programs[1].manager_coaching_skill,"
                          "programs[coach_the_coaches].manager_coaching_skill'"),
                  &out),
            2);
  EXPECT_NE(out.find("given twice (as programs[1].manager_coaching_skill: the same item)"),
            std::string::npos)
      << out;
  EXPECT_EQ(shell(salesim("optimize " + f +
                          "--lever 'training[0].efficacy=0.1:0.9' --lever "
                          "'training[targeted-skills].efficacy=0.1:0.9' --maximize profit -o " +
                          (dir / "x.yaml").string()),
                  &out),
            2);
  EXPECT_NE(out.find("--lever training[targeted-skills].efficacy: given twice (as "
                     "training[0].efficacy: the same item)"),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
  EXPECT_FALSE(fs::exists(dir / "x.yaml"));
}

TEST_F(SweepKeys, SweepOverANullKeyWithExplicitValues) {
  std::string out;
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan baseline --vary prospecting.target_hours=4,8,12 --paths 64 "
                          "--metric final_bookings --quiet -o " +
                          (dir / "s.h5").string()),
                  &out),
            0)
      << out;
  EXPECT_EQ(column(dir / "s.csv", "prospecting.target_hours"),
            (std::vector<std::string>{"4", "8", "12"}));
  const auto b = column(dir / "s.csv", "final_bookings_mean");
  EXPECT_NE(b[0], b[2]);  // the key acts
}

// The closing line names every file written: a workbook asked for with --xlsx was left out.
TEST_F(SweepKeys, TheLastLineNamesTheWorkbookToo) {
  std::string out;
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary hiring[0].count=0,2 --paths 8 -o " +
                          (dir / "x.h5").string() + " --xlsx " + (dir / "x.xlsx").string()),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("Wrote " + (dir / "x.h5").string() + ", " + (dir / "x.csv").string() +
                     " and " + (dir / "x.xlsx").string()),
            std::string::npos)
      << out;
  EXPECT_TRUE(fs::exists(dir / "x.xlsx"));
}

TEST_F(SweepKeys, SweepListItemsByIndexAndName) {
  std::string out;
  // More hires, more headcount at the end.
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary hiring[0].count=0,10 --paths 64 --quiet "
                          "-o " +
                          (dir / "h.h5").string()),
                  &out),
            0)
      << out;
  const auto heads = column(dir / "h.csv", "headcount_final_mean");
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_GT(std::stod(heads[1]), std::stod(heads[0]) + 5) << heads[0] << " " << heads[1];
  // A later hiring week (file week) leaves less time for the hires to ramp: fewer bookings.
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary hiring[0].week=2,40 --paths 64 --quiet "
                          "--metric final_bookings -o " +
                          (dir / "w.h5").string()),
                  &out),
            0)
      << out;
  const auto early_late = column(dir / "w.csv", "final_bookings_mean");
  EXPECT_GT(std::stod(early_late[0]), std::stod(early_late[1]));
  // By name: the training's price moves the cost.
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan targeted-effectiveness --vary "
                          "training[targeted-skills].cost_per_person=0,3000 --paths 32 --quiet "
                          "-o " +
                          (dir / "t.h5").string()),
                  &out),
            0)
      << out;
  const auto cost = column(dir / "t.csv", "cost_mean");
  EXPECT_GT(std::stod(cost[1]) - std::stod(cost[0]), 40 * 3000 * 0.9);
  // Bad names and indexes are bad input, naming what the plan has.
  EXPECT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan targeted-effectiveness --vary training[nope].efficacy=0.1,0.2 "
                          "--paths 8 -o " +
                          (dir / "x.h5").string()),
                  &out),
            2);
  EXPECT_NE(out.find("--vary training[nope].efficacy: training[nope]: no item of this name"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("[0] targeted-skills"), std::string::npos) << out;
  EXPECT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary hiring[1].count=1,2 --paths 8 -o " +
                          (dir / "x.h5").string()),
                  &out),
            2);
  EXPECT_NE(out.find("hiring[1]: no such item"), std::string::npos) << out;
  EXPECT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary hiring[0].week=0,5 --paths 8 -o " +
                          (dir / "x.h5").string()),
                  &out),
            2);
  EXPECT_NE(out.find("0 is outside the key's range (a whole number) [1, 52]"), std::string::npos)
      << out;
  // A name with '/' cannot name a dataset of the table: the index can.
  std::string text = test::read_file(test::example());
  text.replace(text.find("name: targeted-skills"), 21, "name: skills/gap");
  const auto file = dir / "slash.yaml";
  std::ofstream(file) << text;
  EXPECT_EQ(shell(salesim("sweep " + file.string() +
                          " --plan targeted-effectiveness --vary training[skills/gap].efficacy=0.2 "
                          "--paths 8 -o " +
                          (dir / "x.h5").string()),
                  &out),
            2);
  EXPECT_NE(
      out.find("a key with '/' cannot name a column of the table; name the item by its index"),
      std::string::npos)
      << out;
  EXPECT_EQ(shell(salesim("sweep " + file.string() +
                          " --plan targeted-effectiveness --vary training[0].efficacy=0.2 "
                          "--paths 8 --quiet -o " +
                          (dir / "x.h5").string()),
                  &out),
            0)
      << out;
}

TEST_F(SweepKeys, SensitivityTakesListItemsAndFindsTheProgrammesAndTraining) {
  const auto js = dir / "s.json";
  std::string out;
  ASSERT_EQ(shell(salesim("sensitivity " + test::example() +
                          " --plan push-activity --metric final_bookings --keys hiring[0].count "
                          "--paths 64 --quiet --json " +
                          js.string()),
                  &out),
            0)
      << out;
  json j = json::parse(test::read_file(js.string()));
  ASSERT_EQ(j["levers"].size(), 1u);
  EXPECT_EQ(j["levers"][0]["key"], "hiring[0].count");
  EXPECT_EQ(j["levers"][0]["low"], 4);
  EXPECT_EQ(j["levers"][0]["high"], 6);
  EXPECT_GT(j["levers"][0]["swing"]["mean"].get<double>(), 0);  // more hires, more bookings

  ASSERT_EQ(shell(salesim("sensitivity " + test::example() +
                          " --plan targeted-effectiveness --metric final_bookings --paths 32 "
                          "--quiet --json " +
                          js.string()),
                  &out),
            0)
      << out;
  j = json::parse(test::read_file(js.string()));
  std::set<std::string> keys;
  for (const auto& l : j["levers"]) keys.insert(l["key"].get<std::string>());
  EXPECT_EQ(keys, (std::set<std::string>{
                      "org.coaching_hours_per_rep", "training[targeted-skills].efficacy",
                      "training[targeted-skills].hours_per_week", "programs[profiling].awareness",
                      "programs[coach_the_coaches].manager_coaching_skill"}));
  EXPECT_EQ(j["pinned"], false);
  EXPECT_FALSE(j.contains("note"));

  EXPECT_EQ(shell(salesim("sensitivity " + test::example() +
                          " --plan targeted-effectiveness --keys programs[5].awareness --paths 8"),
                  &out),
            2);
  EXPECT_NE(out.find("--keys programs[5].awareness: programs[5]: no such item"), std::string::npos)
      << out;
  EXPECT_NE(out.find("[0] profiling, [1] coach_the_coaches"), std::string::npos) << out;
}

TEST_F(SweepKeys, SensitivitySaysWhenPGoalIsPinned) {
  // A goal no path reaches: P(goal) is 0 on every path, whatever a lever does.
  std::string text = test::read_file(test::example());
  const auto at = text.find("revenue: 16000000");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 17, "revenue: 900000000");
  const auto file = dir / "far.yaml";
  std::ofstream(file) << text;
  const auto js = dir / "s.json";
  std::string out;
  ASSERT_EQ(shell(salesim("sensitivity " + file.string() +
                          " --plan push-activity --paths 32 --json " + js.string()),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("Note: P(goal) is 0 on every path of the plan as written (pinned at 0)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("use another metric (--metric final_bookings or --metric profit)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("P(goal) pinned at 0: use another metric"), std::string::npos) << out;
  const json j = json::parse(test::read_file(js.string()));
  EXPECT_EQ(j["pinned"], true);
  EXPECT_NE(j["note"].get<std::string>().find("use another metric"), std::string::npos);
}

}  // namespace
}  // namespace salesim
