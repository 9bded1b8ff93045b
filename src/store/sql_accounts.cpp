// Accounts: users, sessions, API tokens, sign-in failures and the audit log
// (store/account_records.hpp).

#include "store/sql_rows.hpp"
#include "store/sql_transaction.hpp"

namespace halsonav {
namespace {

using sql::Column;

const std::string kUserColumns =
    "id, name, email, password_hash, actor_id, roles, disabled, must_change_password, version, "
    "created_at, updated_at";
const std::vector<Column> kUserTypes = {Column::kInt, Column::kText, Column::kText, Column::kText,
                                        Column::kInt, Column::kText, Column::kInt,  Column::kInt,
                                        Column::kInt, Column::kText, Column::kText};

UserRecord ReadUser(const sql::Row& row) {
  return UserRecord{row.Int(0),  row.Text(1), row.Text(2), row.Text(3), row.OptInt(4).value_or(0),
                    row.Text(5), row.Bool(6), row.Bool(7), row.Int(8),  row.Text(9),
                    row.Text(10)};
}

std::optional<std::int64_t> ActorParam(Id actor_id) {
  if (actor_id == 0) return std::nullopt;
  return actor_id;
}

const std::string kTokenColumns =
    "id, user_id, name, token_hash, prefix, created_at, expires_at, last_used_at, revoked";
const std::vector<Column> kTokenTypes = {Column::kInt,  Column::kInt,  Column::kText,
                                         Column::kText, Column::kText, Column::kText,
                                         Column::kText, Column::kText, Column::kInt};

ApiTokenRecord ReadToken(const sql::Row& row) {
  return ApiTokenRecord{row.Int(0),  row.Int(1),  row.Text(2), row.Text(3), row.Text(4),
                        row.Text(5), row.Text(6), row.Text(7), row.Bool(8)};
}

// Runs a DELETE … RETURNING 1 and counts the rows it removed.
std::int64_t CountDeleted(sql::Query query) {
  std::int64_t removed = 0;
  query.Sql(" RETURNING 1").ForEach({Column::kInt}, [&](const sql::Row&) { ++removed; });
  return removed;
}

}  // namespace

Result<Id> SqlTransaction::Insert(const UserRecord& user) {
  auto query = Q("INSERT INTO app_user (" + kUserColumns.substr(4) + ") VALUES (");
  query.Param(user.name).Sql(", ").Param(user.email).Sql(", ").Param(user.password_hash);
  query.Sql(", ").Param(ActorParam(user.actor_id)).Sql(", ").Param(user.roles).Sql(", ");
  query.Param(user.disabled).Sql(", ").Param(user.must_change_password).Sql(", ");
  query.Param(user.version).Sql(", ").Param(user.created_at).Sql(", ").Param(user.updated_at);
  return *query.Sql(") RETURNING id").ScalarInt();
}

Result<void> SqlTransaction::Update(const UserRecord& user) {
  auto query = Q("UPDATE app_user SET name = ");
  query.Param(user.name).Sql(", email = ").Param(user.email).Sql(", password_hash = ");
  query.Param(user.password_hash).Sql(", actor_id = ").Param(ActorParam(user.actor_id));
  query.Sql(", roles = ").Param(user.roles).Sql(", disabled = ").Param(user.disabled);
  query.Sql(", must_change_password = ").Param(user.must_change_password);
  query.Sql(", version = version + 1, updated_at = ").Param(user.updated_at);
  query.Sql(" WHERE id = ").Param(user.id).Execute();
  return {};
}

Result<std::optional<UserRecord>> SqlTransaction::FindUser(Id id) {
  std::optional<UserRecord> found;
  Q("SELECT " + kUserColumns + " FROM app_user WHERE id = ")
      .Param(id)
      .ForEach(kUserTypes, [&](const sql::Row& row) { found = ReadUser(row); });
  return found;
}

Result<std::optional<UserRecord>> SqlTransaction::FindUserByLogin(const std::string& login) {
  std::optional<UserRecord> found;
  auto query = Q("SELECT " + kUserColumns + " FROM app_user WHERE lower(name) = lower(");
  query.Param(login).Sql(") OR lower(email) = lower(").Param(login).Sql(") ORDER BY id LIMIT 1");
  query.ForEach(kUserTypes, [&](const sql::Row& row) { found = ReadUser(row); });
  return found;
}

Result<std::vector<UserRecord>> SqlTransaction::Users() {
  std::vector<UserRecord> users;
  Q("SELECT " + kUserColumns + " FROM app_user ORDER BY lower(name), id")
      .ForEach(kUserTypes, [&](const sql::Row& row) { users.push_back(ReadUser(row)); });
  return users;
}

Result<std::int64_t> SqlTransaction::CountUsers() {
  return Q("SELECT count(*) FROM app_user").ScalarInt().value_or(0);
}

Result<void> SqlTransaction::Insert(const SessionRecord& session) {
  auto query =
      Q("INSERT INTO user_session (id_hash, user_id, csrf_token, created_at, "
        "last_seen_at, address) VALUES (");
  query.Param(session.id_hash).Sql(", ").Param(session.user_id).Sql(", ");
  query.Param(session.csrf_token).Sql(", ").Param(session.created_at).Sql(", ");
  query.Param(session.last_seen_at).Sql(", ").Param(session.address).Sql(")").Execute();
  return {};
}

Result<std::optional<SessionRecord>> SqlTransaction::FindSession(const std::string& id_hash) {
  std::optional<SessionRecord> found;
  Q("SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, address FROM user_session "
    "WHERE id_hash = ")
      .Param(id_hash)
      .ForEach(
          {Column::kText, Column::kInt, Column::kText, Column::kText, Column::kText, Column::kText},
          [&](const sql::Row& row) {
            found = SessionRecord{row.Text(0), row.Int(1),  row.Text(2),
                                  row.Text(3), row.Text(4), row.Text(5)};
          });
  return found;
}

Result<void> SqlTransaction::TouchSession(const std::string& id_hash, const std::string& at) {
  Q("UPDATE user_session SET last_seen_at = ")
      .Param(at)
      .Sql(" WHERE id_hash = ")
      .Param(id_hash)
      .Execute();
  return {};
}

Result<void> SqlTransaction::DeleteSession(const std::string& id_hash) {
  Q("DELETE FROM user_session WHERE id_hash = ").Param(id_hash).Execute();
  return {};
}

Result<std::int64_t> SqlTransaction::DeleteSessions(Id user_id) {
  auto query = Q("DELETE FROM user_session WHERE user_id = ");
  query.Param(user_id);
  return CountDeleted(std::move(query));
}

Result<std::int64_t> SqlTransaction::DeleteExpiredSessions(const std::string& created_before,
                                                           const std::string& seen_before) {
  auto query = Q("DELETE FROM user_session WHERE created_at < ");
  query.Param(created_before).Sql(" OR last_seen_at < ").Param(seen_before);
  return CountDeleted(std::move(query));
}

Result<Id> SqlTransaction::Insert(const ApiTokenRecord& token) {
  auto query = Q("INSERT INTO api_token (" + kTokenColumns.substr(4) + ") VALUES (");
  query.Param(token.user_id).Sql(", ").Param(token.name).Sql(", ").Param(token.token_hash);
  query.Sql(", ").Param(token.prefix).Sql(", ").Param(token.created_at).Sql(", ");
  query.Param(token.expires_at).Sql(", ").Param(token.last_used_at).Sql(", ");
  query.Param(token.revoked).Sql(") RETURNING id");
  return *query.ScalarInt();
}

Result<std::optional<ApiTokenRecord>> SqlTransaction::FindApiToken(const std::string& token_hash) {
  std::optional<ApiTokenRecord> found;
  Q("SELECT " + kTokenColumns + " FROM api_token WHERE token_hash = ")
      .Param(token_hash)
      .ForEach(kTokenTypes, [&](const sql::Row& row) { found = ReadToken(row); });
  return found;
}

Result<std::optional<ApiTokenRecord>> SqlTransaction::FindApiToken(Id id) {
  std::optional<ApiTokenRecord> found;
  Q("SELECT " + kTokenColumns + " FROM api_token WHERE id = ")
      .Param(id)
      .ForEach(kTokenTypes, [&](const sql::Row& row) { found = ReadToken(row); });
  return found;
}

Result<std::vector<ApiTokenRecord>> SqlTransaction::ApiTokens(Id user_id) {
  std::vector<ApiTokenRecord> tokens;
  Q("SELECT " + kTokenColumns + " FROM api_token WHERE user_id = ")
      .Param(user_id)
      .Sql(" ORDER BY id DESC")
      .ForEach(kTokenTypes, [&](const sql::Row& row) { tokens.push_back(ReadToken(row)); });
  return tokens;
}

Result<void> SqlTransaction::Update(const ApiTokenRecord& token) {
  auto query = Q("UPDATE api_token SET last_used_at = ");
  query.Param(token.last_used_at).Sql(", revoked = ").Param(token.revoked);
  query.Sql(" WHERE id = ").Param(token.id).Execute();
  return {};
}

Result<SignInFailures> SqlTransaction::FindSignInFailures(const std::string& key) {
  SignInFailures failures;
  Q("SELECT count, last_at FROM sign_in_failure WHERE key = ")
      .Param(key)
      .ForEach({Column::kInt, Column::kText}, [&](const sql::Row& row) {
        failures = SignInFailures{row.Int(0), row.Text(1)};
      });
  return failures;
}

Result<void> SqlTransaction::RecordSignInFailure(const std::string& key, const std::string& at) {
  auto query = Q("INSERT INTO sign_in_failure (key, count, last_at) VALUES (");
  query.Param(key).Sql(", 1, ").Param(at).Sql(") ON CONFLICT (key) DO UPDATE SET ");
  query.Sql("count = sign_in_failure.count + 1, last_at = excluded.last_at").Execute();
  return {};
}

Result<void> SqlTransaction::ClearSignInFailures(const std::string& key) {
  Q("DELETE FROM sign_in_failure WHERE key = ").Param(key).Execute();
  return {};
}

Result<Id> SqlTransaction::Insert(const AuditRecord& record) {
  auto query =
      Q("INSERT INTO audit_log (at, event, user_name, subject, address, details) "
        "VALUES (");
  query.Param(record.at).Sql(", ").Param(record.event).Sql(", ").Param(record.user).Sql(", ");
  query.Param(record.subject).Sql(", ").Param(record.address).Sql(", ").Param(record.details);
  return *query.Sql(") RETURNING id").ScalarInt();
}

Result<Page<AuditRecord>> SqlTransaction::Audit(const std::string& event, const PageRequest& page) {
  const auto read = +[](const sql::Row& row) {
    return AuditRecord{row.Int(0),  row.Text(1), row.Text(2), row.Text(3),
                       row.Text(4), row.Text(5), row.Text(6)};
  };
  return rows::RunPaged<AuditRecord>(
      session_, "id, at, event, user_name, subject, address, details", "FROM audit_log",
      [&](sql::Query& query) {
        if (!event.empty()) query.Sql(" AND event = ").Param(event);
      },
      "id DESC", page,
      {Column::kInt, Column::kText, Column::kText, Column::kText, Column::kText, Column::kText,
       Column::kText},
      read);
}

}  // namespace halsonav
