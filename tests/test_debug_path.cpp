// `salesim run --debug-path N` (DESIGN.md: a path can be re-run alone): path N alone gives the
// figures path N has in a run of many paths, bit for bit, and its week-by-week table adds up.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "sim/h5.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

struct DebugPath : test::FolderTest {
  DebugPath() : test::FolderTest("debug-path") {}
};

TEST_F(DebugPath, PathNAloneIsPathNOfAnyRun) {
  const std::string scenario = test::source_dir() + "/scenarios/saas-renewals.yaml";
  const std::string d = dir.string();
  ASSERT_EQ(test::shell(
                salesim("run " + scenario + " --paths 40 --threads 2 --quiet -o " + d + "/all.h5")),
            0);
  std::string out;
  ASSERT_EQ(test::shell(salesim("run " + scenario + " --debug-path 37 --threads 1 --json " + d +
                                "/one.json -o " + d + "/one.h5"),
                        &out),
            0)
      << out;
  const auto all = sim::h5::File::open_read(d + "/all.h5");
  const auto one = sim::h5::File::open_read(d + "/one.h5");
  const auto j = nlohmann::json::parse(test::read_file(d + "/one.json"));
  EXPECT_EQ(j["paths"], 1);
  EXPECT_EQ(j["path_index"], 37);  // the JSON says which path its figures are of
  for (const std::string plan : {"status-quo", "hire-3", "customer-success"}) {
    const auto pa = all.open_group("plans").open_group(plan).open_group("paths");
    const auto po = one.open_group("plans").open_group(plan).open_group("paths");
    EXPECT_EQ(po.read_doubles("path_index")[0], 37);
    for (const char* k : {"final_bookings", "cost", "leavers", "hires", "arr_final", "won"})
      EXPECT_EQ(po.read_doubles(k)[0], pa.read_doubles(k)[37]) << plan << " " << k;
  }
  // The table: a row per week, for every plan, and the path's outcome.
  EXPECT_NE(out.find("Path 37 alone (seed 2026)"), std::string::npos) << out;
  EXPECT_NE(out.find("\ncustomer-success:\n"), std::string::npos) << out;
  const auto final_row = out.find("\n   52 ");
  ASSERT_NE(final_row, std::string::npos) << out;
  const std::regex outcome(R"(final bookings ([0-9.]+)M, cost [0-9.]+M, \d+ hires?, \d+ leavers?, )"
                           R"(final ARR [0-9.]+M; the goal (met|missed))");
  EXPECT_TRUE(std::regex_search(out, outcome)) << out;
}

// With uncertain assumptions the path's own draws are written (row 0 of /assumptions/draws was
// path 0's, labelled path N), and its one-path report of a recurring scenario is made (the ARR
// bridge's null standard errors failed it as a damaged file).
TEST_F(DebugPath, ThePathsOwnAssumptionsAndAOnePathReport) {
  const std::string d = dir.string();
  const std::string uncertain = test::source_dir() + "/scenarios/uncertain-assumptions.yaml";
  std::string out;
  ASSERT_EQ(test::shell(salesim("run " + uncertain + " --paths 10 --quiet -o " + d + "/a.h5")), 0);
  ASSERT_EQ(test::shell(salesim("run " + uncertain + " --debug-path 5 -o " + d + "/b.h5"), &out), 0)
      << out;
  // One path is too few to rank anything, and says so (not "the same on every path").
  EXPECT_NE(out.find("1 path is too few to rank"), std::string::npos) << out;
  std::vector<hsize_t> dims;
  const auto all =
      sim::h5::File::open_read(d + "/a.h5").open_group("assumptions").read_doubles("draws", &dims);
  const auto one =
      sim::h5::File::open_read(d + "/b.h5").open_group("assumptions").read_doubles("draws");
  ASSERT_EQ(dims.size(), 2u);
  const std::size_t a = dims[1];
  ASSERT_EQ(one.size(), a);
  for (std::size_t k = 0; k < a; ++k) EXPECT_EQ(one[k], all[5 * a + k]) << k;

  ASSERT_EQ(
      test::shell(salesim("run " + test::source_dir() + "/scenarios/saas-renewals.yaml " +
                          "--debug-path 3 --quiet --no-sensitivity --report " + d + "/r.html"),
                  &out),
      0)
      << out;
  EXPECT_NE(test::read_file(d + "/r.html").find("the ARR bridge over the horizon"),
            std::string::npos);
}

TEST_F(DebugPath, OptionsThatChooseOrAddPathsAreRefused) {
  const std::string scenario = test::example();
  for (const char* extra : {"--paths 10", "--target-se 0.01", "--streaming"}) {
    std::string out;
    EXPECT_EQ(test::shell(salesim("run " + scenario + " --debug-path 3 " + extra), &out), 2)
        << extra;
    EXPECT_NE(out.find("--debug-path runs path 3 alone"), std::string::npos) << out;
  }
  std::string out;
  EXPECT_EQ(test::shell(salesim("run " + scenario + " --debug-path -1"), &out), 2) << out;
}

}  // namespace
}  // namespace salesim
