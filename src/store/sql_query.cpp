#include "store/sql_query.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>

#include "store/postgres_error.hpp"
#include "store/row_statement.hpp"

namespace halsonav::sql {
namespace {

// ":p12" → "$12"; a ':' after another (a PostgreSQL cast, "::jsonb") is left alone.
std::string PostgresText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    const bool placeholder = text[idx] == ':' && idx + 2 < text.size() && text[idx + 1] == 'p' &&
                             text[idx + 2] >= '0' && text[idx + 2] <= '9' &&
                             (idx == 0 || text[idx - 1] != ':');
    if (placeholder) {
      out += '$';
      ++idx;  // skip the 'p'; the digits follow as they are
    } else {
      out += text[idx];
    }
  }
  return out;
}

// A PostgreSQL integer column as text: a number, or a boolean ("t"/"f") as 1/0.
long long PostgresInt(const char* text) {
  if (text[0] == 't') return 1;
  if (text[0] == 'f') return 0;
  long long value = 0;
  std::from_chars(text, text + std::char_traits<char>::length(text), value);
  return value;
}

}  // namespace

std::int64_t Row::Int(std::size_t idx) const {
  const auto& cell = cells_.at(idx);
  if (cell.indicator == soci::i_null) {
    throw std::runtime_error(fmt::format("column {} is NULL where a value was expected", idx));
  }
  return cell.int_value;
}

std::optional<std::int64_t> Row::OptInt(std::size_t idx) const {
  const auto& cell = cells_.at(idx);
  if (cell.indicator == soci::i_null) return std::nullopt;
  return cell.int_value;
}

const std::string& Row::Text(std::size_t idx) const {
  const auto& cell = cells_.at(idx);
  if (cell.indicator == soci::i_null) {
    throw std::runtime_error(fmt::format("column {} is NULL where text was expected", idx));
  }
  return cell.text_value;
}

std::optional<std::string> Row::OptText(std::size_t idx) const {
  const auto& cell = cells_.at(idx);
  if (cell.indicator == soci::i_null) return std::nullopt;
  return cell.text_value;
}

Query& Query::Sql(std::string_view text) {
  text_ += text;
  return *this;
}

Query& Query::Param(std::int64_t value) {
  params_.push_back(Bound{value, {}, false, soci::i_ok});
  text_ += fmt::format(":p{}", params_.size());
  return *this;
}

Query& Query::Param(const std::string& value) {
  params_.push_back(Bound{0, value, true, soci::i_ok});
  text_ += fmt::format(":p{}", params_.size());
  return *this;
}

Query& Query::Param(const std::optional<std::int64_t>& value) {
  params_.push_back(Bound{value.value_or(0), {}, false, value ? soci::i_ok : soci::i_null});
  text_ += fmt::format(":p{}", params_.size());
  return *this;
}

Query& Query::Param(const std::optional<std::string>& value) {
  params_.push_back(Bound{0, value.value_or(""), true, value ? soci::i_ok : soci::i_null});
  text_ += fmt::format(":p{}", params_.size());
  return *this;
}

void Query::BindAll(soci::details::prepare_temp_type& prepared) {
  for (auto& param : params_) {
    if (param.is_text) {
      prepared, soci::use(param.text_value, param.indicator);
    } else {
      prepared, soci::use(param.int_value, param.indicator);
    }
  }
}

// PostgreSQL: one round trip through libpq (SOCI's PostgreSQL back end prepares, runs and
// deallocates a named statement for every query: three). Parameters go as text, their types
// inferred by the server; a failure throws postgresql_soci_error with its SQLSTATE.
void Query::RunPostgres(const std::vector<Column>* columns,
                        const std::function<void(const Row&)>* on_row) {
  auto* conn = static_cast<soci::postgresql_session_backend*>(session_.get_backend())->conn_;
  std::vector<std::string> texts(params_.size());
  std::vector<const char*> values(params_.size(), nullptr);
  for (std::size_t idx = 0; idx < params_.size(); ++idx) {
    const auto& param = params_[idx];
    if (param.indicator == soci::i_null) continue;
    texts[idx] = param.is_text ? param.text_value : fmt::format("{}", param.int_value);
    values[idx] = texts[idx].c_str();
  }
  PGresult* result =
      PQexecParams(conn, PostgresText(text_).c_str(), static_cast<int>(values.size()), nullptr,
                   values.data(), nullptr, nullptr, 0);
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    ThrowPostgresError(conn, result, "");
  }
  if (columns != nullptr) {
    Row row;
    row.cells_.resize(columns->size());
    const int rows = PQntuples(result);
    for (int r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < columns->size(); ++c) {
        auto& cell = row.cells_[c];
        const int col = static_cast<int>(c);
        cell.indicator = PQgetisnull(result, r, col) != 0 ? soci::i_null : soci::i_ok;
        if (cell.indicator == soci::i_null) continue;
        const char* text = PQgetvalue(result, r, col);
        if ((*columns)[c] == Column::kInt) {
          cell.int_value = PostgresInt(text);
        } else {
          cell.text_value.assign(text, static_cast<std::size_t>(PQgetlength(result, r, col)));
        }
      }
      try {
        (*on_row)(row);
      } catch (...) {
        PQclear(result);
        throw;
      }
    }
  }
  PQclear(result);
}

void Query::Execute() {
  if (BackendOf(session_) == Backend::kPostgres) return RunPostgres(nullptr, nullptr);
  soci::details::prepare_temp_type prepared = (session_.prepare << text_);
  BindAll(prepared);
  soci::statement statement(prepared);
  statement.execute(true);
}

void Query::ForEach(const std::vector<Column>& columns,
                    const std::function<void(const Row&)>& on_row) {
  if (BackendOf(session_) == Backend::kPostgres) return RunPostgres(&columns, &on_row);
  Row row;
  row.cells_.resize(columns.size());
  soci::details::prepare_temp_type prepared = (session_.prepare << text_);
  for (std::size_t idx = 0; idx < columns.size(); ++idx) {
    auto& cell = row.cells_[idx];
    if (columns[idx] == Column::kInt) {
      prepared, soci::into(cell.int_value, cell.indicator);
    } else {
      prepared, soci::into(cell.text_value, cell.indicator);
    }
  }
  BindAll(prepared);
  soci::statement statement(prepared);
  statement.execute(false);
  while (statement.fetch()) on_row(row);
}

std::optional<std::int64_t> Query::ScalarInt() {
  std::optional<std::int64_t> result;
  ForEach({Column::kInt}, [&](const Row& row) {
    if (!result) result = row.OptInt(0);
  });
  return result;
}

}  // namespace halsonav::sql
