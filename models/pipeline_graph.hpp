#pragma once
// The pipeline as a graph (Boost Graph): a vertex per stage plus "won" and "lost", an edge per
// weekly transition with its probability. With no capacity limit (every open opportunity
// worked) and no burnout, it is an absorbing Markov chain whose figures come in closed form
// (Eigen): N = (I - Q)^-1, win probability N R, expected weeks to close N 1 and its variance.
#include <Eigen/Dense>
#include <string>
#include <vector>

#include "models/params.hpp"

namespace salesim {

struct ChainFigures {
  std::vector<std::string> stages;
  Eigen::MatrixXd N;  // fundamental matrix
  Eigen::VectorXd win_probability, expected_weeks, weeks_variance;
};

// Transient stages with their weekly stay/advance/lose probabilities.
struct StageTransition {
  std::string name;
  double stay = 0, advance = 0, lose = 0;
};

// Builds the graph of the pipeline and computes the chain figures. conversion[k] is the
// conversion used for stage k (for a team: at its mean skill).
ChainFigures absorbing_chain(const std::vector<StageTransition>& stages);
// The transitions of the scenario's pipeline with every opportunity worked, at skill sigma[k].
std::vector<StageTransition> worked_transitions(const PipelineParams& p,
                                                const std::vector<double>& sigma);

}  // namespace salesim
