#pragma once

// Private to the store: the one way libpq's failures become exceptions, so that StoreError
// (guarded_transaction.hpp) classifies them by their SQLSTATE like SOCI's own.

#include <libpq-fe.h>

#include <string_view>

namespace halsonav {

// Throws soci::postgresql_soci_error with `what`, the server's message and its SQLSTATE (from
// `result`, which is freed; without one, the connection's message and 08006: the connection
// failed).
[[noreturn]] void ThrowPostgresError(PGconn* conn, PGresult* result, std::string_view what);

}  // namespace halsonav
