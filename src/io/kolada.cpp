#include "io/kolada.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "io/csv.hpp"
#include "io/json_input.hpp"
#include "io/problems.hpp"
#include "io/status_words.hpp"

namespace halsonav::statsio {
namespace {

namespace od = simdjson::ondemand;

// Values beyond this are refused: no Kolada KPI comes near it (the largest are kronor totals in
// the 1e11 range), and a double above it no longer holds every integer exactly.
constexpr double kLargestValue = 1e15;

// The breakdown indices a data response uses: 0 total (gender T), then women (K) and men (M) as
// they first appear.
enum class Gender : std::uint8_t { kTotal, kWomen, kMen };

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};
using InternMap = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;

// Walks the JSON of a whole file with simdjson on-demand and reports problems with JSON pointers.
// Shared by the data response and the area list readers. The pointer of the value being read is
// kept in one growing buffer (path()), so that reading allocates nothing per value.
class JsonWalker {
 public:
  JsonWalker(std::string_view text, std::string_view file_name)
      : text_(text), file_name_(csv::ValidUtf8(file_name)), padded_(text) {
    path_.reserve(128);
  }

  std::vector<Problem>& problems() { return problems_; }
  const std::string& file_name() const { return file_name_; }
  bool fatal() const { return fatal_; }
  const std::string& path() const { return path_; }

  // A problem at the value being read (path()), or at one of its keys.
  void Report(std::string message) { ReportAt(path_, std::move(message)); }
  void ReportKey(std::string_view key, std::string message) {
    ReportAt(fmt::format("{}/{}", path_, key), std::move(message));
  }
  void ReportAt(std::string_view pointer, std::string message) {
    problems_.push_back({fmt::format("{}#{}", file_name_, pointer), std::move(message)});
  }

  // Enters an object key or array index of the pointer; Leave(mark) goes back.
  std::size_t EnterKey(std::string_view key) {
    const auto mark = path_.size();
    path_.push_back('/');
    path_.append(key);
    return mark;
  }
  std::size_t EnterIndex(std::size_t index) {
    const auto mark = path_.size();
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), index);
    path_.push_back('/');
    path_.append(buffer.data(), result.ptr);
    return mark;
  }
  void Leave(std::size_t mark) { path_.resize(mark); }

  // A syntax error that stops the reading: where it is, in words.
  void Fatal(simdjson::error_code error, const char* location) {
    fatal_ = true;
    problems_.push_back(JsonSyntaxProblem(file_name_, text_, error,
                                          location != nullptr
                                              ? static_cast<std::size_t>(location - padded_.data())
                                              : std::string_view::npos));
  }

  // Fatal, at the document's current place.
  void FatalHere(simdjson::error_code error) {
    const char* location = nullptr;
    if (doc_.current_location().get(location) != simdjson::SUCCESS) location = nullptr;
    Fatal(error, location);
  }

  // Starts the document; false (and a problem) when simdjson refuses it at once.
  bool Start() {
    if (auto error = parser_.iterate(padded_).get(doc_)) {
      Fatal(error, nullptr);
      return false;
    }
    return true;
  }

  od::document& doc() { return doc_; }

  // After the top-level value: anything left but blanks is a problem.
  void CheckEnd() {
    if (fatal_) return;
    const char* location = nullptr;
    if (doc_.current_location().get(location) == simdjson::SUCCESS && location != nullptr) {
      const auto offset = static_cast<std::size_t>(location - padded_.data());
      if (offset < text_.size() && !csv::Trim(text_.substr(offset)).empty()) {
        problems_.push_back(
            {TextPosition(file_name_, text_, offset), "text after the end of the JSON value"});
      }
    }
  }

  // Iterates an object's fields, calling `on_field(key, value)` for each with path() at the
  // field; a duplicate key is reported and its second value skipped. false on a fatal error
  // (or when on_field returns false).
  template <typename OnField>
  bool Fields(od::object object, OnField&& on_field) {
    if (depth_ == keys_seen_.size()) keys_seen_.emplace_back();
    const std::size_t depth = depth_++;
    keys_seen_[depth].clear();
    bool ok = true;
    for (auto field_result : object) {
      od::field field;
      if (auto error = std::move(field_result).get(field)) {
        FatalHere(error);
        ok = false;
        break;
      }
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) {
        FatalHere(error);
        ok = false;
        break;
      }
      auto& seen = keys_seen_[depth];
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        ReportKey(key, fmt::format("the key \"{}\" appears twice in one object; the second is "
                                   "ignored",
                                   key));
        continue;
      }
      seen.push_back(key);
      const auto mark = EnterKey(key);
      const bool field_ok = on_field(key, field.value());
      Leave(mark);
      if (!field_ok || fatal_) {
        ok = false;
        break;
      }
    }
    --depth_;
    return ok && !fatal_;
  }

  // Iterates an array, calling `on_element(index, value)` with path() at the element.
  template <typename OnElement>
  bool Elements(od::array array, OnElement&& on_element) {
    std::size_t index = 0;
    for (auto element_result : array) {
      od::value element;
      if (auto error = std::move(element_result).get(element)) {
        FatalHere(error);
        return false;
      }
      const auto mark = EnterIndex(index);
      const bool ok = on_element(index, element);
      Leave(mark);
      if (!ok || fatal_) return false;
      ++index;
    }
    return true;
  }

  // The value's JSON type; false (a fatal problem) when it cannot be told.
  bool Type(od::value& value, od::json_type& type) {
    if (auto error = value.type().get(type)) {
      FatalHere(error);
      return false;
    }
    return true;
  }

  // The value as an object or array of the expected kind. `ok` false on a fatal error; the
  // result false (and a problem naming `what`) when the value is of another type.
  bool Object(od::value& value, od::object& out, std::string_view what, bool& ok) {
    return As(value, od::json_type::object, what, ok) && Get(value.get_object(), out, ok);
  }
  bool Array(od::value& value, od::array& out, std::string_view what, bool& ok) {
    return As(value, od::json_type::array, what, ok) && Get(value.get_array(), out, ok);
  }
  // The value as a string; a problem naming `what` when it is not one.
  bool String(od::value& value, std::string_view& out, std::string_view what, bool& ok) {
    return As(value, od::json_type::string, what, ok) && Get(value.get_string(), out, ok);
  }

 private:
  bool As(od::value& value, od::json_type expected, std::string_view what, bool& ok) {
    od::json_type type;
    ok = Type(value, type);
    if (!ok) return false;
    if (type != expected) {
      Report(
          fmt::format("{} must be {}; it is {}", what, JsonTypeWord(expected), JsonTypeWord(type)));
      return false;
    }
    return true;
  }
  template <typename T, typename U>
  bool Get(simdjson::simdjson_result<T> result, U& out, bool& ok) {
    if (auto error = std::move(result).get(out)) {
      FatalHere(error);
      ok = false;
      return false;
    }
    return true;
  }

  std::string_view text_;
  std::string file_name_;
  simdjson::padded_string padded_;
  od::parser parser_;
  od::document doc_;
  std::vector<Problem> problems_;
  std::string path_;
  // The keys of each object being read, by depth (string views into the parser's buffer); kept
  // between objects so that their capacity is reused.
  std::vector<std::vector<std::string_view>> keys_seen_;
  std::size_t depth_ = 0;
  bool fatal_ = false;
};

// ---- Data responses ----------------------------------------------------------------------------

class DataReader {
 public:
  DataReader(std::string_view text, std::string_view file_name) : json_(text, file_name) {}

  Result<StatsBatch> Read() {
    batch_.file = json_.file_name();
    batch_.origin_kind = OriginKind::kKoladaValue;
    batch_.breakdowns.emplace_back();  // the total
    if (json_.Start()) ReadTop();
    json_.CheckEnd();
    if (!json_.fatal()) FindDuplicates();
    if (!json_.problems().empty()) {
      return ProblemsError(json_.problems(), "the Kolada data file");
    }
    return std::move(batch_);
  }

 private:
  // One inner value as read, before its item's kpi, municipality and period are known.
  struct Inner {
    Gender gender = Gender::kTotal;
    bool ok = false;  // a gender was read and nothing in the value was a problem
    double value = kAbsent;
    std::uint8_t status = 0;
  };

  // Where each page's items start in the file's item count (origin's item), and its pointer.
  struct Page {
    std::uint64_t first_item = 0;
    std::string prefix;  // "" for a single response, "/3" for the fourth page of an array
  };

  void ReadTop() {
    od::value root;
    // The document is read as a value so that one code path takes both shapes.
    if (auto error = json_.doc().get_value().get(root)) {
      json_.FatalHere(error);
      return;
    }
    od::json_type type;
    if (!json_.Type(root, type)) return;
    if (type == od::json_type::object) {
      pages_.push_back({next_item_, ""});
      ReadResponse(root);
      return;
    }
    if (type != od::json_type::array) {
      json_.Report(
          fmt::format("a Kolada data response is an object {{\"values\": [...]}} or an "
                      "array of them; this is {}",
                      JsonTypeWord(type)));
      return;
    }
    od::array pages;
    if (auto error = root.get_array().get(pages)) {
      json_.FatalHere(error);
      return;
    }
    std::size_t count = 0;
    json_.Elements(pages, [&](std::size_t, od::value& page) {
      pages_.push_back({next_item_, json_.path()});
      ++count;
      return ReadResponse(page);
    });
    if (count == 0 && !json_.fatal()) {
      json_.Report("an empty array: no Kolada responses in the file");
    }
  }

  // One response {"values": [...], "count", "next_page"…}; false on a fatal error.
  bool ReadResponse(od::value& response) {
    bool ok = true;
    od::object object;
    if (!json_.Object(response, object, "a Kolada data response", ok)) return ok;
    bool has_values = false;
    ok = json_.Fields(object, [&](std::string_view key, od::value value) {
      // count, next_page / next_url, previous_page / previous_url: not needed to read the data.
      if (key != "values") return true;
      has_values = true;
      od::array items;
      bool items_ok = true;
      if (!json_.Array(value, items, "\"values\"", items_ok)) return items_ok;
      return json_.Elements(items, [&](std::size_t, od::value& item) {
        const bool item_ok = ReadItem(item);
        ++next_item_;
        return item_ok;
      });
    });
    if (ok && !has_values) json_.Report("no \"values\": not a Kolada data response");
    return ok;
  }

  // {"kpi", "municipality", "period", "values": [{"gender","count","status","value"}…]}
  bool ReadItem(od::value& item) {
    bool ok = true;
    od::object object;
    if (!json_.Object(item, object, "an item of \"values\"", ok)) return ok;
    std::string_view kpi;
    std::string_view municipality;
    std::string_view municipality_key;
    std::optional<Period> period;
    bool kpi_seen = false;
    bool period_seen = false;
    bool ou = false;
    bool inner_seen = false;
    inner_.clear();
    ok = json_.Fields(object, [&](std::string_view key, od::value value) {
      if (key == "kpi") {
        kpi_seen = true;
        return ReadCode(value, "\"kpi\"", kpi);
      }
      // v2 and v3 both write "municipality"; "municipality_id" (the tidy form rKolada writes)
      // is read the same way.
      if (key == "municipality" || key == "municipality_id") {
        if (!municipality_key.empty()) {
          json_.Report(fmt::format("both \"{}\" and \"{}\"", municipality_key, key));
          return true;
        }
        municipality_key = key;
        return ReadCode(value, "\"municipality\"", municipality);
      }
      if (key == "ou" || key == "ou_id") {
        ou = true;
        return true;
      }
      if (key == "period" || key == "year") {
        period_seen = true;
        return ReadPeriod(value, period);
      }
      if (key == "values") {
        inner_seen = true;
        return ReadInner(value);
      }
      return true;  // other keys (a title, a municipality_type…) carry nothing kept
    });
    if (!ok) return false;
    if (ou) {
      if (!ou_reported_) {
        json_.Report(
            "organisational-unit data (\"ou\") is not supported: Hälsonav keeps municipality and "
            "region data; fetch /data/kpi/…/municipality/… instead");
        ou_reported_ = true;
      }
      return true;
    }
    bool complete = true;
    for (const auto& [seen, name] :
         {std::pair{kpi_seen, "kpi"}, std::pair{!municipality_key.empty(), "municipality"},
          std::pair{period_seen, "period"}, std::pair{inner_seen, "values"}}) {
      if (!seen) {
        json_.Report(fmt::format("the item has no \"{}\"", name));
        complete = false;
      }
    }
    if (!complete || kpi.empty() || municipality.empty() || !period) return true;
    const auto indicator = Intern(indicators_, last_kpi_, kpi, true);
    const auto area = Intern(areas_, last_area_, municipality, false);
    const auto period_key = PeriodKey(*period);
    for (std::size_t inner_idx = 0; inner_idx < inner_.size(); ++inner_idx) {
      const Inner& inner = inner_[inner_idx];
      if (!inner.ok) continue;
      ObservationDraft draft;
      draft.indicator = indicator;
      draft.area = area;
      draft.breakdown = BreakdownIndex(inner.gender);
      draft.period = period_key;
      draft.value = inner.value;
      draft.status = inner.status;
      draft.origin = (next_item_ << 8) | inner_idx;
      batch_.observations.push_back(draft);
    }
    return true;
  }

  // A code (kpi, municipality): a non-empty string.
  bool ReadCode(od::value& value, std::string_view what, std::string_view& out) {
    bool ok = true;
    if (!json_.String(value, out, what, ok)) return ok;
    out = csv::Trim(out);
    if (out.empty()) json_.Report(fmt::format("{} is empty", what));
    return true;
  }

  // Kolada's period is an integer year (v2 and v3 alike; v2's README calls it a string, so a
  // string is read too).
  bool ReadPeriod(od::value& value, std::optional<Period>& out) {
    od::json_type type;
    if (!json_.Type(value, type)) return false;
    std::string_view text;
    std::array<char, 32> buffer{};
    if (type == od::json_type::number) {
      std::int64_t year = 0;
      if (value.get_int64().get(year) != simdjson::SUCCESS) {
        json_.Report("\"period\" must be a whole year such as 2022");
        return true;
      }
      const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), year);
      text = std::string_view(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
    } else {
      bool ok = true;
      if (!json_.String(value, text, "\"period\"", ok)) return ok;
    }
    out = ParsePeriod(text);
    if (!out) json_.Report(fmt::format("\"{}\" is not a period (a year 1800–2200)", text));
    return true;
  }

  bool ReadInner(od::value& value) {
    od::array array;
    bool ok = true;
    if (!json_.Array(value, array, "\"values\"", ok)) return ok;
    ok = json_.Elements(array, [&](std::size_t inner_idx, od::value& inner_value) {
      if (inner_idx >= 256) {
        // origin keeps the inner index in 8 bits; Kolada writes at most three (T, K, M).
        if (inner_idx == 256) json_.Report("more than 256 values in one item");
        return true;
      }
      Inner inner;
      if (!ReadOneInner(inner_value, inner)) return false;
      // The same gender twice in one item: both pointers.
      for (std::size_t first = 0; first < inner_.size() && inner.ok; ++first) {
        if (inner_[first].ok && inner_[first].gender == inner.gender) {
          json_.Report(fmt::format("gender \"{}\" twice in one item: also {}#{}",
                                   GenderCode(inner.gender), json_.file_name(),
                                   SiblingPointer(first)));
          inner.ok = false;
        }
      }
      inner_.push_back(inner);
      return true;
    });
    return ok;
  }

  // The pointer of another element of the array being read ("…/values/1" for index 1).
  std::string SiblingPointer(std::size_t index) const {
    const auto& path = json_.path();
    return fmt::format("{}/{}", std::string_view(path).substr(0, path.rfind('/')), index);
  }

  static std::string_view GenderCode(Gender gender) {
    switch (gender) {
      case Gender::kTotal:
        return "T";
      case Gender::kWomen:
        return "K";
      case Gender::kMen:
        return "M";
    }
    return "?";
  }

  bool ReadOneInner(od::value& value, Inner& inner) {
    od::object object;
    bool ok = true;
    if (!json_.Object(value, object, "a value {\"gender\", \"status\", \"value\"}", ok)) {
      return ok;
    }
    bool gender_seen = false;
    bool value_seen = false;
    bool deleted = false;
    const auto problems_before = json_.problems().size();
    ok = json_.Fields(object, [&](std::string_view key, od::value field) {
      if (key == "gender") {
        gender_seen = true;
        return ReadGender(field, inner);
      }
      if (key == "value") {
        value_seen = true;
        return ReadValue(field, inner);
      }
      if (key == "status") return ReadStatus(field, inner);
      if (key == "isdeleted") {
        bool flag = false;
        if (field.get_bool().get(flag) == simdjson::SUCCESS) deleted = flag;
        return true;
      }
      // "count" is how many group members an unweighted group mean stands on (1 for a single
      // municipality), not a number of people: it is not kept.
      return true;
    });
    if (!ok) return false;
    if (!gender_seen) json_.Report("the value has no \"gender\" (T, K or M)");
    if (!value_seen) json_.Report("the value has no \"value\" (a number or null)");
    if (deleted) inner.status |= kObservationMissing;
    if ((inner.status & kObservationMissing) != 0) inner.value = kAbsent;
    if (!Present(inner.value)) inner.status |= kObservationMissing;
    inner.ok = gender_seen && json_.problems().size() == problems_before;
    return true;
  }

  bool ReadGender(od::value& value, Inner& inner) {
    std::string_view code;
    bool ok = true;
    if (!json_.String(value, code, "\"gender\"", ok)) return ok;
    if (code == "T") {
      inner.gender = Gender::kTotal;
    } else if (code == "K") {
      inner.gender = Gender::kWomen;
    } else if (code == "M") {
      inner.gender = Gender::kMen;
    } else {
      json_.Report(fmt::format(
          "unknown gender \"{}\"; Kolada writes T (total), K (women) or M (men)", code));
    }
    return true;
  }

  bool ReadValue(od::value& value, Inner& inner) {
    od::json_type type;
    if (!json_.Type(value, type)) return false;
    if (type == od::json_type::null) {
      inner.value = kAbsent;
      return true;
    }
    if (type != od::json_type::number) {
      json_.Report(fmt::format("\"value\" must be a number or null; it is {}", JsonTypeWord(type)));
      return true;
    }
    double number = 0;
    if (auto error = value.get_double().get(number)) {
      if (error != simdjson::NUMBER_ERROR) {
        json_.FatalHere(error);
        return false;
      }
      const std::string_view raw = value.raw_json_token();
      json_.Report(fmt::format("{} is not a finite number", csv::Trim(raw).substr(0, 40)));
      return true;
    }
    if (!std::isfinite(number) || std::fabs(number) > kLargestValue) {
      json_.Report(fmt::format("{} is beyond ±1e15: refused as an error in the file", number));
      return true;
    }
    inner.value = number;
    return true;
  }

  // Kolada's status is "" for an ordinary value, else a flag "such as missing" (no list is
  // published). Words are read as status_words.hpp lists them; an unknown word is a problem, so
  // that no flag is silently dropped.
  bool ReadStatus(od::value& value, Inner& inner) {
    od::json_type type;
    if (!json_.Type(value, type)) return false;
    if (type == od::json_type::null) return true;
    std::string_view text;
    bool ok = true;
    if (!json_.String(value, text, "\"status\"", ok)) return ok;
    text = csv::Trim(text);
    if (text.empty()) return true;
    const auto flag = StatusWordFlag(csv::Fold(text));
    if (!flag) {
      json_.Report(
          fmt::format("unknown status \"{}\"; known: \"\" (none), Missing and the words "
                      "listed in docs/kolada-and-csv.md",
                      text));
      return true;
    }
    inner.status |= *flag;
    return true;
  }

  std::uint32_t BreakdownIndex(Gender gender) {
    if (gender == Gender::kTotal) return 0;
    auto& slot = gender_breakdown_[static_cast<std::size_t>(gender)];
    if (slot == 0) {
      slot = static_cast<std::uint32_t>(batch_.breakdowns.size());
      batch_.breakdowns.push_back(
          {{std::string(kSexDimension), gender == Gender::kWomen ? "women" : "men"}});
    }
    return slot;
  }

  // The index of a KPI or area code, added at its first mention (path() is the item). Items in
  // a row mostly repeat the same codes, so the last one is checked before the map.
  std::uint32_t Intern(InternMap& map, std::pair<std::string, std::uint32_t>& last,
                       std::string_view code, bool indicator) {
    if (!last.first.empty() && last.first == code) return last.second;
    auto found = map.find(code);
    std::uint32_t index = 0;
    if (found != map.end()) {
      index = found->second;
    } else if (indicator) {
      index = static_cast<std::uint32_t>(batch_.indicators.size());
      IndicatorRef ref;
      ref.definition.code = std::string(code);
      ref.definition.source = IndicatorSource::kKolada;
      ref.definition.source_code = std::string(code);
      ref.where = fmt::format("{}#{}/kpi", json_.file_name(), json_.path());
      batch_.indicators.push_back(std::move(ref));
      map.emplace(std::string(code), index);
    } else {
      index = static_cast<std::uint32_t>(batch_.areas.size());
      AreaRef ref;
      ref.code = NormalizeAreaCode(code);
      ref.where = fmt::format("{}#{}/municipality", json_.file_name(), json_.path());
      batch_.areas.push_back(std::move(ref));
      map.emplace(std::string(code), index);
    }
    last.first.assign(code);
    last.second = index;
    return index;
  }

  // The JSON pointer of an observation, pages resolved.
  std::string Pointer(const ObservationDraft& observation) const {
    const std::uint64_t item = observation.origin >> 8;
    auto page = std::upper_bound(
        pages_.begin(), pages_.end(), item,
        [](std::uint64_t value, const Page& candidate) { return value < candidate.first_item; });
    const Page& found = *(page - 1);
    return fmt::format("{}/values/{}/values/{}", found.prefix, item - found.first_item,
                       observation.origin & 0xFF);
  }

  // The same kpi × municipality × period × gender twice: both places named.
  void FindDuplicates() {
    const auto& observations = batch_.observations;
    // The keys are sorted in a compact copy: sorting indices into 88-byte observations missed
    // the cache on every comparison.
    struct Key {
      std::uint32_t indicator;
      std::uint32_t area;
      std::int64_t period;
      std::uint32_t breakdown;
      std::uint32_t idx;
      auto Tie() const { return std::tie(indicator, area, period, breakdown, idx); }
    };
    std::vector<Key> order(observations.size());
    for (std::uint32_t idx = 0; idx < order.size(); ++idx) {
      const auto& observation = observations[idx];
      order[idx] = {observation.indicator, observation.area, observation.period,
                    observation.breakdown, idx};
    }
    std::sort(order.begin(), order.end(),
              [](const Key& left, const Key& right) { return left.Tie() < right.Tie(); });
    for (std::size_t idx = 1; idx < order.size(); ++idx) {
      const Key& a = order[idx - 1];
      const Key& b = order[idx];
      if (a.indicator != b.indicator || a.area != b.area || a.period != b.period ||
          a.breakdown != b.breakdown) {
        continue;
      }
      const auto& first = observations[a.idx];
      const auto& second = observations[b.idx];
      const auto period = PeriodFromKey(second.period);
      json_.ReportAt(
          Pointer(second),
          fmt::format(
              "{} × {} × {} × {} appears twice: also {}#{}",
              batch_.indicators[second.indicator].definition.code, batch_.areas[second.area].code,
              period ? PeriodCode(*period) : "?",
              second.breakdown == 0 ? "total" : batch_.breakdowns[second.breakdown][0].second,
              json_.file_name(), Pointer(first)));
    }
  }

  JsonWalker json_;
  StatsBatch batch_;
  std::vector<Inner> inner_;
  std::vector<Page> pages_;
  std::uint64_t next_item_ = 0;
  InternMap indicators_;
  InternMap areas_;
  std::pair<std::string, std::uint32_t> last_kpi_;
  std::pair<std::string, std::uint32_t> last_area_;
  std::array<std::uint32_t, 3> gender_breakdown_{};
  bool ou_reported_ = false;
};

// ---- Registry CSV files ------------------------------------------------------------------------

// A CSV file whose header names its columns; rows are read by column name.
class RegistryCsv {
 public:
  RegistryCsv(std::string_view text, std::string_view file_name,
              std::vector<std::string_view> required)
      : file_name_(csv::ValidUtf8(file_name)) {
    table_ = csv::Parse(text, file_name_, problems_);
    auto& records = table_.records;
    auto header = std::find_if(records.begin(), records.end(),
                               [](const csv::Record& record) { return !record.Blank(); });
    if (header == records.end()) {
      if (problems_.empty()) problems_.push_back({csv::Where(file_name_, 1, 1), "an empty file"});
      return;
    }
    header_line_ = header->line;
    for (std::size_t idx = 0; idx < header->fields.size(); ++idx) {
      if (!csv::CheckUtf8(header->fields[idx], idx + 1, file_name_, problems_)) continue;
      columns_.emplace(csv::Fold(header->fields[idx].value), idx);
    }
    for (const auto name : required) {
      if (columns_.find(std::string(name)) == columns_.end()) {
        problems_.push_back({csv::Where(file_name_, header->line, 1),
                             fmt::format("the header has no column \"{}\"", name)});
      }
    }
    first_row_ = static_cast<std::size_t>(header - records.begin()) + 1;
  }

  std::vector<Problem>& problems() { return problems_; }
  const std::string& file_name() const { return file_name_; }
  std::size_t header_line() const { return header_line_; }

  // Calls on_row(row) for each non-blank row whose cell count matches and whose cells are UTF-8.
  template <typename OnRow>
  void Rows(OnRow&& on_row) {
    if (header_line_ == 0) return;
    const std::size_t width = table_.records[first_row_ - 1].fields.size();
    for (std::size_t idx = first_row_; idx < table_.records.size(); ++idx) {
      const auto& record = table_.records[idx];
      if (record.Blank() || record.broken) continue;
      if (record.fields.size() != width) {
        problems_.push_back(
            {csv::Where(file_name_, record.line, 1),
             fmt::format("the row has {} cells, the header {}", record.fields.size(), width)});
        continue;
      }
      bool valid = true;
      for (std::size_t column = 0; column < record.fields.size(); ++column) {
        valid = csv::CheckUtf8(record.fields[column], column + 1, file_name_, problems_) && valid;
      }
      if (valid) on_row(record);
    }
  }

  // The column number (0-based) of a header name; npos when absent.
  std::size_t Column(std::string_view name) const {
    const auto found = columns_.find(std::string(name));
    return found == columns_.end() ? std::string_view::npos : found->second;
  }

  std::string_view Cell(const csv::Record& record, std::string_view name) const {
    const auto column = Column(name);
    if (column == std::string_view::npos) return {};
    return csv::Trim(record.fields[column].value);
  }

  void Report(const csv::Record& record, std::string_view column_name, std::string message) {
    const auto column = Column(column_name);
    problems_.push_back(
        {csv::Where(file_name_, record.line, column == std::string_view::npos ? 1 : column + 1),
         std::move(message)});
  }

 private:
  std::string file_name_;
  csv::Table table_;
  std::vector<Problem> problems_;
  std::unordered_map<std::string, std::size_t> columns_;
  std::size_t header_line_ = 0;
  std::size_t first_row_ = 0;
};

// An area from its id, title and type (K, L), with the registry's kind and county.
std::optional<Area> MakeArea(std::string_view id, std::string_view title, std::string_view type,
                             std::string& problem) {
  Area area;
  area.code = NormalizeAreaCode(id);
  area.name = std::string(title);
  if (area.code.empty()) {
    problem = "an empty id";
    return std::nullopt;
  }
  if (title.empty()) {
    problem = fmt::format("area {} has no title", area.code);
    return std::nullopt;
  }
  if (type == "K") {
    area.kind = AreaKind::kMunicipality;
    area.county_code = CountyOf(area.code);
    if (area.county_code.empty()) {
      problem = fmt::format(
          "\"{}\" is type K (municipality) but not a four-digit municipality "
          "code such as 2480",
          area.code);
      return std::nullopt;
    }
  } else if (type == "L") {
    if (area.code == "0000") {
      area.kind = AreaKind::kCountry;
    } else if (area.code.size() == 4 && area.code.starts_with("00") &&
               std::all_of(area.code.begin(), area.code.end(),
                           [](char c) { return c >= '0' && c <= '9'; })) {
      area.kind = AreaKind::kRegion;
    } else {
      problem = fmt::format(
          "\"{}\" is type L (region) but not a region code 0001–0025 or Riket "
          "0000",
          area.code);
      return std::nullopt;
    }
  } else {
    problem = fmt::format(
        "unknown area type \"{}\" for {}; Kolada writes K (municipality) or L "
        "(region, and Riket 0000)",
        type, area.code);
    return std::nullopt;
  }
  return area;
}

bool LooksLikeJson(std::string_view text) {
  if (text.substr(0, csv::kBom.size()) == csv::kBom) text.remove_prefix(csv::kBom.size());
  text = csv::Trim(text);
  return !text.empty() && (text.front() == '{' || text.front() == '[');
}

Result<std::vector<Area>> ReadAreasJson(std::string_view text, std::string_view file_name) {
  if (text.substr(0, csv::kBom.size()) == csv::kBom) text.remove_prefix(csv::kBom.size());
  JsonWalker json(text, file_name);
  std::vector<Area> areas;
  std::unordered_map<std::string, std::string> seen;  // code -> pointer
  const auto read_area = [&](od::value& value) {
    od::object object;
    bool ok = true;
    if (!json.Object(value, object, "an area {\"id\", \"title\", \"type\"}", ok)) return ok;
    std::string id;
    std::string title;
    std::string type;
    ok = json.Fields(object, [&](std::string_view key, od::value field) {
      std::string* target = key == "id"      ? &id
                            : key == "title" ? &title
                            : key == "type"  ? &type
                                             : nullptr;
      if (target == nullptr) return true;
      std::string_view text_value;
      bool field_ok = true;
      if (json.String(field, text_value, fmt::format("\"{}\"", key), field_ok)) {
        target->assign(csv::Trim(text_value));
      }
      return field_ok;
    });
    if (!ok) return false;
    std::string problem;
    if (auto area = MakeArea(id, title, type, problem)) {
      auto [found, added] = seen.emplace(area->code, json.path());
      if (!added) {
        json.Report(
            fmt::format("area {} twice: also {}#{}", area->code, json.file_name(), found->second));
      } else {
        areas.push_back(std::move(*area));
      }
    } else {
      json.Report(problem);
    }
    return true;
  };
  if (json.Start()) {
    od::value root;
    bool ok = true;
    od::object object;
    if (auto error = json.doc().get_value().get(root)) {
      json.FatalHere(error);
    } else if (json.Object(root, object, "a Kolada area list {\"values\": [...]}", ok)) {
      bool has_values = false;
      ok = json.Fields(object, [&](std::string_view key, od::value value) {
        if (key != "values") return true;
        has_values = true;
        od::array array;
        bool array_ok = true;
        if (!json.Array(value, array, "\"values\"", array_ok)) return array_ok;
        return json.Elements(array, [&](std::size_t, od::value& area) { return read_area(area); });
      });
      if (ok && !has_values) json.Report("no \"values\": not a Kolada area list");
    }
  }
  json.CheckEnd();
  if (!json.problems().empty()) return ProblemsError(json.problems(), "the Kolada area file");
  return areas;
}

// ---- Catalogue heuristics ----------------------------------------------------------------------

bool StartsWith(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }
bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// The number right after `at` in "antal/1000 inv", "per 100 000 invånare" (digits with spaces,
// also no-break spaces, between groups); 0 when there is none.
double RateBase(std::string_view text, std::size_t at) {
  double base = 0;
  bool any = false;
  std::size_t pos = at;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c >= '0' && c <= '9') {
      base = base * 10 + (c - '0');
      any = true;
      ++pos;
    } else if (any && c == ' ' && pos + 1 < text.size() && text[pos + 1] >= '0' &&
               text[pos + 1] <= '9') {
      ++pos;
    } else if (any && text.substr(pos, 2) == "\xC2\xA0") {
      pos += 2;
    } else {
      break;
    }
  }
  return any ? base : 0;
}

// The unit and value type of a KPI from its title's last comma-separated part (the part after
// the last ", "), e.g. "Personalkostnader, kr/inv" -> kr/inv. docs/kolada-and-csv.md has the
// rules and the coverage they reach on the real catalogue.
void ApplyTitleUnit(Indicator& indicator) {
  std::string_view title = indicator.title;
  const auto comma = title.rfind(',');
  std::string_view part = comma == std::string_view::npos ? title : title.substr(comma + 1);
  part = csv::Trim(part);
  // A trailing "(-2024)" / "(- 2023)" marks a discontinued series, not a unit.
  if (part.ends_with(")")) {
    const auto open = part.rfind('(');
    if (open != std::string_view::npos) {
      auto inside = part.substr(open + 1, part.size() - open - 2);
      inside = csv::Trim(inside);
      if (inside.starts_with("-") && inside.size() > 1) part = csv::Trim(part.substr(0, open));
    }
  }
  const auto folded = csv::Fold(part);
  std::string_view unit = folded;
  if (comma == std::string_view::npos) {
    // No comma: only a title that ends in "(%)" says anything.
    if (folded.ends_with("(%)")) {
      indicator.value_type = ValueType::kProportion;
      indicator.unit = "%";
    }
    return;
  }
  if (StartsWith(unit, "procentenhet")) {  // a difference in percentage points
    indicator.unit = "procentenheter";
    return;
  }
  if (Contains(unit, "%") || unit == "procent" || StartsWith(unit, "andel")) {
    indicator.value_type = ValueType::kProportion;
    indicator.unit = "%";
    return;
  }
  // A count per N inhabitants (or per N of any population): a rate.
  const auto slash = unit.find('/');
  const auto per_word = unit.find("per ");
  if (StartsWith(unit, "per ") && RateBase(unit, 4) > 0) {
    indicator.value_type = ValueType::kRate;
    indicator.per = RateBase(unit, 4);
    indicator.unit = std::string(part);
    return;
  }
  if (StartsWith(unit, "antal") || StartsWith(unit, "recept")) {
    if (slash != std::string_view::npos || per_word != std::string_view::npos) {
      const auto at = slash != std::string_view::npos ? slash + 1 : per_word + 4;
      const double base = RateBase(unit, at);
      indicator.value_type = ValueType::kRate;
      indicator.per = base > 0 ? base : 1;
      indicator.unit = std::string(part);
      return;
    }
    indicator.value_type = ValueType::kCount;
    indicator.unit = std::string(part);
    return;
  }
  if (StartsWith(unit, "index") || unit == "balanstal") {
    indicator.value_type = ValueType::kIndex;
    indicator.unit = "index";
    return;
  }
  if (StartsWith(unit, "genomsnitt") || StartsWith(unit, "medelvärde")) {
    indicator.value_type = ValueType::kMean;
    indicator.unit = std::string(part);
    return;
  }
  // An amount divided by a population or another amount (kr/inv, kg/inv, kr/elev, kr/kvm…): a
  // ratio of two totals, not a mean of individual values.
  if (slash != std::string_view::npos && slash > 0 && slash + 1 < unit.size()) {
    indicator.value_type = ValueType::kRatio;
    indicator.unit = std::string(part);
    return;
  }
  // Totals in a unit (kr, tkr, kg, MWh, ton…) and everything else: the unit is kept when it is
  // short, the value type stays kOther.
  if (part.size() <= 24 && !Contains(part, "=")) indicator.unit = std::string(part);
}

std::optional<bool> ParseBool(std::string_view text) {
  const auto folded = csv::Fold(text);
  if (folded == "true" || folded == "1" || folded == "ja") return true;
  if (folded == "false" || folded == "0" || folded == "nej" || folded.empty()) return false;
  return std::nullopt;
}

}  // namespace

Result<StatsBatch> ReadKoladaData(std::string_view text, std::string_view file_name) {
  return DataReader(text, file_name).Read();
}

Result<std::vector<Area>> ReadKoladaAreas(std::string_view text, std::string_view file_name) {
  if (LooksLikeJson(text)) return ReadAreasJson(text, file_name);
  RegistryCsv file(text, file_name, {"id", "title", "type"});
  std::vector<Area> areas;
  std::unordered_map<std::string, std::size_t> seen;  // code -> line
  file.Rows([&](const csv::Record& record) {
    std::string problem;
    auto area = MakeArea(file.Cell(record, "id"), file.Cell(record, "title"),
                         file.Cell(record, "type"), problem);
    if (!area) {
      file.Report(record, "id", problem);
      return;
    }
    auto [found, added] = seen.emplace(area->code, record.line);
    if (!added) {
      file.Report(record, "id",
                  fmt::format("area {} twice: also line {}", area->code, found->second));
      return;
    }
    areas.push_back(std::move(*area));
  });
  if (!file.problems().empty()) return ProblemsError(file.problems(), "the Kolada area file");
  return areas;
}

Result<std::vector<AreaGroup>> ReadKoladaGroups(std::string_view text, std::string_view file_name) {
  RegistryCsv file(text, file_name, {"group_id", "group_title", "member_id"});
  std::vector<AreaGroup> groups;
  struct Seen {
    std::size_t index;
    std::size_t line;  // where the group's title was first read
  };
  std::unordered_map<std::string, Seen> by_code;
  std::unordered_map<std::string, std::size_t> members_seen;  // "group\tmember" -> line
  file.Rows([&](const csv::Record& record) {
    const auto code = file.Cell(record, "group_id");
    const auto title = file.Cell(record, "group_title");
    const auto member = NormalizeAreaCode(file.Cell(record, "member_id"));
    if (code.empty()) {
      file.Report(record, "group_id", "an empty group_id");
      return;
    }
    if (member.empty()) {
      file.Report(record, "member_id", "an empty member_id");
      return;
    }
    auto [found, added] = by_code.emplace(std::string(code), Seen{groups.size(), record.line});
    if (added) {
      AreaGroup group;
      group.code = std::string(code);
      group.title = std::string(title);
      group.source = "kolada";
      groups.push_back(std::move(group));
    }
    AreaGroup& group = groups[found->second.index];
    if (group.title != title) {
      file.Report(record, "group_title",
                  fmt::format("group {} is titled \"{}\" here but \"{}\" on line {}", code, title,
                              group.title, found->second.line));
      return;
    }
    auto [member_found, member_added] =
        members_seen.emplace(fmt::format("{}\t{}", code, member), record.line);
    if (!member_added) {
      file.Report(record, "member_id",
                  fmt::format("{} is listed twice in group {}: also line {}", member, code,
                              member_found->second));
      return;
    }
    group.members.push_back(member);
  });
  if (!file.problems().empty()) return ProblemsError(file.problems(), "the Kolada group file");
  return groups;
}

Result<std::vector<Indicator>> ReadKoladaCatalogue(std::string_view text,
                                                   std::string_view file_name) {
  RegistryCsv file(text, file_name, {"id", "title"});
  std::vector<Indicator> indicators;
  std::unordered_map<std::string, std::size_t> seen;  // id -> line
  file.Rows([&](const csv::Record& record) {
    Indicator indicator;
    indicator.code = std::string(file.Cell(record, "id"));
    indicator.title = std::string(file.Cell(record, "title"));
    if (indicator.code.empty()) {
      file.Report(record, "id", "an empty id");
      return;
    }
    if (indicator.title.empty()) {
      file.Report(record, "title", fmt::format("KPI {} has no title", indicator.code));
      return;
    }
    auto [found, added] = seen.emplace(indicator.code, record.line);
    if (!added) {
      file.Report(record, "id",
                  fmt::format("KPI {} twice: also line {}", indicator.code, found->second));
      return;
    }
    indicator.description = std::string(file.Cell(record, "description"));
    indicator.operating_area = std::string(file.Cell(record, "operating_area"));
    indicator.source = IndicatorSource::kKolada;
    indicator.source_code = indicator.code;
    indicator.direction = Direction::kNone;  // Kolada does not say which way is better
    const auto divided = ParseBool(file.Cell(record, "is_divided_by_gender"));
    if (!divided) {
      file.Report(
          record, "is_divided_by_gender",
          fmt::format("\"{}\" is not TRUE or FALSE", file.Cell(record, "is_divided_by_gender")));
      return;
    }
    if (*divided) indicator.dimensions.emplace_back(kSexDimension);
    ApplyTitleUnit(indicator);
    indicators.push_back(std::move(indicator));
  });
  if (!file.problems().empty()) return ProblemsError(file.problems(), "the Kolada KPI catalogue");
  return indicators;
}

}  // namespace halsonav::statsio
