#include "models/training.hpp"

#include <algorithm>

namespace salesim {

namespace {

// The skills a participant trains: every skill (generic) or its focus_skills largest gaps
// 1 - s - g (gap), lowest index on ties.
std::uint64_t trained_skills(const TrainingProgram& tp, Reps& R, int r) {
  const int J = R.J;
  if (tp.targeting == Targeting::generic || tp.focus_skills >= J)
    return J >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << J) - 1;
  std::uint64_t mask = 0;
  for (int pick = 0; pick < tp.focus_skills; ++pick) {
    int best = -1;
    double best_gap = -1;
    for (int j = 0; j < J; ++j) {
      if (mask >> j & 1) continue;
      const double gap = 1 - R.s(r)[j] - R.g(r)[j];
      if (gap > best_gap) best = j, best_gap = gap;
    }
    mask |= std::uint64_t(1) << best;
  }
  return mask;
}

}  // namespace

void enrol_training(WeekContext& cx) {
  PathState& st = cx.st;
  Reps& R = st.reps;
  const auto& programs = cx.model.plan.params.training;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    const TrainingProgram& tp = programs[i];
    if (tp.start_week != cx.t) continue;
    auto& enrolled = st.enrolled[i];
    enrolled.clear();
    auto enrol = [&](int r) { enrolled.push_back({r, trained_skills(tp, R, r)}); };
    switch (tp.participants) {
      case Participants::all:
        for (int r : st.active_list) enrol(r);
        break;
      case Participants::new_hires:
        for (int r : st.active_list)
          if (r >= cx.model.base.team.reps) enrol(r);
        break;
      case Participants::bottom_half: {
        auto& order = cx.scratch.order;
        order.clear();
        std::vector<double>& sigma = cx.scratch.sigma;
        for (int r : st.active_list) {
          effective_skills(R, r, ramp(cx.P, R.tenure[r]), sigma.data());
          double mean = 0;
          for (int j = 0; j < R.J; ++j) mean += sigma[j];
          order.emplace_back(mean / R.J, r);
        }
        const std::size_t half = order.size() / 2;
        std::partial_sort(order.begin(), order.begin() + half, order.end());  // (mean, index)
        std::sort(order.begin(), order.begin() + half,
                  [](auto& a, auto& b) { return a.second < b.second; });
        for (std::size_t k = 0; k < half; ++k) enrol(order[k].second);
        break;
      }
    }
    st.tally.charge(cost::training, tp.cost_per_person * double(enrolled.size()));
  }
}

void set_training_hours(WeekContext& cx) {
  PathState& st = cx.st;
  for (int r : st.active_list) st.reps.training_hours[r] = 0;
  const auto& programs = cx.model.plan.params.training;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    const TrainingProgram& tp = programs[i];
    if (cx.t < tp.start_week || cx.t > tp.start_week + tp.weeks - 1) continue;
    for (const Enrolment& e : st.enrolled[i])
      if (st.reps.active[e.rep]) st.reps.training_hours[e.rep] += tp.hours_per_week;
  }
}

void complete_training(WeekContext& cx) {
  PathState& st = cx.st;
  Reps& R = st.reps;
  const auto& programs = cx.model.plan.params.training;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    const TrainingProgram& tp = programs[i];
    if (tp.start_week + tp.weeks - 1 != cx.t) continue;
    for (const Enrolment& e : st.enrolled[i]) {
      if (!R.active[e.rep]) continue;
      for (int j = 0; j < R.J; ++j)
        if (e.skills >> j & 1) R.g(e.rep)[j] += tp.efficacy * (1 - R.s(e.rep)[j] - R.g(e.rep)[j]);
    }
  }
}

}  // namespace salesim
