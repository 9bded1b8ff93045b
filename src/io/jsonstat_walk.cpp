#include "io/jsonstat_walk.hpp"

#include <cmath>

namespace halsonav::statsio::jsonstat {

bool KeySet::Insert(std::string_view key) {
  if (small_.size() < 16 && big_.empty()) {
    for (const auto& seen : small_) {
      if (seen == key) return false;
    }
    small_.emplace_back(key);
    if (small_.size() == 16) {
      for (const auto& seen : small_) big_.insert(seen);
    }
    return true;
  }
  return big_.insert(std::string(key)).second;
}

std::optional<std::uint64_t> ParseIndexKey(std::string_view key) {
  if (key.empty() || key.size() > 15) return std::nullopt;
  if (key.size() > 1 && key[0] == '0') return std::nullopt;
  std::uint64_t number = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return number;
}

bool IndexKeySet::Insert(std::string_view key) {
  auto cell = ParseIndexKey(key);
  if (!cell || *cell >= cells_) return others_.Insert(key);
  if (bits_.empty()) return big_.insert(*cell).second;
  auto& word = bits_[*cell / 64];
  const std::uint64_t bit = std::uint64_t{1} << (*cell % 64);
  if (word & bit) return false;
  word |= bit;
  return true;
}

bool Validate(od::value value, const std::string& pointer, Problems& problems, int depth) {
  if (depth > kMaxDepth) {
    problems.fatal = true;
    problems.Add(pointer, "the JSON is nested too deeply");
    return false;
  }
  od::json_type type;
  if (auto error = value.type().get(type)) return problems.Json(pointer, error);
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return problems.Json(pointer, error);
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) return problems.Json(pointer, error);
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return problems.Json(pointer, error);
        if (!Validate(field.value(), Child(pointer, key), problems, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return problems.Json(pointer, error);
      std::uint64_t index = 0;
      for (auto element_result : array) {
        od::value element;
        if (auto error = element_result.get(element)) {
          return problems.Json(Child(pointer, index), error);
        }
        if (!Validate(element, Child(pointer, index), problems, depth + 1)) return false;
        ++index;
      }
      return true;
    }
    case od::json_type::number: {
      double number;
      if (auto error = value.get_double().get(number)) return problems.Json(pointer, error);
      if (!std::isfinite(number)) return problems.Json(pointer, simdjson::NUMBER_ERROR);
      return true;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return problems.Json(pointer, error);
      return true;
    }
    case od::json_type::boolean: {
      bool flag;
      if (auto error = value.get_bool().get(flag)) return problems.Json(pointer, error);
      return true;
    }
    case od::json_type::null: {
      bool null = false;
      if (auto error = value.is_null().get(null)) return problems.Json(pointer, error);
      if (!null) return problems.Json(pointer, simdjson::N_ATOM_ERROR);
      return true;
    }
  }
  return true;
}

std::optional<std::string> ReadString(od::value value, const std::string& pointer,
                                      Problems& problems, std::string_view what) {
  od::json_type type;
  if (auto error = value.type().get(type)) {
    problems.Json(pointer, error);
    return std::nullopt;
  }
  if (type != od::json_type::string) {
    problems.Add(pointer, fmt::format("{} must be a string, not {}", what, JsonTypeWord(type)));
    Validate(value, pointer, problems);
    return std::nullopt;
  }
  std::string_view text;
  if (auto error = value.get_string().get(text)) {
    problems.Json(pointer, error);
    return std::nullopt;
  }
  return std::string(text);
}

// A non-negative integer written as a number or a string ("size": ["3"]).
std::optional<std::uint64_t> ReadCount(od::value value, const std::string& pointer,
                                       Problems& problems, std::string_view what) {
  od::json_type type;
  if (auto error = value.type().get(type)) {
    problems.Json(pointer, error);
    return std::nullopt;
  }
  if (type == od::json_type::string) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) {
      problems.Json(pointer, error);
      return std::nullopt;
    }
    std::uint64_t number = 0;
    bool ok = !text.empty() && text.size() <= 18;
    for (char c : text) {
      if (c < '0' || c > '9') ok = false;
    }
    if (ok) {
      for (char c : text) number = number * 10 + static_cast<std::uint64_t>(c - '0');
      return number;
    }
  } else if (type == od::json_type::number) {
    double number;
    if (auto error = value.get_double().get(number)) {
      problems.Json(pointer, error);
      return std::nullopt;
    }
    if (number >= 0 && number < 1e18 && std::floor(number) == number) {
      return static_cast<std::uint64_t>(number);
    }
    problems.Add(pointer, fmt::format("{} must be a whole number from 0 up, not {}", what, number));
    return std::nullopt;
  } else {
    Validate(value, pointer, problems);
  }
  problems.Add(pointer, fmt::format("{} must be a whole number from 0 up", what));
  return std::nullopt;
}

}  // namespace halsonav::statsio::jsonstat
