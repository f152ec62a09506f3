#include "models/programs.hpp"

#include <algorithm>

namespace salesim {

void start_programs(WeekContext& cx) {
  PathState& st = cx.st;
  for (const Program& p : cx.model.plan.params.programs) {
    if (p.start_week != cx.t) continue;
    switch (p.kind) {
      case ProgramKind::coach_the_coaches:
        std::fill(st.m.begin(), st.m.end(), p.value);
        st.tally.charge(cost::programs, p.cost);
        break;
      case ProgramKind::profiling:
        st.w = p.value;
        st.tally.charge(cost::programs, p.cost_per_person * double(st.active_list.size()));
        break;
      case ProgramKind::alignment:
        st.a = p.value;
        st.extra_fixed_hours += p.hours_per_rep;
        st.tally.charge(cost::programs, p.cost);
        break;
      case ProgramKind::coaching_policy:
        st.c_pol = p.value;
        break;
    }
  }
}

}  // namespace salesim
