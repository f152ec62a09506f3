// `salesim run -o FILE --trajectories` (DESIGN.md: full weekly trajectories on request): every
// path's weekly series in the results file, a row per path, agreeing with the per-path figures.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/h5.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

struct Trajectories : test::FolderTest {
  Trajectories() : test::FolderTest("trajectories") {}
};

TEST_F(Trajectories, EveryPathsWeeksAgreeWithItsFigures) {
  const std::string scenario = test::source_dir() + "/scenarios/saas-renewals.yaml";
  const std::string file = (dir / "t.h5").string();
  std::string out;
  ASSERT_EQ(test::shell(
                salesim("run " + scenario + " --paths 25 --quiet --trajectories -o " + file), &out),
            0)
      << out;
  const auto f = sim::h5::File::open_read(file);
  for (const std::string plan : {"status-quo", "customer-success"}) {
    const auto g = f.open_group("plans").open_group(plan);
    const auto t = g.open_group("trajectories");
    std::vector<hsize_t> dims;
    const auto cum = t.read_doubles("cum_bookings", &dims);
    ASSERT_EQ(dims, (std::vector<hsize_t>{25, 52}));
    const auto weekly = t.read_doubles("weekly_bookings");
    const auto arr = t.read_doubles("arr");
    const auto paths = g.open_group("paths");
    const auto final_bookings = paths.read_doubles("final_bookings");
    const auto final_arr = paths.read_doubles("arr_final");
    for (std::size_t i = 0; i < 25; ++i) {
      double sum = 0;
      for (std::size_t w = 0; w < 52; ++w) sum += weekly[i * 52 + w];
      EXPECT_NEAR(sum, cum[i * 52 + 51], 1e-6 * (1 + sum)) << plan << " path " << i;
      EXPECT_EQ(cum[i * 52 + 51], final_bookings[i]) << plan << " path " << i;
      EXPECT_EQ(arr[i * 52 + 51], final_arr[i]) << plan << " path " << i;
    }
    EXPECT_TRUE(t.has("mrr"));
  }
  // Without the option the file is as before: no trajectories.
  ASSERT_EQ(test::shell(salesim("run " + scenario + " --paths 5 --quiet -o " + file)), 0);
  EXPECT_FALSE(
      sim::h5::File::open_read(file).open_group("plans").open_group("hire-3").has("trajectories"));
}

TEST_F(Trajectories, NeedAResultsFile) {
  std::string out;
  EXPECT_EQ(test::shell(salesim("run " + test::example() + " --trajectories"), &out), 2);
  EXPECT_NE(out.find("give it with -o FILE"), std::string::npos) << out;
  // With --streaming they are written as the run goes (tests/test_stream_trajectories.cpp).
  EXPECT_EQ(test::shell(salesim("run " + test::example() + " --trajectories --streaming"), &out),
            2);
  EXPECT_NE(out.find("give it with -o FILE"), std::string::npos) << out;
}

}  // namespace
}  // namespace salesim
