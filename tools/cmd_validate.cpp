// `salesim validate`: check a scenario file; `--reference` prints the key table.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "models/funnel.hpp"
#include "models/keys.hpp"
#include "tools/cli.hpp"
#include "tools/report_format.hpp"
#include "tools/terminal.hpp"

namespace salesim::tools {
namespace {

// The first stage that worked opportunities reach and never leave (exit_rate 0): every stage
// before it advances some. The absorbing chain gives unbounded weeks there; this names the
// stage, so the weeks and the win rate of 0 are said in words.
const Stage* stuck_stage(const PipelineParams& pipeline, const std::vector<double>& sigma) {
  for (std::size_t k = 0; k < pipeline.stages.size(); ++k) {
    const Stage& st = pipeline.stages[k];
    if (st.exit_rate <= 0) return &st;
    if (st.conversion.floor + sigma[k] * (st.conversion.top - st.conversion.floor) <= 0)
      return nullptr;  // no one reaches the later stages
  }
  return nullptr;
}

// The stage table, each column as wide as its longest cell and a space (at least the widths
// the documented example has), so a long stage name or value never runs into the next.
std::string stage_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width = {16, 8, 12, 10, 10, 12};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], text_width(row[c]) + 1);
  std::string s;
  for (const auto& row : rows) {
    s += fmt::format("{:<{}}", row[0], width[0]);
    for (std::size_t c = 1; c < row.size(); ++c) s += fmt::format("{:>{}}", row[c], width[c]);
    s += "\n";
  }
  return s;
}

// The implied figures, in words where the chain has no number (nothing won, nothing resolved).
std::string implied(const PipelineParams& pipeline, const std::vector<double>& sigma) {
  const ImpliedFigures f = implied_figures(pipeline, sigma);
  // The chain says whether resolution can fail to come; the stage is named for the reader.
  const Stage* stuck =
      std::isfinite(f.weeks_to_resolution) ? nullptr : stuck_stage(pipeline, sigma);
  const std::string win =
      stuck ? fmt::format(
                  "0   (worked opportunities that reach stage '{}' never leave it: its "
                  "exit_rate is 0)",
                  stuck->name)
            : fmt::format("{:.6g}", f.win_rate);
  const std::string to_win = !(f.win_rate > 0) ? std::string("none   (no deal is won)")
                                               : fmt::format("{:.6g}", f.weeks_to_win);
  const std::string to_end =
      stuck ? fmt::format("unbounded   (those in stage '{}' stay there)", stuck->name)
            : fmt::format("{:.6g}   (won or lost)", f.weeks_to_resolution);
  return fmt::format(
      "Implied (absorbing chain: every opportunity worked, no burnout):\n"
      "  win rate                   {}\n"
      "  weeks to close (won deals) {}\n"
      "  weeks to resolution        {}\n"
      "  bookings per opportunity   {:.6g}   (win rate x mean deal size {:g})\n",
      win, to_win, to_end, f.bookings_per_opportunity, pipeline.deal_mean);
}

// The pipeline in a leader's figures: with pipeline.funnel, the stage keys it solved; for every
// file, the win rate, weeks to close and bookings per opportunity the stage keys imply (from
// the absorbing chain at the team's starting skill, every opportunity worked, no burnout).
std::string explain(const Scenario& sc) {
  const Params& p = sc.base;
  const std::vector<double> sigma = starting_sigma(p, sc.skills);
  const std::optional<FunnelExpansion> funnel = funnel_expansion(sc);
  std::string s;
  if (funnel) {
    const FunnelSpec& f = funnel->spec;
    s += fmt::format(
        "\npipeline.funnel: win_rate {:g}, weeks_to_close {:g}, skill_lift {:g}{}, solved at the "
        "team's starting skill:\n",
        f.win_rate, f.weeks_to_close, f.skill_lift,
        f.deal_size ? fmt::format(", deal_size {:g}", *f.deal_size) : "");
  } else {
    s += "\nPipeline stages (no pipeline.funnel), at the team's starting skill:\n";
  }
  std::vector<std::vector<std::string>> rows = {
      {"stage", "skill", "exit_rate", "floor", "top", "conversion"}};
  for (std::size_t k = 0; k < p.pipeline.stages.size(); ++k) {
    const Stage& st = p.pipeline.stages[k];
    // "*": solved by the funnel; keys without it are the file's (or their defaults).
    const bool exit_solved = funnel && !funnel->given[k].exit_rate;
    const bool conv_solved = funnel && !funnel->given[k].conversion;
    auto mark = [](double v, bool solved) {
      return fmt::format("{:.6g}{}", v, solved ? "*" : " ");
    };
    rows.push_back({st.name, fmt::format("{:.3f}", sigma[k]), mark(st.exit_rate, exit_solved),
                    mark(st.conversion.floor, conv_solved), mark(st.conversion.top, conv_solved),
                    fmt::format("{:.6g}", st.conversion.floor + sigma[k] * (st.conversion.top -
                                                                            st.conversion.floor))});
  }
  s += stage_table(rows);
  if (funnel) s += "(* solved by the funnel; the others are written in the file)\n";
  return s + implied(p.pipeline, sigma);
}

int validate(const std::string& file, bool strict, bool explain_it) {
  const Scenario sc = load_scenario_file(file);
  announce(sc, strict);
  const auto count = [](double n, const char* singular) {
    return fmt::format("{} {}", n, report::noun(n, singular));
  };
  std::cout << fmt::format("{}: ok: '{}', {}, {}, {}, {}{}\n", file, sc.name,
                           count(sc.plans.size(), "plan"),
                           count(sc.base.pipeline.stages.size(), "stage"),
                           count(sc.skills.size(), "skill"), count(sc.horizon(), "week"),
                           sc.warnings.empty() ? "" : ", " + count(sc.warnings.size(), "warning"));
  if (explain_it) std::cout << explain(sc);
  return 0;
}

int reference() {
  Params p;
  p.pipeline.stages.push_back(Stage{});
  p.pipeline.stages[0].name = "<stage>";
  std::cout << "| key | default | type | unit | range | plan may set | meaning |\n"
               "|---|---|---|---|---|---|---|\n";
  for (const KeyInfo& k : scalar_keys(p)) {
    std::string def = k.value_text();
    if (k.path.find("<stage>.name") != std::string::npos) def = "qualify";
    std::cout << fmt::format("| `{}` | `{}` | {} | {} | {} | {} | {} |\n", k.path, def,
                             k.type_name(), k.unit, k.range_text(), k.plan_settable ? "yes" : "no",
                             k.meaning);
  }
  return 0;
}

}  // namespace

void add_validate_command(CLI::App& app, Commands& commands) {
  struct Args {
    std::string file;
    bool reference = false, strict = false, explain = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("validate", "Check a scenario file and report every problem");
  cmd->footer(
      "Examples:\n  salesim validate scenarios/nexacorp.yaml\n"
      "  salesim validate --strict scenarios/nexacorp.yaml   # warnings fail (exit 2)\n"
      "  salesim validate --explain scenarios/funnel-saas.yaml   # the funnel's stage keys\n"
      "  salesim validate --reference   # every key, as in docs/scenario-reference.md");
  cmd->add_option("file", a->file, "Scenario file (YAML)");
  cmd->add_flag("--strict", a->strict,
                "Treat warnings (plan elements that cannot act) as errors (exit 2)");
  cmd->add_flag("--reference", a->reference, "Print the table of every scalar key (markdown)");
  cmd->add_flag("--explain", a->explain,
                "Also print the stage keys (those pipeline.funnel solved marked) and the win "
                "rate, weeks to close and bookings per opportunity they imply");
  commands.push_back({cmd, [a] {
                        // --reference checks no file: one given with it would seem validated.
                        if (a->reference && !a->file.empty())
                          throw BadInput(
                              "validate --reference prints the key table and checks "
                              "no file; run `salesim validate " +
                              a->file + "` on its own to check it");
                        if (a->reference) return reference();
                        if (a->file.empty())
                          throw BadInput("validate: give a scenario file (or --reference)");
                        return validate(a->file, a->strict, a->explain);
                      }});
}

}  // namespace salesim::tools
