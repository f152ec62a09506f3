#include "models/yaml_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace salesim {
namespace {

using Path = std::vector<std::string>;

// A plain `<<` (not quoted, not tagged !!str) is YAML 1.1's merge key.
bool is_merge_key(const YAML::Node& key) {
  return key.IsScalar() && key.Scalar() == "<<" &&
         (key.Tag() == "?" || key.Tag() == "tag:yaml.org,2002:merge");
}

Path parts(const std::string& dotted) {
  Path p;
  std::size_t from = 0;
  for (std::size_t dot; (dot = dotted.find('.', from)) != std::string::npos; from = dot + 1)
    p.push_back(dotted.substr(from, dot - from));
  p.push_back(dotted.substr(from));
  return p;
}

// The leaf paths a value sets under `at`: a plan's `set` writes a key dotted
// (prospecting.target_hours: 5) or nested (prospecting: {target_hours: 5}), and both are the
// same key.
void leaf_paths(const YAML::Node& v, Path at, std::vector<Path>& out) {
  if (!v.IsMap()) {
    out.push_back(std::move(at));
    return;
  }
  for (const auto& kv : v) {
    if (!kv.first.IsScalar() || is_merge_key(kv.first)) continue;
    Path below = at;
    for (std::string& p : parts(kv.first.Scalar())) below.push_back(std::move(p));
    leaf_paths(kv.second, std::move(below), out);
  }
}

// The leaf paths of a map's keys, by their first part (a merged key meets only its own).
class Leaves {
 public:
  void add(const YAML::Node& v, Path at) {
    std::vector<Path> found;
    leaf_paths(v, std::move(at), found);
    for (Path& p : found) by_first_[p.front()].push_back(std::move(p));
  }
  const std::vector<Path>& under(const std::string& first) const {
    static const std::vector<Path> none;
    const auto it = by_first_.find(first);
    return it == by_first_.end() ? none : it->second;
  }

 private:
  std::map<std::string, std::vector<Path>> by_first_;
};

bool starts_with(const Path& p, const Path& prefix) {
  return p.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), p.begin());
}

// `map` without what `path` names (a key of it, dotted or nested): a new map holding the same
// child nodes but along the path, so the file's nodes, and their places for messages, stay.
YAML::Node without(const YAML::Node& map, const Path& path) {
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& kv : map) {
    const Path k = kv.first.IsScalar() ? parts(kv.first.Scalar()) : Path{};
    if (!k.empty() && starts_with(path, k)) {
      if (path.size() == k.size()) continue;  // this key is the path: left out
      if (kv.second.IsMap()) {
        out.force_insert(kv.first,
                         without(kv.second, Path(path.begin() + long(k.size()), path.end())));
        continue;
      }
    }
    out.force_insert(kv.first, kv.second);
  }
  return out;
}

class Resolver {
 public:
  explicit Resolver(MergedValues values) : values_(values) {}
  std::vector<MergeProblem> problems;

  void resolve(YAML::Node node, const std::string& where) {
    if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i)
        resolve(node[i], fmt::format("{}[{}]", where, i));
      return;
    }
    if (!node.IsMap()) return;
    if (!node.Mark().is_null() && !done_.insert(node.Mark().pos).second) return;  // an alias: once
    // (A default YAML::Node is a defined null, and assigning to a bound node writes into the
    // tree: so an optional, constructed from the value.)
    std::optional<YAML::Node> merge;
    std::set<std::string> own;
    Leaves own_leaves;
    for (const auto& kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      resolve(kv.second, where.empty() ? key : where + "." + key);  // the sources first
      if (is_merge_key(kv.first)) {
        merge.emplace(kv.second);
      } else if (kv.first.IsScalar()) {
        own.insert(key);
        own_leaves.add(kv.second, parts(key));
      }
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
    node.remove("<<");  // one merge key per map: the loader refuses a second as a duplicate
    if (!maps) {
      problems.push_back({merge->Mark(), where.empty() ? "<<" : where + ".<<",
                          "a merge key takes an alias of a map (<<: *name) or a list of them "
                          "(<<: [*a, *b])"});
      return;
    }
    for (const YAML::Node& source : sources)
      for (const auto& kv : source) {
        if (!kv.first.IsScalar() || is_merge_key(kv.first)) continue;
        const std::string& key = kv.first.Scalar();
        const Path k = parts(key);
        // Written beside the merge (or merged from an earlier map) wins: the same key, or the
        // same key spelt dotted or nested, or all of it below.
        bool covered = own.count(key) > 0;
        YAML::Node value = kv.second;
        for (const Path& leaf : own_leaves.under(k[0])) {
          if (covered) break;
          if (starts_with(k, leaf))
            covered = true;  // set here whole, or an ancestor of it
          else if (starts_with(leaf, k) && value.IsMap())
            value = without(value, Path(leaf.begin() + long(k.size()), leaf.end()));
        }
        if (covered) continue;
        own.insert(key);
        own_leaves.add(value, k);
        node.force_insert(kv.first, values_ == MergedValues::copied ? YAML::Clone(value) : value);
      }
  }

 private:
  MergedValues values_;
  std::set<std::size_t> done_;  // maps resolved, by their place in the text
};

}  // namespace

std::vector<MergeProblem> resolve_merge_keys(YAML::Node root, MergedValues values) {
  Resolver r(values);
  r.resolve(root, "");
  return r.problems;
}

YAML::Node load_scenario_yaml(const std::string& text) {
  YAML::Node root = YAML::Load(text);
  resolve_merge_keys(root, MergedValues::copied);
  return root;
}

}  // namespace salesim
