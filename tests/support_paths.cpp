// The build's paths, in one file (test_support.hpp says why).
#include <string>

namespace salesim::test {

std::string source_dir() { return SALESIM_SOURCE_DIR; }
std::string binary() { return SALESIM_BINARY; }

}  // namespace salesim::test
