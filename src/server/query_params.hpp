#pragma once

// Typed reading of URL query parameters. Every parameter a route does not know is an error
// (a typo such as ?stauts= must not silently return everything), as is a malformed value.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/queries.hpp"

namespace halsonav {

class QueryParams {
 public:
  // `params` as the HTTP library parsed them; `allowed` the names this route accepts (Page()
  // adds limit and offset).
  QueryParams(const std::multimap<std::string, std::string>& params, std::set<std::string> allowed);

  // The first error met, or the first parameter not allowed.
  Result<void> Finish() const;

  std::optional<std::string> Text(const std::string& name);
  // A comma-separated list ("2480,0024"); empty when absent.
  std::vector<std::string> List(const std::string& name);
  std::optional<std::int64_t> Integer(const std::string& name, std::int64_t min, std::int64_t max);
  std::optional<Id> EntityId(const std::string& name) { return Integer(name, 1, INT64_MAX); }
  bool Flag(const std::string& name);
  PageRequest Page();
  template <typename E>
  std::optional<E> Enum(const std::string& name);

 private:
  void Invalid(const std::string& name, const std::string& why);

  const std::multimap<std::string, std::string>& params_;
  std::set<std::string> allowed_;
  std::optional<Error> error_;
};

}  // namespace halsonav
