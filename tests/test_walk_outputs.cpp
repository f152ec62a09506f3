// A hostile reader's walk of `salesim run`'s analytical outputs (the paired comparison and its
// drivers, the conditional figures, the robustness block, the ARR table): words, figures and
// columns that must stay right at the edges (one path, a plan equal to the baseline, long or
// accented labels, more assumptions than paths).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "models/robustness.hpp"
#include "sim/utf8.hpp"
#include "test_support.hpp"
#include "tools/terminal.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// True when `s` is well-formed UTF-8 (a terminal shows a cut character as garbage).
bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const sim::utf8::Char c = sim::utf8::at(s, i);
    if (c.code == 0xFFFD && c.len == 1) return false;  // a byte that starts no character
    i += c.len;
  }
  return true;
}

TEST(WalkOutputs, MoneyChoosesItsUnitAfterRoundingAndHasNoNegativeZero) {
  EXPECT_EQ(tools::money(999999), "1.00M");  // was "1000k"
  EXPECT_EQ(tools::money(-999999), "-1.00M");
  EXPECT_EQ(tools::money(999.7), "1k");         // was "1000"
  EXPECT_EQ(tools::money(999999999), "1.00B");  // was "1000.00M"
  EXPECT_EQ(tools::money(-0.3), "0");           // was "-0"
  EXPECT_EQ(tools::money(-0.0), "0");
  EXPECT_EQ(tools::money(771000), "771k");
  EXPECT_EQ(tools::money(4.49e6), "4.49M");
  EXPECT_EQ(tools::money(950), "950");
  EXPECT_EQ(tools::money(-12), "-12");
}

TEST(WalkOutputs, ClipNeverCutsACharacter) {
  EXPECT_EQ(tools::clip("Qéééé", 3), "Qéé");
  EXPECT_EQ(tools::clip("Q1", 8), "Q1");
  EXPECT_EQ(tools::text_width("équipe"), 6u);
  EXPECT_TRUE(valid_utf8(tools::clip("Qééééééééééé", 8)));
}

TEST(WalkOutputs, WideCharactersTakeTwoColumnsAsTheFormatterPadsThem) {
  // A Chinese plan name counted by characters left its column two columns short a glyph.
  EXPECT_EQ(tools::text_width("基线计划"), 8u);
  EXPECT_EQ(tools::text_width("plan😀"), 6u);
  EXPECT_EQ(tools::clip("基线计划", 5), "基线");  // a third glyph would need columns 5-6
  EXPECT_EQ(tools::clip("Q基线", 2), "Q");
  for (const std::string s : {"基线计划", "équipe", "plan😀",
                              "Q\xff"
                              "1"}) {
    const std::string padded = fmt::format("{:<{}}|", s, tools::text_width(s) + 3);
    EXPECT_EQ(padded, s + "   |") << s;  // fmt pads exactly the columns text_width counts
  }
}

// A comparison whose plan beats the baseline on all but `fails` of `paths` paths, `ties` of
// them with equal bookings: the sentence must not round a share that is not 0 or 1 to 0% or 100%.
std::string beats_sentence(std::size_t paths, std::size_t fails, std::size_t ties) {
  const Scenario sc =
      load_scenario_file(test::source_dir() + "/scenarios/uncertain-assumptions.yaml");
  ScenarioResults res;
  res.paths = paths;
  for (const char* name : {"base", "plan"}) {
    PlanResult r;
    r.name = name;
    r.run.paths = paths;
    r.run.shape.scalars = out::first_checkpoint + sc.base.goal.checkpoints.size() + 8;
    r.run.scalars.assign(paths * r.run.shape.scalars, 0.0);
    res.plans.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < paths; ++i) {
    const std::size_t s = res.plans[0].run.shape.scalars;
    res.plans[0].run.scalars[i * s + out::final_bookings] = 1e6 + double(i);
    res.plans[1].run.scalars[i * s + out::final_bookings] = i < ties    ? 1e6 + double(i)
                                                            : i < fails ? 0.0
                                                                        : 2e6 + double(i);
  }
  const Robustness r = analyse_robustness(sc, res, nullptr);
  return r.vs_baseline.at(0).summary;
}

TEST(WalkOutputs, ASharePastNinetyNineAndAHalfIsNotHundredPercent) {
  const std::string s = beats_sentence(1000, 2, 0);  // beats on 998 of 1000
  EXPECT_EQ(s.find("in 100% of futures"), std::string::npos) << s;
  EXPECT_NE(s.find("over 99%"), std::string::npos) << s;
}

TEST(WalkOutputs, TiesAreNotFailuresInTheSentence) {
  const std::string all = beats_sentence(200, 200, 200);  // equal bookings on every path
  EXPECT_NE(all.find("books the same as base in every future"), std::string::npos) << all;
  EXPECT_EQ(all.find("in 0% of futures"), std::string::npos) << all;
  const std::string some = beats_sentence(200, 20, 20);
  EXPECT_NE(some.find("beats base in 90% of futures and ties in 10%"), std::string::npos) << some;
}

struct WalkOutputsCli : test::FolderTest {
  WalkOutputsCli() : test::FolderTest("walk") {}
  // Runs salesim run on `file` with `args` and --json; returns the terminal's output.
  std::string run(const std::string& file, const std::string& args) {
    std::string out;
    EXPECT_EQ(test::shell(salesim("run " + file + " --threads 2 --json " +
                                  (dir / "s.json").string() + " " + args),
                          &out),
              0)
        << out;
    return out;
  }
  json summary() const { return json::parse(test::read_file((dir / "s.json").string())); }
  std::string write(const std::string& name, const std::string& yaml) const {
    std::ofstream(dir / name) << yaml;
    return (dir / name).string();
  }
  static std::string uncertain() {
    return test::read_file(test::source_dir() + "/scenarios/uncertain-assumptions.yaml");
  }
};

// A small team whose checkpoint label is long and accented.
std::string small(const std::string& label) {
  return R"(salesim: 2
name: walk
simulation: {horizon_weeks: 26, paths: 60, seed: 3}
goal: {revenue: 3000000, checkpoints: [{week: 13, revenue: 1500000, label: ")" +
         label + "\"}]}\n" + test::kSmallTeam + R"(plans:
  - name: baseline
  - name: same
  - name: more
    hiring: [{week: 2, count: 4}]
)";
}

TEST_F(WalkOutputsCli, AccentedCheckpointLabelsAreCutBetweenCharacters) {
  // "P(Qéééééé..." cut at 8 bytes and "1-13 Qéééé..." at 12 split an é in two.
  const std::string out = run(write("s.yaml", small("Qéééééééééééééé")), "--detail");
  EXPECT_TRUE(valid_utf8(out)) << out;
}

TEST_F(WalkOutputsCli, ConditionalColumnsStayAlignedWithALongLabel) {
  const std::string out =
      run(write("s.yaml", small("Première-quarter-très-long")), "--conditional --paths 200");
  // Where the "paths" column ends, in characters: the header's and every row's.
  std::size_t header_end = 0;
  std::istringstream lines(out);
  int rows = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  given", 0) == 0) {
      header_end = tools::text_width(line.substr(0, line.find("paths") + 5));
      continue;
    }
    std::smatch m;
    if (line.find("Première") == std::string::npos ||
        !std::regex_search(line, m, std::regex(R"(^  .*(met|missed) +\d+)")))
      continue;
    ++rows;
    EXPECT_EQ(tools::text_width(m.str(0)), header_end) << line;
  }
  EXPECT_EQ(rows, 6) << out;
}

TEST_F(WalkOutputsCli, WideAndLongNamesKeepTheTablesColumns) {
  // Plan names in Chinese and stage names longer than the 16 columns the chain's table had.
  std::string yaml = small("Q1");
  const auto swap = [&](const std::string& from, const std::string& to) {
    yaml.replace(yaml.find(from), from.size(), to);
  };
  swap("name: qualify", "name: 资格审查阶段非常长的名字");
  swap("name: baseline", "name: 基线计划");
  swap("name: more", "name: \"more people, hired in week two\"");
  const std::string out = run(write("s.yaml", yaml), "--explain");
  // Every row of the main table ends at the same column; so does the chain's P(win) column.
  std::istringstream lines(out);
  std::size_t table_end = 0, pwin_end = 0;
  int rows = 0, stages = 0;
  bool in_chain = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("plan ", 0) == 0 && !table_end) table_end = tools::text_width(line);
    if (line.rfind("P(goal)", 0) == 0 || line.rfind("bookings median", 0) == 0) {
      ++rows;
      EXPECT_EQ(tools::text_width(line), table_end) << line;
    }
    if (line.rfind("from stage", 0) == 0) {
      in_chain = true;
      pwin_end = tools::text_width(line.substr(0, line.find("P(win)") + 6));
    } else if (in_chain && line.rfind("资格", 0) == 0) {
      ++stages;
      std::smatch m;
      ASSERT_TRUE(std::regex_search(line, m, std::regex(R"(^\S+ +\d\.\d{3})"))) << line;
      EXPECT_EQ(tools::text_width(m.str(0)), pwin_end) << line;
    }
  }
  EXPECT_EQ(rows, 2) << out;
  EXPECT_EQ(stages, 1) << out;
}

TEST_F(WalkOutputsCli, APlanThatBooksTheSameIsNotSaidToBookZeroMore) {
  const std::string out = run(write("s.yaml", small("Q1")), "--explain-diff");
  EXPECT_NE(out.find("Why 'same' books the same as 'baseline'"), std::string::npos) << out;
  EXPECT_EQ(out.find("books 0 more"), std::string::npos) << out;
}

TEST_F(WalkOutputsCli, OnePathPrintsNoNaNInTheRobustnessBlock) {
  const std::string file = write("u.yaml", uncertain());
  const std::string out = run(file, "--paths 1 --plans push-activity,classroom-training");
  EXPECT_NE(out.find("What the answer depends on"), std::string::npos) << out;
  EXPECT_EQ(out.find("nan"), std::string::npos) << out;  // was "100.0% ±nan"
}

TEST_F(WalkOutputsCli, OnePathPrintsNoNaNInTheArrTable) {
  const std::string out = run(test::source_dir() + "/scenarios/saas-renewals.yaml", "--paths 1");
  EXPECT_NE(out.find("ARR final mean"), std::string::npos) << out;
  EXPECT_EQ(out.find("nan"), std::string::npos) << out;  // was "NRR ... 92.7% ±nan"
  EXPECT_EQ(out.find("±-"), std::string::npos) << out;   // was "10.55M ±-"
}

TEST_F(WalkOutputsCli, MoreAssumptionsThanPathsRankNothingAndSaySo) {
  const std::string out =
      run(write("u.yaml", uncertain()), "--paths 3 --plans push-activity,classroom-training");
  // Six assumptions on three paths: no fit, so no r2 (it was 0, beside diff_r2's null) and no
  // "no assumption stands out from its standard error", which reads as if they were ranked.
  for (const json& p : summary()["robustness"]["plans"]) {
    EXPECT_TRUE(p["goal_drivers"].empty());
    EXPECT_TRUE(p["goal_r2"].is_null()) << p.dump();
  }
  EXPECT_TRUE(summary()["robustness"]["vs_baseline"][0]["diff_r2"].is_null());
  EXPECT_EQ(out.find("stands out"), std::string::npos) << out;
  EXPECT_NE(out.find("not ranked: 3 paths are too few to rank 6 assumptions"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("(coefficients:"), std::string::npos) << out;  // no coefficient shown
}

TEST_F(WalkOutputsCli, APlanEqualToTheBaselineTiesRatherThanFails) {
  std::string yaml = uncertain();
  yaml.replace(yaml.find("\nplans:\n"), 8, "\nplans:\n  - name: base\n  - name: copy\n");
  const std::string out = run(write("u.yaml", yaml), "--paths 60 --plans base,copy");
  // It read "copy beats base in 0% of futures; the others have no simple region in common" and
  // "its gain in bookings moves most with: no assumption stands out from its standard error".
  EXPECT_NE(out.find("copy books the same as base in every future"), std::string::npos) << out;
  EXPECT_NE(out.find("its gain in bookings is not ranked: it is the same on every path"),
            std::string::npos)
      << out;
  EXPECT_EQ(summary()["robustness"]["vs_baseline"][0]["summary"].get<std::string>().find("0%"),
            std::string::npos);
}

}  // namespace
}  // namespace salesim
