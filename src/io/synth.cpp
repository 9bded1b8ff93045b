#include "io/synth.hpp"

// The synthetic set, by design (see the header for the contract):
//
//   kolada/SYN-kolada-NN.json   every indicator SYN0001… as Kolada v2 data responses, values by sex
//                               (T/K/M), 25 indicators per file (one API query: every municipality
//                               and year), items ordered indicator, municipality, year, in pages of
//                               at most 5,000 items; a file is a JSON array of those pages.
//   jsonstat/SYNTnnnn.json      every 10th indicator (1, 11, 21, …) also as a survey table in
//                               JSON-stat 2.0 as PX-Web v2 writes it: Region × Kon × Utbildning ×
//                               ContentsCode × Tid, where ContentsCode holds the parts of one value
//                               (share, lower and upper confidence limit, numerator), as
//                               Folkhälsodata does.
//   jsonstat_mapping.json       the mapping file for the JSON-stat files (ReadJsonStatMapping).
//   kpi_catalogue.csv           every indicator's title in Kolada's KPI catalogue format (import
//                               with `import kpis` before the Kolada-shaped files: they carry only
//                               codes).
//
// About 2 % of the cells are missing (Kolada: value null, status "Missing"; JSON-stat: null values
// and status ".."). Survey cells of fewer than 3 respondents are suppressed by the "source" (null
// values, status "c", Eurostat's "confidential"); many more have numerators below 5, left for the
// importer's disclosure rule.
//
// Only every 10th indicator has a table so that the default set (290 × 500 × 20) stays near
// 12 million observations (8.7 M Kolada + 3.5 M JSON-stat) and well under 1 GB: the import
// benchmark's budget is 30 s at 500,000 observations/s.
//
// Every random number is a hash of (seed, what it is for, indices) through splitmix64, so a cell
// does not depend on the order of generation and the bytes are the same on every platform (no
// <random> distributions, whose output differs between standard libraries).

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace halsonav::statsio {
namespace {

namespace fs = std::filesystem;

constexpr int kKoladaPageItems = 5000;        // the Kolada API's largest page
constexpr int kIndicatorsPerKoladaFile = 25;  // ~30 MB a file with 290 municipalities, 20 years
constexpr int kJsonStatEvery = 10;       // indicators 1, 11, 21, … also have a JSON-stat table
constexpr double kMissingShare = 0.02;   // cells with no value (Kolada null, JSON-stat "..")
constexpr int kSourceSuppressBelow = 3;  // respondents below which the "source" suppresses

bool HasTable(int indicator_number) { return (indicator_number - 1) % kJsonStatEvery == 0; }

// ---- Deterministic random numbers ----------------------------------------------------------

// splitmix64's output function (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
// generators"; Vigna's public-domain reference code), used as a hash of the cell's coordinates.
constexpr std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

// What a random number is for: keeps the streams apart.
enum class Stream : std::uint64_t {
  kIndicator = 1,
  kMunicipalityEffect,
  kYearNoise,
  kKoladaMissing,
  kSampleSize,
  kSexShare,
  kEducationShare,
  kCellNoise,
  kCellMissing,
};

class Random {
 public:
  explicit Random(std::uint64_t seed) : seed_(Mix(seed)) {}

  std::uint64_t Hash(Stream stream, std::initializer_list<std::uint64_t> keys) const {
    std::uint64_t h = Mix(seed_ ^ static_cast<std::uint64_t>(stream));
    for (const std::uint64_t key : keys) h = Mix(h ^ key);
    return h;
  }
  // Uniform in [0, 1).
  double Uniform(Stream stream, std::initializer_list<std::uint64_t> keys) const {
    return ToUnit(Hash(stream, keys));
  }
  // Approximately standard normal: the Irwin–Hall sum of four uniforms, rescaled (mean 0,
  // variance 1, within ±3.46). Good enough for plausible-looking noise.
  double Normal(Stream stream, std::initializer_list<std::uint64_t> keys) const {
    std::uint64_t h = Hash(stream, keys);
    double sum = 0;
    for (int draw = 0; draw < 4; ++draw) {
      sum += ToUnit(h);
      h = Mix(h);
    }
    return (sum - 2.0) * std::sqrt(3.0);
  }

 private:
  static double ToUnit(std::uint64_t h) { return static_cast<double>(h >> 11U) * 0x1.0p-53; }
  std::uint64_t seed_;
};

double Expit(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// ---- Indicators ----------------------------------------------------------------------------

struct Topic {
  std::string_view text;
  double gradient_sign;  // +1: more common with low education
};

constexpr std::array<Topic, 20> kTopics{{
    {"gott allmänt hälsotillstånd", -1},
    {"daglig rökning", +1},
    {"riskabla alkoholvanor", -0.3},
    {"fysisk aktivitet minst 150 minuter i veckan", -1},
    {"fetma", +1},
    {"nedsatt psykiskt välbefinnande", +0.6},
    {"svår värk i nacke eller skuldror", +0.8},
    {"sömnbesvär", +0.5},
    {"lågt förtroende för andra", +1},
    {"avstått från läkarbesök trots behov", +0.9},
    {"svårigheter med löpande utgifter", +1},
    {"utsatthet för fysiskt våld", +0.4},
    {"stillasittande fritid", +1},
    {"avstått från tandvård trots behov", +0.9},
    {"stress", -0.2},
    {"ofrivillig ensamhet", +0.6},
    {"dagligt snusande", +0.3},
    {"högt blodtryck", +0.7},
    {"diabetes", +0.8},
    {"god tandhälsa", -1},
}};

constexpr std::array<std::string_view, 5> kPopulations{{
    "invånare 16–84 år",
    "unga 16–29 år",
    "invånare 30–44 år",
    "invånare 45–64 år",
    "äldre 65–84 år",
}};

enum class IndicatorKind { kProportion, kRate };

struct IndicatorProfile {
  int number = 0;   // 1-based
  std::string kpi;  // "SYN0001"
  IndicatorKind kind = IndicatorKind::kProportion;
  std::string title;              // for the JSON-stat label
  std::string kolada_title;       // for the KPI catalogue: Kolada's ", %" / ", per N inv" unit
  double level = 0;               // logit of the share, or log of the rate
  double sex_effect = 0;          // women minus men, on the same scale
  double trend = 0;               // per year
  double education_gradient = 0;  // low minus mid (and mid minus high), on the logit scale
  double spread = 0;              // sd of the municipality effect
};

IndicatorProfile MakeProfile(const Random& random, int number) {
  const auto n = static_cast<std::uint64_t>(number);
  auto u = [&](std::uint64_t what) { return random.Uniform(Stream::kIndicator, {n, what}); };
  IndicatorProfile profile;
  profile.number = number;
  profile.kpi = fmt::format("SYN{:04}", number);
  // Survey tables are shares; a fifth of the others are rates per 100,000.
  const bool has_table = HasTable(number);
  profile.kind = (!has_table && u(1) < 0.2) ? IndicatorKind::kRate : IndicatorKind::kProportion;
  const Topic& topic = kTopics[static_cast<std::size_t>(number - 1) % kTopics.size()];
  const std::string_view population =
      kPopulations[static_cast<std::size_t>(number - 1) / kTopics.size() % kPopulations.size()];
  if (profile.kind == IndicatorKind::kProportion) {
    profile.title = fmt::format("Andel {} med {} (syntetisk)", population, topic.text);
    profile.kolada_title = profile.title + ", %";
    profile.level = -2.8 + 3.6 * u(2);  // shares of about 6 % to 70 %
    profile.spread = 0.15 + 0.25 * u(6);
  } else {
    profile.title = fmt::format("Vårdtillfällen bland {} per 100 000 (syntetisk)", population);
    profile.kolada_title =
        fmt::format("Vårdtillfällen bland {} (syntetisk), per 100 000 inv", population);
    profile.level = std::log(50.0) + std::log(40.0) * u(2);  // 50 to 2,000 per 100,000
    profile.spread = 0.1 + 0.2 * u(6);
  }
  profile.sex_effect = -0.6 + 1.2 * u(3);
  profile.trend = -0.03 + 0.06 * u(4);
  profile.education_gradient = topic.gradient_sign * (0.15 + 0.35 * u(5));
  return profile;
}

// ---- Output --------------------------------------------------------------------------------

// A file written through a large buffer. Bytes are counted; errors are remembered until Close.
class OutputFile {
 public:
  explicit OutputFile(const fs::path& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    buffer_.reserve(kFlushAt + 4096);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
  }

  bool Opened() const { return file_ != nullptr; }
  std::string& Buffer() { return buffer_; }
  // Call after appending: writes the buffer out when it is large.
  void MaybeFlush() {
    if (buffer_.size() >= kFlushAt) Flush();
  }
  Result<std::uint64_t> Close() {
    Flush();
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (failed_ || !closed) {
      return Fail(ErrorCode::kInternal, fmt::format("cannot write {}", path_.string()),
                  {{"file", path_.string()}});
    }
    return bytes_;
  }

 private:
  static constexpr std::size_t kFlushAt = std::size_t{1} << 20U;
  void Flush() {
    if (buffer_.empty()) return;
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
    bytes_ += buffer_.size();
    buffer_.clear();
  }

  fs::path path_;
  std::FILE* file_;
  std::string buffer_;
  std::uint64_t bytes_ = 0;
  bool failed_ = false;
};

void AppendInt(std::string& out, long long value) {
  std::array<char, 24> chars{};
  const auto result = std::to_chars(chars.data(), chars.data() + chars.size(), value);
  out.append(chars.data(), result.ptr);
}

// One decimal, as the sources publish shares and rates.
void AppendFixed1(std::string& out, double value) {
  std::array<char, 48> chars{};
  const auto result =
      std::to_chars(chars.data(), chars.data() + chars.size(), value, std::chars_format::fixed, 1);
  out.append(chars.data(), result.ptr);
}

double Round1(double value) { return std::round(value * 10.0) / 10.0; }

Result<fs::path> OpenDirectory(const fs::path& directory) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error || !fs::is_directory(directory)) {
    return Fail(ErrorCode::kInternal,
                fmt::format("cannot create directory {}: {}", directory.string(),
                            error ? error.message() : "not a directory"),
                {{"directory", directory.string()}});
  }
  return directory;
}

// ---- The shared model of a municipality ----------------------------------------------------

struct Context {
  const SynthOptions& options;
  Random random;
  int first_year = 0;
  std::vector<IndicatorProfile> indicators;
};

// The municipality's deviation from the national level for one indicator (logit or log scale).
double MunicipalityEffect(const Context& context, const IndicatorProfile& indicator,
                          std::size_t municipality_idx) {
  return indicator.spread *
         context.random.Normal(Stream::kMunicipalityEffect,
                               {static_cast<std::uint64_t>(indicator.number), municipality_idx});
}

// The expected level for (indicator, municipality, year) before sex and education.
double CellLevel(const Context& context, const IndicatorProfile& indicator,
                 std::size_t municipality_idx, int year_idx) {
  const double centred_year = year_idx - (context.options.years - 1) / 2.0;
  return indicator.level + MunicipalityEffect(context, indicator, municipality_idx) +
         indicator.trend * centred_year +
         0.08 * context.random.Normal(Stream::kYearNoise,
                                      {static_cast<std::uint64_t>(indicator.number),
                                       municipality_idx, static_cast<std::uint64_t>(year_idx)});
}

// ---- Kolada ----------------------------------------------------------------------------------

void AppendKoladaValue(std::string& out, char gender, double value, bool missing) {
  out += R"({"count":)";
  out += missing ? '0' : '1';
  out += R"(,"gender":")";
  out += gender;
  if (missing) {
    out += R"(","status":"Missing","value":null})";
    return;
  }
  out += R"(","status":"","value":)";
  AppendFixed1(out, value);
  out += '}';
}

std::string KoladaQueryUrl(const Context& context, int first_indicator, int end_indicator) {
  std::string url = "https://api.kolada.se/v2/data/kpi/";
  for (int indicator_idx = first_indicator; indicator_idx < end_indicator; ++indicator_idx) {
    if (indicator_idx != first_indicator) url += ',';
    url += context.indicators[static_cast<std::size_t>(indicator_idx)].kpi;
  }
  url += "/year/";
  for (int year_idx = 0; year_idx < context.options.years; ++year_idx) {
    if (year_idx != 0) url += ',';
    AppendInt(url, context.first_year + year_idx);
  }
  return url;
}

// Writes indicators [first, end) as one Kolada query's pages. Returns the observations written.
Result<std::uint64_t> WriteKoladaFile(const Context& context, int first_indicator,
                                      int end_indicator, const fs::path& path,
                                      std::uint64_t& bytes) {
  OutputFile file(path);
  if (!file.Opened()) {
    return Fail(ErrorCode::kInternal, fmt::format("cannot create {}", path.string()),
                {{"file", path.string()}});
  }
  const std::vector<std::string>& municipalities = context.options.municipalities;
  const std::uint64_t items_per_indicator =
      municipalities.size() * static_cast<std::uint64_t>(context.options.years);
  const std::uint64_t total_items =
      items_per_indicator * static_cast<std::uint64_t>(end_indicator - first_indicator);
  const std::uint64_t pages = (total_items + kKoladaPageItems - 1) / kKoladaPageItems;
  const std::string url = KoladaQueryUrl(context, first_indicator, end_indicator);

  std::string& out = file.Buffer();
  out += '[';
  std::uint64_t item = 0;
  std::uint64_t observations = 0;
  for (int indicator_idx = first_indicator; indicator_idx < end_indicator; ++indicator_idx) {
    const IndicatorProfile& indicator = context.indicators[static_cast<std::size_t>(indicator_idx)];
    for (std::size_t municipality_idx = 0; municipality_idx < municipalities.size();
         ++municipality_idx) {
      for (int year_idx = 0; year_idx < context.options.years; ++year_idx, ++item) {
        if (item % kKoladaPageItems == 0) {
          const std::uint64_t page = item / kKoladaPageItems;  // 0-based
          if (page != 0) out += "]},";
          out += R"({"count":)";
          AppendInt(out, static_cast<long long>(
                             std::min<std::uint64_t>(kKoladaPageItems, total_items - item)));
          out += R"(,"next_page":)";
          if (page + 1 < pages) {
            out += '"';
            out += url;
            out += "?page=";
            AppendInt(out, static_cast<long long>(page + 2));
            out += "&per_page=5000\"";
          } else {
            out += "null";
          }
          out += R"(,"values":[)";
        } else {
          out += ',';
        }
        out += R"({"kpi":")";
        out += indicator.kpi;
        out += R"(","municipality":")";
        out += municipalities[municipality_idx];
        out += R"(","period":)";
        AppendInt(out, context.first_year + year_idx);
        out += R"(,"values":[)";

        const bool missing =
            context.random.Uniform(Stream::kKoladaMissing,
                                   {static_cast<std::uint64_t>(indicator.number), municipality_idx,
                                    static_cast<std::uint64_t>(year_idx)}) < kMissingShare;
        const double level = CellLevel(context, indicator, municipality_idx, year_idx);
        double women = 0;
        double men = 0;
        if (indicator.kind == IndicatorKind::kProportion) {
          women = 100.0 * Expit(level + indicator.sex_effect / 2);
          men = 100.0 * Expit(level - indicator.sex_effect / 2);
        } else {
          women = std::exp(level + indicator.sex_effect / 2);
          men = std::exp(level - indicator.sex_effect / 2);
        }
        women = Round1(women);
        men = Round1(men);
        const double total = Round1((women + men) / 2);
        AppendKoladaValue(out, 'K', women, missing);
        out += ',';
        AppendKoladaValue(out, 'M', men, missing);
        out += ',';
        AppendKoladaValue(out, 'T', total, missing);
        out += "]}";
        observations += 3;
        file.MaybeFlush();
      }
    }
  }
  if (total_items != 0) out += "]}";
  out += "]\n";
  auto written = file.Close();
  if (!written) return tl::unexpected(written.error());
  bytes += *written;
  return observations;
}

// ---- JSON-stat -------------------------------------------------------------------------------

// The categories of the table's dimensions, in file order.
struct Category {
  std::string_view code;
  std::string_view label;
};

// Kon: SCB's codes; index 0 is the total.
constexpr std::array<Category, 3> kSexes{{{"1+2", "totalt"}, {"1", "män"}, {"2", "kvinnor"}}};
// Utbildning: index 0 is the total, then low, mid, high.
constexpr std::array<Category, 4> kEducations{{
    {"tot", "samtliga utbildningsnivåer"},
    {"forgym", "förgymnasial utbildning"},
    {"gym", "gymnasial utbildning"},
    {"eftergym", "eftergymnasial utbildning"},
}};
// ContentsCode holds the parts of one value, as Folkhälsodata's tables do.
constexpr std::array<Category, 4> kParts{{
    {"Andel", "andel (%)"},
    {"KI_nedre", "konfidensintervall, nedre gräns (%)"},
    {"KI_ovre", "konfidensintervall, övre gräns (%)"},
    {"Antal", "antal med utfallet"},
}};
constexpr std::array<std::string_view, 4> kPartRoles{{"value", "ci_low", "ci_high", "numerator"}};
constexpr std::array<std::string_view, 4> kEducationCategories{{"total", "low", "mid", "high"}};
constexpr std::array<std::string_view, 3> kSexCategories{{"total", "men", "women"}};

// One published cell (sex × education × year of one municipality).
struct SurveyCell {
  int respondents = 0;
  int numerator = 0;
  char status = 0;  // 0 published, '.' missing (".."), 'c' suppressed by the source (Eurostat's
                    // "confidential")
};

std::string TableId(const IndicatorProfile& indicator) {
  return fmt::format("SYNT{:04}", indicator.number);
}

// Draws the sample of one municipality and year: respondents by sex and education, numerators
// around the model's share; the totals are sums of their parts, as in a real survey table.
void DrawSurvey(const Context& context, const IndicatorProfile& indicator,
                std::size_t municipality_idx, int year_idx,
                std::array<std::array<SurveyCell, 4>, 3>& cells) {
  const Random& random = context.random;
  const auto year_key = static_cast<std::uint64_t>(year_idx);
  const auto indicator_key = static_cast<std::uint64_t>(indicator.number);
  // Sample size: a municipality's is log-uniform in 20–2,000 (larger places, larger samples),
  // ± 15 % from year to year.
  const double size_draw = random.Uniform(Stream::kSampleSize, {municipality_idx});
  const double year_factor =
      0.85 + 0.3 * random.Uniform(Stream::kSampleSize, {municipality_idx, year_key});
  const double total_respondents =
      std::clamp(20.0 * std::pow(100.0, size_draw) * year_factor, 20.0, 2000.0);
  const double women_share =
      0.52 + 0.03 * random.Normal(Stream::kSexShare, {municipality_idx, year_key});
  std::array<double, 3> education_share{};
  double share_sum = 0;
  constexpr std::array<double, 3> kEducationMean{{0.22, 0.45, 0.33}};
  for (std::size_t education_idx = 0; education_idx < 3; ++education_idx) {
    education_share[education_idx] =
        kEducationMean[education_idx] *
        (1.0 + 0.15 * random.Normal(Stream::kEducationShare,
                                    {municipality_idx, year_key, education_idx}));
    share_sum += education_share[education_idx];
  }
  const double level = CellLevel(context, indicator, municipality_idx, year_idx);

  for (auto& row : cells) row.fill(SurveyCell{});
  for (std::size_t sex_idx = 1; sex_idx < 3; ++sex_idx) {
    const bool women = sex_idx == 2;
    const double sex_share = women ? women_share : 1.0 - women_share;
    const double sex_level = level + (women ? 0.5 : -0.5) * indicator.sex_effect;
    for (std::size_t education_idx = 1; education_idx < 4; ++education_idx) {
      const double expected =
          total_respondents * sex_share * education_share[education_idx - 1] / share_sum;
      const int respondents = std::max(1, static_cast<int>(std::lround(expected)));
      // low +1, mid 0, high −1 times the gradient
      const double share = Expit(sex_level + indicator.education_gradient *
                                                 (2.0 - static_cast<double>(education_idx)));
      const double sd = std::sqrt(respondents * share * (1.0 - share));
      const double noise = random.Normal(
          Stream::kCellNoise, {indicator_key, municipality_idx, year_key, sex_idx, education_idx});
      const auto numerator = static_cast<int>(
          std::clamp<long>(std::lround(respondents * share + sd * noise), 0, respondents));
      cells[sex_idx][education_idx] = {respondents, numerator, 0};
    }
  }
  // Totals over education, then over sex.
  for (std::size_t sex_idx = 1; sex_idx < 3; ++sex_idx) {
    for (std::size_t education_idx = 1; education_idx < 4; ++education_idx) {
      const SurveyCell& part = cells[sex_idx][education_idx];
      cells[sex_idx][0].respondents += part.respondents;
      cells[sex_idx][0].numerator += part.numerator;
    }
  }
  for (std::size_t education_idx = 0; education_idx < 4; ++education_idx) {
    for (std::size_t sex_idx = 1; sex_idx < 3; ++sex_idx) {
      cells[0][education_idx].respondents += cells[sex_idx][education_idx].respondents;
      cells[0][education_idx].numerator += cells[sex_idx][education_idx].numerator;
    }
  }
  for (std::size_t sex_idx = 0; sex_idx < 3; ++sex_idx) {
    for (std::size_t education_idx = 0; education_idx < 4; ++education_idx) {
      SurveyCell& cell = cells[sex_idx][education_idx];
      if (random.Uniform(Stream::kCellMissing, {indicator_key, municipality_idx, year_key, sex_idx,
                                                education_idx}) < kMissingShare) {
        cell.status = '.';
      } else if (cell.respondents < kSourceSuppressBelow) {
        cell.status = 'c';
      }
    }
  }
}

// The Wilson score interval for a proportion, 95 % (Wilson 1927, "Probable inference, the law
// of succession, and statistical inference", JASA 22:209–212), in percent.
std::pair<double, double> WilsonInterval(int numerator, int respondents) {
  constexpr double kZ = 1.959963984540054;
  const double n = respondents;
  const double p = numerator / n;
  const double z2 = kZ * kZ;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half = kZ * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator;
  return {100.0 * std::max(0.0, centre - half), 100.0 * std::min(1.0, centre + half)};
}

void AppendJsonString(std::string& out, std::string_view text) {
  // Codes and labels are validated or our own: no characters that need escaping.
  out += '"';
  out += text;
  out += '"';
}

void AppendCategoryDimension(std::string& out, std::string_view id, std::string_view label,
                             const std::vector<std::pair<std::string, std::string>>& categories,
                             std::string_view extra) {
  AppendJsonString(out, id);
  out += R"(:{"label":)";
  AppendJsonString(out, label);
  out += R"(,"category":{"index":{)";
  for (std::size_t category_idx = 0; category_idx < categories.size(); ++category_idx) {
    if (category_idx != 0) out += ',';
    AppendJsonString(out, categories[category_idx].first);
    out += ':';
    AppendInt(out, static_cast<long long>(category_idx));
  }
  out += R"(},"label":{)";
  for (std::size_t category_idx = 0; category_idx < categories.size(); ++category_idx) {
    if (category_idx != 0) out += ',';
    AppendJsonString(out, categories[category_idx].first);
    out += ':';
    AppendJsonString(out, categories[category_idx].second);
  }
  out += '}';
  out += extra;  // more of "category" (unit), then its closing brace and the dimension's extension
  out += '}';
}

template <std::size_t N>
std::vector<std::pair<std::string, std::string>> Categories(const std::array<Category, N>& list) {
  std::vector<std::pair<std::string, std::string>> categories;
  for (const Category& category : list) {
    categories.emplace_back(std::string(category.code), std::string(category.label));
  }
  return categories;
}

void AppendJsonStatHead(const Context& context, const IndicatorProfile& indicator,
                        std::string& out) {
  const std::string table = TableId(indicator);
  const int years = context.options.years;
  const std::size_t regions = context.options.municipalities.size();
  out += R"({"version":"2.0","class":"dataset","label":)";
  AppendJsonString(out, fmt::format("{} efter region, kön, utbildningsnivå, tabellinnehåll och år",
                                    indicator.title));
  out += R"js(,"source":"Hälsonav (syntetiska data, inte verkliga)","updated":")js";
  AppendInt(out, context.options.last_year + 1);
  out += R"js(-01-15T08:00:00Z","note":["Syntetiska data för prestandatester. )js"
         R"js(Symboler: .. = uppgift saknas, c = sekretess, undertryckt av källan (färre än )js";
  AppendInt(out, kSourceSuppressBelow);
  out += R"js( svarande)."],"role")js"
         R"js(:{"time":["Tid"],"geo":["Region"],"metric":["ContentsCode"]},)js";
  out += R"("id":["Region","Kon","Utbildning","ContentsCode","Tid"],"size":[)";
  AppendInt(out, static_cast<long long>(regions));
  out += ",3,4,4,";
  AppendInt(out, years);
  out += R"(],"dimension":{)";

  std::vector<std::pair<std::string, std::string>> categories;
  categories.reserve(regions);
  for (const std::string& code : context.options.municipalities) {
    categories.emplace_back(code, "Kommun " + code);
  }
  AppendCategoryDimension(out, "Region", "region", categories,
                          R"(},"extension":{"elimination":false,"show":"code_value"})");
  out += ',';
  AppendCategoryDimension(
      out, "Kon", "kön", Categories(kSexes),
      R"(},"extension":{"elimination":true,"eliminationValueCode":"1+2","show":"value"})");
  out += ',';
  AppendCategoryDimension(
      out, "Utbildning", "utbildningsnivå", Categories(kEducations),
      R"(},"extension":{"elimination":true,"eliminationValueCode":"tot","show":"value"})");
  out += ',';
  AppendCategoryDimension(
      out, "ContentsCode", "tabellinnehåll", Categories(kParts),
      R"(,"unit":{"Andel":{"base":"procent","decimals":1},"KI_nedre":{"base":"procent","decimals":1},)"
      R"("KI_ovre":{"base":"procent","decimals":1},"Antal":{"base":"antal","decimals":0}}},)"
      R"("extension":{"elimination":false,"show":"value"})");
  out += ',';
  categories.clear();
  for (int year_idx = 0; year_idx < years; ++year_idx) {
    const std::string year = std::to_string(context.first_year + year_idx);
    categories.emplace_back(year, year);
  }
  AppendCategoryDimension(out, "Tid", "år", categories,
                          R"(},"extension":{"elimination":false,"show":"code"})");
  out += R"(},"extension":{"px":{"infofile":"SYNFHM","tableid":")";
  out += table;
  out += R"(","decimals":1,"official-statistics":false,"aggregallowed":false,"language":"sv",)";
  out += R"("contents":)";
  AppendJsonString(out, indicator.title);
  out += R"(,"heading":["ContentsCode","Tid"],"stub":["Region","Kon","Utbildning"],"matrix":")";
  out += table;
  out += R"(","subject-code":"HA","subject-area":"Hälsa"}},"value":[)";
}

// Writes one indicator's table. Returns the observations written (cells, parts counted once).
Result<std::uint64_t> WriteJsonStatFile(const Context& context, const IndicatorProfile& indicator,
                                        const fs::path& path, std::uint64_t& bytes) {
  OutputFile file(path);
  if (!file.Opened()) {
    return Fail(ErrorCode::kInternal, fmt::format("cannot create {}", path.string()),
                {{"file", path.string()}});
  }
  std::string& out = file.Buffer();
  AppendJsonStatHead(context, indicator, out);

  const auto years = static_cast<std::size_t>(context.options.years);
  std::vector<std::array<std::array<SurveyCell, 4>, 3>> cells(years);
  std::vector<std::pair<std::uint64_t, char>> statuses;  // value index, status
  std::uint64_t value_idx = 0;
  std::uint64_t observations = 0;
  for (std::size_t municipality_idx = 0; municipality_idx < context.options.municipalities.size();
       ++municipality_idx) {
    for (std::size_t year_idx = 0; year_idx < years; ++year_idx) {
      DrawSurvey(context, indicator, municipality_idx, static_cast<int>(year_idx), cells[year_idx]);
    }
    // Row-major in id order: Region, Kon, Utbildning, ContentsCode, Tid (last fastest).
    for (std::size_t sex_idx = 0; sex_idx < 3; ++sex_idx) {
      for (std::size_t education_idx = 0; education_idx < 4; ++education_idx) {
        for (std::size_t part_idx = 0; part_idx < 4; ++part_idx) {
          for (std::size_t year_idx = 0; year_idx < years; ++year_idx, ++value_idx) {
            const SurveyCell& cell = cells[year_idx][sex_idx][education_idx];
            if (value_idx != 0) out += ',';
            if (cell.status != 0) {
              out += "null";
              statuses.emplace_back(value_idx, cell.status);
              continue;
            }
            if (part_idx == 3) {
              AppendInt(out, cell.numerator);
              continue;
            }
            if (part_idx == 0) {
              AppendFixed1(out, 100.0 * cell.numerator / cell.respondents);
            } else {
              const auto [low, high] = WilsonInterval(cell.numerator, cell.respondents);
              AppendFixed1(out, part_idx == 1 ? low : high);
            }
          }
          file.MaybeFlush();
        }
      }
    }
    observations += 3 * 4 * years;
  }
  out += R"(],"status":{)";
  for (std::size_t status_idx = 0; status_idx < statuses.size(); ++status_idx) {
    if (status_idx != 0) out += ',';
    out += '"';
    AppendInt(out, static_cast<long long>(statuses[status_idx].first));
    out += statuses[status_idx].second == '.' ? R"(":"..")" : R"(":"c")";
    file.MaybeFlush();
  }
  out += "}}\n";
  auto written = file.Close();
  if (!written) return tl::unexpected(written.error());
  bytes += *written;
  return observations;
}

// The mapping file: what the tables do not say themselves (ReadJsonStatMapping's format).
nlohmann::json MappingJson() {
  nlohmann::json sex_categories = nlohmann::json::object();
  for (std::size_t sex_idx = 0; sex_idx < kSexes.size(); ++sex_idx) {
    sex_categories[std::string(kSexes[sex_idx].code)] = kSexCategories[sex_idx];
  }
  nlohmann::json education_categories = nlohmann::json::object();
  for (std::size_t education_idx = 0; education_idx < kEducations.size(); ++education_idx) {
    education_categories[std::string(kEducations[education_idx].code)] =
        kEducationCategories[education_idx];
  }
  nlohmann::json part_categories = nlohmann::json::object();
  for (std::size_t part_idx = 0; part_idx < kParts.size(); ++part_idx) {
    part_categories[std::string(kParts[part_idx].code)] = kPartRoles[part_idx];
  }
  return {
      {"dimensions",
       {
           {"Region", {{"role", "geo"}}},
           {"Kon", {{"role", "breakdown"}, {"name", "sex"}, {"categories", sex_categories}}},
           {"Utbildning",
            {{"role", "breakdown"}, {"name", "education"}, {"categories", education_categories}}},
           {"ContentsCode", {{"role", "parts"}, {"categories", part_categories}}},
           {"Tid", {{"role", "time"}}},
       }}};
}

// A CSV field in double quotes ("" for a quote inside).
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Every indicator as a row of Kolada's KPI catalogue (kolada/kpi_catalogue.csv's columns), so
// that the Kolada-shaped files, which carry only codes, get titles.
std::string CatalogueCsv(const Context& context) {
  std::string out =
      "\"id\",\"title\",\"description\",\"is_divided_by_gender\",\"municipality_type\","
      "\"auspice\",\"operating_area\",\"perspective\",\"prel_publication_date\","
      "\"publication_date\",\"publ_period\",\"has_ou_data\"\n";
  for (const IndicatorProfile& indicator : context.indicators) {
    out += fmt::format(
        "{},{},{},TRUE,\"K\",\"X\",{},\"\",\"\",\"\",\"{}\",FALSE\n", Quoted(indicator.kpi),
        Quoted(indicator.kolada_title),
        Quoted("Syntetiska värden för demonstration och prov, inte verkliga uppgifter."),
        Quoted("Syntetiska data"), context.options.last_year);
  }
  return out;
}

Result<std::uint64_t> WriteText(const fs::path& path, const std::string& text) {
  OutputFile file(path);
  if (!file.Opened()) {
    return Fail(ErrorCode::kInternal, fmt::format("cannot create {}", path.string()),
                {{"file", path.string()}});
  }
  file.Buffer() = text;
  return file.Close();
}

std::optional<Error> CheckOptions(const SynthOptions& options) {
  auto invalid = [](std::string message, std::string_view field) {
    return Error{ErrorCode::kInvalidValue, std::move(message), {{"field", field}}};
  };
  if (options.municipalities.empty()) {
    return invalid("no municipalities to generate data for", "municipalities");
  }
  std::set<std::string_view> seen;
  for (const std::string& code : options.municipalities) {
    const bool plain = !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
    });
    if (!plain) return invalid(fmt::format("bad area code \"{}\"", code), "municipalities");
    if (!seen.insert(code).second) {
      return invalid(fmt::format("area code {} occurs twice", code), "municipalities");
    }
  }
  if (options.indicators < 1 || options.indicators > 9999) {
    return invalid("indicators must be 1–9999", "indicators");
  }
  if (options.years < 1 || options.years > 200) return invalid("years must be 1–200", "years");
  if (options.last_year > 2200 || options.last_year - options.years + 1 < 1800) {
    return invalid("the years must lie within 1800–2200", "last_year");
  }
  return std::nullopt;
}

}  // namespace

Result<SynthSummary> WriteSynthetic(const SynthOptions& options, const fs::path& directory) {
  if (auto error = CheckOptions(options)) return tl::unexpected(std::move(*error));
  Context context{options, Random(options.seed), options.last_year - options.years + 1, {}};
  context.indicators.reserve(static_cast<std::size_t>(options.indicators));
  for (int number = 1; number <= options.indicators; ++number) {
    context.indicators.push_back(MakeProfile(context.random, number));
  }

  SynthSummary summary;
  for (const fs::path& sub : {directory / "kolada", directory / "jsonstat"}) {
    if (auto opened = OpenDirectory(sub); !opened) return tl::unexpected(opened.error());
  }

  for (int first = 0; first < options.indicators; first += kIndicatorsPerKoladaFile) {
    const int end = std::min(options.indicators, first + kIndicatorsPerKoladaFile);
    fs::path path = directory / "kolada" /
                    fmt::format("SYN-kolada-{:02}.json", first / kIndicatorsPerKoladaFile + 1);
    auto written = WriteKoladaFile(context, first, end, path, summary.bytes);
    if (!written) return tl::unexpected(written.error());
    summary.observations += *written;
    summary.kolada_files.push_back(std::move(path));
  }

  for (const IndicatorProfile& indicator : context.indicators) {
    if (!HasTable(indicator.number)) continue;
    fs::path path = directory / "jsonstat" / (TableId(indicator) + ".json");
    auto written = WriteJsonStatFile(context, indicator, path, summary.bytes);
    if (!written) return tl::unexpected(written.error());
    summary.observations += *written;
    summary.jsonstat_files.push_back(std::move(path));
  }

  summary.mapping_file = directory / "jsonstat_mapping.json";
  auto written = WriteText(summary.mapping_file, MappingJson().dump(2) + "\n");
  if (!written) return tl::unexpected(written.error());
  summary.bytes += *written;

  summary.catalogue_file = directory / "kpi_catalogue.csv";
  written = WriteText(summary.catalogue_file, CatalogueCsv(context));
  if (!written) return tl::unexpected(written.error());
  summary.bytes += *written;
  return summary;
}

}  // namespace halsonav::statsio
