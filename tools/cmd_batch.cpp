// `salesim batch`: run many scenario files into one output folder, one subfolder per file
// (results.h5, summary.json), plus batch.csv with a row per file and plan. A failing file is
// reported and the rest go on. Re-running skips files whose results were made from the same
// scenario text, seed, paths, precision target and salesim build. Ctrl-C or SIGTERM stops it
// between draws; every output is written to a temporary name and renamed, and summary.json
// (written last) is the mark of a finished file, so nothing half-written looks complete.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/bytes.hpp"
#include "sim/distributed.hpp"
#include "sim/h5.hpp"
#include "sim/hash.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"
#include "tools/cli.hpp"
#include "tools/output_paths.hpp"
#include "tools/results_h5.hpp"
#include "tools/summary_json.hpp"
#include "tools/table_file.hpp"
#include "tools/xlsx_workbook.hpp"

namespace salesim::tools {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

struct BatchArgs {
  std::vector<std::string> inputs;
  std::string out;
  int jobs = 1, threads = 0;
  std::size_t paths = 0, max_paths = 1000000;
  std::optional<std::uint64_t> seed;
  std::optional<double> target_se;
  bool quiet = false, force = false;
  std::string xlsx;  // --xlsx: batch.csv's table as an Excel workbook
};

struct Job {
  fs::path file;
  std::string name;  // its subfolder in OUTDIR
  enum class Status { pending, done, reused, failed } status = Status::pending;
  std::string error;
  json summary;
  double seconds = 0;
};

bool is_scenario(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }

// Where a path leads (it may not exist yet). One the system cannot resolve (longer than it
// allows) is taken as written; its file then fails on its own, and the others run.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p, ec).lexically_normal() : c;
}

// A folder, compared by where it resolves.
fs::path folder_key(const fs::path& p) {
  const fs::path c = resolved(p.empty() ? fs::path(".") : p).lexically_normal();
  return c.has_filename() ? c : c.parent_path();
}

// The longest file name (NAME_MAX of Linux file systems): a longer folder name cannot be made.
constexpr std::size_t kMaxFolderName = 255;

// `base` + `suffix` cut to kMaxFolderName bytes, never inside a UTF-8 character.
std::string fit_name(std::string base, const std::string& suffix) {
  const std::size_t room = kMaxFolderName - suffix.size();
  if (base.size() > room) {
    std::size_t cut = room;
    while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;
    base.resize(cut);
  }
  return base + suffix;
}

// A file's folder name: its stem, or its folder's name and its stem when that is taken, then
// "-2", "-3"... until it is unused. "." and ".." (the stems of "..yaml" and "...yaml") would be
// OUTDIR itself or its parent; `taken` starts with OUTDIR's own files (batch.csv, the workbook).
std::string folder_for(const fs::path& f, std::set<std::string>& taken) {
  const auto usable = [&](const std::string& n) {
    return !n.empty() && n != "." && n != ".." && !taken.count(n);
  };
  std::string name = fit_name(f.stem().string(), "");
  if (!usable(name) && f.has_parent_path())
    name = fit_name(f.parent_path().filename().string() + "-" + f.stem().string(), "");
  if (name.empty() || name == "." || name == "..") name = "scenario";
  std::string unique = name;
  for (int n = 2; !usable(unique); ++n) unique = fit_name(name, fmt::format("-{}", n));
  taken.insert(unique);
  return unique;
}

// A path for a message: a very long one (past the system's limit) by its two ends.
std::string shortened(const std::string& path) {
  return path.size() <= 160 ? path : path.substr(0, 80) + "..." + path.substr(path.size() - 60);
}

// The scenario files under a folder, sorted. A part that cannot be searched (no permission, a
// path longer than the system allows) is bad input naming it, not a library error (exit 1).
std::vector<fs::path> scenarios_under(const std::string& in) {
  std::vector<fs::path> found;
  try {
    for (const auto& e : fs::recursive_directory_iterator(in))
      if (e.is_regular_file() && is_scenario(e.path())) found.push_back(e.path());
  } catch (const fs::filesystem_error& e) {
    throw BadInput(fmt::format("{}: cannot search this folder: {} ({})", in,
                               shortened(e.path1().string()), e.code().message()));
  }
  std::sort(found.begin(), found.end());
  if (found.empty())
    throw BadInput(fmt::format("{}: no scenario files (*.yaml, *.yml) in this folder", in));
  return found;
}

std::vector<Job> collect(const std::vector<std::string>& inputs, std::set<std::string> taken) {
  std::vector<fs::path> files;
  for (const auto& in : inputs) {
    const fs::path p(in);
    if (fs::is_directory(p)) {
      const std::vector<fs::path> found = scenarios_under(in);
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p)) {
      files.push_back(p);
    } else {
      throw BadInput(fmt::format("{}: no such file or folder", in));
    }
  }
  // Each file once, and a subfolder name per file that is unique and stable for the same inputs.
  std::vector<Job> jobs;
  for (const auto& f : files) {
    const auto canonical = resolved(f);
    if (std::any_of(jobs.begin(), jobs.end(),
                    [&](const Job& j) { return resolved(j.file) == canonical; }))
      continue;
    Job job;
    job.file = f, job.name = folder_for(f, taken);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

// What must match for saved results to be reused.
json provenance(const Scenario& sc, const BatchArgs& a) {
  return {{"scenario_text_fnv1a64", fmt::format("{:016x}", sim::fnv1a64(sc.text))},
          {"seed", sc.base.simulation.seed},
          {"paths", a.paths ? a.paths : std::size_t(sc.base.simulation.paths)},
          {"target_se", a.target_se ? json(*a.target_se) : json(nullptr)},
          {"max_paths", a.target_se ? json(a.max_paths) : json(nullptr)},
          {"salesim_version", sim::build::version},
          {"git_revision", sim::build::git_revision}};
}

// The saved summary when dir holds complete results made the same way: summary.json with the
// same provenance, and a results.h5 whose checksum matches its contents and which embeds that
// same summary. Anything else (missing, truncated, damaged) is run again; damage is said.
std::optional<json> reusable(const fs::path& dir, const json& want, bool quiet) {
  const fs::path h5 = dir / "results.h5";
  std::string damage;
  try {
    if (!fs::exists(h5)) return std::nullopt;
    std::ifstream f(dir / "summary.json");
    if (!f) return std::nullopt;
    json j = json::parse(f);
    if (!j.contains("batch") || j["batch"] != want) return std::nullopt;
    const auto file_damage = results_file_damage(h5.string());
    if (!file_damage) {
      damage = "it has no file checksum";
    } else if (!file_damage->empty()) {
      damage = *file_damage;
    } else if (!sim::h5::File::is_hdf5(h5.string())) {
      damage = "it is not a whole HDF5 file";
    } else {
      const auto file = sim::h5::File::open_read(h5.string());
      damage = results_damage(file, true);
      if (damage.empty() && json::parse(file.read_string("summary_json")) != j)
        damage = "its summary differs from summary.json";
    }
    if (damage.empty()) return j;
  } catch (const std::exception& e) {
    damage = damage.empty() ? e.what() : damage;
  }
  if (!quiet && !damage.empty())
    std::cerr << fmt::format("salesim: notice: {} is damaged ({}); running it again\n", h5.string(),
                             damage);
  return std::nullopt;
}

// A run that missed --target-se at the path limit: its results are kept, and the file counts
// as failed, when it runs and again when its saved results are reused.
std::string precision_miss(const json& precision) {
  return fmt::format(
      "P(goal) standard error {:.4f} is above --target-se {} at the path limit {} (results "
      "written; raise --max-paths)",
      precision["achieved_se"].get<double>(), precision["target_se"].get<double>(),
      precision["max_paths"].get<std::size_t>());
}

void run_job(Job& job, const BatchArgs& a, int threads,
             const std::function<void(double)>& fraction) {
  const auto start = std::chrono::steady_clock::now();
  const Scenario sc = load_with_seed(job.file.string(), a.seed);
  announce(sc);
  const fs::path dir = fs::path(a.out) / job.name;
  const json want = provenance(sc, a);
  if (!a.force)
    if (auto saved = reusable(dir, want, a.quiet)) {
      // Temporaries of a writer killed after these were complete go too.
      for (const char* name : {"results.h5", "summary.json"})
        sim::remove_stale_temporaries(dir / name);
      job.summary = std::move(*saved);
      job.status = Job::Status::reused;
      if (const json& pr = job.summary["precision"]; pr.is_object() && !pr["met"].get<bool>())
        job.error = precision_miss(pr);
      return;
    }
  RunSettings s;
  s.paths = a.paths;
  s.threads = threads;
  s.split = sim::PathSplit::none;  // under mpirun the files are split, each run on one rank
  s.progress = [&](std::size_t done, std::size_t total) {
    if (g_stop) throw Interrupted();
    fraction(total ? double(done) / double(total) : 0);
  };
  if (a.target_se && !sc.base.goal.revenue)
    throw BadInput(fmt::format("--target-se: {} has no goal.revenue", job.file.string()));
  // A file too large for the memory is that file's failure, found before it runs; the rest
  // of the batch goes on. (With --target-se, the paths it starts from.)
  check_run_memory(sc, a.paths ? a.paths : std::size_t(sc.base.simulation.paths), sc.plans.size(),
                   job.file.string(), false);
  PrecisionResult precision;
  const ScenarioResults res =
      a.target_se ? run_to_precision(sc, s, {}, *a.target_se, a.max_paths, precision)
                  : run_scenario(sc, s);
  json summary = summary_json(sc, res, sc.base.simulation.seed);
  if (a.target_se) summary["precision"] = precision_json(precision);
  summary["batch"] = want;
  if (g_stop) throw Interrupted();
  fs::create_directories(dir);
  write_results_h5((dir / "results.h5").string(), sc, res, sc.base.simulation.seed, summary.dump());
  sim::write_text_atomically(dir / "summary.json", summary.dump(2) + "\n");
  job.summary = std::move(summary);
  job.status = Job::Status::done;
  job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (a.target_se && !precision.met)
    throw std::runtime_error(precision_miss(job.summary["precision"]));
}

double num(const json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

// Recurring revenue's columns of batch.csv (docs/cli.md), empty for a file without it.
constexpr const char* kArrColumns[] = {"arr_final_p50", "arr_final_mean", "arr_diff_vs_first",
                                       "arr_diff_vs_first_se", "p_arr_better_than_first"};

Table consolidated(const std::vector<Job>& jobs) {
  Table t;
  for (const auto& job : jobs) {
    Row base = {{"file", job.file.string()}, {"folder", job.name}};
    if (job.status == Job::Status::failed || job.status == Job::Status::pending) {
      Row r = base;
      const std::string status = job.status == Job::Status::failed ? "failed" : "not run";
      r.insert(r.end(), {{"scenario", std::string()},
                         {"plan", std::string()},
                         {"status", status},
                         {"paths", std::nan("")}});
      for (const char* c :
           {"p_goal", "p_goal_se", "p_all_checkpoints", "p_all_checkpoints_se",
            "final_bookings_mean", "final_bookings_se", "final_bookings_p10", "final_bookings_p50",
            "final_bookings_p90", "cost_mean", "profit_mean", "profit_se", "burnout_final_mean",
            "leavers_mean", "headcount_final_mean", "bookings_diff_vs_first",
            "bookings_diff_vs_first_se", "p_better_than_first", "roi_vs_first"})
        r.emplace_back(c, std::nan(""));
      r.emplace_back("error", job.error);
      r.emplace_back("goal_metric", std::string());
      for (const char* c : kArrColumns) r.emplace_back(c, std::nan(""));
      t.add(std::move(r));
      continue;
    }
    const json& s = job.summary;
    for (const auto& p : s["plans"]) {
      Row r = base;
      const json vs = p.contains("vs_first") ? p["vs_first"] : json::object();
      auto v = [&](const json& j, const char* k) {
        return j.contains(k) ? num(j[k]) : std::nan("");
      };
      r.insert(r.end(), {{"scenario", s["scenario"].get<std::string>()},
                         {"plan", p["name"].get<std::string>()},
                         // A file that missed --target-se has its figures, but it failed (the
                         // terminal says FAILED and the exit code is 1): its rows say so.
                         {"status", std::string(!job.error.empty()                  ? "failed"
                                                : job.status == Job::Status::reused ? "reused"
                                                                                    : "ok")},
                         {"paths", num(s["paths"])},
                         {"p_goal", v(p["goal"], "p_met")},
                         {"p_goal_se", v(p["goal"], "se")},
                         {"p_all_checkpoints", v(p, "p_all_checkpoints")},
                         {"p_all_checkpoints_se", v(p, "p_all_checkpoints_se")},
                         {"final_bookings_mean", v(p["final_bookings"], "mean")},
                         {"final_bookings_se", v(p["final_bookings"], "se")},
                         {"final_bookings_p10", v(p["final_bookings"], "p10")},
                         {"final_bookings_p50", v(p["final_bookings"], "p50")},
                         {"final_bookings_p90", v(p["final_bookings"], "p90")},
                         {"cost_mean", v(p["cost"], "mean")},
                         {"profit_mean", v(p["profit"], "mean")},
                         {"profit_se", v(p["profit"], "se")},
                         {"burnout_final_mean", v(p["people"], "burnout_mean_final")},
                         {"leavers_mean", v(p["people"], "leavers_mean")},
                         {"headcount_final_mean", v(p["people"], "headcount_final_mean")},
                         {"bookings_diff_vs_first", v(vs, "final_bookings_diff_mean")},
                         {"bookings_diff_vs_first_se", v(vs, "se")},
                         {"p_better_than_first", v(vs, "p_better")},
                         {"roi_vs_first", v(vs, "roi")},
                         {"error", job.error}});
      // After `error`, so the columns before keep their places: what P(goal) counts, and with
      // recurring revenue the final ARR it is judged on (empty without).
      r.emplace_back("goal_metric", s.contains("goal") && s["goal"].contains("metric")
                                        ? s["goal"]["metric"].get<std::string>()
                                        : std::string());
      const json arr = p.contains("arr") ? p["arr"]["final"] : json::object();
      const json arr_diff = vs.contains("arr_final_diff") ? vs["arr_final_diff"] : json::object();
      r.insert(r.end(), {{kArrColumns[0], v(arr, "p50")},
                         {kArrColumns[1], v(arr, "mean")},
                         {kArrColumns[2], v(arr_diff, "mean")},
                         {kArrColumns[3], v(arr_diff, "se")},
                         {kArrColumns[4], v(arr_diff, "p_better")}});
      t.add(std::move(r));
    }
  }
  return t;
}

// What a file costs to run, for sharing files among ranks: its rep-weeks (0 when it does not
// load; its error is found when it runs).
std::vector<double> file_costs(const std::vector<Job>& jobs, const BatchArgs& a) {
  std::vector<double> cost(jobs.size(), 0.0);
  if (sim::dist::size() == 1 || !sim::dist::is_root()) return cost;  // rank 0 shares them out
  for (std::size_t i = 0; i < jobs.size(); ++i) try {
      const Scenario sc = load_with_seed(jobs[i].file.string(), a.seed);
      cost[i] = run_rep_weeks(sc, a.paths ? a.paths : std::size_t(sc.base.simulation.paths),
                              sc.plans.size());
    } catch (const std::exception&) {
    }
  return cost;
}

// The rank of each file, largest first to the least loaded rank. Under mpirun every rank takes
// rank 0's files, folder names and ranks: a rank that saw the inputs otherwise (the arguments
// in another order, a folder changed while the job started, another machine's copy) would run
// other files than rank 0 counts on, and its results would be filed under the wrong files.
std::vector<int> share_out(std::vector<Job>& jobs, const BatchArgs& a) {
  std::vector<int> owner = sim::dist::largest_first(file_costs(jobs, a), sim::dist::size());
  if (sim::dist::size() == 1) return owner;
  sim::ByteWriter w;
  w.put(std::uint64_t(jobs.size()));
  for (std::size_t i = 0; i < jobs.size(); ++i)
    w.put_string(jobs[i].file.string()), w.put_string(jobs[i].name), w.put(owner[i]);
  const std::string bytes = sim::dist::broadcast(sim::dist::is_root() ? w.take() : std::string());
  sim::ByteReader in(bytes);
  jobs.assign(std::size_t(in.get<std::uint64_t>()), Job{});
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    jobs[i].file = in.get_string(), jobs[i].name = in.get_string();
    owner[i] = in.get<int>();
  }
  owner.resize(jobs.size());
  return owner;
}

// Under mpirun: every rank sends the state of the files it ran (and whether it was
// interrupted) to rank 0, which fills in `jobs` and tells of the files run elsewhere. True on
// rank 0.
bool gather_jobs(std::vector<Job>& jobs, const std::vector<int>& owner, bool quiet) {
  if (sim::dist::size() == 1) return true;
  sim::ByteWriter w;
  w.put(std::uint8_t(g_stop ? 1 : 0));
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (owner[i] != sim::dist::rank()) continue;
    const Job& j = jobs[i];
    w.put(std::uint64_t(i)), w.put(int(j.status)), w.put(j.seconds);
    w.put_string(j.error), w.put_string(j.summary.is_null() ? "" : j.summary.dump());
  }
  const std::vector<std::string> parts = sim::dist::gather(w.take());
  if (!sim::dist::is_root()) return false;
  for (std::size_t r = 1; r < parts.size(); ++r) {
    sim::ByteReader in(parts[r]);
    if (in.get<std::uint8_t>()) g_stop = true;
    while (!in.done()) {
      const auto i = std::size_t(in.get<std::uint64_t>());
      if (i >= jobs.size() || owner[i] != int(r))
        throw std::runtime_error(fmt::format("rank {} reported a file it was not given", r));
      Job& j = jobs[i];
      j.status = Job::Status(in.get<int>());
      j.seconds = in.get<double>();
      j.error = in.get_string();
      const std::string summary = in.get_string();
      if (!summary.empty()) j.summary = json::parse(summary);
      if (quiet || j.status == Job::Status::pending) continue;
      const char* what = !j.error.empty()                  ? "FAILED"
                         : j.status == Job::Status::reused ? "up to date, reused"
                                                           : "ok";
      std::cerr << fmt::format("[rank {}] {}: {}{}\n", r, j.file.string(), what,
                               j.status == Job::Status::done && j.error.empty()
                                   ? fmt::format(" ({:.1f} s)", j.seconds)
                                   : "");
    }
  }
  return true;
}

int batch(const BatchArgs& a) {
  const fs::path out(a.out);
  // --xlsx in OUTDIR (which batch creates) is checked with the other outputs once OUTDIR
  // exists, and no file's folder may take its name, nor batch.csv's.
  std::set<std::string> taken = {"batch.csv"};
  const bool xlsx_in_out =
      !a.xlsx.empty() && folder_key(fs::path(a.xlsx).parent_path()) == folder_key(out);
  if (xlsx_in_out) taken.insert(fs::path(a.xlsx).filename().string());
  // A name in OUTDIR that is not a folder (a file left there, an earlier --xlsx) cannot be a
  // file's results folder: that file takes the next name.
  std::error_code list_ec;
  if (fs::is_directory(out, list_ec))
    for (const auto& e : fs::directory_iterator(out, list_ec))
      if (!e.is_directory(list_ec)) taken.insert(e.path().filename().string());
  std::vector<Job> jobs = collect(a.inputs, taken);
  if (!xlsx_in_out) require_parent_folder(a.xlsx);
  if (fs::exists(out) && !fs::is_directory(out))
    throw BadInput(fmt::format("-o {}: exists and is not a folder", a.out));
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw BadInput(fmt::format("-o {}: cannot create the folder: {}", a.out, ec.message()));
  // Before any file runs, not after each: the folder must take new files.
  if (const int err = sim::folder_write_error(out))
    throw BadInput(fmt::format("cannot write the results into {}: folder {} is not writable ({})",
                               a.out, a.out,
                               std::error_code(err, std::generic_category()).message()));
  // No output may be a scenario file the batch reads: batch.csv, the workbook, or a file's
  // results (a scenario saved as OUTDIR/x/summary.json would be replaced by x's summary).
  std::vector<NamedPath> inputs,
      outputs = {{"--xlsx", a.xlsx}, {"-o (its batch.csv)", (out / "batch.csv").string()}};
  for (const Job& job : jobs) {
    inputs.push_back({"the scenario file", job.file.string()});
    for (const char* name : {"results.h5", "summary.json"})
      if (const fs::path f = out / job.name / name; fs::exists(f.parent_path(), ec))
        outputs.push_back({fmt::format("-o (the results of {})", job.file.string()), f.string()});
  }
  check_outputs(inputs, outputs, {{"-o", a.out}});
  // batch.csv is rebuilt from the per-file summaries at the end; an old one must not pass for
  // this run's if the run is interrupted.
  fs::remove(out / "batch.csv", ec);
  if (!a.xlsx.empty()) fs::remove(a.xlsx, ec);  // its workbook too, rebuilt from the same

  // Under mpirun each rank runs the files it owns and writes their folders; rank 0 gathers
  // their summaries for batch.csv.
  const std::vector<int> owner = share_out(jobs, a);

  g_stop = false;
  auto old_int = std::signal(SIGINT, on_stop_signal);
  auto old_term = std::signal(SIGTERM, on_stop_signal);

  const int workers = std::max(1, std::min<int>(a.jobs, int(jobs.size())));
  // The rank's share of the cores (its affinity, as run takes it), split between the workers.
  const int threads = a.threads ? a.threads : std::max(1, sim::resolve_threads(0) / workers);
  sim::Progress bar("batch", jobs.size() * 1000, !a.quiet);
  std::mutex mutex;
  std::vector<double> fractions(jobs.size(), 0.0);
  std::size_t finished = 0;
  auto redraw = [&] {  // under mutex
    double units = 0;
    for (double f : fractions) units += f;
    bar.set_label(fmt::format("batch {}/{} files", finished, jobs.size()));
    bar.update(std::size_t(units * 1000));
  };
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (owner[i] == sim::dist::rank()) mine.push_back(i);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k; !g_stop && (k = next++) < mine.size();) {
      const std::size_t i = mine[k];
      Job& job = jobs[i];
      try {
        run_job(job, a, threads, [&](double f) {
          std::lock_guard lock(mutex);
          fractions[i] = f;
          redraw();
        });
      } catch (const Interrupted&) {
        return;
      } catch (const ScenarioError& e) {
        // One line per file in batch.csv and the final list: the problems joined by "; ".
        job.status = Job::Status::failed;
        for (const auto& p : e.problems) job.error += (job.error.empty() ? "" : "; ") + p;
      } catch (const std::exception& e) {
        job.error = e.what();
        if (job.status != Job::Status::done) job.status = Job::Status::failed;
      }
      std::lock_guard lock(mutex);
      fractions[i] = 1;
      ++finished;
      if (!a.quiet) {
        bar.finish();
        const char* what = !job.error.empty()                  ? "FAILED"
                           : job.status == Job::Status::reused ? "up to date, reused"
                                                               : "ok";
        std::cerr << fmt::format("[{}/{}] {}: {}{}\n", finished, jobs.size(), job.file.string(),
                                 what,
                                 job.status == Job::Status::done && job.error.empty()
                                     ? fmt::format(" ({:.1f} s)", job.seconds)
                                     : "");
      }
      redraw();
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  bar.finish();
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (!gather_jobs(jobs, owner, a.quiet)) return 0;  // rank 0 reports

  if (g_stop) {
    std::size_t done = 0;
    for (const auto& j : jobs)
      done += j.status == Job::Status::done || j.status == Job::Status::reused;
    std::cerr << fmt::format(
        "salesim: interrupted; {} of {} files have complete results in {}. Run the same command "
        "again to go on: finished files are skipped.\n",
        done, jobs.size(), a.out);
    return 130;
  }
  const Table table = consolidated(jobs);
  sim::write_text_atomically(out / "batch.csv", table.csv());
  if (!a.xlsx.empty()) write_xlsx(a.xlsx, {table_sheet("Batch", table)});

  std::vector<const Job*> failed;
  std::size_t reused = 0;
  for (const auto& j : jobs) {
    if (!j.error.empty())
      failed.push_back(&j);  // a reused file whose saved run missed --target-se too
    else
      reused += j.status == Job::Status::reused;
  }
  if (!a.quiet)
    std::cout << fmt::format("{} file{}: {} run, {} reused, {} failed. Wrote {}{}\n", jobs.size(),
                             jobs.size() == 1 ? "" : "s", jobs.size() - reused - failed.size(),
                             reused, failed.size(), (out / "batch.csv").string(),
                             a.xlsx.empty() ? "" : " and " + a.xlsx);
  if (failed.empty()) return 0;
  std::cerr << fmt::format("salesim: {} of {} files failed:\n", failed.size(), jobs.size());
  for (const Job* j : failed) {
    std::cerr << fmt::format("  {}: {}\n", j->file.string(), j->error);
  }
  return 1;
}

}  // namespace

void add_batch_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<BatchArgs>();
  auto* cmd = app.add_subcommand("batch", "Run many scenario files into one output folder");
  cmd->footer(
      "Writes OUTDIR/<file>/results.h5 and summary.json per scenario file and OUTDIR/batch.csv\n"
      "(a row per file and plan). Folders are searched recursively for *.yaml and *.yml.\n"
      "A re-run skips files whose results were made from the same scenario text, seed, paths\n"
      "and salesim build. Exit code 1 when any file failed (the others still run).\n"
      "Examples:\n"
      "  salesim batch scenarios/ -o out/\n"
      "  salesim batch clients/*.yaml -o out/ --jobs 2 --paths 5000");
  cmd->add_option("inputs", a->inputs, "Scenario files and folders")->required();
  cmd->add_option("-o,--output", a->out, "Output folder (created if missing)")->required();
  cmd->add_option("--jobs", a->jobs, "Files run at the same time (default 1)")
      ->transform(decimal_whole())
      ->check(CLI::Range(1, 256));
  cmd->add_option("--threads", a->threads, "Threads per file (default: all cores / jobs)")
      ->transform(decimal_whole())
      ->check(CLI::Range(0, 4096));
  // 1e4 as run, sweep and the others take it (CLI11 alone said "Value 1e4 not in range").
  cmd->add_option("--paths", a->paths, "Paths per plan for every file (default: each file's)")
      ->transform(whole_count())
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  cmd->add_option("--seed", a->seed, "Seed for every file (default: each file's)")
      ->check(seed_number());
  cmd->add_option("--target-se", a->target_se,
                  "Add paths to each file until the standard error of P(goal) is at most this")
      ->check(finite_number())
      ->check(number_between(1e-6, 0.5));
  auto* max_paths =
      cmd->add_option("--max-paths", a->max_paths, "Path limit per plan for --target-se")
          ->transform(whole_count())
          ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  cmd->add_flag("--force", a->force, "Run every file even when its results are up to date");
  cmd->add_option("--xlsx", a->xlsx, "Also write batch.csv's table as an Excel workbook");
  cmd->add_flag("--quiet", a->quiet, "Print nothing but errors");
  commands.push_back({cmd, [a, max_paths] {
                        note_max_paths_alone(max_paths, a->target_se.has_value(), a->quiet);
                        return batch(*a);
                      }});
}

}  // namespace salesim::tools
