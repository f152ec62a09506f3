#include "models/path_state.hpp"

#include <algorithm>
#include <numeric>

namespace salesim {

void Reps::reset(int skills, int activities, int stages) {
  count = 0;
  J = skills, A = activities, K = stages;
}

int Reps::add() {
  const int r = count++;
  auto grow = [r](auto& v, std::size_t per) {
    if (v.size() < std::size_t(r + 1) * per)
      v.resize(std::max<std::size_t>(v.size() * 2, (r + 1) * per));
  };
  grow(active, 1), grow(manager, 1), grow(tenure, 1), grow(burnout, 1), grow(training_hours, 1);
  grow(durable, J), grow(gain, J), grow(pref, A), grow(open, K);
  active[r] = 0, manager[r] = 0, tenure[r] = 0, burnout[r] = 0, training_hours[r] = 0;
  std::fill_n(s(r), J, 0.0), std::fill_n(g(r), J, 0.0), std::fill_n(prefs(r), A, 0.0);
  std::fill_n(n(r), K, 0);
  return r;
}

}  // namespace salesim
