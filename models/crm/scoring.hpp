#pragma once
// Scores of a probabilistic forecast against what happened.
#include <span>

namespace salesim::crm {

// Continuous ranked probability score of the sample's distribution at y:
// E|X - y| - E|X - X'| / 2 (same unit as y; 0 for a point mass at y).
double crps(std::span<const double> samples, double y);
// Share of the sample below y, ties counted half (the probability integral transform; the
// mid-distribution PIT where the sample has ties, as at 0).
double pit(std::span<const double> samples, double y);

}  // namespace salesim::crm
