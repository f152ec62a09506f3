// The cost of randomness: one Philox4x64 block (four 64-bit words), a uniform, and the
// samplers the weekly step uses, at the means it sees. Items/s is draws per second.
#include <benchmark/benchmark.h>

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

}  // namespace
