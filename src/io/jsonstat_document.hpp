#pragma once

// A JSON-stat file as a whole: the parse, what kind of file it is (a dataset, a collection, a
// 1.x bundle — or PX-Web metadata, a table list, a query body…), pass 1 over every dataset, and
// the checks of a dataset's structure before its cells are read. Internal to the io layer.

#include <cstddef>
#include <memory>
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
  simdjson::padded_string_view Load(std::string_view text);

 private:
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
};

// The parse of one file. simdjson's parser and the padded copy of the text keep their buffers
// between documents (a fresh one per file would allocate, and fault in, them anew every time):
// each thread keeps one of each for files up to 64 MB; a larger file gets its own, so that one
// huge import does not pin its buffers for good. Not copyable.
struct Document {
  explicit Document(std::size_t size);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // Copies the text into the padded buffer; `text` is valid until the next Load on the thread.
  void Load(std::string_view source) { text = padded.Load(source); }

  od::parser own_parser;
  PaddedText own_text;
  od::parser& parser;
  PaddedText& padded;
  simdjson::padded_string_view text;
  od::document doc;
};

// The datasets of a file, after pass 1.
struct Parsed {
  std::vector<Dataset> datasets;
};

// Parses the file and runs pass 1 over it. Fails with the problems (ProblemsError naming the
// file) or with kInvalidValue saying what the file is when it holds no data.
Result<Parsed> ParseDocument(Document& document, std::string_view text, std::string_view file_name,
                             Problems& problems);

// Checks a dataset's id, size and dimensions against each other and gives its cell layout;
// false (with problems) when they do not fit.
bool CheckStructure(Dataset& dataset, Problems& problems, CellLayout& layout);

// Navigates from the root to a dataset found in pass 1 ("", "/link/item/3", "/<name>").
simdjson::error_code FindDataset(od::document& doc, std::string_view prefix, od::value& out);

}  // namespace halsonav::statsio::jsonstat
