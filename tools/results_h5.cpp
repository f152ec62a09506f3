#include "tools/results_h5.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "models/outputs.hpp"
#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/h5.hpp"
#include "sim/hash.hpp"
#include "sim/sketch.hpp"
#include "tools/cli.hpp"
#include "tools/robustness_output.hpp"

namespace salesim::tools {
namespace {

void write_checkpoints(sim::h5::Group& g, const Scenario& sc, const PlanResult& r);

// The group `name` of g: opened when a streamed run's trajectories made it before the rest.
sim::h5::Group child(sim::h5::Group& g, const std::string& name) {
  return g.has(name) ? g.open_group(name) : g.group(name);
}

// Every path's week-by-week series, a row per path (in path_index order) and a column per week:
// the per-path series the run keeps for its quantiles, so writing them costs no extra run.
void write_trajectories(sim::h5::Group& g, const Scenario& sc, const PlanResult& r) {
  const hsize_t W = r.run.shape.weeks, P = r.run.paths;
  auto t = trajectories_group(g);
  for (const TrajectorySeries& series : trajectory_series(sc)) {
    std::vector<double> m(P * W);
    for (hsize_t w = 0; w < W; ++w) {
      const auto col = r.run.kept_week(series.kept, std::size_t(w));
      for (hsize_t i = 0; i < P; ++i) m[i * W + w] = col[i];
    }
    t.write(series.name, m, {P, W});
  }
}

// Quantiles per week as a [weeks x 7] matrix; a quantile that does not exist is NaN.
std::vector<double> quantile_matrix(const std::vector<Quantiles>& q) {
  std::vector<double> out;
  for (const auto& row : q)
    for (const auto& v : row) out.push_back(v ? *v : std::nan(""));
  return out;
}

void write_plan(sim::h5::Group& g, const Scenario& sc, const PlanResult& r, int index,
                bool trajectories) {
  const hsize_t W = r.run.shape.weeks, P = r.run.paths, NQ = std::size(sim::kPercentiles);
  g.attr("name", r.name);
  g.attr("index", std::int64_t(index));
  for (const auto& p : sc.plans)
    if (p.name == r.name) {
      g.attr("description", p.description);
      // from_week is the weekly step's t (0 for the first week), as written since format 1.0;
      // format 1.5 adds the file's week number (1-based), as every other week of the file.
      g.attr("from_week", std::int64_t(p.from_week));
      g.attr("from_file_week", std::int64_t(p.from_week + 1));
    }
  auto weekly = g.group("weekly");
  std::vector<std::int32_t> weeks(W);
  for (hsize_t w = 0; w < W; ++w) weeks[w] = std::int32_t(w + 1);
  weekly.write("week", weeks, {W});
  weekly.attr("quantile_probabilities",
              std::vector<double>(std::begin(sim::kPercentiles), std::end(sim::kPercentiles)));
  weekly.write("cum_bookings_mean", r.weekly.cum_mean, {W});
  weekly.write("cum_bookings_quantiles", quantile_matrix(r.weekly.cum_q), {W, NQ});
  weekly.write("weekly_bookings_mean", r.weekly.weekly_mean, {W});
  weekly.write("weekly_bookings_quantiles", quantile_matrix(r.weekly.weekly_q), {W, NQ});
  for (std::size_t s = 0; s < out::summed_count; ++s) {
    if (s == out::s_has_reps || s == out::s_has_stepped) continue;
    weekly.write(std::string(out::summed_names[s]) + "_mean", r.weekly.means[s], {W});
  }

  if (r.streamed) return write_checkpoints(g, sc, r);  // no per-path data to write
  auto paths = g.group("paths");
  // Format 1.4: an integer dataset (1.3 and earlier wrote float64).
  std::vector<std::int64_t> idx(P);
  for (hsize_t i = 0; i < P; ++i) idx[i] = std::int64_t(r.run.first_path + i);
  paths.write("path_index", idx, {P});
  const std::pair<const char*, std::size_t> cols[] = {
      {"final_bookings", out::final_bookings},
      {"cost", out::cost},
      {"leavers", out::leavers},
      {"hires", out::hires},
      {"opportunities_created", out::created},
      {"won", out::won},
      {"lost", out::lost},
      {"goal_met", out::goal_met},
      {"goal_week", out::goal_week},
      {"burnout_final", out::burnout_final},
      {"burnt_out_share_final", out::burnt_out_share_final},
      {"headcount_final", out::headcount_final},
      {"hours_per_rep_week", out::hours_per_rep_week}};
  for (const auto& [name, col] : cols) paths.write(name, r.column(col), {P});
  if (r.recurring) paths.write("arr_final", arr_final_column(r), {P});
  const hsize_t C = sc.base.goal.checkpoints.size();
  std::vector<std::uint8_t> met(P * C);
  for (hsize_t i = 0; i < P; ++i)
    for (hsize_t c = 0; c < C; ++c) met[i * C + c] = r.run.scalar(i, out::first_checkpoint + c) > 0;
  paths.write("checkpoints_met", met, {P, C});
  write_checkpoints(g, sc, r);
  if (trajectories) write_trajectories(g, sc, r);
}

void write_checkpoints(sim::h5::Group& g, const Scenario& sc, const PlanResult& r) {
  const hsize_t C = sc.base.goal.checkpoints.size();
  auto cps = g.group("checkpoints");
  std::vector<std::string> labels;
  std::vector<std::int32_t> cweeks;
  std::vector<double> target, p, se, bmean, bse;
  for (const auto& c : r.checkpoints) {
    labels.push_back(c.label), cweeks.push_back(c.week), target.push_back(c.target);
    p.push_back(c.met.mean), se.push_back(c.met.se);
    bmean.push_back(c.bookings.mean), bse.push_back(c.bookings.se);
  }
  cps.write_strings("label", labels);
  cps.write("week", cweeks, {C});
  cps.write("target", target, {C});
  cps.write("p_met", p, {C});
  cps.write("p_met_se", se, {C});
  cps.write("bookings_mean", bmean, {C});
  cps.write("bookings_se", bse, {C});
}

void write_contents(sim::h5::File& f, const Scenario& sc, const ScenarioResults& res,
                    std::uint64_t seed, const std::string& summary_json, bool trajectories) {
  f.attr("file_type", std::string(kResultsFileType));
  f.attr("format_version", fmt::format("{}.{}", kResultsFormatMajor, kResultsFormatMinor));
  f.attr("format_major", std::int64_t(kResultsFormatMajor));
  f.attr("salesim_version", std::string(sim::build::version));
  f.attr("model_version", std::int64_t(kModelVersion));
  f.attr("git_revision", std::string(sim::build::git_revision));
  f.attr("created",
         fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(
                                                  std::chrono::system_clock::now()))));
  f.attr("seed", fmt::format("{}", seed));
  f.attr("paths", std::int64_t(res.paths));
  f.attr("threads", std::int64_t(res.threads));
  f.attr("ranks", std::int64_t(res.ranks));
  // Format 1.1: a streamed run (--streaming) has no per-path data and approximate quantiles.
  f.attr("per_path", std::int64_t(res.streamed ? 0 : 1));
  f.attr("quantile_relative_error",
         res.streamed ? sim::QuantileSketch::kDefaultRelativeError : 0.0);
  f.attr("scenario_name", sc.name);
  f.attr("scenario_file", sc.file);
  f.attr("horizon_weeks", std::int64_t(sc.horizon()));
  f.attr("goal_revenue", sc.base.goal.revenue ? *sc.base.goal.revenue : std::nan(""));
  f.attr("goal_by_week", std::int64_t(sc.goal_week()));
  f.attr("goal_metric", sc.base.goal.metric);  // what the goal, checkpoints and goal_week count
  f.attr("start_date", sc.base.simulation.start_date);
  f.write_string("scenario_text", sc.text);
  f.write_string("summary_json", summary_json);
  std::vector<std::string> order;
  {
    auto plans = child(f, "plans");
    for (std::size_t i = 0; i < res.plans.size(); ++i) {
      auto g = child(plans, res.plans[i].name);
      write_plan(g, sc, res.plans[i], int(i), trajectories);
      order.push_back(res.plans[i].name);
    }
  }
  f.write_strings("plan_order", order);
  auto comps = f.group("comparisons");
  for (const auto& c : res.comparisons) {
    auto g = comps.group(c.plan + "_vs_" + c.baseline);
    g.attr("plan", c.plan);
    g.attr("baseline", c.baseline);
    g.attr("final_bookings_diff_mean", c.bookings_diff.mean);
    g.attr("final_bookings_diff_se", c.bookings_diff.se);
    g.attr("cost_diff_mean", c.cost_diff.mean);
    g.attr("cost_diff_se", c.cost_diff.se);
    g.attr("profit_diff_mean", c.profit_diff.mean);
    g.attr("p_better", c.p_better);
    g.attr("roi", c.roi ? *c.roi : std::nan(""));
    // Recurring revenue: final ARR's paired difference, what an ARR goal compares on.
    if (c.arr_final_diff) {
      g.attr("final_arr_diff_mean", c.arr_final_diff->mean);
      g.attr("final_arr_diff_se", c.arr_final_diff->se);
      g.attr("p_arr_better", c.arr_final_diff->p_better);
    }
    if (res.streamed) continue;
    const PlanResult* a = &res.plans[0];
    const PlanResult* b = nullptr;
    for (const auto& p : res.plans)
      if (p.name == c.plan) b = &p;
    auto write_diff = [&](const char* name, const std::vector<double>& fa,
                          const std::vector<double>& fb) {
      const std::vector<double> d = sim::paired_values(fa, fb);
      g.write(name, d, {d.size()});
    };
    write_diff("final_bookings_diff", a->column(out::final_bookings),
               b->column(out::final_bookings));
    if (c.arr_final_diff) write_diff("final_arr_diff", arr_final_column(*a), arr_final_column(*b));
  }
  write_assumption_draws(f, sc, res);  // /assumptions (docs/model.md 12.4)
}  // every group is closed here, before the checksum and the file's close

// ---- The file checksum in the user block ----------------------------------------------------
// The first kUserBlock bytes of the file are HDF5's user block, which HDF5 leaves alone; once
// the HDF5 file is closed they get kSealMagic, then "fnv1a64:<16 hex>\nbytes <N>\n" (FNV-1a 64
// of the N bytes after the user block, to the end), then NULs. A reader checks them with plain
// reads before HDF5 parses anything, so a damaged file never reaches HDF5 (which can crash on
// some damage to its own structures, such as the heap of variable-length strings).
constexpr std::size_t kUserBlock = 512;
constexpr std::string_view kSealMagic = "salesim-results file checksum\n";
constexpr std::string_view kHdf5Signature = "\x89HDF\r\n\x1a\n";

// FNV-1a 64 of fd's bytes from `from` to the end; 0 or the errno of a failed read.
int hash_from(int fd, std::uint64_t from, std::uint64_t& hash, std::uint64_t& bytes) {
  sim::Fnv1a64 h;
  std::vector<char> buf(1 << 20);
  bytes = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), off_t(from + bytes));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) break;
    h.add(buf.data(), std::size_t(n));
    bytes += std::uint64_t(n);
  }
  hash = h.value();
  return 0;
}

std::string seal_header(std::uint64_t hash, std::uint64_t bytes) {
  std::string header = fmt::format("{}fnv1a64:{:016x}\nbytes {}\n", kSealMagic, hash, bytes);
  header.resize(kUserBlock, '\0');
  return header;
}

void seal(const std::filesystem::path& tmp, const std::string& path) {
  auto fail = [&](int err) {
    throw sim::WriteError(fmt::format("cannot write {}: {}", path, sim::io_error_reason(err)));
  };
  const int fd = ::open(tmp.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) fail(errno);
  std::uint64_t hash = 0, bytes = 0;
  if (const int err = hash_from(fd, kUserBlock, hash, bytes)) {
    ::close(fd);
    fail(err);
  }
  const std::string header = seal_header(hash, bytes);
  if (::pwrite(fd, header.data(), header.size(), 0) != ssize_t(header.size())) {
    const int err = errno ? errno : EIO;
    ::close(fd);
    fail(err);
  }
  if (::close(fd) != 0) fail(errno);
}

// Text from a damaged file, fit for one line of a message: control bytes become '?'.
std::string printable(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s.size() > 200 ? s.substr(0, 200) + "..." : s;
}

}  // namespace

namespace {
// HDF5's errors in writing `path` as the WriteError (exit 1) every other output gives.
template <class Fn>
auto as_write_error(const std::string& path, Fn&& fn) {
  try {
    return fn();
  } catch (const sim::h5::Error& e) {
    throw sim::WriteError(
        fmt::format("cannot write {}: {}", path, e.reason().empty() ? e.what() : e.reason()));
  }
}
}  // namespace

sim::h5::File create_results_file(const std::filesystem::path& tmp, const std::string& path) {
  return as_write_error(path, [&] { return sim::h5::File::create(tmp.string(), kUserBlock); });
}

void complete_results_file(sim::h5::File& f, const std::filesystem::path& tmp,
                           const std::string& path, const Scenario& sc, const ScenarioResults& res,
                           std::uint64_t seed, const std::string& summary_json, bool trajectories) {
  as_write_error(path, [&] {
    write_contents(f, sc, res, seed, summary_json, trajectories);
    // Last the checksum of all the above, which marks the file complete; then the close,
    // whose result says whether it all reached the file; then the file checksum.
    f.attr(kChecksumAttribute, results_checksum(f));
    f.close();
    seal(tmp, path);
  });
}

void write_results_h5(const std::string& path, const Scenario& sc, const ScenarioResults& res,
                      std::uint64_t seed, const std::string& summary_json, bool trajectories) {
  sim::write_atomically(path, [&](const std::filesystem::path& tmp) {
    auto f = create_results_file(tmp, path);
    complete_results_file(f, tmp, path, sc, res, seed, summary_json, trajectories);
  });
}

std::vector<TrajectorySeries> trajectory_series(const Scenario& sc) {
  std::vector<TrajectorySeries> series = {{"cum_bookings", out::cum_bookings},
                                          {"weekly_bookings", out::weekly_bookings}};
  if (arr_out::on(sc)) {
    series.push_back({"arr", out::kept_count + arr_out::arr});
    series.push_back({"mrr", out::kept_count + arr_out::mrr});
  }
  return series;
}

sim::h5::Group trajectories_group(sim::h5::Group& g) {
  auto t = g.group("trajectories");
  t.attr("rows", std::string("paths, in the order of paths/path_index"));
  t.attr("columns", std::string("weeks 1..horizon_weeks, each at the week's end"));
  return t;
}

double results_file_bytes(const Scenario& sc, std::size_t paths, std::size_t plans, bool per_path,
                          bool trajectories) {
  const double P = double(paths), W = double(sc.horizon()), N = double(plans);
  const double C = double(sc.base.goal.checkpoints.size()), arr = arr_out::on(sc) ? 1 : 0;
  // weekly/: 2 quantile tables of 7 columns and about 20 series of W values
  double per_plan = W * 8 * (2 * 7 + 20);
  // paths/: path_index and 13 figures (8 bytes each), arr_final, a byte per checkpoint
  if (per_path) per_plan += P * ((14 + arr) * 8 + C);
  if (trajectories) per_plan += P * W * 8 * double(trajectory_series(sc).size());
  // comparisons: final bookings' (and final ARR's) paired difference per path
  const double comparisons = per_path ? (N > 0 ? N - 1 : 0) * P * 8 * (1 + arr) : 0;
  const double draws = per_path ? P * double(sc.assumptions.size()) * 8 : 0;
  const double fixed = 64 * 1024 + double(sc.text.size());  // attributes, scenario, summary
  return fixed + N * per_plan + comparisons + draws;
}

namespace {
// bytes_text, with KiB below a MiB (a small file system's figures).
std::string size_text(double bytes) {
  return bytes < 1024.0 * 1024 ? fmt::format("{:.0f} KiB", bytes / 1024) : bytes_text(bytes);
}
}  // namespace

void check_results_disk(const std::string& path, const Scenario& sc, std::size_t paths,
                        std::size_t plans, bool per_path, bool trajectories) {
  // Where the file's bytes go: the folder of the file replaced (a symbolic link's target's);
  // nothing to measure for a pipe or a device.
  const std::filesystem::path replaced = sim::replaced_file(path);
  if (replaced.empty()) return;
  const std::filesystem::path where =
      replaced.has_parent_path() ? replaced.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  const auto space = std::filesystem::space(where, ec);
  if (ec) return;
  const double need = results_file_bytes(sc, paths, plans, per_path, trajectories);
  const double free = double(space.available);
  if (need <= free) return;
  const std::size_t series = trajectory_series(sc).size();
  const std::string share =
      trajectories ? fmt::format(
                         ", of which the trajectories {} paths x {} weeks x 8 bytes x {} series x "
                         "{} plan{} take {}",
                         paths, sc.horizon(), series, plans, plans == 1 ? "" : "s",
                         size_text(double(paths) * sc.horizon() * 8.0 * double(series * plans)))
                   : "";
  throw BadInput(fmt::format(
      "-o {}: the results file would take about {}{}, more than the {} free in {}; use fewer "
      "--paths or --plans{}, or write it where there is room",
      path, size_text(need), share, size_text(free), where.string(),
      trajectories ? ", leave out --trajectories" : ""));
}

std::optional<std::string> results_file_damage(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close_fd{fd};
  std::string head(kUserBlock + kHdf5Signature.size(), '\0');
  std::size_t got = 0;
  while (got < head.size()) {
    const ssize_t n = ::pread(fd, head.data() + got, head.size() - got, off_t(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += std::size_t(n);
  }
  head.resize(got);
  const bool ours = head.compare(0, kSealMagic.size(), kSealMagic) == 0;
  const bool hdf5_after_block =
      head.size() == kUserBlock + kHdf5Signature.size() &&
      head.compare(kUserBlock, kHdf5Signature.size(), kHdf5Signature) == 0;
  if (!ours && !hdf5_after_block) return std::nullopt;  // before format 1.3, or not ours
  unsigned long long recorded_hash = 0, recorded_bytes = 0;
  const std::string fields = head.substr(kSealMagic.size(), kUserBlock - kSealMagic.size());
  char tail = 0;
  // Parsed, then compared byte for byte with the header those values make (padding and all).
  if (!ours ||
      std::sscanf(fields.c_str(), "fnv1a64:%16llx\nbytes %llu%c", &recorded_hash, &recorded_bytes,
                  &tail) != 3 ||
      tail != '\n' || head.compare(0, kUserBlock, seal_header(recorded_hash, recorded_bytes)) != 0)
    return std::string("its header (the file checksum in its first 512 bytes) is damaged");
  std::uint64_t hash = 0, bytes = 0;
  if (const int err = hash_from(fd, kUserBlock, hash, bytes))
    return fmt::format("it cannot be read ({})", std::strerror(err));
  if (bytes != recorded_bytes)
    return fmt::format("it has {} bytes where salesim wrote {} ({})", bytes + kUserBlock,
                       recorded_bytes + kUserBlock,
                       bytes < recorded_bytes ? "truncated" : "written to since, or overwritten");
  if (hash != recorded_hash)
    return fmt::format(
        "its file checksum does not match its bytes (recorded {:016x}, computed "
        "{:016x})",
        recorded_hash, hash);
  return std::string();
}

std::string results_checksum(const sim::h5::File& f) {
  return fmt::format("fnv1a64:{:016x}", sim::h5::content_checksum(f, kChecksumAttribute));
}

std::string results_damage(const sim::h5::File& f, bool require) {
  try {
    if (!f.has_attr(kChecksumAttribute)) {
      const std::string version =
          f.has_attr("format_version") ? f.attr_string("format_version") : "";
      const bool older_format = version == "1.0" || version == "1.1" || version == "1.2";
      if (require || !older_format) return "it has no checksum: its writing never finished";
      return "";
    }
    const std::string recorded = f.attr_string(kChecksumAttribute);
    const std::string actual = results_checksum(f);
    if (recorded != actual)
      return fmt::format("its checksum does not match its contents (recorded {}, computed {})",
                         printable(recorded.substr(0, 40)), actual);
    return "";
  } catch (const sim::h5::Error& e) {
    return fmt::format("its contents cannot be read ({})", printable(e.what()));
  }
}

bool older_results_format(const std::string& version) {
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return false;
  return major < kResultsFormatMajor ||
         (major == kResultsFormatMajor && minor < kResultsFormatMinor);
}

}  // namespace salesim::tools
