#pragma once

// Problems found in an input file, shared by every reader of the io layer. A reader collects
// what it finds (all of it where it can) and fails the whole file with ProblemsError, so that
// an import stores nothing and the user sees every place to fix at once.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace halsonav {

// One problem, at a place in the file: a JSON pointer ("/nodes/3/measures/0") for JSON, or
// "FILE:LINE:COLUMN" for text and CSV files.
struct Problem {
  std::string pointer;
  std::string message;
};

// kInvalidValue with details {"problems": [{pointer, message}…]} and a message that names the
// first few: "<what> has N problems: …".
tl::unexpected<Error> ProblemsError(const std::vector<Problem>& problems, std::string_view what);

}  // namespace halsonav
