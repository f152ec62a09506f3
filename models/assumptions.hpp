#pragma once
// Uncertain assumptions (docs/model.md 12.4): a scenario's `assumptions:` gives some keys a
// distribution instead of a value. Each path draws every assumption once, before week 0, at its
// own address (process `assumptions`, entity = the assumption's position in the file), so every
// plan sees the same values on the same path. A value replaces the key in the baseline and in
// every plan that does not `set` the key.
#include <cstdint>
#include <string>
#include <vector>

namespace salesim {

struct Params;
struct PlanSpec;
struct Scenario;

enum class AssumptionDist { uniform, triangular, lognormal, beta, discrete };
const char* to_string(AssumptionDist d);

struct Assumption {
  std::string key;  // dotted key path, as in a plan's `set`
  AssumptionDist dist = AssumptionDist::uniform;
  double low = 0, mode = 0, high = 0;   // uniform, triangular
  double mean = 0, cv = 0, sd = 0;      // lognormal {mean, cv}, beta {mean, sd}
  std::vector<double> values, weights;  // discrete; weights sum to 1
  bool whole = false;                   // a whole-number key: draws are rounded half up

  // The value for the uniform u in (0, 1), by inversion (a larger u never gives a smaller value,
  // but for a discrete list written out of order: its values in the order written).
  double quantile(double u) const;
  // The central value: the mean of a uniform, lognormal or beta, the mode of a triangular, the
  // heaviest value of a discrete (the first on ties).
  double central() const;
  // The smallest and largest values the draws can take (the quantiles of the extreme uniforms
  // a stream can give), which must lie in the key's range.
  double reach_low() const;
  double reach_high() const;
  // "uniform 0.08 to 0.2", "lognormal mean 30000 cv 0.15", ...
  std::string describe() const;
  // The short name of the key for sentences: its last part (training_half_life_weeks), or the
  // stage/skill and the last part when that alone is ambiguous.
  std::string short_name() const;
};

// The draws of path `path`, one per assumption in file order (the values the key takes).
void draw_assumptions(const Scenario& sc, std::uint64_t path, double* out);
// Every path's draws, row-major (paths x assumptions), for paths first_path.. first_path+paths-1.
std::vector<double> assumption_draws(const Scenario& sc, std::uint64_t first_path,
                                     std::size_t paths);

// Writes the values into a scenario's parameters: into `base` always, into `plan.params` for
// every key the plan does not `set` (the plan's own value wins from its from_week).
class AssumptionTargets {
 public:
  // Targets into `base` and `plan` (which must outlive this and not move).
  AssumptionTargets(const Scenario& sc, Params& base, PlanSpec& plan);
  void apply(const double* values) const;

 private:
  struct Target {
    void* at = nullptr;
    int kind = 0;  // 0 double, 1 whole number, 2 optional double
  };
  std::vector<Target> base_, plan_;  // plan_ entries with at == nullptr: the plan sets the key
};

// The scenario with every assumption fixed at `values` (one per assumption), and no assumptions
// left: a plain scenario that runs on the engine's ordinary path.
Scenario with_assumption_values(const Scenario& sc, const std::vector<double>& values);
// The same at the central values (salesim run --fixed-assumptions).
Scenario at_central_values(const Scenario& sc);

}  // namespace salesim
