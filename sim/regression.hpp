#pragma once
// Standardised regression coefficients (SRC): how much an output moves, in its standard
// deviations, per standard deviation of each input, from a least-squares fit of the output on
// all inputs together, with heteroskedasticity-robust (HC1, White 1980) standard errors. The
// usual first ranking of a Monte Carlo model's inputs (Saltelli et al. 2008, "Global
// Sensitivity Analysis: The Primer", section 1.2.5); r2 says how much of the output's variance
// the linear fit explains, and so how far the ranking can be trusted.
#include <cstddef>
#include <vector>

namespace sim {

struct StandardisedFit {
  std::vector<double> coef, se;  // per input; 0 and 0 for an input that does not vary
  double r2 = 0;
  bool defined = false;  // false when the output does not vary or there are too few samples
};

// x is row-major (n samples x p inputs), y has n samples.
StandardisedFit standardised_regression(const std::vector<double>& x, std::size_t p,
                                        const std::vector<double>& y);

}  // namespace sim
