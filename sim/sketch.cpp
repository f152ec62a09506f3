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

std::size_t QuantileSketch::Bins::slot_of(std::int32_t key) const {
  const std::size_t mask = slots_.size() - 1;
  // Fibonacci hashing: neighbouring keys (one value's neighbours) land far apart.
  std::size_t i = std::size_t((std::uint32_t(key) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  while (slots_[i].bin.count != 0 && slots_[i].key != key) i = (i + 1) & mask;
  return i;
}

void QuantileSketch::Bins::add(std::int32_t key, const Bin& b) {
  if (4 * (size_ + 1) > 3 * slots_.size()) {  // keep at most 3/4 full: grow, then re-place
    std::vector<Slot> old(std::max<std::size_t>(64, 2 * slots_.size()));
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.bin.count != 0) slots_[slot_of(s.key)] = s;
  }
  Slot& s = slots_[slot_of(key)];
  if (s.bin.count == 0) {
    s.key = key, s.bin = b, ++size_;
    return;
  }
  s.bin.count += b.count;
  s.bin.min = std::min(s.bin.min, b.min), s.bin.max = std::max(s.bin.max, b.max);
}

std::vector<std::pair<std::int32_t, QuantileSketch::Bin>> QuantileSketch::Bins::sorted() const {
  std::vector<std::pair<std::int32_t, Bin>> bins;
  bins.reserve(size_);
  for (const Slot& s : slots_)
    if (s.bin.count != 0) bins.emplace_back(s.key, s.bin);
  std::sort(bins.begin(), bins.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return bins;
}

const QuantileSketch::Bin* QuantileSketch::Bins::find(std::int32_t key) const {
  if (slots_.empty()) return nullptr;
  const Slot& s = slots_[slot_of(key)];
  return s.bin.count != 0 ? &s.bin : nullptr;
}

void QuantileSketch::add(double x) {
  if (std::isnan(x)) return;
  ++count_;
  bins_.add(key(x), Bin{1, x, x});
}

void QuantileSketch::save(ByteWriter& w) const {
  const auto bins = bins_.sorted();
  w.put(alpha_), w.put(count_), w.put(std::uint64_t(bins.size()));
  for (const auto& [k, b] : bins) w.put(k), w.put(b.count), w.put(b.min), w.put(b.max);
}

QuantileSketch QuantileSketch::load(ByteReader& r) {
  QuantileSketch s(r.get<double>());
  s.count_ = r.get<std::uint64_t>();
  const auto n = r.get<std::uint64_t>();
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto k = r.get<std::int32_t>();
    Bin b;
    b.count = r.get<std::uint64_t>(), b.min = r.get<double>(), b.max = r.get<double>();
    // A bin without samples, or a key twice, is never saved; either would add nothing wrong.
    if (b.count != 0) s.bins_.add(k, b);
  }
  return s;
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.alpha_ != alpha_)
    throw std::invalid_argument("QuantileSketch: merging sketches of different resolution");
  count_ += other.count_;
  for (const auto& [k, o] : other.bins_.sorted()) bins_.add(k, o);
}

std::uint64_t QuantileSketch::count_of_inf() const {
  const Bin* b = bins_.find(kPosInf);
  return b ? b->count : 0;
}

std::vector<std::optional<double>> QuantileSketch::quantiles(std::span<const double> probs) const {
  // Bins in value order with the cumulative count up to and including each.
  const auto bins = bins_.sorted();
  std::vector<std::uint64_t> upto(bins.size());
  std::uint64_t run = 0;
  for (std::size_t i = 0; i < bins.size(); ++i) upto[i] = run += bins[i].second.count;
  auto value_at = [&](std::uint64_t rank) {  // rank 0 .. count-1
    const auto i = std::size_t(std::upper_bound(upto.begin(), upto.end(), rank) - upto.begin());
    return representative(bins[i].first, bins[i].second);
  };

  std::vector<std::optional<double>> out;
  for (double p : probs) out.push_back(quantile_type7(count_, p, value_at));
  return out;
}

}  // namespace sim
