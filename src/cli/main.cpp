// The `halsonav` command: parses flags into typed configurations and calls the app and server
// layers. Exit codes: 0 success, 1 failure (the message says why), 2 bad usage.

#include <pthread.h>
#include <pwd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/open.hpp"
#include "server/http_server.hpp"

namespace halsonav {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Report(const Error& error) {
  std::cerr << "halsonav: " << error.message << "\n";
  return kExitFailure;
}

// "HOST:PORT" → config; a bad value is a usage error.
bool ParseListen(const std::string& listen, ServerConfig& config) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  config.host = listen.substr(0, colon);
  try {
    std::size_t used = 0;
    const int port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || port < 0 || port > 65535) return false;
    config.port = port;
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

int Serve(const std::string& db, const ServerConfig& config) {
  auto app = OpenApp(DatabaseConfig{db, false, true, config.threads + 2});
  if (!app) return Report(app.error());
  HttpServer server(**app, config);
  auto port = server.Bind();
  if (!port) return Report(port.error());

  // SIGINT and SIGTERM stop the server: a thread waits for them, the others never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    server.Stop();
  });
  std::cout << fmt::format("listening on http://{}:{}", config.host, *port) << std::endl;
  server.Run();
  // Wakes the waiter if the server stopped by itself: SIGTERM is blocked in every thread and
  // only ever taken by sigwait, so it terminates nothing.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  return 0;
}

int Init(const std::string& db, bool demo) {
  auto app = OpenApp(DatabaseConfig{db, true, true, 1});
  if (!app) return Report(app.error());
  std::cout << fmt::format("{}: created with the national framework and classifications", db)
            << std::endl;
  if (demo) {
    // The seeds' documents (Norrbotten, Västmanland, Västerbotten) are loaded by the plan-file
    // importer, which does not exist yet: say so rather than load placeholder content.
    std::cerr << "halsonav: note: the demo frameworks arrive with the plan-file importer; this "
                 "database holds the national content only"
              << std::endl;
  }
  return 0;
}

int Migrate(const std::string& db) {
  auto message = MigrateDatabase(db);
  if (!message) return Report(message.error());
  std::cout << *message << std::endl;
  return 0;
}

int Run(int argc, char** argv) {
  CLI::App cli{"Hälsonav: plan, coordinate and follow up public-health work", "halsonav"};
  cli.set_version_flag("--version", std::string("halsonav ") + HALSONAV_VERSION);
  cli.require_subcommand(0, 1);  // a missing command is reported below, after unknown flags

  std::string db = "halsonav.db";
  std::string listen = "127.0.0.1:8080";
  int threads = ServerConfig{}.threads;
  auto* serve = cli.add_subcommand("serve", "Serve the web application and the API");
  serve->add_option("--db", db, "SQLite database file")->required();
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--threads", threads, "worker threads")
      ->check(CLI::Range(4, 512))
      ->capture_default_str();

  bool demo = false;
  auto* init = cli.add_subcommand("init", "Create a new database");
  init->add_option("--db", db, "SQLite database file to create (must not exist)")->required();
  init->add_flag("--demo", demo, "also load the demo content");

  auto* migrate = cli.add_subcommand("migrate", "Bring a database's schema up to date");
  migrate->add_option("--db", db, "SQLite database file")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return cli.exit(error);  // --help, --version
    std::cerr << "halsonav: " << error.what() << "\n\n" << cli.help();
    return kExitUsage;
  }
  if (serve->parsed()) {
    ServerConfig config;
    config.threads = threads;
    if (!ParseListen(listen, config)) {
      std::cerr << "halsonav: --listen \"" << listen << "\" is not HOST:PORT\n";
      return kExitUsage;
    }
    return Serve(db, config);
  }
  if (init->parsed()) return Init(db, demo);
  if (migrate->parsed()) return Migrate(db);
  std::cerr << "halsonav: a command is required: serve, init or migrate\n\n" << cli.help();
  return kExitUsage;
}

}  // namespace
}  // namespace halsonav

int main(int argc, char** argv) {
  try {
    return halsonav::Run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "halsonav: unexpected error: " << error.what() << "\n";
    return 1;
  }
}
