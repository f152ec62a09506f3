#pragma once
// Helpers shared by the tests: scenarios from text, running plans, running the CLI.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "models/outputs.hpp"
#include "models/scenario.hpp"
#include "models/simulate.hpp"

namespace salesim::test {

inline Scenario scenario(const std::string& yaml) { return load_scenario_text(yaml, "test.yaml"); }

// A small scenario with every list at the top level and in a later plan.
// A small, fast team of one stage and one skill, for tests of the outputs: a file's `team:` and
// `pipeline:` blocks (its other blocks and its plans go around it).
inline const char* kSmallTeam = R"(team:
  reps: 6
  managers: 1
  skills: {a: {mean: 0.5, sd: 0.1}}
pipeline:
  deal_size: {mean: 20000, cv: 0.5}
  stages:
    - {name: qualify, skill: a, hours: 1, exit_rate: 0.5, conversion: {floor: 0.3, top: 0.6}, stale_loss: 0.05, initial_per_rep: 4}
)";

inline const char* kLists = R"(salesim: 2
name: lists
simulation: {horizon_weeks: 20, paths: 64, seed: 7}
goal: {revenue: 1000000}
team:
  reps: 6
  managers: 1
  skills: {a: {mean: 0.5, sd: 0.1}, b: {mean: 0.4, sd: 0.1}}
pipeline:
  deal_size: {mean: 20000, cv: 0.5}
  stages:
    - {name: qualify, skill: a, hours: 1, exit_rate: 0.5, conversion: {floor: 0.3, top: 0.6}, stale_loss: 0.05, initial_per_rep: 4}
    - {name: close, skill: b, hours: 2, exit_rate: 0.4, conversion: {floor: 0.4, top: 0.7}, stale_loss: 0.03, initial_per_rep: 2}
hiring: [{week: 3, count: 2}]
training:
  - {name: base-course, start_week: 2, weeks: 2, hours_per_week: 2, efficacy: 0.2, cost_per_person: 500}
programs:
  - {kind: alignment, start_week: 2, alignment: 0.6, hours_per_rep: 2, cost: 1000}
plans:
  - name: baseline
  - name: more
    hiring: [{week: 4, count: 3}, {week: 8, count: 1}]
    training:
      - {name: deep, start_week: 5, weeks: 3, hours_per_week: 3, efficacy: 0.4, cost_per_person: 900}
    programs:
      - {kind: coach_the_coaches, start_week: 3, manager_coaching_skill: 0.7, cost: 5000}
      - {kind: profiling, start_week: 4, awareness: 0.5, cost_per_person: 100}
      - {kind: coaching_policy, start_week: 6, hours_per_rep: 1.5}
)";

inline sim::RunOutput run(const Scenario& sc, std::size_t plan, std::size_t paths,
                          int threads = 0) {
  RunSettings s;
  s.paths = paths;
  s.threads = threads;
  return run_plan(sc, sc.plans.at(plan), s);
}

// Runs a shell command, returns its exit code and fills `output` with what it printed.
inline int shell(const std::string& cmd, std::string* output = nullptr) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) text.append(buf, n);
  const int status = pclose(p);
  if (output) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The source folder and the salesim binary (tests/support_paths.cpp: the one file compiled with
// the build's paths, so every other test file compiles the same in any checkout).
std::string source_dir();
std::string binary();
inline std::string example() { return source_dir() + "/scenarios/nexacorp.yaml"; }
inline std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A test with an empty folder of its own, dir = TMP/salesim-PREFIX-TESTNAME (removed after the
// test), and the command line of the salesim binary.
struct FolderTest : ::testing::Test {
  explicit FolderTest(std::string prefix) : prefix_(std::move(prefix)) {}
  std::filesystem::path dir;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("salesim-" + prefix_ + "-" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
           std::to_string(::getpid()));  // two checkouts testing at once do not collide
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string salesim(const std::string& args) const { return binary() + " " + args; }

 private:
  std::string prefix_;
};

}  // namespace salesim::test
