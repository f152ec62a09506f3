#include "models/plan_warnings.hpp"

namespace salesim {

std::vector<std::string> plan_warnings(const Scenario&) { return {}; }

}  // namespace salesim
