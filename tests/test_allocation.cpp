// The weekly loop does not allocate once a thread's buffers have seen a path: a counting
// global operator new watches step_week on paths after the first.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "models/week.hpp"
#include "test_support.hpp"

namespace {
thread_local bool counting = false;
thread_local std::size_t allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace salesim {
namespace {

TEST(Allocation, NoHeapAllocationInTheWeeklyLoop) {
  const Scenario sc = load_scenario_file(test::example());
  for (const PlanSpec& plan : sc.plans) {
    const PlanModel model(sc, plan);
    PathScratch scratch;
    for (std::uint64_t path = 0; path < 6; ++path) {
      init_path(model, scratch, path);
      counting = path > 0;  // path 0 warms the buffers up
      allocations = 0;
      for (int t = 0; t < model.horizon; ++t) step_week(model, scratch, t);
      counting = false;
      EXPECT_EQ(allocations, 0u) << plan.name << " path " << path;
    }
  }
}

}  // namespace
}  // namespace salesim
