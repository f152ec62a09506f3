// libFuzzer target: scenario text -> load_scenario_text (YAML parsing, the structure guard,
// the schema, the cross-checks and the plan warnings). A ScenarioError is the expected outcome
// for bad input; any other exception (std::terminate), a sanitizer report or a hang is a
// finding. docs/fuzzing.md
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const salesim::Scenario sc = salesim::load_scenario_text(text, "fuzz.yaml");
    (void)sc;
  } catch (const salesim::ScenarioError&) {
  }
  return 0;
}
