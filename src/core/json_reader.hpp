#pragma once

// Strict reading of JSON into C++ values, shared by the API's decoders (json_codec.cpp) and the
// plan-file reader (io/plan_file.cpp): optional, vector, bool, integer, string and domain enums
// are read here; any other type T is read by a function `ReadObject(const Json&, const
// std::string& pointer, T&)` found by argument-dependent lookup in T's namespace. Every error
// names the offending value by JSON pointer; reading stops at the first error.

#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/json_codec.hpp"
#include "core/text.hpp"

namespace halsonav {

// Readers of the core types that appear inside other values, defined in json_codec.cpp (found by
// argument-dependent lookup from json_read::ReadValue).
Result<void> ReadObject(const Json& value, const std::string& pointer, NodeKind& out);
Result<void> ReadObject(const Json& value, const std::string& pointer, IndicatorRef& out);

}  // namespace halsonav

namespace halsonav::json_read {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};

template <typename T>
concept DomainEnum = std::is_enum_v<T>;

inline tl::unexpected<Error> WrongType(const std::string& pointer, std::string_view expected) {
  return Fail(ErrorCode::kWrongType,
              fmt::format("{} must be {}", pointer.empty() ? "the body" : pointer, expected),
              {{"field", pointer}, {"expected", expected}});
}

// The JSON type a C++ field expects, in words, for error messages.
template <typename T>
std::string TypeName() {
  if constexpr (IsOptional<T>::value) {
    return TypeName<typename T::value_type>() + " or null";
  } else if constexpr (IsVector<T>::value) {
    return "array";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "boolean";
  } else if constexpr (std::is_integral_v<T>) {
    return "integer";
  } else if constexpr (std::is_same_v<T, std::string> || DomainEnum<T>) {
    return "string";
  } else {
    return "object";
  }
}

template <typename T>
Result<void> ReadValue(const Json& value, const std::string& pointer, T& out);

template <typename T>
Result<void> ReadValue(const Json& value, const std::string& pointer, T& out) {
  if constexpr (IsOptional<T>::value) {
    if (value.is_null()) {
      out.reset();
      return {};
    }
    typename T::value_type inner{};
    if (auto ok = ReadValue(value, pointer, inner); !ok) {
      if (ok.error().code == ErrorCode::kWrongType) return WrongType(pointer, TypeName<T>());
      return ok;
    }
    out = std::move(inner);
    return {};
  } else if constexpr (IsVector<T>::value) {
    if (!value.is_array()) return WrongType(pointer, "array");
    T items;
    items.reserve(value.size());
    for (std::size_t idx = 0; idx < value.size(); ++idx) {
      typename T::value_type item{};
      if (auto ok = ReadValue(value[idx], fmt::format("{}/{}", pointer, idx), item); !ok) return ok;
      items.push_back(std::move(item));
    }
    out = std::move(items);
    return {};
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) return WrongType(pointer, "boolean");
    out = value.get<bool>();
    return {};
  } else if constexpr (std::is_integral_v<T>) {
    if (value.is_number_unsigned()) {
      if (value.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Fail(ErrorCode::kInvalidValue, fmt::format("{} is too large", pointer),
                    {{"field", pointer}});
      }
      out = value.get<std::int64_t>();
      return {};
    }
    if (!value.is_number_integer()) return WrongType(pointer, "integer");
    out = value.get<std::int64_t>();
    return {};
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!value.is_string()) return WrongType(pointer, "string");
    out = value.get<std::string>();
    return {};
  } else if constexpr (DomainEnum<T>) {
    if (!value.is_string()) return WrongType(pointer, "string");
    const auto parsed = ParseEnum<T>(value.get_ref<const std::string&>());
    if (!parsed) {
      std::vector<std::string> allowed;
      for (const auto& [candidate, name] : EnumNames<T>::kValues) allowed.emplace_back(name);
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("{} \"{}\" is not one of: {}", pointer,
                              value.get_ref<const std::string&>(), fmt::join(allowed, ", ")),
                  {{"field", pointer}, {"allowed", allowed}});
    }
    out = *parsed;
    return {};
  } else {
    return ReadObject(value, pointer, out);
  }
}

// Reads the fields of one JSON object into a C++ value, remembering the keys it knows so that
// Finish() can report the first unknown one. Stops at the first error.
class ObjectReader {
 public:
  ObjectReader(const Json& object, DecodeMode mode, std::string pointer)
      : object_(object), mode_(mode), pointer_(std::move(pointer)) {
    if (!object_.is_object()) error_ = WrongType(pointer_, "object").value();
  }

  // Must be present on create; on patch, may not be null.
  template <typename T>
  ObjectReader& Required(std::string_view key, T& out) {
    if (!Known(key)) return *this;
    const auto it = object_.find(key);
    if (it == object_.end()) {
      if (mode_ == DecodeMode::kCreate) {
        error_ = Error{ErrorCode::kMissingField,
                       fmt::format("{} is required", Pointer(key)),
                       {{"field", Pointer(key)}}};
      }
      return *this;
    }
    Read(*it, key, out);
    return *this;
  }

  // May be left out.
  template <typename T>
  ObjectReader& Optional(std::string_view key, T& out) {
    if (!Known(key)) return *this;
    if (const auto it = object_.find(key); it != object_.end()) Read(*it, key, out);
    return *this;
  }

  // May be left out or null, both read as the empty string; else a string.
  ObjectReader& OptionalText(std::string_view key, std::string& out) {
    std::optional<std::string> value;
    Optional(key, value);
    out = value.value_or("");
    return *this;
  }

  // Required on create; on patch it may be sent but not changed.
  template <typename T>
  ObjectReader& Fixed(std::string_view key, T& out) {
    if (mode_ == DecodeMode::kCreate) return Required(key, out);
    if (!Known(key)) return *this;
    if (const auto it = object_.find(key); it != object_.end()) {
      T sent = out;
      Read(*it, key, sent);
      if (!error_ && sent != out) {
        error_ = Error{ErrorCode::kImmutableField,
                       fmt::format("{} cannot be changed after creation", Pointer(key)),
                       {{"field", Pointer(key)}}};
      }
    }
    return *this;
  }

  // The meta fields every entity shows (id, version, deleted, timestamps): accepted, ignored.
  ObjectReader& IgnoredMeta() {
    return Ignored({"id", "version", "deleted", "created_at", "updated_at"});
  }

  // Fields the API shows but the client does not write: accepted and ignored.
  ObjectReader& Ignored(std::initializer_list<std::string_view> keys) {
    for (const auto key : keys) known_.emplace(key);
    return *this;
  }

  Result<void> Finish() {
    if (error_) return tl::unexpected<Error>(*error_);
    for (const auto& [key, value] : object_.items()) {
      if (!known_.contains(key)) {
        return Fail(ErrorCode::kUnknownField,
                    fmt::format("{} is not a field of this resource", Pointer(key)),
                    {{"field", Pointer(key)}});
      }
    }
    return {};
  }

 private:
  bool Known(std::string_view key) {
    known_.emplace(key);
    return !error_.has_value();
  }

  template <typename T>
  void Read(const Json& value, std::string_view key, T& out) {
    if (auto ok = ReadValue(value, Pointer(key), out); !ok) error_ = ok.error();
  }

  std::string Pointer(std::string_view key) const { return ChildPointer(pointer_, key); }

  const Json& object_;
  DecodeMode mode_;
  std::string pointer_;
  std::set<std::string, std::less<>> known_;
  std::optional<Error> error_;
};

}  // namespace halsonav::json_read
