#include "models/yaml_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
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

std::string joined(const Path& p) {
  std::string s;
  for (const std::string& x : p) s += (s.empty() ? "" : ".") + x;
  return s;
}

// The key paths a map's keys set, each leaf spelt out: a plan's `set` writes a key dotted
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

class Leaves {
 public:
  void add(const std::vector<Path>& paths) { set_.insert(paths.begin(), paths.end()); }
  // A leaf here that is p, holds p or lies under p ("" when none): two spellings of one key.
  std::string overlap(const Path& p) const {
    for (std::size_t n = 1; n <= p.size(); ++n)
      if (const Path head(p.begin(), p.begin() + long(n)); set_.count(head)) return joined(head);
    const auto it = set_.lower_bound(p);
    if (it != set_.end() && it->size() >= p.size() && std::equal(p.begin(), p.end(), it->begin()))
      return joined(*it);
    return "";
  }

 private:
  std::set<Path> set_;  // ordered: the leaves under a path follow it
};

class Resolver {
 public:
  explicit Resolver(MergedValues values) : values_(values) {}
  std::vector<MergeProblem> problems;

  void resolve(YAML::Node node, const std::string& where) {
    if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        // A plan is named as the loader names it: plans[2] (push).
        const YAML::Node item = node[i];
        const bool plan =
            where == "plans" && item.IsMap() && item["name"].IsDefined() && item["name"].IsScalar();
        resolve(item, plan ? fmt::format("plans[{}] ({})", i, item["name"].Scalar())
                           : fmt::format("{}[{}]", where, i));
      }
      return;
    }
    if (!node.IsMap()) return;
    if (!node.Mark().is_null() && !done_.insert(node.Mark().pos).second) return;  // an alias: once
    // (A default YAML::Node is a defined null, and assigning to a bound node writes into the
    // tree, into the map merged from as well: so an optional, constructed from the value.)
    std::optional<YAML::Node> merge;
    std::set<std::string> own;
    Leaves leaves;
    for (const auto& kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      resolve(kv.second, where.empty() ? key : where + "." + key);  // the sources first
      if (is_merge_key(kv.first)) {
        merge.emplace(kv.second);
      } else if (kv.first.IsScalar()) {
        own.insert(key);
        std::vector<Path> paths;
        leaf_paths(kv.second, parts(key), paths);
        leaves.add(paths);
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
    const std::string here = where.empty() ? "<<" : where + ".<<";
    node.remove("<<");  // one merge key per map: the loader refuses a second as a duplicate
    if (!maps) {
      problems.push_back({merge->Mark(), here,
                          "a merge key takes an alias of a map (<<: *name) or a list of them "
                          "(<<: [*a, *b])"});
      return;
    }
    for (const YAML::Node& source : sources)
      for (const auto& kv : source) {
        if (!kv.first.IsScalar() || is_merge_key(kv.first)) continue;
        const std::string& key = kv.first.Scalar();
        // YAML's rule: a key written beside the merge, or merged from an earlier map, wins.
        if (own.count(key)) continue;
        // The same key in another spelling (dotted against nested, in a plan's `set`) would
        // leave the winner to the order the loader reads them in: refused, not guessed.
        std::vector<Path> paths;
        leaf_paths(kv.second, parts(key), paths);
        std::string clash;
        for (const Path& p : paths)
          if (clash.empty()) clash = leaves.overlap(p);
        if (!clash.empty()) {
          problems.push_back(
              {kv.first.Mark(), here + "." + key,
               fmt::format("merged, it sets {} as a key written beside the merge does, spelt "
                           "the other way (dotted or nested); write both the same way (then the "
                           "one written beside the merge wins) or leave one out",
                           clash)});
          continue;
        }
        own.insert(key);
        leaves.add(paths);
        node.force_insert(kv.first,
                          values_ == MergedValues::copied ? YAML::Clone(kv.second) : kv.second);
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
