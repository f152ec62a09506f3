// A hostile user's walk of the analyst commands (bench, sweep, sensitivity, batch, goalseek,
// optimize) and the files they write: each test is a defect found on that walk.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "models/keys.hpp"
#include "test_support.hpp"
#include "tools/bench.hpp"
#include "tools/cli.hpp"
#include "tools/xlsx_workbook.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;

struct WalkAnalyst : test::FolderTest {
  WalkAnalyst() : test::FolderTest("walk-analyst") {}

  // The example scenario with each `from` replaced by `to` (once each), written to dir/name.
  std::string example_with(const std::string& name,
                           const std::vector<std::pair<std::string, std::string>>& edits) const {
    std::string text = test::read_file(test::example());
    for (const auto& [from, to] : edits) {
      const auto at = text.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) text.replace(at, from.size(), to);
    }
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // Runs a Python check with openpyxl (Debian's python3-openpyxl); exit 0: every check held.
  void python_check(const std::string& script, const std::string& args) const {
    const fs::path file = dir / "check.py";
    std::ofstream(file) << "import sys\nimport openpyxl\n" << script;
    std::string printed;
    EXPECT_EQ(test::shell(std::string(SALESIM_PYTHON) + " " + file.string() + " " + args, &printed),
              0)
        << printed;
  }
};

// The workbook's `value` column is the key's value as written: by its name alone it was
// formatted as money (#,##0), so a commission rate of 0.08 showed as 0 (docs/cli.md: the
// values of scenario keys keep the General format).
TEST_F(WalkAnalyst, SensitivityWorkbookShowsKeyValuesAsWritten) {
  const std::string xlsx = (dir / "s.xlsx").string();
  std::string out;
  ASSERT_EQ(test::shell(salesim("sensitivity " + test::example() +
                                " --plan baseline --metric profit --paths 16 "
                                "--keys compensation.commission_rate --xlsx " +
                                xlsx),
                        &out),
            0)
      << out;
  // The plan's figure as the table writes money (it read "profit = 9.456e+06 (SE 6.2e+04)").
  const auto line = out.substr(out.find("Plan as written: profit = "));
  EXPECT_EQ(line.substr(0, line.find('\n')).find("e+"), std::string::npos) << out;
  python_check(R"PY(
ws = openpyxl.load_workbook(sys.argv[1])["Sensitivity"]
header = [c.value for c in ws[1]]
row = dict(zip(header, ws[2]))
assert row["value"].value == 0.08, row["value"].value
for name in ("value", "low", "high"):
    assert row[name].number_format == "General", f"{name}: {row[name].number_format}"
for name in ("at_low", "at_high", "swing"):
    assert row[name].number_format == "#,##0", f"{name}: {row[name].number_format}"
)PY",
               xlsx);
}

// A checkpoint's columns are probabilities whatever its label: `Fin.` (a dot, as scenario keys
// have) made p_Fin. General, and `launch_week` made p_launch_week a whole number, so a P(met)
// of 0.8 showed as 1.
TEST_F(WalkAnalyst, SweepWorkbookShowsEveryCheckpointAsAProbability) {
  const std::string file = example_with(
      "labels.yaml", {{"label: Q1}", "label: \"Fin.\"}"}, {"label: Q2}", "label: launch_week}"}});
  const std::string xlsx = (dir / "s.xlsx").string();
  std::string out;
  ASSERT_EQ(test::shell(salesim("sweep " + file +
                                " --plan baseline --vary org.alignment=0.3,0.5 --paths 16 "
                                "--quiet -o " +
                                (dir / "s.h5").string() + " --xlsx " + xlsx),
                        &out),
            0)
      << out;
  python_check(R"PY(
ws = openpyxl.load_workbook(sys.argv[1])["Sweep"]
header = [c.value for c in ws[1]]
row = dict(zip(header, ws[2]))
for name in ("p_Fin.", "p_Fin._se", "p_launch_week", "p_launch_week_se", "p_Q3", "p_goal"):
    assert row[name].number_format == "0.0%", f"{name}: {row[name].number_format}"
assert row["org.alignment"].number_format == "General", row["org.alignment"].number_format
)PY",
               xlsx);
}

// Without --name the optimised plan is named PLAN-optimised; for a plan of 55 characters or
// more that name is too long, and the message blamed --name, which the user had not given.
TEST_F(WalkAnalyst, OptimizeSaysWhenTheDefaultNameCannotBeUsed) {
  const std::string plan(60, 'p');
  const std::string file = example_with("long.yaml", {{"name: push-activity", "name: " + plan}});
  std::string out;
  EXPECT_EQ(test::shell(salesim("optimize " + file + " --plan " + plan +
                                " --lever org.alignment=0:1 --maximize profit --paths 4 "
                                "--quiet -o " +
                                (dir / "o.yaml").string()),
                        &out),
            2)
      << out;
  EXPECT_EQ(out.find("--name:"), std::string::npos) << out;
  EXPECT_NE(out.find("default name '" + plan + "-optimised'"), std::string::npos) << out;
  EXPECT_NE(out.find("give one with --name"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "o.yaml"));
  // A name the file already has, made by default, is said the same way.
  const std::string taken =
      example_with("taken.yaml", {{"name: classroom-training", "name: push-activity-optimised"}});
  EXPECT_EQ(test::shell(salesim("optimize " + taken +
                                " --plan push-activity --lever org.alignment=0:1 "
                                "--maximize profit --paths 4 --quiet -o " +
                                (dir / "o.yaml").string()),
                        &out),
            2)
      << out;
  EXPECT_NE(out.find("default name push-activity-optimised: the file already has"),
            std::string::npos)
      << out;
}

// bench --paths 1e8 (within its range) printed its header and then failed for want of memory
// (exit 1), or was killed; it is refused up front as run refuses it. The address-space limit
// makes the old behaviour fail fast instead of filling the machine.
TEST_F(WalkAnalyst, BenchRefusesRunsThatCannotFitInMemory) {
  const auto available = tools::available_memory_bytes();
  ASSERT_TRUE(available);
  const Scenario sc = load_scenario_file(test::example());
  if (tools::run_memory_bytes(sc, 100000000, 1) < *available)
    GTEST_SKIP() << "this machine has the memory for 1e8 paths";
  std::string out;
  EXPECT_EQ(test::shell("ulimit -v 4000000; " +
                            salesim("bench " + test::example() + " --paths 1e8 --repeats 1"),
                        &out),
            2)
      << out;
  EXPECT_NE(out.find("bench: 100000000 paths"), std::string::npos) << out;
  EXPECT_NE(out.find("MemAvailable"), std::string::npos) << out;
  EXPECT_EQ(out.find("threads"), std::string::npos) << "nothing measured: " << out;
}

// The median of an even number of measurements is the mean of the middle two: of --repeats 2
// it was the slower one.
TEST(WalkAnalystBench, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_DOUBLE_EQ(tools::median_seconds({3.0, 1.0}), 2.0);
  EXPECT_DOUBLE_EQ(tools::median_seconds({4.0, 1.0, 2.0, 3.0}), 2.5);
  EXPECT_DOUBLE_EQ(tools::median_seconds({5.0, 1.0, 3.0}), 3.0);
  EXPECT_DOUBLE_EQ(tools::median_seconds({7.0}), 7.0);
}

// batch --paths 1e1 was refused ("Value 1e1 not in range"), where run, sweep, sensitivity,
// goalseek, optimize and bench take it; and the summary line did not name the workbook.
TEST_F(WalkAnalyst, BatchTakesPathsWithAnExponentAndNamesTheWorkbook) {
  const std::string xlsx = (dir / "b.xlsx").string();
  std::string out;
  ASSERT_EQ(test::shell(salesim("batch " + test::example() + " -o " + (dir / "out").string() +
                                " --paths 1e1 --target-se 0.5 --max-paths 2e1 --xlsx " + xlsx),
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("Wrote " + (dir / "out" / "batch.csv").string() + " and " + xlsx),
            std::string::npos)
      << out;
  EXPECT_NE(test::read_file((dir / "out" / "batch.csv").string()).find(",ok,"), std::string::npos);
}

// A batch takes the cores the process may run on, as run does: on one core (taskset, or mpirun
// binding a rank to a core) it ran 2 threads, counting the machine's cores.
TEST_F(WalkAnalyst, BatchTakesTheCoresItMayRunOn) {
  std::string out;
  ASSERT_EQ(test::shell("taskset -c 0 " + salesim("batch " + test::example() + " -o " +
                                                  (dir / "one").string() + " --paths 10 --quiet"),
                        &out),
            0)
      << out;
  const auto j =
      nlohmann::json::parse(test::read_file((dir / "one" / "nexacorp" / "summary.json").string()));
  EXPECT_EQ(j["threads"], 1);
}

// A batch of an ARR goal: batch.csv showed P(goal) 0.775 against 0.27 beside identical bookings
// and no ARR at all. It says what P(goal) counts and the final ARR it is judged on, in columns
// after `error` (so the others keep their places); a file without recurring revenue has them
// empty.
TEST_F(WalkAnalyst, BatchOfAnArrGoalCarriesTheFinalArr) {
  fs::create_directories(dir / "in");
  fs::copy_file(test::source_dir() + "/scenarios/saas-renewals.yaml", dir / "in" / "saas.yaml");
  fs::copy_file(test::example(), dir / "in" / "nexa.yaml");
  std::string out;
  ASSERT_EQ(test::shell(salesim("batch " + (dir / "in").string() + " -o " + (dir / "out").string() +
                                " --paths 20 --quiet"),
                        &out),
            0)
      << out;
  std::istringstream csv(test::read_file((dir / "out" / "batch.csv").string()));
  std::string line;
  std::getline(csv, line);
  EXPECT_NE(line.find(",error,goal_metric,arr_final_p50,arr_final_mean,arr_diff_vs_first,"
                      "arr_diff_vs_first_se,p_arr_better_than_first"),
            std::string::npos)
      << line;
  int arr_rows = 0, plain_rows = 0;
  while (std::getline(csv, line)) {
    if (line.find(",arr,") != std::string::npos) {
      ++arr_rows;
      EXPECT_EQ(line.find(",arr,,"), std::string::npos) << "a final ARR: " << line;
    } else if (line.find(",bookings,") != std::string::npos) {
      ++plain_rows;
      EXPECT_NE(line.find(",bookings,,,,,"), std::string::npos) << "no ARR: " << line;
    }
  }
  EXPECT_EQ(arr_rows, 3);
  EXPECT_EQ(plain_rows, 4);
}

// A table's column is formatted by what it holds: a checkpoint's probability is a percent
// whatever its label (p_Fin. and p_launch_week were General and a whole number: 0.8 shown as 1).
TEST(WalkAnalystFormats, ACheckpointsProbabilityIsAPercentWhateverItsLabel) {
  for (const char* name : {"p_Fin.", "p_launch_week", "p_Q1", "p_goal_se"})
    EXPECT_EQ(tools::column_format(name), tools::NumberFormat::percent) << name;
  EXPECT_EQ(tools::column_format("prospecting.target_hours"), tools::NumberFormat::general);
  EXPECT_EQ(tools::column_format("goal_week"), tools::NumberFormat::whole);
  // A review: the drivers' se beside coef was General, a segment's 800 accounts read 800.0.
  EXPECT_EQ(tools::column_format("se"), tools::NumberFormat::decimal);
  EXPECT_EQ(tools::column_format("accounts"), tools::NumberFormat::whole);
  EXPECT_EQ(tools::column_format("bookings_se"), tools::NumberFormat::money);
  // The robustness and people sheets' figures (they were General: 42.15116994428833).
  for (const char* name : {"vs_first_p_beats", "vs_first_p_beats_se", "vs_first_p_ties",
                           "vs_first_fail_region_fail_rate_inside"})
    EXPECT_EQ(tools::column_format(name), tools::NumberFormat::percent) << name;
  EXPECT_EQ(tools::column_format("hours_per_rep_week_mean"), tools::NumberFormat::count);
  EXPECT_EQ(tools::column_format("vs_first_diff_r2"), tools::NumberFormat::decimal);
  EXPECT_EQ(tools::column_format("vs_first_fail_region_found"), tools::NumberFormat::whole);
}

// goalseek echoed the target as a raw number ("with final_bookings_p50>=14500000") and a
// probability as a decimal ("p_goal = 0.9005 (SE 0.0067)"); a leader reads 14.5M and 90.1%
// with the standard error in points, as `salesim run` prints them. The JSON keeps its numbers.
TEST_F(WalkAnalyst, GoalseekEchoesTheTargetAsWrittenAndAProbabilityAsPercent) {
  const std::string js = (dir / "g.json").string();
  std::string out;
  ASSERT_EQ(test::shell(salesim("goalseek " + test::example() +
                                " --plan baseline --paths 64 --lever prospecting.yield.top=0.2:1.2 "
                                "--target final_bookings_p50=14.5M"),
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("with final_bookings_p50 at least 14.5M\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("14500000"), std::string::npos) << out;
  ASSERT_EQ(test::shell(salesim("goalseek " + test::example() +
                                " --plan push-activity --paths 64 --lever "
                                "prospecting.target_hours=4:18 --target p_goal=0.9 --json " +
                                js),
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("with P(goal) at least 90%\n"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(gives P\(goal\) = \d+\.\d% ±\d+\.\d)"))) << out;
  EXPECT_EQ(out.find("(SE 0."), std::string::npos) << out;
  const std::string j = test::read_file(js);
  EXPECT_NE(j.find("\"condition\": \"p_goal>=0.9\""), std::string::npos) << j;
}

// optimize -o wrote "Optimised by salesim optimize (maximize profit subject to cost<=8000000)"
// into the plan's description, which a client report prints; the bounds read as written.
TEST_F(WalkAnalyst, OptimizeWritesItsBoundsAsALeaderWritesThem) {
  const std::string plan = (dir / "o.yaml").string(), js = (dir / "o.json").string();
  std::string out;
  ASSERT_EQ(test::shell(salesim("optimize " + test::example() +
                                " --plan push-activity --paths 16 --lever 'hiring[0].count=0:30' "
                                "--maximize profit --subject-to 'cost<=8M' --evaluations 8 -o " +
                                plan + " --json " + js),
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("maximize profit subject to cost at most 8M\n"), std::string::npos) << out;
  const std::string yaml = test::read_file(plan);
  EXPECT_NE(yaml.find("Optimised by salesim optimize (maximize profit subject to cost at most 8M)"),
            std::string::npos)
      << yaml;
  EXPECT_EQ(yaml.find("8000000"), std::string::npos) << yaml;
  // The JSON is a contract: its bounds keep their machine form.
  EXPECT_NE(test::read_file(js).find("\"cost<=8000000\""), std::string::npos);
}

// On a run where no point meets the bounds, the whole result table (with "Gain over the plan as
// written: -419.4k") came first and the one line saying so last; the stop said "the evaluation
// budget was reached" beside 7 evaluations of 20; and hires at 0 "may lie beyond" the interval.
TEST_F(WalkAnalyst, OptimizeWithNoFeasiblePointLeadsWithItAndShowsOnlyTheNearest) {
  std::string out;
  ASSERT_EQ(test::shell(salesim("optimize " + test::example() +
                                " --plan push-activity --paths 128 --lever 'hiring[0].count=0:30' "
                                "--maximize profit --subject-to 'cost<=0' --evaluations 20 -o " +
                                (dir / "c0.yaml").string()),
                        &out),
            1)
      << out;
  const auto said = out.find("no point evaluated meets every --subject-to bound");
  ASSERT_NE(said, std::string::npos) << out;
  EXPECT_LT(said, out.find("in-sample")) << out;
  EXPECT_NE(out.find("there is no optimum and no plan was written. The nearest point:"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("Gain over the plan as written"), std::string::npos) << out;
  EXPECT_EQ(out.find("Optimism"), std::string::npos) << out;
  EXPECT_EQ(out.find("confirmation on paths"), std::string::npos) << out;
  // COBYLA's budget counts its calls, most of them at whole numbers already run: the stop
  // says so (tests/test_optimize.cpp has the planted case).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"((\d+) evaluations)"))) << out;
  if (std::stoi(m[1]) < 15) {  // COBYLA's share of 20: all but a quarter
    EXPECT_EQ(out.find("the evaluation budget was reached"), std::string::npos) << out;
  }
  // 0 hires is the key's own limit, as goal-seek says it.
  EXPECT_NE(out.find("hiring[0].count is at the lower end of its interval, 0, the lowest value "
                     "the key allows"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("may lie beyond"), std::string::npos) << out;
  EXPECT_EQ(out.find("widen the levers' intervals"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "c0.yaml"));
}

// --plan push suggested 'baseline' (fewer edits away) where 'push-activity' starts with it.
TEST_F(WalkAnalyst, ANameThatStartsWithWhatWasTypedIsSuggestedFirst) {
  std::string out;
  EXPECT_EQ(test::shell(salesim("goalseek " + test::example() +
                                " --plan push --lever prospecting.target_hours=4:18 "
                                "--target p_goal=0.9"),
                        &out),
            2)
      << out;
  EXPECT_NE(out.find("has no plan 'push' (did you mean 'push-activity'?)"), std::string::npos)
      << out;
  EXPECT_EQ(nearest("targeted", {"baseline", "push-activity", "targeted-effectiveness"}),
            "targeted-effectiveness");
  EXPECT_EQ(nearest("activity", {"baseline", "push-activity", "targeted-effectiveness"}),
            "push-activity");  // contains it
  // Typos still go by edit distance.
  EXPECT_EQ(nearest("basline", {"baseline", "push-activity"}), "baseline");
  EXPECT_EQ(
      nearest("prospecting.target_hourz", {"prospecting.target_hours", "prospecting.mandatory"}),
      "prospecting.target_hours");
}

// A key's meaning is used inside a sentence by the client report ("Next comes probability that
// a contract renews at an anniversary"): each reads there, with its article; a stage's keys are
// always named after their stage ("the proposal stage's share of exits ...").
TEST(WalkAnalystKeys, EveryMeaningReadsInsideASentence) {
  Params p;
  p.pipeline.stages.push_back(Stage{});
  for (const KeyInfo& k : scalar_keys(p)) {
    const std::string m = k.meaning;
    if (k.path.rfind("pipeline.stages.", 0) == 0) {
      EXPECT_NE(m.rfind("the ", 0), 0u) << k.path << ": " << m;
      continue;
    }
    bool reads = false;
    for (const char* start : {"the ", "a ", "an ", "true: ", "what "})
      reads = reads || m.rfind(start, 0) == 0;
    EXPECT_TRUE(reads) << k.path << ": " << m;
  }
}

// The notebooks copied to a folder of their own with SALESIM set failed with "scenarios/
// nexacorp.yaml not found beside this reader nor the salesim binary", which named neither
// place it looked in. The reader looks where notebooks/README.md says ($SALESIM_SCENARIOS, the
// reader's repository, the binary's) and, when none has it, lists every folder it tried.
TEST_F(WalkAnalyst, NotebookReaderFindsTheExampleWhereItsReadmeSaysAndListsWhereItLooked) {
  const fs::path nb = dir / "nb", bin = dir / "bin";
  fs::create_directories(nb);
  fs::create_directories(bin);
  fs::copy_file(test::source_dir() + "/notebooks/salesim_results.py", nb / "salesim_results.py");
  fs::copy_file(test::binary(), bin / "salesim");  // a binary copied out of its repository
  auto example = [&](const std::string& env) {
    std::string out;
    test::shell("cd " + nb.string() + " && env -u PYTHONPATH -u SALESIM_SCENARIOS " + env + " " +
                    SALESIM_PYTHON +
                    " -c 'import salesim_results as sr\ntry:\n    print(sr.example_scenario())\n"
                    "except FileNotFoundError as e:\n    print(e)'",
                &out);
    return out;
  };
  const std::string lone = "SALESIM=" + (bin / "salesim").string();
  std::string out = example(lone);
  const fs::path real = fs::canonical(dir);
  EXPECT_NE(out.find("nexacorp.yaml not found in " + (real / "scenarios").string() + ", " +
                     (real / "bin" / "scenarios").string()),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("SALESIM_SCENARIOS"), std::string::npos) << out;
  const std::string scenarios = test::source_dir() + "/scenarios";
  EXPECT_EQ(example(lone + " SALESIM_SCENARIOS=" + scenarios), scenarios + "/nexacorp.yaml\n");
  // A binary in its build folder needs nothing else: its repository's scenarios/ is found.
  out = example("SALESIM=" + test::binary());
  EXPECT_NE(out.find("/scenarios/nexacorp.yaml\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("not found"), std::string::npos) << out;
}

}  // namespace
}  // namespace salesim
