// salesim serve (tools/serve.hpp): the API on an ephemeral loopback port, in-process. The
// figures equal `salesim run --json`; without the token 401; bad values 400 with the loader's
// message; oversize bodies 413; any other path 404; a client's newer run cancels its older one;
// 50 clients at once get their own answers; levers in the report's plain words, a refused value
// named by its lever, a saved plan's description, --currency, the ARR section.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "models/scenario.hpp"
#include "serve_fixture.hpp"
#include "test_support.hpp"
#include "tools/cli.hpp"
#include "tools/report_sections.hpp"  // the report's plain words for keys
#include "tools/serve.hpp"

namespace salesim::test {
namespace {

using nlohmann::json;
constexpr const char* kToken = "test-token-0123456789";

struct ServeTest : FolderTest {
  ServeTest() : FolderTest("serve") {}
  LocalServer local;
  int port = 0;

  void SetUp() override {
    FolderTest::SetUp();
    tools::ServeOptions o;
    o.threads = 2;
    o.requests_per_second = 1000;
    local.start(o, kToken);
    port = local.port();
  }
  void TearDown() override {
    local.stop();
    FolderTest::TearDown();
  }
  httplib::Client client(const std::string& id = "") const { return local.client(id); }
  httplib::Result post(const std::string& path, const json& body, const std::string& id = "") {
    return client(id).Post(path, body.dump(), "application/json");
  }
};

json without_timing(json j) {
  j.erase("elapsed_seconds");
  j.erase("rep_weeks_per_second");
  return j;
}

TEST_F(ServeTest, FiguresEqualSalesimRunAtTheSamePlanSeedAndPaths) {
  // Another plan first, so that the baseline comes from the server's cache.
  ASSERT_EQ(post("/api/run", {{"plan", "classroom-training"}, {"paths", 300}})->status, 200);
  const auto r = post("/api/run", {{"plan", "push-activity"}, {"paths", 300}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string file = (dir / "run.json").string();
  ASSERT_EQ(shell(salesim("run " + example() +
                          " --plans baseline,push-activity --paths 300 --quiet --json " + file)),
            0);
  EXPECT_EQ(without_timing(json::parse(r->body)).dump(),
            without_timing(json::parse(read_file(file))).dump());
}

TEST_F(ServeTest, AWhatIfSavedAsAPlanRunsToTheSameFigures) {
  const json set = {{"org.coaching_hours_per_rep", 2.5}};
  const auto r =
      post("/api/run", {{"plan", "targeted-effectiveness"}, {"set", set}, {"paths", 200}});
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
  const auto saved =
      post("/api/save", {{"plan", "targeted-effectiveness"}, {"set", set}, {"name", "coach-more"}});
  ASSERT_TRUE(saved && saved->status == 200) << (saved ? saved->body : "no answer");
  EXPECT_NE(saved->get_header_value("Content-Disposition").find("coach-more.yaml"),
            std::string::npos);
  const std::string yaml = (dir / "saved.yaml").string(), out = (dir / "saved.json").string();
  std::ofstream(yaml) << saved->body;
  ASSERT_EQ(shell(salesim("run " + yaml +
                          " --plans baseline,coach-more --paths 200 --quiet "
                          "--json " +
                          out)),
            0);
  const json api = json::parse(r->body), cli = json::parse(read_file(out));
  for (const char* ptr : {"/plans/1/goal", "/plans/1/final_bookings", "/plans/1/cost",
                          "/plans/1/vs_first/final_bookings_diff_mean",
                          "/plans/1/vs_first/p_better", "/plans/0/goal"})
    EXPECT_EQ(api.at(json::json_pointer(ptr)).dump(), cli.at(json::json_pointer(ptr)).dump())
        << ptr;
  // The what-if moved the plan away from the plan as written.
  const auto plain = post("/api/run", {{"plan", "targeted-effectiveness"}, {"paths", 200}});
  EXPECT_NE(json::parse(plain->body)["plans"][1]["final_bookings"].dump(),
            api["plans"][1]["final_bookings"].dump());
}

TEST_F(ServeTest, EveryRequestWithoutTheTokenIs401) {
  httplib::Client bare("127.0.0.1", port);
  for (const char* path : {"/", "/api/plans", "/nothing"}) {
    const auto r = bare.Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << path;
  }
  EXPECT_EQ(bare.Post("/api/run", R"({"plan":"baseline"})", "application/json")->status, 401);
  EXPECT_EQ(bare.Get("/api/plans?token=wrong")->status, 401);
  EXPECT_EQ(bare.Get(std::string("/api/plans?token=") + kToken)->status, 200);
  httplib::Headers wrong{{"Authorization", "Bearer wrong"}};
  EXPECT_EQ(bare.Get("/api/plans", wrong)->status, 401);
}

TEST_F(ServeTest, BadValuesAre400WithTheLoadersMessage) {
  auto r =
      post("/api/run", {{"plan", "push-activity"}, {"set", {{"prospecting.target_hours", -5}}}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const std::string msg = json::parse(r->body)["error"];
  EXPECT_NE(msg.find("set.prospecting.target_hours: expected a number between 0 and 168"),
            std::string::npos)
      << msg;
  r = post("/api/run", {{"plan", "push-activity"}, {"set", {{"prospecting.target_hour", 5}}}});
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("did you mean 'prospecting.target_hours'"), std::string::npos) << r->body;
  r = post("/api/run", {{"plan", "push-actvity"}});
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("push-activity"), std::string::npos) << r->body;
  r = post("/api/run", {{"plan", "push-activity"}, {"set", {{"hiring[0].count", 2.5}}}});
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("whole number"), std::string::npos) << r->body;
  r = post("/api/run", {{"plan", "push-activity"}, {"paths", 0}});
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(client().Post("/api/run", "{not json", "application/json")->status, 400);
}

TEST_F(ServeTest, OversizeBodiesAre413) {
  const auto r = client().Post("/api/run", std::string(100000, ' '), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("larger than 16384 bytes"), std::string::npos) << r->body;
  // A form-encoded body (curl -d) stops at cpp-httplib's 8192 bytes: said so, not "16384".
  const auto form =
      client().Post("/api/run", std::string(9000, 'a'), "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 413);
  EXPECT_NE(form->body.find("form-encoded"), std::string::npos) << form->body;
}

TEST_F(ServeTest, AnyPathOutsideTheApiAndThePageIs404) {
  for (const char* path : {"/etc/passwd", "/../scenarios/nexacorp.yaml", "/api", "/api/run/x",
                           "/index.html", "/api/plans/.."}) {
    const auto r = client().Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << path;
  }
}

TEST_F(ServeTest, ThePageIsSelfContained) {
  const auto r = client().Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(r->body.find("connect-src 'self'"), std::string::npos);
  EXPECT_EQ(r->body.find("src=\"http"), std::string::npos);
  EXPECT_EQ(r->body.find("href=\"http"), std::string::npos);
}

TEST_F(ServeTest, TheChartsAreTheReportsSections) {
  const auto r = post("/api/run", {{"plan", "push-activity"}, {"paths", 200}, {"charts", true}});
  ASSERT_TRUE(r && r->status == 200);
  const std::string charts = json::parse(r->body)["charts"];
  for (const char* part :
       {"id=\"answer\"", "id=\"bookings\"", "id=\"goal-checkpoints\"", "id=\"comparison\"", "<svg"})
    EXPECT_NE(charts.find(part), std::string::npos) << part;
}

TEST_F(ServeTest, AClientsNewerRunCancelsItsOlderOne) {
  auto slow = std::async(std::launch::async, [&] {
    return post("/api/run", {{"plan", "push-activity"}, {"paths", 100000}}, "page-1");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto fast = post("/api/run", {{"plan", "push-activity"}, {"paths", 50}}, "page-1");
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->status, 200);
  const auto old = slow.get();
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 409) << old->body.substr(0, 200);
}

// The requests of one page are handled on several threads, so an older run may reach the server
// after a newer one: numbered by the page (X-Salesim-Request), the older is refused at once and
// the newer goes on (the older replaced the newer before, and the page, which ignores the 409 of
// a run it replaced itself, waited for an answer that never came).
TEST_F(ServeTest, AnOlderRequestArrivingLateDoesNotReplaceANewerOne) {
  auto numbered = [&](int n, int paths) {
    httplib::Headers h = {{"X-Salesim-Request", std::to_string(n)}};
    return client("page-9").Post("/api/run", h,
                                 json({{"plan", "push-activity"}, {"paths", paths}}).dump(),
                                 "application/json");
  };
  auto newer = std::async(std::launch::async, [&] { return numbered(7, 3000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto older = numbered(6, 50);
  ASSERT_TRUE(older);
  EXPECT_EQ(older->status, 409) << older->body;
  const auto kept = newer.get();
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200) << kept->body.substr(0, 200);
  // A newer number replaces as before.
  auto slow = std::async(std::launch::async, [&] { return numbered(8, 100000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto next = numbered(9, 50);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(slow.get()->status, 409);
}

// A page that is closed or left asks for its run to end (POST /api/cancel on pagehide): the run
// ends at once with 409 and says why; another page's cancel does not touch it, and a cancel with
// no run going cancels nothing.
TEST_F(ServeTest, AClosedPagesRunIsCancelled) {
  auto slow = std::async(std::launch::async, [&] {
    return post("/api/run", {{"plan", "push-activity"}, {"paths", 100000}}, "page-1");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto other = post("/api/cancel", json::object(), "page-2");
  ASSERT_TRUE(other && other->status == 200);
  EXPECT_EQ(json::parse(other->body)["cancelled"], false);
  const auto t0 = std::chrono::steady_clock::now();
  const auto mine = post("/api/cancel", json::object(), "page-1");
  ASSERT_TRUE(mine && mine->status == 200);
  EXPECT_EQ(json::parse(mine->body)["cancelled"], true);
  const auto old = slow.get();
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 409) << old->body.substr(0, 200);
  EXPECT_NE(old->body.find("its page was closed or left"), std::string::npos) << old->body;
  // 100000 paths take tens of seconds: cancelled, it ends within a progress step.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  const auto again = post("/api/cancel", json::object(), "page-1");
  ASSERT_TRUE(again && again->status == 200);
  EXPECT_EQ(json::parse(again->body)["cancelled"], false);
  // The closed page's id runs nothing more (a page restored from the browser's cache takes a new
  // one), and a cancel that reaches the server before its run (closing the tab just after moving
  // a lever) is not lost: the run is refused when it arrives.
  const auto late = post("/api/run", {{"plan", "push-activity"}, {"paths", 50}}, "page-1");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 409) << late->body;
  const auto first = post("/api/cancel", json::object(), "page-3");
  ASSERT_TRUE(first && first->status == 200);
  EXPECT_EQ(json::parse(first->body)["cancelled"], false);
  const auto after = post("/api/run", {{"plan", "push-activity"}, {"paths", 100000}}, "page-3");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 409) << after->body.substr(0, 200);
  EXPECT_NE(after->body.find("its page was closed or left"), std::string::npos);
  // Another page goes as usual.
  const auto next = post("/api/run", {{"plan", "push-activity"}, {"paths", 50}}, "page-4");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  // A cancel without the page's id marked the address's header-less client closed, and every
  // later run of a script from that address got 409 until the server restarted.
  const auto bare = post("/api/cancel", json::object());
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 400);
  EXPECT_NE(bare->body.find("X-Salesim-Client"), std::string::npos) << bare->body;
  const auto script = post("/api/run", {{"plan", "push-activity"}, {"paths", 50}});
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200) << script->body.substr(0, 200);
  const auto list = client("page-5").Post("/api/cancel", "[]", "application/json");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 400) << "the body is a JSON object";
}

TEST_F(ServeTest, FiftyClientsAtOnceGetTheirOwnAnswers) {
  std::vector<std::future<std::string>> clients;
  const char* plans[] = {"baseline", "push-activity", "targeted-effectiveness"};
  for (int i = 0; i < 50; ++i)
    clients.push_back(std::async(std::launch::async, [&, i]() -> std::string {
      const std::string plan = plans[i % 3];
      const auto r = post("/api/run", {{"plan", plan}, {"paths", 20 + i}}, fmt::format("c{}", i));
      if (!r) return "no answer: " + httplib::to_string(r.error());
      if (r->status != 200) return fmt::format("status {}: {}", r->status, r->body);
      const json j = json::parse(r->body);
      if (j["paths"] != 20 + i || j["plans"].back()["name"] != plan)
        return fmt::format("client {} got paths {} of {}", i, j["paths"].dump(),
                           j["plans"].back()["name"].dump());
      return "";
    }));
  for (auto& c : clients) EXPECT_EQ(c.get(), "");
}

}  // namespace
}  // namespace salesim::test

namespace salesim::test {
namespace {

// The report's plain words for a key of the example, as the report names it.
std::string plain(const std::string& key) {
  return tools::report::capitalised(
      tools::report::plain_key(tools::load_with_seed(example(), std::nullopt), key));
}

// The page labels each lever with the report's plain words for its key (the key itself goes
// small underneath), and knows which are shares, to show them as percentages.
TEST_F(ServeTest, LeversCarryTheReportsPlainWordsForTheirKeys) {
  const auto r = client().Get("/api/plans");
  ASSERT_TRUE(r && r->status == 200);
  const json plans = json::parse(r->body)["plans"];
  std::map<std::string, json> levers;
  for (const auto& p : plans)
    for (const auto& l : p["levers"]) levers[l["key"].get<std::string>()] = l;
  const std::string hours = "prospecting.target_hours";
  const std::string skill = "programs[coach_the_coaches].manager_coaching_skill";
  ASSERT_TRUE(levers.count(hours) && levers.count(skill));
  EXPECT_EQ(levers[hours]["label"], plain(hours));
  EXPECT_NE(plain(hours), hours);
  EXPECT_EQ(levers[hours]["unit"], "hours/week");
  EXPECT_EQ(levers[hours]["share"], false);
  EXPECT_EQ(levers[skill]["label"], plain(skill));
  EXPECT_NE(plain(skill), skill);
  EXPECT_EQ(levers[skill]["share"], true);
  // A list item's field has its unit as a scalar key does, and says whether it reads in percent.
  EXPECT_EQ(levers[skill]["unit"], "share");
  EXPECT_EQ(levers[skill]["percent"], true);
  EXPECT_EQ(levers[hours]["percent"], false);
  const std::string training_hours = "training[targeted-skills].hours_per_week";
  ASSERT_TRUE(levers.count(training_hours));
  EXPECT_EQ(levers[training_hours]["unit"], "hours/week");
}

// A value outside a lever's range: the loader's message as before, and the key with the problem
// in plain words (the key's plain name and what it takes), which the page shows beside it.
TEST_F(ServeTest, AValueOutsideItsRangeNamesTheLeverInPlainWords) {
  const std::string skill = "programs[coach_the_coaches].manager_coaching_skill";
  auto r = post("/api/run", {{"plan", "targeted-effectiveness"}, {"set", {{skill, 1.5}}}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  json j = json::parse(r->body);
  EXPECT_EQ(j["key"], skill) << r->body;
  EXPECT_EQ(j["message"],
            plain(skill) + " takes from 0% to 100% (written 0 to 1); 1.5 is outside that")
      << r->body;
  r = post("/api/save", {{"plan", "push-activity"},
                         {"set", {{"prospecting.target_hours", -5}}},
                         {"name", "negative"}});
  j = json::parse(r->body);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(j["key"], "prospecting.target_hours");
  EXPECT_EQ(j["message"], plain("prospecting.target_hours") +
                              " takes from 0 hours/week to 168 hours/week; -5 is outside that")
      << r->body;
  // Not a lever's range: no key.
  r = post("/api/run", {{"plan", "push-activity"}, {"paths", 0}});
  EXPECT_FALSE(json::parse(r->body).contains("key")) << r->body;
}

// As optimize -o's plan: the saved description says what the what-if changed, with the plan's
// own values and its old description after; a value left as the plan has it is not named.
TEST_F(ServeTest, ASavedPlansDescriptionSaysWhatChanged) {
  const auto saved =
      post("/api/save", {{"plan", "targeted-effectiveness"},
                         {"set",
                          {{"org.coaching_hours_per_rep", 2.5},
                           {"programs[coach_the_coaches].manager_coaching_skill", 0.75}}},
                         {"name", "coach-more"}});
  ASSERT_TRUE(saved && saved->status == 200) << (saved ? saved->body : "no answer");
  const std::string yaml = (dir / "saved.yaml").string();
  std::ofstream(yaml) << saved->body;
  const Scenario sc = tools::load_with_seed(yaml, std::nullopt);
  const std::string d = sc.plans.back().description;
  EXPECT_EQ(sc.plans.back().name, "coach-more");
  EXPECT_EQ(
      d.rfind("What-if saved from salesim serve: org.coaching_hours_per_rep 2.5 (was 1.25)", 0), 0u)
      << d;
  EXPECT_NE(d.find("Plan 'targeted-effectiveness' before: "), std::string::npos) << d;
  EXPECT_EQ(d.find("manager_coaching_skill"), std::string::npos) << d;
  // Nothing changed: the description as written.
  const auto same = post("/api/save", {{"plan", "targeted-effectiveness"},
                                       {"set", {{"org.coaching_hours_per_rep", 1.25}}},
                                       {"name", "same"}});
  std::ofstream(yaml) << same->body;
  const Scenario again = tools::load_with_seed(yaml, std::nullopt);
  EXPECT_EQ(again.plans.back().description, again.plans[2].description);
}

// With --currency the page's money axes carry the symbol, as run --currency's report does.
TEST(ServeCurrency, TheMoneyAxesCarryTheCurrency) {
  LocalServer local;
  tools::ServeOptions o;
  o.threads = 2;
  o.currency = "$";
  local.start(o, kToken);
  const auto r = local.client().Post(
      "/api/run", json{{"plan", "push-activity"}, {"paths", 50}, {"charts", true}}.dump(),
      "application/json");
  ASSERT_TRUE(r && r->status == 200);
  const std::string charts = json::parse(r->body)["charts"];
  EXPECT_EQ(charts.find("(currency)"), std::string::npos);
  EXPECT_NE(charts.find("($)"), std::string::npos);
  EXPECT_EQ(json::parse(local.client().Get("/api/plans")->body)["currency"], "$");
}

// A goal on ARR: the bookings chart says the goal is drawn on the ARR charts below, so the page
// shows the report's ARR section, after bookings as in the report.
TEST(ServeArr, AScenarioWithRecurringRevenueShowsTheReportsArrSection) {
  LocalServer local;
  tools::ServeOptions o;
  o.threads = 2;
  local.start(o, kToken, source_dir() + "/scenarios/saas-renewals.yaml");
  const auto r = local.client().Post(
      "/api/run", json{{"plan", "customer-success"}, {"paths", 50}, {"charts", true}}.dump(),
      "application/json");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
  const std::string charts = json::parse(r->body)["charts"];
  const auto bookings = charts.find("id=\"bookings\""), arr = charts.find("<section id=\"arr\"");
  ASSERT_NE(arr, std::string::npos);
  EXPECT_LT(bookings, arr);
  EXPECT_LT(arr, charts.find("id=\"goal-checkpoints\""));
}

// A plan that rebalances its territories had no levers on the page ("changes no numeric key"),
// though sensitivity varies its lines; and a file of more paths than the API takes ran them
// all without "paths" while the page's refining run, asking for them, was refused.
TEST(ServeTerritories, APlansTerritoryLinesAreItsLeversAndTheFilesPathsAreCapped) {
  LocalServer local;
  tools::ServeOptions o;
  o.threads = 2;
  o.max_paths = 40;  // below the file's simulation.paths
  local.start(o, kToken, source_dir() + "/scenarios/territory-rebalance.yaml");
  const auto r = local.client().Get("/api/plans");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
  const json plans = json::parse(r->body);
  EXPECT_EQ(plans["paths"], 40);
  bool found = false;
  for (const auto& p : plans["plans"])
    if (p["name"] == "rebalance")
      for (const auto& l : p["levers"])
        found = found || std::string(l["key"]).rfind("territories[", 0) == 0;
  EXPECT_TRUE(found) << plans.dump().substr(0, 2000);
  const auto run =
      local.client().Post("/api/run", json{{"plan", "rebalance"}}.dump(), "application/json");
  ASSERT_TRUE(run && run->status == 200) << (run ? run->body.substr(0, 300) : "no answer");
  EXPECT_EQ(json::parse(run->body)["paths"], 40);
}

TEST_F(ServeTest, SavingRefusesANameTakenAndABadValue) {
  auto r = post("/api/save", {{"plan", "push-activity"}, {"name", "baseline"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("baseline"), std::string::npos) << r->body;
  r = post(
      "/api/save",
      {{"plan", "push-activity"}, {"set", {{"capacity.max_hours", 500}}}, {"name", "long-hours"}});
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("capacity.max_hours"), std::string::npos) << r->body;
  r = post("/api/save", {{"plan", "push-activity"}});
  EXPECT_EQ(r->status, 400);
}

// A second server on a port a first one listens on started too (cpp-httplib's SO_REUSEPORT),
// and the kernel split the requests between the two; now it is refused, naming the port.
TEST(ServeLimits, ASecondServerOnAPortInUseIsRefused) {
  tools::ServeOptions o;
  o.port = 0;
  o.token = kToken;
  tools::Server first(tools::load_with_seed(example(), std::nullopt), o);
  o.port = first.bind();
  tools::Server second(tools::load_with_seed(example(), std::nullopt), o);
  try {
    second.bind();
    ADD_FAILURE() << "a second server bound port " << o.port;
  } catch (const tools::BadInput& e) {
    EXPECT_NE(std::string(e.what()).find(fmt::format(":{} (in use", o.port)), std::string::npos)
        << e.what();
  }
}

// A server of its own with the default rate: a burst beyond twice the rate gets 429, also when
// every request names a page id of its own (the budget is the address's).
TEST(ServeLimits, ABurstOfRequestsBeyondTheRateGets429) {
  tools::ServeOptions o;
  o.port = 0;
  o.token = kToken;
  o.requests_per_second = 5;
  tools::Server server(tools::load_with_seed(example(), std::nullopt), o);
  const int port = server.bind();
  std::thread t([&] { server.run(); });
  httplib::Client c("127.0.0.1", port);
  c.set_default_headers({{"Authorization", std::string("Bearer ") + kToken}});
  int ok = 0, limited = 0;
  for (int i = 0; i < 30; ++i) {
    const httplib::Headers page = {{"X-Salesim-Client", fmt::format("page-{}", i)}};
    auto r = c.Get("/api/plans", page);
    for (int k = 0; !r && k < 100; ++k) {  // until the server listens
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      r = c.Get("/api/plans", page);
    }
    ASSERT_TRUE(r);
    (r->status == 200 ? ok : limited) += r->status == 200 || r->status == 429;
  }
  server.stop();
  t.join();
  EXPECT_GE(ok, 10);
  EXPECT_LE(ok, 15);  // the burst of 10, and what 5 a second refill meanwhile
  EXPECT_EQ(ok + limited, 30);
}

TEST(ServeCommand, AnotherHostNeedsAllowRemote) {
  std::string out;
  EXPECT_EQ(shell(binary() + " serve " + example() + " --host 0.0.0.0 --port 0", &out), 2);
  EXPECT_NE(out.find("--allow-remote"), std::string::npos) << out;
  EXPECT_EQ(shell(binary() + " serve " + example() + " --lever no.such_key --port 0", &out), 2);
  EXPECT_NE(out.find("--lever no.such_key"), std::string::npos) << out;
}

// `salesim serve EXAMPLE --port 0` as a process of its own, its stdout read until it says how
// to stop it; stop() sends SIGINT and waits up to 10 s (then kills it), giving what it printed.
struct ServeProcess {
  pid_t pid = -1;
  int out = -1;
  std::string text;
  bool ended = false;
  int status = 0;

  ServeProcess() {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      execl(binary().c_str(), "salesim", "serve", example().c_str(), "--port", "0", nullptr);
      _exit(127);
    }
    close(fds[1]);
    out = fds[0];
    char buf[512];
    while (text.find("Ctrl-C") == std::string::npos) {
      const ssize_t n = read(out, buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, std::size_t(n));
    }
  }
  int port() const {
    const auto at = text.find("http://127.0.0.1:");
    return at == std::string::npos ? -1 : std::stoi(text.substr(at + 17));
  }
  void stop() {
    kill(pid, SIGINT);
    for (int i = 0; i < 1000 && !ended; ++i) {  // 10 s at most, rather than hang the suite
      ended = waitpid(pid, &status, WNOHANG) == pid;
      if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!ended) kill(pid, SIGKILL), waitpid(pid, &status, 0);
    char buf[512];
    while (const ssize_t n = read(out, buf, sizeof buf)) {
      if (n < 0) break;
      text.append(buf, std::size_t(n));
    }
    close(out);
  }
};

TEST(ServeCommand, PrintsTheUrlWithATokenAndStopsCleanlyOnSigint) {
  ServeProcess serve;
  ASSERT_GT(serve.pid, 0);
  EXPECT_NE(serve.text.find("http://127.0.0.1:"), std::string::npos) << serve.text;
  EXPECT_NE(serve.text.find("/?token="), std::string::npos) << serve.text;
  serve.stop();
  EXPECT_TRUE(serve.ended) << "salesim serve did not stop within 10 s of SIGINT";
  EXPECT_TRUE(WIFEXITED(serve.status) && WEXITSTATUS(serve.status) == 0) << serve.status;
  EXPECT_NE(serve.text.find("Stopped."), std::string::npos) << serve.text;
}

// A client that sends its request a header line a second is never timed out (cpp-httplib times
// each read): it held Ctrl-C for as long as it dripped (13 s in a review). The stop now drops it
// after about two seconds.
TEST(ServeCommand, ADrippingClientDoesNotHoldTheStop) {
  ServeProcess serve;
  ASSERT_GT(serve.pid, 0);
  const int port = serve.port();
  ASSERT_GT(port, 0) << serve.text;
  std::atomic<bool> dripping{true};
  std::thread drip([&] {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      const std::string head = "GET /api/plans HTTP/1.1\r\nHost: x\r\n";
      (void)!write(fd, head.data(), head.size());
      for (int i = 0; i < 30 && dripping; ++i) {  // 15 s of dripping
        (void)!write(fd, "X-a: b\r\n", 8);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
    }
    close(fd);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  serve.stop();
  dripping = false;
  drip.join();
  EXPECT_TRUE(serve.ended) << "salesim serve did not stop within 10 s of SIGINT, a client dripping";
  EXPECT_TRUE(WIFEXITED(serve.status) && WEXITSTATUS(serve.status) == 0) << serve.status;
}

}  // namespace
}  // namespace salesim::test
