#pragma once

// Problems found in an input file, shared by every reader of the io layer. A reader collects
// what it finds (all of it where it can) and fails the whole file with ProblemsError, so that
// an import stores nothing and the user sees every place to fix at once.

#include <cstddef>
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
// The problems a reader finds, the first `limit` of them listed and the rest counted, so that a
// broken file cannot make a list as long as itself. Not thread-safe.
class ProblemList {
 public:
  explicit ProblemList(std::size_t limit) : limit_(limit) {}

  // Lists the problem while there is room; false once the list is full (the walk may stop).
  bool Add(std::string place, std::string message);
  bool Full() const { return list_.size() >= limit_; }
  bool empty() const { return list_.empty(); }
  std::size_t found() const { return list_.size() + unlisted_; }  // listed or not
  // Lists "N more problems not listed" at `place` when some were left out.
  void NoteUnlisted(std::string place);
  std::vector<Problem>& list() { return list_; }
  const std::vector<Problem>& list() const { return list_; }

 private:
  std::size_t limit_;
  std::size_t unlisted_ = 0;
  std::vector<Problem> list_;
};

// Where a byte offset is in a text: line and column, both from 1 (the column counts bytes).
struct TextPlace {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPlace PlaceOf(std::string_view text, std::size_t offset);

// "FILE:LINE:COLUMN" of a byte offset into `text` (past its end: where it ends).
std::string TextPosition(std::string_view file_name, std::string_view text, std::size_t offset);

// "FILE#POINTER": a place in a JSON file by its JSON pointer (core/text.hpp escapes tokens).
std::string PointerPlace(std::string_view file_name, std::string_view pointer);

tl::unexpected<Error> ProblemsError(const std::vector<Problem>& problems, std::string_view what);

}  // namespace halsonav
