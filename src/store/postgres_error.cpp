#include "store/postgres_error.hpp"

#include <string>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>

namespace halsonav {

void ThrowPostgresError(PGconn* conn, PGresult* result, std::string_view what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state != nullptr ? state : "08006";
  std::string message =
      result != nullptr ? PQresultErrorMessage(result) : std::string(PQerrorMessage(conn));
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  if (result != nullptr) PQclear(result);
  throw soci::postgresql_soci_error(what.empty() ? message : fmt::format("{}: {}", what, message),
                                    code.c_str());
}

}  // namespace halsonav
