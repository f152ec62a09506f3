// libFuzzer target: bytes written to a temporary file -> read_report_data (tools/report_data.cpp
// over sim/h5.cpp and the HDF5 library), the reader `salesim report` uses for results.h5; when
// the file reads, also render_report, the rest of `salesim report` but the writing. BadInput is
// the expected outcome for a damaged or foreign file; any other exception (`salesim report`
// would exit 1), a sanitizer report or a hang is a finding. docs/fuzzing.md
//
// Results files of format 1.3 carry a file checksum in their 512-byte user block (tools/
// results_h5.cpp, seal_header), which every mutation would break. An input whose user block
// still starts with the seal's magic line is re-sealed (its checksum recomputed) before it is
// written, so the mutations behind it reach HDF5 and the reader, as a forged file would; an
// input whose seal itself was mutated is written as it is and tests the seal check.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "sim/hash.hpp"
#include "tools/cli.hpp"
#include "tools/report.hpp"

namespace {

constexpr std::size_t kUserBlock = 512;
constexpr const char kSealMagic[] = "salesim-results file checksum\n";

void reseal(std::string& bytes) {
  const std::size_t magic = sizeof kSealMagic - 1;
  if (bytes.size() < kUserBlock || bytes.compare(0, magic, kSealMagic) != 0) return;
  sim::Fnv1a64 h;
  h.add(bytes.data() + kUserBlock, bytes.size() - kUserBlock);
  char head[kUserBlock] = {};
  std::snprintf(head, sizeof head, "%sfnv1a64:%016llx\nbytes %llu\n", kSealMagic,
                static_cast<unsigned long long>(h.value()),
                static_cast<unsigned long long>(bytes.size() - kUserBlock));
  bytes.replace(0, kUserBlock, head, kUserBlock);
}

// The reader takes a file name, so each input goes through a file of this process, removed
// again after each input: libFuzzer ends with _Exit (no atexit), and a file kept for the whole
// run was left behind in the temporary folder by every fuzzing session.
const std::string& temp_file() {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("salesim-fuzz-results-" + std::to_string(getpid()) + ".h5"))
                                      .string();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = temp_file();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  reseal(bytes);
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  } else {
    std::abort();  // the temporary folder is not writable: nothing can be tested
  }
  try {
    const salesim::tools::ReportData d = salesim::tools::read_report_data(path);
    const salesim::tools::Report r = salesim::tools::render_report(d, {});
    (void)r;
  } catch (const salesim::tools::BadInput&) {
  }
  std::remove(path.c_str());
  return 0;
}
