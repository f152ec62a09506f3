#include "sim/sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/bytes.hpp"
#include "sim/stats.hpp"

namespace sim {
namespace {
// Bin exponents of finite doubles stay well inside +-kOffset for relative errors >= 1e-4.
constexpr std::int32_t kOffset = 1 << 24;
constexpr std::int32_t kPosInf = std::numeric_limits<std::int32_t>::max();
constexpr std::int32_t kNegInf = std::numeric_limits<std::int32_t>::min();
}  // namespace

QuantileSketch::QuantileSketch(double relative_error) : alpha_(relative_error) {
  if (!(relative_error >= 1e-4 && relative_error < 0.5))
    throw std::invalid_argument("QuantileSketch: relative error must be in [1e-4, 0.5)");
  gamma_ = (1 + alpha_) / (1 - alpha_);
  log_gamma_ = std::log(gamma_);
}

std::int32_t QuantileSketch::key(double x) const {
  if (x == 0) return 0;
  if (std::isinf(x)) return x > 0 ? kPosInf : kNegInf;
  const auto k = std::int32_t(std::ceil(std::log(std::abs(x)) / log_gamma_)) + kOffset;
  return x > 0 ? k : -k;
}

double QuantileSketch::representative(std::int32_t key, const Bin& b) const {
  if (b.min == b.max) return b.min;  // one distinct value (also zero and the infinities)
  const double k = double(std::abs(key) - kOffset);
  // Within alpha of every magnitude in (gamma^(k-1), gamma^k].
  const double v = 2 * std::exp(k * log_gamma_) / (gamma_ + 1);
  return std::clamp(key > 0 ? v : -v, b.min, b.max);
}

void QuantileSketch::add(double x) {
  if (std::isnan(x)) return;
  ++count_;
  auto [it, fresh] = bins_.try_emplace(key(x), Bin{0, x, x});
  Bin& b = it->second;
  ++b.count;
  b.min = std::min(b.min, x), b.max = std::max(b.max, x);
}

void QuantileSketch::save(ByteWriter& w) const {
  std::vector<std::int32_t> keys;
  for (const auto& kv : bins_) keys.push_back(kv.first);
  std::sort(keys.begin(), keys.end());
  w.put(alpha_), w.put(count_), w.put(std::uint64_t(keys.size()));
  for (std::int32_t k : keys) {
    const Bin& b = bins_.at(k);
    w.put(k), w.put(b.count), w.put(b.min), w.put(b.max);
  }
}

QuantileSketch QuantileSketch::load(ByteReader& r) {
  QuantileSketch s(r.get<double>());
  s.count_ = r.get<std::uint64_t>();
  const auto n = r.get<std::uint64_t>();
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto k = r.get<std::int32_t>();
    Bin b;
    b.count = r.get<std::uint64_t>(), b.min = r.get<double>(), b.max = r.get<double>();
    s.bins_.emplace(k, b);
  }
  return s;
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.alpha_ != alpha_)
    throw std::invalid_argument("QuantileSketch: merging sketches of different resolution");
  count_ += other.count_;
  for (const auto& [k, o] : other.bins_) {
    auto [it, fresh] = bins_.try_emplace(k, o);
    if (fresh) continue;
    Bin& b = it->second;
    b.count += o.count;
    b.min = std::min(b.min, o.min), b.max = std::max(b.max, o.max);
  }
}

std::uint64_t QuantileSketch::count_of_inf() const {
  const auto it = bins_.find(kPosInf);
  return it == bins_.end() ? 0 : it->second.count;
}

std::vector<std::optional<double>> QuantileSketch::quantiles(std::span<const double> probs) const {
  // Bins in value order with the cumulative count up to and including each.
  std::vector<std::int32_t> keys;
  keys.reserve(bins_.size());
  for (const auto& kv : bins_) keys.push_back(kv.first);
  std::sort(keys.begin(), keys.end());
  std::vector<std::uint64_t> upto(keys.size());
  std::uint64_t run = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) upto[i] = run += bins_.at(keys[i]).count;
  auto value_at = [&](std::uint64_t rank) {  // rank 0 .. count-1
    const auto i = std::size_t(std::upper_bound(upto.begin(), upto.end(), rank) - upto.begin());
    return representative(keys[i], bins_.at(keys[i]));
  };

  std::vector<std::optional<double>> out;
  for (double p : probs) out.push_back(quantile_type7(count_, p, value_at));
  return out;
}

}  // namespace sim
