#pragma once

// A JSON-stat file as a whole: the parse, what kind of file it is (a dataset, a collection, a
// 1.x bundle — or PX-Web metadata, a table list, a query body…), pass 1 over every dataset, and
// the checks of a dataset's structure before its cells are read. Internal to the io layer.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/jsonstat_dataset.hpp"
#include "io/observation_sink.hpp"

namespace halsonav::statsio::jsonstat {

// A copy of a file's text with SIMDJSON_PADDING zero bytes after it, in a buffer that grows as
// needed and is kept for the next file (its pages are then written already).
class PaddedText {
 public:
  simdjson::padded_string_view Load(std::string_view text) { return Load(text, 0, 0); }
  // The copy without the characters from `cut_begin` to `cut_end`.
  simdjson::padded_string_view Load(std::string_view text, std::size_t cut_begin,
                                    std::size_t cut_end);

 private:
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
};

// The elements of a long value array in a file's text: the characters from `begin` (after its
// '[') to `end` (its ']'), which hold no ']'.
struct ValueCut {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The first value array ("value": [ … ]) in the text whose elements take at least
// kMinValueCut characters, found in the raw text: it may lie in a string or elsewhere than a
// dataset's value, which pass 1 finds out (ParseDocument); nullopt when there is none.
constexpr std::size_t kMinValueCut = std::size_t{256} << 10;
std::optional<ValueCut> FindLongValueArray(std::string_view text);

// The parse of one file. simdjson's parser and the padded copy of the text keep their buffers
// between documents (a fresh one per file would allocate, and fault in, them anew every time):
// each thread keeps one of each for files up to 64 MB; a larger file gets its own, so that one
// huge import does not pin its buffers for good. Not copyable.
//
// simdjson indexes every element of a value array and pass 1 steps over them one by one, though
// only pass 2 reads them, straight from the text: together a sixth of the time on a large table.
// So Load can leave a long value array's elements out of the parsed copy ("value": [], cut_at
// its '['). Pass 1 then tells whether that '[' is a dataset's value (and not in a string, say):
// the text outside the array is parsed as it is; the elements, which hold no quotes or
// brackets, are checked by pass 2, and any problem anywhere has the file read again uncut, so
// that every message stays the same.
struct Document {
  explicit Document(std::size_t size);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // Copies the text into the padded buffer (a long value array's elements left out when `cut`
  // and there is one); `text` is valid until the next Load on the thread.
  void Load(std::string_view source, bool cut);

  od::parser own_parser;
  PaddedText own_text;
  od::parser& parser;
  PaddedText& padded;
  simdjson::padded_string_view text;
  od::document doc;
  const char* cut_at = nullptr;      // the cut array's '[' in `text`, if one was cut
  const char* cut_source = nullptr;  // the same '[' in the file's own text
};

// The datasets of a file, after pass 1.
struct Parsed {
  std::vector<Dataset> datasets;
};

// Parses the file and runs pass 1 over it. Fails with the problems (ProblemsError naming the
// file) or with kInvalidValue saying what the file is when it holds no data. With `cut`, a long
// value array may be left out of the parse (Document::Load): then the dataset whose value it is
// has value_text set, and pass 2 must read the file again uncut if it finds any problem. A cut
// that is no dataset's value, or a problem in pass 1, has the file parsed again uncut here.
Result<Parsed> ParseDocument(Document& document, std::string_view text, std::string_view file_name,
                             Problems& problems, bool cut = false);

// Checks a dataset's id, size and dimensions against each other and gives its cell layout;
// false (with problems) when they do not fit.
bool CheckStructure(Dataset& dataset, Problems& problems, CellLayout& layout);

// Navigates from the root to a dataset found in pass 1 ("", "/link/item/3", "/<name>").
simdjson::error_code FindDataset(od::document& doc, std::string_view prefix, od::value& out);

}  // namespace halsonav::statsio::jsonstat
