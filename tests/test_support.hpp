#pragma once
// Helpers shared by the tests: scenarios from text, running plans, running the CLI.
#include <gtest/gtest.h>
#include <sys/wait.h>

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
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string salesim(const std::string& args) const { return binary() + " " + args; }

 private:
  std::string prefix_;
};

}  // namespace salesim::test
