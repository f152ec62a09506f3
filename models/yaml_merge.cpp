#include "models/yaml_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

namespace salesim {
namespace {

bool is_merge_key(const YAML::Node& key) {
  return key.IsScalar() && key.Scalar() == "<<" && key.Tag() != "!";  // "<<" in quotes is text
}

class Resolver {
 public:
  std::vector<MergeProblem> problems;

  void resolve(YAML::Node node, const std::string& where) {
    if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i)
        resolve(node[i], fmt::format("{}[{}]", where, i));
      return;
    }
    if (!node.IsMap()) return;
    // (A default YAML::Node is a defined null, and assigning to a bound node writes into the
    // tree: so an optional, constructed from the value.)
    std::optional<YAML::Node> merge;
    std::set<std::string> own;
    for (const auto& kv : node) {
      const bool merge_key = is_merge_key(kv.first);
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      resolve(kv.second, where.empty() ? key : where + "." + key);  // the sources first
      if (merge_key)
        merge.emplace(kv.second);
      else if (kv.first.IsScalar())
        own.insert(key);
    }
    if (!merge) return;
    std::vector<YAML::Node> sources;
    if (merge->IsMap()) {
      sources.push_back(*merge);
    } else if (merge->IsSequence() && merge->size() > 0) {
      for (const auto& item : *merge) sources.push_back(item);
    }
    const bool maps =
        !sources.empty() &&
        std::all_of(sources.begin(), sources.end(), [](const YAML::Node& s) { return s.IsMap(); });
    if (!maps) {
      problems.push_back({merge->Mark(), where.empty() ? "<<" : where + ".<<",
                          "a merge key takes an alias of a map (<<: *name) or a list of them "
                          "(<<: [*a, *b])"});
      node.remove("<<");  // said once: not also an unknown key
      return;
    }
    node.remove("<<");
    for (const YAML::Node& source : sources)
      for (const auto& kv : source) {
        if (!kv.first.IsScalar() || is_merge_key(kv.first)) continue;
        if (!own.insert(kv.first.Scalar()).second) continue;  // written here, or merged first
        node[kv.first.Scalar()] = YAML::Clone(kv.second);
      }
  }
};

}  // namespace

std::vector<MergeProblem> resolve_merge_keys(YAML::Node root) {
  Resolver r;
  r.resolve(root, "");
  return r.problems;
}

YAML::Node load_scenario_yaml(const std::string& text) {
  YAML::Node root = YAML::Load(text);
  resolve_merge_keys(root);
  return root;
}

}  // namespace salesim
