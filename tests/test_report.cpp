// `salesim report`: every figure equals the JSON summary, the sections are there, nothing is
// loaded from outside, charts are accessible, bad input is named; and the HDF5 read helpers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "sim/h5.hpp"
#include "test_support.hpp"
#include "tools/chromium.hpp"
#include "tools/report.hpp"
#include "tools/report_format.hpp"
#include "tools/results_h5.hpp"
#include "tools/summary_json.hpp"
#include "tools/terminal.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::shell;

std::string salesim(const std::string& args) { return test::binary() + " " + args; }

// One run and one report shared by the tests of the suite (a run takes about a second).
struct Report : ::testing::Test {
  static inline fs::path dir;
  static inline std::string html;
  static inline json summary;

  static void SetUpTestSuite() {
    // One folder per process: ctest runs each test case in its own process, in parallel.
    dir = fs::temp_directory_path() / ("salesim-report-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string out;
    ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 300 --seed 11 --quiet -o " +
                            (dir / "r.h5").string() + " --json " + (dir / "s.json").string()),
                    &out),
              0)
        << out;
    ASSERT_EQ(
        shell(salesim("report " + (dir / "r.h5").string() + " -o " +
                      (dir / "report.html").string() + " --charts " + (dir / "charts").string() +
                      " --client 'ACME <Ltd> & Co' --currency '$' --title 'FY25 plans'"),
              &out),
        0)
        << out;
    html = test::read_file((dir / "report.html").string());
    summary = json::parse(test::read_file((dir / "s.json").string()));
  }
  static void TearDownTestSuite() { fs::remove_all(dir); }
};

struct Fig {
  std::string pointer, kind, value, text;
};
std::vector<Fig> figures(const std::string& html) {
  static const std::regex re(
      R"re(<span class="fig" data-json="([^"]*)" data-kind="([^"]*)" data-value="([^"]*)">([^<]*)</span>)re");
  std::vector<Fig> out;
  for (std::sregex_iterator it(html.begin(), html.end(), re), end; it != end; ++it)
    out.push_back({(*it)[1], (*it)[2], (*it)[3], (*it)[4]});
  return out;
}

std::string unescape(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
    for (std::size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, from.size(), to);
  return s;
}

// The number a figure's text shows and the half-width of its rounding, read back from the
// text alone ("$4.96M" -> 4.96e6 +- 5e3; "99.9%" -> 0.999 +- 5e-4; "week 44 (...)" -> 44).
struct Shown {
  double value, tolerance;
  int bound = 0;  // -1: "<x" (the value is below), +1: ">x"
};
Shown read_back(std::string t, const std::string& kind) {
  Shown s{0, 0};
  if (kind == "week") {
    const auto p = t.find("week ");
    return {std::stod(t.substr(p + 5)), 0.51};
  }
  std::string digits;
  double scale = 1;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '<') s.bound = -1;
    if (c == '>') s.bound = 1;
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-') digits += c;
    if (c == 'k') scale = 1e3;
    if (c == 'M') scale = 1e6;
    if (c == 'B') scale = 1e9;
  }
  const bool percent = kind.rfind("prob", 0) == 0;
  if (percent) scale = 0.01;
  const auto dot = digits.find('.');
  const int decimals = dot == std::string::npos ? 0 : int(digits.size() - dot - 1);
  s.value = std::stod(digits) * scale;
  s.tolerance = 0.5 * std::pow(10.0, -decimals) * scale * 1.0000001;
  return s;
}

TEST_F(Report, EveryFigureEqualsTheJsonSummary) {
  const auto figs = figures(html);
  ASSERT_GT(figs.size(), 150u);
  for (const auto& f : figs) {
    SCOPED_TRACE(f.pointer + " shown as '" + f.text + "'");
    const json::json_pointer ptr(unescape(f.pointer));
    ASSERT_TRUE(summary.contains(ptr));
    const json expected = summary.at(ptr);
    EXPECT_EQ(json::parse(unescape(f.value)), expected) << "data-value is the JSON's figure";
    if (expected.is_null()) {
      EXPECT_EQ(f.text, "n/a");
      continue;
    }
    double v = expected.get<double>();
    if (f.kind == "money_abs") v = std::fabs(v);
    const Shown s = read_back(unescape(f.text), f.kind);
    if (s.bound < 0)
      EXPECT_LT(v, s.value);
    else if (s.bound > 0)
      EXPECT_GT(v, s.value);
    else
      EXPECT_NEAR(v, s.value, s.tolerance) << "the text shows the figure, rounded";
  }
  // The parts' means in the table "by part" and the largest part's were shown untagged.
  std::size_t effects = 0;
  for (const auto& f : figs)
    effects += f.pointer.find("/vs_first/drivers/") != std::string::npos && f.pointer.size() > 7 &&
               f.pointer.compare(f.pointer.size() - 7, 7, "/effect") == 0;
  EXPECT_GE(effects, 3 * 5 + 1) << "three plans' five parts, and the largest one's in the text";
}

TEST_F(Report, HeadlineFiguresOfEveryPlanAreShown) {
  std::set<std::string> shown;
  for (const auto& f : figures(html)) shown.insert(f.pointer);
  std::vector<std::string> want = {"/paths", "/goal/revenue", "/goal/by_week"};
  for (std::size_t i = 0; i < summary["plans"].size(); ++i) {
    const std::string p = "/plans/" + std::to_string(i);
    for (const char* k :
         {"/goal/p_met", "/goal/se", "/p_all_checkpoints", "/p_all_checkpoints_se",
          "/final_bookings/p10", "/final_bookings/p50", "/final_bookings/p90", "/cost/mean",
          "/cost/se", "/profit/mean", "/profit/se", "/people/burnout_mean_final",
          "/people/burnt_out_share_final", "/people/leavers_mean", "/people/leavers_se",
          "/people/headcount_final_mean", "/people/hours_per_rep_week_mean"})
      want.push_back(p + k);
    for (std::size_t c = 0; c < summary["plans"][i]["checkpoints"].size(); ++c) {
      want.push_back(p + "/checkpoints/" + std::to_string(c) + "/p_met");
      want.push_back(p + "/checkpoints/" + std::to_string(c) + "/se");
      want.push_back(p + "/bookings_at_checkpoints/" + std::to_string(c) + "/mean");
    }
    if (i == 0) continue;
    for (const char* k :
         {"/final_bookings_diff_mean", "/se", "/p_better", "/p_goal_diff", "/p_goal_diff_se",
          "/cost_diff_mean", "/cost_diff_se", "/profit_diff_mean", "/profit_diff_se", "/roi",
          "/leavers_diff_mean", "/checkpoints_diff/0/p_met_diff", "/checkpoints_diff/0/se"})
      want.push_back(p + "/vs_first" + k);
  }
  for (const auto& w : want) EXPECT_TRUE(shown.count(w)) << w << " is not in the report";
}

TEST_F(Report, HasEverySectionAndLoadsNothingFromOutside) {
  for (const char* id : {"answer", "bookings", "goal-checkpoints", "comparison", "people",
                         "cost-and-return", "assumptions", "method", "analysts", "scenario"})
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\""), std::string::npos) << id;
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("FY25 plans"), std::string::npos) << "the title";
  EXPECT_NE(html.find("ACME &lt;Ltd&gt; &amp; Co"), std::string::npos) << "the client, escaped";
  EXPECT_NE(html.find("targeted-effectiveness"), std::string::npos);
  EXPECT_NE(html.find("org.coaching_hours_per_rep"), std::string::npos) << "a plan's change";
  EXPECT_GT(html.find("org.coaching_hours_per_rep"), html.find("<section id=\"analysts\""))
      << "key names only in the analysts' appendix";
  EXPECT_NE(html.find("What the model leaves out"), std::string::npos);
  for (const char* bad : {"<link", "@import", "<iframe", "<object", "<embed"})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  // Every src and href stays inside the file: data: URIs and #anchors only.
  static const std::regex ref(R"re((src|href)\s*=\s*"([^"]*)")re");
  int refs = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), ref), end; it != end; ++it, ++refs) {
    const std::string v = (*it)[2];
    EXPECT_TRUE(v.rfind("#", 0) == 0 || v.rfind("data:", 0) == 0) << v;
  }
  EXPECT_GT(refs, 5);
  static const std::regex css_url(R"re(url\(\s*['"]?([^)'"]*))re");
  for (std::sregex_iterator it(html.begin(), html.end(), css_url), end; it != end; ++it)
    EXPECT_EQ(std::string((*it)[1]).rfind("#", 0), 0u) << "url() only to in-page patterns";
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(\b(nan|inf)\b)", std::regex::icase)));
}

TEST_F(Report, ChartsHaveTitlesDescriptionsAndAreWrittenForSlides) {
  std::size_t svgs = 0, pos = 0;
  while ((pos = html.find("<svg ", pos)) != std::string::npos) {
    const std::size_t end = html.find("</svg>", pos);
    const std::string svg = html.substr(pos, end - pos);
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg.find("aria-label=\""), std::string::npos);
    EXPECT_TRUE(std::regex_search(svg, std::regex("<title id=\"[^\"]+\">[^<]+</title>")));
    EXPECT_TRUE(std::regex_search(svg, std::regex("<desc id=\"[^\"]+\">[^<]{20,}</desc>")));
    ++svgs, pos = end;
  }
  EXPECT_EQ(svgs, 15u) << "median, 4 fans, checkpoints, 3 differences, why, 4 people, money";
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "charts")) {
    ++files;
    std::string out;
    EXPECT_EQ(shell(std::string(SALESIM_PYTHON) +
                        " -c \"import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])\" " +
                        e.path().string(),
                    &out),
              0)
        << e.path() << out;
  }
  EXPECT_EQ(files, svgs);
  EXPECT_TRUE(fs::exists(dir / "charts" / "fan-3-targeted-effectiveness.svg"));
  // Dates on the time axis (the scenario has a start date) and money with the currency.
  EXPECT_NE(html.find(">Jan 2026<"), std::string::npos);
  EXPECT_NE(html.find("Cumulative bookings ($)"), std::string::npos);
  EXPECT_NE(html.find("Goal $16M"), std::string::npos);
}

TEST_F(Report, RunReportShortcutWritesTheSameKindOfReport) {
  auto temporaries = [] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
      n += e.path().filename().string().rfind("salesim-report-", 0) == 0 &&
           e.path().extension() == ".h5";
    return n;
  };
  const int before = temporaries();
  std::string out;
  const auto file = (dir / "run-report.html").string();
  ASSERT_EQ(
      shell(salesim("run " + test::example() + " --paths 100 --quiet --report " + file), &out), 0)
      << out;
  const std::string h = test::read_file(file);
  EXPECT_NE(h.find("<section id=\"answer\""), std::string::npos);
  EXPECT_NE(h.find("not saved"), std::string::npos) << "no results file was asked for";
  EXPECT_EQ(temporaries(), before) << "the temporary results file is removed";
}

TEST_F(Report, PdfWithoutChromiumSaysHowToGetIt) {
  std::string out;
  const auto pdf = dir / "r.pdf", h = dir / "nochrome.html";
  EXPECT_EQ(shell("SALESIM_CHROMIUM=/nonexistent/chromium " +
                      salesim("report " + (dir / "r.h5").string() + " -o " + h.string() +
                              " --pdf " + pdf.string()),
                  &out),
            1)
      << out;
  EXPECT_NE(out.find("apt-get install chromium"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(h)) << "the HTML is still written";
  EXPECT_FALSE(fs::exists(pdf));
}

// DESIGN.md: charts exportable as SVG and PNG for slides (Google Slides and Keynote take no SVG).
// Each chart's PNG is twice its SVG's size, drawn (not blank), beside the SVG.
TEST_F(Report, ChartsAsPngForSlidesWhenAsked) {
  std::string out;
  const auto charts = dir / "png-charts", h = dir / "png.html";
  // Without Chromium: the HTML and the SVGs are written, the PNGs are not, exit 1 saying why.
  EXPECT_EQ(shell("SALESIM_CHROMIUM=/nonexistent/chromium " +
                      salesim("report " + (dir / "r.h5").string() + " -o " + h.string() +
                              " --no-sensitivity --charts " + charts.string() + " --png"),
                  &out),
            1)
      << out;
  EXPECT_NE(out.find("--png needs headless Chromium"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(charts / "bookings-median.svg"));
  EXPECT_FALSE(fs::exists(charts / "bookings-median.png"));
  // --png alone, and a report that a chart's PNG could replace, are refused before anything.
  EXPECT_EQ(
      shell(salesim("report " + (dir / "r.h5").string() + " -o " + h.string() + " --png"), &out), 2)
      << out;
  EXPECT_NE(out.find("--png requires --charts"), std::string::npos) << out;
  EXPECT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o " +
                          (charts / "bookings-median.png").string() + " --charts " +
                          charts.string() + " --png"),
                  &out),
            2)
      << out;
  EXPECT_NE(out.find("writes the charts there as .png files"), std::string::npos) << out;

  if (tools::find_chromium().empty()) GTEST_SKIP() << "chromium is not installed";
  ASSERT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o " + h.string() +
                          " --no-sensitivity --charts " + charts.string() + " --png"),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("as PNG (twice their size)"), std::string::npos) << out;
  std::size_t svgs = 0;
  for (const auto& e : fs::directory_iterator(charts)) {
    if (e.path().extension() != ".svg") continue;
    ++svgs;
    const std::string png = test::read_file(fs::path(e.path()).replace_extension(".png").string());
    ASSERT_GT(png.size(), 24u) << e.path();
    ASSERT_EQ(png.rfind("\x89PNG\r\n\x1a\n", 0), 0u) << e.path();
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    auto be32 = [&](std::size_t at) {
      return (unsigned char)png[at] << 24 | (unsigned char)png[at + 1] << 16 |
             (unsigned char)png[at + 2] << 8 | (unsigned char)png[at + 3];
    };
    const std::string svg = test::read_file(e.path().string());
    const std::smatch m = [&] {
      std::smatch r;
      std::regex_search(svg, r, std::regex(R"re(width="(\d+)" height="(\d+)")re"));
      return r;
    }();
    ASSERT_EQ(m.size(), 3u) << e.path();
    EXPECT_EQ(be32(16), 2 * std::stoul(m[1])) << e.path();
    EXPECT_EQ(be32(20), 2 * std::stoul(m[2])) << e.path();
    EXPECT_GT(png.size(), 5000u) << e.path() << ": a drawn chart, not a blank page";
  }
  EXPECT_GT(svgs, 5u);
}

TEST_F(Report, PdfThroughChromiumWhenInstalled) {
  if (tools::find_chromium().empty()) GTEST_SKIP() << "chromium is not installed";
  std::string out;
  const auto pdf = dir / "r.pdf";
  ASSERT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o " + (dir / "p.html").string() +
                          " --pdf " + pdf.string()),
                  &out),
            0)
      << out;
  const std::string bytes = test::read_file(pdf.string());
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_NE(bytes.find("/MediaBox [0 0 841.9"), std::string::npos) << "A4 landscape";
}

TEST_F(Report, LogoIsEmbeddedAndABadOneIsRefused) {
  const auto png = dir / "logo.png", txt = dir / "logo.txt";
  std::ofstream(png, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  std::ofstream(txt) << "not an image";
  std::string out;
  const auto h = dir / "logo.html";
  ASSERT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o " + h.string() + " --logo " +
                          png.string()),
                  &out),
            0)
      << out;
  EXPECT_NE(test::read_file(h.string()).find("src=\"data:image/png;base64,iVBORw0KGgo"),
            std::string::npos);
  EXPECT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o " + h.string() + " --logo " +
                          txt.string()),
                  &out),
            2);
  EXPECT_NE(out.find("not an image"), std::string::npos) << out;
  // A folder is bad input named as such (it was exit 1: "basic_filebuf::underflow error").
  EXPECT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o " + h.string() + " --logo " +
                          dir.string()),
                  &out),
            2);
  EXPECT_NE(out.find("--logo " + dir.string() + ": is a folder; expected an image file"),
            std::string::npos)
      << out;
}

// Hours per rep and reps in post were drawn on axes zoomed to the data (40.0 to 40.2 hours, its
// ticks labelled 40, 40, 40.1, 40.1, ...): a tenth of an hour looked like a surge.
TEST_F(Report, PeopleChartsStartAtZeroWithDistinctTicks) {
  const std::regex tick(R"(<text[^>]*text-anchor="end"[^>]*>([^<]*)</text>)");
  for (const char* id : {"burnout", "leavers", "headcount", "hours"}) {
    const std::string svg =
        test::read_file((dir / "charts" / (std::string("people-") + id + ".svg")).string());
    std::vector<std::string> labels;
    for (std::sregex_iterator i(svg.begin(), svg.end(), tick), e; i != e; ++i)
      labels.push_back((*i)[1]);
    ASSERT_GE(labels.size(), 3u) << id;
    EXPECT_EQ(labels.front(), "0") << id << ": " << ::testing::PrintToString(labels);
    EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size())
        << id << ": " << ::testing::PrintToString(labels);
  }
}

TEST_F(Report, BadInputNamesTheFileAndWhatWasExpected) {
  std::string out;
  const auto html_out = (dir / "bad.html").string();
  EXPECT_EQ(shell(salesim("report " + (dir / "missing.h5").string() + " -o " + html_out), &out), 2);
  EXPECT_NE(out.find("missing.h5: no such file"), std::string::npos) << out;
  const auto text = dir / "text.h5";
  std::ofstream(text) << "hello";
  EXPECT_EQ(shell(salesim("report " + text.string() + " -o " + html_out), &out), 2);
  EXPECT_NE(out.find("text.h5: not an HDF5 file"), std::string::npos) << out;
  {
    auto f = sim::h5::File::create((dir / "other.h5").string());
    f.attr("file_type", std::string("something-else"));
  }
  EXPECT_EQ(shell(salesim("report " + (dir / "other.h5").string() + " -o " + html_out), &out), 2);
  EXPECT_NE(out.find("not a salesim results file (file_type is 'something-else'"),
            std::string::npos)
      << out;
  {
    auto f = sim::h5::File::create((dir / "future.h5").string());
    f.attr("file_type", std::string("salesim-results"));
    f.attr("format_major", std::int64_t(2));
    f.attr("format_version", std::string("2.0"));
  }
  EXPECT_EQ(shell(salesim("report " + (dir / "future.h5").string() + " -o " + html_out), &out), 2);
  EXPECT_NE(out.find("format 2.0 (format_major 2)"), std::string::npos) << out;
  {
    auto f = sim::h5::File::create((dir / "partial.h5").string());
    f.attr("file_type", std::string("salesim-results"));
    f.attr("format_major", std::int64_t(1));
  }
  EXPECT_EQ(shell(salesim("report " + (dir / "partial.h5").string() + " -o " + html_out), &out), 2);
  EXPECT_NE(out.find("incomplete or damaged"), std::string::npos) << out;
  EXPECT_EQ(out.find("HDF5-DIAG"), std::string::npos) << "no HDF5 error stack: " << out;
  EXPECT_FALSE(fs::exists(html_out));
  // A FIFO with no writer: the report waited for one for ever.
  const auto fifo = (dir / "fifo.h5").string();
  ASSERT_EQ(shell("mkfifo " + fifo), 0);
  EXPECT_EQ(shell("timeout 60 " + salesim("report " + fifo + " -o " + html_out), &out), 2) << out;
  EXPECT_NE(out.find("fifo.h5: is a pipe, not a file"), std::string::npos) << out;
  // A report named as one of its charts, in the charts' folder, was replaced by that chart
  // (exit 0, the "report" an SVG).
  const auto clash = (dir / "clash").string();
  fs::create_directories(clash);
  EXPECT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o " + clash +
                          "/bookings-median.svg --charts " + clash + " --no-sensitivity"),
                  &out),
            2);
  EXPECT_NE(out.find("/bookings-median.svg: --charts " + clash + " writes a chart of that name"),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(clash + "/bookings-median.svg"));
  // An empty -o failed at the write: "cannot write : No such file or directory", exit 1.
  EXPECT_EQ(shell(salesim("report " + (dir / "r.h5").string() + " -o ''"), &out), 2);
  EXPECT_NE(out.find("-o/--output: expected a value, found an empty one ('')"), std::string::npos)
      << out;
}

// A results file of format 1.3, intact, from an older salesim crashed the report (a segfault:
// the summary had no conditional figures, and a const JSON lookup of a missing key is undefined
// behaviour). The older files of the fuzz corpus are reported; every file there is reported or
// refused with exit 2, and a key missing from a current file is a refusal, not a crash.
TEST_F(Report, ResultsFilesOfOlderSalesimsAreReportedOrRefusedNeverACrash) {
  std::string out;
  const fs::path corpus = fs::path(test::source_dir()) / "fuzz/corpus/results";
  for (const char* older : {"nexacorp-5paths.h5", "tiny-streamed.h5", "tiny-format-1.2.h5"}) {
    EXPECT_EQ(shell(salesim("report " + (corpus / older).string() + " -o " +
                            (dir / "older.html").string() + " --no-sensitivity"),
                    &out),
              0)
        << older << ": " << out;
  }
  for (const auto& e : fs::directory_iterator(corpus)) {
    const int rc = shell(salesim("report " + e.path().string() + " -o " +
                                 (dir / "any.html").string() + " --no-sensitivity"),
                         &out);
    EXPECT_TRUE(rc == 0 || rc == 2) << e.path() << " exit " << rc << ": " << out;
  }
  // A summary of the wrong shape is damage, whatever the file's version: only a missing value
  // in an older file is "written by an older salesim".
  EXPECT_EQ(shell(salesim("report " + test::source_dir() +
                          "/fuzz/crashes/results/report-summary-json-shape-format-1.2.h5 -o " +
                          (dir / "shape.html").string() + " --no-sensitivity"),
                  &out),
            2);
  EXPECT_NE(out.find("is damaged: its summary_json does not have the shape"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("older salesim"), std::string::npos) << out;
}

TEST_F(Report, AScenarioWithoutGoalOrDatesStillReports) {
  const auto yaml = dir / "nogoal.yaml";
  std::ofstream(yaml) << "salesim: 1\nname: \"Small <team>\"\nsimulation: {horizon_weeks: 20}\n"
                         "plans: [{name: a}, {name: b, set: {capacity.max_hours: 60}}]\n";
  std::string out;
  const auto h = dir / "nogoal.html";
  ASSERT_EQ(
      shell(salesim("run " + yaml.string() + " --paths 50 --quiet --report " + h.string()), &out),
      0)
      << out;
  const std::string page = test::read_file(h.string());
  EXPECT_NE(page.find("sets no revenue goal"), std::string::npos);
  EXPECT_NE(page.find("Small &lt;team&gt;"), std::string::npos);
  EXPECT_NE(page.find(">Week<"), std::string::npos) << "weeks, not dates";
  EXPECT_FALSE(std::regex_search(page, std::regex(R"(\b(nan|inf)\b)", std::regex::icase)));
}

// The page without the line-break hints (<wbr>) that the long keys carry, so they read as typed.
std::string without_breaks(const std::string& html) {
  return std::regex_replace(html, std::regex("<wbr>"), "");
}

// The client part: the page before the analysts' appendix, as text (no tags, styles, scripts).
std::string client_text(const std::string& html) {
  std::string body = html.substr(0, html.find("<section id=\"analysts\""));
  body = body.substr(body.find("<body>"));
  body = std::regex_replace(body, std::regex(R"(<script[\s\S]*?</script>)"), " ");
  body = std::regex_replace(body, std::regex("<[^>]*>"), " ");
  return body;
}

TEST_F(Report, ClientPartHasNoKeyNamesFileNamesOrPointersToDocs) {
  ASSERT_NE(html.find("<section id=\"analysts\""), std::string::npos);
  const std::string text = client_text(html);
  std::smatch m;
  EXPECT_FALSE(std::regex_search(text, m, std::regex(R"([a-z_]+\.[a-z_]+)")))
      << "a key name in the client part: '" << m.str() << "' in ..."
      << text.substr(std::max<long>(0, long(m.position()) - 80), 160);
  for (const char* bad : {"quota-carrying", "docs/", "awareness of the activities they avoid is",
                          "null", "salesim sensitivity"})
    EXPECT_EQ(text.find(bad), std::string::npos) << bad;
  // The keys are in the appendix instead.
  const std::string page = without_breaks(html);
  const std::string appendix = page.substr(page.find("<section id=\"analysts\""));
  for (const char* key : {"org.coaching_hours_per_rep", "prospecting.target_hours",
                          "pipeline.deal_size.mean", "people.attrition_annual"})
    EXPECT_NE(appendix.find(key), std::string::npos) << key;
}

// The report's extension tests, each with an empty folder of its own (`dir`).
struct ReportExtensions : test::FolderTest {
  ReportExtensions() : FolderTest("report-ext") {}
};

// The extensions in the client pages (from a consultant's walk): a plan's territories were "No
// changes", an ARR goal read "Bookings of", a commission on ACV "of bookings", the method said
// the model leaves out renewals, seasonality and uncertain assumptions that the scenario had,
// the ARR checkpoints' table was captioned "cumulative bookings", and the robustness section
// and the warnings named scenario keys before the appendix.
TEST_F(ReportExtensions, ClientPagesDescribeTheExtensionsTheScenarioUsesInPlainWords) {
  auto report_of = [&](const std::string& name) {
    const std::string h5 = (dir / (name + ".h5")).string(),
                      html = (dir / (name + ".html")).string();
    std::string out;
    EXPECT_EQ(shell(salesim("run " + test::source_dir() + "/scenarios/" + name +
                            ".yaml --paths 120 --quiet -o " + h5),
                    &out),
              0)
        << out;
    EXPECT_EQ(shell(salesim("report " + h5 + " -o " + html + " --no-sensitivity"), &out), 0) << out;
    return test::read_file(html);
  };
  auto method_of = [](const std::string& page) {
    const auto from = page.find("<section id=\"method\"");
    return page.substr(from, page.find("<section id=\"analysts\"") - from);
  };
  for (const char* name : {"territory-rebalance", "saas-renewals", "uncertain-assumptions"}) {
    SCOPED_TRACE(name);
    const std::string page = report_of(name);
    const std::string text = client_text(page);
    std::smatch m;
    EXPECT_FALSE(std::regex_search(text, m, std::regex(R"([a-z_]+\.[a-z_]+)")))
        << "a key name in the client part: '" << m.str() << "' in ..."
        << text.substr(std::max<long>(0, long(m.position()) - 80), 160);
    EXPECT_EQ(text.find("docs/"), std::string::npos);
    EXPECT_EQ(text.find("currency/week"), std::string::npos);

    const std::string method = method_of(page);
    if (std::string(name) == "territory-rebalance") {
      EXPECT_NE(page.find("Reps by segment: <strong>enterprise 9, mid-market 11 and smb 10"),
                std::string::npos);
      EXPECT_NE(page.find("<dt>Segments</dt>"), std::string::npos);
      EXPECT_NE(page.find("<dt>Quotas</dt>"), std::string::npos);
      EXPECT_NE(page.find("4% more commission above 100% of quota"), std::string::npos);
      EXPECT_NE(method.find("deal sizes follow one distribution per segment"), std::string::npos);
    }
    if (std::string(name) == "saas-renewals") {
      EXPECT_NE(page.find("<dd>ARR of "), std::string::npos);
      EXPECT_NE(page.find("<dt>Revenue</dt>"), std::string::npos);
      EXPECT_NE(page.find("<dt>Calendar</dt>"), std::string::npos);
      EXPECT_NE(page.find("Mean ARR at each checkpoint"), std::string::npos);
      EXPECT_EQ(page.find("Mean cumulative bookings at each checkpoint"), std::string::npos);
      EXPECT_EQ(method.find("bookings are new deals"), std::string::npos);
      EXPECT_EQ(method.find("seasonality"), std::string::npos);
      EXPECT_NE(method.find("and the seasons given"), std::string::npos);
    }
    if (std::string(name) == "uncertain-assumptions") {
      EXPECT_NE(page.find("<dt>Uncertain</dt>"), std::string::npos);
      EXPECT_EQ(method.find("uncertainty about the assumptions themselves"), std::string::npos);
      EXPECT_NE(method.find("uncertain ones are drawn in every future"), std::string::npos);
      // The keys of the uncertain assumptions are in the appendix instead.
      const std::string appendix =
          without_breaks(page.substr(page.find("<section id=\"analysts\"")));
      EXPECT_NE(appendix.find("The uncertain assumptions, as scenario keys"), std::string::npos);
      // A region's bounds to three significant digits, as the JSON's summary (it printed
      // "at most 0.231418 per unit overload").
      EXPECT_FALSE(
          std::regex_search(text, m, std::regex(R"(of (at most|at least) [0-9]*\.[0-9]{4,})")))
          << m.str();
    }
  }
}

// A quota on some segments only, with no team quota to fall back on: the others carry none
// (the report said every rep carried its segment's quota).
TEST_F(ReportExtensions, QuotaOnSomeSegmentsOnlySaysWhoCarriesNone) {
  const std::string yaml = (dir / "q.yaml").string(), h5 = (dir / "q.h5").string(),
                    html = (dir / "q.html").string();
  std::ofstream(yaml) << "salesim: 2\nname: q\nsimulation: {horizon_weeks: 8, paths: 16}\n"
                      << test::kSmallTeam
                      << "segments:\n  - {name: north, accounts: 400, quota: {annual: 200000}}\n"
                         "  - {name: south, accounts: 800}\nplans: [{name: only}]\n";
  std::string out;
  ASSERT_EQ(shell(salesim("run " + yaml + " --quiet -o " + h5), &out), 0) << out;
  ASSERT_EQ(shell(salesim("report " + h5 + " -o " + html + " --no-sensitivity"), &out), 0) << out;
  const std::string page = test::read_file(html);
  EXPECT_NE(page.find("Reps in north carry their segment's quota (above), pro rata over the weeks "
                      "worked; those in south carry none"),
            std::string::npos);
}

// A run of scenarios/<name>.yaml with its report (further options in `opts`), as HTML.
std::string report_of_scenario(const fs::path& dir, const std::string& name,
                               const std::string& opts) {
  const std::string html = (dir / (name + ".html")).string();
  std::string out;
  EXPECT_EQ(shell(salesim("run " + test::source_dir() + "/scenarios/" + name +
                          ".yaml --paths 150 --seed 5 --quiet --report " + html + " " + opts),
                  &out),
            0)
      << out;
  return test::read_file(html);
}

// The texts of the chart with id `id`, in order.
std::vector<std::string> chart_texts(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return {};
  const std::size_t from = html.rfind("<svg ", at);
  const std::string svg = html.substr(from, html.find("</svg>", at) - from);
  static const std::regex re("<text[^>]*>([^<]*)</text>");
  std::vector<std::string> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it)
    out.push_back(unescape((*it)[1]));
  return out;
}

// The ARR bridge printed its bars' amounts as bare "5.99M" and "+4.81M" while every other
// chart's money carries the --currency symbol.
TEST_F(ReportExtensions, ArrBridgeLabelsItsAmountsWithTheCurrency) {
  const std::string page =
      report_of_scenario(dir, "saas-renewals", "--currency '$' --no-sensitivity");
  const auto texts = chart_texts(page, "arr-bridge");
  ASSERT_FALSE(texts.empty()) << "no ARR bridge";
  EXPECT_NE(std::find(texts.begin(), texts.end(), "ARR ($)"), texts.end()) << "the axis' unit";
  // Each bar's label is followed by its amount, in the report's money format.
  const std::regex money(R"([+-]?\$[0-9.]+[kMB]?)");
  int amounts = 0;
  for (const char* bar : {"ARR at the start", "new contracts", "expansion at renewals",
                          "churn at anniversaries", "ARR at the horizon (mean)"}) {
    const auto it = std::find(texts.begin(), texts.end(), bar);
    ASSERT_TRUE(it != texts.end() && it + 1 != texts.end()) << bar;
    EXPECT_TRUE(std::regex_match(*(it + 1), money)) << bar << ": '" << *(it + 1) << "'";
    ++amounts;
  }
  EXPECT_EQ(amounts, 5);
  EXPECT_TRUE(std::regex_match(*(std::find(texts.begin(), texts.end(), "new contracts") + 1),
                               std::regex(R"(\+\$.*)")))
      << "a gain is signed before the currency, as money_signed prints it";
}

// The sensitivity check names each factor inside sentences ("leans most on X", "Next comes X"):
// a key's bare meaning read "Next comes probability that a contract renews at an anniversary
// (6.3% to 96.2%)", a list item "the targeted-skills training: efficacy", and a name ending in
// its own parentheses ran into the figures'. Every lever kind these scenarios have: key
// assumptions, plan keys (renewal rate, marketing spend, coaching policy), training and
// programme items.
TEST_F(ReportExtensions, SensitivityNamesEveryFactorAsANounPhraseInTheSentences) {
  const std::string fig = R"(<span class="sens" data-value="[^"]+">[^<]+</span>)";
  const std::regex next(" Next comes ([^<]+?), which moves its chance of reaching the goal from " +
                        fig + " to " + fig + "(; then ([^<]+?), from " + fig + " to " + fig +
                        ")?\\.</p>");
  const std::regex row(
      R"(<tr><th>([^<]+)</th><td class="t">[\s\S]*?</td><td class="t">([^<]*)</td>)");
  // A noun phrase: "the ...", or the one mass noun among the key assumptions (capitalised, as
  // the table's row headers are).
  const std::regex noun_phrase(R"(([Tt]he |[Ss]taff turnover ).*)");
  for (const char* name :
       {"nexacorp", "saas-renewals", "territory-rebalance", "uncertain-assumptions"}) {
    SCOPED_TRACE(name);
    const std::string page = report_of_scenario(dir, name, "--currency '$'");
    const std::size_t at = page.find("The answer leans most on");
    ASSERT_NE(at, std::string::npos);
    const std::string para = page.substr(at, page.find("</p>", at) + 4 - at);
    std::smatch m;
    EXPECT_TRUE(std::regex_search(para, m, next)) << para;
    const std::string text = unescape(para);
    for (const char* bad : {"comes probability", "comes growth", "comes marketing", ") (", ": "})
      EXPECT_EQ(text.find(bad, text.find("Next comes")), std::string::npos) << bad << para;

    const std::string table = page.substr(page.find("<table class=\"data sensitivity\">"));
    int factors = 0, deal_size_rows = 0;
    for (std::sregex_iterator it(table.begin(), table.end(), row), end; it != end; ++it) {
      const std::string factor = unescape((*it)[1]), settings = unescape((*it)[2]);
      EXPECT_TRUE(std::regex_match(factor, noun_phrase)) << "a bare noun: '" << factor << "'";
      EXPECT_EQ(factor.find(": "), std::string::npos) << "a label, not words: '" << factor << "'";
      EXPECT_FALSE(std::regex_search(settings, std::regex(R"((^|\D)1 [a-z]+s\b)")))
          << "a plural after 1: '" << settings << "'";
      // Money settings with the currency ("$25.6k and $38.4k instead of $32k"). The table's
      // row headers are capitalised.
      if (factor == "The average deal size") {
        EXPECT_TRUE(std::regex_match(settings, std::regex(R"(\$\S+ and \$\S+ instead of \$\S+)")))
            << settings;
        ++deal_size_rows;
      }
      ++factors;
    }
    EXPECT_GE(factors, 5);
    EXPECT_EQ(deal_size_rows, 1) << "every example's key assumptions include the deal size";
    // Rates in percent, as the assumptions give them ("grows by 12%", "35% efficacy"), not
    // "0.096 and 0.144 instead of 0.12".
    if (std::string(name) == "nexacorp") {
      // Its leading plan reaches the goal in every future (100%), yet the factors move that:
      // the check stays on P(goal), where a less favourable conversion sinks the headline.
      EXPECT_NE(para.find("the headline rests on this assumption"), std::string::npos) << para;
      EXPECT_NE(table.find("28% and 42% instead of 35%"), std::string::npos);
      // A list item's field in its own unit (models/key_path.cpp), as a scalar key's.
      EXPECT_NE(table.find("2.4 hours/week and 3.6 hours/week instead of 3 hours/week"),
                std::string::npos);
      EXPECT_NE(table.find("48% and 72% instead of 60%"), std::string::npos);
    }
    if (std::string(name) == "saas-renewals") {
      EXPECT_NE(table.find("9.6% and 14.4% instead of 12%"), std::string::npos);
      EXPECT_NE(table.find("$14.4k a week and $21.6k a week instead of $18k a week"),
                std::string::npos);
      EXPECT_NE(para.find("Next comes the renewal rate"), std::string::npos) << para;
    }
  }
}

// The texts of the "why" waterfall (its id is "why-<plan>"), in order.
std::vector<std::string> why_texts(const std::string& html) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex(R"re(id="(why-[a-z0-9-]+)")re"))) return {};
  return chart_texts(html, m[1]);
}

// Each bar's amount after its label, in the report's money format with the currency.
void expect_money_after_bars(const std::vector<std::string>& texts,
                             const std::vector<std::string>& bars) {
  const std::regex money(R"([+-]?\$[0-9.]+[kMB]?)");
  for (const auto& bar : bars) {
    const auto it = std::find(texts.begin(), texts.end(), bar);
    ASSERT_TRUE(it != texts.end() && it + 1 != texts.end()) << bar;
    EXPECT_TRUE(std::regex_match(*(it + 1), money)) << bar << ": '" << *(it + 1) << "'";
  }
}

// From a user walk: the why waterfall printed "+254.2k" without the currency; its sentence read
// "The largest part is Churn (less churn adds ARR) (+$421.8k)"; the calendar ran "spread over
// the year and demand follows the seasons" on; the footer said "from not saved (...)"; a plan's
// renewal growth read "0.12 instead of 0.08" beside "92% instead of 85%".
TEST_F(ReportExtensions, SaasRenewalsReadsAsSentencesWithRatesInPercent) {
  const std::string page =
      report_of_scenario(dir, "saas-renewals", "--currency '$' --no-sensitivity");
  const auto texts = why_texts(page);
  ASSERT_FALSE(texts.empty()) << "no why waterfall";
  expect_money_after_bars(texts, {"New contracts (annual value signed)", "Expansion at renewal",
                                  "Churn (less churn adds ARR)", "Total difference"});
  std::smatch m;
  EXPECT_TRUE(std::regex_search(
      page, m,
      std::regex(
          R"(The largest part is <strong>(less churn|more churn|new contracts|expansion at renewal)</strong>, [+-]?\$[0-9.]+[kMB]?\.)")))
      << "a noun phrase, then its amount";
  EXPECT_EQ(page.find("The largest part is <strong>Churn"), std::string::npos);
  EXPECT_NE(page.find("4 weeks of vacation per rep, spread over the year; a short week loses "
                      "selling time, not admin. Demand follows the seasons, from"),
            std::string::npos);
  EXPECT_EQ(page.find("spread over the year and demand"), std::string::npos);
  const std::string unsaved =
      "from a run whose results were not saved (salesim run --report without -o)";
  EXPECT_NE(page.find("<footer>Made with salesim"), std::string::npos);
  EXPECT_NE(page.find(unsaved + ". Every figure"), std::string::npos) << "the footer";
  EXPECT_NE(page.find(unsaved + ", format "), std::string::npos) << "the provenance";
  EXPECT_EQ(page.find("from <code>not saved"), std::string::npos);
  EXPECT_NE(page.find("ACV when it renews: <strong>12%</strong> instead of 8%."),
            std::string::npos);
  EXPECT_NE(page.find("renews at an anniversary: <strong>92%</strong> instead of 85%."),
            std::string::npos);
}

// The example's bookings drivers: the bars' amounts with the currency and the largest named in
// lower case with one parenthesis ("conversion (wins per opportunity resolved), +$5.98M").
TEST_F(Report, WhyWaterfallPrintsMoneyAndNamesItsLargestPartInLowerCase) {
  expect_money_after_bars(
      why_texts(html),
      {"Heads (rep-weeks)", "Activity (opportunities per rep-week)",
       "Conversion (wins per opportunity resolved)", "Deal size (bookings per win)",
       "Timing (pipeline drawn down or built up)", "Total difference"});
  EXPECT_TRUE(std::regex_search(
      html,
      std::regex(
          R"(The largest part is <strong>[a-z][a-z ]+ \([^()<]+\)</strong>, (<span class="fig"[^>]*>)?[+-]?\$[0-9.]+[kMB]?(</span>)?\.)")));
  EXPECT_EQ(unescape(html).find(") (+$"), std::string::npos);
}

// The leavers' difference had no sign ("2.9", "-0.5") beside signed money and points; the
// histograms' axis said "Share of paths" where the report says futures.
TEST_F(Report, LeaversDifferenceIsSignedAndHistogramsCountFutures) {
  int leavers = 0;
  for (const auto& f : figures(html)) {
    if (f.pointer.find("/vs_first/leavers_diff_mean") == std::string::npos) continue;
    ++leavers;
    EXPECT_EQ(f.kind, "number_diff");
    EXPECT_TRUE(std::regex_match(f.text, std::regex(R"([+-][0-9]+\.[0-9]|0\.0)"))) << f.text;
  }
  EXPECT_EQ(leavers, 3) << "one per plan against the baseline";
  EXPECT_EQ(html.find("Share of paths"), std::string::npos);
  const auto texts = chart_texts(html, "diff-2-push-activity");
  EXPECT_NE(std::find(texts.begin(), texts.end(), "Share of futures"), texts.end());
}

// The headline's count of the plans that reach the goal, for one plan and two: "All of the 2
// plans reach" and "No plan reaches ... The best chance is baseline" read badly.
TEST_F(ReportExtensions, HeadlineCountsThePlansInWords) {
  auto answer = [&](const std::string& plans, const std::string& goal) {
    const std::string yaml = (dir / "c.yaml").string(), html = (dir / "c.html").string();
    std::ofstream(yaml) << "salesim: 2\nname: c\nsimulation: {horizon_weeks: 8, paths: 16}\n"
                        << test::kSmallTeam << "goal: {revenue: " << goal << "}\n"
                        << "plans: " << plans << "\n";
    std::string out;
    EXPECT_EQ(shell(salesim("run " + yaml + " --quiet --no-sensitivity --report " + html +
                            " --json " + (dir / "c.json").string()),
                    &out),
              0)
        << out;
    const std::string page = test::read_file(html);
    const auto at = page.find("<p class=\"answer\">");
    const std::string p = page.substr(at, page.find("</p>", at) - at);
    return std::regex_replace(std::regex_replace(p, std::regex("<[^>]*>"), ""),
                              std::regex(R"(\s+)"), " ");
  };
  const std::string two = "[{name: a}, {name: b, set: {pipeline.deal_size.mean: 30000}}]";
  EXPECT_EQ(answer(two, "1000").rfind("Both plans reach the goal of ", 0), 0u)
      << answer(two, "1000");
  // No future of either plan reaches it: no "better chance: 0%", but the one nearest the goal.
  const std::string neither = answer(two, "1000000000");
  EXPECT_EQ(neither.rfind("Neither plan reaches the goal of", 0), 0u) << neither;
  const auto j = json::parse(test::read_file((dir / "c.json").string()));
  auto at = [&](int i, const char* q) { return j["plans"][i]["final_bookings"][q].get<double>(); };
  const std::string nearer = at(0, "p50") > at(1, "p50") ? "a" : "b";
  EXPECT_NE(neither.find("in any of the simulated futures. " + nearer +
                         " comes closest, with median bookings of "),
            std::string::npos)
      << neither;
  EXPECT_EQ(neither.find("better chance"), std::string::npos) << neither;
  // A goal a few futures of the plan with the higher P90 reach: the better chance, named.
  const int top = at(0, "p90") > at(1, "p90") ? 0 : 1;
  const std::string some = answer(two, std::to_string(std::llround(at(top, "p90"))));
  EXPECT_EQ(some.rfind("Neither plan reaches the goal of", 0), 0u) << some;
  EXPECT_TRUE(std::regex_search(some, std::regex(std::string(R"(\. )") + "ab"[top] +
                                                 R"( has the better chance: [1-9][0-9.]*%)")))
      << some;
  const std::string one = answer("[{name: only}]", "1000000000");
  EXPECT_EQ(one.rfind("only does not reach the goal of", 0), 0u) << one;
  EXPECT_NE(one.find(": its chance is "), std::string::npos) << one;
}

// A chance of 0% or 100% that no factor moves ("moves its chance of reaching the goal from 0% to
// 0%; the answer holds up") says nothing of what the answer leans on: the check measures what the
// goal counts instead, and says so: mean bookings, or mean final ARR with a goal on ARR. A chance
// of 100% that a factor can move is still measured on it (the flagship example's "the headline
// rests on this assumption"), in ReportExtensions.SensitivityNamesEveryFactor... above.
TEST_F(ReportExtensions, SensitivityOfAPinnedChanceIsMeasuredOnWhatTheGoalCounts) {
  auto page_of = [&](const std::string& text) {
    const std::string yaml = (dir / "p.yaml").string(), html = (dir / "p.html").string();
    std::ofstream(yaml) << text;
    std::string out;
    EXPECT_EQ(shell(salesim("run " + yaml + " --quiet --paths 60 --report " + html), &out), 0)
        << out;
    return std::regex_replace(
        unescape(std::regex_replace(test::read_file(html), std::regex("<[^>]*>"), "")),
        std::regex(R"(\s+)"), " ");
  };
  auto small = [](const std::string& goal) {
    return std::string("salesim: 2\nname: c\nsimulation: {horizon_weeks: 8, paths: 16}\n") +
           test::kSmallTeam + "goal: {revenue: " + goal + "}\nplans: [{name: a}]\n";
  };
  const std::string none = page_of(small("1000000000"));
  // (the page writes ±20% as an HTML entity)
  EXPECT_NE(none.find("None of its simulated futures reaches the goal, and moving its levers and "
                      "the key assumptions by "),
            std::string::npos);
  EXPECT_NE(none.find("20% one at a time does not change that, so what the answer leans on is "
                      "measured on its mean bookings. The answer leans most on"),
            std::string::npos);
  EXPECT_NE(none.find("mean final bookings of plan a"), std::string::npos);
  EXPECT_EQ(none.find("from 0% to 0%"), std::string::npos);
  EXPECT_EQ(none.find("The answer holds up"), std::string::npos);
  const std::string all = page_of(small("1000"));
  EXPECT_NE(all.find("Every one of its simulated futures reaches the goal, and moving"),
            std::string::npos);
  EXPECT_NE(all.find("so what the answer leans on is measured on its mean bookings."),
            std::string::npos);
  // A goal on ARR no future reaches: its mean final ARR.
  std::string saas = test::read_file(test::source_dir() + "/scenarios/saas-renewals.yaml");
  const std::regex goal(R"(revenue: [0-9.]+[kMm]?)");
  ASSERT_TRUE(std::regex_search(saas, goal));
  saas = std::regex_replace(saas, goal, "revenue: 900M", std::regex_constants::format_first_only);
  const std::string arr = page_of(saas);
  EXPECT_NE(arr.find("so what the answer leans on is measured on its mean final ARR."),
            std::string::npos);
  EXPECT_NE(arr.find("mean final ARR of plan"), std::string::npos);
}

TEST_F(Report, WeeksAreTheFilesWeekNumbersWithTheirDates) {
  // push-activity hires 5 reps at week 5 of the file (t = 4): week 5, which starts 3 Feb 2025
  // (the scenario starts 6 Jan 2025); Q1 is the end of week 13, 6 Apr 2025.
  EXPECT_NE(html.find("5 reps hired to start in week 5 (from 3 Feb 2025)"), std::string::npos);
  EXPECT_NE(html.find("week 13 (6 Apr 2025)"), std::string::npos);
  // Training and programmes: targeted-skills starts at week 3, profiling at week 2.
  EXPECT_NE(html.find("3 weeks from week 3 (from 20 Jan 2025)"), std::string::npos);
  EXPECT_NE(html.find("in week 2 (from 13 Jan 2025)"), std::string::npos);
  for (const char* wrong : {"week 4 (from 27 Jan 2025)", "week 6 (from 10 Feb 2025)"})
    EXPECT_EQ(html.find(wrong), std::string::npos) << wrong;
  // The time axis counts from the file's week 1 (it said "week 0 starts 6 Jan 2025").
  EXPECT_NE(html.find("Date (week 1 starts 6 Jan 2025)"), std::string::npos);
  EXPECT_EQ(client_text(html).find("week 0"), std::string::npos);
}

TEST_F(Report, HeadlineHoldsIfTheAssumptionsHoldAndNamesTheOneItLeansOn) {
  const std::size_t from = html.find("<section id=\"answer\""),
                    to = html.find("<section id=\"bookings\"");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  ASSERT_LT(from, to);
  const std::string answer = html.substr(from, to - from);
  EXPECT_NE(answer.find("to reach the goal if the assumptions hold"), std::string::npos);
  static const std::regex leans(
      R"(The answer leans most on <strong>[^<]+</strong>: moving it by &plusmn;20% moves its chance of reaching the goal from <span class="sens" data-value="[0-9.e-]+">[0-9.<>%]+</span> to <span class="sens")");
  EXPECT_TRUE(std::regex_search(answer, leans)) << answer.substr(0, 3000);
  // What was checked, in the method notes; the table with the keys in the appendix.
  EXPECT_NE(html.find("How much the answer depends on the assumptions."), std::string::npos);
  EXPECT_NE(html.find("the average deal size"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"data sensitivity\">"), std::string::npos);
  EXPECT_GT(html.find("<table class=\"data sensitivity\">"), html.find("<section id=\"analysts\""));
  // --no-sensitivity skips it and says so.
  std::string out;
  const auto h = (dir / "nosens.html").string();
  ASSERT_EQ(
      shell(salesim("report " + (dir / "r.h5").string() + " -o " + h + " --no-sensitivity"), &out),
      0)
      << out;
  const std::string page = test::read_file(h);
  EXPECT_EQ(page.find("leans most on"), std::string::npos);
  EXPECT_NE(page.find("This was not checked for this report"), std::string::npos);
}

// The answer named factors that moved nothing as drivers: "then the coaching policy ..., from
// 100% to 100%" (silver-bullets, whose best plan reaches the goal on nearly every path). Every
// factor the answer names moves the figure as shown.
TEST_F(Report, TheAnswerNamesOnlyFactorsThatMoveTheFigure) {
  const std::string page = report_of_scenario(dir, "silver-bullets", "");
  static const std::regex named(
      R"((leans most on|Next comes|; then) (.{0,300}?)from <span class="sens" data-value="[^"]*">([^<]*)</span> to <span class="sens" data-value="[^"]*">([^<]*)</span>)");
  int found = 0;
  for (std::sregex_iterator it(page.begin(), page.end(), named), end; it != end; ++it, ++found)
    EXPECT_NE((*it)[3], (*it)[4]) << (*it)[0];
  EXPECT_GE(found, 2);
}

// A single plan's cost chart (900 x 164) printed at the fixed height of the others, its text
// 2.4 times theirs: a chart that low is marked "low" and printed at a fixed width instead.
TEST_F(Report, LowChartsPrintAtAFixedWidth) {
  const std::string page = report_of_scenario(dir, "nexacorp", "--plans baseline --no-sensitivity");
  static const std::regex fig(
      R"re(<figure class="chart( [a-z]+)?"><svg[^>]*viewBox="0 0 ([0-9.]+) ([0-9.]+)")re");
  int low = 0;
  for (std::sregex_iterator it(page.begin(), page.end(), fig), end; it != end; ++it) {
    const double ratio = std::stod((*it)[3]) / std::stod((*it)[2]);
    EXPECT_EQ((*it)[1] == " low", ratio < 0.9 * 296.0 / 900.0) << (*it)[0];
    low += (*it)[1] == " low";
  }
  EXPECT_GE(low, 1);
  EXPECT_NE(page.find("figure.chart.low svg { height:auto; width:164mm"), std::string::npos);
}

// Problems with the HTML's structure: an element closed out of order or never, and an id
// given twice (the sections "checkpoints" and "money" shared their ids with their charts, and a
// report without a goal left a div open). Style and script bodies are skipped.
std::vector<std::string> html_structure_problems(std::string html) {
  for (const char* tag : {"style", "script"})
    for (std::size_t at; (at = html.find(std::string("<") + tag)) != std::string::npos;)
      html.erase(at, html.find(std::string("</") + tag + ">", at) + std::strlen(tag) + 3 - at);
  static const std::set<std::string> empty = {"br",  "img",  "meta",     "link",   "input",  "hr",
                                              "col", "path", "rect",     "line",   "circle", "wbr",
                                              "use", "stop", "polyline", "polygon"};
  static const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>)"),
      id(R"re(\sid="([^"]*)")re");
  std::vector<std::string> problems, open;
  for (std::sregex_iterator it(html.begin(), html.end(), tag), end; it != end; ++it) {
    const std::string name = (*it)[2];
    if (empty.count(name) || (*it)[3] == "/") continue;
    if ((*it)[1] == "") {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      problems.push_back("</" + name + "> closes <" + (open.empty() ? "" : open.back()) + ">");
      if (problems.size() > 5) return problems;
    } else {
      open.pop_back();
    }
  }
  for (const auto& o : open) problems.push_back("<" + o + "> never closed");
  std::map<std::string, int> ids;
  for (std::sregex_iterator it(html.begin(), html.end(), id), end; it != end; ++it)
    if (++ids[(*it)[1]] == 2) problems.push_back("id \"" + std::string((*it)[1]) + "\" twice");
  return problems;
}

TEST_F(Report, TheHtmlIsWellFormedWithUniqueIds) {
  EXPECT_EQ(html_structure_problems(html), std::vector<std::string>{});
  const auto bare = dir / "bare.yaml";
  std::ofstream(bare) << "salesim: 2\nname: bare\nsimulation: {horizon_weeks: 8, paths: 40}\n"
                         "plans: [{name: a}, {name: b, set: {org.alignment: 0.5}}]\n";
  const auto h = (dir / "bare.html").string();
  std::string out;
  ASSERT_EQ(shell(salesim("run " + bare.string() + " --quiet --report " + h), &out), 0) << out;
  const std::string page = test::read_file(h);
  EXPECT_NE(page.find("The scenario sets no goal and no checkpoints."), std::string::npos);
  EXPECT_EQ(html_structure_problems(page), std::vector<std::string>{});
}

TEST_F(Report, SensitivityOfTheReportEqualsSalesimSensitivity) {
  // The same machinery: the plan's own lever moved by 20% gives the same P(goal) as
  // `salesim sensitivity` on the same paths and seed.
  std::string out;
  const auto js = (dir / "sens.json").string();
  ASSERT_EQ(
      shell(salesim("sensitivity " + test::example() +
                    " --plan targeted-effectiveness --paths 300 --seed 11 --quiet --json " + js),
            &out),
      0)
      << out;
  const json sens = json::parse(test::read_file(js));
  // The plan's levers: its coaching hours, and its training's and programmes' value keys.
  json lever;
  for (const auto& l : sens["levers"])
    if (l["key"] == "org.coaching_hours_per_rep") lever = l;
  ASSERT_TRUE(lever.is_object()) << sens.dump(1);
  const double lo = lever["at_low"]["mean"], hi = lever["at_high"]["mean"];
  const std::string page = without_breaks(html);
  const std::string table = page.substr(page.find("<table class=\"data sensitivity\">"));
  const std::size_t key = table.find("<code>org.coaching_hours_per_rep</code>");
  ASSERT_NE(key, std::string::npos) << table;
  // The long keys may wrap between their words (the table fits the page).
  EXPECT_NE(html.find("<code>org.<wbr>coaching_<wbr>hours_<wbr>per_<wbr>rep</code>"),
            std::string::npos);
  const std::size_t from = table.rfind("<tr>", key);
  const std::string row = table.substr(from, table.find("</tr>", key) - from);
  EXPECT_NE(row.find(tools::report::Fmt::prob(lo)), std::string::npos) << row;
  EXPECT_NE(row.find(tools::report::Fmt::prob(hi)), std::string::npos) << row;
  EXPECT_NEAR(double(sens["base"]["mean"]), double(summary["plans"][2]["goal"]["p_met"]), 1e-12)
      << "the variant of the plan as written reproduces the run (same seed, same paths)";
}

TEST_F(Report, RunReportTakesEveryOptionOfReport) {
  // run --report with the report's options (this used to fail: "arguments were not expected")
  // gives the report that run -o then report give.
  const std::string opts = " --client 'ACME' --currency '$' --title 'FY25' --charts " +
                           (dir / "run-charts").string() + " --no-sensitivity";
  std::string out;
  const auto one = (dir / "one-step.html").string(), two = (dir / "two-step.html").string();
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 200 --seed 5 --quiet --report " +
                          one + opts),
                  &out),
            0)
      << out;
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 200 --seed 5 --quiet -o " +
                          (dir / "two.h5").string()),
                  &out),
            0)
      << out;
  ASSERT_EQ(shell(salesim("report " + (dir / "two.h5").string() + " -o " + two + " --charts " +
                          (dir / "two-charts").string() +
                          " --client 'ACME' --currency '$' --title 'FY25' --no-sensitivity"),
                  &out),
            0)
      << out;
  const std::string a = test::read_file(one), b = test::read_file(two);
  auto client = [](const std::string& h) {
    return h.substr(0, h.find("<section id=\"analysts\""));
  };
  EXPECT_EQ(client(a), client(b));
  EXPECT_NE(a.find("Prepared for <strong>ACME</strong>"), std::string::npos);
  EXPECT_NE(a.find("Goal $16M"), std::string::npos);
  std::size_t n1 = 0, n2 = 0;
  for (const auto& e : fs::directory_iterator(dir / "run-charts")) n1 += e.is_regular_file();
  for (const auto& e : fs::directory_iterator(dir / "two-charts")) n2 += e.is_regular_file();
  EXPECT_EQ(n1, 15u);  // as ChartsHaveTitlesDescriptionsAndAreWrittenForSlides counts them
  EXPECT_EQ(n1, n2);
  // The report's options need --report.
  EXPECT_EQ(shell(salesim("run " + test::example() + " --paths 10 --quiet --client ACME"), &out), 2)
      << out;
  EXPECT_NE(out.find("--report"), std::string::npos) << out;
}

TEST_F(Report, PrintRulesKeepHeadingsWithTheirContentAndChartsWhole) {
  const std::string css = html.substr(html.find("@media print"));
  EXPECT_EQ(css.find("section { break-before:page; }"), std::string::npos)
      << "sections flow on (a page per section made 17 pages)";
  EXPECT_NE(css.find("h2, h3, h4, caption, figcaption:first-child { break-after:avoid-page;"),
            std::string::npos);
  // A caption under its chart glued the chart to whatever followed (a forecast report's first
  // page held its title alone): only a caption that comes first is kept with what follows.
  EXPECT_EQ(css.find("h2, h3, h4, caption, figcaption {"), std::string::npos);
  EXPECT_NE(css.find("table.data.long { break-inside:auto; }"), std::string::npos);
  EXPECT_NE(css.find("figure.chart, table.data, .card, .lead"), std::string::npos);
  EXPECT_NE(css.find("break-inside:avoid"), std::string::npos);
  EXPECT_NE(css.find(".keep { break-inside:avoid; }"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"goal-checkpoints\"><div class=\"keep\"><h2>"),
            std::string::npos)
      << "a heading is kept with its first content";
}

// salesim serve renders the report's sections from the run in memory (report_data_of_run), the
// report from the results file: both must hold the same per-path differences, final ARR's
// included (serve's had none, so its what-ifs drew no ARR histogram).
TEST(ReportData, ARunInMemoryAndItsResultsFileHoldTheSamePerPathDifferences) {
  const Scenario sc = load_scenario_file(test::source_dir() + "/scenarios/saas-renewals.yaml");
  RunSettings rs;
  rs.paths = 40;
  rs.threads = 2;
  const ScenarioResults res = run_scenario(sc, rs);
  const nlohmann::json summary = tools::summary_json(sc, res, 1);
  const std::string file = ::testing::TempDir() + "/in-memory.h5";
  tools::write_results_h5(file, sc, res, 1, summary.dump());
  const tools::ReportData mem = tools::report_data_of_run(sc, res, summary);
  const tools::ReportData disk = tools::read_report_data(file);
  ASSERT_EQ(mem.plans.size(), disk.plans.size());
  for (std::size_t i = 1; i < mem.plans.size(); ++i) {
    EXPECT_EQ(mem.plans[i].diff, disk.plans[i].diff) << i;
    EXPECT_EQ(mem.plans[i].arr_diff.size(), 40u) << i;
    EXPECT_EQ(mem.plans[i].arr_diff, disk.plans[i].arr_diff) << i;
  }
  std::filesystem::remove(file);
}

TEST(ReportFormat, MoneyProbabilitiesAndDates) {
  using tools::report::Fmt;
  const Fmt neutral("", ""), dollars("$", "2025-01-06"), euros("EUR", "");
  EXPECT_EQ(neutral.money(4.96e6), "4.96M");
  EXPECT_EQ(dollars.money(-531234), "-$531.2k");
  EXPECT_EQ(euros.money(16e6), "EUR 16M");
  EXPECT_EQ(dollars.money_signed(2.5e6), "+$2.5M");
  EXPECT_EQ(Fmt::prob(0.059), "5.9%");
  EXPECT_EQ(Fmt::prob(0.9999), ">99.9%");
  EXPECT_EQ(Fmt::prob(0.0001), "<0.1%");
  EXPECT_EQ(Fmt::prob(1.0), "100%");
  EXPECT_EQ(Fmt::prob_se(0.0051), "±0.5 pt");
  // A standard error above 0 that rounds to 0.0 (P = 0.05% of 2,000 futures) is not "±0.0".
  EXPECT_EQ(Fmt::prob_se(0.0004), "±<0.1 pt");
  EXPECT_EQ(Fmt::prob_se(0.0), "±0.0 pt");
  // The terminal's shares round as the report's: 0.9995 read "100.0%" beside ">99.9%".
  EXPECT_EQ(tools::share(0.9995), ">99.9%");
  EXPECT_EQ(tools::share(0.0004), "<0.1%");
  EXPECT_EQ(tools::share(1.0), "100.0%");
  EXPECT_EQ(tools::share(0.0), "0.0%");
  EXPECT_EQ(tools::share(0.765), "76.5%");
  EXPECT_EQ(tools::points_se(0.0004), "±<0.1");
  EXPECT_EQ(tools::points_se(0.009), "±0.9");
  EXPECT_EQ(Fmt::prob_diff(0.94), "+94.0 pt");
  EXPECT_EQ(Fmt::count(2000), "2,000");
  EXPECT_EQ(Fmt::signed_fixed(0.138, 2), "+0.14");
  EXPECT_EQ(Fmt::signed_fixed(-0.19, 2), "-0.19");
  EXPECT_EQ(Fmt::signed_fixed(-0.004, 2), "0.00");  // it read "-0.00" in the robustness table
  EXPECT_EQ(Fmt::signed_fixed(0.004, 2), "0.00");
  EXPECT_EQ(Fmt::count(-0.3), "0");  // no "-0" for what rounds to nothing
  EXPECT_EQ(neutral.text(tools::report::Kind::number, -0.04, 1), "0.0");
  EXPECT_EQ(neutral.text(tools::report::Kind::number, -0.06, 1), "-0.1");
  EXPECT_EQ(dollars.money(-0.0001), "$0");
  EXPECT_EQ(dollars.week(13), "week 13 (6 Apr 2025)");
  EXPECT_EQ(dollars.week(52), "week 52 (4 Jan 2026)");
  EXPECT_EQ(dollars.event_week(4), "week 5 (from 3 Feb 2025)");
  EXPECT_EQ(neutral.week(13), "week 13");
  const auto axis = dollars.time_axis(52);
  ASSERT_FALSE(axis.ticks.empty());
  EXPECT_EQ(axis.ticks.front().label, "Feb");
  EXPECT_NEAR(axis.ticks.front().at, 26 / 7.0, 1e-9);  // 1 Feb is 26 days after 6 Jan
  EXPECT_EQ(axis.ticks.back().label, "Jan 2026");
  EXPECT_EQ(neutral.time_axis(52).label, "Week");
  // A horizon of a few weeks has the weeks' first days as ticks (one week had none and took
  // 0, 0.2, 0.4 ...; four weeks a single "Feb").
  for (const int weeks : {1, 2, 4, 8, 10}) {
    const auto short_axis = dollars.time_axis(weeks);
    ASSERT_GE(short_axis.ticks.size(), 2u) << weeks;
    EXPECT_EQ(short_axis.ticks.front().label, "6 Jan") << weeks;
    EXPECT_EQ(short_axis.ticks.front().at, 0) << weeks;
    EXPECT_LE(short_axis.ticks.size(), 9u) << weeks;
    for (const auto& t : short_axis.ticks) EXPECT_EQ(t.at, std::round(t.at)) << weeks;
  }
  EXPECT_EQ(dollars.time_axis(1).ticks.back().label, "13 Jan");
  EXPECT_EQ(dollars.time_axis(13).ticks.front().label, "Feb");  // a quarter: months again
}

TEST(H5, StringsAttributesAndFileChecks) {
  const auto path = fs::temp_directory_path() / "salesim-h5-helpers.h5";
  {
    auto f = sim::h5::File::create(path.string());
    f.write_strings("names", {"a", "", "c d"});
    f.write_strings("none", {});
    f.attr("x", 1.5);
  }
  auto f = sim::h5::File::open_read(path.string());
  EXPECT_EQ(f.read_strings("names"), (std::vector<std::string>{"a", "", "c d"}));
  EXPECT_TRUE(f.read_strings("none").empty());
  EXPECT_TRUE(f.has_attr("x"));
  EXPECT_FALSE(f.has_attr("y"));
  EXPECT_TRUE(sim::h5::File::is_hdf5(path.string()));
  EXPECT_FALSE(sim::h5::File::is_hdf5("/nonexistent/file.h5"));
  const auto text = fs::temp_directory_path() / "salesim-h5-helpers.txt";
  std::ofstream(text) << "plain text";
  EXPECT_FALSE(sim::h5::File::is_hdf5(text.string()));
  {
    sim::h5::QuietErrors quiet;
    EXPECT_THROW(f.read_strings("missing"), sim::h5::Error);
  }
  fs::remove(path);
  fs::remove(text);
}

}  // namespace
}  // namespace salesim
