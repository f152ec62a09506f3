// salesim serve (tools/serve.hpp) walked as a careless user and a hostile client would: stopping
// while a run goes, runs that would take hours, typos and wrong types in the body, numbers past
// a key's range, wrong methods, broken HTTP, and --host names that only look local. Each server
// is in-process on an ephemeral loopback port and stopped by the fixture.
#include <httplib.h>

#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "models/plan_edit.hpp"
#include "serve_fixture.hpp"

namespace salesim::test {
namespace {

using nlohmann::json;
constexpr const char* kToken = "hostile-token-0123456789";

struct ServeHostile : ::testing::Test {
  LocalServer local;

  void start(tools::ServeOptions o = {}) {
    o.threads = 1;
    o.requests_per_second = 1000;
    local.start(o, kToken);
  }
  httplib::Client client() const { return local.client(); }
  httplib::Result post(const std::string& path, const json& body) {
    return client().Post(path, body.dump(), "application/json");
  }
  // The answer's status and its error message ("" when there is none).
  std::pair<int, std::string> answer(const httplib::Result& r) {
    if (!r) return {-1, "no answer: " + httplib::to_string(r.error())};
    const json j = json::parse(r->body, nullptr, false);
    return {r->status, j.is_object() && j.contains("error") ? j["error"].get<std::string>() : ""};
  }
};

// stop() (what Ctrl-C calls) used to wait for every run going to finish: minutes, or hours.
TEST_F(ServeHostile, StoppingEndsTheRunsGoingAtOnce) {
  start();
  auto slow = std::async(std::launch::async, [&] {  // about 15 s on one thread
    return answer(post("/api/run", {{"plan", "push-activity"}, {"paths", 20000}}));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto t0 = std::chrono::steady_clock::now();
  local.stop();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(seconds, 3) << "the server took " << seconds << " s to stop";
  const auto [status, error] = slow.get();
  EXPECT_EQ(status, 503) << error;
  EXPECT_NE(error.find("stopping"), std::string::npos) << error;
}

// A run estimated past max_seconds is refused up front, saying how many paths would fit; one
// within it runs.
TEST_F(ServeHostile, ARunEstimatedToTakeTooLongIsRefusedUpFront) {
  tools::ServeOptions o;
  o.max_seconds = 1;
  start(o);
  const auto t0 = std::chrono::steady_clock::now();
  const auto [status, error] =
      answer(post("/api/run", {{"plan", "push-activity"}, {"paths", 20000}}));
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2);
  EXPECT_EQ(status, 400) << error;
  EXPECT_NE(error.find("the server runs at most"), std::string::npos) << error;
  EXPECT_NE(error.find("ask for at most"), std::string::npos) << error;
  EXPECT_EQ(answer(post("/api/run", {{"plan", "push-activity"}, {"paths", 100}})).first, 200);
}

TEST_F(ServeHostile, ChartsThatAreNotABooleanAre400NotAServerError) {
  start();
  const auto [status, error] =
      answer(post("/api/run", {{"plan", "push-activity"}, {"paths", 10}, {"charts", "yes"}}));
  EXPECT_EQ(status, 400) << error;
  EXPECT_NE(error.find("\"charts\": expected true or false, got \"yes\""), std::string::npos)
      << error;
}

// A typo such as "path" was ignored: the answer came at the file's paths, as if asked for.
TEST_F(ServeHostile, UnknownKeysOfTheBodyAre400WithASuggestion) {
  start();
  auto [status, error] = answer(post("/api/run", {{"plan", "push-activity"}, {"path", 30}}));
  EXPECT_EQ(status, 400) << error;
  EXPECT_NE(error.find("unknown key \"path\" (did you mean \"paths\"?)"), std::string::npos)
      << error;
  std::tie(status, error) =
      answer(post("/api/save", {{"plan", "push-activity"}, {"nme", "x"}, {"name", "y"}}));
  EXPECT_EQ(status, 400) << error;
  EXPECT_NE(error.find("unknown key \"nme\""), std::string::npos) << error;
}

// 1e308 hires used to be reported as "found -9223372036854775808" (the edit's rounding
// overflowed).
TEST_F(ServeHostile, AWholeNumberPastTheKeysRangeIsNamedAsSent) {
  start();
  for (const double v : {1e308, -1e308, 9.3e18}) {
    const auto [status, error] = answer(post(
        "/api/run", {{"plan", "push-activity"}, {"paths", 10}, {"set", {{"hiring[0].count", v}}}}));
    EXPECT_EQ(status, 400) << error;
    EXPECT_NE(error.find("set.hiring[0].count: expected a whole number from 0 to 100000, got " +
                         json(v).dump()),
              std::string::npos)
        << error;
    EXPECT_EQ(error.find("9223372036854775808"), std::string::npos) << error;
  }
}

// 300.0 and 1e2 are whole numbers: they were refused as "expected a whole number".
TEST_F(ServeHostile, PathsWrittenAsAWholeFloatAreTaken) {
  start();
  for (const char* body :
       {R"({"plan":"push-activity","paths":300.0})", R"({"plan":"push-activity","paths":1e2})"}) {
    const auto r = client().Post("/api/run", body, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << body << ": " << r->body.substr(0, 300);
  }
  EXPECT_EQ(answer(client().Post("/api/run", R"({"plan":"push-activity","paths":2.5})",
                                 "application/json"))
                .first,
            400);
}

// GET /api/run said "no such page: /api/run".
TEST_F(ServeHostile, ARouteAskedWithAnotherMethodIs405NamingTheMethod) {
  start();
  auto r = client().Get("/api/run");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "POST");
  EXPECT_NE(r->body.find("/api/run takes POST, not GET"), std::string::npos) << r->body;
  r = client().Post("/api/plans", "{}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_NE(r->body.find("/api/plans takes GET, not POST"), std::string::npos) << r->body;
  EXPECT_EQ(client().Get("/api/nothing")->status, 404);
}

// They said "HTTP 414" and "HTTP 400".
TEST_F(ServeHostile, BrokenHttpIsAnsweredInWords) {
  start();
  auto r = client().Get("/api/plans?x=" + std::string(20000, 'a'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 414);
  EXPECT_NE(r->body.find("the URL is longer than"), std::string::npos) << r->body;
  r = client().Get("/api/plans", {{"X-Big", std::string(20000, 'a')}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("not valid HTTP"), std::string::npos) << r->body;
}

// Text echoed from a request that is not UTF-8 (a path with %FF, a plan name with such bytes)
// threw while the answer was written, in the error handler, and ended the server.
TEST_F(ServeHostile, BytesThatAreNotUtf8AreEchoedReplacedAndTheServerGoesOn) {
  start();
  auto r = client().Get("/api/%FF");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("no such page: /api/\xEF\xBF\xBD"), std::string::npos) << r->body;
  r = client().Post("/api/run", std::string("{\"plan\": \"\xff\xfe\"}"), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status / 100, 4) << r->body;
  r = client().Get("/api/plans");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

// Each run was checked alone against the memory available, so clients running at once could
// together take more. With a budget of one 20,000-path run and half a 100-path one, a second
// client's run waits (503, busy) while the first goes and runs once it has ended; a run alone
// past the budget is 400.
TEST_F(ServeHostile, RunsOfSeveralClientsKeepAtMostTheMemoryBudget) {
  const Scenario variant = scenario_with_baseline_and_plan_values(
      tools::load_with_seed(example(), std::nullopt), "push-activity", {});
  const auto need = [&](std::size_t paths) {
    return tools::run_memory_bytes(variant, paths, 2) + tools::team_memory_bytes(variant, 2);
  };
  tools::ServeOptions o;
  o.max_memory = need(20000) + 0.5 * need(100);
  start(o);
  const auto post_as = [&](const std::string& id, std::size_t paths) {
    return answer(local.client(id).Post(
        "/api/run", json{{"plan", "push-activity"}, {"paths", paths}}.dump(), "application/json"));
  };
  EXPECT_EQ(post_as("b", 40000).first, 400);
  auto slow = std::async(std::launch::async, [&] { return post_as("a", 20000); });  // ~15 s
  // The slow run takes its share within milliseconds; a probe before it would make it the one
  // refused, so the probes start a second later (and go on while the share is not yet taken).
  std::this_thread::sleep_for(std::chrono::seconds(1));
  std::pair<int, std::string> second{200, ""};
  const auto t0 = std::chrono::steady_clock::now();
  while (second.first == 200 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10))
    second = post_as("b", 100);  // until the slow run holds its share
  EXPECT_EQ(second.first, 503) << second.second;
  EXPECT_NE(second.second.find("busy"), std::string::npos) << second.second;
  EXPECT_NE(second.second.find("try again"), std::string::npos) << second.second;
  EXPECT_EQ(post_as("a", 100).first, 200);  // replaces the slow run, which ends
  const auto [slow_status, slow_error] = slow.get();
  EXPECT_EQ(slow_status, 409) << slow_error;
  EXPECT_EQ(post_as("b", 100).first, 200) << "the ended runs' memory was not given back";
}

// "127.example.invalid" was taken for a loopback address (it starts with "127.").
TEST(ServeHostileCommand, AHostNameThatStartsWith127NeedsAllowRemote) {
  std::string out;
  EXPECT_EQ(shell(binary() + " serve " + example() + " --host 127.example.invalid --port 0", &out),
            2);
  EXPECT_NE(out.find("--allow-remote"), std::string::npos) << out;
}

}  // namespace
}  // namespace salesim::test
