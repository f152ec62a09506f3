#pragma once
// Small SVG charts for reports and slides: a line chart with bands (a fan chart), grouped
// horizontal bars with error whiskers, a histogram and a tornado chart. No sales words: the
// caller brings the numbers, the labels, the units and the text alternative.
//
// Every chart is one <svg> element with xmlns set (so the same text is a valid .svg file and
// can be inlined in HTML), a visible title, <title> and <desc> (the text alternative),
// role="img" and aria-label. Series take their colour from the Okabe-Ito palette (distinct for
// the common colour-vision deficiencies) and also differ in dash pattern, marker shape or
// hatching, so a greyscale print tells them apart. Element ids inside a chart are prefixed with
// Frame::id, so several charts can share one page. All text is XML-escaped here.
#include <optional>
#include <string>
#include <vector>

namespace salesim::tools::charts {

// What tells series i apart: colour, dash pattern (SVG stroke-dasharray, "" solid), marker
// shape and bar hatching. style(i) wraps around; the first seven differ in every attribute.
enum class Shape { circle, square, triangle, diamond, cross, triangle_down, plus };
struct Style {
  const char* colour;
  const char* dash;
  Shape marker;
  int hatch;  // 0 solid, 1 diagonal, 2 dots, 3 cross-hatch, 4 horizontal, 5 anti-diagonal
};
const Style& style(int i);
// Two neutral styles for series that are measures rather than the plans the colours stand for
// (e.g. cost and profit bars): grey hatched and dark solid. style() cycles through all nine.
inline constexpr int kGreyStyle = 7, kDarkStyle = 8;
inline constexpr const char* kNeutral = "#6b6b6b";  // reference lines, "other" bars

struct Frame {
  std::string id;                    // unique on the page; letters, digits, '-' and '_'
  std::string title;                 // shown at the top and as <title>
  std::string desc;                  // the text alternative: what the chart shows, in words
  double width = 720, height = 380;  // the viewBox in px; HTML may scale it. Bar and tornado
                                     // charts size their height to their bars instead.
};

struct Tick {
  double at;
  std::string label;
};

struct Axis {
  std::string label;               // with the unit: "Cumulative bookings (EUR)", "Week"
  std::optional<double> min, max;  // default: the data's range, widened to nice ticks
  std::vector<Tick> ticks;         // explicit ticks; default: 1-2-5 steps labelled by `format`
  enum class Format { compact, percent, integer } format = Format::compact;
};

// ---- Line chart with bands: a fan chart when each series carries quantile bands ----------
struct Band {
  std::vector<double> lo, hi;  // same length as the series' x
  std::string label;           // legend: "10-90% of paths"
  double opacity = 0.2;        // fill opacity of the series' colour
};
struct Series {
  std::string name;
  std::vector<double> x, y;
  std::vector<Band> bands;  // drawn under the line in the order given (widest first)
  int style = -1;           // style(i); -1: the series' position
  int marker_every = 0;     // a marker on every n-th point (0: none)
};
struct HLine {  // a horizontal reference line ("goal 16M"), labelled at its left end
  double y;
  std::string label;
};
struct VLine {  // a vertical reference line, labelled at its top
  double x;
  std::string label;
};
struct Point {  // a labelled marker ("Q1 3.6M" at week 13)
  double x, y;
  std::string label;
};
struct LineChart {
  Frame frame;
  Axis x, y;
  std::vector<Series> series;
  std::vector<HLine> hlines;
  std::vector<VLine> vlines;
  std::vector<Point> points;  // drawn as outlined diamonds over the lines
  std::string points_legend;  // legend entry for the points ("" none)
  bool legend = true;
};
std::string line_chart_svg(const LineChart& c);

// Where line_chart_svg puts things, in the SVG's px (y down), for tests and for callers that
// draw over a chart. Labels of points sit next to their diamond, at the first of eight
// positions around it that collides with no other label or mark and crosses the fewest lines;
// a series that coincides with an earlier one (within 1.5 px everywhere) is drawn offset by a
// few px, so every line stays visible.
struct Box {
  double x0, y0, x1, y1;
  bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};
struct LineLayout {
  Box plot;
  std::vector<Box> point_marks, point_labels;  // per point (an empty label: a zero box)
  std::vector<Box> hline_labels, vline_labels;
  std::vector<double> series_offset;  // px, per series (0: drawn where it is)
};
LineLayout line_chart_layout(const LineChart& c);

// ---- Grouped horizontal bars with error whiskers ---------------------------------------
struct Bar {
  double value = 0;
  double error = 0;  // whisker half-width in value units (e.g. 1.96 x standard error); 0: none
  std::string text;  // printed beside the bar; "" prints the value with the axis format
};
struct BarGroup {
  std::string label;      // left of the group
  std::vector<Bar> bars;  // bars[i] belongs to series[i]
};
struct BarChart {
  Frame frame;
  Axis value;                       // horizontal; 0 is always inside the range
  std::vector<std::string> series;  // legend names; one series: no legend
  std::vector<int> series_style;    // style index per series; default: the series' position
  std::vector<BarGroup> groups;     // top to bottom
  std::vector<VLine> vlines;        // e.g. a target share
};
std::string bar_chart_svg(const BarChart& c);

// ---- Histogram of values, coloured on either side of a split ---------------------------
struct Histogram {
  Frame frame;
  Axis x;  // the values' axis; y is the share of values per bin
  std::string y_label = "Share of paths";
  std::vector<double> values;  // NaN values are ignored
  std::vector<double>
      weights;  // per value (empty: 1 each), e.g. the counts of values binned before
  int bins = 30;
  int style = 0;                // bins at or above `split`
  std::optional<double> split;  // bins below it are neutral grey and hatched
  std::vector<VLine> vlines;    // e.g. 0 and the mean
};
std::string histogram_svg(const Histogram& c);

// ---- Tornado chart: how far an outcome moves when each input goes low / high ------------
// Each bar spans from `base` to the outcome with its input at the low setting (low colour)
// and to the outcome at the high setting (high colour); either may lie on either side of the
// base. Bars are sorted by swing |high - low|, largest on top (unless sort is false). Labels
// of the inputs stand left of the plot; the settings (low_text, high_text) beside the bar ends;
// whiskers show each end's uncertainty. Example:
//   TornadoChart t;
//   t.frame = {"tornado-pgoal", "What moves P(goal)", "P(goal) swings most with deal size..."};
//   t.value = {"P(goal) (%)", 0.0, 1.0, {}, Axis::Format::percent};
//   t.base = 0.62;
//   t.bars = {{"deal size mean", 0.41, 0.79, "20k", "40k", 0.02, 0.02}, ...};
//   std::string svg = tornado_svg(t);
struct TornadoBar {
  std::string label;                     // the input
  double low = 0, high = 0;              // the outcome at the input's low / high setting
  std::string low_text, high_text;       // the settings, e.g. "0.3" and "0.5" ("" none)
  double low_error = 0, high_error = 0;  // whisker half-widths (e.g. 1.96 x se); 0: none
};
struct TornadoChart {
  Frame frame;
  Axis value;  // the outcome's axis (horizontal)
  double base = 0;
  std::string base_label = "base";
  std::string low_name = "input at low setting", high_name = "input at high setting";
  std::vector<TornadoBar> bars;
  bool sort = true;
};
std::string tornado_svg(const TornadoChart& c);

// ---- Waterfall: how steps add up to a total ---------------------------------------------
// Horizontal: each step's bar runs from the running total before it to the running total after
// it (gains in style(gain_style), losses grey and hatched), with a whisker at its end; the last
// row is the total, from 0 (dark). Labels stand left of the plot, values beside the bars.
struct WaterfallStep {
  std::string label;
  double value = 0;
  double error = 0;    // whisker half-width (e.g. 1.96 x standard error); 0: none
  bool level = false;  // an amount (ARR at the start), not a change: labelled without a sign
  // Printed beside the bar ("+$4.8M"); "" prints the value with the axis format, signed unless
  // a level. {} so that {label, value, error} stays warning-free (-Wmissing-field-initializers).
  std::string text{};
};
struct WaterfallChart {
  Frame frame;
  Axis value;  // horizontal; 0 is always inside the range
  std::vector<WaterfallStep> steps;
  WaterfallStep total;  // drawn from 0; its value is the caller's (the steps add up to it)
  int gain_style = 0;
};
std::string waterfall_svg(const WaterfallChart& c);

// ---- Helpers, also used by callers for consistent text ---------------------------------
std::string xml_escape(const std::string& s);
// The series styles (colour, dash, marker) a chart gives its series in order, repeating after
// this many; the report's tables and cards colour plan i as style i % kSeriesStyles.
inline constexpr std::size_t kSeriesStyles = 9;
// Rounds of kSeriesStyles plans that style() tells apart (by dash, marker and hatch) before it
// starts again: the report's swatches mark the same rounds.
inline constexpr std::size_t kStyleRounds = 8;
std::string compact_number(double v);  // 1234567 -> "1.23M", 950 -> "950", 12500 -> "12.5k"
std::string format_value(const Axis& a, double v);
// A tick's label: format_value, with as many more decimals as ticks `step` apart need to
// differ (40.05 between 40 and 40.1).
std::string format_tick(const Axis& a, double v, double step);
// 1-2-5 ticks covering [lo, hi], about `target` of them, at least `min_step` apart; lo/hi are
// widened to the outer ticks.
std::vector<double> nice_ticks(double& lo, double& hi, int target = 6, double min_step = 0);

}  // namespace salesim::tools::charts
