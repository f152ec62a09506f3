#include "models/crm/shrinkage.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

namespace salesim::crm {

Shrinkage shrink(const std::vector<std::string>& owners, const std::vector<double>& observed,
                 const std::vector<double>& expected) {
  Shrinkage s;
  double sq = 0, sum_e = 0, sum_e2 = 0;
  int used = 0;
  for (std::size_t i = 0; i < owners.size(); ++i) {
    const double o = observed[i], e = expected[i];
    if (e <= 0) continue;
    ++used;
    sq += (o - e) * (o - e);
    sum_e += e;
    sum_e2 += e * e;
    s.test.chi2 += (o - e) * (o - e) / e;
  }
  s.test.df = std::max(0, used - 1);
  if (s.test.df > 0) {
    boost::math::chi_squared dist(s.test.df);
    s.test.p_value = boost::math::cdf(boost::math::complement(dist, s.test.chi2));
  }
  s.test.distinguishable = s.test.df > 0 && s.test.p_value < 0.05;
  s.test.tau2 = sum_e2 > 0 ? std::max(0.0, (sq - sum_e) / sum_e2) : 0.0;
  for (std::size_t i = 0; i < owners.size(); ++i) {
    RepEffect r;
    r.owner = owners[i];
    r.observed = observed[i], r.expected = expected[i];
    r.raw = r.expected > 0 ? r.observed / r.expected : 1;
    if (s.test.tau2 > 0 && r.expected > 0) {
      const double a = 1 / s.test.tau2;  // prior shape and rate
      r.shrunk = (a + r.observed) / (a + r.expected);
      r.se = std::sqrt(a + r.observed) / (a + r.expected);
    }
    s.reps.push_back(r);
  }
  return s;
}

}  // namespace salesim::crm
