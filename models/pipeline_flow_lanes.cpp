// Gathers by scalar loads: Zen cores run the gather instructions as many micro-ops, and the
// loads were faster there (docs/performance.md, "Plan item (2) measured").
#define SIM_LANES_GATHER_BY_LOADS
#include "models/pipeline_flow_lanes.hpp"

#include <atomic>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "models/plan_model.hpp"
#include "models/rep_week.hpp"
#include "sim/binomial_lanes.hpp"

namespace salesim {

class FlowLanes {
 public:
  explicit FlowLanes(const Derived& D) {
    for (std::size_t k = 0; k < D.exits.size(); ++k) {
      exits_.push_back(set_.table(set_.add(&D.exits[k])));
      stale_.push_back(set_.table(set_.add(&D.stale[k])));
    }
  }
  const sim::lanes::TableSet& set() const { return set_; }
  // Stage k's tables in the set: their first guide index and largest count.
  const sim::lanes::TableSet::Table& exits(int k) const { return exits_[std::size_t(k)]; }
  const sim::lanes::TableSet::Table& stale(int k) const { return stale_[std::size_t(k)]; }

 private:
  sim::lanes::TableSet set_;
  std::vector<sim::lanes::TableSet::Table> exits_, stale_;
};

namespace {

std::atomic<bool>& lanes_switch() {
  static std::atomic<bool> on{[] {
    const char* v = std::getenv("SALESIM_NO_LANES");
    return !(v && *v && std::string_view(v) != "0");
  }()};
  return on;
}

}  // namespace

std::shared_ptr<const FlowLanes> make_flow_lanes(const Derived& D) {
  if (!sim::lanes::lanes_supported() || D.exits.empty() || int(D.exits.size()) > kLaneStages)
    return nullptr;
  return std::make_shared<const FlowLanes>(D);
}

void set_flow_lanes(bool on) { lanes_switch().store(on, std::memory_order_relaxed); }
bool flow_lanes_enabled() { return lanes_switch().load(std::memory_order_relaxed); }

namespace {

// 32-bit slot s of each lane's draws, as uniforms.
__attribute__((target("avx2"), always_inline)) inline __m256d slot_uniforms(
    const std::uint64_t* const* words, int s) {
  const int half = (s & 1) * 32;
  const auto slot = [&](int i) { return int(std::uint32_t(words[i][s >> 1] >> half)); };
  return sim::lanes::open01_32(_mm_setr_epi32(slot(0), slot(1), slot(2), slot(3)));
}

// A 4x4 transpose of 64-bit elements: rows (a rep's stages) to columns (a stage's reps).
__attribute__((target("avx2"), always_inline)) inline void transpose4(__m256i r[4]) {
  const __m256i a = _mm256_unpacklo_epi64(r[0], r[1]), b = _mm256_unpackhi_epi64(r[0], r[1]);
  const __m256i c = _mm256_unpacklo_epi64(r[2], r[3]), d = _mm256_unpackhi_epi64(r[2], r[3]);
  r[0] = _mm256_permute2x128_si256(a, c, 0x20), r[1] = _mm256_permute2x128_si256(b, d, 0x20);
  r[2] = _mm256_permute2x128_si256(a, c, 0x31), r[3] = _mm256_permute2x128_si256(b, d, 0x31);
}
__attribute__((target("avx2"), always_inline)) inline void transpose4(__m256d r[4]) {
  __m256i t[4];
  for (int i = 0; i < 4; ++i) t[i] = _mm256_castpd_si256(r[i]);
  transpose4(t);
  for (int i = 0; i < 4; ++i) r[i] = _mm256_castsi256_pd(t[i]);
}

}  // namespace

__attribute__((target("avx2"))) void stage_flows4(const FlowLanes& L, const Derived& D, int K,
                                                  const RepFlows* reps, int count, Flowed* out) {
  using namespace sim::lanes;
  // Lanes past `count` hold no opportunities: every draw of theirs is 0.
  static const std::int64_t kNone[kLaneStages] = {};
  static const double kHalf[kLaneStages] = {0.5, 0.5, 0.5, 0.5, 0.5};
  static const std::uint64_t kZeros[rep_week::Draws::eager_words] = {};
  std::int64_t* n[4];
  const std::int64_t* w[4];
  const double* p[4];
  const std::uint64_t* u[4];
  std::int64_t spare[4][kLaneStages];
  for (int i = 0; i < 4; ++i) {
    const bool real = i < count;
    n[i] = real ? reps[i].n : spare[i];
    w[i] = real ? reps[i].worked : kNone;
    p[i] = real ? reps[i].p : kHalf;
    u[i] = real ? reps[i].words : kZeros;
    if (!real)
      for (int k = 0; k < K; ++k) spare[i][k] = 0;
  }
  // Each stage's counts of the four reps in a vector: for four stages by transposing the rows.
  __m256i nv[kLaneStages], wv[kLaneStages];
  __m256d pv[kLaneStages];
  if (K == 4) {
    for (int i = 0; i < 4; ++i) {
      nv[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(n[i]));
      wv[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w[i]));
      pv[i] = _mm256_loadu_pd(p[i]);
    }
    transpose4(nv), transpose4(wv), transpose4(pv);
  } else {
    for (int k = 0; k < K; ++k) {
      nv[k] = _mm256_setr_epi64x(n[0][k], n[1][k], n[2][k], n[3][k]);
      wv[k] = _mm256_setr_epi64x(w[0][k], w[1][k], w[2][k], w[3][k]);
      pv[k] = _mm256_setr_pd(p[0][k], p[1][k], p[2][k], p[3][k]);
    }
  }
  // The exits and stale losses of every stage first, as stage_flows: independent of each other.
  __m256i E[kLaneStages], S[kLaneStages];
  for (int k = 0; k < K; ++k) {
    const sim::BinomialTable* const te[4] = {&D.exits[k], &D.exits[k], &D.exits[k], &D.exits[k]};
    const sim::BinomialTable* const ts[4] = {&D.stale[k], &D.stale[k], &D.stale[k], &D.stale[k]};
    E[k] = table_draw(L.set(), te, _mm_set1_epi32(L.exits(k).row0),
                      _mm256_set1_epi64x(L.exits(k).max_n), wv[k],
                      slot_uniforms(u, rep_week::exits(k)));
    S[k] = table_draw(L.set(), ts, _mm_set1_epi32(L.stale(k).row0),
                      _mm256_set1_epi64x(L.stale(k).max_n), _mm256_sub_epi64(nv[k], wv[k]),
                      slot_uniforms(u, rep_week::stale(k)));
  }
  // n[k] - (E + S) + what advanced from stage k - 1: the scalar order of the updates gives the
  // same integers.
  __m256i lost = _mm256_setzero_si256(), in = _mm256_setzero_si256();  // in: V of stage k - 1
  for (int k = 0; k < K; ++k) {
    const __m256i V =
        binomial_small4<Ratio::divide>(E[k], pv[k], slot_uniforms(u, rep_week::advances(k)));
    nv[k] = _mm256_add_epi64(_mm256_sub_epi64(nv[k], _mm256_add_epi64(E[k], S[k])), in);
    lost = _mm256_add_epi64(lost, _mm256_add_epi64(_mm256_sub_epi64(E[k], V), S[k]));
    in = V;
  }
  if (K == 4) {
    transpose4(nv);
    for (int i = 0; i < 4; ++i) _mm256_storeu_si256(reinterpret_cast<__m256i*>(n[i]), nv[i]);
  } else {
    for (int k = 0; k < K; ++k) {
      alignas(32) std::int64_t v[4];
      _mm256_store_si256(reinterpret_cast<__m256i*>(v), nv[k]);
      for (int i = 0; i < 4; ++i) n[i][k] = v[i];
    }
  }
  alignas(32) std::int64_t l[4], won[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(l), lost);
  _mm256_store_si256(reinterpret_cast<__m256i*>(won), in);
  for (int i = 0; i < count; ++i) out[i] = Flowed{l[i], won[i]};
}

}  // namespace salesim
