#include "models/yaml_guard.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

namespace salesim {
namespace {

// Thrown to stop the parser at the first problem (an event handler has no other way).
struct Stop {};

// Counts the nodes the text expands to, alias by alias, and stops at the first problem.
class Guard final : public YAML::EventHandler {
 public:
  explicit Guard(std::string file) : file_(std::move(file)) {}
  std::string problem;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { leaf(m, a); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                const std::string&) override {
    leaf(m, a);
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override {
    for (const Open& o : open_)
      if (o.anchor == a && a != YAML::NullAnchor)
        return fail(m,
                    "a YAML alias that refers to the list or map it is in (a node that "
                    "contains itself); write the values out instead");
    const auto it = size_.find(a);
    aliased_ = true;
    add(m, it == size_.end() ? 1 : it->second);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                       YAML::EmitterStyle::value) override {
    start(m, a);
  }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                  YAML::EmitterStyle::value) override {
    start(m, a);
  }
  void OnSequenceEnd() override { end(); }
  void OnMapEnd() override { end(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    long first;  // expanded-node count when it opened
  };
  std::string file_;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, long> size_;  // expanded nodes of each anchored node
  long nodes_ = 0;
  bool aliased_ = false;  // an alias was met: the count grew through one

  [[noreturn]] void fail(const YAML::Mark& m, const std::string& what) {
    problem = fmt::format("{}:{}:{}: {}", file_, m.line + 1, m.column + 1, what);
    throw Stop{};
  }
  void add(const YAML::Mark& m, long n) {
    nodes_ += n;
    if (nodes_ > kYamlMaxExpandedNodes)
      fail(m, aliased_ ? fmt::format("the YAML expands to more than {} nodes through its aliases "
                                     "(nested aliases grow exponentially); a scenario needs a "
                                     "few hundred",
                                     kYamlMaxExpandedNodes)
                       : fmt::format("the YAML holds more than {} values; a scenario needs a few "
                                     "hundred",
                                     kYamlMaxExpandedNodes));
  }
  void leaf(const YAML::Mark& m, YAML::anchor_t a) {
    add(m, 1);
    if (a != YAML::NullAnchor) size_[a] = 1;
  }
  void start(const YAML::Mark& m, YAML::anchor_t a) {
    if (int(open_.size()) >= kYamlMaxDepth)
      fail(m, fmt::format("lists and maps nested more than {} levels deep; a scenario needs 5",
                          kYamlMaxDepth));
    open_.push_back({a, nodes_});
    add(m, 1);
  }
  void end() {
    if (open_.empty()) return;
    const Open o = open_.back();
    open_.pop_back();
    if (o.anchor != YAML::NullAnchor) size_[o.anchor] = nodes_ - o.first;
  }
};

// Finds the start of a second document with anything in it: a lone empty node (a '---' at the
// end of the file, or one followed by comments only) is nothing to ignore.
class Documents final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> second;  // the second document's start
  bool content = false;              // it holds more than an empty node

  void OnDocumentStart(const YAML::Mark& m) override {
    if (++documents_ == 2) second = m;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t a) override {
    if (a != YAML::NullAnchor) found();
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    found();
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { found(); }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    found();
  }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    found();
  }
  void OnSequenceEnd() override {}
  void OnMapEnd() override {}

 private:
  int documents_ = 0;
  void found() {
    if (documents_ < 2) return;
    content = true;
    throw Stop{};  // enough is known
  }
};

// The first byte that makes the text not UTF-8 text (NUL or control bytes, bad sequences), or npos.
std::size_t first_non_text_byte(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return i;
      ++i;
      continue;
    }
    const int len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    i += len;
  }
  return std::string::npos;
}

}  // namespace

std::vector<std::string> yaml_structure_problems(const std::string& text, const std::string& file) {
  if (const std::size_t at = first_non_text_byte(text); at != std::string::npos) {
    const std::size_t line = 1 + std::count(text.begin(), text.begin() + long(at), '\n');
    return {
        fmt::format("{}:{}: not a text file: byte {} (0x{:02x}) is not UTF-8 text; a scenario "
                    "is a YAML text file",
                    file, line, at + 1, static_cast<unsigned char>(text[at]))};
  }
  std::istringstream in(text);
  Guard g(file);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(g)) {
    }
  } catch (const Stop&) {
  } catch (const YAML::Exception&) {
    return {};  // a syntax error: the loader reports it with its position
  }
  if (g.problem.empty()) return {};
  return {g.problem};
}

std::optional<YAML::Mark> second_document(const std::string& text) {
  std::istringstream in(text);
  Documents d;
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(d)) {
    }
  } catch (const Stop&) {
  } catch (const YAML::Exception&) {
    // Text in the second document that does not parse is still text that would be ignored.
    d.content = d.content || d.second.has_value();
  }
  if (d.content) return d.second;
  return std::nullopt;
}

}  // namespace salesim
