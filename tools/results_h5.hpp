#pragma once
// Writes results.h5 (layout in docs/results-format.md): self-describing root attributes, the
// scenario text as run, a group per plan and per comparison. Written to a temporary file and
// renamed. When the file is complete its root attribute `checksum` records a checksum of its
// contents, so a damaged or truncated file is told from a whole one.
#include <optional>
#include <string>

#include "models/simulate.hpp"

namespace sim::h5 {
class File;
}

namespace salesim::tools {

inline constexpr const char* kResultsFileType = "salesim-results";
inline constexpr int kResultsFormatMajor = 1;
// 1.1: per_path and quantile_relative_error; 1.2: model_version; 1.3: checksum;
// 1.4: paths/path_index is int64 (was float64)
inline constexpr int kResultsFormatMinor = 4;
// The root attribute holding "fnv1a64:" and 16 hex digits of sim::h5::content_checksum.
inline constexpr const char* kChecksumAttribute = "checksum";

// With `trajectories` (run --trajectories) every path's weekly series are written too
// (/plans/<name>/trajectories/, docs/results-format.md); a streamed run has none to write.
void write_results_h5(const std::string& path, const Scenario& sc, const ScenarioResults& res,
                      std::uint64_t seed, const std::string& summary_json,
                      bool trajectories = false);

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
