// The `salesim` program end to end: outputs, the summary contract, exit codes, messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using test::shell;

struct Cli : test::FolderTest {
  Cli() : FolderTest("cli") {}
};

TEST_F(Cli, RunWritesEveryOutputAndTheSummaryHasTheContractKeys) {
  std::string out;
  const auto json = (dir / "s.json").string(), h5 = (dir / "r.h5").string();
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 300 --seed 5 --json " + json +
                          " -o " + h5 + " --csv " + (dir / "csv").string()),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("P(goal)"), std::string::npos) << out;
  EXPECT_NE(out.find("Paired with 'baseline'"), std::string::npos) << out;
  EXPECT_EQ(out.find("\r"), std::string::npos) << "no progress bar when not a terminal";
  ASSERT_EQ(shell(std::string(SALESIM_PYTHON) + " " + test::source_dir() +
                      "/tests/tools/check_summary.py " + json,
                  &out),
            0)
      << out;
  const auto j = nlohmann::json::parse(test::read_file(json));
  EXPECT_EQ(j["paths"], 300);
  EXPECT_EQ(j["seed"], 5);
  EXPECT_EQ(j["plans"].size(), 4u);
  EXPECT_EQ(j["plans"][0]["checkpoints"].size(), 3u);
  EXPECT_EQ(j["plans"][1]["vs_first"]["checkpoints_diff"].size(), 3u);
  EXPECT_TRUE(fs::exists(dir / "csv" / "summary.csv"));
  EXPECT_EQ(shell("h5dump -H " + h5 + " > /dev/null"), 0);
  // No temporary files are left behind.
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
}

TEST_F(Cli, ResultsFileIsSelfDescribingAndReadableByH5py) {
  const auto h5 = (dir / "r.h5").string();
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 200 --quiet -o " + h5)), 0);
  const std::string script = R"(
import h5py, sys, json
f = h5py.File(sys.argv[1], "r")
a = f.attrs
assert a["file_type"] == "salesim-results", a["file_type"]
assert a["format_major"] == 1
for k in ("format_version", "salesim_version", "git_revision", "created", "seed", "paths"):
    assert k in a, k
assert "name: \"NexaCorp FY25\"" in f["scenario_text"][()].decode()
order = [x.decode() for x in f["plan_order"][()]]
assert order == ["baseline", "push-activity", "targeted-effectiveness", "classroom-training"], order
for p in order:
    g = f["plans"][p]
    assert g["weekly/cum_bookings_quantiles"].shape == (52, 7)
    assert g["weekly/cum_bookings_mean"].shape == (52,)
    assert g["weekly/burnout_mean_mean"].shape == (52,)
    assert g["weekly/headcount_mean"].shape == (52,)
    assert g["paths/final_bookings"].shape == (200,)
    assert g["paths/checkpoints_met"].shape == (200, 3)
    for k in ("cost", "leavers", "goal_week"):
        assert g["paths/" + k].shape == (200,)
summary = json.loads(f["summary_json"][()])
fb = f["plans/baseline/paths/final_bookings"][()]
assert abs(fb.mean() - summary["plans"][0]["final_bookings"]["mean"]) < 1e-6 * fb.mean()
print("ok")
)";
  std::ofstream(dir / "check.py") << script;
  std::string out;
  EXPECT_EQ(shell(std::string(SALESIM_PYTHON) + " " + (dir / "check.py").string() + " " + h5, &out),
            0)
      << out;
}

TEST_F(Cli, ThreadCountDoesNotChangeTheFigures) {
  const auto a = (dir / "a.json").string(), b = (dir / "b.json").string();
  ASSERT_EQ(
      shell(salesim("run " + test::example() + " --paths 150 --quiet --threads 1 --json " + a)), 0);
  ASSERT_EQ(
      shell(salesim("run " + test::example() + " --paths 150 --quiet --threads 2 --json " + b)), 0);
  auto ja = nlohmann::json::parse(test::read_file(a)),
       jb = nlohmann::json::parse(test::read_file(b));
  EXPECT_EQ(ja["plans"], jb["plans"]);
}

TEST_F(Cli, QuietPrintsNothing) {
  std::string out;
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 20 --quiet"), &out), 0);
  EXPECT_EQ(out, "");
}

TEST_F(Cli, PlansOptionSelectsAndNamesUnknownPlans) {
  std::string out;
  const auto json = (dir / "s.json").string();
  ASSERT_EQ(
      shell(salesim("run " + test::example() +
                    " --paths 50 --quiet --plans targeted-effectiveness,baseline --json " + json)),
      0);
  auto j = nlohmann::json::parse(test::read_file(json));
  ASSERT_EQ(j["plans"].size(), 2u);
  EXPECT_EQ(j["plans"][0]["name"], "targeted-effectiveness");
  EXPECT_EQ(shell(salesim("run " + test::example() + " --plans basline"), &out), 2);
  EXPECT_NE(out.find("did you mean 'baseline'"), std::string::npos) << out;
}

TEST_F(Cli, BadInputExitsTwoWithAClearMessage) {
  std::ofstream(dir / "bad.yaml")
      << "salesim: 1\nname: x\nmarket: {volatilty: 0.2}\nplans: [{name: a}]\n";
  std::string out;
  EXPECT_EQ(shell(salesim("run " + (dir / "bad.yaml").string()), &out), 2);
  EXPECT_NE(out.find("market.volatilty: unknown key (did you mean 'volatility'?)"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("terminate"), std::string::npos) << out;
  EXPECT_EQ(shell(salesim("validate " + (dir / "bad.yaml").string()), &out), 2);
  EXPECT_EQ(shell(salesim("validate " + (dir / "missing.yaml").string()), &out), 2);
  EXPECT_NE(out.find("cannot open"), std::string::npos) << out;
  EXPECT_EQ(shell(salesim("run " + test::example() + " --paths 0"), &out), 2);
  EXPECT_EQ(shell(salesim("frobnicate"), &out), 2);
}

TEST_F(Cli, UnwritableOutputFailsBeforeRunningAndLeavesNothing) {
  std::string out;
  EXPECT_EQ(
      shell(salesim("run " + test::example() + " --paths 20 -o " + (dir / "no/such/r.h5").string()),
            &out),
      2);
  EXPECT_NE(out.find("does not exist"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "no"));
}

TEST_F(Cli, ValidateAcceptsTheExampleAndPrintsTheReference) {
  std::string out;
  EXPECT_EQ(shell(salesim("validate " + test::example()), &out), 0) << out;
  EXPECT_NE(out.find("ok"), std::string::npos);
  EXPECT_EQ(shell(salesim("validate --reference"), &out), 0);
  EXPECT_NE(out.find("`burnout.recovery`"), std::string::npos);
  // The scenario reference carries the table as generated, so the ranges users read are the
  // ones the loader applies (regenerate: salesim validate --reference).
  const std::string doc = test::read_file(test::source_dir() + "/docs/scenario-reference.md");
  std::string table = out.substr(0, out.find_last_not_of('\n') + 1);
  EXPECT_NE(doc.find(table), std::string::npos)
      << "docs/scenario-reference.md's key table differs from `salesim validate --reference`";
}

TEST_F(Cli, ExplainPrintsTheAbsorbingChain) {
  std::string out;
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 50 --explain"), &out), 0);
  EXPECT_NE(out.find("absorbing Markov chain"), std::string::npos) << out;
  // The chain's expected weeks are to resolution (won or lost), not to close a won deal.
  EXPECT_NE(out.find("weeks to resolution"), std::string::npos) << out;
  EXPECT_NE(out.find("won or lost"), std::string::npos) << out;
}

TEST_F(Cli, BenchReportsThroughput) {
  std::string out;
  const auto json = (dir / "bench.json").string();
  ASSERT_EQ(
      shell(salesim("bench " + test::example() + " --paths 40 --repeats 1 --json " + json), &out),
      0)
      << out;
  EXPECT_NE(out.find("rep-weeks/s"), std::string::npos);
  auto j = nlohmann::json::parse(test::read_file(json));
  EXPECT_GT(j["results"][0]["rep_weeks_per_second"].get<double>(), 0);
}

}  // namespace
}  // namespace salesim

namespace salesim {
namespace {
TEST(Loader, DuplicateKeysAreErrorsNotSilentlyIgnored) {
  try {
    load_scenario_text(
        "salesim: 1\nname: x\nteam: {reps: 5}\nteam: {reps: 9}\nplans: [{name: a}]\n", "dup.yaml");
    FAIL() << "a duplicate key was accepted";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.problems.size(), 1u);
    EXPECT_NE(e.problems[0].find("dup.yaml:4:1: team: duplicate key (first given on line 3)"),
              std::string::npos)
        << e.problems[0];
  }
}
}  // namespace
}  // namespace salesim

namespace salesim {
namespace {
// The leaves of `v` that are null, as dotted paths ("time_to_goal.p90", "checkpoints[].se").
void null_leaves(const nlohmann::json& v, const std::string& at, std::set<std::string>& out) {
  if (v.is_null()) out.insert(at);
  if (v.is_object())
    for (const auto& [k, x] : v.items()) null_leaves(x, at.empty() ? k : at + "." + k, out);
  if (v.is_array())
    for (const auto& x : v) null_leaves(x, at + "[]", out);
}

// Every example scenario runs through the CLI and its summary meets the contract. The shared
// checker accepts null for any figure (a figure that does not exist); every example has a goal
// and 100 paths, so only the figures that may truly not exist are null: the weeks to a goal
// some futures never reach, and a return on a difference in cost of nothing.
TEST(Scenarios, EveryExampleRunsAndItsSummaryMeetsTheContract) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "salesim-scenarios";
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(test::source_dir() + "/scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    const std::string json = (dir / (e.path().stem().string() + ".json")).string();
    std::string out;
    ASSERT_EQ(test::shell(test::binary() + " run " + e.path().string() +
                              " --paths 100 --quiet --json " + json,
                          &out),
              0)
        << e.path() << out;
    EXPECT_EQ(test::shell(std::string(SALESIM_PYTHON) + " " + test::source_dir() +
                              "/tests/tools/check_summary.py " + json,
                          &out),
              0)
        << e.path() << out;
    const auto j = nlohmann::json::parse(test::read_file(json));
    EXPECT_EQ(j["paths"], 100) << e.path();
    EXPECT_TRUE(j["seed"].is_number_unsigned()) << e.path();
    EXPECT_GE(j["threads"].get<int>(), 1) << e.path();
    ASSERT_FALSE(j["plans"].empty()) << e.path();
    for (const auto& plan : j["plans"]) {
      std::set<std::string> nulls;
      for (const char* k :
           {"goal", "checkpoints", "p_all_checkpoints", "final_bookings", "bookings_at_checkpoints",
            "time_to_goal", "shortfall_mean", "cost", "profit", "people", "pipeline", "vs_first"}) {
        if (std::string(k) != "vs_first") {
          EXPECT_TRUE(plan.contains(k)) << e.path() << " " << k;
        }
        if (plan.contains(k)) null_leaves(plan[k], k, nulls);
      }
      for (const char* may : {"time_to_goal.p50", "time_to_goal.p90", "vs_first.roi"})
        nulls.erase(may);
      EXPECT_TRUE(nulls.empty()) << e.path() << " " << plan["name"] << ": null "
                                 << (nulls.empty() ? std::string() : *nulls.begin());
      EXPECT_GT(plan["final_bookings"]["p50"].get<double>(), 0) << e.path();
      EXPECT_GT(plan["pipeline"]["won_mean"].get<double>(), 0) << e.path();
    }
  }
  fs::remove_all(dir);
}
}  // namespace
}  // namespace salesim

namespace salesim {
namespace {
// --target-se adds paths until the standard error of P(goal) meets the target; the result is
// the same as a plain run with the final path count.
TEST(Precision, StopsAtTheTargetWithTheBitsOfAPlainRun) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("salesim-precision-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  std::string out;
  ASSERT_EQ(test::shell(test::binary() + " run " + test::example() +
                        " --paths 200 --target-se 0.01 --quiet --json " + a),
            0);
  const auto ja = nlohmann::json::parse(test::read_file(a));
  const auto paths = ja["precision"]["paths"].get<std::size_t>();
  EXPECT_TRUE(ja["precision"]["met"].get<bool>());
  EXPECT_GT(paths, 200u);
  for (const auto& p : ja["plans"]) EXPECT_LE(p["goal"]["se"].get<double>(), 0.01);
  ASSERT_EQ(test::shell(test::binary() + " run " + test::example() + " --paths " +
                            std::to_string(paths) + " --quiet --json " + b,
                        &out),
            0)
      << out;
  EXPECT_EQ(ja["plans"], nlohmann::json::parse(test::read_file(b))["plans"]);

  // At the limit it fails clearly and writes nothing.
  const std::string c = (dir / "c.json").string();
  EXPECT_EQ(test::shell(test::binary() + " run " + test::example() +
                            " --target-se 0.001 --max-paths 300 --quiet --json " + c,
                        &out),
            1);
  EXPECT_NE(out.find("still above the target"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(c));
  fs::remove_all(dir);
}
}  // namespace
}  // namespace salesim
