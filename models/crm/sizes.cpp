#include "models/crm/sizes.hpp"

#include <cmath>

namespace salesim::crm {
namespace {

struct Moments {
  std::size_t n = 0;
  double sum = 0, sum2 = 0;
  void add(double x) { ++n, sum += x, sum2 += x * x; }
  double mean() const { return n ? sum / double(n) : 0; }
  double sd() const {
    if (n < 2) return 0;
    return std::sqrt(std::max(0.0, (sum2 - sum * sum / double(n)) / double(n - 1)));
  }
};

}  // namespace

const SizeEstimate& DealSizes::of(const std::string& product) const {
  for (const auto& p : products)
    if (p.product == product) return p;
  return overall;
}

std::optional<DealSizes> fit_sizes(const History& h, const std::map<std::string, double>& prices,
                                   Day mix_from, std::size_t min_wins) {
  DealSizes s;
  Moments all, ratio;
  std::map<std::string, Moments> by;
  std::map<std::string, double> created;
  double created_total = 0;
  for (const KnownDeal& d : h.deals) {
    const std::string& product = d.source->product;
    if (d.created >= mix_from) created[product] += 1, created_total += 1;
    if (d.outcome != Outcome::won) continue;
    if (!d.amount) {
      ++s.won_without_amount;
      continue;
    }
    all.add(*d.amount);
    by[product].add(*d.amount);
    auto it = prices.find(product);
    if (it != prices.end() && it->second > 0) ratio.add(*d.amount / it->second);
  }
  if (ratio.n >= 2) s.ratio_to_list = ratio.mean(), s.ratio_cv = ratio.sd() / ratio.mean();
  if (all.n == 0 && prices.empty()) return std::nullopt;

  s.overall.product = "";
  s.overall.source = "wins";
  s.overall.wins = all.n;
  if (all.n > 0) {
    s.overall.mean = all.mean();
    s.overall.cv = all.n > 1 ? all.sd() / all.mean() : 0;
    s.overall.mean_se = all.sd() / std::sqrt(double(all.n));
  } else {  // no won amount: the list prices, weighted by the product mix
    double w = 0, m = 0, m2 = 0;
    for (const auto& [p, price] : prices) {
      const double share = created_total > 0 ? created[p] / created_total : 1.0;
      w += share, m += share * price, m2 += share * price * price;
    }
    s.overall.mean = m / w;
    s.overall.cv =
        std::sqrt(std::max(0.0, m2 / w - s.overall.mean * s.overall.mean)) / s.overall.mean;
    s.overall.source = "list price";
  }
  s.overall.mix = 1;

  std::map<std::string, bool> names;
  for (const auto& [p, m] : by) names[p] = true;
  for (const auto& [p, n] : created) names[p] = true;
  for (const auto& [p, price] : prices) names[p] = true;
  for (const auto& [p, unused] : names) {
    if (p.empty()) continue;
    SizeEstimate e;
    e.product = p;
    e.mix = created_total > 0 ? created[p] / created_total : 0;
    auto price = prices.find(p);
    if (price != prices.end()) e.list_price = price->second;
    const Moments& m = by[p];
    e.wins = m.n;
    if (m.n >= min_wins) {
      e.mean = m.mean(), e.cv = m.sd() / m.mean(), e.mean_se = m.sd() / std::sqrt(double(m.n));
      e.source = "wins";
    } else if (e.list_price) {
      e.mean = *e.list_price * s.ratio_to_list.value_or(1.0);
      e.cv = s.ratio_cv.value_or(0.1);
      e.source = "list price";
    } else {
      e.mean = s.overall.mean, e.cv = s.overall.cv, e.mean_se = s.overall.mean_se;
      e.source = "all products";
    }
    s.products.push_back(e);
  }
  return s;
}

}  // namespace salesim::crm
