#include "io/kolada.hpp"

// Kolada's API data responses (v2 and v3, one page or a file of pages): ReadKoladaData.

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
#include "io/json_walker.hpp"
#include "io/problems.hpp"
#include "io/status_words.hpp"

namespace halsonav::statsio {
namespace {

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
}  // namespace

Result<StatsBatch> ReadKoladaData(std::string_view text, std::string_view file_name) {
  return DataReader(text, file_name).Read();
}
}  // namespace halsonav::statsio
