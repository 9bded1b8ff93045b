#include "cli/account_commands.hpp"

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/open.hpp"
#include "cli/db_option.hpp"

namespace halsonav::cli {
namespace {

constexpr int kExitFailure = 1;

int Fail(const Error& error) {
  std::cerr << "halsonav: " << error.message << "\n";
  return kExitFailure;
}

Json RolesJson(const std::string& roles) {
  Json list = Json::array();
  std::string item;
  for (const char c : roles + ",") {
    if (c == ',') {
      if (!item.empty()) list.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  return list;
}

std::string UserLine(const Json& user) {
  std::vector<std::string> roles = user.at("roles").get<std::vector<std::string>>();
  return fmt::format("{:>4}  {:<24} {:<32} {:<28} {}{}", user.at("id").get<Id>(),
                     user.at("name").get<std::string>(), user.at("email").get<std::string>(),
                     fmt::format("{}", fmt::join(roles, ",")),
                     user.at("actor_id").is_null()
                         ? std::string("-")
                         : fmt::format("actor {}", user.at("actor_id").get<Id>()),
                     user.at("disabled").get<bool>() ? "  (disabled)" : "");
}

// A password from standard input (its first line), or nullopt to have one generated.
std::optional<std::string> PasswordFromStdin(bool read) {
  if (!read) return std::nullopt;
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The id of a user named by name or e-mail.
Result<Json> FindUser(App& app, const std::string& login, const Caller& caller) {
  auto users = app.ListUsers(caller);
  if (!users) return tl::unexpected(users.error());
  for (const auto& user : users->at("items")) {
    if (user.at("name").get<std::string>() == login ||
        user.at("email").get<std::string>() == login) {
      return user;
    }
  }
  return halsonav::Fail(ErrorCode::kNotFound, fmt::format("no user \"{}\"", login));
}

}  // namespace

struct AccountCommands::State {
  std::string db;
  std::string name;
  std::string email;
  std::string roles;
  Id actor_id = 0;
  bool password_stdin = false;
  bool enable = false;
  std::string token_name;
  std::int64_t days = 365;
  Id token_id = 0;
  CLI::App* user_add = nullptr;
  CLI::App* user_list = nullptr;
  CLI::App* user_set_roles = nullptr;
  CLI::App* user_disable = nullptr;
  CLI::App* user_reset = nullptr;
  CLI::App* token_create = nullptr;
  CLI::App* token_list = nullptr;
  CLI::App* token_revoke = nullptr;
};

AccountCommands::AccountCommands(CLI::App& cli) : state_(std::make_unique<State>()) {
  State& s = *state_;
  auto* user = cli.add_subcommand("user", "Manage user accounts (docs/SECURITY.md)");
  user->require_subcommand(1);
  const auto with_db = [&](CLI::App* command) {
    AddDbOption(command, s.db);
    return command;
  };
  s.user_add = with_db(user->add_subcommand("add", "Add a user; prints a generated password once"));
  s.user_add->add_option("NAME", s.name, "the user's name (what they sign in with)")->required();
  s.user_add->add_option("--email", s.email, "e-mail address")->required();
  s.user_add
      ->add_option("--role", s.roles,
                   "admin, coordinator, editor, analyst, reader (comma-separated)")
      ->required();
  s.user_add->add_option("--actor", s.actor_id, "the organisation (actor id) the user acts for");
  s.user_add->add_flag("--password-stdin", s.password_stdin,
                       "read the password from standard input instead of generating one");
  s.user_list = with_db(user->add_subcommand("list", "List the users"));
  s.user_set_roles = with_db(user->add_subcommand("set-roles", "Replace a user's roles"));
  s.user_set_roles->add_option("NAME", s.name, "name or e-mail")->required();
  s.user_set_roles->add_option("--role", s.roles, "the new roles (comma-separated)")->required();
  s.user_set_roles->add_option("--actor", s.actor_id, "also change the organisation (actor id)");
  s.user_disable =
      with_db(user->add_subcommand("disable", "Disable a user and end their sessions"));
  s.user_disable->add_option("NAME", s.name, "name or e-mail")->required();
  s.user_disable->add_flag("--enable", s.enable, "enable the user again instead");
  s.user_reset = with_db(user->add_subcommand(
      "reset-password", "Give a user a new generated password, to change at the next sign-in"));
  s.user_reset->add_option("NAME", s.name, "name or e-mail")->required();

  auto* token = cli.add_subcommand("token", "Manage personal API tokens");
  token->require_subcommand(1);
  s.token_create = with_db(token->add_subcommand("create", "Create a token; prints it once"));
  s.token_create->add_option("--user", s.name, "the user the token acts as")->required();
  s.token_create->add_option("--name", s.token_name, "what the token is for")->required();
  s.token_create->add_option("--days", s.days, "days until it expires (1–3650)")
      ->capture_default_str();
  s.token_list = with_db(token->add_subcommand("list", "List a user's tokens"));
  s.token_list->add_option("--user", s.name, "the user")->required();
  s.token_revoke = with_db(token->add_subcommand("revoke", "Revoke a token"));
  s.token_revoke->add_option("ID", s.token_id, "the token's id (token list)")->required();
}

AccountCommands::~AccountCommands() = default;

std::optional<int> AccountCommands::RunParsed(const Caller& caller) {
  State& s = *state_;
  const std::vector<CLI::App*> commands = {s.user_add,     s.user_list,   s.user_set_roles,
                                           s.user_disable, s.user_reset,  s.token_create,
                                           s.token_list,   s.token_revoke};
  CLI::App* parsed = nullptr;
  for (auto* command : commands) {
    if (command->parsed()) parsed = command;
  }
  if (parsed == nullptr) return std::nullopt;
  auto app = OpenApp(DatabaseConfig{s.db, false, true, 1});
  if (!app) return Fail(app.error());
  const bool token = parsed == s.token_create || parsed == s.token_list || parsed == s.token_revoke;
  return token ? RunToken(**app, parsed, caller) : RunUser(**app, parsed, caller);
}

int AccountCommands::RunUser(App& app, CLI::App* parsed, const Caller& caller) {
  State& s = *state_;
  if (parsed == s.user_add) {
    Json body{{"name", s.name}, {"email", s.email}, {"roles", RolesJson(s.roles)}};
    if (s.actor_id != 0) body["actor_id"] = s.actor_id;
    if (auto password = PasswordFromStdin(s.password_stdin)) body["password"] = *password;
    auto added = app.AddUser(body, caller);
    if (!added) return Fail(added.error());
    std::cout << "added " << UserLine(*added) << "\n";
    if (added->contains("password")) {
      std::cout << "password (shown once): " << added->at("password").get<std::string>() << "\n";
    }
    return 0;
  }
  if (parsed == s.user_list) {
    auto users = app.ListUsers(caller);
    if (!users) return Fail(users.error());
    for (const auto& user : users->at("items")) std::cout << UserLine(user) << "\n";
    return 0;
  }
  auto user = FindUser(app, s.name, caller);
  if (!user) return Fail(user.error());
  const Id id = user->at("id").get<Id>();
  if (parsed == s.user_reset) {
    auto reset = app.ResetPassword(id, caller);
    if (!reset) return Fail(reset.error());
    std::cout << fmt::format("{}: new password (shown once, to be changed at sign-in): {}\n",
                             s.name, reset->at("password").get<std::string>());
    return 0;
  }
  Json patch{{"version", user->at("version")}};
  if (parsed == s.user_set_roles) {
    patch["roles"] = RolesJson(s.roles);
    if (s.actor_id != 0) patch["actor_id"] = s.actor_id;
  } else {
    patch["disabled"] = !s.enable;
  }
  auto changed = app.UpdateUser(id, patch, caller);
  if (!changed) return Fail(changed.error());
  std::cout << "changed " << UserLine(*changed) << "\n";
  return 0;
}

int AccountCommands::RunToken(App& app, CLI::App* parsed, const Caller& caller) {
  State& s = *state_;
  if (parsed == s.token_revoke) {
    auto revoked = app.RevokeToken(s.token_id, caller);
    if (!revoked) return Fail(revoked.error());
    std::cout << fmt::format("token {} \"{}\" revoked\n", s.token_id,
                             revoked->at("name").get<std::string>());
    return 0;
  }
  if (parsed == s.token_create) {
    auto token = app.CreateToken(
        Json{{"name", s.token_name}, {"expires_in_days", s.days}, {"user", s.name}}, caller);
    if (!token) return Fail(token.error());
    std::cout << fmt::format("token {} \"{}\" for {}, expires {}\n", token->at("id").get<Id>(),
                             s.token_name, s.name, token->at("expires_at").get<std::string>())
              << "token (shown once): " << token->at("token").get<std::string>() << "\n";
    return 0;
  }
  auto tokens = app.ListTokens(s.name, caller);
  if (!tokens) return Fail(tokens.error());
  const auto or_never = [](const Json& value) {
    return value.is_null() ? std::string("never") : value.get<std::string>();
  };
  for (const auto& token : tokens->at("items")) {
    std::cout << fmt::format("{:>4}  {:<24} {}…  expires {}  last used {}{}\n",
                             token.at("id").get<Id>(), token.at("name").get<std::string>(),
                             token.at("prefix").get<std::string>(),
                             or_never(token.at("expires_at")), or_never(token.at("last_used_at")),
                             token.at("revoked").get<bool>() ? "  (revoked)" : "");
  }
  return 0;
}

int AddDemoUsers(App& app, const Caller& caller) {
  auto users = app.AddDemoUsers(caller);
  if (!users) return Fail(users.error());
  std::cout << "demo users (passwords shown once; sign in at /logga-in):\n";
  for (const auto& user : *users) {
    std::cout << fmt::format("  {:<24} {:<40} {}\n", user.at("name").get<std::string>(),
                             user.at("description").get<std::string>(),
                             user.at("password").get<std::string>());
  }
  return 0;
}

}  // namespace halsonav::cli
