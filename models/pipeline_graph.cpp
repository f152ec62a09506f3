#include "models/pipeline_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>
#include <iterator>
#include <limits>
#include <stdexcept>

namespace salesim {
namespace {
struct EdgeProb {
  double p = 0;
};
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, EdgeProb>;
}  // namespace

std::vector<StageTransition> worked_transitions(const PipelineParams& p,
                                                const std::vector<double>& sigma) {
  std::vector<StageTransition> out;
  for (std::size_t k = 0; k < p.stages.size(); ++k) {
    const Stage& s = p.stages[k];
    const double conv = s.conversion.floor + sigma[k] * (s.conversion.top - s.conversion.floor);
    out.push_back({s.name, 1 - s.exit_rate, s.exit_rate * conv, s.exit_rate * (1 - conv)});
  }
  return out;
}

ChainFigures absorbing_chain(const std::vector<StageTransition>& stages) {
  const int K = int(stages.size());
  const int won = K, lost = K + 1;
  Graph g(K + 2);
  for (int k = 0; k < K; ++k) {
    const auto& s = stages[k];
    if (s.stay > 0 && s.stay < 1) boost::add_edge(k, k, EdgeProb{s.stay}, g);
    if (s.advance > 0) boost::add_edge(k, k + 1 < K ? k + 1 : won, EdgeProb{s.advance}, g);
    if (s.lose > 0) boost::add_edge(k, lost, EdgeProb{s.lose}, g);
  }
  // I - Q (Q: transient to transient) and R (transient to won/lost) from the graph's edges. The
  // diagonal of I - Q is the chance to leave the stage in a week, advance + lose, not 1 - stay:
  // with an exit rate of 1e-17, 1 - stay is 0 in doubles and the stage would look stuck.
  Eigen::MatrixXd IminusQ = Eigen::MatrixXd::Zero(K, K), R = Eigen::MatrixXd::Zero(K, 2);
  // A stage nothing leaves keeps 1 there (one week, then the chain stops; its weeks are set to
  // unbounded below) so that I - Q stays invertible.
  for (int k = 0; k < K; ++k) {
    const double leave = stages[k].advance + stages[k].lose;
    IminusQ(k, k) = leave > 0 ? leave : 1.0;
  }
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const int from = int(boost::source(*e, g)), to = int(boost::target(*e, g));
    if (to >= K)
      R(from, to - K) += g[*e].p;
    else if (to != from)
      IminusQ(from, to) -= g[*e].p;
  }
  ChainFigures f;
  for (const auto& s : stages) f.stages.push_back(s.name);
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(K, K);
  // I - Q is upper bidiagonal (a stage keeps its opportunities or passes them to the next), so
  // back-substitution inverts it exactly; a pivoting LU took a leaving chance of 1e-17 beside
  // others of 0.5 for zero and returned garbage.
  f.N = IminusQ.triangularView<Eigen::Upper>().solve(I);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(K);
  f.win_probability = f.N * R.col(0);
  f.expected_weeks = f.N * ones;
  f.weeks_variance =
      (2 * f.N - I) * f.expected_weeks - f.expected_weeks.cwiseProduct(f.expected_weeks);
  // A stage nothing leaves (stay 1: exit_rate 0) has no edge, so the chain above counts one week
  // there and stops. Its win probability (0, and its share upstream) is right; the weeks are not:
  // from every stage that reaches it with some probability, resolution may never come.
  Eigen::VectorXd stuck = Eigen::VectorXd::Zero(K);
  for (int k = 0; k < K; ++k) stuck[k] = stages[k].advance + stages[k].lose <= 0 ? 1 : 0;
  const Eigen::VectorXd reaches_stuck = f.N * stuck;
  for (int k = 0; k < K; ++k)
    if (reaches_stuck[k] > 0)
      f.expected_weeks[k] = f.weeks_variance[k] = std::numeric_limits<double>::infinity();
  return f;
}

}  // namespace salesim
