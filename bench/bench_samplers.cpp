// The cost of randomness: one Philox4x64 block (four 64-bit words), a uniform, and the
// samplers the weekly step uses, at the means it sees. Items/s is draws per second.
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "sim/poisson_lanes.hpp"
#include "sim/random.hpp"
#include "sim/samplers.hpp"

namespace {

void BM_PhiloxBlock(benchmark::State& state) {
  sim::Stream s(sim::Address{1, 2, 3, 4, 5});
  std::uint64_t slot = 0, acc = 0;
  for (auto _ : state) {
    acc += s.word_at(slot);
    slot += 4;  // a new block every call
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhiloxBlock);

void BM_Uniform(benchmark::State& state) {
  sim::Stream s(sim::Address{1, 2, 3, 4, 5});
  double acc = 0;
  for (auto _ : state) acc += s.next_uniform();
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Uniform);

// A fresh stream per draw, as the engine opens one per (process, entity, week).
void BM_FreshStreamUniform(benchmark::State& state) {
  std::uint32_t week = 0;
  double acc = 0;
  for (auto _ : state) {
    sim::Stream s(sim::Address{1, 2, 3, 4, week++});
    acc += s.next_uniform();
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FreshStreamUniform);

void BM_BinomialInv(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const double p = 0.25;
  sim::Stream s(sim::Address{1, 2, 3, 4, 5});
  std::int64_t acc = 0;
  for (auto _ : state) acc += sim::binomial_inv(n, p, s.next_uniform());
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BinomialInv)->Arg(0)->Arg(4)->Arg(20)->Arg(200);

void BM_PoissonInv(benchmark::State& state) {
  const double lambda = double(state.range(0)) / 10;
  sim::Stream s(sim::Address{1, 2, 3, 4, 5});
  std::int64_t acc = 0;
  for (auto _ : state) acc += sim::poisson_inv(lambda, s.next_uniform());
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PoissonInv)->Arg(0)->Arg(5)->Arg(30)->Arg(400);

void BM_NormalInv(benchmark::State& state) {
  sim::Stream s(sim::Address{1, 2, 3, 4, 5});
  double acc = 0;
  for (auto _ : state) acc += sim::normal_inv(s.next_uniform());
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalInv);

void BM_Lognormal(benchmark::State& state) {
  const auto ln = sim::Lognormal::from_mean_cv(25000, 0.8);
  sim::Stream s(sim::Address{1, 2, 3, 4, 5});
  double acc = 0;
  for (auto _ : state) acc += ln.draw(s.next_uniform());
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Lognormal);

void BM_Beta(benchmark::State& state) {
  const sim::BetaMeanSd b{0.5, 0.15};
  sim::Stream s(sim::Address{1, 2, 3, 4, 5});
  double acc = 0;
  for (auto _ : state) acc += sim::draw_beta(b, s);
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Beta);

// ---- At the parameters the weekly step passes (nexacorp.yaml, measured), with uniforms the
// branch predictor cannot learn. Each iteration takes a fresh 32-bit uniform from an inline
// xorshift generator (cheaper than a Philox block, so the sampler dominates): a repeating table
// of uniforms lets the predictor learn where each search stops, which flattered the branchy
// walks three- to fourfold. The parameters are 4,096 draws made once, taken in random order.
struct Xorshift {
  std::uint64_t x = 88172645463325252ull;
  std::uint64_t next() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
  double uniform32() { return sim::Stream::to_open01_32(std::uint32_t(next() >> 16)); }
  // A random case, so no pattern of the parameters repeats either (the step's counts vary).
  std::size_t index(std::size_t cases) { return std::size_t(next() >> 20) % cases; }
};
constexpr std::size_t kCases = 4096;

// Conversions: n = a stage's exits this week (the measured mix over the four stages, mostly
// 1 to 6, a tail to 20), p = the rep's own conversion, anywhere from 0.3 to 0.75.
void BM_BinomialConversions(benchmark::State& state) {
  // P(n) for n = 1..12 given n > 0, stages pooled (a run of nexacorp.yaml, 200 paths).
  const double weights[] = {0.36,  0.26,  0.15,  0.08,  0.05,  0.035,
                            0.025, 0.016, 0.011, 0.007, 0.004, 0.002};
  std::vector<std::int64_t> n(kCases);
  std::vector<double> p(kCases);
  sim::Stream s(sim::Address{7, 7, 7, 7, 7});
  for (std::size_t i = 0; i < kCases; ++i) {
    double u = s.next_uniform();
    std::int64_t k = 1;
    for (double w : weights) {
      if ((u -= w) < 0) break;
      ++k;
    }
    n[i] = k > 12 ? 12 + std::int64_t(s.next_uniform() * 8) : k;
    p[i] = 0.3 + 0.45 * s.next_uniform();
  }
  Xorshift x;
  std::int64_t acc = 0;
  for (auto _ : state) {
    const std::size_t i = x.index(kCases);
    acc += sim::binomial_inv(n[i], p[i], x.uniform32());
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BinomialConversions);

// New opportunities: one Poisson per rep-week, mean from 0.5 to 9 (median about 4.5).
void BM_PoissonLeads(benchmark::State& state) {
  std::vector<double> lambda(kCases);
  sim::Stream s(sim::Address{8, 8, 8, 8, 8});
  for (auto& l : lambda) l = 0.5 + 8.5 * s.next_uniform();
  Xorshift x;
  std::int64_t acc = 0;
  for (auto _ : state) acc += sim::poisson_inv(lambda[x.index(kCases)], x.uniform32());
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PoissonLeads);

// The same draws four at a time in AVX2 lanes, as the engine's step 8 makes them
// (sim::lanes::poisson_inv4, each lane the scalar draw's value): items are draws.
void BM_PoissonLeadsLanes(benchmark::State& state) {
  if (!sim::lanes::lanes_supported()) {
    state.SkipWithError("no AVX2 on this CPU");
    return;
  }
  std::vector<double> lambda(kCases);
  sim::Stream s(sim::Address{8, 8, 8, 8, 8});
  for (auto& l : lambda) l = 0.5 + 8.5 * s.next_uniform();
  Xorshift x;
  std::int64_t acc = 0, out[4];
  for (auto _ : state) {
    double mean[4], u[4];
    for (int i = 0; i < 4; ++i) mean[i] = lambda[x.index(kCases)], u[i] = x.uniform32();
    sim::lanes::poisson_inv4(mean, u, out);
    acc += out[0] + out[1] + out[2] + out[3];
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(4 * state.iterations());
}
BENCHMARK(BM_PoissonLeadsLanes);

// Exits: the four stages' tables (exit rates 0.5, 0.35, 0.3, 0.35, counts up to 64), n = the
// opportunities worked, Poisson around the measured means 8, 4.7, 3 and 1.3 (zeros skipped).
void BM_BinomialTableExits(benchmark::State& state) {
  const std::array<sim::BinomialTable, 4> tables = {
      sim::BinomialTable(0.5, 64), sim::BinomialTable(0.35, 64), sim::BinomialTable(0.3, 64),
      sim::BinomialTable(0.35, 64)};
  const double means[] = {8.05, 4.73, 2.97, 1.32};
  std::vector<std::int64_t> n(kCases);
  sim::Stream s(sim::Address{9, 9, 9, 9, 9});
  for (std::size_t i = 0; i < kCases; ++i) {
    do n[i] = sim::poisson_inv(means[i % 4], s.next_uniform());
    while (n[i] == 0);
  }
  Xorshift x;
  std::int64_t acc = 0;
  for (auto _ : state) {
    const std::size_t i = x.index(kCases);
    acc += tables[i % 4].draw(n[i], x.uniform32());
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BinomialTableExits);

// The xorshift case index and uniform alone, to subtract from the three above.
void BM_XorshiftUniform(benchmark::State& state) {
  Xorshift x;
  double acc = 0;
  for (auto _ : state) acc += double(x.index(kCases)) + x.uniform32();
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_XorshiftUniform);

}  // namespace
