#include "models/coaching.hpp"

#include <algorithm>

namespace salesim {

void allot_coaching(WeekContext& cx) {
  PathState& st = cx.st;
  for (std::size_t m = 0; m < st.team_size.size(); ++m)
    st.coaching[m] =
        st.team_size[m] == 0
            ? 0.0
            : std::min(st.c_pol, cx.P.capacity.manager_coaching_hours / double(st.team_size[m]));
}

}  // namespace salesim
