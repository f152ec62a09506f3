// Analysts' commands end to end: sweep (grid, Latin hypercube), sensitivity, batch (failures,
// resume, interrupt), precision control on them; and the experimental designs beneath.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "sim/design.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::shell;

// CSV rows as maps column -> text (no quoted commas in what these tests read).
std::vector<std::map<std::string, std::string>> read_csv(const fs::path& p) {
  std::stringstream in(test::read_file(p.string()));
  std::string line;
  std::vector<std::string> head;
  std::vector<std::map<std::string, std::string>> rows;
  auto split = [](const std::string& s) {
    std::vector<std::string> out(1);
    for (char c : s)
      if (c == ',')
        out.emplace_back();
      else
        out.back().push_back(c);
    return out;
  };
  std::getline(in, line);
  head = split(line);
  while (std::getline(in, line)) {
    auto cells = split(line);
    std::map<std::string, std::string> r;
    for (std::size_t i = 0; i < head.size() && i < cells.size(); ++i) r[head[i]] = cells[i];
    rows.push_back(r);
  }
  return rows;
}

struct Studies : test::FolderTest {
  Studies() : FolderTest("studies") {}
};

TEST(Design, LevelsFromListsAndRanges) {
  EXPECT_EQ(sim::parse_levels("10:20:5"), (std::vector<double>{10, 15, 20}));
  EXPECT_EQ(sim::parse_levels("10:22:5"), (std::vector<double>{10, 15, 20}));
  EXPECT_EQ(sim::parse_levels("1, 2.5,4"), (std::vector<double>{1, 2.5, 4}));
  EXPECT_EQ(sim::parse_levels("3:7"), (std::vector<double>{3, 7}));
  const auto tenths = sim::parse_levels("0:1:0.1");
  ASSERT_EQ(tenths.size(), 11u);
  EXPECT_EQ(tenths.back(), 1.0);
  // Levels as written, not with the sum's rounding: a table filtered on 0.3 finds its row.
  EXPECT_EQ(sim::parse_levels("0:0.7:0.1"),
            (std::vector<double>{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}));
  EXPECT_EQ(sim::parse_levels("0.7:1:0.1"), (std::vector<double>{0.7, 0.8, 0.9, 1}));
  for (const char* bad : {"", "a,b", "1:x", "5:1:1", "0:1:0", "1:2:3:4", "1,,2"})
    EXPECT_THROW(sim::parse_levels(bad), std::invalid_argument) << bad;
}

TEST(Design, GridTakesEveryCombination) {
  const auto g = sim::grid_design({{"a", {1, 2, 3}}, {"b", {10, 20}}});
  ASSERT_EQ(g.size(), 6u);
  EXPECT_EQ(g[0], (std::vector<double>{1, 10}));
  EXPECT_EQ(g[1], (std::vector<double>{1, 20}));
  EXPECT_EQ(g[5], (std::vector<double>{3, 20}));
}

TEST(Design, LatinHypercubeHasOnePointPerStratumAndIsReproducible) {
  const std::vector<sim::Factor> f = {{"a", {0, 10}}, {"b", {-1, 1}}, {"c", {5, 6}}};
  const std::size_t n = 17;
  const auto x = sim::latin_hypercube(f, n, 42);
  ASSERT_EQ(x.size(), n);
  for (std::size_t j = 0; j < f.size(); ++j) {
    std::set<int> strata;
    const double lo = f[j].levels[0], hi = f[j].levels[1];
    for (const auto& p : x) {
      ASSERT_GT(p[j], lo);
      ASSERT_LT(p[j], hi);
      strata.insert(int((p[j] - lo) / (hi - lo) * double(n)));
    }
    EXPECT_EQ(strata.size(), n) << "factor " << j;
  }
  EXPECT_EQ(sim::latin_hypercube(f, n, 42), x);
  EXPECT_NE(sim::latin_hypercube(f, n, 43), x);
}

TEST_F(Studies, SweepGridWritesARowPerPointAndTheUnchangedPointEqualsThePlan) {
  const auto h5 = dir / "sweep.h5";
  std::string out;
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary prospecting.target_hours=12:18:6 "
                          "--vary capacity.max_hours=55,60 --paths 128 --quiet -o " +
                          h5.string()),
                  &out),
            0)
      << out;
  const auto rows = read_csv(dir / "sweep.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].at("prospecting.target_hours"), "12");
  EXPECT_EQ(rows[3].at("capacity.max_hours"), "60");
  // Point 4 is the plan as written (18 h, 60 h): with common random numbers its paths are the
  // plan's paths, so the paired difference is exactly zero.
  EXPECT_EQ(rows[3].at("p_goal_diff_vs_plan"), "0");
  EXPECT_EQ(rows[3].at("p_goal_diff_vs_plan_se"), "0");
  EXPECT_NE(rows[0].at("final_bookings_mean"), rows[3].at("final_bookings_mean"));
  for (const auto& r : rows) EXPECT_EQ(r.at("paths"), "128");

  ASSERT_EQ(shell("/usr/bin/python3 -c \"import h5py; f=h5py.File('" + h5.string() +
                      "'); t=f['table']; print(f.attrs['file_type'], len(t['point']), "
                      "[c.decode() for c in t['columns'][:3]])\"",
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("salesim-sweep 4 ['point', 'prospecting.target_hours', 'capacity.max_hours']"),
            std::string::npos)
      << out;
}

TEST_F(Studies, SweepLatinHypercubeSizeAndReproducibility) {
  const std::string args = test::example() +
                           " --plan push-activity --design lhs --samples 5 --paths 64 --quiet "
                           "--vary prospecting.target_hours=8:20 --vary hiring_cost=1:2 -o ";
  std::string out;
  // An unknown key is named with the nearest valid one.
  EXPECT_EQ(shell(salesim("sweep " + args + (dir / "x.h5").string()), &out), 2);
  EXPECT_NE(out.find("hiring_cost"), std::string::npos) << out;
  EXPECT_NE(out.find("did you mean"), std::string::npos) << out;

  const std::string good = test::example() +
                           " --plan push-activity --design lhs --samples 5 --paths 64 --quiet "
                           "--vary prospecting.target_hours=8:20 --vary capacity.max_hours=45:60 "
                           "-o ";
  ASSERT_EQ(shell(salesim("sweep " + good + (dir / "a.h5").string()), &out), 0) << out;
  ASSERT_EQ(shell(salesim("sweep " + good + (dir / "b.h5").string()), &out), 0) << out;
  const auto a = read_csv(dir / "a.csv");
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(test::read_file((dir / "a.csv").string()), test::read_file((dir / "b.csv").string()));
  std::set<std::string> hours;
  for (const auto& r : a) {
    const double h = std::stod(r.at("prospecting.target_hours"));
    EXPECT_GE(h, 8);
    EXPECT_LE(h, 20);
    hours.insert(r.at("prospecting.target_hours"));
  }
  EXPECT_EQ(hours.size(), 5u);
}

TEST_F(Studies, SweepRejectsValuesOutsideAKeysRange) {
  std::string out;
  EXPECT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary org.alignment=0.5,1.5 --paths 64 -o " +
                          (dir / "x.h5").string()),
                  &out),
            2);
  EXPECT_NE(out.find("1.5 is outside"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
}

TEST_F(Studies, SweepRefusesAGridTooLargeBeforeBuildingIt) {
  // 100001 x 100001 points: refused by counting, not after building 10^10 points (which, in
  // 2 GB, failed to allocate: an internal error, exit 1, instead of the bad input it is).
  std::string out;
  EXPECT_EQ(shell("ulimit -v 2000000; " +
                      salesim("sweep " + test::example() +
                              " --plan push-activity --vary prospecting.target_hours=0:100:0.001 "
                              "--vary capacity.max_hours=50:60:0.0001 --paths 8 -o " +
                              (dir / "x.h5").string()),
                  &out),
            2)
      << out;
  EXPECT_NE(out.find("10000200001 points is more than 100000; use --design lhs"), std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
}

TEST_F(Studies, SweepChecksEveryPointBeforeRunningAny) {
  // The third point breaks a cross-check (max_hours below sustainable_hours): it fails at
  // once, not after the plan as written and two points at 200000 paths (minutes) have run.
  std::string out;
  EXPECT_EQ(  // timeout: running the points first took minutes
      shell("timeout 20 " + salesim("sweep " + test::example() +
                                    " --plan push-activity --vary capacity.max_hours=60,50,30 "
                                    "--paths 200000 --quiet -o " +
                                    (dir / "x.h5").string()),
            &out),
      2)
      << out;
  EXPECT_NE(out.find("sweep point 3 (capacity.max_hours=30)"), std::string::npos) << out;
  // The problem as the user's file states it: the plan's index there (push-activity is the
  // second plan; the one-plan text made for the point has it first) and no line and column
  // (they were the made text's: nexacorp.yaml:57:27, an unrelated line of the file).
  EXPECT_NE(out.find("nexacorp.yaml: plans[1] (push-activity): capacity.max_hours: 30 must be"),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
}

TEST_F(Studies, SweepValuesAreCheckedForRangeWholenessAndRepeats) {
  auto run = [&](const std::string& args, std::string* out) {
    return shell(salesim("sweep " + test::example() + " --plan push-activity --paths 8 -o " +
                         (dir / "x.h5").string() + " " + args),
                 out);
  };
  std::string out;
  // A Latin hypercube rounds a whole-number key, but its range is still checked (it was clamped
  // to 0 silently).
  EXPECT_EQ(run("--design lhs --samples 3 --vary 'hiring[0].count=-5:3'", &out), 2);
  EXPECT_NE(out.find("-5 is outside the key's range"), std::string::npos) << out;
  // 0.5 is inside [0, 100000]: what is wrong is that it is not whole.
  EXPECT_EQ(run("--vary 'hiring[0].count=0.5'", &out), 2);
  EXPECT_NE(out.find("0.5 is not a whole number; the key takes whole numbers in [0, 100000]"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("outside"), std::string::npos) << out;
  // A list naming a value twice would run the same point twice.
  EXPECT_EQ(run("--vary 'hiring[0].count=1,1,2'", &out), 2);
  EXPECT_NE(out.find("--vary hiring[0].count: 1 is given twice"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
  // A range of one value is one point, not two.
  ASSERT_EQ(run("--quiet --vary 'hiring[0].count=3:3'", &out), 0) << out;
  EXPECT_EQ(read_csv(dir / "x.csv").size(), 1u);
}

TEST_F(Studies, SweepValuesTakeTheFilesFriendlyNumbers) {
  // As goal-seek and optimize do (and the file): '10k' was "not a number" to sweep alone.
  std::string out;
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --paths 8 --quiet --vary "
                          "costs.marketing_per_week=10k:20k:5k --vary "
                          "compensation.commission_rate=5%,7% -o " +
                          (dir / "x.h5").string()),
                  &out),
            0)
      << out;
  const auto rows = read_csv(dir / "x.csv");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].at("costs.marketing_per_week"), "10000");
  EXPECT_EQ(rows[5].at("costs.marketing_per_week"), "20000");
  EXPECT_EQ(rows[1].at("compensation.commission_rate"), "0.07");
  EXPECT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --paths 8 --vary "
                          "costs.marketing_per_week=20k,10kk -o " +
                          (dir / "y.h5").string()),
                  &out),
            2);
  EXPECT_NE(out.find("--vary costs.marketing_per_week: '20k,10kk': '10kk' is not a number"),
            std::string::npos)
      << out;
}

TEST_F(Studies, SweepToATargetSeSaysThePathsGrowPerPoint) {
  // With --target-se the header said "100 paths each" while the points ran 10 (the limit).
  std::string out;
  EXPECT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --vary prospecting.target_hours=8,12 --paths 100 "
                          "--target-se 0.05 --max-paths 10 -o " +
                          (dir / "x.h5").string()),
                  &out),
            1)
      << out;
  EXPECT_NE(out.find("2 points, 10 paths each to start, more (at most 10) until the standard "
                     "error of p_goal is at most 0.05"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("100 paths each"), std::string::npos) << out;
  EXPECT_EQ(read_csv(dir / "x.csv").at(0).at("paths"), "10");
}

TEST_F(Studies, SensitivityKeysOnePathAndWholeNumbersThatCannotMove) {
  auto run = [&](const std::string& args, std::string* out) {
    return shell(salesim("sensitivity " + test::example() + " --plan push-activity " + args), out);
  };
  std::string out;
  // A key given twice was run and ranked twice; no key at all ranked nothing, with exit 0.
  EXPECT_EQ(run("--paths 8 --keys 'hiring[0].count,capacity.max_hours,hiring[0].count'", &out), 2);
  EXPECT_NE(out.find("--keys hiring[0].count: given twice"), std::string::npos) << out;
  EXPECT_EQ(run("--paths 8 --keys ''", &out), 2);
  EXPECT_NE(out.find("--keys: expected a value, found an empty one ('')"), std::string::npos)
      << out;
  EXPECT_EQ(run("--paths 8 --keys ,", &out), 2);
  EXPECT_NE(out.find("--keys: no key given"), std::string::npos) << out;
  // One path has no standard error: a swing cannot be "within 2 SE of no effect".
  const auto csv = dir / "s.csv";
  ASSERT_EQ(run("--paths 1 --metric profit --quiet --keys capacity.max_hours --csv " + csv.string(),
                &out),
            0)
      << out;
  auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["note"], "no SE from one path");
  // 5 hires at 5%: 4.75 and 5.25 round back to 5; the lever is not 0 nor at a limit.
  ASSERT_EQ(run("--paths 8 --metric profit --quiet --delta 5% --keys 'hiring[0].count' --csv " +
                    csv.string(),
                &out),
            0)
      << out;
  rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["note"], "cannot move: 5% of it rounds back to 5 (a whole number)");
  // The JSON carries the same note per lever (only the table and the CSV had it), and --keys
  // takes "a, b" as written in prose.
  const auto js = dir / "s.json";
  ASSERT_EQ(run("--paths 8 --metric profit --quiet --delta 5% --keys 'hiring[0].count, "
                "capacity.max_hours' --json " +
                    js.string(),
                &out),
            0)
      << out;
  const auto j = nlohmann::json::parse(test::read_file(js.string()));
  ASSERT_EQ(j["levers"].size(), 2u);
  for (const auto& l : j["levers"])
    if (l["key"] == "hiring[0].count") {
      EXPECT_EQ(l["note"], "cannot move: 5% of it rounds back to 5 (a whole number)");
    }
  // A side held at the key's range says so: persistence 0.9 up 60% stops just below 1, which
  // the table shows as 1; and a share down 200% stops at 0.
  ASSERT_EQ(run("--paths 8 --metric profit --quiet --delta 60% --keys market.persistence,"
                "org.alignment --json " +
                    js.string(),
                &out),
            0)
      << out;
  const auto held = nlohmann::json::parse(test::read_file(js.string()));
  for (const auto& l : held["levers"]) {
    const std::string note = l["note"];
    if (l["key"] == "market.persistence") {
      EXPECT_LT(double(l["high"]), 1.0);
      EXPECT_NE(note.find("high held at the key's top, 1 (just below it)"), std::string::npos)
          << note;
    } else {
      EXPECT_EQ(note.find("held"), std::string::npos) << note;  // 0.3 moves to 0.12 and 0.48
    }
  }
}

TEST_F(Studies, SensitivityRanksALeverWithALargeEffectAboveOneWithNone) {
  const auto js = dir / "s.json";
  const auto svg = dir / "t.svg";
  std::string out;
  // Marketing spend is a cost only: it cannot move bookings, and with common random numbers
  // its swing is exactly zero. The deal size moves every booking.
  ASSERT_EQ(shell(salesim("sensitivity " + test::example() +
                          " --plan baseline --metric final_bookings --paths 128 --keys "
                          "costs.marketing_per_week,pipeline.deal_size.mean --json " +
                          js.string() + " --svg " + svg.string()),
                  &out),
            0)
      << out;
  const json j = json::parse(test::read_file(js.string()));
  ASSERT_EQ(j["levers"].size(), 2u);
  EXPECT_EQ(j["levers"][0]["key"], "pipeline.deal_size.mean");
  EXPECT_GT(j["levers"][0]["swing"]["mean"].get<double>(),
            4 * j["levers"][0]["swing"]["se"].get<double>());
  EXPECT_TRUE(j["levers"][0]["distinguishable_from_noise"].get<bool>());
  EXPECT_EQ(j["levers"][1]["key"], "costs.marketing_per_week");
  EXPECT_EQ(j["levers"][1]["swing"]["mean"].get<double>(), 0.0);
  EXPECT_FALSE(j["levers"][1]["distinguishable_from_noise"].get<bool>());
  const double v = j["levers"][0]["value"].get<double>();
  EXPECT_DOUBLE_EQ(j["levers"][0]["low"].get<double>(), 0.8 * v);
  EXPECT_DOUBLE_EQ(j["levers"][0]["high"].get<double>(), 1.2 * v);
  const std::string chart = test::read_file(svg.string());
  EXPECT_NE(chart.find("<svg"), std::string::npos);
  EXPECT_NE(chart.find("pipeline.deal_size.mean"), std::string::npos);
  EXPECT_NE(out.find("rank"), std::string::npos) << out;

  // Profit: marketing spend now matters, and less spend is more profit.
  ASSERT_EQ(shell(salesim("sensitivity " + test::example() +
                          " --plan baseline --metric profit --paths 64 --quiet --keys "
                          "costs.marketing_per_week --json " +
                          js.string()),
                  &out),
            0)
      << out;
  const json p = json::parse(test::read_file(js.string()));
  EXPECT_LT(p["levers"][0]["swing"]["mean"].get<double>(), 0);
}

TEST_F(Studies, SensitivityWithoutKeysTakesThePlansOwnLevers) {
  const auto js = dir / "s.json";
  std::string out;
  ASSERT_EQ(
      shell(salesim("sensitivity " + test::example() +
                    " --plan push-activity --paths 64 --quiet --delta 10% --json " + js.string()),
            &out),
      0)
      << out;
  std::set<std::string> keys;
  const json j = json::parse(test::read_file(js.string()));
  for (const auto& l : j["levers"]) keys.insert(l["key"].get<std::string>());
  // push-activity sets prospecting.target_hours, prospecting.mandatory (not a number) and
  // capacity.max_hours, and adds one hiring item (its count is a lever).
  EXPECT_EQ(keys, (std::set<std::string>{"prospecting.target_hours", "capacity.max_hours",
                                         "hiring[0].count"}));
  EXPECT_EQ(shell(salesim("sensitivity " + test::example() + " --plan baseline --paths 64"), &out),
            2);
  EXPECT_NE(out.find("--keys"), std::string::npos) << out;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream f(p);
  f << text;
}

TEST_F(Studies, BatchGoesOnPastABrokenFileAndResumes) {
  const fs::path in = dir / "in", out = dir / "out";
  fs::create_directories(in / "sub");
  fs::copy_file(test::example(), in / "a.yaml");
  fs::copy_file(test::source_dir() + "/scenarios/alignment.yaml", in / "sub" / "b.yaml");
  write(in / "broken.yaml", "simulation: {horizon_weeks: -3}\nteam: nonsense\n");
  std::string log;
  ASSERT_EQ(shell(salesim("batch " + in.string() + " -o " + out.string() + " --paths 64"), &log), 1)
      << log;
  EXPECT_NE(log.find("1 of 3 files failed"), std::string::npos) << log;
  EXPECT_NE(log.find("broken.yaml"), std::string::npos) << log;
  for (const char* f : {"a/results.h5", "a/summary.json", "b/results.h5", "b/summary.json"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  auto rows = read_csv(out / "batch.csv");
  std::map<std::string, int> status;
  for (const auto& r : rows) ++status[r.at("status")];
  EXPECT_EQ(status["failed"], 1);
  EXPECT_EQ(status["ok"], 4 + 3);  // nexacorp has 4 plans, alignment 3
  // The summary a batch writes is the run summary plus its provenance.
  const json a = json::parse(test::read_file((out / "a" / "summary.json").string()));
  EXPECT_EQ(a["paths"], 64);
  EXPECT_TRUE(a.contains("batch"));

  // A re-run reuses what is up to date and runs only a changed file.
  const auto stamp = fs::last_write_time(out / "a" / "results.h5");
  std::string text = test::read_file((in / "sub" / "b.yaml").string());
  write(in / "sub" / "b.yaml", text + "\n# edited\n");
  ASSERT_EQ(shell(salesim("batch " + in.string() + " -o " + out.string() + " --paths 64"), &log),
            1);
  EXPECT_NE(log.find("a.yaml: up to date, reused"), std::string::npos) << log;
  EXPECT_NE(log.find("b.yaml: ok"), std::string::npos) << log;
  EXPECT_EQ(fs::last_write_time(out / "a" / "results.h5"), stamp);
  rows = read_csv(out / "batch.csv");
  status.clear();
  for (const auto& r : rows) ++status[r.at("status")];
  EXPECT_EQ(status["reused"], 4);
  EXPECT_EQ(status["ok"], 3);
  // Other paths make other results.
  ASSERT_EQ(shell(salesim("batch " + (in / "a.yaml").string() + " -o " + out.string() +
                          " --paths 128 --quiet")),
            0);
  EXPECT_NE(fs::last_write_time(out / "a" / "results.h5"), stamp);
}

TEST_F(Studies, InterruptedBatchLeavesNothingThatLooksCompleteAndResumes) {
  const fs::path in = dir / "in", out = dir / "out";
  fs::create_directories(in);
  fs::copy_file(test::source_dir() + "/scenarios/alignment.yaml", in / "a.yaml");
  fs::copy_file(test::example(), in / "b.yaml");
  fs::copy_file(test::example(), in / "c.yaml");
  const std::string cmd =
      salesim("batch " + in.string() + " -o " + out.string() + " --paths 1000 --quiet");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), nullptr);
    _exit(127);
  }
  // Interrupt once the first file is finished, while the second is running.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!fs::exists(out / "a" / "summary.json") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(out / "batch.csv"));
  EXPECT_FALSE(fs::exists(out / "b" / "summary.json"));
  EXPECT_FALSE(fs::exists(out / "c"));
  for (const auto& e : fs::recursive_directory_iterator(out))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
  const auto stamp = fs::last_write_time(out / "a" / "results.h5");

  // The same command again finishes the rest and reuses the finished file.
  std::string log;
  ASSERT_EQ(shell(salesim("batch " + in.string() + " -o " + out.string() + " --paths 1000"), &log),
            0)
      << log;
  EXPECT_NE(log.find("a.yaml: up to date, reused"), std::string::npos) << log;
  EXPECT_EQ(fs::last_write_time(out / "a" / "results.h5"), stamp);
  EXPECT_EQ(read_csv(out / "batch.csv").size(), 3u + 4u + 4u);
  EXPECT_EQ(json::parse(test::read_file((out / "c" / "summary.json").string()))["paths"], 1000);
}

TEST_F(Studies, PrecisionControlOnBatchAndSweepStopsAtTheTarget) {
  const fs::path out = dir / "out";
  std::string log;
  ASSERT_EQ(shell(salesim("batch " + test::example() + " -o " + out.string() +
                          " --paths 128 --target-se 0.02 --quiet"),
                  &log),
            0)
      << log;
  const json s = json::parse(test::read_file((out / "nexacorp" / "summary.json").string()));
  EXPECT_TRUE(s["precision"]["met"].get<bool>());
  EXPECT_GT(s["paths"].get<int>(), 128);
  for (const auto& p : s["plans"]) EXPECT_LE(p["goal"]["se"].get<double>(), 0.02);

  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan baseline --vary pipeline.deal_size.mean=20000,30000 "
                          "--metric final_bookings --target-se 60000 --paths 64 --quiet -o " +
                          (dir / "s.h5").string()),
                  &log),
            0)
      << log;
  for (const auto& r : read_csv(dir / "s.csv")) {
    EXPECT_EQ(r.at("precision_met"), "1");
    EXPECT_LE(std::stod(r.at("final_bookings_se")), 60000);
    EXPECT_GT(std::stoi(r.at("paths")), 64);
  }
}

// A batch whose file missed --target-se at the path limit fails (exit 1); run again, its saved
// results are reused and it fails again: a script that re-runs until exit 0 would otherwise
// take the missed precision as met.
TEST_F(Studies, ABatchThatMissedItsPrecisionFailsAgainWhenItsResultsAreReused) {
  const fs::path out = dir / "out";
  const std::string cmd = "batch " + test::example() + " -o " + out.string() +
                          " --paths 32 --target-se 0.001 --max-paths 64 --threads 2";
  for (int round = 0; round < 2; ++round) {
    std::string log;
    ASSERT_EQ(shell(salesim(cmd), &log), 1) << round << log;
    EXPECT_NE(log.find("is above --target-se 0.001 at the path limit 64"), std::string::npos)
        << log;
    EXPECT_NE(log.find("0 reused, 1 failed"), std::string::npos) << log;
    // Its rows said "ok" (then "reused") beside the error: a script keeping the rows whose
    // status is ok took the missed precision. They say failed, with the figures kept.
    for (const auto& r : read_csv(out / "batch.csv")) {
      EXPECT_EQ(r.at("status"), "failed");
      EXPECT_NE(r.at("error").find("--target-se"), std::string::npos);
      EXPECT_FALSE(r.at("p_goal").empty());
    }
  }
}

}  // namespace
}  // namespace salesim
