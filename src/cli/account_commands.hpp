#pragma once

// `halsonav user …` and `halsonav token …` (issue 15; docs/SECURITY.md): the operator's account
// commands. They add their own subcommands to the parser (main.cpp would pass 600 lines
// otherwise) and run through App's account use cases as the operator, recorded under the
// operating-system user.

#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

#include "app/app.hpp"

namespace halsonav::cli {

class AccountCommands {
 public:
  // Adds the subcommands `user` and `token` to `cli`.
  explicit AccountCommands(CLI::App& cli);
  ~AccountCommands();
  AccountCommands(const AccountCommands&) = delete;
  AccountCommands& operator=(const AccountCommands&) = delete;

  // The exit code of the account command that was parsed; nullopt when none was.
  std::optional<int> RunParsed(const Caller& caller);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Adds the demo users to a database with the demo plans and prints them with their passwords
// (once); returns the exit code.
int AddDemoUsers(App& app, const Caller& caller);

}  // namespace halsonav::cli
