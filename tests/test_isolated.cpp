// sim::run_isolated: work in a child process whose crash or hang is observed, not suffered.
#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>
#include <thread>

#include "sim/isolated.hpp"

namespace {

using namespace std::chrono_literals;
using Kind = sim::IsolatedOutcome::Kind;

TEST(Isolated, WorkThatEndsFinishesAndAnExceptionCountsAsFinishing) {
  EXPECT_TRUE(sim::run_isolated([] {}, 5s).finished());
  EXPECT_TRUE(sim::run_isolated([] { throw std::runtime_error("bad input"); }, 5s).finished());
}

TEST(Isolated, ACrashIsReportedWithItsSignalAndTheCallerGoesOn) {
  const auto o = sim::run_isolated([] { std::raise(SIGSEGV); }, 5s);
  EXPECT_EQ(o.kind, Kind::signalled);
  EXPECT_EQ(o.signal, SIGSEGV);
  EXPECT_NE(o.describe().find("signal 11"), std::string::npos) << o.describe();
  const auto a = sim::run_isolated([] { std::abort(); }, 5s);
  EXPECT_EQ(a.kind, Kind::signalled);
  EXPECT_EQ(a.signal, SIGABRT);
}

TEST(Isolated, AnAbnormalExitIsNotFinishing) {
  const auto o = sim::run_isolated([] { std::_Exit(7); }, 5s);
  EXPECT_EQ(o.kind, Kind::exited_abnormally);
  EXPECT_EQ(o.exit_code, 7);
}

TEST(Isolated, AHangIsKilledAtTheDeadline) {
  const auto start = std::chrono::steady_clock::now();
  const auto o = sim::run_isolated([] { std::this_thread::sleep_for(60s); }, 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(o.kind, Kind::timed_out);
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 30s);  // generous: a loaded machine, but never the full minute
  EXPECT_NE(o.describe().find("did not end"), std::string::npos);
}

}  // namespace
