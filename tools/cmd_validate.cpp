// `salesim validate`: check a scenario file; `--reference` prints the key table.
#include <fmt/format.h>

#include <iostream>

#include "models/funnel.hpp"
#include "models/keys.hpp"
#include "tools/cli.hpp"

namespace salesim::tools {
namespace {

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
  s += fmt::format("{:<16}{:>8}{:>12}{:>10}{:>10}{:>12}\n", "stage", "skill", "exit_rate", "floor",
                   "top", "conversion");
  for (std::size_t k = 0; k < p.pipeline.stages.size(); ++k) {
    const Stage& st = p.pipeline.stages[k];
    // "*": solved by the funnel; keys without it are the file's (or their defaults).
    const bool exit_solved = funnel && !funnel->given[k].exit_rate;
    const bool conv_solved = funnel && !funnel->given[k].conversion;
    auto mark = [](double v, bool solved) {
      return fmt::format("{:.6g}{}", v, solved ? "*" : " ");
    };
    s += fmt::format("{:<16}{:>8.3f}{:>12}{:>10}{:>10}{:>12.6g}\n", st.name, sigma[k],
                     mark(st.exit_rate, exit_solved), mark(st.conversion.floor, conv_solved),
                     mark(st.conversion.top, conv_solved),
                     st.conversion.floor + sigma[k] * (st.conversion.top - st.conversion.floor));
  }
  if (funnel) s += "(* solved by the funnel; the others are written in the file)\n";
  const ImpliedFigures f = implied_figures(p.pipeline, sigma);
  s += fmt::format(
      "Implied (absorbing chain: every opportunity worked, no burnout):\n"
      "  win rate                   {:.6g}\n"
      "  weeks to close (won deals) {:.6g}\n"
      "  weeks to resolution        {:.6g}   (won or lost)\n"
      "  bookings per opportunity   {:.6g}   (win rate x mean deal size {:g})\n",
      f.win_rate, f.weeks_to_win, f.weeks_to_resolution, f.bookings_per_opportunity,
      p.pipeline.deal_mean);
  return s;
}

int validate(const std::string& file, bool strict, bool explain_it) {
  const Scenario sc = load_scenario_file(file);
  announce(sc, strict);
  std::cout << fmt::format(
      "{}: ok: '{}', {} plans, {} stages, {} skills, {} weeks{}\n", file, sc.name, sc.plans.size(),
      sc.base.pipeline.stages.size(), sc.skills.size(), sc.horizon(),
      sc.warnings.empty() ? "" : fmt::format(", {} warnings", sc.warnings.size()));
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
      "  salesim validate --reference > docs/scenario-keys.md");
  cmd->add_option("file", a->file, "Scenario file (YAML)");
  cmd->add_flag("--strict", a->strict,
                "Treat warnings (plan elements that cannot act) as errors (exit 2)");
  cmd->add_flag("--reference", a->reference, "Print the table of every scalar key (markdown)");
  cmd->add_flag("--explain", a->explain,
                "Also print the stage keys (those pipeline.funnel solved marked) and the win "
                "rate, weeks to close and bookings per opportunity they imply");
  commands.push_back({cmd, [a] {
                        if (a->reference) return reference();
                        if (a->file.empty())
                          throw BadInput("validate: give a scenario file (or --reference)");
                        return validate(a->file, a->strict, a->explain);
                      }});
}

}  // namespace salesim::tools
