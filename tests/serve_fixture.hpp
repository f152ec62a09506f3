#pragma once
// A salesim serve in this process on an ephemeral loopback port, for the Serve* tests: started
// on a thread of its own and waited for until it answers; stopped by stop() or at the end.
#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "test_support.hpp"
#include "tools/cli.hpp"
#include "tools/serve.hpp"

namespace salesim::test {

class LocalServer {
 public:
  // Serves the scenario (the example by default) with o, on port 0 (any free one) and with this
  // token.
  void start(tools::ServeOptions o, const std::string& token, const std::string& file = example()) {
    o.port = 0;
    o.token = token_ = token;
    server_ = std::make_unique<tools::Server>(tools::load_with_seed(file, std::nullopt), o);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    for (int i = 0; i < 200 && !client().Get("/api/plans"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // What Ctrl-C does; returns once the server has stopped.
  void stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }
  ~LocalServer() { stop(); }

  int port() const { return port_; }
  // A client with the token (and the page's client id when one is given).
  httplib::Client client(const std::string& id = "") const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60);
    httplib::Headers h{{"Authorization", "Bearer " + token_}};
    if (!id.empty()) h.emplace("X-Salesim-Client", id);
    c.set_default_headers(h);
    return c;
  }

 private:
  std::unique_ptr<tools::Server> server_;
  std::thread thread_;
  std::string token_;
  int port_ = 0;
};

}  // namespace salesim::test
