#pragma once
// `pipeline.funnel` (an extension, docs/model.md): the pipeline stated in a leader's figures
// (win rate, weeks to close) and solved into the stages' exit rates and conversion floor/top,
// so that the absorbing chain of the pipeline (pipeline_graph.hpp) at the team's starting skill
// reproduces the figures exactly. The model itself (MODEL.md) only ever sees stage parameters.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/params.hpp"

namespace salesim {

// The figures as the file states them.
struct FunnelSpec {
  double win_rate = 0;        // probability that a new first-stage opportunity is won
  double weeks_to_close = 0;  // expected weeks from a new opportunity to its win
  double skill_lift = 0.8;    // conversion at skill 1 = (1 + skill_lift) x conversion at skill 0
  std::optional<double> deal_size;  // sets pipeline.deal_size.mean
  std::vector<std::string> stages;  // stage names, when the file does not write pipeline.stages
};

// Which of a stage's keys the file states (those win over the expansion).
struct StageGiven {
  bool exit_rate = false, conversion = false;
};

// What the loader keeps for `validate --explain`: the figures and which keys were solved.
struct FunnelExpansion {
  FunnelSpec spec;
  std::vector<StageGiven> given;  // per stage
  std::vector<double> sigma;      // starting effective skill per stage, solved at
};

// The pipeline's own figures at effective skill sigma[k] per stage, from the absorbing chain
// (every opportunity worked, no burnout), computed back, never echoed from a spec.
struct ImpliedFigures {
  double win_rate = 0;                  // P(win) of a new first-stage opportunity
  double weeks_to_win = 0;              // E[weeks to close | won]
  double weeks_to_resolution = 0;       // E[weeks until won or lost]
  double bookings_per_opportunity = 0;  // win_rate x mean deal size
};

// Solves the free stage keys of `pipeline` in place (exit_rate, conversion.floor/top of the
// stages whose `given` flags are false). Returns the problems ("" keys: none), each phrased
// "expected ..., found ..." or as a plain sentence, for the loader to place at the funnel's key.
struct FunnelProblem {
  std::string key;  // "win_rate", "weeks_to_close", ...
  std::string msg;
  // A problem of one stage's stated key ("exit_rate", "conversion"), placed there, not at `key`.
  int stage = -1;
  std::string stage_key;
  FunnelProblem(std::string k, std::string m, int st = -1, std::string sk = {})
      : key(std::move(k)), msg(std::move(m)), stage(st), stage_key(std::move(sk)) {}
};
std::vector<FunnelProblem> solve_funnel(const FunnelSpec& spec,
                                        const std::vector<StageGiven>& given,
                                        const std::vector<double>& sigma, PipelineParams& pipeline);

ImpliedFigures implied_figures(const PipelineParams& pipeline, const std::vector<double>& sigma);

// For a key of the funnel's figures ("pipeline.funnel.win_rate", ...), which are solved once
// when the file is read: the stage key that can vary instead, phrased "X instead"; "" for any
// other key.
std::string funnel_key_instead(const std::string& key, const PipelineParams& pipeline);

// Effective skill of each stage at week 0 (MODEL.md 3.4.4 at the mean): ramp at the starting
// tenure times the team's mean skill for the stage's skill (0.4 for a skill without an entry).
// `skills` are the skill names in index order.
std::vector<double> starting_sigma(const Params& p, const std::vector<std::string>& skills);

// The funnel of a loaded scenario as its file states it (figures, which keys were solved), read
// again from the scenario's text; nullopt when the file has no pipeline.funnel. In
// scenario_loader.cpp, beside the expansion it repeats.
struct Scenario;
std::optional<FunnelExpansion> funnel_expansion(const Scenario& sc);

}  // namespace salesim
