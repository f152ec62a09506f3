#pragma once
// Rep differences, shrunk toward the team. Each rep has an observed count O (wins, losses or
// created opportunities) and the count E the team's rates would give the rep's own exposure.
// The rep's factor theta has a Gamma prior with mean 1 and variance tau^2 (estimated from all
// reps by moments: sum (O-E)^2 = sum E + tau^2 sum E^2); its posterior mean
// (1/tau^2 + O) / (1/tau^2 + E) pulls small samples toward 1. A chi-square test of
// sum (O-E)^2 / E against R-1 degrees of freedom says whether the reps differ beyond chance.
#include <string>
#include <vector>

namespace salesim::crm {

struct RepEffect {
  std::string owner;
  double observed = 0, expected = 0;
  double raw = 1;  // O / E
  double shrunk = 1, se = 0;
};

struct Heterogeneity {
  double chi2 = 0, p_value = 1, tau2 = 0;
  int df = 0;
  bool distinguishable = false;  // p < 0.05
};

struct Shrinkage {
  std::vector<RepEffect> reps;
  Heterogeneity test;
};

Shrinkage shrink(const std::vector<std::string>& owners, const std::vector<double>& observed,
                 const std::vector<double>& expected);

}  // namespace salesim::crm
