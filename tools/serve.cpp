// `salesim serve`: the server and its routes (tools/serve.hpp). Runs go through the same code as
// `salesim run` (models/simulate.hpp, tools/summary_json.hpp), and a what-if is written into the
// plan's YAML and loaded again (models/plan_edit.hpp), so a bad value gets the loader's message.
#include "tools/serve.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "models/key_path.hpp"
#include "models/keys.hpp"
#include "models/plan_edit.hpp"
#include "models/simulate.hpp"
#include "models/territory_keys.hpp"
#include "sim/parallel.hpp"
#include "sim/runner.hpp"
#include "tools/cli.hpp"
#include "tools/lever_range.hpp"
#include "tools/plan_yaml.hpp"
#include "tools/report.hpp"
#include "tools/report_sections.hpp"  // the report's plain words for keys
#include "tools/summary_json.hpp"

namespace salesim::tools {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// An answer other than 200: the status and what the client should know; for a value of one
// lever, also its key and the problem in plain words (the page shows them beside the lever).
struct ApiError : std::runtime_error {
  int status;
  std::string key, plain;
  ApiError(int s, const std::string& m, std::string k = "", std::string p = "")
      : std::runtime_error(m), status(s), key(std::move(k)), plain(std::move(p)) {}
};
// A loader's message without its "FILE: " prefix (the page knows the file): the edits' loader
// (models/plan_edit.cpp) already left out the line and column, which are the edited text's.
std::string loader_message(const std::string& file, const std::string& what) {
  const std::string prefix = file + ": ";
  return what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
}

// Thrown from a run's progress when the client has asked for a newer run.
struct Cancelled : std::exception {};

std::string random_token() {
  std::random_device rd;
  std::string t;
  for (int i = 0; i < 4; ++i) t += fmt::format("{:08x}", rd());
  return t;
}

// Compares in time independent of where the strings differ (the token is the only secret).
bool same_secret(const std::string& a, const std::string& b) {
  unsigned char d = a.size() != b.size();
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) d |= a[i] ^ b[i];
  return d == 0;
}

void send_json(httplib::Response& res, int status, const json& j) {
  res.status = status;
  // Text echoed from the request (a path, a plan name) may hold bytes that are not UTF-8: they
  // are replaced, not thrown on (a throw here, in the error handler, ended the server).
  res.set_content(j.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}
void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}
void send_error(httplib::Response& res, const ApiError& e) {
  json j = {{"error", e.what()}};
  if (!e.key.empty()) j["key"] = e.key, j["message"] = e.plain;
  send_json(res, e.status, j);
}

// A key as the report names it in plain words: "Prospecting target per rep".
std::string lever_label(const Scenario& sc, const std::string& key) {
  return report::capitalised(report::plain_key(sc, key));
}

json lever_json(const Scenario& sc, const Lever& l) {
  return {{"key", l.path},
          {"label", lever_label(sc, l.path)},
          {"unit", l.unit},
          {"share", l.share()},
          {"percent", percent_unit(l.unit)},
          {"value", std::isnan(l.value) ? json(nullptr) : json(l.value)},
          {"integer", l.integer},
          {"min", l.lo},
          {"max", std::isfinite(l.hi) ? json(l.hi) : json(nullptr)},
          {"max_open", l.hi_open}};
}

// What a lever takes, in the report's units: "from 0% to 100% (written 0 to 1)", "a whole
// number from 0 to 100000", "from 0 to 168 hours/week", "at least 0".
std::string allowed_words(const Lever& l, const report::Fmt& f) {
  const std::string& unit = l.unit;
  const auto v = [&](double x) { return report::plain_number(f, x, unit); };
  const std::string whole = l.integer ? "a whole number " : "";
  if (!std::isfinite(l.hi)) return fmt::format("{}of at least {}", whole, v(l.lo));
  const double hi = l.integer && l.hi_open ? l.hi - 1 : l.hi;
  std::string words = fmt::format("{}from {} to {}", whole, v(l.lo), v(hi));
  if (l.hi_open && !l.integer) words += " (not including it)";
  if (percent_unit(unit))
    words += fmt::format(" (written {} to {})", lever_text(l.lo), lever_text(hi));
  return words;
}

// A value a lever does not take, in plain words: "Probability that a contract renews at an
// anniversary takes from 0% to 100% (written 0 to 1); 1.5 is outside that".
std::string out_of_range_words(const Scenario& sc, const Lever& l, double x, const report::Fmt& f) {
  return fmt::format("{} takes {}; {} is outside that{}", lever_label(sc, l.path),
                     allowed_words(l, f), lever_text(x), lever_share_hint(l, x));
}

// The request's body as a JSON object, or 400 saying what is wrong.
json body_object(const httplib::Request& req) {
  json body;
  try {
    body = json::parse(req.body);
  } catch (const json::exception& e) {
    throw ApiError(400, fmt::format("the body is not JSON ({})", e.what()));
  }
  if (!body.is_object()) throw ApiError(400, "the body must be a JSON object");
  return body;
}

// 400 naming a key of the body the route does not take: a typo ("path") would otherwise be
// answered as if the key were not there.
void check_keys(const json& body, const std::vector<std::string>& keys) {
  for (const auto& [key, v] : body.items()) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + ("\"" + k + "\"");
    throw ApiError(400, fmt::format("unknown key \"{}\" (did you mean \"{}\"?); this request "
                                    "takes {}",
                                    key, nearest(key, keys), list));
  }
}

struct WhatIf {
  std::string plan;
  std::vector<std::pair<std::string, double>> values;
};

// {"plan": NAME, "set": {KEY: NUMBER}} checked against the scenario's plans and their keys.
WhatIf what_if_of(const Scenario& sc, const json& body, const report::Fmt& f) {
  WhatIf w;
  if (!body.contains("plan") || !body["plan"].is_string())
    throw ApiError(400, "\"plan\": expected the name of a plan of the scenario (a string)");
  w.plan = body["plan"].get<std::string>();
  try {
    check_plan_names(sc, {w.plan}, "plan");
  } catch (const BadInput& e) {
    throw ApiError(400, e.what());
  }
  if (!body.contains("set")) return w;
  if (!body["set"].is_object())
    throw ApiError(400,
                   "\"set\": expected an object of KEY: NUMBER, e.g. "
                   "{\"org.coaching_hours_per_rep\": 2}");
  for (const auto& [key, v] : body["set"].items()) {
    Lever l;
    try {
      l = find_lever(sc, w.plan, key, true);
    } catch (const std::invalid_argument& e) {
      throw ApiError(400, fmt::format("set.{}: {}", key, e.what()));
    }
    if (!v.is_number())
      throw ApiError(400, fmt::format("set.{}: expected a number, got {}", key, v.dump()));
    const double x = v.get<double>();
    const std::string plain = out_of_range_words(sc, l, x, f);
    // The YAML edit rounds whole-number keys (as sweep's points); a file would refuse 2.5 hires.
    if (l.integer && x != std::round(x))
      throw ApiError(400, fmt::format("set.{}: expected a whole number, got {}", key, v.dump()),
                     key, plain);
    // Past the range the edit's rounding to a 64-bit integer could overflow and the loader would
    // then name a number the client never sent.
    if (l.integer && fit_to_lever(l, x) != x)
      throw ApiError(400,
                     fmt::format("set.{}: expected a whole number {}, got {}", key,
                                 std::isfinite(l.hi) ? fmt::format("from {} to {}", l.lo,
                                                                   l.hi_open ? l.hi - 1 : l.hi)
                                                     : fmt::format("of at least {}", l.lo),
                                 v.dump()),
                     key, plain);
    w.values.emplace_back(key, x);
  }
  return w;
}

// A what-if the loader refuses, as the API answers it: the loader's message and, for the lever
// at fault (the first outside its range, else one the message names), its key and the problem
// in plain words.
ApiError refused(const Scenario& sc, const WhatIf& w, const std::string& message,
                 const report::Fmt& f) {
  for (const auto& [key, x] : w.values) {
    const Lever l = find_lever(sc, w.plan, key, true);
    if (fit_to_lever(l, x) != x)
      return ApiError(400, message, key, out_of_range_words(sc, l, x, f));
  }
  for (const auto& [key, x] : w.values)
    if (const auto at = message.find(key + ": "); at != std::string::npos)
      return ApiError(400, message, key,
                      lever_label(sc, key) + ": " + message.substr(at + key.size() + 2));
  return ApiError(400, message);
}

// The saved plan's description says what the what-if changed, as optimize -o's does
// (tools/plan_yaml.hpp); values equal to the plan's own change nothing and are left out.
std::string with_made_description(const Scenario& sc, const WhatIf& w, const std::string& text) {
  std::vector<std::pair<std::string, double>> changed;
  for (const auto& [key, x] : w.values)
    if (find_lever(sc, w.plan, key, true).value != x) changed.emplace_back(key, x);
  if (changed.empty()) return text;
  YAML::Node root = YAML::Load(text);
  YAML::Node plans = root["plans"];
  plans[plans.size() - 1]["description"] =
      made_plan_description(sc, w.plan, changed, "What-if saved from salesim serve");
  YAML::Emitter e;
  e << root;
  return std::string(e.c_str()) + "\n";
}

// Why a run was cancelled: a newer run of its client replaced it, or its page was closed or left
// (POST /api/cancel).
constexpr int kReplaced = 1, kPageClosed = 2;

// One page's runs (one at a time; a newer one cancels the one going), keyed by client_of, or
// one address's request budget, keyed by the address alone.
struct ClientSlot {
  std::mutex run;  // held while a run of this client goes
  // The newest run's cancel flag (under Impl::m), null when none is going: kReplaced or
  // kPageClosed once it is cancelled.
  std::shared_ptr<std::atomic<int>> current;
  // Its page was closed or left (POST /api/cancel): a run that reaches the server after the
  // cancel, or registers after it, is refused (a page restored from the browser's cache takes a
  // new client id).
  bool closed = false;
  // The highest X-Salesim-Request number of its runs so far: the requests of one page are handled
  // on several threads, so an older one may reach this point after a newer one, and must not
  // replace it.
  std::uint64_t newest = 0;
  double budget = 0;  // requests it may still make now
  Clock::time_point refilled = Clock::now();
};

// cpp-httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's
// library): a room of clients connecting at once would overflow it and see dropped connections.
// listen() again on the bound socket only lengthens the queue.
struct Http : httplib::Server {
  void lengthen_backlog() { ::listen(svr_sock_, 256); }
};

}  // namespace

struct Server::Impl {
  Scenario sc;
  ServeOptions o;
  std::string token;
  int port = 0;
  Http http;
  std::atomic<bool> stopping{false};  // stop() was called: runs going end at once
  std::mutex m;                       // guards clients and baselines
  std::map<std::string, std::shared_ptr<ClientSlot>> clients;
  // The baseline as written, per path count: every what-if is compared with the same one, so it
  // is run once (a what-if of the baseline itself is run afresh).
  std::map<std::size_t, std::shared_ptr<const PlanResult>> baselines;
  // The memory the runs going may keep together (0: no budget, /proc/meminfo unreadable) and
  // what they keep now, by salesim run's estimate (under m). Each run is checked against the
  // memory available alone; without this, clients running at once could together exhaust it.
  double memory_budget = 0;
  double memory_reserved = 0;

  // The client a request comes from: the page's own id (X-Salesim-Client, one per open page),
  // else its address.
  static std::string client_of(const httplib::Request& req) {
    std::string id = req.get_header_value("X-Salesim-Client");
    if (id.empty() || id.size() > 64) id.clear();
    return req.remote_addr + "/" + id;
  }

  // The page's number for a request (X-Salesim-Request, 1, 2, ... in the order it sends them); 0
  // without one (a script's request always replaces the run going).
  static std::uint64_t request_number(const httplib::Request& req) {
    const std::string n = req.get_header_value("X-Salesim-Request");
    if (n.empty() || n.size() > 18 ||
        !std::all_of(n.begin(), n.end(), [](unsigned char c) { return std::isdigit(c); }))
      return 0;
    return std::stoull(n);
  }

  // Marks the client's page closed and cancels its run going, if any; whether there was one.
  bool cancel_run(const std::string& client) {
    auto s = slot(client);  // made if need be: the run it ends may not have registered yet
    std::lock_guard lock(m);
    s->closed = true;
    if (!s->current || *s->current) return false;
    *s->current = kPageClosed;
    return true;
  }

  std::shared_ptr<ClientSlot> slot(const std::string& client) {
    std::lock_guard lock(m);
    if (clients.size() > 10000)  // forget idle clients rather than grow without end
      for (auto it = clients.begin(); it != clients.end();)
        it = it->second.use_count() == 1 ? clients.erase(it) : std::next(it);
    auto& s = clients[client];
    if (!s) s = std::make_shared<ClientSlot>(), s->budget = 2 * o.requests_per_second;
    return s;
  }

  bool authorised(const httplib::Request& req) const {
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0 && same_secret(auth.substr(7), token)) return true;
    return req.has_param("token") && same_secret(req.get_param_value("token"), token);
  }

  // Token bucket: requests_per_second, bursts of twice that.
  bool within_rate(ClientSlot& s) {
    std::lock_guard lock(m);
    const auto now = Clock::now();
    s.budget = std::min(
        2 * o.requests_per_second,
        s.budget + o.requests_per_second * std::chrono::duration<double>(now - s.refilled).count());
    s.refilled = now;
    if (s.budget < 1) return false;
    s.budget -= 1;
    return true;
  }

  // The report's formats for this server's words (money with --currency).
  report::Fmt words() const { return report::Fmt(o.currency, sc.base.simulation.start_date); }

  json plans_json() const {
    json plans = json::array();
    for (const auto& p : sc.plans) {
      json levers = json::array();
      std::vector<std::string> seen;
      // The plan's own levers, its territory lines among them, as sensitivity picks them (a
      // plan that rebalances its territories had none and was said to change nothing).
      std::vector<Lever> own = plan_levers(sc, p.name);
      for (Lever& l : territory_levers(sc, p.name)) own.push_back(std::move(l));
      for (const Lever& l : own) levers.push_back(lever_json(sc, l)), seen.push_back(l.path);
      for (const auto& key : o.levers) {
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
        try {
          levers.push_back(lever_json(sc, find_lever(sc, p.name, key, true)));
        } catch (const std::invalid_argument&) {
          // a list item this plan does not have: not offered for it
        }
      }
      plans.push_back({{"name", p.name}, {"description", p.description}, {"levers", levers}});
    }
    return {{"scenario", sc.name},
            {"file", sc.file},
            {"baseline", sc.plans.front().name},
            {"paths", default_paths()},
            {"seed", sc.base.simulation.seed},
            {"currency", o.currency},
            {"goal",
             {{"revenue", sc.base.goal.revenue ? json(*sc.base.goal.revenue) : json(nullptr)},
              {"by_week", sc.goal_week()}}},
            {"plans", plans}};
  }

  // The file's simulation.paths, at most the API's limit (a file of 300,000 paths ran them all
  // without "paths", and the page's refining run asked for them and was refused).
  std::size_t default_paths() const {
    return std::min(std::size_t(sc.base.simulation.paths), o.max_paths);
  }

  std::size_t paths_of(const json& body) const {
    if (!body.contains("paths")) return default_paths();
    const json& p = body["paths"];
    // 1e3 and 300.0 are whole numbers too (as --paths 1e6 is).
    const double n = p.is_number() ? p.get<double>() : 0;
    if (n < 1 || n > double(o.max_paths) || n != std::floor(n))
      throw ApiError(400, fmt::format("\"paths\": expected a whole number from 1 to {}, got {}",
                                      o.max_paths, p.dump()));
    return std::size_t(n);
  }

  json run(const httplib::Request& req) {
    const json body = body_object(req);
    check_keys(body, {"plan", "set", "paths", "charts"});
    const WhatIf w = what_if_of(sc, body, words());
    const std::size_t paths = paths_of(body);
    if (body.contains("charts") && !body["charts"].is_boolean())
      throw ApiError(
          400, fmt::format("\"charts\": expected true or false, got {}", body["charts"].dump()));
    Scenario variant;
    try {
      variant = scenario_with_baseline_and_plan_values(sc, w.plan, w.values);
      check_run_memory(variant, paths, variant.plans.size(), "run", false);
    } catch (const ScenarioError& e) {
      throw refused(sc, w, loader_message(sc.file, e.what()), words());
    } catch (const std::invalid_argument& e) {
      throw ApiError(400, e.what());
    } catch (const BadInput& e) {
      throw ApiError(400, e.what());
    }
    check_time(variant, paths);

    // One run at a time per client: this one cancels the one going, then waits for its end.
    auto s = slot(client_of(req));
    auto cancel = std::make_shared<std::atomic<int>>(0);
    const std::uint64_t number = request_number(req);
    {
      std::lock_guard lock(m);
      if (s->closed) throw ApiError(409, "cancelled: its page was closed or left");
      if (number > 0 && number < s->newest)
        throw ApiError(409, "cancelled: a newer run from this client replaced it");
      s->newest = std::max(s->newest, number);
      if (s->current) *s->current = kReplaced;
      s->current = cancel;
    }
    // Ended, however it ends: no run of this client is going unless a newer one took the slot.
    struct Done {
      Impl& i;
      ClientSlot& s;
      const std::shared_ptr<std::atomic<int>>& mine;
      ~Done() {
        std::lock_guard lock(i.m);
        if (s.current == mine) s.current.reset();
      }
    } done{*this, *s, cancel};
    std::lock_guard running(s->run);
    const MemoryReservation kept(*this, run_memory_bytes(variant, paths, variant.plans.size()) +
                                            team_memory_bytes(variant, variant.plans.size()));
    RunSettings rs;
    rs.paths = paths;
    rs.threads = o.threads;
    rs.progress = [&](std::size_t, std::size_t) {
      if (*cancel || stopping) throw Cancelled();
    };
    ScenarioResults res;
    try {
      if (*cancel || stopping) throw Cancelled();
      res = run_beside_baseline(variant, rs);
    } catch (const Cancelled&) {
      if (stopping) throw ApiError(503, "cancelled: the server is stopping");
      if (*cancel == kPageClosed) throw ApiError(409, "cancelled: its page was closed or left");
      throw ApiError(409, "cancelled: a newer run from this client replaced it");
    }
    json answer = summary_json(variant, res, variant.base.simulation.seed);
    if (body.value("charts", false)) {
      ReportOptions ro;
      ro.currency = o.currency;
      answer["charts"] = render_what_if_sections(report_data_of_run(variant, res, answer), ro);
    }
    return answer;
  }

  // A run's share of the memory budget, held while it runs; 503 when the runs going keep too
  // much for it (taken after the client's own earlier run has ended, so a replacing run does not
  // count the one it replaces).
  struct MemoryReservation {
    Impl& i;
    double bytes;
    MemoryReservation(Impl& impl, double need) : i(impl), bytes(need) {
      std::lock_guard lock(i.m);
      if (i.memory_budget > 0 && bytes > i.memory_budget)
        throw ApiError(400, fmt::format("this run would keep about {}, more than the {} this "
                                        "server may use for runs: ask for fewer paths",
                                        bytes_text(bytes), bytes_text(i.memory_budget)));
      if (i.memory_budget > 0 && i.memory_reserved + bytes > i.memory_budget)
        throw ApiError(
            503, fmt::format("busy: the runs going keep about {} of the {} this server may use; "
                             "this one needs about {}: try again when one ends, or ask for "
                             "fewer paths",
                             bytes_text(i.memory_reserved), bytes_text(i.memory_budget),
                             bytes_text(bytes)));
      i.memory_reserved += bytes;
    }
    ~MemoryReservation() {
      std::lock_guard lock(i.m);
      i.memory_reserved -= bytes;
    }
    MemoryReservation(const MemoryReservation&) = delete;
    MemoryReservation& operator=(const MemoryReservation&) = delete;
  };

  // 400 for a run estimated (as salesim run estimates it) to take longer than max_seconds: it
  // would hold a worker and the cores for hours, and only its own client could cancel it.
  void check_time(const Scenario& variant, std::size_t paths) const {
    const int threads = std::min(sim::resolve_threads(o.threads),
                                 std::max(1, int(std::thread::hardware_concurrency())));
    const double per_path =
        run_rep_weeks(variant, 1, variant.plans.size()) / (kRepWeeksPerSecondPerThread * threads);
    if (per_path * double(paths) <= o.max_seconds) return;
    const auto fits = std::size_t(o.max_seconds / per_path);
    throw ApiError(
        400, fmt::format("this run would take {} ({:.3g} rep-weeks at {:.2g} "
                         "rep-weeks per second per thread on {} thread{}); the server runs at "
                         "most {:g} minutes: {}",
                         about_duration(per_path * double(paths)),
                         run_rep_weeks(variant, paths, variant.plans.size()),
                         kRepWeeksPerSecondPerThread, threads, threads == 1 ? "" : "s",
                         o.max_seconds / 60,
                         fits >= 1 ? fmt::format("ask for at most {} paths", fits)
                                   : std::string("choose smaller values (a smaller team)")));
  }

  // run_scenario(variant, rs) with the baseline's result taken from the cache when the variant
  // has it as written (two plans): the same bits, as every plan runs on its own.
  ScenarioResults run_beside_baseline(const Scenario& variant, const RunSettings& rs) {
    if (variant.plans.size() == 1) return run_scenario(variant, rs);
    const auto start = Clock::now();
    std::shared_ptr<const PlanResult> base;
    {
      std::lock_guard lock(m);
      if (auto it = baselines.find(rs.paths); it != baselines.end()) base = it->second;
    }
    if (!base) {
      const PlanSpec& spec = variant.plans.front();
      sim::RunOutput run = run_plan(variant, spec, rs);
      sim::with_threads(rs.threads, [&] {  // the summary's weeks on the run's threads
        base = std::make_shared<const PlanResult>(summarize(variant, spec.name, std::move(run)));
      });
      std::lock_guard lock(m);
      if (baselines.size() >= 8) baselines.clear();  // a few path counts are in use at a time
      baselines.emplace(rs.paths, base);
    }
    ScenarioResults res;
    res.paths = rs.paths;
    res.threads = sim::resolve_threads(rs.threads);
    res.plans.push_back(*base);
    const PlanSpec& spec = variant.plans.back();
    sim::RunOutput run = run_plan(variant, spec, rs);
    sim::with_threads(rs.threads, [&] {
      res.plans.push_back(summarize(variant, spec.name, std::move(run)));
      res.comparisons.push_back(compare(res.plans[0], res.plans[1]));
    });
    res.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return res;
  }

  // The scenario with the what-if as a new plan: text for the browser to download.
  std::string save(const httplib::Request& req, std::string& name) {
    const json body = body_object(req);
    check_keys(body, {"plan", "set", "name"});
    const WhatIf w = what_if_of(sc, body, words());
    if (!body.contains("name") || !body["name"].is_string() ||
        body["name"].get<std::string>().empty() || body["name"].get<std::string>().size() > 100)
      throw ApiError(400, "\"name\": expected the new plan's name (1 to 100 characters)");
    name = body["name"].get<std::string>();
    try {
      return with_made_description(sc, w, scenario_text_with_new_plan(sc, w.plan, w.values, name));
    } catch (const ScenarioError& e) {
      throw refused(sc, w, loader_message(sc.file, e.what()), words());
    } catch (const std::invalid_argument& e) {
      throw ApiError(400, e.what());
    }
  }

  // The method a route takes ("" for no route): a GET of /api/run is not a missing page.
  static std::string method_of(const std::string& path) {
    if (path == "/" || path == "/api/plans") return "GET";
    return path == "/api/run" || path == "/api/save" || path == "/api/cancel" ? "POST" : "";
  }

  // Wraps a route: ApiError becomes its status with {"error": message}.
  template <class F>
  httplib::Server::Handler guarded(F f) {
    return [f](const httplib::Request& req, httplib::Response& res) {
      try {
        f(req, res);
      } catch (const ApiError& e) {
        send_error(res, e);
      }
    };
  }

  void routes() {
    http.set_payload_max_length(o.max_body);
    // A connection that sends nothing holds one of the pool's threads until its read times out,
    // and an idle keep-alive one delays the stop (Ctrl-C) as long: short timeouts and a pool
    // larger than a browser's six connections keep a few slow or idle clients from locking the
    // page out, and the stop within about a second.
    // cpp-httplib's default sets SO_REUSEPORT, with which a second server on a port in use
    // started too and the kernel split the requests between the two (each page then failed at
    // random: the other server's token). SO_REUSEADDR alone refuses a port another listener
    // holds and still allows a restart while the old connections wait in TIME_WAIT.
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_read_timeout(2, 0);
    http.set_keep_alive_timeout(1);
    http.new_task_queue = [] { return new httplib::ThreadPool(32); };
    http.set_default_headers({{"Cache-Control", "no-store"},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"},
                              {"X-Frame-Options", "DENY"}});
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!authorised(req)) {
        send_error(res, 401,
                   "a token is needed: open the URL salesim serve printed, or send "
                   "Authorization: Bearer TOKEN");
        return httplib::Server::HandlerResponse::Handled;
      }
      // The rate is per address, not per page id: the id is the client's to choose, so a
      // fresh id per request would otherwise be a fresh budget.
      if (!within_rate(*slot(req.remote_addr))) {
        send_error(res, 429,
                   fmt::format("too many requests: at most {} a second per client address",
                               o.requests_per_second));
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(serve_page(sc.name + ": what if?"), "text/html; charset=utf-8");
    });
    http.Get("/api/plans", guarded([this](const httplib::Request&, httplib::Response& res) {
               send_json(res, 200, plans_json());
             }));
    http.Post("/api/run", guarded([this](const httplib::Request& req, httplib::Response& res) {
                send_json(res, 200, run(req));
              }));
    // The page's last word when it is closed or left (pagehide): its run going, if any, ends
    // now instead of holding the cores to the end (cpp-httplib 0.11 does not tell a handler that
    // its client has gone).
    // It needs the page's client id: without one it would mark the address's header-less
    // client, a script's, closed, and refuse every later run of that script (409).
    http.Post("/api/cancel", guarded([this](const httplib::Request& req, httplib::Response& res) {
                body_object(req);
                const std::string id = req.get_header_value("X-Salesim-Client");
                if (id.empty() || id.size() > 64)
                  throw ApiError(400,
                                 "/api/cancel ends a page's runs: it needs that page's "
                                 "X-Salesim-Client header (1 to 64 characters); a run without "
                                 "one is replaced by the next run from its address instead");
                send_json(res, 200, {{"cancelled", cancel_run(client_of(req))}});
              }));
    http.Post("/api/save", guarded([this](const httplib::Request& req, httplib::Response& res) {
                std::string name;
                const std::string text = save(req, name);
                std::string file;
                for (char c : name) file += std::isalnum((unsigned char)c) || c == '-' ? c : '_';
                res.set_header("Content-Disposition",
                               fmt::format("attachment; filename=\"{}.yaml\"", file));
                res.set_content(text, "application/yaml; charset=utf-8");
              }));
    http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;  // a route's own answer
      const std::string method = method_of(req.path);
      if (res.status == 413)  // (cpp-httplib stops a form-encoded body at 8192 bytes)
        send_error(
            res, 413,
            req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0
                ? fmt::format("the request body is form-encoded (curl -d sends it so) and over "
                              "8192 bytes; send JSON with Content-Type: application/json (up to "
                              "{} bytes)",
                              o.max_body)
                : fmt::format("the request body is larger than {} bytes", o.max_body));
      else if (res.status == 404 && !method.empty()) {  // a route, asked with another method
        res.set_header("Allow", method);
        send_error(res, 405, fmt::format("{} takes {}, not {}", req.path, method, req.method));
      } else if (res.status == 414)
        send_error(res, 414, "the URL is longer than 8192 characters");
      else if (res.status == 400)
        send_error(res, 400,
                   "the request is not valid HTTP (a malformed request line or header, a header "
                   "over 8192 bytes, or a body that could not be read)");
      else if (res.status == 404)
        send_error(res, 404,
                   fmt::format("no such page: {} (there are the page /, GET /api/plans, POST "
                               "/api/run, POST /api/save and POST /api/cancel)",
                               req.path));
      else
        send_error(res, res.status, fmt::format("HTTP {}", res.status));
    });
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "unknown error";
          try {
            std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          send_error(res, 500, "error: " + what);
        });
  }
};

Server::Server(Scenario sc, ServeOptions o) : impl_(std::make_unique<Impl>()) {
  impl_->sc = std::move(sc);
  impl_->o = std::move(o);
  impl_->token = impl_->o.token.empty() ? random_token() : impl_->o.token;
  impl_->memory_budget =
      impl_->o.max_memory > 0 ? impl_->o.max_memory : available_memory_bytes().value_or(0);
  for (const auto& key : impl_->o.levers) {
    std::string first_error;
    bool fits = false;
    for (const auto& p : impl_->sc.plans) try {
        find_lever(impl_->sc, p.name, key, true);
        fits = true;
      } catch (const std::invalid_argument& e) {
        if (first_error.empty()) first_error = e.what();
      }
    if (!fits) throw BadInput(fmt::format("--lever {}: {}", key, first_error));
  }
  impl_->routes();
}

Server::~Server() { stop(); }

int Server::bind() {
  auto& i = *impl_;
  const bool ok = i.o.port == 0 ? (i.port = i.http.bind_to_any_port(i.o.host)) > 0
                                : i.http.bind_to_port(i.o.host, i.port = i.o.port);
  if (!ok)
    throw BadInput(
        fmt::format("serve: cannot listen on {}:{} (in use, or not an address of "
                    "this machine); choose another --port or --host",
                    i.o.host, i.o.port));
  i.http.lengthen_backlog();
  return i.port;
}

void Server::run() { impl_->http.listen_after_bind(); }
void Server::stop() {
  impl_->stopping = true;  // else stop() would wait for the runs going, however long
  if (impl_->http.is_running()) impl_->http.stop();
}
const std::string& Server::token() const { return impl_->token; }
std::string Server::url() const {
  const std::string& h = impl_->o.host;
  const bool v6 = h.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}/?token={}", v6 ? "[" : "", h, v6 ? "]" : "", impl_->port,
                     impl_->token);
}

}  // namespace salesim::tools
