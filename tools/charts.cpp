#include "tools/charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>
#include <vector>

namespace salesim::tools::charts {
namespace {

constexpr const char* kFont =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Liberation Sans', sans-serif";
constexpr const char* kInk = "#1f1f1f";    // text and axes
constexpr const char* kMuted = "#555555";  // tick labels
constexpr const char* kGrid = "#e3e3e3";
constexpr double kTitleSize = 15, kLabelSize = 12, kTickSize = 11;

// Okabe & Ito (2008), ordered so neighbours also differ in lightness; the first seven differ
// in colour, dash, marker and hatch.
constexpr Style kStyles[] = {
    {"#0072B2", "", Shape::circle, 0},       {"#D55E00", "8 4", Shape::square, 1},
    {"#009E73", "2 3", Shape::triangle, 2},  {"#CC79A7", "10 3 2 3", Shape::diamond, 3},
    {"#E69F00", "5 2", Shape::cross, 4},     {"#56B4E9", "1 2", Shape::triangle_down, 5},
    {"#000000", "12 2 2 2", Shape::plus, 3}, {"#8c8c8c", "4 4", Shape::square, 1},
    {"#2f3b47", "", Shape::circle, 0},
};

std::string num(double v) {  // an SVG coordinate
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s == "-0" ? "0" : s;
}

// East Asian wide and fullwidth characters (CJK, Hangul, fullwidth forms), emoji and the
// symbols emoji fonts draw (U+2600-27BF): a glyph a full em wide, about twice a Latin one.
bool wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x2600 && c <= 0x27BF) ||
         (c >= 0x1F000 && c <= 0x1F2FF) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F680 && c <= 0x1F6FF) || (c >= 0x1F900 && c <= 0x1F9FF) ||
         (c >= 0x1FA70 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// A width estimate for layout (no font metrics here): the average glyph of a sans-serif font,
// 0.56 em, and a full em for a wide one (a title in Japanese ran off the chart at 0.56).
double text_width(const std::string& s, double size) {
  double ems = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    char32_t c = n == 1 ? b : b & (0x3F >> (n - 1));
    for (int k = 1; k < n && i + k < s.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    ems += wide(c) ? 1.0 : 0.56;
    i += std::size_t(n);
  }
  return ems * size;
}

std::string trim_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const {
    return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) / (d1 - d0) * (r1 - r0);
  }
};

// The axis' range and ticks from the data range [lo, hi].
struct Resolved {
  double lo, hi;
  std::vector<Tick> ticks;
};
// An axis of whole numbers (weeks, counts) ticks whole numbers: a short one would otherwise
// tick 0.2, 0.4, ... and label them 0, 0, 1 as integers.
double min_step(const Axis& a) { return a.format == Axis::Format::integer ? 1 : 0; }

Resolved resolve(const Axis& a, double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (a.min) lo = *a.min;
  if (a.max) hi = *a.max;
  if (hi <= lo) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    if (!a.max) hi = lo + pad;
    if (!a.min || hi <= lo) lo = hi - 2 * pad;
  }
  Resolved r{lo, hi, {}};
  if (!a.ticks.empty()) {
    for (const auto& t : a.ticks)
      if (t.at >= lo - 1e-9 * (hi - lo) && t.at <= hi + 1e-9 * (hi - lo)) r.ticks.push_back(t);
    return r;
  }
  double nlo = lo, nhi = hi;
  const auto values = nice_ticks(nlo, nhi, 6, min_step(a));
  if (!a.min) r.lo = nlo;
  if (!a.max) r.hi = nhi;
  const double step = values.size() > 1 ? values[1] - values[0] : 0;
  for (double v : values)
    if (v >= r.lo - 1e-9 * (r.hi - r.lo) && v <= r.hi + 1e-9 * (r.hi - r.lo))
      r.ticks.push_back({v, format_tick(a, v, step)});
  return r;
}

std::string marker(Shape shape, double x, double y, double r, const std::string& stroke,
                   const std::string& fill) {
  const std::string paint =
      fmt::format(R"( fill="{}" stroke="{}" stroke-width="1.5")", fill, stroke);
  switch (shape) {
    case Shape::circle:
      return fmt::format(R"(<circle cx="{}" cy="{}" r="{}"{}/>)", num(x), num(y), num(r), paint);
    case Shape::square:
      return fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}"{}/>)", num(x - r),
                         num(y - r), num(2 * r), num(2 * r), paint);
    case Shape::triangle:
      return fmt::format(R"(<path d="M{} {}L{} {}L{} {}Z"{}/>)", num(x), num(y - 1.2 * r),
                         num(x + 1.1 * r), num(y + 0.8 * r), num(x - 1.1 * r), num(y + 0.8 * r),
                         paint);
    case Shape::triangle_down:
      return fmt::format(R"(<path d="M{} {}L{} {}L{} {}Z"{}/>)", num(x), num(y + 1.2 * r),
                         num(x + 1.1 * r), num(y - 0.8 * r), num(x - 1.1 * r), num(y - 0.8 * r),
                         paint);
    case Shape::diamond:
      return fmt::format(R"(<path d="M{} {}L{} {}L{} {}L{} {}Z"{}/>)", num(x), num(y - 1.3 * r),
                         num(x + 1.3 * r), num(y), num(x), num(y + 1.3 * r), num(x - 1.3 * r),
                         num(y), paint);
    case Shape::cross:
      return fmt::format(R"(<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{}" stroke-width="2"/>)",
                         num(x - r), num(y - r), num(x + r), num(y + r), num(x - r), num(y + r),
                         num(x + r), num(y - r), stroke);
    case Shape::plus:
      return fmt::format(R"(<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{}" stroke-width="2"/>)",
                         num(x - r), num(y), num(x + r), num(y), num(x), num(y - r), num(x),
                         num(y + r), stroke);
  }
  return {};
}

// Text with a white halo so it stays readable over lines and bands.
std::string text(double x, double y, const std::string& s, double size, const char* anchor,
                 const char* colour = kInk, const char* weight = "normal", bool halo = false) {
  return fmt::format(
      R"(<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}" font-weight="{}"{}>{}</text>)",
      num(x), num(y), num(size), anchor, colour, weight,
      halo ? R"( stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke")"
           : "",
      xml_escape(s));
}

// The fill of a bar of style i: its colour, hatched in white for i's hatch.
std::string hatch_defs(const std::string& id, int i, const Style& st) {
  const std::string pid = fmt::format("{}-hatch{}", id, i);
  std::string lines;
  switch (st.hatch) {
    case 1:
      lines = R"(<path d="M0 0V6" stroke="#fff" stroke-width="1.6" stroke-opacity="0.75"/>)";
      break;
    case 2:
      lines = R"(<circle cx="3" cy="3" r="1.2" fill="#fff" fill-opacity="0.8"/>)";
      break;
    case 3:
      lines = R"(<path d="M0 0V6M0 0H6" stroke="#fff" stroke-width="1.4" stroke-opacity="0.75"/>)";
      break;
    case 4:
      lines = R"(<path d="M0 3H6" stroke="#fff" stroke-width="1.6" stroke-opacity="0.75"/>)";
      break;
    case 5:
      lines = R"(<path d="M3 0V6" stroke="#fff" stroke-width="1.2" stroke-opacity="0.8"/>)";
      break;
    default:
      return {};
  }
  const int angle = st.hatch == 5 ? -45 : st.hatch == 4 ? 0 : 45;
  return fmt::format(
      R"~(<pattern id="{}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate({})"><rect width="6" height="6" fill="{}"/>{}</pattern>)~",
      pid, angle, st.colour, lines);
}
std::string bar_fill(const std::string& id, int i, const Style& st) {
  return st.hatch ? fmt::format("url(#{}-hatch{})", id, i) : std::string(st.colour);
}

// ---- Frame: root element, accessible name and description, visible title, legend --------
struct LegendEntry {
  enum Kind { line, band, point, bar, reference } kind;
  int style;
  std::string label;
  double opacity;
  std::string fill;    // bars: the fill (colour or pattern url)
  std::string colour;  // "" the style's colour
  LegendEntry(Kind k, int s, std::string l, double o = 1, std::string f = {}, std::string c = {})
      : kind(k),
        style(s),
        label(std::move(l)),
        opacity(o),
        fill(std::move(f)),
        colour(std::move(c)) {}
};

// Lines of at most max_w, broken after a space or hyphen, or anywhere in a word too long for a
// line: an SVG text does not wrap, and a title with a long plan name ran off the chart.
std::vector<std::string> wrap_text(const std::string& s, double size, double max_w) {
  std::vector<std::string> lines(1);
  std::string word;
  auto fits = [&](const std::string& t) { return text_width(t, size) <= max_w; };
  auto flush = [&] {
    if (!lines.back().empty() && !fits(lines.back() + word)) {
      while (!lines.back().empty() && lines.back().back() == ' ') lines.back().pop_back();
      lines.emplace_back();
    }
    for (std::size_t i = 0; i < word.size();) {  // by code point, so UTF-8 stays whole
      std::size_t n = 1;
      while (i + n < word.size() && (word[i + n] & 0xC0) == 0x80) ++n;
      if (!lines.back().empty() && !fits(lines.back() + word.substr(i, n))) lines.emplace_back();
      lines.back() += word.substr(i, n);
      i += n;
    }
    word.clear();
  };
  for (char c : s) {
    word += c;
    if (c == ' ' || c == '-') flush();
  }
  flush();
  return lines;
}

struct Canvas {
  std::string out;
  std::string id;
  double width, height;
  double legend_top = 0, legend_height = 0;
  std::vector<std::string> title_lines;
  std::vector<std::vector<LegendEntry>> legend_rows;

  Canvas(const Frame& f, const std::vector<LegendEntry>& legend)
      : id(f.id), width(f.width), height(f.height) {
    // Titles are bold, a little wider than text_width's average glyph.
    if (!f.title.empty()) title_lines = wrap_text(f.title, kTitleSize, (width - 28) / 1.1);
    legend_top = title_lines.empty() ? 10 : 38 + 19 * (title_lines.size() - 1.0);
    double x = 0;
    for (const auto& e : legend) {
      const double w = 34 + text_width(e.label, kTickSize) + 18;
      if (legend_rows.empty() || x + w > width - 24) legend_rows.emplace_back(), x = 0;
      legend_rows.back().push_back(e);
      x += w;
    }
    legend_height = legend_rows.size() * 18.0 + (legend_rows.empty() ? 0 : 6);
  }
  double content_top() const { return legend_top + legend_height + 6; }

  void open(const Frame& f, const std::string& defs) {
    out += fmt::format(
        R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}" aria-describedby="{id}-desc" font-family="{font}" class="chart" id="{id}">)",
        fmt::arg("w", num(width)), fmt::arg("h", num(height)), fmt::arg("t", xml_escape(f.title)),
        fmt::arg("id", f.id), fmt::arg("font", xml_escape(kFont)));
    out += fmt::format(R"(<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>)", f.id,
                       xml_escape(f.title), f.id, xml_escape(f.desc));
    out += fmt::format(R"(<rect width="{}" height="{}" fill="#ffffff"/>)", num(width), num(height));
    if (!defs.empty()) out += "<defs>" + defs + "</defs>";
    for (std::size_t i = 0; i < title_lines.size(); ++i)
      out += text(14, 24 + 19 * double(i), title_lines[i], kTitleSize, "start", kInk, "600");
    draw_legend();
  }
  void draw_legend() {
    double y = legend_top + 9;
    for (const auto& row : legend_rows) {
      double x = 14;
      for (const auto& e : row) {
        const Style& st = style(e.style);
        const std::string colour = e.colour.empty() ? std::string(st.colour) : e.colour;
        switch (e.kind) {
          case LegendEntry::line:
            out += fmt::format(
                R"(<path d="M{} {}H{}" stroke="{}" stroke-width="2.2" stroke-dasharray="{}" fill="none"/>)",
                num(x), num(y), num(x + 28), colour, st.dash);
            out += marker(st.marker, x + 14, y, 3.2, colour, "#ffffff");
            break;
          case LegendEntry::band:
            out += fmt::format(
                R"(<rect x="{}" y="{}" width="28" height="10" fill="{}" fill-opacity="{}"/>)",
                num(x), num(y - 5), colour, e.opacity);
            break;
          case LegendEntry::point:
            out += marker(Shape::diamond, x + 14, y, 4, kInk, "#ffffff");
            break;
          case LegendEntry::bar:
            out +=
                fmt::format(R"(<rect x="{}" y="{}" width="28" height="11" fill="{}" stroke="{}"/>)",
                            num(x), num(y - 5.5), e.fill, colour);
            break;
          case LegendEntry::reference:
            out += fmt::format(
                R"(<path d="M{} {}H{}" stroke="{}" stroke-width="1.6" stroke-dasharray="6 3"/>)",
                num(x), num(y), num(x + 28), colour);
            break;
        }
        out += text(x + 34, y + 4, e.label, kTickSize, "start", kInk);
        x += 34 + text_width(e.label, kTickSize) + 18;
      }
      y += 18;
    }
  }
  std::string close() { return out + "</svg>"; }
};

double max_label_width(const std::vector<Tick>& ticks, double size) {
  double w = 0;
  for (const auto& t : ticks) w = std::max(w, text_width(t.label, size));
  return w;
}

// Horizontal value axis at y = bottom with grid lines up to `top`.
void x_axis(std::string& o, const Resolved& r, const Scale& sx, double top, double bottom,
            const std::string& label, double label_y) {
  for (const auto& t : r.ticks) {
    const double x = sx(t.at);
    o += fmt::format(R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1"/>)", num(x), num(top),
                     num(bottom), kGrid);
    o += fmt::format(R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1"/>)", num(x), num(bottom),
                     num(bottom + 4), kInk);
    o += text(x, bottom + 17, t.label, kTickSize, "middle", kMuted);
  }
  o += fmt::format(R"(<path d="M{} {}H{}" stroke="{}" stroke-width="1"/>)", num(sx.r0), num(bottom),
                   num(sx.r1), kInk);
  if (!label.empty()) o += text((sx.r0 + sx.r1) / 2, label_y, label, kLabelSize, "middle", kInk);
}

// Vertical value axis at x = left with grid lines across to `right`.
void y_axis(std::string& o, const Resolved& r, const Scale& sy, double left, double right,
            const std::string& label, double label_x) {
  for (const auto& t : r.ticks) {
    const double y = sy(t.at);
    o += fmt::format(R"(<path d="M{} {}H{}" stroke="{}" stroke-width="1"/>)", num(left), num(y),
                     num(right), kGrid);
    o += text(left - 6, y + 4, t.label, kTickSize, "end", kMuted);
  }
  o += fmt::format(R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1"/>)", num(left), num(sy.r0),
                   num(sy.r1), kInk);
  if (!label.empty()) {
    const double cy = (sy.r0 + sy.r1) / 2;
    o += fmt::format(
        R"~(<text x="{x}" y="{y}" font-size="{s}" text-anchor="middle" fill="{c}" transform="rotate(-90 {x} {y})">{t}</text>)~",
        fmt::arg("x", num(label_x)), fmt::arg("y", num(cy)), fmt::arg("s", num(kLabelSize)),
        fmt::arg("c", kInk), fmt::arg("t", xml_escape(label)));
  }
}

void extend(double& lo, double& hi, double v) {
  if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
}
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

static_assert(std::size(kStyles) == kSeriesStyles, "the report's plan colours follow kStyles");

const Style& style(int i) {
  // The tenth plan and later take a colour again, each round of nine with another dash, marker
  // and hatch: a dash differs from the colour's earlier ones for eight rounds, so no two of the
  // first 72 plans look alike (the tenth looked like the baseline).
  static const std::vector<Style> styles = [] {
    constexpr const char* dashes[] = {"",    "8 4", "2 3",      "10 3 2 3",
                                      "5 2", "1 2", "12 2 2 2", "4 4"};
    constexpr int nd = int(std::size(dashes)), nm = int(Shape::plus) + 1, nh = 6;
    static_assert(std::size_t(nd) == kStyleRounds, "a round per dash");
    std::vector<Style> out;
    for (int round = 0; round < nd; ++round)
      for (int c = 0; c < int(kSeriesStyles); ++c) {
        Style st = kStyles[c];
        if (round > 0) {
          st.dash = dashes[((c < nd ? c : 0) + round) % nd];  // kStyles' dash is dashes[c], or ""
          st.marker = Shape((int(st.marker) + round) % nm);
          st.hatch = (st.hatch + round) % nh;
        }
        out.push_back(st);
      }
    return out;
  }();
  const int n = int(styles.size());
  return styles[std::size_t(((i % n) + n) % n)];
}

std::string xml_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        // Control characters are not allowed in XML 1.0 (tab, newline, CR are).
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          o += ' ';
        else
          o += c;
    }
  return o;
}

namespace {
// compact_number's unit for a magnitude, and the decimals it shows in it.
struct Unit {
  double size;
  const char* suffix;
  int decimals;
};
Unit compact_unit(double a) {
  return a >= 1e12  ? Unit{1e12, "T", 2}
         : a >= 1e9 ? Unit{1e9, "B", 2}
         : a >= 1e6 ? Unit{1e6, "M", 2}
         : a >= 1e4 ? Unit{1e3, "k", 1}
         : a >= 1e3 ? Unit{1e3, "k", 2}
         : a >= 1   ? Unit{1, "", 1}
                    : Unit{1, "", 3};
}
// v in unit u with `decimals`, trailing zeros trimmed: "-1.5M".
std::string in_unit(double v, const Unit& u, int decimals) {
  return (v < 0 ? "-" : "") + trim_zeros(fmt::format("{:.{}f}", std::fabs(v) / u.size, decimals)) +
         u.suffix;
}
}  // namespace

std::string compact_number(double v) {
  if (!std::isfinite(v)) return "-";
  if (v == 0) return "0";
  const Unit u = compact_unit(std::fabs(v));
  return in_unit(v, u, u.decimals);
}

std::string format_value(const Axis& a, double v) {
  switch (a.format) {
    case Axis::Format::percent:
      return trim_zeros(fmt::format("{:.1f}", 100 * v)) + "%";
    case Axis::Format::integer:
      return fmt::format("{:.0f}", v);
    case Axis::Format::compact:
      break;
  }
  return compact_number(v);
}

// compact_number and percent labels round to fixed decimals, so ticks finer than that (hours
// 0.05 apart) read 40, 40, 40.1, 40.1: a step that needs more decimals gets them.
std::string format_tick(const Axis& a, double v, double step) {
  const std::string plain = format_value(a, v);
  if (!(step > 0) || !std::isfinite(v) || v == 0 || a.format == Axis::Format::integer) return plain;
  if (a.format == Axis::Format::percent) {
    const int need = int(std::ceil(-std::log10(100 * step) - 1e-9));
    return need <= 1 ? plain : trim_zeros(fmt::format("{:.{}f}", 100 * v, std::min(need, 9))) + "%";
  }
  const Unit u = compact_unit(std::fabs(v));
  const int need = int(std::ceil(-std::log10(step / u.size) - 1e-9));
  return need <= u.decimals ? plain : in_unit(v, u, std::min(need, 9));
}

std::vector<double> nice_ticks(double& lo, double& hi, int target, double min_step) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi < lo) std::swap(lo, hi);
  double span = hi - lo;
  if (span <= 0) span = lo == 0 ? 1 : std::fabs(lo);
  const double raw = span / std::max(1, target);
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = std::max(min_step, (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag);
  const double k0 = std::floor(lo / step + 1e-9), k1 = std::ceil(hi / step - 1e-9);
  lo = k0 * step;
  hi = std::max(k1, k0 + 1) * step;
  std::vector<double> t;
  for (double k = k0; k <= std::max(k1, k0 + 1) + 0.5; ++k)
    t.push_back(k * step == 0 ? 0 : k * step);
  return t;
}

// ---- Line chart ------------------------------------------------------------------------

namespace {

// A line chart's scales and label positions: computed once, used to draw and for tests.
struct LineGeometry {
  Resolved rx, ry;
  std::vector<LegendEntry> legend;
  double left = 0, top = 0, bottom = 0, right = 0;
  Scale sx, sy;
  LineLayout layout;
  struct Label {
    double x, y;
    const char* anchor;
  };
  std::vector<Label> point_text, hline_text, vline_text;
  std::vector<int> rank;  // per series: 0, or k for the k-th line on top of an earlier one
};

// The box of a text drawn at (x, y) (baseline) with its halo.
Box text_box(double x, double y, const std::string& s, double size, const char* anchor) {
  const double w = text_width(s, size);
  const double x0 = std::string_view(anchor) == "end"      ? x - w
                    : std::string_view(anchor) == "middle" ? x - w / 2
                                                           : x;
  return {x0 - 2, y - 0.8 * size - 2, x0 + w + 2, y + 0.25 * size + 2};
}

// Does the segment (x0,y0)-(x1,y1) cross the box? (Liang-Barsky clipping.)
bool crosses(const Box& b, double x0, double y0, double x1, double y1) {
  double t0 = 0, t1 = 1;
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - b.x0, b.x1 - x0, y0 - b.y0, b.y1 - y0};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
    } else {
      const double t = q[i] / p[i];
      if (p[i] < 0)
        t0 = std::max(t0, t);
      else
        t1 = std::min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

LineGeometry line_geometry(const LineChart& c) {
  LineGeometry g;
  double xlo = kInf, xhi = -kInf, ylo = kInf, yhi = -kInf;
  for (const auto& s : c.series) {
    for (double v : s.x) extend(xlo, xhi, v);
    for (double v : s.y) extend(ylo, yhi, v);
    for (const auto& b : s.bands) {
      for (double v : b.lo) extend(ylo, yhi, v);
      for (double v : b.hi) extend(ylo, yhi, v);
    }
  }
  for (const auto& h : c.hlines) extend(ylo, yhi, h.y);
  for (const auto& v : c.vlines) extend(xlo, xhi, v.x);
  for (const auto& p : c.points) extend(xlo, xhi, p.x), extend(ylo, yhi, p.y);
  // Headroom, so a line does not run along the frame; below too when the range is free, so a
  // line at the data's minimum does not hide on the axis.
  if (yhi > ylo) {
    const double span = yhi - ylo;
    yhi += 0.03 * span;
    if (!c.y.min) ylo -= 0.03 * span;
  }
  g.rx = resolve(c.x, xlo, xhi), g.ry = resolve(c.y, ylo, yhi);

  if (c.legend) {
    for (std::size_t i = 0; i < c.series.size(); ++i)
      if (!c.series[i].name.empty())
        g.legend.push_back({LegendEntry::line, c.series[i].style >= 0 ? c.series[i].style : int(i),
                            c.series[i].name});
    // Band swatches: in the series' colour when one series has bands, else neutral.
    int banded = 0, first = -1;
    for (std::size_t i = 0; i < c.series.size(); ++i)
      if (!c.series[i].bands.empty()) ++banded, first = first < 0 ? int(i) : first;
    if (banded) {
      const auto& s = c.series[first];
      for (const auto& b : s.bands)
        if (!b.label.empty())
          g.legend.push_back({LegendEntry::band, s.style >= 0 ? s.style : first, b.label,
                              std::min(1.0, b.opacity * (1 + 0.6 * (&b - &s.bands[0]))), "",
                              banded > 1 ? kNeutral : ""});
    }
    if (!c.points_legend.empty()) g.legend.push_back({LegendEntry::point, 0, c.points_legend});
  }
  const Canvas cv(c.frame, g.legend);
  g.left = 18 + 10 + max_label_width(g.ry.ticks, kTickSize) + 12;
  g.top = cv.content_top() + 6, g.bottom = c.frame.height - 46, g.right = c.frame.width - 18;
  g.sx = {g.rx.lo, g.rx.hi, g.left, g.right}, g.sy = {g.ry.lo, g.ry.hi, g.bottom, g.top};
  LineLayout& L = g.layout;
  L.plot = {g.left, g.top, g.right, g.bottom};

  // Coinciding series: the k-th line on top of an earlier one moves by k x 2.6 px, alternately
  // up and down, so each stays visible beside the others.
  L.series_offset.assign(c.series.size(), 0.0);
  g.rank.assign(c.series.size(), 0);
  std::vector<std::size_t> group(c.series.size());
  std::iota(group.begin(), group.end(), std::size_t(0));
  auto coincide = [&](const Series& a, const Series& b) {
    const std::size_t n = std::min({a.x.size(), a.y.size(), b.x.size(), b.y.size()});
    std::size_t shared = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (!std::isfinite(a.y[k]) || !std::isfinite(b.y[k])) continue;
      if (a.x[k] != b.x[k] || std::fabs(g.sy(a.y[k]) - g.sy(b.y[k])) >= 1.5) return false;
      ++shared;
    }
    return shared > 0;
  };
  for (std::size_t i = 1; i < c.series.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (group[j] == j && coincide(c.series[i], c.series[j])) {
        group[i] = j;
        const auto k = std::count(group.begin(), group.begin() + i, j);  // 1, 2, ... (j counts)
        L.series_offset[i] = (k % 2 ? -1.0 : 1.0) * 2.6 * double((k + 1) / 2);
        g.rank[i] = int(k);
        break;
      }

  // Labels: the reference lines' first (fixed places), then each point's at the best of eight
  // places around its diamond.
  std::vector<Box> taken;
  for (const auto& h : c.hlines) {
    const LineGeometry::Label t{g.left + 6, g.sy(h.y) - 6, "start"};
    g.hline_text.push_back(t);
    L.hline_labels.push_back(h.label.empty() ? Box{0, 0, 0, 0}
                                             : text_box(t.x, t.y, h.label, kTickSize, t.anchor));
    if (!h.label.empty()) taken.push_back(L.hline_labels.back());
  }
  for (const auto& v : c.vlines) {
    const bool flip = g.sx(v.x) > g.left + 0.75 * (g.right - g.left);  // near the right edge
    const LineGeometry::Label t{g.sx(v.x) + (flip ? -4 : 4), g.top + 10, flip ? "end" : "start"};
    g.vline_text.push_back(t);
    L.vline_labels.push_back(v.label.empty() ? Box{0, 0, 0, 0}
                                             : text_box(t.x, t.y, v.label, kTickSize, t.anchor));
    if (!v.label.empty()) taken.push_back(L.vline_labels.back());
  }
  for (const auto& p : c.points) {
    const double cx = g.sx(p.x), cy = g.sy(p.y), r = 4.5 * 1.3 + 1;
    L.point_marks.push_back({cx - r, cy - r, cx + r, cy + r});
  }
  taken.insert(taken.end(), L.point_marks.begin(), L.point_marks.end());
  // The lines as pixel polylines (with their offsets), to count crossings.
  std::vector<std::vector<std::pair<double, double>>> lines;
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const auto& s = c.series[i];
    lines.emplace_back();
    for (std::size_t k = 0; k < std::min(s.x.size(), s.y.size()); ++k)
      if (std::isfinite(s.y[k]))
        lines.back().emplace_back(g.sx(s.x[k]), g.sy(s.y[k]) + L.series_offset[i]);
  }
  for (const auto& h : c.hlines) lines.push_back({{g.left, g.sy(h.y)}, {g.right, g.sy(h.y)}});
  const Box inside{g.left + 1, g.top - 12, c.frame.width - 2, c.frame.height - 30};
  for (std::size_t i = 0; i < c.points.size(); ++i) {
    const auto& p = c.points[i];
    if (p.label.empty()) {
      g.point_text.push_back({0, 0, "start"});
      L.point_labels.push_back({0, 0, 0, 0});
      continue;
    }
    const double cx = g.sx(p.x), cy = g.sy(p.y);
    const LineGeometry::Label places[] = {{cx + 10, cy + 4, "start"}, {cx - 10, cy + 4, "end"},
                                          {cx - 8, cy - 12, "end"},   {cx + 8, cy - 12, "start"},
                                          {cx + 8, cy + 20, "start"}, {cx - 8, cy + 20, "end"},
                                          {cx, cy - 12, "middle"},    {cx, cy + 20, "middle"}};
    double best = kInf;
    std::size_t pick = 0;
    for (std::size_t k = 0; k < std::size(places); ++k) {
      const Box b = text_box(places[k].x, places[k].y, p.label, kTickSize, places[k].anchor);
      double cost = k * 0.01;  // on ties, the earlier place (right of the mark first)
      if (b.x0 < inside.x0 || b.x1 > inside.x1 || b.y0 < inside.y0 || b.y1 > inside.y1)
        cost += 1000;
      for (const Box& t : taken)
        if (b.overlaps(t)) cost += 1000;
      for (const auto& line : lines)
        for (std::size_t k2 = 1; k2 < line.size(); ++k2)
          if (crosses(b, line[k2 - 1].first, line[k2 - 1].second, line[k2].first,
                      line[k2].second)) {
            cost += 1;
            break;
          }
      if (cost < best) best = cost, pick = k;
    }
    g.point_text.push_back(places[pick]);
    L.point_labels.push_back(
        text_box(places[pick].x, places[pick].y, p.label, kTickSize, places[pick].anchor));
    taken.push_back(L.point_labels.back());
  }
  return g;
}

}  // namespace

LineLayout line_chart_layout(const LineChart& c) { return line_geometry(c).layout; }

std::string line_chart_svg(const LineChart& c) {
  const LineGeometry g = line_geometry(c);
  const Resolved &rx = g.rx, &ry = g.ry;
  const double left = g.left, top = g.top, bottom = g.bottom, right = g.right;
  const Scale &sx = g.sx, &sy = g.sy;
  Canvas cv(c.frame, g.legend);

  cv.open(c.frame,
          fmt::format(
              R"(<clipPath id="{}-plot"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>)",
              c.frame.id, num(left), num(top - 4), num(right - left), num(bottom - top + 8)));
  std::string& o = cv.out;
  y_axis(o, ry, sy, left, right, c.y.label, 16);
  x_axis(o, rx, sx, top, bottom, c.x.label, c.frame.height - 8);

  o += fmt::format(R"~(<g clip-path="url(#{}-plot)">)~", c.frame.id);
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const auto& s = c.series[i];
    const Style& st = style(s.style >= 0 ? s.style : int(i));
    for (const auto& b : s.bands) {
      std::string d;
      const std::size_t n = std::min({s.x.size(), b.lo.size(), b.hi.size()});
      for (std::size_t k = 0; k < n; ++k)
        d += fmt::format("{}{} {}", k ? "L" : "M", num(sx(s.x[k])), num(sy(b.hi[k])));
      for (std::size_t k = n; k-- > 0;)
        d += fmt::format("L{} {}", num(sx(s.x[k])), num(sy(b.lo[k])));
      if (n)
        o += fmt::format(R"(<path d="{}Z" fill="{}" fill-opacity="{}" stroke="none"/>)", d,
                         st.colour, b.opacity);
    }
  }
  for (const auto& h : c.hlines)
    o += fmt::format(
        R"(<path d="M{} {}H{}" stroke="{}" stroke-width="1.6" stroke-dasharray="6 3"/>)", num(left),
        num(sy(h.y)), num(right), kInk);
  for (const auto& v : c.vlines)
    o += fmt::format(
        R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1.2" stroke-dasharray="3 3"/>)",
        num(sx(v.x)), num(top), num(bottom), kNeutral);
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const auto& s = c.series[i];
    const Style& st = style(s.style >= 0 ? s.style : int(i));
    const double dy = g.layout.series_offset[i];
    std::string d;
    const std::size_t n = std::min(s.x.size(), s.y.size());
    // A value that does not exist (NaN: a week without reps) breaks the line, not bridged.
    bool pen_up = true;
    for (std::size_t k = 0; k < n; ++k) {
      if (!std::isfinite(s.y[k])) {
        pen_up = true;
        continue;
      }
      d += fmt::format("{}{} {}", pen_up ? "M" : "L", num(sx(s.x[k])), num(sy(s.y[k]) + dy));
      pen_up = false;
    }
    if (!d.empty())
      o += fmt::format(
          R"(<path d="{}" fill="none" stroke="{}" stroke-width="2.2" stroke-dasharray="{}" stroke-linejoin="round"{}/>)",
          d, st.colour, st.dash,
          dy != 0 ? fmt::format(R"( data-offset="{}")", num(dy)) : std::string());
    // Markers of a coinciding line are staggered, so each line's shape shows.
    if (s.marker_every > 0)
      for (std::size_t k = std::size_t(g.rank[i] * std::max(1, s.marker_every / 4)) %
                           std::size_t(s.marker_every);
           k < n; k += s.marker_every)
        if (std::isfinite(s.y[k]))
          o += marker(st.marker, sx(s.x[k]), sy(s.y[k]) + dy, 3.2, st.colour, "#ffffff");
  }
  o += "</g>";
  for (std::size_t i = 0; i < c.points.size(); ++i) {
    const auto& p = c.points[i];
    o += marker(Shape::diamond, sx(p.x), sy(p.y), 4.5, kInk, "#ffffff");
    if (!p.label.empty())
      o += text(g.point_text[i].x, g.point_text[i].y, p.label, kTickSize, g.point_text[i].anchor,
                kInk, "600", true);
  }
  for (std::size_t i = 0; i < c.hlines.size(); ++i)
    if (!c.hlines[i].label.empty())
      o += text(g.hline_text[i].x, g.hline_text[i].y, c.hlines[i].label, kTickSize,
                g.hline_text[i].anchor, kInk, "600", true);
  for (std::size_t i = 0; i < c.vlines.size(); ++i)
    if (!c.vlines[i].label.empty())
      o += text(g.vline_text[i].x, g.vline_text[i].y, c.vlines[i].label, kTickSize,
                g.vline_text[i].anchor, kMuted, "normal", true);
  return cv.close();
}

// ---- Grouped horizontal bars ------------------------------------------------------------

std::string bar_chart_svg(const BarChart& c) {
  const std::size_t S = std::max<std::size_t>(1, c.series.size());
  auto st_of = [&](std::size_t i) {
    return i < c.series_style.size() ? c.series_style[i] : int(i);
  };
  double lo = 0, hi = 0;
  double text_w = 0;
  for (const auto& g : c.groups)
    for (const auto& b : g.bars) {
      extend(lo, hi, b.value - b.error);
      extend(lo, hi, b.value + b.error);
    }
  for (const auto& v : c.vlines) extend(lo, hi, v.x);
  Resolved rv = resolve(c.value, lo, hi);
  for (const auto& g : c.groups)
    for (const auto& b : g.bars)
      text_w = std::max(
          text_w, text_width(b.text.empty() ? format_value(c.value, b.value) : b.text, kTickSize));

  std::vector<LegendEntry> legend;
  std::string defs;
  for (std::size_t i = 0; i < S; ++i) defs += hatch_defs(c.frame.id, st_of(i), style(st_of(i)));
  if (c.series.size() > 1)
    for (std::size_t i = 0; i < S; ++i)
      legend.push_back({LegendEntry::bar, st_of(i), c.series[i], 1,
                        bar_fill(c.frame.id, st_of(i), style(st_of(i)))});
  const double bh = S == 1 ? 22 : 15, gap = S == 1 ? 10 : 14;
  Frame f = c.frame;
  Canvas probe(f, legend);
  const double top = probe.content_top() + 8;
  const double plot_h = c.groups.size() * (S * bh + gap);
  f.height = top + plot_h + 44;
  Canvas cv(f, legend);

  double label_w = 0;
  for (const auto& g : c.groups) label_w = std::max(label_w, text_width(g.label, kLabelSize));
  const double left = 14 + label_w + 10, right = f.width - 14 - text_w - 8;
  const double bottom = top + plot_h;
  const Scale sx{rv.lo, rv.hi, left, right};
  cv.open(f, defs);
  std::string& o = cv.out;
  x_axis(o, rv, sx, top, bottom, c.value.label, f.height - 8);

  double y = top + gap / 2;
  for (const auto& g : c.groups) {
    const double gh = S * bh;
    o += text(left - 10, y + gh / 2 + 4, g.label, kLabelSize, "end", kInk);
    for (std::size_t i = 0; i < g.bars.size() && i < S; ++i) {
      const Bar& b = g.bars[i];
      const Style& st = style(st_of(i));
      const double by = y + i * bh + 1.5, h = bh - 3;
      const double x0 = sx(std::min(0.0, b.value)), x1 = sx(std::max(0.0, b.value));
      if (std::isfinite(b.value))
        o += fmt::format(
            R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"/>)",
            num(x0), num(by), num(std::max(x1 - x0, 0.0)), num(h),
            bar_fill(c.frame.id, st_of(i), st), st.colour);
      double end = std::max(0.0, b.value);
      if (b.error > 0 && std::isfinite(b.value)) {
        const double e0 = sx(b.value - b.error), e1 = sx(b.value + b.error), cy = by + h / 2;
        o += fmt::format(
            R"(<path d="M{a} {y}H{b}M{a} {y0}V{y1}M{b} {y0}V{y1}" stroke="{c}" stroke-width="1.4" fill="none"/>)",
            fmt::arg("a", num(e0)), fmt::arg("b", num(e1)), fmt::arg("y", num(cy)),
            fmt::arg("y0", num(cy - 4)), fmt::arg("y1", num(cy + 4)), fmt::arg("c", kInk));
        end = std::max(end, b.value + b.error);
      }
      o += text(sx(end) + 5, by + h / 2 + 4,
                b.text.empty() ? format_value(c.value, b.value) : b.text, kTickSize, "start", kInk);
    }
    y += gh + gap;
  }
  if (rv.lo < 0 && rv.hi > 0)
    o += fmt::format(R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1.2"/>)", num(sx(0)),
                     num(top), num(bottom), kInk);
  for (const auto& v : c.vlines) {
    o += fmt::format(
        R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1.4" stroke-dasharray="6 3"/>)",
        num(sx(v.x)), num(top), num(bottom), kInk);
    if (!v.label.empty()) {
      const bool flip = sx(v.x) > left + 0.75 * (right - left);
      o += text(sx(v.x) + (flip ? -4 : 4), top + 10, v.label, kTickSize, flip ? "end" : "start",
                kInk, "600", true);
    }
  }
  return cv.close();
}

// ---- Histogram --------------------------------------------------------------------------

std::string histogram_svg(const Histogram& c) {
  std::vector<double> v, wt;  // finite values and their weights
  for (std::size_t i = 0; i < c.values.size(); ++i)
    if (std::isfinite(c.values[i]))
      v.push_back(c.values[i]), wt.push_back(c.weights.empty() ? 1.0 : c.weights[i]);
  double total = 0;
  for (double x : wt) total += x;
  double lo = kInf, hi = -kInf;
  for (double x : v) extend(lo, hi, x);
  if (c.x.min) lo = *c.x.min;
  if (c.x.max) hi = *c.x.max;
  if (!(hi > lo)) {
    const double mid = std::isfinite(lo) ? lo : 0, pad = mid == 0 ? 1 : std::fabs(mid) * 0.05;
    lo = mid - pad, hi = mid + pad;
  }
  const int bins = std::max(1, c.bins);
  double w = (hi - lo) / bins;
  double start = lo;
  if (c.split && *c.split > lo && *c.split < hi)  // a bin edge on the split
    start = *c.split - std::ceil((*c.split - lo) / w) * w;
  const int n = int(std::ceil((hi - start) / w - 1e-9));
  std::vector<double> share(std::max(n, 1), 0.0);
  for (std::size_t i = 0; i < v.size(); ++i) {
    int k = int(std::floor((v[i] - start) / w));
    share[std::clamp(k, 0, int(share.size()) - 1)] +=
        c.weights.empty() ? 1.0 / v.size() : wt[i] / total;
  }
  double ylo = 0, yhi = *std::max_element(share.begin(), share.end());
  Axis ya{c.y_label, 0.0, std::nullopt, {}, Axis::Format::percent};
  const Resolved ry = resolve(ya, ylo, yhi > 0 ? yhi : 0.1);
  Axis xa = c.x;
  if (!xa.min) xa.min = start;
  if (!xa.max) xa.max = start + share.size() * w;
  for (const auto& vl : c.vlines) {
    xa.min = std::min(*xa.min, vl.x);
    xa.max = std::max(*xa.max, vl.x);
  }
  // Ticks inside the bins' range, without widening it.
  Resolved rx{*xa.min, *xa.max, {}};
  if (!xa.ticks.empty())
    rx = resolve(xa, *xa.min, *xa.max);
  else {
    double a = rx.lo, b = rx.hi;
    for (double t : nice_ticks(a, b, 6, min_step(xa)))
      if (t >= rx.lo - 1e-9 * (rx.hi - rx.lo) && t <= rx.hi + 1e-9 * (rx.hi - rx.lo))
        rx.ticks.push_back({t, format_value(xa, t)});
  }

  std::vector<LegendEntry> legend;
  const Style& st = style(c.style);
  std::string defs = fmt::format(
      R"~(<pattern id="{}-below" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#bdbdbd"/><path d="M0 0V6" stroke="#fff" stroke-width="1.6"/></pattern>)~",
      c.frame.id);
  if (c.split) {
    legend.push_back({LegendEntry::bar, c.style,
                      fmt::format("at or above {}", format_value(c.x, *c.split)), 1, st.colour});
    legend.push_back({LegendEntry::bar, c.style,
                      fmt::format("below {}", format_value(c.x, *c.split)), 1,
                      fmt::format("url(#{}-below)", c.frame.id), "#8a8a8a"});
  }
  Canvas cv(c.frame, legend);
  const double left = 18 + 10 + max_label_width(ry.ticks, kTickSize) + 12;
  const double top = cv.content_top() + 6, bottom = c.frame.height - 46, right = c.frame.width - 18;
  const Scale sx{rx.lo, rx.hi, left, right}, sy{ry.lo, ry.hi, bottom, top};
  cv.open(c.frame, defs);
  std::string& o = cv.out;
  y_axis(o, ry, sy, left, right, c.y_label, 16);
  x_axis(o, rx, sx, top, bottom, c.x.label, c.frame.height - 8);
  for (std::size_t k = 0; k < share.size(); ++k) {
    if (share[k] <= 0) continue;
    const double a = start + k * w, b = a + w;
    const bool below = c.split && a < *c.split - 1e-12 * std::fabs(w);
    o += fmt::format(
        R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="0.8"/>)",
        num(sx(a)), num(sy(share[k])), num(std::max(sx(b) - sx(a), 0.5)), num(sy(0) - sy(share[k])),
        below ? fmt::format("url(#{}-below)", c.frame.id) : std::string(st.colour),
        below ? "#8a8a8a" : "#ffffff");
  }
  for (const auto& vl : c.vlines) {
    o += fmt::format(
        R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1.6" stroke-dasharray="6 3"/>)",
        num(sx(vl.x)), num(top), num(bottom), kInk);
    if (!vl.label.empty()) {
      const bool flip = sx(vl.x) > left + 0.75 * (right - left);  // keep the label inside
      o += text(sx(vl.x) + (flip ? -4 : 4), top + 10 + 14 * (&vl - &c.vlines[0]), vl.label,
                kTickSize, flip ? "end" : "start", kInk, "600", true);
    }
  }
  return cv.close();
}

// ---- Tornado ----------------------------------------------------------------------------

std::string tornado_svg(const TornadoChart& c) {
  std::vector<TornadoBar> bars = c.bars;
  if (c.sort)
    std::stable_sort(bars.begin(), bars.end(), [](const TornadoBar& a, const TornadoBar& b) {
      return std::fabs(a.high - a.low) > std::fabs(b.high - b.low);
    });
  double lo = c.base, hi = c.base;
  double label_w = 0, end_w = 0;
  for (const auto& b : bars) {
    extend(lo, hi, b.low - b.low_error);
    extend(lo, hi, b.low + b.low_error);
    extend(lo, hi, b.high - b.high_error);
    extend(lo, hi, b.high + b.high_error);
    label_w = std::max(label_w, text_width(b.label, kLabelSize));
    end_w =
        std::max({end_w, text_width(b.low_text, kTickSize), text_width(b.high_text, kTickSize)});
  }
  // A set axis range is a hard limit (0..100% for a probability): the data range is cut to it
  // before the ticks are chosen, so whiskers never widen the axis past it.
  if (c.value.min) lo = std::max(lo, *c.value.min), hi = std::max(hi, *c.value.min);
  if (c.value.max) hi = std::min(hi, *c.value.max), lo = std::min(lo, *c.value.max);
  Axis va = c.value;
  va.min.reset(), va.max.reset();
  Resolved rv = resolve(va, lo, hi);
  if (c.value.min && rv.lo < *c.value.min) rv.lo = *c.value.min;
  if (c.value.max && rv.hi > *c.value.max) rv.hi = *c.value.max;
  std::erase_if(rv.ticks, [&](const Tick& t) {
    return t.at < rv.lo - 1e-9 * (rv.hi - rv.lo) || t.at > rv.hi + 1e-9 * (rv.hi - rv.lo);
  });
  const Style &low = style(0), &high = style(1);
  std::vector<LegendEntry> legend = {
      {LegendEntry::bar, 0, c.low_name, 1, bar_fill(c.frame.id, 0, low)},
      {LegendEntry::bar, 1, c.high_name, 1, bar_fill(c.frame.id, 1, high)}};
  const std::string defs = hatch_defs(c.frame.id, 0, low) + hatch_defs(c.frame.id, 1, high);
  const double bh = 20, gap = 10;
  Frame f = c.frame;
  const double top = Canvas(f, legend).content_top() + 22;  // room for the base label
  const double plot_h = bars.size() * (bh + gap);
  f.height = top + plot_h + 44;
  Canvas cv(f, legend);
  const double pad = end_w > 0 ? end_w + 8 : 4;
  const double left = 14 + label_w + 12 + pad, right = f.width - 16 - pad;
  const double bottom = top + plot_h;
  const Scale sx{rv.lo, rv.hi, left, right};
  cv.open(f, defs);
  std::string& o = cv.out;
  x_axis(o, rv, sx, top, bottom, c.value.label, f.height - 8);

  double y = top + gap / 2;
  for (const auto& b : bars) {
    o += text(14 + label_w, y + bh / 2 + 4, b.label, kLabelSize, "end", kInk);
    struct End {
      double v, err;
      const std::string* txt;
      int i;
    };
    End ends[2] = {{b.low, b.low_error, &b.low_text, 0}, {b.high, b.high_error, &b.high_text, 1}};
    // The end farther from the base first, so the nearer one stays visible on top of it.
    if (std::fabs(ends[0].v - c.base) < std::fabs(ends[1].v - c.base)) std::swap(ends[0], ends[1]);
    for (const auto& e : ends) {
      if (!std::isfinite(e.v)) continue;
      const Style& st = style(e.i);
      const double x0 = sx(std::min(c.base, e.v)), x1 = sx(std::max(c.base, e.v));
      o += fmt::format(
          R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"/>)",
          num(x0), num(y), num(std::max(x1 - x0, 1.0)), num(bh), bar_fill(c.frame.id, e.i, st),
          st.colour);
    }
    // Whiskers stop at the axis' ends (a probability's interval does not pass 100%). The
    // setting's text goes outside its whisker; when both ends lie on one side of the base and
    // the nearer one's text would run into the farther bar's end, it goes across the base.
    const double cy = y + bh / 2;
    double taken_lo = kInf, taken_hi = -kInf;  // x extent of the first text placed
    for (int k = 1; k >= 0; --k) {             // the nearer end first, then the farther
      const auto& e = ends[k];
      if (!std::isfinite(e.v)) continue;
      const double e0 = sx(std::max(rv.lo, e.v - e.err)), e1 = sx(std::min(rv.hi, e.v + e.err));
      if (e.err > 0)
        o += fmt::format(
            R"(<path d="M{a} {y}H{b}M{a} {y0}V{y1}M{b} {y0}V{y1}" stroke="{c}" stroke-width="1.4" fill="none"/>)",
            fmt::arg("a", num(e0)), fmt::arg("b", num(e1)), fmt::arg("y", num(cy)),
            fmt::arg("y0", num(cy - 4)), fmt::arg("y1", num(cy + 4)), fmt::arg("c", kInk));
      if (e.txt->empty()) continue;
      const double w = text_width(*e.txt, kTickSize);
      bool right_side = e.v >= c.base;
      if (k == 1 && std::isfinite(ends[0].v) && (ends[0].v >= c.base) == right_side) {
        const double far = right_side ? sx(std::max(rv.lo, ends[0].v - ends[0].err))
                                      : sx(std::min(rv.hi, ends[0].v + ends[0].err));
        const double room = right_side ? far - e1 : e0 - far;
        if (room < w + 10) right_side = !right_side;
      }
      double x =
          right_side ? (e.v >= c.base ? e1 : sx(c.base)) + 4 : (e.v < c.base ? e0 : sx(c.base)) - 4;
      // Never past the chart's edge: a text that would be clipped moves inside the plot.
      if (right_side && x + w > f.width - 2) x = f.width - 2 - w;
      if (!right_side && x - w < left - pad + 2) x = left - pad + 2 + w;
      const double x_lo = right_side ? x : x - w, x_hi = right_side ? x + w : x;
      if (x_lo < taken_hi + 2 && x_hi > taken_lo - 2)  // would overlap the first text: below it
        o += text(x, cy + 4 + kTickSize, *e.txt, kTickSize, right_side ? "start" : "end", kInk,
                  "normal", true);
      else
        o += text(x, cy + 4, *e.txt, kTickSize, right_side ? "start" : "end", kInk, "normal", true);
      taken_lo = std::min(taken_lo, x_lo), taken_hi = std::max(taken_hi, x_hi);
    }
    y += bh + gap;
  }
  o += fmt::format(R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1.6"/>)", num(sx(c.base)),
                   num(top - 6), num(bottom), kInk);
  // The base's label centred over its line, but never past the chart's edges.
  const std::string base_text = c.base_label.empty()
                                    ? format_value(c.value, c.base)
                                    : c.base_label + " " + format_value(c.value, c.base);
  const double bw = text_width(base_text, kTickSize);
  const double bx = std::clamp(sx(c.base), bw / 2 + 4, std::max(bw / 2 + 4, f.width - bw / 2 - 4));
  o += text(bx, top - 10, base_text, kTickSize, "middle", kInk, "600", true);
  return cv.close();
}

std::string waterfall_svg(const WaterfallChart& c) {
  // Running totals: step i spans [start[i], start[i] + value].
  std::vector<double> start;
  double run = 0, lo = 0, hi = 0, label_w = text_width(c.total.label, kLabelSize), text_w = 0;
  auto value_text = [&](const WaterfallStep& st) {
    if (!st.text.empty()) return st.text;
    return (st.value > 0 && !st.level ? "+" : "") + format_value(c.value, st.value);
  };
  for (const auto& st : c.steps) {
    start.push_back(run);
    extend(lo, hi, run);
    run += st.value;
    extend(lo, hi, run - st.error);
    extend(lo, hi, run + st.error);
    label_w = std::max(label_w, text_width(st.label, kLabelSize));
    text_w = std::max(text_w, text_width(value_text(st), kTickSize));
  }
  extend(lo, hi, c.total.value - c.total.error);
  extend(lo, hi, c.total.value + c.total.error);
  text_w = std::max(text_w, text_width(value_text(c.total), kTickSize));
  const Resolved rv = resolve(c.value, lo, hi);
  const Style &gain = style(c.gain_style), &loss = style(kGreyStyle), &total = style(kDarkStyle);
  std::vector<LegendEntry> legend = {
      {LegendEntry::bar, c.gain_style, "adds", 1, bar_fill(c.frame.id, c.gain_style, gain)},
      {LegendEntry::bar, kGreyStyle, "takes away", 1, bar_fill(c.frame.id, kGreyStyle, loss)}};
  const std::string defs = hatch_defs(c.frame.id, c.gain_style, gain) +
                           hatch_defs(c.frame.id, kGreyStyle, loss) +
                           hatch_defs(c.frame.id, kDarkStyle, total);
  const double bh = 20, gap = 10;
  Frame f = c.frame;
  const double top = Canvas(f, legend).content_top() + 8;
  const double plot_h = double(c.steps.size() + 1) * (bh + gap);
  f.height = top + plot_h + 44;
  Canvas cv(f, legend);
  const double left = 14 + label_w + 10, right = f.width - 14 - text_w - 8;
  const double bottom = top + plot_h;
  const Scale sx{rv.lo, rv.hi, left, right};
  cv.open(f, defs);
  std::string& o = cv.out;
  x_axis(o, rv, sx, top, bottom, c.value.label, f.height - 8);

  auto row = [&](double y, const WaterfallStep& step, double from, int style_index) {
    const std::string& label = step.label;
    const double to = from + step.value, err = step.error;
    const Style& st = style(style_index);
    o += text(left - 10, y + bh / 2 + 4, label, kLabelSize, "end", kInk);
    const double x0 = sx(std::min(from, to)), x1 = sx(std::max(from, to));
    o += fmt::format(
        R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"/>)",
        num(x0), num(y), num(std::max(x1 - x0, 1.0)), num(bh),
        bar_fill(c.frame.id, style_index, st), st.colour);
    const double cy = y + bh / 2;
    if (err > 0)
      o += fmt::format(
          R"(<path d="M{a} {y}H{b}M{a} {y0}V{y1}M{b} {y0}V{y1}" stroke="{c}" stroke-width="1.4" fill="none"/>)",
          fmt::arg("a", num(sx(to - err))), fmt::arg("b", num(sx(to + err))),
          fmt::arg("y", num(cy)), fmt::arg("y0", num(cy - 4)), fmt::arg("y1", num(cy + 4)),
          fmt::arg("c", kInk));
    const double end = sx(std::max({from, to, to + err}));
    o += text(end + 5, cy + 4, value_text(step), kTickSize, "start", kInk);
  };
  double y = top + gap / 2;
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    const auto& st = c.steps[i];
    row(y, st, start[i], st.value >= 0 ? c.gain_style : kGreyStyle);
    // A thin connector from this step's end to the next row.
    o += fmt::format(
        R"(<path d="M{x} {a}V{b}" stroke="{c}" stroke-width="1" stroke-dasharray="2 2"/>)",
        fmt::arg("x", num(sx(start[i] + st.value))), fmt::arg("a", num(y + bh)),
        fmt::arg("b", num(y + bh + gap)), fmt::arg("c", kNeutral));
    y += bh + gap;
  }
  row(y, c.total, 0, kDarkStyle);
  o += fmt::format(R"(<path d="M{} {}V{}" stroke="{}" stroke-width="1.2"/>)", num(sx(0)),
                   num(top - 4), num(bottom), kInk);
  return cv.close();
}

}  // namespace salesim::tools::charts
