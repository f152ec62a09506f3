// A catalogue of bad scenario files (tests/bad_scenarios/*.yaml), each stating the messages it
// must produce in `# expect:` lines and optionally the exact number of problems in
// `# problems: N`. Every problem must name the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> bad_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(test::source_dir() + "/tests/bad_scenarios"))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

class BadInput : public ::testing::TestWithParam<std::string> {};

TEST_P(BadInput, ReportsTheExpectedProblems) {
  const std::string file = GetParam();
  std::vector<std::string> expects;
  int count = -1;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# expect: ", 0) == 0) expects.push_back(line.substr(10));
    if (line.rfind("# problems: ", 0) == 0) count = std::stoi(line.substr(12));
  }
  ASSERT_FALSE(expects.empty()) << file << " has no '# expect:' line";
  try {
    load_scenario_file(file);
    FAIL() << file << " was accepted";
  } catch (const ScenarioError& e) {
    std::string all;
    for (const auto& p : e.problems) all += "\n  " + p;
    for (const auto& p : e.problems)
      EXPECT_EQ(p.rfind(file, 0), 0u) << "does not name the file: " << p;
    for (const auto& x : expects)
      EXPECT_NE(std::string(e.what()).find(x), std::string::npos)
          << file << ": no problem contains \"" << x << "\"; got:" << all;
    if (count >= 0) {
      EXPECT_EQ(int(e.problems.size()), count) << all;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::ValuesIn(bad_files()),
                         [](const auto& param_info) {
                           return fs::path(param_info.param).stem().string();
                         });

TEST(BadInputFile, MissingFileSaysItCannotBeOpened) {
  try {
    load_scenario_file("/no/such/scenario.yaml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/no/such/scenario.yaml: cannot open"), std::string::npos);
  }
}

TEST(BadInputFile, EveryExampleScenarioLoads) {
  for (const auto& e : fs::directory_iterator(test::source_dir() + "/scenarios"))
    if (e.path().extension() == ".yaml") {
      EXPECT_NO_THROW(load_scenario_file(e.path().string())) << e.path();
    }
}

}  // namespace
}  // namespace salesim
