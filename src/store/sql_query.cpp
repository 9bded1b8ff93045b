#include "store/sql_query.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace halsonav::sql {

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

void Query::Execute() {
  soci::details::prepare_temp_type prepared = (session_.prepare << text_);
  BindAll(prepared);
  soci::statement statement(prepared);
  statement.execute(true);
}

void Query::ForEach(const std::vector<Column>& columns,
                    const std::function<void(const Row&)>& on_row) {
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
