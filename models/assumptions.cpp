#include "models/assumptions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <stdexcept>

#include "models/keys.hpp"
#include "models/plan_model.hpp"
#include "models/scenario.hpp"
#include "sim/random.hpp"
#include "sim/samplers.hpp"

namespace salesim {

const char* to_string(AssumptionDist d) {
  switch (d) {
    case AssumptionDist::uniform:
      return "uniform";
    case AssumptionDist::triangular:
      return "triangular";
    case AssumptionDist::lognormal:
      return "lognormal";
    case AssumptionDist::beta:
      return "beta";
    case AssumptionDist::discrete:
      return "discrete";
  }
  return "?";
}

namespace {
double round_half_up(double v) { return std::floor(v + 0.5); }
// Lognormal and beta draws are cut at these quantiles (a probability of 2e-6 moved to the two
// ends), so that what they can reach is a range a key's bounds can be checked against.
constexpr double kTailCut = 1e-6;
double cut(double u) { return std::clamp(u, kTailCut, 1 - kTailCut); }
}  // namespace

double Assumption::quantile(double u) const {
  double v = 0;
  switch (dist) {
    case AssumptionDist::uniform:
      v = low + u * (high - low);
      break;
    case AssumptionDist::triangular: {
      const double w = high - low, split = (mode - low) / w;
      v = u < split ? low + std::sqrt(u * w * (mode - low))
                    : high - std::sqrt((1 - u) * w * (high - mode));
      break;
    }
    case AssumptionDist::lognormal:
      v = sim::Lognormal::from_mean_cv(mean, cv).draw(cut(u));
      break;
    case AssumptionDist::beta: {
      const sim::BetaMeanSd b{mean, sd};
      v = boost::math::ibeta_inv(b.alpha(), b.beta(), cut(u));
      break;
    }
    case AssumptionDist::discrete: {
      double cum = 0;
      v = values.back();
      for (std::size_t i = 0; i < values.size(); ++i) {
        cum += weights[i];
        if (u <= cum) {
          v = values[i];
          break;
        }
      }
      break;
    }
  }
  return whole ? round_half_up(v) : v;
}

double Assumption::central() const {
  double v = 0;
  switch (dist) {
    case AssumptionDist::uniform:
      v = (low + high) / 2;
      break;
    case AssumptionDist::triangular:
      v = mode;
      break;
    case AssumptionDist::lognormal:
    case AssumptionDist::beta:
      v = mean;
      break;
    case AssumptionDist::discrete:
      v = values[std::max_element(weights.begin(), weights.end()) - weights.begin()];
      break;
  }
  return whole ? round_half_up(v) : v;
}

// The extreme uniforms a stream's 64-bit slot can give (sim::Stream::to_open01). A discrete
// list may be in any order, so every value it holds is reachable: its smallest and largest.
double Assumption::reach_low() const {
  if (dist == AssumptionDist::discrete) {
    const double v = *std::min_element(values.begin(), values.end());
    return whole ? round_half_up(v) : v;
  }
  return quantile(sim::Stream::to_open01(0));
}
double Assumption::reach_high() const {
  if (dist == AssumptionDist::discrete) {
    const double v = *std::max_element(values.begin(), values.end());
    return whole ? round_half_up(v) : v;
  }
  return quantile(sim::Stream::to_open01(~0ULL));
}

std::string Assumption::describe() const {
  switch (dist) {
    case AssumptionDist::uniform:
      return fmt::format("uniform {:g} to {:g}", low, high);
    case AssumptionDist::triangular:
      return fmt::format("triangular {:g} to {:g}, mode {:g}", low, high, mode);
    case AssumptionDist::lognormal:
      return fmt::format("lognormal, mean {:g}, cv {:g}", mean, cv);
    case AssumptionDist::beta:
      return fmt::format("beta, mean {:g}, sd {:g}", mean, sd);
    case AssumptionDist::discrete: {
      std::string s = "discrete";
      for (std::size_t i = 0; i < values.size(); ++i)
        s += fmt::format("{} {:g} ({:.0f}%)", i ? "," : "", values[i], 100 * weights[i]);
      return s;
    }
  }
  return "";
}

std::string Assumption::short_name() const {
  // Stage and skill keys keep the stage or skill: "close.conversion.top", "discovery.mean".
  for (const char* pre : {"pipeline.stages.", "team.skills."})
    if (key.rfind(pre, 0) == 0) return key.substr(std::string(pre).size());
  const std::size_t dot = key.rfind('.');
  const std::string last = key.substr(dot + 1);
  if (last == "mean" || last == "sd" || last == "cv" || last == "floor" || last == "top") {
    const std::size_t prev = key.rfind('.', dot - 1);
    return key.substr(prev + 1);
  }
  return last;
}

void draw_assumptions(const Scenario& sc, std::uint64_t path, double* out) {
  for (std::size_t i = 0; i < sc.assumptions.size(); ++i) {
    sim::Stream s(sim::Address{sc.base.simulation.seed, path, std::uint32_t(Process::assumptions),
                               std::uint32_t(i), 0});
    out[i] = sc.assumptions[i].quantile(s.uniform_at(0));
  }
}

std::vector<double> assumption_draws(const Scenario& sc, std::uint64_t first_path,
                                     std::size_t paths) {
  const std::size_t n = sc.assumptions.size();
  std::vector<double> out(paths * n);
  for (std::size_t p = 0; p < paths; ++p) draw_assumptions(sc, first_path + p, &out[p * n]);
  return out;
}

namespace {

// Where the value of `key` lives in `p`: a scalar key (keys.cpp) or a skill's Beta (team.skills
// entries, which the loader adds for an assumed skill that had none).
void* find_target(Params& p, const std::string& key, int& kind) {
  const std::string skills = "team.skills.";
  if (key.rfind(skills, 0) == 0) {
    const std::string rest = key.substr(skills.size());
    const std::size_t dot = rest.rfind('.');
    const std::string name = rest.substr(0, dot), field = rest.substr(dot + 1);
    for (auto& [n, b] : p.team.skills)
      if (n == name) {
        kind = 0;
        return field == "mean" ? &b.mean : &b.sd;
      }
    throw std::logic_error("assumption on a skill without an entry: " + key);
  }
  for (const KeyInfo& k : scalar_keys(p)) {
    if (k.path != key) continue;
    if (auto* d = std::get_if<double*>(&k.target)) return kind = 0, *d;
    if (auto* i = std::get_if<std::int64_t*>(&k.target)) return kind = 1, *i;
    if (auto* o = std::get_if<std::optional<double>*>(&k.target)) return kind = 2, *o;
  }
  throw std::logic_error("assumption on a key that is not a number: " + key);
}

void write(void* at, int kind, double v) {
  if (kind == 0)
    *static_cast<double*>(at) = v;
  else if (kind == 1)
    *static_cast<std::int64_t*>(at) = std::int64_t(v);
  else
    *static_cast<std::optional<double>*>(at) = v;
}

bool plan_sets(const PlanSpec& plan, const std::string& key) {
  return std::any_of(plan.overrides.begin(), plan.overrides.end(),
                     [&](const auto& o) { return o.first == key; });
}

}  // namespace

AssumptionTargets::AssumptionTargets(const Scenario& sc, Params& base, PlanSpec& plan) {
  for (const Assumption& a : sc.assumptions) {
    Target b, p;
    b.at = find_target(base, a.key, b.kind);
    if (!plan_sets(plan, a.key)) p.at = find_target(plan.params, a.key, p.kind);
    base_.push_back(b);
    plan_.push_back(p);
  }
}

void AssumptionTargets::apply(const double* values) const {
  for (std::size_t i = 0; i < base_.size(); ++i) {
    write(base_[i].at, base_[i].kind, values[i]);
    if (plan_[i].at) write(plan_[i].at, plan_[i].kind, values[i]);
  }
}

Scenario with_assumption_values(const Scenario& sc, const std::vector<double>& values) {
  Scenario out = sc;
  for (PlanSpec& plan : out.plans) {
    Params base = out.base;  // each plan's targets need a base to point into; only plans change
    AssumptionTargets(sc, base, plan).apply(values.data());
  }
  AssumptionTargets(sc, out.base, out.plans.front()).apply(values.data());
  // The first plan's params were already written; writing them again with the same values is
  // harmless, and it leaves the base written too.
  out.assumptions.clear();
  return out;
}

Scenario at_central_values(const Scenario& sc) {
  std::vector<double> values;
  for (const Assumption& a : sc.assumptions) values.push_back(a.central());
  return with_assumption_values(sc, values);
}

}  // namespace salesim
