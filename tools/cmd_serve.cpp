// `salesim serve`: live what-ifs on one scenario in the browser (tools/serve.hpp).
#include <arpa/inet.h>
#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "sim/distributed.hpp"
#include "tools/cli.hpp"
#include "tools/serve.hpp"

namespace salesim::tools {
namespace {

struct ServeArgs {
  std::string file;
  ServeOptions o;
  bool allow_remote = false;
  std::size_t max_memory_mib = 0;  // --max-memory (0: the memory available at the start)
};

// An address of 127.0.0.0/8 written as one (a name such as 127.example.com may resolve to any
// address), ::1 or localhost.
bool loopback(const std::string& host) {
  in_addr a{};
  if (inet_pton(AF_INET, host.c_str(), &a) == 1) return (ntohl(a.s_addr) >> 24) == 127;
  return host == "localhost" || host == "::1";
}

int serve(ServeArgs a) {
  // Every rank would start a server on the same port: the second could not listen and ended
  // the job after the first had printed its URL.
  if (sim::dist::size() > 1)
    throw BadInput(fmt::format(
        "serve: a local web server runs as one process; start it without mpirun ({} ranks here)",
        sim::dist::size()));
  if (!loopback(a.o.host) && !a.allow_remote)
    throw BadInput(fmt::format(
        "serve: --host {} lets other machines reach the server; add --allow-remote to mean it",
        a.o.host));
  a.o.max_memory = double(a.max_memory_mib) * 1024 * 1024;
  Scenario sc = load_with_seed(a.file, std::nullopt);
  announce(sc);
  // SIGINT and SIGTERM are taken by a thread of their own (blocked here, before the server's
  // threads start, so they inherit the mask), which stops the server cleanly.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Server server(std::move(sc), a.o);
  server.bind();
  if (!loopback(a.o.host))
    std::cerr << fmt::format(
        "salesim: warning: serving on {} (--allow-remote): anyone who can reach this address "
        "and has the URL's token can run the scenario; the traffic is not encrypted\n",
        a.o.host);
  std::cout << fmt::format("Serving {} at\n  {}\nPress Ctrl-C to stop.\n", a.file, server.url())
            << std::flush;
  std::atomic<bool> done{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    // A signal before run() has started listening finds nothing to stop yet: try until it ends.
    // A client that sends its request a line a second is never timed out (cpp-httplib times
    // each read) and held the stop for as long as it dripped: after two seconds the process
    // ends without waiting for it (serve writes no file, so nothing is left half written).
    const auto asked = std::chrono::steady_clock::now();
    while (!done) {
      server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!done && std::chrono::steady_clock::now() - asked > std::chrono::seconds(2)) {
        std::cout << "Stopped (a connection still sending its request was dropped).\n"
                  << std::flush;
        std::_Exit(0);
      }
    }
  });
  server.run();
  done = true;
  // run() also ends when the listening socket fails; the stopper then needs its signal.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  std::cout << "Stopped.\n";
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand(
      "serve", "Move a plan's levers in the browser and see P(goal) and the charts follow");
  cmd->footer(
      "Prints a URL with a random token; every request needs the token. Binds 127.0.0.1 unless\n"
      "--host names another address (which needs --allow-remote). The page runs each change on\n"
      "200 paths first, then on the file's paths, with the file's seed: at full paths the figures\n"
      "equal `salesim run --plans BASELINE,PLAN` exactly. API: GET /api/plans, POST /api/run,\n"
      "POST /api/save, POST /api/cancel (docs/cli.md).\n"
      "Examples:\n"
      "  salesim serve scenarios/nexacorp.yaml\n"
      "  salesim serve scenarios/nexacorp.yaml --port 9000 --lever org.coaching_hours_per_rep "
      "--lever hiring[0].week\n"
      "  salesim serve scenarios/saas-renewals.yaml --currency '$'");
  cmd->add_option("file", a->file, "Scenario file (YAML)")->required();
  cmd->add_option("--port", a->o.port, "Port (default 8765; 0: any free port)")
      ->transform(decimal_whole())
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", a->o.host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--lever", a->o.levers,
                  "A key to offer as a control for every plan that has it, as in sweep's --vary: "
                  "org.coaching_hours_per_rep, hiring[0].week (a plan's own set keys are always "
                  "offered)");
  cmd->add_flag("--allow-remote", a->allow_remote,
                "Allow a --host other machines can reach (prints a warning)");
  cmd->add_option("--currency", a->o.currency,
                  "Currency symbol or code for the page's money figures, as run --currency: "
                  "'$' or EUR (default: none)")
      ->check(currency_text());
  cmd->add_option("--threads", a->o.threads, "Threads per run (default: all)")
      ->transform(decimal_whole())
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--max-memory", a->max_memory_mib,
                  "MiB the runs of all clients may keep at once, by salesim run's estimate "
                  "(default: the memory available when the server starts); a run past it is "
                  "answered 503, busy, until one ends")
      ->transform(whole_count())
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  commands.push_back({cmd, [a] { return serve(*a); }});
}

}  // namespace salesim::tools
