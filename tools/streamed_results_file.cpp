#include "tools/streamed_results_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "sim/atomic_file.hpp"
#include "sim/h5.hpp"
#include "sim/interrupt.hpp"
#include "tools/cli.hpp"
#include "tools/results_h5.hpp"

namespace salesim::tools {
namespace fs = std::filesystem;

namespace {

// About 256 KiB of rows per HDF5 chunk: big enough for few chunks, small enough that the
// chunks being filled (a rank's at a time) stay in HDF5's 1 MiB chunk cache.
constexpr hsize_t kChunkBytes = 256 * 1024;

// The rows split evenly over the chunks, so the last one is not mostly empty (HDF5 allocates
// whole chunks).
hsize_t chunk_rows(std::size_t paths, std::size_t weeks) {
  const hsize_t most = std::max<hsize_t>(1, kChunkBytes / (8 * std::max<hsize_t>(1, weeks)));
  const hsize_t rows = std::max<hsize_t>(1, paths), chunks = (rows + most - 1) / most;
  return (rows + chunks - 1) / chunks;
}

// HDF5's errors in writing `path` as the WriteError (exit 1) every other output gives.
template <class Fn>
void as_write_error(const std::string& path, Fn&& fn) {
  try {
    fn();
  } catch (const sim::h5::Error& e) {
    throw sim::WriteError(
        fmt::format("cannot write {}: {}", path, e.reason().empty() ? e.what() : e.reason()));
  }
}

fs::path checked_target(const std::string& path) {
  check_streamed_output(path);
  return sim::replaced_file(path);
}

}  // namespace

void check_streamed_output(const std::string& path) {
  if (sim::replaced_file(path).empty())
    throw BadInput(fmt::format(
        "-o {}: --streaming --trajectories writes the results file while the run goes, into a "
        "temporary file renamed at the end, so -o must name a file (not a pipe or a device)",
        path));
}

struct StreamedResultsFile::Impl {
  Impl(const std::string& given, const Scenario& scenario, const std::vector<std::string>& names)
      : path(given),
        target(checked_target(given)),
        tmp(sim::temporary_name(target)),
        sc(scenario),
        plans(names),
        series(trajectory_series(scenario)),
        weeks(std::size_t(scenario.horizon())),
        removed_if_interrupted(tmp) {
    sim::remove_stale_temporaries(target);
    try {
      file.emplace(create_results_file(tmp, path));
    } catch (...) {  // what HDF5 may have made of it goes too
      std::error_code ec;
      fs::remove(tmp, ec);
      throw;
    }
  }

  // The plans' datasets, made at the first chunk (when the path count is known).
  void create(std::size_t paths) {
    as_write_error(path, [&] {
      auto root = file->group("plans");
      for (const std::string& plan : plans) {
        auto g = root.group(plan);
        auto t = trajectories_group(g);
        for (const TrajectorySeries& s : series)
          datasets.emplace_back(t, s.name, paths, weeks, chunk_rows(paths, weeks));
      }
    });
  }

  // A new run (--target-se adds paths and starts again from row 0) resizes the datasets.
  void fit(std::size_t paths) {
    if (datasets.empty()) return create(paths);
    if (datasets.front().rows() == paths) return;
    as_write_error(path, [&] {
      for (sim::h5::RowDataset& d : datasets) d.resize(paths);
    });
  }

  void write(const SeriesChunk& c) {
    if (c.plans != plans.size() || c.weeks != weeks || c.series < series.back().kept + 1)
      throw std::logic_error("StreamedResultsFile: a chunk of another run's shape");
    fit(c.paths);
    if (c.first_row == 0) written = 0;
    rows.resize(c.rows * weeks);
    as_write_error(path, [&] {
      for (std::size_t p = 0; p < plans.size(); ++p)
        for (std::size_t k = 0; k < series.size(); ++k) {
          for (std::size_t i = 0; i < c.rows; ++i) {
            const auto w = c.weeks_of(i, p, series[k].kept);
            std::copy(w.begin(), w.end(), rows.begin() + std::ptrdiff_t(i * weeks));
          }
          datasets[p * series.size() + k].write_rows(c.first_row, c.rows, rows.data());
        }
    });
    written += c.rows;
  }

  void finish(const ScenarioResults& res, std::uint64_t seed, const std::string& summary) {
    if (datasets.empty()) create(res.paths);
    if (written != res.paths)
      throw std::logic_error(fmt::format(
          "StreamedResultsFile: {} of {} paths' trajectories were written", written, res.paths));
    as_write_error(path, [&] {
      for (sim::h5::RowDataset& d : datasets) d.close();
    });
    datasets.clear();
    sim::write_atomically(path, [&](const fs::path& given_tmp) {
      if (given_tmp != tmp)
        throw sim::WriteError(
            fmt::format("cannot write {}: its temporary file is {}, where {} was expected", path,
                        given_tmp.string(), tmp.string()));
      complete_results_file(*file, tmp, path, sc, res, seed, summary, false);
    });
    finished = true;
  }

  ~Impl() {
    if (finished) return;
    datasets.clear();
    file.reset();  // closed, errors ignored: the file is dropped
    std::error_code ec;
    fs::remove(tmp, ec);
  }

  std::string path;  // as given, for messages and write_atomically
  fs::path target;   // the file write_atomically replaces (path, or the file it links to)
  fs::path tmp;      // write_atomically's temporary for it
  const Scenario& sc;
  std::vector<std::string> plans;
  std::vector<TrajectorySeries> series;
  std::size_t weeks = 0;
  sim::interrupt::TemporaryFile removed_if_interrupted;
  std::optional<sim::h5::File> file;
  std::vector<sim::h5::RowDataset> datasets;  // [plan][series]
  std::vector<double> rows;                   // one series of one chunk, row-major
  std::size_t written = 0;                    // rows written in this run (round)
  bool finished = false;
};

StreamedResultsFile::StreamedResultsFile(const std::string& path, const Scenario& sc,
                                         const std::vector<std::string>& plans)
    : impl_(std::make_unique<Impl>(path, sc, plans)) {}

StreamedResultsFile::~StreamedResultsFile() = default;

void StreamedResultsFile::write(const SeriesChunk& chunk) { impl_->write(chunk); }

void StreamedResultsFile::finish(const ScenarioResults& res, std::uint64_t seed,
                                 const std::string& summary_json) {
  impl_->finish(res, seed, summary_json);
}

}  // namespace salesim::tools
