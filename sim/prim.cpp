#include "sim/prim.hpp"

#include <algorithm>
#include <boost/math/distributions/hypergeometric.hpp>
#include <cmath>

namespace sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Data {
  const std::vector<double>& x;
  std::size_t p, n;
  const std::vector<std::uint8_t>& y;
  double at(std::size_t i, std::size_t j) const { return x[i * p + j]; }
};

struct Box {
  std::vector<double> lo, hi;
  std::size_t count = 0, cases = 0;
  double density() const { return count ? double(cases) / double(count) : 0.0; }
};

// Counts the points and cases in the box, ignoring the bounds of input `skip` (p: none).
void measure(const Data& d, Box& b, std::size_t skip) {
  b.count = b.cases = 0;
  for (std::size_t i = 0; i < d.n; ++i) {
    bool in = true;
    for (std::size_t j = 0; j < d.p && in; ++j)
      if (j != skip) in = d.at(i, j) >= b.lo[j] && d.at(i, j) <= b.hi[j];
    if (in) ++b.count, b.cases += d.y[i];
  }
}

// The candidate bounds of one peeling step on input j: the lowest (or highest) `k` values of
// the points in the box go, or, where ties make that nothing, every point at the extreme value.
void peel_candidates(const Data& d, const Box& box, std::size_t j, double share,
                     std::vector<Box>& out) {
  std::vector<double> v;
  for (std::size_t i = 0; i < d.n; ++i) {
    bool in = true;
    for (std::size_t q = 0; q < d.p && in; ++q)
      in = d.at(i, q) >= box.lo[q] && d.at(i, q) <= box.hi[q];
    if (in) v.push_back(d.at(i, j));
  }
  if (v.size() < 2) return;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size(), k = std::max<std::size_t>(1, std::size_t(share * double(m)));
  if (k >= m) return;
  // Low side: keep values >= v[k]; if v[k] is the minimum, keep values above the minimum.
  double lo = v[k];
  if (lo == v.front()) {
    auto above = std::upper_bound(v.begin(), v.end(), v.front());
    lo = above == v.end() ? kInf : *above;
  }
  if (lo < kInf) {
    Box b = box;
    b.lo[j] = lo;
    out.push_back(b);
  }
  double hi = v[m - 1 - k];
  if (hi == v.back()) {
    auto below = std::lower_bound(v.begin(), v.end(), v.back());
    hi = below == v.begin() ? -kInf : *(below - 1);
  }
  if (hi > -kInf) {
    Box b = box;
    b.hi[j] = hi;
    out.push_back(b);
  }
}

// Pasting: widens one bound to take in the nearest share of the points outside the box on that
// side only (inside every other bound), when that raises the density.
bool paste_once(const Data& d, Box& box, double share) {
  Box best = box;
  for (std::size_t j = 0; j < d.p; ++j)
    for (int side = 0; side < 2; ++side) {
      if (side == 0 ? box.lo[j] == -kInf : box.hi[j] == kInf) continue;
      std::vector<double> out;  // values of j just outside this bound
      for (std::size_t i = 0; i < d.n; ++i) {
        bool in = true;
        for (std::size_t q = 0; q < d.p && in; ++q)
          if (q != j) in = d.at(i, q) >= box.lo[q] && d.at(i, q) <= box.hi[q];
        const double v = d.at(i, j);
        if (in && (side == 0 ? v < box.lo[j] : v > box.hi[j])) out.push_back(v);
      }
      if (out.empty()) continue;
      std::sort(out.begin(), out.end());
      if (side == 1) std::reverse(out.begin(), out.end());
      const std::size_t k =
          std::min(out.size(), std::max<std::size_t>(1, std::size_t(share * double(box.count))));
      Box b = box;
      (side == 0 ? b.lo[j] : b.hi[j]) = out[k - 1];
      if (k == out.size()) (side == 0 ? b.lo[j] : b.hi[j]) = side == 0 ? -kInf : kInf;
      measure(d, b, d.p);
      if (b.density() > best.density()) best = b;
    }
  if (best.density() <= box.density()) return false;
  box = best;
  return true;
}

// P(X >= k) for X hypergeometric: n points drawn without replacement from N of which K are
// cases. The chance that a bound's slice, taken at random, leaves k or more cases in the box.
double upper_tail(std::size_t N, std::size_t K, std::size_t n, std::size_t k) {
  if (k == 0) return 1.0;
  const boost::math::hypergeometric_distribution<double> h(K, n, N);
  return boost::math::cdf(boost::math::complement(h, k - 1));
}

// Drops, one at a time, the bound least supported by the cases while its p-value is above
// alpha: the box without the bound holds N points and K cases, the box holds n and k.
void prune(const Data& d, Box& box, double alpha) {
  for (;;) {
    double worst_p = -1;
    Box worst;
    for (std::size_t j = 0; j < d.p; ++j)
      for (int side = 0; side < 2; ++side) {
        if (side == 0 ? box.lo[j] == -kInf : box.hi[j] == kInf) continue;
        Box wider = box;
        (side == 0 ? wider.lo[j] : wider.hi[j]) = side == 0 ? -kInf : kInf;
        measure(d, wider, d.p);
        const double pv = upper_tail(wider.count, wider.cases, box.count, box.cases);
        if (pv > worst_p) worst_p = pv, worst = wider;
      }
    if (worst_p <= alpha) return;
    box = worst;
  }
}

}  // namespace

PrimBox prim(const std::vector<double>& x, std::size_t p, const std::vector<std::uint8_t>& y,
             const PrimOptions& o) {
  const Data d{x, p, y.size(), y};
  Box box{std::vector<double>(p, -kInf), std::vector<double>(p, kInf)};
  measure(d, box, p);
  const std::size_t all_cases = box.cases;
  const double base = box.density();
  auto coverage = [&](const Box& b) {
    return all_cases ? double(b.cases) / double(all_cases) : 0.0;
  };

  // Peeling: the trajectory of ever smaller, denser boxes.
  std::vector<Box> trajectory{box};
  const double min_count = o.min_support * double(d.n);
  while (all_cases > 0 && box.cases < box.count) {
    std::vector<Box> cands;
    for (std::size_t j = 0; j < p; ++j) peel_candidates(d, box, j, o.peel, cands);
    bool found = false;
    Box next;
    for (Box& c : cands) {
      measure(d, c, p);
      if (double(c.count) < min_count || c.count == 0) continue;
      if (!found || c.density() > next.density() ||
          (c.density() == next.density() && c.count > next.count))
        next = c, found = true;
    }
    if (!found) break;
    box = next;
    trajectory.push_back(box);
  }

  // The largest box of the trajectory that is nearly as dense (keep_density) as the densest one
  // holding min_coverage of the cases: the last peels of a trajectory mostly chase noise.
  double densest = trajectory.front().density();
  for (const Box& b : trajectory)
    if (coverage(b) >= o.min_coverage) densest = std::max(densest, b.density());
  Box chosen = trajectory.front();
  for (const Box& b : trajectory)
    if (coverage(b) >= o.min_coverage && b.density() >= o.keep_density * densest) {
      chosen = b;
      break;
    }
  while (paste_once(d, chosen, o.peel)) {
  }
  // Simplify, one bound at a time: drop the bound whose removal costs least while the box keeps
  // most of its density; then, while more inputs are restricted than a sentence can hold, the
  // input whose removal costs least.
  auto restricted_inputs = [&](const Box& b) {
    std::size_t r = 0;
    for (std::size_t j = 0; j < p; ++j) r += b.lo[j] > -kInf || b.hi[j] < kInf;
    return r;
  };
  for (;;) {
    Box best;
    bool any = false;
    for (std::size_t j = 0; j < p; ++j)
      for (int side = 0; side < 2; ++side) {
        if (side == 0 ? chosen.lo[j] == -kInf : chosen.hi[j] == kInf) continue;
        Box b = chosen;
        (side == 0 ? b.lo[j] : b.hi[j]) = side == 0 ? -kInf : kInf;
        measure(d, b, p);
        if (!any || b.density() > best.density()) best = b, any = true;
      }
    if (!any || best.density() < o.keep_density * chosen.density()) break;
    chosen = best;
  }
  while (restricted_inputs(chosen) > o.max_restrictions) {
    Box best;
    bool any = false;
    for (std::size_t j = 0; j < p; ++j) {
      if (chosen.lo[j] == -kInf && chosen.hi[j] == kInf) continue;
      Box b = chosen;
      b.lo[j] = -kInf, b.hi[j] = kInf;
      measure(d, b, p);
      if (!any || b.density() > best.density()) best = b, any = true;
    }
    chosen = best;
  }

  prune(d, chosen, o.prune_alpha);

  PrimBox out;
  out.lo = chosen.lo, out.hi = chosen.hi;
  out.inside = chosen.count;
  out.density = chosen.density();
  out.coverage = coverage(chosen);
  out.base_density = base;
  return out;
}

}  // namespace sim
