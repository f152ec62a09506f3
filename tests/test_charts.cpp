// The SVG chart writer: well-formed XML, accessible names, axis ticks, escaping, tornado order.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"
#include "tools/charts.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using namespace tools::charts;

// Parses the SVG with Python's XML parser; returns "ok <title>|<desc>|<aria-label>" or the error.
std::string parse_svg(const std::string& svg) {
  const fs::path p =
      fs::temp_directory_path() /
      ("salesim-chart-" +
       std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".svg");
  std::ofstream(p) << svg;
  std::string out;
  const int rc = test::shell(
      std::string(SALESIM_PYTHON) +
          " -c \"import sys, xml.etree.ElementTree as E\n"
          "r = E.parse(sys.argv[1]).getroot()\n"
          "ns = '{http://www.w3.org/2000/svg}'\n"
          "assert r.tag == ns + 'svg', r.tag\n"
          "t = r.find(ns + 'title'); d = r.find(ns + 'desc')\n"
          "sys.stdout.write('ok ' + t.text + '|' + (d.text or '') + '|' + r.get('aria-label'))\" " +
          p.string(),
      &out);
  fs::remove(p);
  return rc == 0 ? out : "parse failed: " + out;
}

LineChart fan() {
  LineChart c;
  c.frame = {"fan-1", "Bookings <by> week & plan", "Median rises to 16M; bands show spread."};
  c.x.label = "Week";
  c.x.min = 0.0;
  c.x.max = 52.0;
  c.y.label = "Cumulative bookings (EUR)";
  c.y.min = 0.0;
  Series s{"plan \"A\"", {}, {}, {}};
  Band outer{{}, {}, "10-90% of paths", 0.18}, inner{{}, {}, "25-75% of paths", 0.3};
  for (int w = 0; w <= 52; ++w) {
    s.x.push_back(w);
    s.y.push_back(w * 300000.0);
    outer.lo.push_back(w * 250000.0), outer.hi.push_back(w * 350000.0);
    inner.lo.push_back(w * 280000.0), inner.hi.push_back(w * 320000.0);
  }
  s.bands = {outer, inner};
  s.marker_every = 13;
  c.series = {s};
  c.hlines = {{16e6, "goal 16M"}};
  c.points = {{13, 3.6e6, "Q1 3.6M"}, {26, 7.7e6, "Q2 7.7M"}};
  c.points_legend = "checkpoint";
  return c;
}

TEST(Charts, LineChartIsWellFormedWithTitleDescAndEscapedText) {
  const std::string svg = line_chart_svg(fan());
  EXPECT_EQ(parse_svg(svg),
            "ok Bookings <by> week & plan|Median rises to 16M; bands show spread.|Bookings <by> "
            "week & plan");
  EXPECT_NE(svg.find("Bookings &lt;by&gt; week &amp; plan"), std::string::npos);
  EXPECT_NE(svg.find("plan &quot;A&quot;"), std::string::npos);
  EXPECT_NE(svg.find(R"(role="img")"), std::string::npos);
  EXPECT_NE(svg.find(R"(aria-describedby="fan-1-desc")"), std::string::npos);
  EXPECT_NE(svg.find(R"~(clip-path="url(#fan-1-plot)")~"), std::string::npos) << "ids are prefixed";
  // Axis: 1-2-5 ticks from 0 to the top of the data (bands up to 18.2M, plus headroom).
  for (const char* tick : {">0<", ">5M<", ">10M<", ">15M<", ">20M<"})
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  for (const char* label : {"Week", "Cumulative bookings (EUR)", "goal 16M", "Q1 3.6M",
                            "10-90% of paths", "25-75% of paths", "checkpoint"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(Charts, ExplicitTicksAreUsedAsGiven) {
  LineChart c = fan();
  c.x.ticks = {{0, "Jan 2025"}, {4.3, "Feb"}, {60, "out of range"}};
  const std::string svg = line_chart_svg(c);
  EXPECT_NE(svg.find(">Jan 2025<"), std::string::npos);
  EXPECT_NE(svg.find(">Feb<"), std::string::npos);
  EXPECT_EQ(svg.find("out of range"), std::string::npos);
}

TEST(Charts, BarChartHasWhiskersLegendAndPercentTicks) {
  BarChart c;
  c.frame = {"bars", "P(checkpoint)", "Three checkpoints, two plans."};
  c.value = {"Probability (%)", 0.0, 1.0, {}, Axis::Format::percent};
  c.series = {"baseline", "targeted"};
  c.groups = {{"Q1", {{0.94, 0.01, ""}, {0.995, 0.004, ""}}},
              {"Q2", {{0.5, 0.02, ""}, {0.9, 0.01, ""}}},
              {"Q3 <late>", {{0.1, 0.01, "10% ±1"}, {0.7, 0.02, ""}}}};
  const std::string svg = bar_chart_svg(c);
  EXPECT_EQ(parse_svg(svg), "ok P(checkpoint)|Three checkpoints, two plans.|P(checkpoint)");
  for (const char* s : {">0%<", ">50%<", ">100%<", ">94%<", ">99.5%<", "10% ±1", "Q3 &lt;late&gt;",
                        ">baseline<", ">targeted<", "bars-hatch1"})
    EXPECT_NE(svg.find(s), std::string::npos) << s;
}

TEST(Charts, HistogramSplitsAtZero) {
  Histogram h;
  h.frame = {"hist", "Difference", "Most paths gain."};
  h.x.label = "Difference in bookings (EUR)";
  for (int i = -20; i < 80; ++i) h.values.push_back(i * 1000.0);
  h.values.push_back(std::nan(""));
  h.split = 0.0;
  h.vlines = {{0, "no difference"}};
  const std::string svg = histogram_svg(h);
  EXPECT_EQ(parse_svg(svg), "ok Difference|Most paths gain.|Difference");
  EXPECT_NE(svg.find("hist-below"), std::string::npos);
  EXPECT_NE(svg.find("no difference"), std::string::npos);
  EXPECT_NE(svg.find("at or above 0"), std::string::npos);
}

TEST(Charts, HistogramOfIdenticalValuesStillDraws) {
  Histogram h;
  h.frame = {"same", "All zero", "Every path the same."};
  h.values = std::vector<double>(50, 0.0);
  const std::string svg = histogram_svg(h);
  EXPECT_EQ(parse_svg(svg), "ok All zero|Every path the same.|All zero");
  EXPECT_NE(svg.find(">100%<"), std::string::npos) << "one bin holds every value";
}

TEST(Charts, TornadoSortsBySwingAndLabelsTheEnds) {
  TornadoChart t;
  t.frame = {"tornado", "What moves P(goal)", "Deal size matters most."};
  t.value = {"P(goal) (%)", 0.0, 1.0, {}, Axis::Format::percent};
  t.base = 0.5;
  t.bars = {{"attrition", 0.45, 0.55, "10%", "25%", 0.02, 0.02},
            {"deal size", 0.2, 0.8, "20k", "40k", 0.02, 0.02},
            {"ramp <weeks>", 0.6, 0.4, "13", "39", 0, 0},
            {"same side", 0.75, 0.6, "lo", "hi", 0, 0}};
  const std::string svg = tornado_svg(t);
  EXPECT_EQ(parse_svg(svg), "ok What moves P(goal)|Deal size matters most.|What moves P(goal)");
  const auto at = [&](const std::string& s) { return svg.find(">" + s + "<"); };
  ASSERT_NE(at("deal size"), std::string::npos);
  EXPECT_LT(at("deal size"), at("ramp &lt;weeks&gt;"));
  EXPECT_LT(at("ramp &lt;weeks&gt;"), at("same side"));
  EXPECT_LT(at("same side"), at("attrition"));
  for (const char* s : {"20k", "40k", "base 50%", "input at low setting", "input at high setting"})
    EXPECT_NE(at(s), std::string::npos) << s;
  t.sort = false;
  const std::string unsorted = tornado_svg(t);
  EXPECT_LT(unsorted.find(">attrition<"), unsorted.find(">deal size<"));
}

TEST(Charts, StylesDifferInEveryAttributeForTheFirstSeven) {
  for (int i = 0; i < 7; ++i)
    for (int j = i + 1; j < 7; ++j) {
      EXPECT_STRNE(style(i).colour, style(j).colour);
      EXPECT_STRNE(style(i).dash, style(j).dash);
      EXPECT_NE(style(i).marker, style(j).marker);
    }
  EXPECT_STREQ(style(kGreyStyle).colour, "#8c8c8c");
  EXPECT_EQ(style(9).colour, style(0).colour);
  EXPECT_EQ(style(-1).colour, style(kDarkStyle).colour);
}

TEST(Charts, NumbersAndTicks) {
  EXPECT_EQ(compact_number(16e6), "16M");
  EXPECT_EQ(compact_number(3.6e6), "3.6M");
  EXPECT_EQ(compact_number(1234567), "1.23M");
  EXPECT_EQ(compact_number(-531000), "-531k");
  EXPECT_EQ(compact_number(12500), "12.5k");
  EXPECT_EQ(compact_number(1500), "1.5k");
  EXPECT_EQ(compact_number(950), "950");
  EXPECT_EQ(compact_number(0), "0");
  EXPECT_EQ(compact_number(0.25), "0.25");
  EXPECT_EQ(compact_number(2.5e9), "2.5B");
  double lo = 0, hi = 15.6e6;
  const auto t = nice_ticks(lo, hi);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 16e6);
  EXPECT_EQ(t.size(), 9u);
  lo = -0.13, hi = 0.92;
  const auto p = nice_ticks(lo, hi, 5);
  EXPECT_DOUBLE_EQ(lo, -0.2);
  EXPECT_DOUBLE_EQ(hi, 1.0);
  EXPECT_EQ(p.size(), 7u);
  EXPECT_EQ(xml_escape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&#39; ");
}

}  // namespace
}  // namespace salesim
