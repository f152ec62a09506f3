// `salesim validate`: check a scenario file; `--reference` prints the key table.
#include <fmt/format.h>

#include <iostream>

#include "models/keys.hpp"
#include "tools/cli.hpp"

namespace salesim::tools {
namespace {

int validate(const std::string& file, bool strict) {
  const Scenario sc = load_scenario_file(file);
  announce(sc, strict);
  std::cout << fmt::format(
      "{}: ok: '{}', {} plans, {} stages, {} skills, {} weeks{}\n", file, sc.name, sc.plans.size(),
      sc.base.pipeline.stages.size(), sc.skills.size(), sc.horizon(),
      sc.warnings.empty() ? "" : fmt::format(", {} warnings", sc.warnings.size()));
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
    bool reference = false, strict = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("validate", "Check a scenario file and report every problem");
  cmd->footer(
      "Examples:\n  salesim validate scenarios/nexacorp.yaml\n"
      "  salesim validate --strict scenarios/nexacorp.yaml   # warnings fail (exit 2)\n"
      "  salesim validate --reference > docs/scenario-keys.md");
  cmd->add_option("file", a->file, "Scenario file (YAML)");
  cmd->add_flag("--strict", a->strict,
                "Treat warnings (plan elements that cannot act) as errors (exit 2)");
  cmd->add_flag("--reference", a->reference, "Print the table of every scalar key (markdown)");
  commands.push_back({cmd, [a] {
                        if (a->reference) return reference();
                        if (a->file.empty())
                          throw BadInput("validate: give a scenario file (or --reference)");
                        return validate(a->file, a->strict);
                      }});
}

}  // namespace salesim::tools
