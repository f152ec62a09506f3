// Reading a results file for the report (layout: docs/results-format.md), with messages that
// name the file and say what was expected.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <new>

#include "salesim/version.hpp"
#include "sim/h5.hpp"
#include "sim/isolated.hpp"
#include "tools/cli.hpp"
#include "tools/report.hpp"
#include "tools/results_h5.hpp"

namespace salesim::tools {
namespace {

constexpr const char* kHowToMake = "write one with `salesim run SCENARIO.yaml -o results.h5`";

// Text from a damaged file, fit for one line of a message: control bytes become '?'.
std::string printable(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s.size() > 300 ? s.substr(0, 300) + "..." : s;
}

BadInput damaged(const std::string& file, const std::string& why) {
  return BadInput(fmt::format(
      "{} is damaged: {} (an incomplete or damaged salesim results file); run salesim run again",
      file, printable(why)));
}

std::vector<double> read_1d(const sim::h5::Group& g, const std::string& name, std::size_t n) {
  std::vector<hsize_t> dims;
  auto v = g.read_doubles(name, &dims);
  if (v.size() != n)
    throw sim::h5::Error(fmt::format("{} has {} values, expected {}", name, v.size(), n));
  return v;
}

ReportPlan read_plan(const sim::h5::Group& plans, const std::string& name, int weeks) {
  ReportPlan p;
  p.name = name;
  const auto g = plans.open_group(name);
  if (g.has_attr("description")) p.description = g.attr_string("description");
  if (weeks <= 0 || weeks > 100000) throw sim::h5::Error(fmt::format("horizon_weeks is {}", weeks));
  const auto w = g.open_group("weekly");
  std::vector<hsize_t> dims;
  const auto q = w.read_doubles("cum_bookings_quantiles", &dims);
  if (dims.size() != 2 || dims[0] != hsize_t(weeks) || dims[1] != 7 ||
      q.size() != std::size_t(weeks) * 7)
    throw sim::h5::Error(
        fmt::format("plans/{}/weekly/cum_bookings_quantiles is not {} x 7", name, weeks));
  p.cum_q.resize(weeks);
  for (int i = 0; i < weeks; ++i)
    for (int k = 0; k < 7; ++k) p.cum_q[i][k] = q[i * 7 + k];
  p.burnout = read_1d(w, "burnout_mean_mean", weeks);
  p.burnt_out = read_1d(w, "burnt_out_reps_mean", weeks);
  p.leavers = read_1d(w, "leavers_mean", weeks);
  p.hires = read_1d(w, "hires_mean", weeks);
  p.headcount = read_1d(w, "headcount_mean", weeks);
  p.hours = read_1d(w, "hours_per_rep_mean", weeks);
  return p;
}

// HDF5 1.10 can crash or hang on damage to its own structures (the heap of variable-length
// strings) that the checksums cannot rule out: files of format 1.2 and older have none, and a
// file can be damaged and sealed again. So a file from outside is read once in a child process
// first (sim/isolated.hpp); only when that read ends is it read here. Reading twice costs little
// beside rendering the report.
void rehearse_read(const std::string& file, ReportData (*read)(const std::string&)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return;  // the read says what is wrong
  const auto size = fs::file_size(file, ec);
  const auto deadline = std::chrono::milliseconds(5000 + (ec ? 0 : size / 20'000));  // 20 MB/s
  const auto outcome = sim::run_isolated([&] { read(file); }, deadline);
  if (outcome.kind == sim::IsolatedOutcome::Kind::signalled ||
      outcome.kind == sim::IsolatedOutcome::Kind::exited_abnormally ||
      outcome.kind == sim::IsolatedOutcome::Kind::timed_out)
    throw damaged(file, "the HDF5 library failed reading it: " + outcome.describe());
}

ReportData read_unrehearsed(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw BadInput(
        fmt::format("{}: no such file; expected a salesim results file ({})", file, kHowToMake));
  if (fs::is_directory(file, ec))
    throw BadInput(
        fmt::format("{}: is a folder; expected a salesim results file ({})", file, kHowToMake));
  // A pipe (a FIFO, or <(cat results.h5)) waited for a writer for ever, or was read as "not
  // HDF5": HDF5 reads a file by seeking in it.
  if (fs::is_fifo(file, ec) || fs::is_socket(file, ec))
    throw BadInput(fmt::format(
        "{}: is a pipe, not a file; a results file is read by seeking in it: give the file itself",
        file));
  // The file checksum first, with plain reads: a damaged file must not reach HDF5.
  const auto file_damage = results_file_damage(file);
  if (file_damage && !file_damage->empty()) throw damaged(file, *file_damage);
  if (!sim::h5::File::is_hdf5(file))
    throw BadInput(fmt::format("{}: not an HDF5 file; expected a salesim results file ({})", file,
                               kHowToMake));
  sim::h5::QuietErrors quiet;
  ReportData d;
  d.file = file;
  try {
    auto f = sim::h5::File::open_read(file);
    // A file with a checksum is checked first, so damage anywhere (even in file_type) is
    // reported as damage; then a file without one is checked once it is known to be ours.
    const bool has_checksum = f.has_attr(kChecksumAttribute);
    if (has_checksum)
      if (const auto why = results_damage(f, false); !why.empty()) throw damaged(file, why);
    const std::string type = f.has_attr("file_type") ? f.attr_string("file_type") : "";
    if (type != kResultsFileType)
      throw BadInput(
          fmt::format("{}: not a salesim results file (file_type is '{}', expected '{}'); {}", file,
                      printable(type), kResultsFileType, kHowToMake));
    if (!f.has_attr("format_major")) throw damaged(file, "it has no format_major attribute");
    const std::int64_t major = f.attr_int("format_major");
    if (major != kResultsFormatMajor)
      throw BadInput(fmt::format(
          "{}: results format {} (format_major {}) cannot be read by salesim {}, which reads "
          "format_major {}; rerun the scenario with this salesim or report with the salesim "
          "that wrote it",
          file, printable(f.has_attr("format_version") ? f.attr_string("format_version") : "?"),
          major, sim::build::version, kResultsFormatMajor));
    if (!has_checksum)
      if (const auto why = results_damage(f, false); !why.empty()) throw damaged(file, why);
    d.format_version = f.attr_string("format_version");
    if (!file_damage && d.format_version != "1.0" && d.format_version != "1.1" &&
        d.format_version != "1.2")
      throw damaged(file, "it has no file checksum (in its first 512 bytes)");
    d.salesim_version = f.attr_string("salesim_version");
    d.git_revision = f.attr_string("git_revision");
    d.created = f.attr_string("created");
    d.scenario_name = f.attr_string("scenario_name");
    d.scenario_file = f.attr_string("scenario_file");
    d.start_date = f.attr_string("start_date");
    const std::int64_t horizon = f.attr_int("horizon_weeks");
    if (horizon <= 0 || horizon > 100000)
      throw sim::h5::Error(fmt::format("horizon_weeks is {}", horizon));
    d.horizon = int(horizon);
    d.goal_by_week = int(f.attr_int("goal_by_week"));
    const double goal = f.attr_double("goal_revenue");
    if (std::isfinite(goal)) d.goal = goal;
    d.scenario_text = f.read_string("scenario_text");
    try {
      d.summary = nlohmann::json::parse(f.read_string("summary_json"));
    } catch (const nlohmann::json::exception& e) {
      throw BadInput(fmt::format("{}: summary_json is not valid JSON ({})", file, e.what()));
    }
    const auto order = f.read_strings("plan_order");
    if (order.empty()) throw BadInput(fmt::format("{}: the results hold no plan", file));
    if (!d.summary.contains("plans") || d.summary["plans"].size() != order.size())
      throw BadInput(fmt::format("{}: summary_json does not list the {} plans of plan_order", file,
                                 order.size()));
    const auto plans = f.open_group("plans");
    const auto comps = f.open_group("comparisons");
    for (std::size_t i = 0; i < order.size(); ++i) {
      d.plans.push_back(read_plan(plans, order[i], d.horizon));
      if (i > 0) {
        const auto c = comps.open_group(order[i] + "_vs_" + order[0]);
        // A streamed run (root attribute per_path = 0) has no per-path differences.
        if (c.has("final_bookings_diff"))
          d.plans.back().diff = c.read_doubles("final_bookings_diff");
        if (c.has("final_arr_diff")) d.plans.back().arr_diff = c.read_doubles("final_arr_diff");
      }
    }
  } catch (const BadInput&) {
    throw;
  } catch (const sim::h5::Error& e) {
    throw damaged(file, e.what());
  } catch (const std::bad_alloc&) {
    throw damaged(file, "it claims more data than fits in memory");
  } catch (const std::exception& e) {  // e.g. a JSON value of the wrong type
    throw damaged(file, e.what());
  }
  return d;
}

}  // namespace

ReportData read_report_data(const std::string& file, bool own_file) {
  if (!own_file) rehearse_read(file, read_unrehearsed);
  return read_unrehearsed(file);
}

}  // namespace salesim::tools
