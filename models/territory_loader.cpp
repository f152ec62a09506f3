#include "models/territory_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "models/keys.hpp"
#include "models/segments.hpp"

namespace salesim {
namespace {

// " (did you mean 'north'?)", or why there is nothing to suggest: segments whose names are not
// valid are kept with an empty name, which is no suggestion.
std::string suggestion(const std::string& name, const std::vector<std::string>& names) {
  std::vector<std::string> valid;
  for (const std::string& n : names)
    if (!n.empty()) valid.push_back(n);
  const std::string best = nearest(name, valid);
  return best.empty() ? " (the file names no valid segment)" : " (did you mean '" + best + "'?)";
}

std::string describe(const YAML::Node& n) {
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  if (n.IsNull()) return "null";
  return "'" + n.Scalar() + "'";
}

// A map's keys against the allowed ones.
void only_keys(const YAML::Node& n, const std::string& d, const std::vector<std::string>& allowed,
               const ReportProblem& err) {
  for (const auto& kv : n) {
    const std::string key = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      err(kv.first, d + "." + key, "unknown key (did you mean '" + nearest(key, allowed) + "'?)");
  }
}

// A number in [lo, hi] (friendly forms; `percent` for shares; `whole` for counts). False (and
// a problem reported) when n is there but wrong; true with `out` untouched when n is absent.
// Bounds as a reader writes them: 1000000000, not 1e+09.
std::string bound(double x) {
  return x == std::floor(x) && std::abs(x) < 1e15 ? fmt::format("{}", std::int64_t(x))
                                                  : fmt::format("{:g}", x);
}

// lo_open: the range excludes lo ("above 0").
template <class T>
bool number(const YAML::Node& n, const std::string& path, double lo, double hi, bool percent,
            T& out, const ReportProblem& err, bool lo_open = false) {
  if (!n.IsDefined()) return true;
  constexpr bool whole = std::is_integral_v<T>;
  const std::string expect =
      whole     ? fmt::format("a whole number from {} to {}", bound(lo), bound(hi))
      : lo_open ? fmt::format("a number above {} and at most {}", bound(lo), bound(hi))
                : fmt::format("a number from {} to {}{}", bound(lo), bound(hi),
                              percent ? " (or a %)" : "");
  if (!n.IsScalar()) return err(n, path, "expected " + expect + ", found " + describe(n)), false;
  std::string why;
  const auto v = parse_number(n.Scalar(), percent, why);
  if (!v || !(*v >= lo && *v <= hi) || (lo_open && *v == lo) || (whole && *v != std::floor(*v)))
    return err(n, path, "expected " + expect + ", found '" + n.Scalar() + "'"), false;
  out = T(*v);
  return true;
}
template <class T>
bool number(const YAML::Node& n, const std::string& path, double lo, double hi, bool percent,
            std::optional<T>& out, const ReportProblem& err, bool lo_open = false) {
  if (!n.IsDefined()) return true;
  T v{};
  if (!number(n, path, lo, hi, percent, v, err, lo_open)) return false;
  out = v;
  return true;
}

bool is_name(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
  });
}

// `names` holds the names read so far: a set, as a file may list tens of thousands of segments.
void read_segment(const YAML::Node& n, const std::string& d, Params& p,
                  std::unordered_set<std::string>& names, const ReportProblem& err) {
  if (!n.IsMap()) return err(n, d, "expected a map {name, accounts, ...}, found " + describe(n));
  only_keys(n, d,
            {"name", "accounts", "fit", "deal_size", "conversion_multiplier", "inbound_share",
             "cooling_weeks", "quota"},
            err);
  Segment s;
  if (!n["name"].IsDefined() || !n["name"].IsScalar() || !is_name(n["name"].Scalar())) {
    err(n["name"].IsDefined() ? n["name"] : n, d + ".name",
        "expected a segment name (letters, digits, '-' or '_', up to 64)");
  } else {
    s.name = n["name"].Scalar();
    if (!names.insert(s.name).second)
      err(n["name"], d + ".name", "duplicate segment name '" + s.name + "'");
  }
  if (!n["accounts"].IsDefined()) err(n, d, "missing required key 'accounts'");
  number(n["accounts"], d + ".accounts", 1, 1e9, false, s.accounts, err);
  number(n["fit"], d + ".fit", 0, 1, true, s.fit, err);
  number(n["conversion_multiplier"], d + ".conversion_multiplier", 0, 10, false,
         s.conversion_multiplier, err);
  number(n["inbound_share"], d + ".inbound_share", 0, 1, true, s.inbound_share, err);
  number(n["cooling_weeks"], d + ".cooling_weeks", 1, 1040, false, s.cooling_weeks, err);
  if (const YAML::Node ds = n["deal_size"]; ds.IsDefined()) {
    if (!ds.IsMap()) {
      err(ds, d + ".deal_size", "expected a map {mean, cv}, found " + describe(ds));
    } else {
      only_keys(ds, d + ".deal_size", {"mean", "cv"}, err);
      number(ds["mean"], d + ".deal_size.mean", 0, kMaxMoney, false, s.deal_mean, err, true);
      number(ds["cv"], d + ".deal_size.cv", 0, 10, false, s.deal_cv, err);
    }
  }
  if (const YAML::Node q = n["quota"]; q.IsDefined()) {
    if (!q.IsMap()) {
      err(q, d + ".quota", "expected a map {annual}, found " + describe(q));
    } else {
      only_keys(q, d + ".quota", {"annual"}, err);
      if (!q["annual"].IsDefined()) err(q, d + ".quota", "missing required key 'annual'");
      number(q["annual"], d + ".quota.annual", 0, kMaxMoney, false, s.quota_annual, err, true);
    }
  }
  p.segments.segments.push_back(s);
}

// `territories` lines into out; false when there were problems.
bool read_lines(const YAML::Node& n, const std::string& display, const SegmentParams& sp,
                std::vector<TerritoryLine>& out, const ReportProblem& err) {
  if (!n.IsSequence() || n.size() == 0)
    return err(n, display, "expected a non-empty list of {segment, reps}, found " + describe(n)),
           false;
  if (!sp.on())
    return err(n, display, "territories assign reps to segments: the file has no `segments`"),
           false;
  bool ok = true;
  double total = 0;
  std::set<int> seen;
  std::vector<std::string> names;
  std::unordered_map<std::string, int> index;
  for (const Segment& s : sp.segments)
    index.emplace(s.name, int(names.size())), names.push_back(s.name);
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node item = n[i];
    const std::string d = fmt::format("{}[{}]", display, i);
    if (!item.IsMap()) {
      err(item, d, "expected a map {segment, reps}, found " + describe(item));
      ok = false;
      continue;
    }
    only_keys(item, d, {"segment", "reps"}, err);
    TerritoryLine line;
    const YAML::Node seg = item["segment"];
    const bool named =
        seg.IsDefined() && seg.IsScalar();  // IsScalar alone throws on an invalid node
    const auto it = named ? index.find(seg.Scalar()) : index.end();
    if (it == index.end()) {
      err(seg.IsDefined() ? seg : item, d + ".segment",
          named             ? "no segment '" + seg.Scalar() + "'" + suggestion(seg.Scalar(), names)
          : seg.IsDefined() ? "expected a segment's name, found " + describe(seg)
                            : std::string("missing required key 'segment' (a segment's name)"));
      ok = false;
    } else {
      line.segment = it->second;
      if (!seen.insert(line.segment).second) {
        err(seg, d + ".segment", "segment '" + it->first + "' is listed twice");
        ok = false;
      }
    }
    if (!item["reps"].IsDefined()) {
      err(item, d, "missing required key 'reps'");
      ok = false;
    }
    ok &= number(item["reps"], d + ".reps", 0, 1e6, false, line.reps, err);
    total += line.reps;
    out.push_back(line);
  }
  if (ok && !(total > 0)) {
    err(n, display, "at least one line needs reps above 0");
    ok = false;
  }
  return ok;
}

}  // namespace

std::vector<SegmentProblem> starting_pipeline_problems(const Params& p) {
  std::vector<SegmentProblem> out;
  const SegmentParams& sp = p.segments;
  if (!sp.on()) return out;
  std::int64_t per_rep = 0;
  for (const Stage& s : p.pipeline.stages) per_rep += s.initial_per_rep;
  const std::vector<int> counts = segment_counts(sp.shares(), int(p.team.reps));
  for (std::size_t s = 0; s < sp.segments.size(); ++s)
    if (double(counts[s]) * double(per_rep) > double(sp.segments[s].accounts))
      out.push_back(SegmentProblem{
          s, fmt::format("segments[{}].accounts", s),
          fmt::format("the starting pipeline of its {} reps ({} x {} opportunities) exceeds its "
                      "{} accounts",
                      counts[s], counts[s], per_rep, sp.segments[s].accounts)});
  return out;
}

void read_territory_keys(const YAML::Node& root, Params& p, const ReportProblem& err) {
  const YAML::Node segs = root["segments"];
  if (segs.IsDefined() && !segs.IsNull()) {
    if (!segs.IsSequence() || segs.size() == 0)
      err(segs, "segments", "expected a non-empty list of segments, found " + describe(segs));
    else {
      std::unordered_set<std::string> names;
      for (std::size_t i = 0; i < segs.size(); ++i)
        read_segment(segs[i], fmt::format("segments[{}]", i), p, names, err);
    }
  }
  SegmentParams& sp = p.segments;
  // Inbound shares: all or none, summing to 1.
  std::size_t stated = 0;
  double sum = 0;
  for (const Segment& s : sp.segments)
    stated += bool(s.inbound_share), sum += s.inbound_share.value_or(0);
  if (stated > 0 && stated < sp.segments.size())
    err(segs, "segments",
        "inbound_share is stated for some segments only: state it for all or none");
  else if (stated > 0 && std::abs(sum - 1) > 1e-6)
    err(segs, "segments",
        fmt::format("the segments' inbound_share must add up to 1, found {:g}", sum));

  const YAML::Node terr = root["territories"];
  if (terr.IsDefined() && !terr.IsNull()) {
    std::vector<TerritoryLine> lines;
    if (read_lines(terr, "territories", sp, lines, err)) sp.territories = lines;
  }

  // The starting pipeline must fit in each segment's accounts.
  for (const SegmentProblem& b : starting_pipeline_problems(p))  // at the segment's accounts
    err(segs[b.segment]["accounts"], b.key, b.what);

  // team.quota and compensation.accelerators.
  const YAML::Node team = root["team"];
  const YAML::Node q = team.IsMap() ? team["quota"] : YAML::Node();
  if (q.IsDefined() && !q.IsNull()) {
    if (!q.IsMap()) {
      err(q, "team.quota", "expected a map {annual}, found " + describe(q));
    } else {
      only_keys(q, "team.quota", {"annual"}, err);
      if (!q["annual"].IsDefined()) err(q, "team.quota", "missing required key 'annual'");
      number(q["annual"], "team.quota.annual", 0, kMaxMoney, false, p.quota.annual, err, true);
    }
  }
  const YAML::Node comp = root["compensation"];
  const YAML::Node acc = comp.IsMap() ? comp["accelerators"] : YAML::Node();
  if (acc.IsDefined() && !acc.IsNull()) {
    if (!acc.IsSequence())
      return err(acc, "compensation.accelerators",
                 "expected a list of {from, rate}, found " + describe(acc));
    for (std::size_t i = 0; i < acc.size(); ++i) {
      const std::string d = fmt::format("compensation.accelerators[{}]", i);
      const YAML::Node t = acc[i];
      if (!t.IsMap()) {
        err(t, d, "expected a map {from, rate}, found " + describe(t));
        continue;
      }
      only_keys(t, d, {"from", "rate"}, err);
      AcceleratorTier tier;
      if (!t["rate"].IsDefined()) err(t, d, "missing required key 'rate'");
      number(t["from"], d + ".from", 0, 10, true, tier.from, err);
      number(t["rate"], d + ".rate", 0, 1, true, tier.rate, err);
      if (!p.quota.accelerators.empty() && tier.from <= p.quota.accelerators.back().from)
        err(t, d + ".from",
            fmt::format("tiers must be in increasing order of `from` ({:g} follows {:g})",
                        tier.from, p.quota.accelerators.back().from));
      p.quota.accelerators.push_back(tier);
    }
    if (acc.size() > 0 && !p.quota.on(sp))  // an empty list pays nothing: no quota needed
      err(acc, "compensation.accelerators",
          "accelerators are paid above quota: set team.quota (or a segment's quota)");
  }
}

void read_plan_territories(const YAML::Node& n, const std::string& display, Params& plan,
                           const ReportProblem& err) {
  if (!n.IsDefined() || n.IsNull()) return;
  std::vector<TerritoryLine> lines;
  if (!read_lines(n, display, plan.segments, lines, err)) return;
  plan.segments.territories = lines;
  plan.segments.plan_territories = true;
}

}  // namespace salesim
