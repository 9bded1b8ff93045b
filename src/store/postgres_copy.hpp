#pragma once

// Private to the store: PostgreSQL's bulk load of observations (issue 16, item 3). SOCI's
// row-by-row inserts run ~11k rows/s on PostgreSQL (STACK.md); COPY into a staging table and one
// INSERT … SELECT from it runs at PostgreSQL's own speed.

#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "store/store.hpp"

namespace halsonav {

// Copies `rows` into a temporary staging table shaped like `observation` (made once per
// connection, emptied at commit) and merges them into `observation` with
// "INSERT INTO observation (columns) SELECT columns FROM the stage <on_conflict>". Throws
// postgresql_soci_error on failure (the transaction then rolls back).
void CopyObservations(soci::session& session, const std::vector<ObservationRow>& rows,
                      std::string_view columns, std::string_view on_conflict);

}  // namespace halsonav
