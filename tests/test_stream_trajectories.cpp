// `salesim run -o FILE --streaming --trajectories` (DESIGN.md: full weekly trajectories on
// request, streamed to HDF5 in chunks): the runner hands each chunk's kept series to a sink in
// chunk order with flat memory, and the streamed datasets equal the stored run's bit for bit
// (values, shape, type, attributes), for any thread count, under mpirun and through --target-se.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "sim/atomic_file.hpp"
#include "sim/h5.hpp"
#include "sim/stream_runner.hpp"
#include "test_support.hpp"
#include "tools/cli.hpp"
#include "tools/results_h5.hpp"
#include "tools/streamed_results_file.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;

// ---- The runner's sink --------------------------------------------------------------------

// Two kept series of 5 weeks whose values differ on every path.
void path_fn(std::uint64_t path, sim::Scratch&, sim::PathSlots& out) {
  const double x = std::sin(double(path) * 1.7) * 1e3 + 1.0 / double(path + 3);
  out.scalars[0] = x;
  for (std::size_t k = 0; k < 10; ++k) out.kept[k] = x * double(k + 1);
  for (std::size_t w = 0; w < 5; ++w) out.summed[w] = x / 3;
}
const sim::OutputShape kShape{5, 1, 2, 1};
std::unique_ptr<sim::Scratch> no_scratch() { return std::make_unique<sim::Scratch>(); }

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(StreamTrajectoriesRunner, SinkGetsEveryChunkInPathOrderOnTheCallingThread) {
  sim::RunOptions o;
  o.paths = 1000;  // 15 whole chunks of 64 and one of 40
  const sim::RunOutput stored = sim::run_paths(kShape, o, path_fn, no_scratch);
  for (int threads : {1, 2, 3}) {
    o.threads = threads;
    std::size_t next_row = 0;
    bool same_thread = true;
    const auto caller = std::this_thread::get_id();
    sim::stream_paths(kShape, {}, o, path_fn, no_scratch, [&](const sim::KeptChunk& c) {
      same_thread = same_thread && std::this_thread::get_id() == caller;
      ASSERT_EQ(c.first_row, next_row) << threads << " threads";
      ASSERT_EQ(c.values.size(), c.rows * 10);
      for (std::size_t i = 0; i < c.rows; ++i)
        for (std::size_t s = 0; s < 2; ++s)
          for (std::size_t w = 0; w < 5; ++w)
            ASSERT_TRUE(
                same_bits(c.values[i * 10 + s * 5 + w], stored.kept_week(s, w)[c.first_row + i]))
                << "path " << c.first_row + i << ", " << threads << " threads";
      next_row += c.rows;
    });
    EXPECT_EQ(next_row, 1000u) << threads << " threads";
    EXPECT_TRUE(same_thread) << "the sink must run on the thread that called stream_paths";
  }
}

TEST(StreamTrajectoriesRunner, WorkingMemoryDoesNotGrowWithPaths) {
  sim::RunOptions o;
  o.threads = 2;
  std::size_t rows = 0;
  const sim::KeptSink count = [&](const sim::KeptChunk& c) { rows += c.rows; };
  o.paths = 1000;
  const std::size_t small =
      sim::stream_paths(kShape, {}, o, path_fn, no_scratch, count).working_bytes;
  o.paths = 20000;
  const std::size_t large =
      sim::stream_paths(kShape, {}, o, path_fn, no_scratch, count).working_bytes;
  EXPECT_EQ(small, large);
  EXPECT_EQ(rows, 21000u);
  // The buffer is the block's chunks of kept series, no more.
  EXPECT_GT(small, sim::stream_paths(kShape, {}, o, path_fn, no_scratch).working_bytes);
}

// ---- Files --------------------------------------------------------------------------------

struct Series {
  std::vector<double> values;
  std::vector<hsize_t> dims;
  bool float64 = false;  // stored as IEEE float64, little-endian
};

bool is_float64(const sim::h5::File& f, const std::string& name) {
  const hid_t d = H5Dopen2(f.id(), name.c_str(), H5P_DEFAULT);
  const hid_t t = H5Dget_type(d);
  const bool yes = H5Tequal(t, H5T_IEEE_F64LE) > 0;
  H5Tclose(t);
  H5Dclose(d);
  return yes;
}

// Every /plans/<plan>/trajectories/<series> of a results file, by "plan/series"; also its group
// attributes, as "plan/@rows" and "plan/@columns" (a value of one number: the string's size).
std::map<std::string, Series> trajectories_of(const std::string& file,
                                              std::map<std::string, std::string>* attrs = nullptr) {
  std::map<std::string, Series> out;
  const auto f = sim::h5::File::open_read(file);
  for (const std::string& plan : f.read_strings("plan_order")) {
    const auto t = f.open_group("plans").open_group(plan).open_group("trajectories");
    for (const std::string name : {"cum_bookings", "weekly_bookings", "arr", "mrr"}) {
      if (!t.has(name)) continue;
      Series s;
      s.values = t.read_doubles(name, &s.dims);
      s.float64 = is_float64(f, "/plans/" + plan + "/trajectories/" + name);
      out[plan + "/" + name] = std::move(s);
    }
    if (attrs)
      for (const std::string a : {"rows", "columns"}) (*attrs)[plan + "/@" + a] = t.attr_string(a);
  }
  return out;
}

void expect_same_trajectories(const std::string& stored, const std::string& streamed,
                              const std::string& what) {
  std::map<std::string, std::string> stored_attrs, streamed_attrs;
  const auto a = trajectories_of(stored, &stored_attrs);
  const auto b = trajectories_of(streamed, &streamed_attrs);
  EXPECT_EQ(stored_attrs, streamed_attrs) << what;
  ASSERT_EQ(a.size(), b.size()) << what;
  ASSERT_FALSE(a.empty()) << what;
  for (const auto& [name, s] : a) {
    const Series& t = b.at(name);
    EXPECT_EQ(s.dims, t.dims) << what << " " << name;
    EXPECT_TRUE(s.float64 && t.float64) << what << " " << name;
    ASSERT_EQ(s.values.size(), t.values.size()) << what << " " << name;
    EXPECT_EQ(std::memcmp(s.values.data(), t.values.data(), s.values.size() * sizeof(double)), 0)
        << what << " " << name << ": not the same bits";
  }
}

// The last week of each plan's cum_bookings (and arr) is the stored run's per-path final figure.
void expect_last_week_is_final(const std::string& stored, const std::string& streamed) {
  const auto f = sim::h5::File::open_read(stored);
  const auto t = trajectories_of(streamed);
  for (const std::string& plan : f.read_strings("plan_order")) {
    const auto paths = f.open_group("plans").open_group(plan).open_group("paths");
    std::vector<std::pair<std::string, std::string>> pairs = {{"cum_bookings", "final_bookings"}};
    if (paths.has("arr_final")) pairs.emplace_back("arr", "arr_final");
    for (const auto& [series, final_name] : pairs) {
      const Series& s = t.at(plan + "/" + series);
      const auto final_values = paths.read_doubles(final_name);
      ASSERT_EQ(s.dims.size(), 2u);
      ASSERT_EQ(s.dims[0], final_values.size());
      const std::size_t W = s.dims[1];
      for (std::size_t i = 0; i < final_values.size(); ++i)
        ASSERT_TRUE(same_bits(s.values[i * W + W - 1], final_values[i]))
            << plan << " " << series << " path " << i;
    }
  }
}

void expect_whole(const std::string& file) {
  EXPECT_EQ(tools::results_file_damage(file).value_or("no user block"), "") << file;
  EXPECT_EQ(tools::results_damage(sim::h5::File::open_read(file), true), "") << file;
}

// No temporaries left beside the outputs.
void expect_no_temporaries(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

struct StreamTrajectories : test::FolderTest {
  StreamTrajectories() : test::FolderTest("stream-trajectories") {}
  std::string file(const std::string& name) const { return (dir / name).string(); }
  int run(const std::string& args, std::string* out = nullptr) const {
    return test::shell(salesim("run " + args + " --quiet"), out);
  }
};

TEST_F(StreamTrajectories, EqualTheStoredRunsBitForBitAtAnyThreadCount) {
  const std::string scenario = test::example() + " --paths 150 --seed 11";  // 2 chunks + 22
  std::string out;
  ASSERT_EQ(run(scenario + " --threads 2 --trajectories -o " + file("stored.h5"), &out), 0) << out;
  for (const std::string threads : {"1", "2"}) {
    const std::string streamed = file("streamed-" + threads + ".h5");
    ASSERT_EQ(run(scenario + " --threads " + threads + " --streaming --trajectories -o " + streamed,
                  &out),
              0)
        << out;
    expect_same_trajectories(file("stored.h5"), streamed, threads + " threads");
    expect_last_week_is_final(file("stored.h5"), streamed);
    expect_whole(streamed);
    const auto f = sim::h5::File::open_read(streamed);
    EXPECT_EQ(f.attr_int("per_path"), 0);
    EXPECT_FALSE(f.open_group("plans").open_group("baseline").has("paths"));
  }
  expect_no_temporaries(dir);
}

TEST_F(StreamTrajectories, RecurringRevenueSeriesEqualTheStoredRuns) {
  // The streamed file written as run writes it, from the library (at two thread counts).
  const Scenario sc = load_scenario_file(test::source_dir() + "/scenarios/saas-renewals.yaml");
  RunSettings s;
  s.paths = 150;
  s.threads = 2;
  const ScenarioResults stored = run_scenario(sc, s);
  tools::write_results_h5(file("stored.h5"), sc, stored, sc.base.simulation.seed, "{}", true);
  for (int threads : {1, 2}) {
    const std::string streamed = file("streamed-" + std::to_string(threads) + ".h5");
    std::vector<std::string> plans;
    for (const auto& p : sc.plans) plans.push_back(p.name);
    tools::StreamedResultsFile h5(streamed, sc, plans);
    RunSettings st = s;
    st.threads = threads;
    st.streaming = true;
    st.series_sink = [&](const SeriesChunk& c) { h5.write(c); };
    const ScenarioResults res = run_scenario(sc, st);
    h5.finish(res, sc.base.simulation.seed, "{}");
    expect_same_trajectories(file("stored.h5"), streamed, std::to_string(threads) + " threads");
    expect_last_week_is_final(file("stored.h5"), streamed);
    expect_whole(streamed);
    EXPECT_TRUE(trajectories_of(streamed).count("status-quo/mrr"));
    // The comparisons carry final ARR's paired difference, as a stored run's do.
    const auto cmp = sim::h5::File::open_read(streamed).open_group("comparisons");
    const Comparison& c = res.comparisons.at(0);
    EXPECT_EQ(cmp.open_group(c.plan + "_vs_" + c.baseline).attr_double("final_arr_diff_mean"),
              c.arr_final_diff->mean);
  }
  expect_no_temporaries(dir);
}

TEST_F(StreamTrajectories, UnfinishedFileLeavesNothing) {
  const Scenario sc = load_scenario_file(test::example());
  {
    tools::StreamedResultsFile h5(file("r.h5"), sc, {"baseline"});
    EXPECT_TRUE(fs::exists(sim::temporary_name(file("r.h5"))));
  }  // as after an error or an unmet --target-se
  EXPECT_FALSE(fs::exists(file("r.h5")));
  expect_no_temporaries(dir);
}

TEST_F(StreamTrajectories, TargetSeRoundsEndWithTheFinalPaths) {
  // Each round runs again from path 0 with more paths; the datasets end with the last round's.
  std::string out;
  ASSERT_EQ(run(test::example() +
                    " --paths 100 --target-se 0.02 --max-paths 700 --streaming --trajectories -o " +
                    file("se.h5"),
                &out),
            0)
      << out;
  const auto paths = sim::h5::File::open_read(file("se.h5")).attr_int("paths");
  EXPECT_GT(paths, 100);
  ASSERT_EQ(run(test::example() + " --paths " + std::to_string(paths) + " --trajectories -o " +
                    file("stored.h5"),
                &out),
            0)
      << out;
  expect_same_trajectories(file("stored.h5"), file("se.h5"), "--target-se");
  expect_whole(file("se.h5"));
}

TEST_F(StreamTrajectories, PythonReaderReadsTheStreamedFile) {
  std::string out;
  const std::string args = test::example() + " --paths 70 --plans baseline,push-activity";
  ASSERT_EQ(run(args + " --trajectories -o " + file("stored.h5"), &out), 0) << out;
  ASSERT_EQ(run(args + " --streaming --trajectories -o " + file("streamed.h5"), &out), 0) << out;
  const std::string script = file("read.py");
  std::ofstream(script) << R"(import sys
import numpy as np
import salesim_results as sr
stored, streamed = sr.load(sys.argv[1]), sr.load(sys.argv[2])
assert not streamed.per_path
for plan in streamed.plans:
    for series in ("cum_bookings", "weekly_bookings"):
        a, b = stored.trajectories(plan, series), streamed.trajectories(plan, series)
        assert b.shape == (70, 52), b.shape
        assert b.index.name == "path_index" and list(b.index) == list(range(70))
        assert list(b.columns) == list(range(1, 53))
        assert np.array_equal(a.to_numpy(), b.to_numpy()), (plan, series)
        assert list(a.index) == list(b.index)
print("reader ok")
)";
  ASSERT_EQ(test::shell("PYTHONPATH=" + test::source_dir() + "/notebooks " + SALESIM_PYTHON + " " +
                            script + " " + file("stored.h5") + " " + file("streamed.h5"),
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("reader ok"), std::string::npos) << out;
}

TEST_F(StreamTrajectories, UnderMpirunEqualOneProcess) {
  if (test::shell("command -v mpirun") != 0) GTEST_SKIP() << "no mpirun";
  std::string out;
  const std::string args = test::example() + " --paths 200 --threads 1";
  ASSERT_EQ(run(args + " --trajectories -o " + file("stored.h5"), &out), 0) << out;
  const std::string env =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader "
      "OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1 ";
  ASSERT_EQ(test::shell(env + "mpirun --allow-run-as-root --oversubscribe -np 2 " +
                            salesim("run " + args + " --quiet --streaming --trajectories -o " +
                                    file("mpi.h5")),
                        &out),
            0)
      << out;
  if (sim::h5::File::open_read(file("mpi.h5")).attr_int("ranks") != 2)
    GTEST_SKIP() << "salesim built without MPI";
  expect_same_trajectories(file("stored.h5"), file("mpi.h5"), "mpirun -np 2");
  expect_whole(file("mpi.h5"));
  expect_no_temporaries(dir);
}

TEST_F(StreamTrajectories, RefusedUpFrontWithTheReason) {
  std::string out;
  EXPECT_EQ(run(test::example() + " --streaming --trajectories", &out), 2);
  EXPECT_NE(out.find("give it with -o FILE"), std::string::npos) << out;
  // Not a file that can be renamed into place.
  EXPECT_EQ(run(test::example() + " --paths 10 --streaming --trajectories -o /dev/null", &out), 2);
  EXPECT_NE(out.find("must name a file"), std::string::npos) << out;
  // Far more than the disk holds: refused before anything runs, naming the trajectories.
  EXPECT_EQ(
      run(test::example() + " --paths 1000000000 --streaming --trajectories -o " + file("big.h5"),
          &out),
      2);
  EXPECT_NE(out.find("the results file would take about"), std::string::npos) << out;
  EXPECT_NE(out.find("x 8 bytes x 2 series x 4 plans"), std::string::npos) << out;
  EXPECT_NE(out.find("leave out --trajectories"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(file("r.h5")));
  EXPECT_FALSE(fs::exists(file("big.h5")));
  expect_no_temporaries(dir);
}

TEST(StreamTrajectoriesDisk, EstimateCountsPathsWeeksSeriesAndPlans) {
  const Scenario sc = load_scenario_file(test::example());
  const std::size_t P = 20000, N = 4, W = std::size_t(sc.horizon());
  for (bool per_path : {false, true})
    EXPECT_DOUBLE_EQ(tools::results_file_bytes(sc, P, N, per_path, true) -
                         tools::results_file_bytes(sc, P, N, per_path, false),
                     double(P * W * 8 * 2 * N));
  const Scenario arr = load_scenario_file(test::source_dir() + "/scenarios/saas-renewals.yaml");
  EXPECT_DOUBLE_EQ(tools::results_file_bytes(arr, P, 1, true, true) -
                       tools::results_file_bytes(arr, P, 1, true, false),
                   double(P * std::size_t(arr.horizon()) * 8 * 4));
  EXPECT_THROW(tools::check_results_disk("x.h5", sc, 1000000000, N, false, true), tools::BadInput);
  EXPECT_NO_THROW(tools::check_results_disk("x.h5", sc, 100, N, false, true));
}

}  // namespace
}  // namespace salesim
