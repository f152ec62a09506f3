#include "models/crm/assignment.hpp"

#include <cmath>
#include <vector>

namespace salesim::crm {

std::optional<Assignment> fit_assignment(const History& h) {
  Assignment a;
  a.unassigned = h.unassigned.size();
  a.assigned = h.deals.size();
  if (a.unassigned == 0 || a.assigned == 0) return std::nullopt;
  std::vector<double> assigned_ages;
  double unassigned_days = 0;
  for (const KnownDeal& d : h.deals) assigned_ages.push_back(double(h.as_of - d.created + 1));
  for (const KnownDeal& d : h.unassigned) unassigned_days += double(h.as_of - d.created + 1);
  // The score sum A exp(-rA) / (1 - exp(-rA)) - unassigned days falls with r: bisect on log r.
  auto score = [&](double r) {
    double s = -unassigned_days;
    for (double A : assigned_ages) s += A / std::expm1(r * A);
    return s;
  };
  double lo = 1e-9, hi = 10;
  for (int i = 0; i < 200; ++i) {
    const double mid = std::sqrt(lo * hi);
    (score(mid) > 0 ? lo : hi) = mid;
  }
  a.per_day = std::sqrt(lo * hi);
  return a;
}

}  // namespace salesim::crm
