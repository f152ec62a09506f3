#pragma once
// `salesim serve`: a local web server for live what-ifs on one scenario (docs/cli.md, "salesim
// serve"). The page (tools/serve_page.cpp) moves a plan's levers and shows the report's
// sections for each answer; the API runs the plan beside the baseline with the file's seed:
//   GET  /api/plans   the plans and the levers each may move, with their ranges and the
//                     report's plain words for each key
//   POST /api/run     {"plan": NAME, "set": {KEY: VALUE}, "paths": N} -> the `salesim run
//                     --json` summary of the baseline and that plan
//   POST /api/save    {"plan", "set", "name"} -> the scenario with the what-if as a new plan
//                     whose description says what changed (YAML, as a download)
// A value a lever does not take is 400 with the loader's message, the key and the problem in
// the report's plain words. Every request needs the token (Authorization: Bearer TOKEN or
// ?token=); bodies and request rates are limited; a client's new run cancels its run still
// going; the runs of all clients together keep at most the memory budget.
#include <memory>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace salesim::tools {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8765;                   // 0: any free port
  std::vector<std::string> levers;   // --lever keys, offered for every plan that has them
  std::string token;                 // "": a random one
  int threads = 0;                   // per run (0: all)
  std::string currency;              // before money figures, as run --currency ("": neutral)
  std::size_t max_body = 16 * 1024;  // bytes of a request body (larger: 413)
  std::size_t max_paths = 200000;    // paths a run may ask for
  double requests_per_second = 20;   // per client, with bursts of twice that (more: 429)
  double max_seconds = 600;          // a run's estimated time (salesim run's estimate; more: 400)
  // Bytes the runs going may keep at once, by salesim run's estimate (more: 503 until one ends);
  // 0: the memory available (MemAvailable) when the server starts.
  double max_memory = 0;
};

class Server {
 public:
  // Checks the --lever keys against the plans (BadInput when a key fits none).
  Server(Scenario sc, ServeOptions o);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the address; returns the port (BadInput when it cannot be bound).
  int bind();
  // Serves until stop() (from any thread), which also cancels the runs going.
  void run();
  void stop();
  const std::string& token() const;
  std::string url() const;  // http://HOST:PORT/?token=TOKEN

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The page: self-contained HTML (nothing from the network) that talks to the API.
std::string serve_page(const std::string& title);

}  // namespace salesim::tools
