// Issue 15, plan item (2): the pipeline's flows (MODEL.md 3.4.7: exits and stale losses from
// the tabulated binomials, the conversions, the counts' updates; deal sizes left out) for one
// rep-week at a time as stage_flows does them, against the same flows in AVX2 lanes
// (sim/binomial_lanes.hpp): four reps at a time (a lane per rep, a stage at a time), or one rep
// at a time with a lane per stage. Inputs are realistic: the example's baseline run by the real
// engine, each rep's state after week t giving its inputs for week t + 1 (steps 1-5 of 3.4 by
// the engine's own functions) and its real draws. Every lanes variant is checked against the
// scalar flows on every input (same counts, bit for bit) before it is timed. BM_FlowsEngine
// times the engine's own stage_flows4 (models/pipeline_flow_lanes.cpp), the variant it took.
// Items/s is rep-weeks per second; docs/performance.md "Plan item (2) measured".
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "models/burnout.hpp"
#include "models/capacity.hpp"
#include "models/pipeline_flow_lanes.hpp"
#include "models/plan_model.hpp"
#include "models/rep_week.hpp"
#include "models/training.hpp"
#include "models/week.hpp"
#include "sim/binomial_lanes.hpp"

namespace {

using namespace salesim;
constexpr int K = 4;  // the example's stages; the lanes-per-stage variant needs exactly 4

// One rep-week's inputs to the flows, as the engine holds them when step 7 starts.
struct FlowInput {
  std::int64_t n[K];       // open opportunities per stage
  std::int64_t worked[K];  // worked this week (step 5)
  double p[K];             // conversions (step 4)
  std::uint64_t words[8];  // the rep-week's two Philox blocks (rep_week::Draws)
};
static_assert(sizeof(FlowInput) == 160);
struct FlowOutput {
  std::int64_t n[K];
  std::int64_t lost, won;
};

struct Capture {
  std::vector<FlowInput> in;
  Derived* D = nullptr;
};

const Capture& capture() {
  static Capture c = [] {
    std::ifstream f(std::string(SALESIM_SOURCE_DIR) + "/scenarios/nexacorp.yaml");
    std::stringstream ss;
    ss << f.rdbuf();
    static const Scenario sc = load_scenario_text(ss.str(), "nexacorp");
    static const PlanModel model(sc, sc.plans[0]);  // baseline
    if (model.K != K) throw std::runtime_error("bench_flows_lanes: the example has 4 stages");
    Capture out;
    out.D = const_cast<Derived*>(&model.base_derived);
    PathScratch scratch;
    std::vector<double> sigma(std::size_t(model.J));
    for (std::uint64_t path = 0; path < 24; ++path) {
      init_path(model, scratch, path);
      for (int t = 0; t + 1 < model.horizon; ++t) {
        step_week(model, scratch, t);
        PathState& st = scratch.state;
        Reps& R = st.reps;
        const Params& P = model.params(st.uses_plan_params);
        const double e = effort(P, model.commission_baseline);
        for (int r : st.active_list) {  // the inputs of week t + 1, as step_rep forms them
          FlowInput x{};
          const double B = R.burnout[std::size_t(r)];
          const double rho = ramp(P, R.tenure[std::size_t(r)]);
          HoursInput h;
          h.H = P.capacity.max_hours * e * (1 - P.burnout.capacity_loss * B);
          h.F = P.capacity.admin_hours * (1 + P.capacity.control_overhead * (1 - st.a)) +
                R.training_hours[std::size_t(r)] + st.coaching[std::size_t(R.manager[r])] +
                st.extra_fixed_hours;
          h.e = e;
          h.pref_prospecting = R.prefs(r)[0];
          h.awareness = st.w;
          effective_skills(R, r, rho, sigma.data());
          const double per_stage = stage_conversion_factor(P.burnout, B, K);
          for (int k = 0; k < K; ++k) {
            const Stage& s = P.pipeline.stages[std::size_t(k)];
            x.p[k] = (s.conversion.floor +
                      sigma[std::size_t(s.skill_index)] * (s.conversion.top - s.conversion.floor)) *
                     per_stage;
            x.n[k] = R.n(r)[k];
          }
          allocate_hours(P, h, R.n(r), x.worked);
          rep_week::Draws::compute(model.address(path, Process::rep_week, r, t + 1), x.words);
          out.in.push_back(x);
        }
      }
    }
    return out;
  }();
  return c;
}

double uniform(const FlowInput& x, int slot) {
  return sim::Stream::to_open01_32(std::uint32_t(x.words[slot >> 1] >> ((slot & 1) * 32)));
}

// (a) stage_flows' draws and updates (models/pipeline_flow.cpp).
// kConversions false: the table draws and the updates only (V = 0), to split the time.
template <bool kConversions = true>
void flows_scalar(const Derived& D, const FlowInput& x, FlowOutput& o) {
  std::int64_t n[K], E[K], S[K];
  std::memcpy(n, x.n, sizeof n);
  for (int k = 0; k < K; ++k) {
    E[k] = D.exits[k].draw(x.worked[k], uniform(x, rep_week::exits(k)));
    S[k] = D.stale[k].draw(n[k] - x.worked[k], uniform(x, rep_week::stale(k)));
  }
  std::int64_t won = 0, lost = 0;
  for (int k = K - 1; k >= 0; --k) {
    const std::int64_t V = kConversions && E[k] > 0
                               ? sim::binomial_inv(E[k], x.p[k], uniform(x, rep_week::advances(k)))
                               : 0;
    n[k] -= E[k] + S[k];
    lost += E[k] - V + S[k];
    if (k + 1 < K)
      n[k + 1] += V;
    else
      won = V;
  }
  std::memcpy(o.n, n, sizeof n);
  o.lost = lost, o.won = won;
}

// The tables of every stage in one sim::lanes::TableSet.
struct LaneTables {
  sim::lanes::TableSet set;
  int exits[K], stale[K];
  explicit LaneTables(const Derived& D, const Params& P) {
    for (int k = 0; k < K; ++k) {
      exits[k] = set.add(&D.exits[k]);
      stale[k] = set.add(&D.stale[k]);
    }
  }
};

const LaneTables& lane_tables() {
  static const LaneTables t = [] {
    std::ifstream f(std::string(SALESIM_SOURCE_DIR) + "/scenarios/nexacorp.yaml");
    std::stringstream ss;
    ss << f.rdbuf();
    static const Scenario sc = load_scenario_text(ss.str(), "nexacorp");
    return LaneTables(*capture().D, sc.base);
  }();
  return t;
}

// A 4x4 transpose of 64-bit elements: rows to columns.
__attribute__((target("avx2"), always_inline)) inline void transpose4(__m256i r[4]) {
  const __m256i a = _mm256_unpacklo_epi64(r[0], r[1]), b = _mm256_unpackhi_epi64(r[0], r[1]);
  const __m256i c = _mm256_unpacklo_epi64(r[2], r[3]), d = _mm256_unpackhi_epi64(r[2], r[3]);
  r[0] = _mm256_permute2x128_si256(a, c, 0x20), r[1] = _mm256_permute2x128_si256(b, d, 0x20);
  r[2] = _mm256_permute2x128_si256(a, c, 0x31), r[3] = _mm256_permute2x128_si256(b, d, 0x31);
}

// (b) four consecutive rep-weeks (reps of one week, as the weekly loop would group them), a
// lane each, a stage at a time. Inputs are read from each rep's row (as the engine holds them)
// and transposed; the counts go back the same way.
template <sim::lanes::Ratio kRatio, bool kConversions = true>
__attribute__((target("avx2"))) void flows_reps4(const LaneTables& T, const FlowInput* x,
                                                 FlowOutput* o) {
  using namespace sim::lanes;
  const Derived& D = *capture().D;
  const __m256i max_n = _mm256_set1_epi64x(64);
  __m256i n[K], w[K], p[K];
  for (int i = 0; i < 4; ++i) {
    n[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[i].n));
    w[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[i].worked));
    p[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[i].p));
  }
  transpose4(n), transpose4(w), transpose4(p);
  // Slots 0-11 of the four reps, slot-major: u32[s] holds slot s of reps 0-3.
  __m128i u32[12];
  for (int b = 0; b < 3; ++b) {
    __m128i r[4];
    for (int i = 0; i < 4; ++i)
      r[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x[i].words + 2 * b));
    const __m128i t0 = _mm_unpacklo_epi32(r[0], r[1]), t1 = _mm_unpacklo_epi32(r[2], r[3]);
    const __m128i t2 = _mm_unpackhi_epi32(r[0], r[1]), t3 = _mm_unpackhi_epi32(r[2], r[3]);
    u32[4 * b] = _mm_unpacklo_epi64(t0, t1), u32[4 * b + 1] = _mm_unpackhi_epi64(t0, t1);
    u32[4 * b + 2] = _mm_unpacklo_epi64(t2, t3), u32[4 * b + 3] = _mm_unpackhi_epi64(t2, t3);
  }
  __m256i E[K], S[K];
  for (int k = 0; k < K; ++k) {
    const sim::BinomialTable* const ide[4] = {&D.exits[k], &D.exits[k], &D.exits[k], &D.exits[k]};
    const sim::BinomialTable* const ids[4] = {&D.stale[k], &D.stale[k], &D.stale[k], &D.stale[k]};
    E[k] = table_draw(T.set, ide, _mm_set1_epi32(T.set.table(T.exits[k]).row0), max_n, w[k],
                      open01_32(u32[rep_week::exits(k)]));
    S[k] = table_draw(T.set, ids, _mm_set1_epi32(T.set.table(T.stale[k]).row0), max_n,
                      _mm256_sub_epi64(n[k], w[k]), open01_32(u32[rep_week::stale(k)]));
  }
  __m256i lost = _mm256_setzero_si256(), won = _mm256_setzero_si256();
  for (int k = K - 1; k >= 0; --k) {
    const __m256i V = kConversions ? binomial_small4<kRatio>(E[k], _mm256_castsi256_pd(p[k]),
                                                             open01_32(u32[rep_week::advances(k)]))
                                   : _mm256_setzero_si256();
    n[k] = _mm256_sub_epi64(n[k], _mm256_add_epi64(E[k], S[k]));
    lost = _mm256_add_epi64(lost, _mm256_add_epi64(_mm256_sub_epi64(E[k], V), S[k]));
    if (k + 1 < K)
      n[k + 1] = _mm256_add_epi64(n[k + 1], V);
    else
      won = V;
  }
  transpose4(n);
  alignas(32) std::int64_t l[4], wn[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(l), lost);
  _mm256_store_si256(reinterpret_cast<__m256i*>(wn), won);
  for (int i = 0; i < 4; ++i) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o[i].n), n[i]);
    o[i].lost = l[i], o[i].won = wn[i];
  }
}

// (c) one rep-week, a lane per stage: no grouping of reps, so nothing about the hand-over.
template <sim::lanes::Ratio kRatio>
__attribute__((target("avx2"))) void flows_stages4(const LaneTables& T, const FlowInput& x,
                                                   FlowOutput& o) {
  using namespace sim::lanes;
  const auto* words = reinterpret_cast<const int*>(x.words);
  const __m256i n = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.n));
  const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.worked));
  const __m256d p = _mm256_loadu_pd(x.p);
  const __m256i max_n = _mm256_set1_epi64x(64);
  const __m128i row0e = _mm_setr_epi32(T.set.table(T.exits[0]).row0, T.set.table(T.exits[1]).row0,
                                       T.set.table(T.exits[2]).row0, T.set.table(T.exits[3]).row0);
  const __m128i row0s = _mm_setr_epi32(T.set.table(T.stale[0]).row0, T.set.table(T.stale[1]).row0,
                                       T.set.table(T.stale[2]).row0, T.set.table(T.stale[3]).row0);
  // Slots 3k (exits), 3k + 1 (advances), 3k + 2 (stale) of each stage k, by shuffles of the
  // sixteen slots.
  const __m256i s0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(words));
  const __m256i s1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(words + 8));
  const __m128i ue = _mm256_castsi256_si128(_mm256_blend_epi32(
      _mm256_permutevar8x32_epi32(s0, _mm256_setr_epi32(0, 3, 6, 0, 0, 0, 0, 0)),
      _mm256_permutevar8x32_epi32(s1, _mm256_setr_epi32(0, 0, 0, 1, 0, 0, 0, 0)), 0x08));
  const __m128i ua = _mm256_castsi256_si128(_mm256_blend_epi32(
      _mm256_permutevar8x32_epi32(s0, _mm256_setr_epi32(1, 4, 7, 0, 0, 0, 0, 0)),
      _mm256_permutevar8x32_epi32(s1, _mm256_setr_epi32(0, 0, 0, 2, 0, 0, 0, 0)), 0x08));
  const __m128i us = _mm256_castsi256_si128(_mm256_blend_epi32(
      _mm256_permutevar8x32_epi32(s0, _mm256_setr_epi32(2, 5, 0, 0, 0, 0, 0, 0)),
      _mm256_permutevar8x32_epi32(s1, _mm256_setr_epi32(0, 0, 0, 3, 0, 0, 0, 0)), 0x0C));
  const Derived& D = *capture().D;
  const sim::BinomialTable* const se[4] = {&D.exits[0], &D.exits[1], &D.exits[2], &D.exits[3]};
  const sim::BinomialTable* const ss[4] = {&D.stale[0], &D.stale[1], &D.stale[2], &D.stale[3]};
  const __m256i E = table_draw(T.set, se, row0e, max_n, w, open01_32(ue));
  const __m256i S = table_draw(T.set, ss, row0s, max_n, _mm256_sub_epi64(n, w), open01_32(us));
  const __m256i V = binomial_small4<kRatio>(E, p, open01_32(ua));
  // n[k] -= E + S; n[k + 1] += V[k]: V moved up a lane, the last stage's V is won.
  const __m256i up =
      _mm256_blend_epi32(_mm256_permute4x64_epi64(V, 0x90), _mm256_setzero_si256(), 0x03);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(o.n),
                      _mm256_add_epi64(_mm256_sub_epi64(n, _mm256_add_epi64(E, S)), up));
  const __m256i l = _mm256_add_epi64(_mm256_sub_epi64(E, V), S);
  const __m128i l2 = _mm_add_epi64(_mm256_castsi256_si128(l), _mm256_extracti128_si256(l, 1));
  o.lost = _mm_cvtsi128_si64(_mm_add_epi64(l2, _mm_unpackhi_epi64(l2, l2)));
  o.won = _mm256_extract_epi64(V, 3);
}

using Flows = void (*)(const std::vector<FlowInput>&, std::vector<FlowOutput>&);

template <bool kConversions = true>
void run_scalar(const std::vector<FlowInput>& in, std::vector<FlowOutput>& out) {
  const Derived& D = *capture().D;
  for (std::size_t i = 0; i < in.size(); ++i) flows_scalar<kConversions>(D, in[i], out[i]);
}
template <sim::lanes::Ratio kRatio, bool kConversions = true>
__attribute__((target("avx2"))) void run_reps4(const std::vector<FlowInput>& in,
                                               std::vector<FlowOutput>& out) {
  const LaneTables& T = lane_tables();
  const Derived& D = *capture().D;
  std::size_t i = 0;
  for (; i + 4 <= in.size(); i += 4) flows_reps4<kRatio, kConversions>(T, &in[i], &out[i]);
  for (; i < in.size(); ++i) flows_scalar<kConversions>(D, in[i], out[i]);
}
template <sim::lanes::Ratio kRatio>
__attribute__((target("avx2"))) void run_stages4(const std::vector<FlowInput>& in,
                                                 std::vector<FlowOutput>& out) {
  const LaneTables& T = lane_tables();
  for (std::size_t i = 0; i < in.size(); ++i) flows_stages4<kRatio>(T, in[i], out[i]);
}

// The engine's stage_flows4, four rep-weeks at a time.
void run_engine4(const std::vector<FlowInput>& in, std::vector<FlowOutput>& out) {
  const Derived& D = *capture().D;
  std::size_t i = 0;
  for (; i + 4 <= in.size(); i += 4) {
    RepFlows reps[4];
    Flowed f[4];
    for (std::size_t j = 0; j < 4; ++j) {
      std::memcpy(out[i + j].n, in[i + j].n, sizeof out[i + j].n);
      reps[j] = RepFlows{out[i + j].n, in[i + j].worked, in[i + j].p, in[i + j].words};
    }
    stage_flows4(*D.lanes, D, K, reps, 4, f);
    for (std::size_t j = 0; j < 4; ++j) out[i + j].lost = f[j].lost, out[i + j].won = f[j].won;
  }
  for (; i < in.size(); ++i) flows_scalar<true>(D, in[i], out[i]);
}

// The floor both pay: each input read and its counts written, no draws.
void run_copy(const std::vector<FlowInput>& in, std::vector<FlowOutput>& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::memcpy(out[i].n, in[i].n, sizeof out[i].n);
    out[i].lost = in[i].worked[0], out[i].won = std::int64_t(in[i].words[0] & 1);
  }
}

bool same(const FlowOutput& a, const FlowOutput& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void time_flows(benchmark::State& state, Flows f, bool lanes, Flows reference = run_scalar<true>) {
  if (f == run_copy) {
    const std::vector<FlowInput>& in = capture().in;
    std::vector<FlowOutput> got(in.size());
    for (auto _ : state) {
      f(in, got);
      benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(in.size()));
    state.counters["ns_per_rep_week"] =
        benchmark::Counter(double(in.size()), benchmark::Counter::kIsIterationInvariantRate |
                                                  benchmark::Counter::kInvert);
    return;
  }
  if (lanes && !sim::lanes::lanes_supported()) {
    state.SkipWithError("no AVX2 on this CPU");
    return;
  }
  const std::vector<FlowInput>& in = capture().in;
  std::vector<FlowOutput> want(in.size()), got(in.size());
  reference(in, want);
  f(in, got);
  for (std::size_t i = 0; i < in.size(); ++i)
    if (!same(want[i], got[i])) {
      const FlowOutput &a = want[i], &b = got[i];
      const FlowInput& X = in[i];
      for (int k = 0; k < K; ++k)
        std::fprintf(stderr, "k %d n %ld w %ld p %.17g ue %.17g ua %.17g us %.17g\n", k, X.n[k],
                     X.worked[k], X.p[k], uniform(X, 3 * k), uniform(X, 3 * k + 1),
                     uniform(X, 3 * k + 2));
      std::fprintf(stderr,
                   "input %zu: n %ld %ld %ld %ld lost %ld won %ld, lanes: n %ld %ld %ld %ld lost "
                   "%ld won %ld\n",
                   i, a.n[0], a.n[1], a.n[2], a.n[3], a.lost, a.won, b.n[0], b.n[1], b.n[2], b.n[3],
                   b.lost, b.won);
      state.SkipWithError(("differs from the scalar flows at input " + std::to_string(i)).c_str());
      return;
    }
  for (auto _ : state) {
    f(in, got);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(in.size()));
  state.counters["rep_weeks"] = double(in.size());
  state.counters["ns_per_rep_week"] =
      benchmark::Counter(double(in.size()), benchmark::Counter::kIsIterationInvariantRate |
                                                benchmark::Counter::kInvert);
}

#ifndef FLOWS_SUFFIX
// What the inputs hold: how often each kernel leaves its lanes for the scalar call.
void BM_FlowsInputs(benchmark::State& state) {
  const Capture& c = capture();
  double n = 0, worked = 0, exits = 0, conv = 0, over16 = 0, over8 = 0, over4 = 0, zero = 0,
         big = 0;
  for (const FlowInput& x : c.in)
    for (int k = 0; k < K; ++k) {
      n += double(x.n[k]), worked += double(x.worked[k]);
      big += x.n[k] > 64;
      const std::int64_t E = c.D->exits[k].draw(x.worked[k], uniform(x, rep_week::exits(k)));
      exits += double(E);
      zero += E == 0, over4 += E > 4, over8 += E > 8, over16 += E > 16;
      ++conv;
    }
  for (auto _ : state) benchmark::DoNotOptimize(n);
  state.counters["mean_n"] = n / conv, state.counters["mean_worked"] = worked / conv;
  state.counters["mean_E"] = exits / conv, state.counters["E0"] = zero / conv;
  state.counters["E_gt4"] = over4 / conv, state.counters["E_gt8"] = over8 / conv;
  state.counters["E_gt16"] = over16 / conv, state.counters["n_gt64"] = big / conv;
}
BENCHMARK(BM_FlowsInputs)->Iterations(1);
#endif

// Registered by name: bench_flows_lanes_loads.cpp builds this file again with the gathers done
// by scalar loads (sim/binomial_lanes.hpp) and its own suffix.
#ifndef FLOWS_SUFFIX
#define FLOWS_SUFFIX ""
#endif
const bool registered = [] {
  using sim::lanes::Ratio;
  auto add = [](const std::string& name, Flows f, bool lanes, Flows ref = run_scalar<true>) {
    benchmark::RegisterBenchmark((name + FLOWS_SUFFIX).c_str(), [f, lanes,
                                                                 ref](benchmark::State& s) {
      time_flows(s, f, lanes, ref);
    })->Unit(benchmark::kMicrosecond);
  };
  if (std::string(FLOWS_SUFFIX).empty()) {
    add("BM_FlowsCopyOnly", run_copy, false);
    add("BM_FlowsScalar", run_scalar<true>, false);
    add("BM_FlowsScalarTablesOnly", run_scalar<false>, false, run_scalar<false>);
    add("BM_FlowsEngine", run_engine4, true);
  }
  add("BM_FlowsLanesReps", run_reps4<Ratio::gather>, true);
  add("BM_FlowsLanesRepsDivide", run_reps4<Ratio::divide>, true);
  add("BM_FlowsLanesRepsRows", run_reps4<Ratio::rows>, true);
  add("BM_FlowsLanesRepsTablesOnly", run_reps4<Ratio::rows, false>, true, run_scalar<false>);
  add("BM_FlowsLanesStages", run_stages4<Ratio::gather>, true);
  add("BM_FlowsLanesStagesDivide", run_stages4<Ratio::divide>, true);
  add("BM_FlowsLanesStagesRows", run_stages4<Ratio::rows>, true);
  return true;
}();

}  // namespace
