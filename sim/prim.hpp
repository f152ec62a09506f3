#pragma once
// PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999, "Bump hunting in
// high-dimensional data", Statistics and Computing 9:123-143), as scenario discovery uses it
// (Bryant and Lempert 2010; the EMA Workbench): the simplest box over the inputs in which the
// cases of interest (y = 1) are concentrated. Peeling removes, step by step, the thin slice
// (a share `peel` of the points in the box, from the low or the high end of one input) whose
// removal raises the share of cases most. Of that trajectory the largest box nearly as dense
// (`keep_density`) as the densest one that still holds `min_coverage` of the cases is chosen;
// pasting then widens its bounds again while that raises the share, and bounds that add little
// (the box without them keeps `keep_density` of its density) are dropped, so that the box
// reads as a sentence. Last, a bound the cases do not support is dropped: with few cases a
// bound on an input that cannot matter may still raise the density by chance, so each bound is
// tested (hypergeometric, the box's cases among the points of the box without that bound) and
// kept only at the `prune_alpha` level.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace sim {

struct PrimOptions {
  double peel = 0.05;          // share of the box's points removed per peeling step
  double min_support = 0.05;   // stop peeling when the box holds fewer than this share of points
  double min_coverage = 0.5;   // the box chosen keeps at least this share of all the cases
  double keep_density = 0.95;  // "nearly as dense": for the choice and for dropping bounds
  std::size_t max_restrictions = 3;
  double prune_alpha = 0.01;  // a bound stays when chance alone would concentrate the cases so
                              // much inside it with at most this probability
};

struct PrimBox {
  // Per input: the box's bounds (-inf / +inf where the input is not restricted); a point is in
  // the box when lo[j] <= x[j] <= hi[j] for every j.
  std::vector<double> lo, hi;
  double coverage = 0;      // share of all cases (y = 1) that fall in the box
  double density = 0;       // share of the points in the box that are cases
  double base_density = 0;  // share of all points that are cases
  std::size_t inside = 0;   // points in the box
  bool restricted(std::size_t j) const {
    return lo[j] > -std::numeric_limits<double>::infinity() ||
           hi[j] < std::numeric_limits<double>::infinity();
  }
};

// x is row-major (n points x p inputs); y[i] is 1 for a case of interest. With no case, or no
// box denser than all the points, the box is unrestricted.
PrimBox prim(const std::vector<double>& x, std::size_t p, const std::vector<std::uint8_t>& y,
             const PrimOptions& options = {});

}  // namespace sim
