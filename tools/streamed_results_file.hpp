#pragma once
// The results file of `salesim run -o FILE --streaming --trajectories` (docs/results-format.md,
// "trajectories/"), written while the run goes, so that every path's weekly series reach the
// file without being kept in memory. It is created before the run under the temporary name
// sim::write_atomically gives the target, each chunk of paths' series is written into it by
// hyperslab at the chunk's rows as the run makes them, and at the end everything else, the
// checksums and the rename follow as in write_results_h5, through write_atomically on that
// same temporary. Nothing is under the final name before then; destroyed unfinished (an
// error, an unmet --target-se), the temporary is removed, and an interrupt removes it too.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "models/simulate.hpp"

namespace salesim::tools {

class StreamedResultsFile {
 public:
  // Creates the temporary file for `path` and its plans' groups. BadInput when path is not
  // (or cannot become) a regular file: a pipe or a device cannot take a file written in parts.
  StreamedResultsFile(const std::string& path, const Scenario& sc,
                      const std::vector<std::string>& plans);
  ~StreamedResultsFile();
  StreamedResultsFile(const StreamedResultsFile&) = delete;
  StreamedResultsFile& operator=(const StreamedResultsFile&) = delete;

  // A chunk of paths' series (RunSettings::series_sink), at its rows of every plan's datasets.
  // The first chunk of a run of another path count (a --target-se round) resizes them.
  void write(const SeriesChunk& chunk);
  // Writes the rest of the results, the checksums, and renames the file to its final name.
  void finish(const ScenarioResults& res, std::uint64_t seed, const std::string& summary_json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// BadInput (exit 2) when path cannot take a results file written in parts (sim::replaced_file is
// empty); every rank of an MPI job checks it, so they all stop alike.
void check_streamed_output(const std::string& path);

}  // namespace salesim::tools
