// The SVG chart writer: well-formed XML, accessible names, axis ticks, escaping, tornado order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <tuple>

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

// A week whose figure does not exist (NaN: no reps yet) breaks the line; it was bridged, drawing
// burnout rising through weeks nobody worked.
TEST(Charts, ALineBreaksAtAValueThatDoesNotExist) {
  LineChart c;
  c.frame = {"gap", "Hours", "A gap in weeks 1 and 2."};
  c.x = {"Week", 0.0, 5.0, {}, Axis::Format::integer};
  c.y.min = 0.0;
  Series s{"plan", {0, 1, 2, 3, 4, 5}, {0, NAN, NAN, 0.06, 0.11, 0.16}, {}};
  c.series.push_back(s);
  const std::string svg = line_chart_svg(c);
  const auto line = svg.find("stroke-linejoin=\"round\"");  // the series' line, not the legend's
  ASSERT_NE(line, std::string::npos);
  const auto at = svg.rfind("<path d=\"", line);
  const std::string d = svg.substr(at, svg.find('"', at + 9) - at);
  EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 2) << d;  // week 0 alone, then weeks 3-5
  EXPECT_EQ(std::count(d.begin(), d.end(), 'L'), 2) << d;
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

// The texts of an SVG with their estimated boxes (the writer's own width estimate).
struct SvgText {
  std::string text;
  Box box;
};
std::vector<SvgText> svg_texts(const std::string& svg) {
  static const std::regex re(
      R"re(<text x="([-0-9.]+)" y="([-0-9.]+)" font-size="([0-9.]+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>)re");
  std::vector<SvgText> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it) {
    const double x = std::stod((*it)[1]), y = std::stod((*it)[2]), size = std::stod((*it)[3]);
    const std::string t = (*it)[5], anchor = (*it)[4];
    std::size_t n = 0;
    for (unsigned char c : t) n += (c & 0xC0) != 0x80;
    const double w = 0.56 * size * double(n);
    const double x0 = anchor == "end" ? x - w : anchor == "middle" ? x - w / 2 : x;
    out.push_back({t, {x0, y - 0.8 * size, x0 + w, y + 0.2 * size}});
  }
  return out;
}

TEST(Charts, TornadoOfAProbabilityStaysWithin0And100AndItsLabelsDoNotCollide) {
  TornadoChart t;
  t.frame = {"tornado-p", "What moves P(goal)", "Near certain, but not for every input."};
  t.value = {"P(goal) (%)", 0.0, 1.0, {}, Axis::Format::percent};
  t.base = 0.99;
  // Ends at 100% with whiskers past it, one near 0 with whiskers below it, both ends on the
  // same side, and ends close together.
  t.bars = {{"prospecting.yield.top", 0.015, 1.0, "0.48", "0.72", 0.01, 0.04},
            {"pipeline.deal_size.mean", 0.40, 1.0, "25.6k", "38.4k", 0.05, 0.03},
            {"people.attrition_annual", 0.985, 0.995, "0.144", "0.216", 0.01, 0.01},
            {"org.coaching_hours_per_rep", 0.97, 0.999, "1", "1.5", 0.02, 0.02}};
  const std::string svg = tornado_svg(t);
  EXPECT_EQ(parse_svg(svg).substr(0, 3), "ok ");
  // Axis ticks: percentages within 0..100 only (it used to run -20%..120%).
  static const std::regex tick(R"(>(-?[0-9]+)%<)");
  int ticks = 0;
  for (std::sregex_iterator it(svg.begin(), svg.end(), tick), end; it != end; ++it, ++ticks) {
    const int v = std::stoi((*it)[1]);
    EXPECT_GE(v, 0) << (*it)[0];
    EXPECT_LE(v, 100) << (*it)[0];
  }
  EXPECT_GE(ticks, 3);
  EXPECT_NE(svg.find(">0%<"), std::string::npos);
  EXPECT_NE(svg.find(">100%<"), std::string::npos);
  // Every label and setting is there and inside the chart; no two texts overlap.
  const auto texts = svg_texts(svg);
  const double width = 720;
  for (const char* s : {"prospecting.yield.top", "pipeline.deal_size.mean",
                        "people.attrition_annual", "org.coaching_hours_per_rep", "0.48", "0.72",
                        "25.6k", "38.4k", "0.144", "0.216", "1", "1.5"}) {
    bool found = false;
    for (const auto& x : texts)
      if (x.text == s) {
        found = true;
        EXPECT_GE(x.box.x0, 0) << s;
        EXPECT_LE(x.box.x1, width) << s;
      }
    EXPECT_TRUE(found) << s << " is missing";
  }
  for (const auto& x : texts) {  // the base's label near 100% too
    EXPECT_GE(x.box.x0, 0) << x.text;
    EXPECT_LE(x.box.x1, width) << x.text;
  }
  for (std::size_t i = 0; i < texts.size(); ++i)
    for (std::size_t j = i + 1; j < texts.size(); ++j)
      EXPECT_FALSE(texts[i].box.overlaps(texts[j].box))
          << "'" << texts[i].text << "' overlaps '" << texts[j].text << "'";
  // Whiskers stop at the plot's ends (the x of 0% and of 100%).
  static const std::regex whisker(R"re(<path d="M([-0-9.]+) [-0-9.]+H([-0-9.]+)M)re");
  double lo = 1e9, hi = -1e9;
  for (std::sregex_iterator it(svg.begin(), svg.end(), whisker), end; it != end; ++it)
    lo = std::min(lo, std::stod((*it)[1])), hi = std::max(hi, std::stod((*it)[2]));
  double x0 = 1e9, x100 = -1e9;
  for (const auto& x : texts) {
    if (x.text == "0%") x0 = (x.box.x0 + x.box.x1) / 2;
    if (x.text == "100%") x100 = (x.box.x0 + x.box.x1) / 2;
  }
  EXPECT_GE(lo, x0 - 0.6);
  EXPECT_LE(hi, x100 + 0.6);
}

// Four plans' median lines rising through three checkpoints, with a goal line: the situation
// of the report's first chart.
LineChart medians() {
  LineChart c;
  c.frame = {"medians", "Median cumulative bookings by plan", "Four plans.", 900, 420};
  c.x = {"Week", 0.0, 52.0, {}, Axis::Format::integer};
  c.y = {"Cumulative bookings", 0.0, {}, {}, Axis::Format::compact};
  const double slope[] = {290000, 300000, 320000, 305000};
  for (int i = 0; i < 4; ++i) {
    Series s{"plan " + std::to_string(i), {}, {}, {}};
    for (int w = 0; w <= 52; ++w) s.x.push_back(w), s.y.push_back(w * slope[i]);
    s.marker_every = 6;
    c.series.push_back(s);
  }
  c.hlines = {{16e6, "Goal 16M"}};
  c.points = {{13, 3.6e6, "Q1 3.6M"}, {26, 7.7e6, "Q2 7.7M"}, {39, 11.8e6, "Q3 11.8M"}};
  c.points_legend = "checkpoint target";
  return c;
}

TEST(Charts, CheckpointLabelsSitNextToTheirDiamondsAndNeverCollide) {
  const LineChart c = medians();
  const LineLayout l = line_chart_layout(c);
  ASSERT_EQ(l.point_labels.size(), 3u);
  std::vector<Box> all = l.point_labels;
  all.insert(all.end(), l.hline_labels.begin(), l.hline_labels.end());
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j)
      EXPECT_FALSE(all[i].overlaps(all[j])) << "labels " << i << " and " << j << " collide";
  for (std::size_t i = 0; i < l.point_labels.size(); ++i) {
    for (const Box& m : l.point_marks)
      EXPECT_FALSE(l.point_labels[i].overlaps(m)) << "label " << i << " covers a diamond";
    // Next to its own diamond: the gap between the boxes is at most a few px.
    const Box &b = l.point_labels[i], &m = l.point_marks[i];
    const double gx = std::max({0.0, b.x0 - m.x1, m.x0 - b.x1});
    const double gy = std::max({0.0, b.y0 - m.y1, m.y0 - b.y1});
    EXPECT_LE(std::hypot(gx, gy), 12) << "label " << i << " is away from its diamond";
    EXPECT_GE(b.x0, l.plot.x0);
    EXPECT_LE(b.x1, c.frame.width);
  }
  // The drawn texts are where the layout says.
  const std::string svg = line_chart_svg(c);
  for (const auto& t : svg_texts(svg))
    if (t.text == "Q2 7.7M") {
      EXPECT_NEAR(t.box.x0, l.point_labels[1].x0 + 2, 0.2);
      EXPECT_NEAR(t.box.x1, l.point_labels[1].x1 - 2, 0.2);
    }
}

TEST(Charts, CoincidingLinesAreOffsetSoEveryOneStaysVisible) {
  LineChart c;
  c.frame = {"hours", "Hours worked per rep", "Three plans work the same hours.", 560, 360};
  c.x = {"Week", 0.0, 52.0, {}, Axis::Format::integer};
  c.y.label = "Hours per rep per week";
  for (int i = 0; i < 4; ++i) {
    Series s{"plan " + std::to_string(i), {}, {}, {}};
    for (int w = 1; w <= 52; ++w) s.x.push_back(w), s.y.push_back(i == 1 ? 55.0 : 46.0);
    s.marker_every = 8;
    c.series.push_back(s);
  }
  const LineLayout l = line_chart_layout(c);
  ASSERT_EQ(l.series_offset.size(), 4u);
  EXPECT_EQ(l.series_offset[0], 0);
  EXPECT_EQ(l.series_offset[1], 0) << "a line of its own stays where it is";
  EXPECT_NE(l.series_offset[2], 0);
  EXPECT_NE(l.series_offset[3], 0);
  EXPECT_NE(l.series_offset[2], l.series_offset[3]);
  for (double o : l.series_offset) EXPECT_LE(std::fabs(o), 6.0) << "offsets stay small";
  const std::string svg = line_chart_svg(c);
  EXPECT_EQ(parse_svg(svg).substr(0, 3), "ok ");
  // Drawn apart, and not on the axis: the flat lines lie inside the plot, above its bottom.
  static const std::regex line(
      R"re(<path d="M[-0-9.]+ ([-0-9.]+)L[^"]*" fill="none" stroke="[^"]+" stroke-width="2.2")re");
  std::set<std::string> ys;
  for (std::sregex_iterator it(svg.begin(), svg.end(), line), end; it != end; ++it)
    ys.insert((*it)[1]);
  EXPECT_EQ(ys.size(), 4u) << "four lines at four heights";
  for (const auto& y : ys) EXPECT_LT(std::stod(y), l.plot.y1 - 3) << "on the axis";
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

// The tenth plan took the baseline's colour, dash, marker and hatch: two plans drawn alike. A
// colour comes back from the tenth on, but each round of nine with another dash.
TEST(Charts, NoTwoOfTheFirst72PlansAreDrawnAlike) {
  std::set<std::tuple<std::string, std::string, int>> seen;
  for (int i = 0; i < 72; ++i)
    EXPECT_TRUE(seen.insert({style(i).colour, style(i).dash, int(style(i).marker)}).second)
        << "plan " << i;
  EXPECT_STRNE(style(9).dash, style(0).dash);
  EXPECT_NE(style(9).marker, style(0).marker);
  EXPECT_NE(style(9).hatch, style(0).hatch);
  EXPECT_STREQ(style(72).dash, style(0).dash);  // then the cycle starts again
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
  lo = 0, hi = 1;  // a whole-number axis of one week: 0 and 1, not 0, 0.2, ... labelled 0, 0, 1
  EXPECT_EQ(nice_ticks(lo, hi, 6, 1), (std::vector<double>{0, 1}));
  EXPECT_EQ(hi, 1);
  EXPECT_EQ(xml_escape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&#39; ");
}

// A title with a long plan name ran off the chart (an SVG text does not wrap): it is broken
// into lines, after a hyphen or a space where it can be, each within the chart's width.
TEST(Charts, LongTitlesWrapWithinTheChart) {
  const std::string name = "very-long-plan-name-very-long-plan-name-very-long-plan-name-end";
  auto no_spaces = [](std::string t) {
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    return t;
  };
  for (const std::string& title : {name + ": cumulative bookings", std::string(64, 'x') + " & Ü"}) {
    LineChart c = fan();
    c.frame.title = title;
    c.frame.width = 560;
    const std::string svg = line_chart_svg(c);
    EXPECT_EQ(parse_svg(svg).rfind("ok " + title + "|", 0), 0u) << "the <title> keeps it whole";
    const std::regex line(
        R"(<text x="14"[^>]*font-size="15"[^>]*font-weight="600"[^>]*>([^<]*)</text>)");
    std::string joined;
    int lines = 0;
    for (std::sregex_iterator i(svg.begin(), svg.end(), line), e; i != e; ++i, ++lines) {
      const std::string t = (*i)[1];
      joined += t;
      const auto glyphs =
          std::count_if(t.begin(), t.end(), [](char ch) { return (ch & 0xC0) != 0x80; });
      EXPECT_LE(0.56 * 15 * 1.1 * double(glyphs), 560 - 28) << t;
    }
    EXPECT_GE(lines, 2) << title;
    EXPECT_EQ(no_spaces(joined), no_spaces(xml_escape(title)));
  }
}

// Wide glyphs (CJK, fullwidth forms) take a full em, about twice a Latin one: a title in Japanese
// was laid out as if Latin and ran off the chart. 40 of them at 15 px are about 600 px, past a
// chart of 560, so the title takes two lines, each within the chart at a full em a glyph; the
// same count of Latin letters fits on one.
TEST(Charts, WideGlyphTitlesWrapAtTheirWidth) {
  std::string japanese;
  for (int i = 0; i < 20; ++i) japanese += "\u55b6\u696d";  // 営業, "sales"
  const std::regex line(
      R"(<text x="14"[^>]*font-size="15"[^>]*font-weight="600"[^>]*>([^<]*)</text>)");
  auto title_lines = [&](const std::string& title) {
    LineChart c = fan();
    c.frame.title = title;
    c.frame.width = 560;
    const std::string svg = line_chart_svg(c);
    std::vector<std::string> out;
    for (std::sregex_iterator i(svg.begin(), svg.end(), line), e; i != e; ++i)
      out.push_back((*i)[1]);
    return out;
  };
  const auto lines = title_lines(japanese);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& t : lines) {
    const auto glyphs =
        std::count_if(t.begin(), t.end(), [](char ch) { return (ch & 0xC0) != 0x80; });
    EXPECT_LE(15 * 1.1 * double(glyphs), 560 - 28) << t;
  }
  EXPECT_EQ(lines[0] + lines[1], japanese);
  EXPECT_EQ(title_lines(std::string(40, 'x')).size(), 1u);
}

// The y tick labels of a line chart, from its SVG: the texts anchored at their end.
std::vector<std::string> y_tick_labels(const std::string& svg) {
  std::vector<std::string> out;
  const std::regex re(R"(<text[^>]*text-anchor="end"[^>]*>([^<]*)</text>)");
  for (std::sregex_iterator i(svg.begin(), svg.end(), re), e; i != e; ++i) out.push_back((*i)[1]);
  return out;
}

// Hours per rep that move by a tenth of an hour were ticked 40, 40.05, 40.1, ... and labelled
// 40, 40, 40.1, 40.1, 40.2, 40.2 (compact_number keeps one decimal there).
TEST(Charts, TickLabelsFinerThanTheirRoundingStillDiffer) {
  LineChart c;
  c.frame = {"hours", "Hours worked per rep", "Around 40 hours."};
  c.x.label = "Week";
  c.y.label = "Hours per rep per week";
  Series s{"plan", {}, {}, {}};
  for (int w = 1; w <= 52; ++w) s.x.push_back(w), s.y.push_back(40.125 + 0.125 * std::sin(w / 5.0));
  c.series = {s};
  const auto labels = y_tick_labels(line_chart_svg(c));
  ASSERT_GE(labels.size(), 3u);
  EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size())
      << ::testing::PrintToString(labels);
  EXPECT_EQ(format_tick(c.y, 40.05, 0.05), "40.05");
  EXPECT_EQ(format_tick(c.y, 40, 0.05), "40");
  EXPECT_EQ(format_tick(c.y, 12.345e6, 5e3), "12.345M");  // money ticks 5k apart
  EXPECT_EQ(format_tick(c.y, -12.345e6, 5e3), "-12.345M");
  EXPECT_EQ(format_tick(c.y, 16e6, 2e6), "16M");  // coarse steps as before
  EXPECT_EQ(format_tick(c.y, 1500, 500), "1.5k");
  const Axis pct{"P", {}, {}, {}, Axis::Format::percent};
  EXPECT_EQ(format_tick(pct, 0.9005, 0.0005), "90.05%");
  EXPECT_EQ(format_tick(pct, 0.5, 0.1), "50%");
}

}  // namespace
}  // namespace salesim
