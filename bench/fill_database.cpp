// halsonav_bench_fill: creates a benchmark database with realistic content through the real
// write path (App::Create with JSON bodies: validation, rules and change history), so that the
// HTTP benchmark reads what a real database would hold.
//
//   halsonav_bench_fill DB [--frameworks N] [--measures N] [--ids-out FILE]
//
// Content (deterministic: a fixed seed and our own generator, not <random>'s distributions,
// whose output differs between standard libraries):
//   - ~40 actors (region, county board, the 14 municipalities of a county, a university, civil
//     society, working life, state agencies, faith communities, collectives), each with 1-4
//     units, some nested;
//   - N action-plan frameworks (default 10), node kinds sub_goal -> group, 4 sub-goals x 20
//     groups each;
//   - M measures per framework (default 2,000) spread over the groups: code "12 C", target
//     group, expected result and year, 200-400 characters of Swedish-looking text, 1-2
//     responsible actors with units, 0-3 partners with roles, tags, a target-area
//     classification (sometimes a prevention level and an Agenda 2030 goal too).
//
// Prints the framework ids (`framework_ids: ...`), the measure id range and how long the fill
// took. --ids-out writes every measure id, one per line. Refuses to overwrite an existing file.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "app/open.hpp"

namespace halsonav {
namespace {

// splitmix64: tiny, fast, and the same sequence on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (inclusive); the modulo bias is irrelevant here.
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  template <typename T>
  const T& Pick(const std::vector<T>& from) {
    return from[static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(from.size()) - 1))];
  }
  bool Chance(int percent) { return Between(1, 100) <= percent; }

 private:
  std::uint64_t state_;
};

struct ActorSeed {
  const char* kind;
  std::string name;
  const char* short_name;
  const char* area_code;
};

struct ActorRef {
  Id id = 0;
  std::vector<Id> unit_ids;
};

const std::vector<std::string> kMunicipalities = {
    "Arjeplog", "Arvidsjaur", "Boden",  "Gällivare", "Haparanda", "Jokkmokk",  "Kalix",
    "Kiruna",   "Luleå",      "Pajala", "Piteå",     "Älvsbyn",   "Överkalix", "Övertorneå"};
const std::vector<std::string> kMunicipalityCodes = {"2506", "2505", "2582", "2523", "2583",
                                                     "2510", "2514", "2584", "2580", "2521",
                                                     "2581", "2560", "2513", "2518"};

std::vector<ActorSeed> Actors() {
  std::vector<ActorSeed> actors = {
      {"region", "Region Norrbotten", "RN", "25"},
      {"county_administrative_board", "Länsstyrelsen i Norrbottens län", "Lst BD", nullptr},
      {"university", "Luleå tekniska universitet", "LTU", nullptr},
      {"civil_society", "RF-SISU Norrbotten", nullptr, nullptr},
      {"civil_society", "Studieförbundet Vuxenskolan Norrbotten", "SV", nullptr},
      {"civil_society", "ABF Norrbotten", "ABF", nullptr},
      {"civil_society", "Svenska Röda Korset, region Norr", nullptr, nullptr},
      {"civil_society", "NSPH Norrbotten", nullptr, nullptr},
      {"civil_society", "Länsbygderådet i Norrbotten", nullptr, nullptr},
      {"civil_society", "Friluftsfrämjandet region Norr", nullptr, nullptr},
      {"civil_society", "Brottsofferjouren Norrbotten", nullptr, nullptr},
      {"civil_society", "Norrbottens Bildningsförbund", nullptr, nullptr},
      {"working_life", "Företagarna Norrbotten", nullptr, nullptr},
      {"working_life", "LO-distriktet i Norrbotten", "LO", nullptr},
      {"state_agency", "Folkhälsomyndigheten", "FoHM", nullptr},
      {"state_agency", "Polismyndigheten, region Nord", nullptr, nullptr},
      {"state_agency", "Försäkringskassan", nullptr, nullptr},
      {"state_agency", "Arbetsförmedlingen", nullptr, nullptr},
      {"state_agency", "Trafikverket, region Nord", nullptr, nullptr},
      {"state_agency", "Sametinget", nullptr, nullptr},
      {"faith_community", "Svenska kyrkan, Luleå stift", nullptr, nullptr},
      {"faith_community", "Equmeniakyrkan Norr", nullptr, nullptr},
      {"collective", "Intresserade kommuner", nullptr, nullptr},
      {"collective", "Länets folkhögskolor", nullptr, nullptr},
      {"other", "Norrbottens kommuner (kommunförbundet)", nullptr, nullptr},
  };
  for (std::size_t idx = 0; idx < kMunicipalities.size(); ++idx) {
    actors.push_back({"municipality", kMunicipalities[idx] + "s kommun", nullptr,
                      kMunicipalityCodes[idx].c_str()});
  }
  return actors;
}

// Unit names by actor kind; a "/" makes the second part a child of the first.
std::vector<std::string> UnitNames(std::string_view kind) {
  if (kind == "region") {
    return {"Utvecklingsavdelningen",
            "Utvecklingsavdelningen/Folkhälsocentrum",
            "Hälso- och sjukvård",
            "Hälso- och sjukvård/Primärvården",
            "Tandvården",
            "Kulturavdelningen"};
  }
  if (kind == "municipality") {
    return {"Socialförvaltningen", "Barn- och utbildningsförvaltningen",
            "Kultur- och fritidsförvaltningen", "Samhällsbyggnadsförvaltningen",
            "Kommunledningskontoret/Folkhälsosamordnare"};
  }
  if (kind == "county_administrative_board" || kind == "state_agency") {
    return {"Enheten för samhällsutveckling", "Enheten för social hållbarhet"};
  }
  if (kind == "university") {
    return {"Institutionen för hälsovetenskap", "Institutionen för samhällsbyggnad"};
  }
  if (kind == "collective") return {};
  return {"Verksamhetsutveckling"};
}

const std::vector<std::string> kFrameworkThemes = {"folkhälsa",
                                                   "psykisk hälsa och suicidprevention",
                                                   "barns och ungas hälsa",
                                                   "ANDTS-förebyggande arbete",
                                                   "jämlik hälsa",
                                                   "fysisk aktivitet och goda matvanor",
                                                   "äldres hälsa",
                                                   "våld i nära relationer",
                                                   "social hållbarhet",
                                                   "hälsofrämjande skola"};

const std::vector<std::string> kSubGoals = {"Goda förutsättningar för barn och unga",
                                            "Jämlik hälsa och minskade skillnader",
                                            "Hälsofrämjande livsmiljöer",
                                            "Goda levnadsvanor hela livet",
                                            "Delaktighet och inflytande",
                                            "Psykisk hälsa och välbefinnande"};

const std::vector<std::string> kGroupTitles = {"Fysisk aktivitet",
                                               "Matvanor",
                                               "Tobak och nikotin",
                                               "Alkohol",
                                               "Narkotika och dopning",
                                               "Spel om pengar",
                                               "Psykisk hälsa",
                                               "Suicidprevention",
                                               "Föräldraskapsstöd",
                                               "Skolans hälsofrämjande arbete",
                                               "Förskola",
                                               "Fritid och kultur",
                                               "Boende och närmiljö",
                                               "Arbete och sysselsättning",
                                               "Ekonomisk trygghet",
                                               "Våld och kränkningar",
                                               "Äldres hälsa",
                                               "Nyanlända och integration",
                                               "Funktionsnedsättning",
                                               "Sexuell och reproduktiv hälsa",
                                               "Sömn och återhämtning",
                                               "Trafiksäkerhet",
                                               "Friluftsliv",
                                               "Samverkan och uppföljning"};

const std::vector<std::string> kTargetGroups = {"Barn 0–6 år och deras föräldrar",
                                                "Elever i grundskolans årskurs 7–9",
                                                "Gymnasieelever",
                                                "Unga vuxna 18–25 år",
                                                "Personer över 65 år",
                                                "Nyanlända vuxna",
                                                "Personer med funktionsnedsättning",
                                                "Föräldrar till tonåringar",
                                                "Personal inom skola och elevhälsa",
                                                "Chefer och förtroendevalda",
                                                "Hela befolkningen",
                                                "Personer som saknar arbete",
                                                "Anhöriga och närstående",
                                                "Ideella ledare i föreningslivet"};

const std::vector<std::string> kExpectedResults = {
    "Ökad andel elever som uppger att de mår bra",
    "Minskad andel unga som använder tobak eller nikotin",
    "Fler föräldrar har tagit del av föräldraskapsstöd",
    "Ökad fysisk aktivitet bland barn och unga",
    "Minskade skillnader i självskattad hälsa mellan grupper",
    "Fler kommuner har en antagen handlingsplan",
    "Personal har fått utbildning och använder metoden",
    "Ökad samverkan mellan region, kommun och civilsamhälle",
    "Minskat antal suicidförsök i länet",
    "Fler äldre deltar i sociala aktiviteter",
    "Ökad trygghet i offentlig miljö",
    "Uppföljning redovisas årligen till styrgruppen"};

const std::vector<std::string> kOpenings = {
    "Utveckla och sprida arbetssätt för",
    "Genomföra en länsgemensam satsning på",
    "Erbjuda utbildning till personal inom skola, socialtjänst och hälso- och sjukvård om",
    "Kartlägga och följa upp",
    "Stärka samverkan mellan kommunerna och regionen kring",
    "Ta fram ett gemensamt kunskapsunderlag om",
    "Införa evidensbaserade metoder för",
    "Skapa mötesplatser i samarbete med civilsamhället för",
    "Samordna insatser och resurser för"};

const std::vector<std::string> kSubjects = {
    "tidiga och samordnade insatser för barn och unga i behov av stöd",
    "hälsofrämjande och förebyggande arbete i förskola och skola",
    "minskad användning av alkohol, narkotika, dopning, tobak och spel",
    "ökad fysisk aktivitet och minskat stillasittande i alla åldrar",
    "goda matvanor, särskilt i grupper med sämre förutsättningar",
    "psykisk hälsa och suicidprevention i hela länet",
    "trygga och tillgängliga livsmiljöer i städer och på landsbygden",
    "delaktighet och inflytande för äldre och personer med funktionsnedsättning",
    "våldsförebyggande arbete och stöd till våldsutsatta"};

const std::vector<std::string> kClauses = {
    "Arbetet ska utgå från lokala behov och bygga vidare på det som redan fungerar.",
    "Insatserna följs upp med indikatorer från Kolada och Folkhälsomyndigheten.",
    "Särskild hänsyn tas till skillnader mellan kön, åldersgrupper och geografiska områden.",
    "Metoden har prövats i flera kommuner med goda resultat och kan spridas vidare.",
    "Civilsamhällets organisationer bjuds in tidigt i planeringen.",
    "Resultaten redovisas för den länsgemensamma styrgruppen varje år.",
    "Barnrättsperspektivet och barns egna erfarenheter ska beaktas.",
    "Samiska och andra nationella minoriteters perspektiv ska synliggöras.",
    "Insatsen samordnas med pågående arbete inom elevhälsan och primärvården.",
    "Kunskapen ska göras tillgänglig för alla kommuner i länet via en gemensam webbplats."};

const std::vector<std::string> kTags = {
    "ANDTS",         "barn och unga",    "föräldraskap",     "skola",         "äldre",
    "jämlikhet",     "suicidprevention", "fysisk aktivitet", "matvanor",      "samverkan",
    "landsbygd",     "utbildning",       "uppföljning",      "civilsamhälle", "våld",
    "psykisk hälsa", "integration",      "digitalisering"};

const std::vector<std::string> kStatuses = {"under_way", "new_anchored", "done",
                                            "paused",    "cancelled",    "not_stated"};
const std::vector<std::string> kRoles = {"lead", "coordinating", "prerequisite", "desirable",
                                         "participant"};
const std::vector<std::string> kPreventionLevels = {"universal", "selective", "indicated"};

std::string MeasureText(Rng& rng) {
  std::string text = rng.Pick(kOpenings) + " " + rng.Pick(kSubjects) + ".";
  const auto target = static_cast<std::size_t>(rng.Between(200, 400));
  while (text.size() < target) text += " " + rng.Pick(kClauses);
  if (text.size() > 400) {
    // Cut at a word boundary (never inside a multi-byte character: cut at a space).
    const auto space = text.rfind(' ', 396);
    text = text.substr(0, space) + ".";
  }
  return text;
}

// Fails the program with the App's message.
Json Must(Result<Json> result, std::string_view what) {
  if (!result) {
    throw std::runtime_error(
        fmt::format("{}: {} ({})", what, result.error().message, result.error().details.dump()));
  }
  return std::move(*result);
}

int Fill(const std::string& path, int frameworks, int measures_per_framework,
         const std::string& ids_out) {
  if (std::filesystem::exists(path)) {
    std::cerr << "halsonav_bench_fill: " << path << " exists; refusing to overwrite it\n";
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  auto opened = OpenApp(DatabaseConfig{path, true, true, 1});
  if (!opened) {
    std::cerr << "halsonav_bench_fill: " << opened.error().message << "\n";
    return 1;
  }
  App& app = **opened;
  const Caller caller = Caller::Operator("bench");
  Rng rng(20261123);

  // Actors and their units.
  std::vector<ActorRef> actors;
  std::vector<std::size_t> municipality_idx;
  std::size_t unit_count = 0;
  for (const auto& seed : Actors()) {
    Json body = {{"kind", seed.kind}, {"name", seed.name}};
    if (seed.short_name) body["short_name"] = seed.short_name;
    if (seed.area_code) body["area_code"] = seed.area_code;
    body["description"] =
        fmt::format("{} deltar i det länsgemensamma folkhälsoarbetet.", seed.name);
    ActorRef actor;
    actor.id = Must(app.Create(EntityKind::kActor, body, caller), "actor")["id"].get<Id>();
    std::vector<std::pair<std::string, Id>> made;  // name -> id, for parents
    for (const auto& unit_name : UnitNames(seed.kind)) {
      Json unit = {{"actor_id", actor.id}, {"parent_id", nullptr}};
      std::string name = unit_name;
      if (const auto slash = unit_name.find('/'); slash != std::string::npos) {
        const auto parent = unit_name.substr(0, slash);
        name = unit_name.substr(slash + 1);
        for (const auto& [made_name, made_id] : made) {
          if (made_name == parent) unit["parent_id"] = made_id;
        }
      }
      unit["name"] = name;
      const Id unit_id = Must(app.Create(EntityKind::kUnit, unit, caller), "unit")["id"].get<Id>();
      made.emplace_back(name, unit_id);
      actor.unit_ids.push_back(unit_id);
      ++unit_count;
    }
    if (std::string_view(seed.kind) == "municipality") municipality_idx.push_back(actors.size());
    actors.push_back(std::move(actor));
  }
  const Id region_id = actors.front().id;

  const auto actor_with_units = [&](const ActorRef& actor) {
    Json units = Json::array();
    if (!actor.unit_ids.empty()) {
      const auto count = rng.Between(0, std::min<std::int64_t>(2, actor.unit_ids.size()));
      const auto first = rng.Between(0, static_cast<std::int64_t>(actor.unit_ids.size()) - 1);
      for (std::int64_t idx = 0; idx < count; ++idx) {
        units.push_back(
            actor.unit_ids[static_cast<std::size_t>(first + idx) % actor.unit_ids.size()]);
      }
    }
    return units;
  };

  std::vector<Id> framework_ids;
  std::vector<Id> measure_ids;
  std::size_t node_count = 0;
  for (int fw = 0; fw < frameworks; ++fw) {
    const auto& theme = kFrameworkThemes[static_cast<std::size_t>(fw) % kFrameworkThemes.size()];
    const int from = 2019 + fw % 5;
    Json framework = {
        {"kind", "action_plan"},
        {"title", fmt::format("Handlingsplan för {} {}–{}", theme, from, from + 4)},
        {"short_title", fmt::format("HP {} {}", fw + 1, from)},
        {"description", fmt::format("Länsgemensam handlingsplan för {} i Norrbotten, framtagen "
                                    "tillsammans med kommunerna och civilsamhället.",
                                    theme)},
        {"owner_actor_id", region_id},
        {"valid_from", from},
        {"valid_to", from + 4},
        {"status", "adopted"},
        {"node_kinds", Json::parse(R"([
           {"key": "sub_goal", "label": "Delmål", "root": true, "parents": []},
           {"key": "group", "label": "Grupp", "root": false, "parents": ["sub_goal"]}])")}};
    const Id framework_id =
        Must(app.Create(EntityKind::kFramework, framework, caller), "framework")["id"].get<Id>();
    framework_ids.push_back(framework_id);

    constexpr int kSubGoalCount = 4;
    constexpr int kGroupsPerSubGoal = 20;
    std::vector<Id> groups;
    for (int sg = 0; sg < kSubGoalCount; ++sg) {
      const auto& coordinator = rng.Pick(actors);
      Json sub_goal = {{"framework_id", framework_id},
                       {"kind", "sub_goal"},
                       {"code", std::to_string(sg + 1)},
                       {"title", kSubGoals[static_cast<std::size_t>(sg + fw) % kSubGoals.size()]},
                       {"text",
                        "Delmålet samlar insatser som tillsammans ska bidra till en god och jämlik "
                        "hälsa i hela länet."},
                       {"order", sg},
                       {"coordinating_actor_id", coordinator.id},
                       {"classifications", {fmt::format("target_area:{}", rng.Between(1, 8))}}};
      if (!coordinator.unit_ids.empty()) sub_goal["contact_unit_id"] = coordinator.unit_ids[0];
      const Id sub_goal_id =
          Must(app.Create(EntityKind::kNode, sub_goal, caller), "sub-goal")["id"].get<Id>();
      ++node_count;
      for (int gr = 0; gr < kGroupsPerSubGoal; ++gr) {
        const int number = sg * kGroupsPerSubGoal + gr + 1;
        Json group = {
            {"framework_id", framework_id},
            {"parent_id", sub_goal_id},
            {"kind", "group"},
            {"code", std::to_string(number)},
            {"title", kGroupTitles[static_cast<std::size_t>(number) % kGroupTitles.size()]},
            {"order", gr}};
        if (rng.Chance(30)) group["coordinating_actor_id"] = rng.Pick(actors).id;
        groups.push_back(
            Must(app.Create(EntityKind::kNode, group, caller), "group")["id"].get<Id>());
        ++node_count;
      }
    }

    // Measures, spread evenly over the groups; codes "<group number> <letter(s)>".
    std::vector<int> per_group(groups.size(), 0);
    for (int m = 0; m < measures_per_framework; ++m) {
      const auto group_idx = static_cast<std::size_t>(m) % groups.size();
      const int within = per_group[group_idx]++;
      std::string letters;
      for (int n = within;; n = n / 26 - 1) {
        letters.insert(letters.begin(), static_cast<char>('A' + n % 26));
        if (n < 26) break;
      }
      Json measure = {{"node_id", groups[group_idx]},
                      {"code", fmt::format("{} {}", group_idx + 1, letters)},
                      {"target_group", rng.Pick(kTargetGroups)},
                      {"expected_result", rng.Pick(kExpectedResults)},
                      {"expected_result_year", rng.Between(2020, 2030)},
                      {"text", MeasureText(rng)},
                      {"status", rng.Pick(kStatuses)},
                      {"order", within}};
      // 1-2 responsible actors (a municipality more often than not), 0-3 partners: distinct.
      std::vector<std::size_t> chosen;
      const auto fresh = [&](std::size_t idx) {
        for (auto c : chosen) {
          if (c == idx) return false;
        }
        chosen.push_back(idx);
        return true;
      };
      Json responsible = Json::array();
      const auto responsible_count = rng.Between(1, 2);
      while (static_cast<std::int64_t>(responsible.size()) < responsible_count) {
        const auto idx = rng.Chance(60)
                             ? municipality_idx[static_cast<std::size_t>(rng.Between(
                                   0, static_cast<std::int64_t>(municipality_idx.size()) - 1))]
                             : static_cast<std::size_t>(
                                   rng.Between(0, static_cast<std::int64_t>(actors.size()) - 1));
        if (!fresh(idx)) continue;
        responsible.push_back(
            {{"actor_id", actors[idx].id}, {"unit_ids", actor_with_units(actors[idx])}});
      }
      Json partners = Json::array();
      const auto partner_count = rng.Between(0, 3);
      while (static_cast<std::int64_t>(partners.size()) < partner_count) {
        const auto idx =
            static_cast<std::size_t>(rng.Between(0, static_cast<std::int64_t>(actors.size()) - 1));
        if (!fresh(idx)) continue;
        partners.push_back(
            {{"actor_id", actors[idx].id},
             {"role", rng.Pick(kRoles)},
             {"unit_ids", rng.Chance(50) ? actor_with_units(actors[idx]) : Json::array()}});
      }
      measure["responsible"] = std::move(responsible);
      measure["partners"] = std::move(partners);
      Json tags = Json::array();
      const auto tag_count = rng.Between(1, 3);
      const auto first_tag = rng.Between(0, static_cast<std::int64_t>(kTags.size()) - 1);
      for (std::int64_t t = 0; t < tag_count; ++t) {
        tags.push_back(kTags[static_cast<std::size_t>(first_tag + t) % kTags.size()]);
      }
      measure["tags"] = std::move(tags);
      Json classifications = {fmt::format("target_area:{}", rng.Between(1, 8))};
      if (rng.Chance(40)) {
        classifications.push_back("prevention_level:" + rng.Pick(kPreventionLevels));
      }
      if (rng.Chance(30))
        classifications.push_back(fmt::format("agenda2030:{}", rng.Between(1, 17)));
      measure["classifications"] = std::move(classifications);
      measure_ids.push_back(
          Must(app.Create(EntityKind::kMeasure, measure, caller), "measure")["id"].get<Id>());
    }
    std::cout << fmt::format("framework {} of {}: id {}, {} measures", fw + 1, frameworks,
                             framework_id, measures_per_framework)
              << std::endl;
  }

  if (!ids_out.empty()) {
    std::ofstream out(ids_out);
    for (const Id id : measure_ids) out << id << "\n";
    if (!out) {
      std::cerr << "halsonav_bench_fill: could not write " << ids_out << "\n";
      return 1;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t creates =
      actors.size() + unit_count + framework_ids.size() + node_count + measure_ids.size();
  std::cout << fmt::format("framework_ids: {}\n", fmt::join(framework_ids, " "));
  if (!measure_ids.empty()) {
    std::cout << fmt::format("measure_ids: {}-{} ({} measures)\n", measure_ids.front(),
                             measure_ids.back(), measure_ids.size());
  }
  std::cout << fmt::format(
                   "filled {} in {:.1f} s: {} actors, {} units, {} frameworks, {} nodes, {} "
                   "measures ({} creates, {:.0f} creates/s)",
                   path, seconds, actors.size(), unit_count, framework_ids.size(), node_count,
                   measure_ids.size(), creates, static_cast<double>(creates) / seconds)
            << std::endl;
  return 0;
}

int Usage() {
  std::cerr << "usage: halsonav_bench_fill DB [--frameworks N] [--measures N] [--ids-out FILE]\n";
  return 2;
}

}  // namespace
}  // namespace halsonav

int main(int argc, char** argv) {
  std::string path;
  std::string ids_out;
  int frameworks = 10;
  int measures = 2000;
  try {
    for (int idx = 1; idx < argc; ++idx) {
      const std::string arg = argv[idx];
      const bool has_value = idx + 1 < argc;
      if (arg == "--frameworks" && has_value) {
        frameworks = std::stoi(argv[++idx]);
      } else if (arg == "--measures" && has_value) {
        measures = std::stoi(argv[++idx]);
      } else if (arg == "--ids-out" && has_value) {
        ids_out = argv[++idx];
      } else if (!arg.empty() && arg[0] != '-' && path.empty()) {
        path = arg;
      } else {
        return halsonav::Usage();
      }
    }
    if (path.empty() || frameworks < 1 || measures < 0) return halsonav::Usage();
    return halsonav::Fill(path, frameworks, measures, ids_out);
  } catch (const std::exception& error) {
    std::cerr << "halsonav_bench_fill: " << error.what() << "\n";
    return 1;
  }
}
