#pragma once

// A JSON-stat file as a whole: the parse, what kind of file it is (a dataset, a collection, a
// 1.x bundle — or PX-Web metadata, a table list, a query body…), pass 1 over every dataset, and
// the checks of a dataset's structure before its cells are read. Internal to the io layer.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/jsonstat_dataset.hpp"
#include "io/observation_sink.hpp"

namespace halsonav::statsio::jsonstat {

// The parse of one file. simdjson's parser keeps its buffers between documents; each thread
// keeps one for files up to 64 MB (a larger file gets its own, so that one huge import does not
// pin its buffers for good). Not copyable; owns its copy of the text.
struct Document {
  explicit Document(std::size_t size);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  od::parser own_parser;
  simdjson::padded_string text;
  od::parser& parser;
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
