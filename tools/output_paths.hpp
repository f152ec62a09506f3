#pragma once
// Before a command runs, the files it writes are checked against the files it reads and
// against each other, so that a mistyped option never destroys an input or one output another
// (docs/reliability.md, "The command line").
#include <string>
#include <vector>

namespace salesim::tools {

// A path as the user gave it, with the option (or argument) that named it.
struct NamedPath {
  std::string option;  // "--json", "-o", "the scenario file", ...
  std::string path;    // empty: not given, skipped
};

// Throws BadInput, naming the options and the paths, when an output file is one of the inputs,
// two outputs name the same file, an output file is an existing folder or an output folder an
// existing file; then requires each output's folder to exist and be writable
// (require_parent_folder). The inputs are also protected for the rest of the process
// (sim::protect_input): no later write replaces them.
void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& files,
                   const std::vector<NamedPath>& folders = {});

}  // namespace salesim::tools
