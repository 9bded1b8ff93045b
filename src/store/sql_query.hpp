#pragma once

// A small layer over SOCI for statements whose parameters and result columns are known only at
// run time (filters built from a request). Placeholders are written `:p1`, `:p2`, … in the order
// the values are bound; each is used once. SQLite's statements run through SOCI, PostgreSQL's
// straight through libpq (`$1`, `$2`, …: one round trip each).
// Result columns are read into typed buffers (SOCI's dynamic `row` types SQLite's INTEGER as a
// 32-bit int, so it is not used).

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

namespace halsonav::sql {

enum class Column { kInt, kText };

// One fetched row, valid only inside the ForEach callback.
class Row {
 public:
  std::int64_t Int(std::size_t idx) const;
  std::optional<std::int64_t> OptInt(std::size_t idx) const;
  bool Bool(std::size_t idx) const { return Int(idx) != 0; }
  const std::string& Text(std::size_t idx) const;
  std::optional<std::string> OptText(std::size_t idx) const;

 private:
  friend class Query;
  struct Cell {
    long long int_value = 0;
    std::string text_value;
    soci::indicator indicator = soci::i_ok;
  };
  std::deque<Cell> cells_;
};

class Query {
 public:
  Query(soci::session& session, std::string text) : session_(session), text_(std::move(text)) {}

  // Append SQL text.
  Query& Sql(std::string_view text);
  // Append a placeholder for the value to the SQL text and bind it.
  Query& Param(std::int64_t value);
  Query& Param(const std::string& value);
  Query& Param(const std::optional<std::int64_t>& value);
  Query& Param(const std::optional<std::string>& value);
  Query& Param(bool value) { return Param(static_cast<std::int64_t>(value ? 1 : 0)); }

  // Run a statement that returns no rows.
  void Execute();
  // Run it and call `on_row` for each row; `columns` gives the type of each result column.
  void ForEach(const std::vector<Column>& columns, const std::function<void(const Row&)>& on_row);
  // Run a query returning one integer (count(*), RETURNING id…); nullopt when no row.
  std::optional<std::int64_t> ScalarInt();

 private:
  struct Bound {
    long long int_value = 0;
    std::string text_value;
    bool is_text = false;
    soci::indicator indicator = soci::i_ok;
  };
  void BindAll(soci::details::prepare_temp_type& prepared);
  void RunPostgres(const std::vector<Column>* columns,
                   const std::function<void(const Row&)>* on_row);

  soci::session& session_;
  std::string text_;
  std::deque<Bound> params_;
};

}  // namespace halsonav::sql
