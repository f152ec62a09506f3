#pragma once
// Experimental designs for parameter sweeps: the points at which a model is run. A factor is a
// named input with either a list of levels or a continuous range. A full grid takes every
// combination of levels; a Latin hypercube takes n points so that each factor's range, cut in
// n equal strata, has exactly one point in each stratum.
#include <cstdint>
#include <string>
#include <vector>

namespace sim {

struct Factor {
  std::string name;
  std::vector<double> levels;  // for a grid; for a Latin hypercube, its min and max span the range
};

// Parses "10,15,20" (a list) or "10:20:5" (from 10 to 20 in steps of 5, both ends included
// when the step lands on the end) or "10:20" (for a Latin hypercube: the range). Throws
// std::invalid_argument with a message that quotes the text.
std::vector<double> parse_levels(const std::string& text);

// Every combination of levels, the last factor varying fastest. [point][factor]
std::vector<std::vector<double>> grid_design(const std::vector<Factor>& factors);

// n points of a Latin hypercube over each factor's [min level, max level]; reproducible from
// the seed. [point][factor]
std::vector<std::vector<double>> latin_hypercube(const std::vector<Factor>& factors, std::size_t n,
                                                 std::uint64_t seed);

}  // namespace sim
