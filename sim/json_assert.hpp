#pragma once
// Included before every C++ file (CMakeLists.txt, -include): a JSON key the code reads but a
// file lacks (a results file of an older salesim, a hand-edited one) throws, to be reported as
// bad input. nlohmann's const operator[] checks the key only by assert, which a Release build
// leaves out: undefined behaviour (the report crashed on a file of format 1.3). The throw is in
// a lambda so that nlohmann's noexcept functions compile without -Wterminate.
#include <stdexcept>

namespace salesim {
// What JSON_ASSERT throws: its own type, so that a reader can tell a missing value from any
// other out_of_range (an index bug must not pass for a damaged file).
struct JsonValueMissing : std::out_of_range {
  using std::out_of_range::out_of_range;
};
}  // namespace salesim

#define JSON_ASSERT(x)                                                                          \
  do {                                                                                          \
    if (!(x))                                                                                   \
      [] { throw ::salesim::JsonValueMissing("a JSON value the program needs is missing"); }(); \
  } while (0)
