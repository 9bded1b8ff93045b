#include "io/px_table.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/statistics.hpp"

namespace halsonav::statsio {
namespace {

// Keyed DATA (KEYS) may leave out most rows: a table of up to this many cells is allocated
// whatever the size of its DATA.
constexpr std::uint64_t kKeyedCells = std::uint64_t{1} << 22;

// The keywords of the PX specification (2013) and the ones PxWeb writes. Those the reader does
// not use change nothing it stores (presentation, contacts, dates); any other is a note.
constexpr std::string_view kKnownKeywords[] = {"AGGREGALLOWED",
                                               "ATTRIBUTE-ID",
                                               "ATTRIBUTE-TEXT",
                                               "ATTRIBUTES",
                                               "AUTOPEN",
                                               "AXIS-VERSION",
                                               "BASEPERIOD",
                                               "CELLNOTE",
                                               "CELLNOTEX",
                                               "CFPRICES",
                                               "CHARSET",
                                               "CODEPAGE",
                                               "CODES",
                                               "CONFIDENTIAL",
                                               "CONTACT",
                                               "CONTENTS",
                                               "CONTVARIABLE",
                                               "COPYRIGHT",
                                               "CREATION-DATE",
                                               "DATABASE",
                                               "DATANOTE",
                                               "DATANOTECELL",
                                               "DATANOTESUM",
                                               "DATASYMBOL1",
                                               "DATASYMBOL2",
                                               "DATASYMBOL3",
                                               "DATASYMBOL4",
                                               "DATASYMBOL5",
                                               "DATASYMBOL6",
                                               "DATASYMBOLNIL",
                                               "DATASYMBOLSUM",
                                               "DAYADJ",
                                               "DECIMALS",
                                               "DEFAULT-GRAPH",
                                               "DESCRIPTION",
                                               "DESCRIPTIONDEFAULT",
                                               "DIRECTORY-PATH",
                                               "DOMAIN",
                                               "DOUBLECOLUMN",
                                               "ELIMINATION",
                                               "FIRST-PUBLISHED",
                                               "HEADING",
                                               "HIERARCHIES",
                                               "HIERARCHYLEVELS",
                                               "HIERARCHYLEVELSOPEN",
                                               "HIERARCHYNAMES",
                                               "INFO",
                                               "INFOFILE",
                                               "LANGUAGE",
                                               "LANGUAGES",
                                               "LAST-UPDATED",
                                               "LINK",
                                               "MAP",
                                               "MATRIX",
                                               "META-ID",
                                               "NEXT-UPDATE",
                                               "NOTE",
                                               "NOTEX",
                                               "OFFICIAL-STATISTICS",
                                               "PARTITIONED",
                                               "PRECISION",
                                               "PRESTEXT",
                                               "PX-SERVER",
                                               "REFPERIOD",
                                               "ROUNDING",
                                               "SEASADJ",
                                               "SHOWDECIMALS",
                                               "SOURCE",
                                               "STOCKFA",
                                               "STUB",
                                               "SUBJECT-AREA",
                                               "SUBJECT-CODE",
                                               "SURVEY",
                                               "SYNONYMS",
                                               "TABLEID",
                                               "TIMEVAL",
                                               "TITLE",
                                               "UNITS",
                                               "UPDATE-FREQUENCY",
                                               "VALUENOTE",
                                               "VALUENOTEX",
                                               "VALUES",
                                               "VARIABLE-TYPE",
                                               "VARIABLECODE"};

bool Known(std::string_view name) {
  return std::find(std::begin(kKnownKeywords), std::end(kKnownKeywords), name) !=
         std::end(kKnownKeywords);
}

std::string Joined(const std::vector<PxItem>& items) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += item.range_to_next ? "-" : ", ";
    text += item.text;
  }
  return text;
}

// The header's keywords by name, language and subkeys (the first of each).
class KeywordIndex {
 public:
  explicit KeywordIndex(const PxHeader& header) {
    for (const auto& keyword : header.keywords) {
      index_.emplace(Key(keyword.name, keyword.language, keyword.subkeys), &keyword);
    }
  }
  const PxKeyword* Get(std::string_view name, std::string_view language,
                       const std::vector<std::string>& subkeys = {}) const {
    auto it = index_.find(Key(name, language, subkeys));
    return it == index_.end() ? nullptr : it->second;
  }
  // The keyword in `language` with `subkeys`, else in the default language with
  // `default_subkeys`.
  const PxKeyword* Either(std::string_view name, std::string_view language,
                          const std::vector<std::string>& subkeys,
                          const std::vector<std::string>& default_subkeys) const {
    if (!language.empty()) {
      if (const auto* found = Get(name, language, subkeys)) return found;
    }
    return Get(name, "", default_subkeys);
  }
  std::string Text(std::string_view name, std::string_view language) const {
    const auto* keyword = Either(name, language, {}, {});
    return keyword == nullptr || keyword->items.empty() ? "" : keyword->items.front().text;
  }

 private:
  static std::string Key(std::string_view name, std::string_view language,
                         const std::vector<std::string>& subkeys) {
    std::string key = fmt::format("{}\x1f{}", name, language);
    for (const auto& subkey : subkeys) key += "\x1f" + subkey;
    return key;
  }
  std::unordered_map<std::string, const PxKeyword*> index_;
};

std::vector<std::string> Texts(const PxKeyword* keyword) {
  std::vector<std::string> texts;
  if (keyword == nullptr) return texts;
  for (const auto& item : keyword->items) texts.push_back(item.text);
  return texts;
}

int IntOf(const PxKeyword* keyword) {
  if (keyword == nullptr || keyword->items.empty()) return -1;
  int number = 0;
  for (char c : keyword->items.front().text) {
    if (c < '0' || c > '9' || number > 1000) return -1;
    number = number * 10 + (c - '0');
  }
  return number;
}

// The language read: "" (the default) or a language the file has.
bool ChooseLanguage(const KeywordIndex& index, const PxReadOptions& options, PxTable& table,
                    std::string& tag, PxProblems& problems) {
  table.language = index.Text("LANGUAGE", "");
  table.languages = Texts(index.Get("LANGUAGES", ""));
  tag.clear();
  if (options.language.empty() || options.language == table.language) {
    if (table.language.empty()) table.language = options.language;
    return true;
  }
  if (std::find(table.languages.begin(), table.languages.end(), options.language) ==
      table.languages.end()) {
    const auto* where = index.Get("LANGUAGES", "");
    if (where == nullptr) where = index.Get("LANGUAGE", "");
    problems.Add(
        where == nullptr ? 0 : where->offset,
        fmt::format("the file has no texts in the language \"{}\" (it has: {})", options.language,
                    table.languages.empty()
                        ? (table.language.empty() ? "one, unnamed" : table.language)
                        : fmt::format("{}", fmt::join(table.languages, ", "))));
    return false;
  }
  table.language = options.language;
  tag = options.language;
  return true;
}

// KEYS("v")=VALUES or CODES: what the rows of keyed DATA write for each of v's values.
void ReadKeys(const PxKeyword& keys, std::vector<std::string> default_values, PxVariable& variable,
              PxProblems& problems) {
  const std::string word = keys.items.empty() ? std::string() : keys.items.front().text;
  if (variable.heading) {
    problems.Add(keys.offset, fmt::format("KEYS(\"{}\") names a HEADING variable: only the STUB "
                                          "variables' values start the rows of DATA",
                                          variable.default_name));
  } else if (word == "CODES") {
    variable.key = PxKey::kCodes;
    variable.keys = variable.codes;
  } else if (word == "VALUES") {
    variable.key = PxKey::kValues;
    variable.keys = std::move(default_values);
  } else {
    problems.Add(keys.offset, fmt::format("KEYS(\"{}\") must be VALUES or CODES, not \"{}\"",
                                          variable.default_name, word));
  }
}

// With KEYS, every STUB variable has one: each row starts with all of their values.
bool CheckKeys(PxTable& table, PxProblems& problems) {
  table.keyed =
      std::any_of(table.variables.begin(), table.variables.end(),
                  [](const PxVariable& variable) { return variable.key != PxKey::kNone; });
  if (!table.keyed) return true;
  for (const auto& variable : table.variables) {
    if (!variable.heading && variable.key == PxKey::kNone) {
      problems.Add(variable.offset,
                   fmt::format("the STUB variable \"{}\" has no KEYS(\"{}\"): in a file with "
                               "KEYS every row of DATA starts with each STUB variable's value",
                               variable.default_name, variable.default_name));
    }
  }
  return problems.Empty();
}

// VALUES, CODES, VARIABLECODE, TIMEVAL, VARIABLE-TYPE, KEYS and ELIMINATION of one variable.
void ReadVariable(const KeywordIndex& index, const std::string& tag, std::size_t stub_offset,
                  PxVariable& variable, PxProblems& problems) {
  const std::vector<std::string> own{variable.default_name};
  const std::vector<std::string> translated{variable.name};
  const PxKeyword* values = index.Get("VALUES", "", own);
  if (values == nullptr) {
    problems.Add(stub_offset, fmt::format("the variable \"{}\" has no VALUES(\"{}\")",
                                          variable.default_name, variable.default_name));
    return;
  }
  variable.offset = values->offset;
  const PxKeyword* shown = index.Either("VALUES", tag, translated, own);
  variable.values = Texts(shown);
  for (const auto& item : shown->items) variable.value_offsets.push_back(item.offset);
  if (shown->items.size() != values->items.size()) {
    problems.Add(shown->offset,
                 fmt::format("VALUES[{}](\"{}\") has {} values but VALUES(\"{}\") has {}: the "
                             "languages' values are paired by position",
                             tag, variable.name, shown->items.size(), variable.default_name,
                             values->items.size()));
  }
  variable.codes = Texts(values);
  if (const PxKeyword* codes = index.Get("CODES", "", own)) {
    if (codes->items.size() != values->items.size()) {
      problems.Add(values->offset,
                   fmt::format("VALUES(\"{}\") has {} values but CODES(\"{}\") has {} codes: each "
                               "value needs one code",
                               variable.default_name, values->items.size(), variable.default_name,
                               codes->items.size()));
    }
    variable.codes = Texts(codes);
  }
  variable.code = variable.default_name;
  if (const PxKeyword* code = index.Get("VARIABLECODE", "", own); code && !code->items.empty()) {
    variable.code = code->items.front().text;
  }
  if (const PxKeyword* type = index.Get("VARIABLE-TYPE", "", own); type && !type->items.empty()) {
    std::string text = type->items.front().text;
    variable.time = text == "Time" || text == "time" || text == "TIME";
  }
  if (const PxKeyword* timeval = index.Either("TIMEVAL", tag, translated, own)) {
    variable.time = true;
    variable.periods = ReadTimeval(timeval->items, timeval->offset, problems);
    if (!variable.periods.empty() && variable.periods.size() != values->items.size()) {
      problems.Add(
          timeval->offset,
          fmt::format("TIMEVAL(\"{}\") gives {} periods but the variable has {} values",
                      variable.default_name, variable.periods.size(), values->items.size()));
    }
  }
  if (const PxKeyword* keys = index.Get("KEYS", "", own)) {
    ReadKeys(*keys, Texts(values), variable, problems);
  }
  if (const PxKeyword* elimination = index.Get("ELIMINATION", "", own);
      elimination && !elimination->items.empty() && elimination->items.front().quoted) {
    const auto& total = elimination->items.front().text;
    const auto labels = Texts(values);
    auto it = std::find(labels.begin(), labels.end(), total);
    if (it == labels.end()) {
      problems.Add(elimination->items.front().offset,
                   fmt::format("ELIMINATION(\"{}\") names \"{}\", which is not one of its VALUES",
                               variable.default_name, total));
    } else {
      variable.elimination = static_cast<std::size_t>(it - labels.begin());
    }
  }
}

bool ReadVariables(const KeywordIndex& index, const std::string& tag, PxTable& table,
                   PxProblems& problems) {
  for (const bool heading : {false, true}) {
    const char* name = heading ? "HEADING" : "STUB";
    const PxKeyword* own = index.Get(name, "");
    if (own == nullptr) continue;
    const PxKeyword* shown = tag.empty() ? own : index.Get(name, tag);
    if (shown == nullptr) shown = own;
    if (shown->items.size() != own->items.size()) {
      problems.Add(shown->offset, fmt::format("{}[{}] names {} variables but {} names {}", name,
                                              tag, shown->items.size(), name, own->items.size()));
      return false;
    }
    for (std::size_t var_idx = 0; var_idx < own->items.size(); ++var_idx) {
      PxVariable variable;
      variable.default_name = own->items[var_idx].text;
      variable.name = shown->items[var_idx].text;
      variable.heading = heading;
      ReadVariable(index, tag, own->offset, variable, problems);
      table.variables.push_back(std::move(variable));
    }
  }
  if (table.variables.empty()) {
    problems.Add(0, "the file has neither STUB nor HEADING: it names no variables");
    return false;
  }
  return problems.Empty();
}

void ReadContents(const KeywordIndex& index, const std::string& tag, PxTable& table,
                  PxProblems& problems) {
  const int decimals = IntOf(index.Get("DECIMALS", ""));
  const int show_decimals = IntOf(index.Get("SHOWDECIMALS", ""));
  auto units = [&](const std::vector<std::string>& shown, const std::vector<std::string>& own) {
    const PxKeyword* keyword = index.Either("UNITS", tag, shown, own);
    if (keyword == nullptr) keyword = index.Either("UNITS", tag, {}, {});
    return keyword == nullptr || keyword->items.empty() ? std::string()
                                                        : keyword->items.front().text;
  };
  const PxKeyword* contvariable = index.Get("CONTVARIABLE", "");
  if (contvariable == nullptr || contvariable->items.empty()) {
    table.contents_meta.push_back(PxContent{units({}, {}), decimals, show_decimals, -1});
    return;
  }
  const std::string& name = contvariable->items.front().text;
  auto it = std::find_if(table.variables.begin(), table.variables.end(),
                         [&](const PxVariable& variable) { return variable.default_name == name; });
  if (it == table.variables.end()) {
    problems.Add(
        contvariable->offset,
        fmt::format("CONTVARIABLE names \"{}\", which is in neither STUB nor HEADING", name));
    return;
  }
  it->content = true;
  table.content_variable = static_cast<std::size_t>(it - table.variables.begin());
  const auto own_values = Texts(index.Get("VALUES", "", {name}));
  for (std::size_t value_idx = 0; value_idx < it->values.size(); ++value_idx) {
    const std::string& own = value_idx < own_values.size() ? own_values[value_idx] : "";
    PxContent content{units({it->values[value_idx]}, {own}), decimals, show_decimals,
                      IntOf(index.Get("PRECISION", "", {name, own}))};
    table.contents_meta.push_back(std::move(content));
  }
}

void ReadSymbols(const KeywordIndex& index, const std::string& tag, PxTable& table) {
  for (int symbol = 1; symbol <= 6; ++symbol) {
    table.symbol_texts[symbol] = index.Text(fmt::format("DATASYMBOL{}", symbol), tag);
  }
  table.symbol_texts[static_cast<int>(PxSymbol::kNil)] = index.Text("DATASYMBOLNIL", tag);
  table.symbol_texts[static_cast<int>(PxSymbol::kSum)] = index.Text("DATASYMBOLSUM", tag);
}

// Notes in the language read, and every keyword the reader does not know.
void ReadNotes(const PxHeader& header, const std::string& tag, PxTable& table) {
  std::map<std::string, std::size_t> marked_cells;  // DATANOTECELL symbol -> cells
  std::size_t first_marked = 0;
  for (const auto& keyword : header.keywords) {
    const std::string& name = keyword.name;
    if (!Known(name)) {
      table.notes.push_back(
          {keyword.offset,
           fmt::format(
               "unknown keyword {}{}: {}", name,
               keyword.subkeys.empty() ? "" : fmt::format("({})", fmt::join(keyword.subkeys, ", ")),
               Joined(keyword.items))});
      continue;
    }
    if (keyword.language != tag) continue;
    if (name == "DATANOTECELL" && !keyword.items.empty()) {
      if (marked_cells.empty()) first_marked = keyword.offset;
      ++marked_cells[keyword.items.front().text];
      continue;
    }
    if (name != "NOTE" && name != "NOTEX" && name != "VALUENOTE" && name != "VALUENOTEX" &&
        name != "CELLNOTE" && name != "CELLNOTEX") {
      continue;
    }
    std::string head = name.ends_with('X') ? name.substr(0, name.size() - 1) : name;
    if (!keyword.subkeys.empty()) head += fmt::format("({})", fmt::join(keyword.subkeys, ", "));
    table.notes.push_back({keyword.offset, fmt::format("{}: {}", head, Joined(keyword.items))});
  }
  for (const auto& [symbol, count] : marked_cells) {
    table.notes.push_back(
        {first_marked, fmt::format("DATANOTECELL: {} cells are marked \"{}\"", count, symbol)});
  }
}

}  // namespace

Result<PxTable> ReadPxTable(std::string_view text, std::string_view file_name,
                            const PxReadOptions& options) {
  PxPositions positions(text, file_name, true);
  PxProblems problems(positions);
  PxTable table;
  table.file = std::string(file_name);
  PxHeader header = ReadPxHeader(text, positions, problems);
  table.encoding = header.encoding;
  if (!problems.Empty()) return problems.Fail();
  const KeywordIndex index(header);
  std::string tag;
  if (!ChooseLanguage(index, options, table, tag, problems) ||
      !ReadVariables(index, tag, table, problems)) {
    return problems.Fail();
  }
  if (!CheckKeys(table, problems)) return problems.Fail();
  table.table_id = index.Text("TABLEID", "");
  if (table.table_id.empty()) table.table_id = index.Text("MATRIX", "");
  table.contents = index.Text("CONTENTS", tag);
  table.title = index.Text("TITLE", tag);
  if (table.title.empty()) table.title = index.Text("DESCRIPTION", tag);
  if (table.title.empty()) table.title = table.contents;
  ReadContents(index, tag, table, problems);
  ReadSymbols(index, tag, table);
  ReadNotes(header, tag, table);
  if (header.data_offset == std::string_view::npos) {
    problems.Add(text.size(), "the file has no DATA");
  }
  if (!problems.Empty()) return problems.Fail();

  table.data_offset = header.data_offset;
  // Every cell takes at least two bytes of DATA (a digit and a separator): a larger product
  // cannot fit, and is not allocated. Keyed DATA leaves out rows of zeros: up to kKeyedCells
  // cells, or 64 per byte of DATA.
  const std::uint64_t data_bytes = text.size() - header.data_offset;
  const std::uint64_t max_cells =
      table.keyed ? std::max<std::uint64_t>(kKeyedCells, 64 * data_bytes) : data_bytes + 1;
  std::uint64_t cells = 1;
  for (const auto& variable : table.variables) {
    cells *= variable.values.size();
    if (cells > max_cells) {
      problems.Add(header.data_keyword_offset,
                   table.keyed
                       ? fmt::format("the keyed table has more than {} cells, more than Hälsonav "
                                     "reads for {} bytes of DATA (docs/px.md, KEYS)",
                                     max_cells, data_bytes)
                       : fmt::format("DATA holds fewer cells than the variables give: {} bytes of "
                                     "DATA cannot hold one cell per combination of values",
                                     data_bytes));
      return problems.Fail();
    }
  }
  table.cells = cells;
  ReadPxData(text, table, problems);
  if (!problems.Empty()) return problems.Fail();
  return table;
}

}  // namespace halsonav::statsio
