#pragma once
// Writes results.h5 (layout in docs/results-format.md): self-describing root attributes, the
// scenario text as run, a group per plan and per comparison. Written to a temporary file and
// renamed. When the file is complete its root attribute `checksum` records a checksum of its
// contents, so a damaged or truncated file is told from a whole one.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/simulate.hpp"

namespace sim::h5 {
class File;
class Group;
}  // namespace sim::h5

namespace salesim::tools {

inline constexpr const char* kResultsFileType = "salesim-results";
inline constexpr int kResultsFormatMajor = 1;
// 1.1: per_path and quantile_relative_error; 1.2: model_version; 1.3: checksum;
// 1.4: paths/path_index is int64 (was float64)
inline constexpr int kResultsFormatMinor = 6;
// Whether a file's format_version ("1.3") is older than what this salesim writes: its summary
// may lack figures added since (a reader that needs one says so rather than calling it damaged).
bool older_results_format(const std::string& version);
// The root attribute holding "fnv1a64:" and 16 hex digits of sim::h5::content_checksum.
inline constexpr const char* kChecksumAttribute = "checksum";

// With `trajectories` (run --trajectories) every path's weekly series are written too
// (/plans/<name>/trajectories/, docs/results-format.md); a streamed run has none to write here
// (StreamedResultsFile writes them as the run goes).
void write_results_h5(const std::string& path, const Scenario& sc, const ScenarioResults& res,
                      std::uint64_t seed, const std::string& summary_json,
                      bool trajectories = false);

// The steps of write_results_h5, for a file whose writing starts before the run ends
// (StreamedResultsFile): the file at tmp with its user block; then everything not yet in it,
// its checksum, its close and its file checksum (sealed for the final name `path`, named in
// errors). HDF5's errors come out as sim::WriteError naming path.
sim::h5::File create_results_file(const std::filesystem::path& tmp, const std::string& path);
void complete_results_file(sim::h5::File& f, const std::filesystem::path& tmp,
                           const std::string& path, const Scenario& sc, const ScenarioResults& res,
                           std::uint64_t seed, const std::string& summary_json, bool trajectories);

// The series under /plans/<name>/trajectories/, in this order: the dataset's name and the
// kept series it holds (out::Kept, then arr_out's after out::kept_count).
struct TrajectorySeries {
  const char* name;
  std::size_t kept;
};
std::vector<TrajectorySeries> trajectory_series(const Scenario& sc);
// /plans/<name>/trajectories in the plan's group g, with its attributes.
sim::h5::Group trajectories_group(sim::h5::Group& g);

// About how many bytes the results file of a run takes: per plan its weekly datasets, its
// per-path datasets when `per_path` (not --streaming) and with `trajectories` paths x weeks x
// 8 bytes x trajectory_series; each comparison's per-path differences; the assumptions' draws.
double results_file_bytes(const Scenario& sc, std::size_t paths, std::size_t plans, bool per_path,
                          bool trajectories);
// BadInput (exit 2) when that is more than the space free in the folder the file goes into
// (std::filesystem::space; nothing when it cannot be read): names the estimate, the
// trajectories' share and the options that make it smaller.
void check_results_disk(const std::string& path, const Scenario& sc, std::size_t paths,
                        std::size_t plans, bool per_path, bool trajectories);

// Why the bytes of the results file at path are not those salesim wrote, checked without HDF5
// against the file checksum that salesim writes into the file's 512-byte user block (format
// 1.3): std::nullopt when the file has no such block (formats before 1.3, another file, or
// one that cannot be opened), an empty string when the bytes match.
std::optional<std::string> results_file_damage(const std::string& path);

// "fnv1a64:0123456789abcdef": the checksum of f's contents, every dataset and attribute but the
// checksum attribute itself (sim::h5::content_checksum).
std::string results_checksum(const sim::h5::File& f);
// Why the results file f cannot be trusted, e.g. "its checksum does not match its contents",
// or empty when its checksum matches. A file without the checksum attribute is damaged when
// `require` is set or its format_version is 1.3 or later (earlier formats had none).
std::string results_damage(const sim::h5::File& f, bool require);

}  // namespace salesim::tools
