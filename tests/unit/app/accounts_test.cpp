// Accounts through App (app/accounts.cpp, app/sessions.cpp, app/access.cpp): sessions and their
// time-outs with an injected clock, throttling, tokens, and who may change what.
#include <gtest/gtest.h>

#include "app/app.hpp"
#include "app/passwords.hpp"
#include "test_store.hpp"

namespace halsonav {
namespace {

constexpr const char* kPassword = "ett-langt-losenord-for-test";

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<App>(testing::OpenTestStore(), [this] { return now_; });
    ASSERT_TRUE(app_->EnsureNationalContent());
    region_ = Create(EntityKind::kActor, {{"kind", "region"}, {"name", "Region Norrbotten"}});
    board_ = Create(EntityKind::kActor, {{"kind", "county_administrative_board"},
                                         {"name", "Länsstyrelsen i Norrbotten"}});
  }

  Id Create(EntityKind kind, const Json& body) {
    auto created = app_->Create(kind, body, op_);
    EXPECT_TRUE(created) << body.dump() << ": " << created.error().message;
    return created ? (*created)["id"].get<Id>() : 0;
  }

  Json AddUser(const std::string& name, const std::string& role, Id actor) {
    Json body{{"name", name},
              {"email", name + "@example.org"},
              {"roles", {role}},
              {"password", kPassword}};
    if (actor != 0) body["actor_id"] = actor;
    auto user = app_->AddUser(body, op_);
    EXPECT_TRUE(user) << user.error().message;
    return user ? *user : Json();
  }

  App::SessionGrant SignIn(const std::string& name, const char* password = kPassword) {
    auto grant = app_->SignIn(Json{{"user", name}, {"password", password}}, "10.0.0.1");
    EXPECT_TRUE(grant) << grant.error().message;
    return grant ? *grant : App::SessionGrant{};
  }

  Caller CallerOf(const App::SessionGrant& grant) {
    auto view = app_->ResolveSession(grant.secret, "10.0.0.1");
    EXPECT_TRUE(view && *view);
    return view && *view ? (*view)->caller : Caller{};
  }

  std::string now_ = "2026-12-07T09:00:00Z";
  std::unique_ptr<App> app_;
  Caller op_ = Caller::Operator("drift");
  Id region_ = 0;
  Id board_ = 0;
};

TEST_F(AccountsTest, SessionsEndWhenIdleAndAfterTwelveHours) {
  AddUser("anna", "reader", 0);
  const auto grant = SignIn("anna");
  EXPECT_EQ(grant.session["roles"], Json::array({"reader"}));
  EXPECT_EQ(grant.session["expires_at"], "2026-12-07T21:00:00Z");
  // Used every 29 minutes, it lives on ...
  for (const char* at : {"2026-12-07T09:29:00Z", "2026-12-07T09:58:00Z", "2026-12-07T10:27:00Z"}) {
    now_ = at;
    auto view = app_->ResolveSession(grant.secret, "10.0.0.1");
    ASSERT_TRUE(view && *view) << at;
    EXPECT_EQ((*view)->caller.user, "anna");
    EXPECT_TRUE((*view)->session.is_null()) << "only GET /session needs its body";
  }
  auto described = app_->ResolveSession(grant.secret, "10.0.0.1", true);
  ASSERT_TRUE(described && *described);
  EXPECT_EQ((*described)->session["user"]["name"], "anna");
  EXPECT_EQ((*described)->session["csrf_token"], (*described)->csrf_token);
  // ... but not 30 idle minutes.
  now_ = "2026-12-07T10:57:00Z";
  EXPECT_FALSE(*app_->ResolveSession(grant.secret, "10.0.0.1"));

  // Never past 12 hours, however busy.
  now_ = "2026-12-07T09:00:00Z";
  const auto busy = SignIn("anna");
  for (int minutes = 20; minutes < 12 * 60; minutes += 20) {
    now_ = *secrets::ShiftUtc("2026-12-07T09:00:00Z", minutes * 60);
    ASSERT_TRUE(*app_->ResolveSession(busy.secret, "10.0.0.1")) << now_;
  }
  now_ = "2026-12-07T21:00:00Z";
  EXPECT_FALSE(*app_->ResolveSession(busy.secret, "10.0.0.1"));
  EXPECT_FALSE(*app_->ResolveSession("not-a-session", "10.0.0.1"));
}

TEST_F(AccountsTest, ThrottlingGrowsAndHoldsBackOnlyThatAddress) {
  AddUser("anna", "reader", 0);
  const Json wrong{{"user", "anna"}, {"password", "fel-losenord-igen"}};
  for (int i = 0; i < 5; ++i) {
    auto failed = app_->SignIn(wrong, "10.0.0.9");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kUnauthenticated);
  }
  auto held = app_->SignIn(Json{{"user", "anna"}, {"password", kPassword}}, "10.0.0.9");
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(held.error().details["retry_after"], 2);
  // Another address is not held back: no lock-out an attacker can cause.
  EXPECT_TRUE(app_->SignIn(Json{{"user", "anna"}, {"password", kPassword}}, "10.0.0.1"));
  // The delay passes; one more failure doubles it.
  now_ = "2026-12-07T09:00:02Z";
  ASSERT_FALSE(app_->SignIn(wrong, "10.0.0.9"));
  auto longer = app_->SignIn(wrong, "10.0.0.9");
  ASSERT_FALSE(longer);
  EXPECT_EQ(longer.error().details["retry_after"], 4);
  // After the delay the right password signs in and clears the count.
  now_ = "2026-12-07T09:00:06Z";
  EXPECT_TRUE(app_->SignIn(Json{{"user", "anna"}, {"password", kPassword}}, "10.0.0.9"));
  EXPECT_EQ(app_->SignIn(wrong, "10.0.0.9").error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, EditorsReachTheirOwnMeasuresOnly) {
  const Id plan =
      Create(EntityKind::kFramework,
             {{"kind", "action_plan"},
              {"title", "Handlingsplan 2018–2022"},
              {"owner_actor_id", region_},
              {"node_kinds", {{{"key", "group"}, {"label", "Grupp"}, {"root", true}}}}});
  const Id group = Create(EntityKind::kNode, {{"framework_id", plan},
                                              {"kind", "group"},
                                              {"code", "7"},
                                              {"title", "Minskat riskbruk av alkohol"}});
  const Id shared = Create(EntityKind::kMeasure,
                           {{"node_id", group},
                            {"code", "7 A"},
                            {"text", "Stödja kommuner"},
                            {"responsible", {{{"actor_id", board_}}, {{"actor_id", region_}}}}});
  const Id regions = Create(EntityKind::kMeasure, {{"node_id", group},
                                                   {"code", "3 A"},
                                                   {"text", "Underlätta för folkhögskolor"},
                                                   {"responsible", {{{"actor_id", region_}}}}});
  AddUser("redaktor", "editor", board_);
  AddUser("samordnare", "coordinator", region_);
  const Caller editor = CallerOf(SignIn("redaktor"));
  const Caller coordinator = CallerOf(SignIn("samordnare"));

  EXPECT_TRUE(
      app_->Update(EntityKind::kMeasure, shared, {{"version", 1}, {"status", "done"}}, editor));
  auto other =
      app_->Update(EntityKind::kMeasure, regions, {{"version", 1}, {"status", "done"}}, editor);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kForbidden);
  // Handing the measure to Region Norrbotten alone would leave the editor's reach: refused.
  auto away = app_->Update(EntityKind::kMeasure, shared,
                           {{"version", 2}, {"responsible", {{{"actor_id", region_}}}}}, editor);
  ASSERT_FALSE(away);
  EXPECT_EQ(away.error().code, ErrorCode::kForbidden);
  EXPECT_FALSE(app_->Delete(EntityKind::kMeasure, shared, std::nullopt, editor));
  // The coordinator of the owner reaches every measure of the plan, and may delete.
  EXPECT_TRUE(app_->Update(EntityKind::kMeasure, regions, {{"version", 1}, {"status", "paused"}},
                           coordinator));
  EXPECT_TRUE(app_->Delete(EntityKind::kMeasure, regions, std::nullopt, coordinator));
  // Nobody who is not signed in changes anything.
  auto anonymous =
      app_->Update(EntityKind::kMeasure, shared, {{"version", 2}}, Caller::Anonymous());
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().code, ErrorCode::kUnauthenticated);
  // The history names the signed-in user.
  auto history = app_->History(HistoryFilter{"measure", shared}, {}, editor);
  ASSERT_TRUE(history);
  EXPECT_EQ((*history)["items"][0]["user"], "redaktor");
}

TEST_F(AccountsTest, TokensActAsTheirUserUntilRevokedOrExpired) {
  AddUser("analytiker", "analyst", 0);
  const Caller analyst = CallerOf(SignIn("analytiker"));
  auto token = app_->CreateToken(Json{{"name", "skript"}, {"expires_in_days", 1}}, analyst);
  ASSERT_TRUE(token) << token.error().message;
  const auto secret = (*token)["token"].get<std::string>();
  auto caller = app_->ResolveToken(secret, "10.0.0.2");
  ASSERT_TRUE(caller && *caller);
  EXPECT_EQ((*caller)->user, "analytiker");
  EXPECT_TRUE((*caller)->Has(Role::kAnalyst));
  EXPECT_FALSE((*caller)->Has(Role::kEditor));
  now_ = "2026-12-08T09:00:00Z";  // a day later: expired
  EXPECT_FALSE(*app_->ResolveToken(secret, "10.0.0.2"));
  now_ = "2026-12-07T10:00:00Z";
  ASSERT_TRUE(app_->RevokeToken((*token)["id"], analyst));
  EXPECT_FALSE(*app_->ResolveToken(secret, "10.0.0.2"));
  EXPECT_FALSE(*app_->ResolveToken("hn_unknown", "10.0.0.2"));
}

TEST_F(AccountsTest, DisablingAndResettingEndSessions) {
  const Json user = AddUser("anna", "editor", board_);
  const auto grant = SignIn("anna");
  auto reset = app_->ResetPassword(user["id"], op_);
  ASSERT_TRUE(reset);
  EXPECT_FALSE(*app_->ResolveSession(grant.secret, "10.0.0.1"));
  // With the new password the session may only change the password.
  const auto fresh = SignIn("anna", (*reset)["password"].get<std::string>().c_str());
  const Caller limited = CallerOf(fresh);
  EXPECT_TRUE(limited.roles.Empty());
  ASSERT_TRUE(app_->ChangeOwnPassword(
      Json{{"current_password", (*reset)["password"]}, {"new_password", "ett-helt-nytt-losenord"}},
      limited, fresh.secret));
  EXPECT_TRUE(CallerOf(fresh).Has(Role::kEditor));
  auto disabled = app_->UpdateUser(user["id"], Json{{"version", 3}, {"disabled", true}}, op_);
  ASSERT_TRUE(disabled) << disabled.error().message;
  EXPECT_FALSE(*app_->ResolveSession(fresh.secret, "10.0.0.1"));
  EXPECT_EQ(app_->SignIn(Json{{"user", "anna"}, {"password", "ett-helt-nytt-losenord"}}, "10.0.0.1")
                .error()
                .code,
            ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace halsonav
