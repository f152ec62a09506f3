#pragma once
// Headless Chromium, for what a browser renders best: the report printed to PDF and its charts
// as PNG images for slide tools that take no SVG (Google Slides, Keynote). Each call starts its
// own Chromium with a fresh profile, bounded in time, and writes its output atomically.
#include <string>
#include <vector>

namespace salesim::tools {

// Headless Chromium on PATH ("chromium", then "chromium-browser"; $SALESIM_CHROMIUM first when
// set), or "" when there is none.
std::string find_chromium();

// Prints html_file to pdf_file (atomically) with headless Chromium. Throws std::runtime_error
// with Chromium's output when it fails.
void print_pdf(const std::string& chromium, const std::string& html_file,
               const std::string& pdf_file);

// An SVG file of width x height (CSS pixels) to render as png_file at `scale` device pixels per
// CSS pixel, on white.
struct PngJob {
  std::string svg_file, png_file;
  int width = 0, height = 0, scale = 2;
};
// Renders every job (each PNG written atomically), a Chromium per core at a time: Chromium
// takes about a second to start, and a report has a dozen charts or more. Throws
// std::runtime_error with Chromium's output when one fails (the others finish first).
void render_pngs(const std::string& chromium, const std::vector<PngJob>& jobs);

}  // namespace salesim::tools
