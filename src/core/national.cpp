#include "core/national.hpp"

#include <array>
#include <string>
#include <string_view>

namespace halsonav {
namespace {

struct Label {
  std::string_view sv;
  std::string_view en;
};

// Folkhälsomyndigheten's official names of the eight target areas (målområden).
constexpr std::array<Label, 8> kTargetAreas = {{
    {"Det tidiga livets villkor", "Conditions in early life"},
    {"Kunskaper, kompetenser och utbildning", "Knowledge, skills and education"},
    {"Arbete, arbetsförhållanden och arbetsmiljö", "Work, working conditions and work environment"},
    {"Inkomster och försörjningsmöjligheter", "Income and economic resources"},
    {"Boende och närmiljö", "Housing and local environment"},
    {"Levnadsvanor", "Living habits"},
    {"Kontroll, inflytande och delaktighet", "Control, influence and participation"},
    {"En jämlik och hälsofrämjande hälso- och sjukvård",
     "Equitable and health-promoting health care"},
}};

// The Swedish government's and the UN's names of the 17 global goals.
constexpr std::array<Label, 17> kAgenda2030 = {{
    {"Ingen fattigdom", "No poverty"},
    {"Ingen hunger", "Zero hunger"},
    {"God hälsa och välbefinnande", "Good health and well-being"},
    {"God utbildning för alla", "Quality education"},
    {"Jämställdhet", "Gender equality"},
    {"Rent vatten och sanitet för alla", "Clean water and sanitation"},
    {"Hållbar energi för alla", "Affordable and clean energy"},
    {"Anständiga arbetsvillkor och ekonomisk tillväxt", "Decent work and economic growth"},
    {"Hållbar industri, innovationer och infrastruktur", "Industry, innovation and infrastructure"},
    {"Minskad ojämlikhet", "Reduced inequalities"},
    {"Hållbara städer och samhällen", "Sustainable cities and communities"},
    {"Hållbar konsumtion och produktion", "Responsible consumption and production"},
    {"Bekämpa klimatförändringen", "Climate action"},
    {"Hav och marina resurser", "Life below water"},
    {"Ekosystem och biologisk mångfald", "Life on land"},
    {"Fredliga och inkluderande samhällen", "Peace, justice and strong institutions"},
    {"Genomförande och globalt partnerskap", "Partnerships for the goals"},
}};

struct PreventionLevel {
  std::string_view code;
  Label label;
};

constexpr std::array<PreventionLevel, 3> kPreventionLevels = {{
    {"universal", {"Universell", "Universal"}},
    {"selective", {"Selektiv", "Selective"}},
    {"indicated", {"Indikerad", "Indicated"}},
}};

}  // namespace

Framework NationalFramework() {
  Framework framework;
  framework.kind = FrameworkKind::kStrategy;
  framework.title = "Sveriges nationella folkhälsopolitik";
  framework.short_title = "Nationella folkhälsomålet";
  framework.description =
      "Det övergripande nationella målet för folkhälsopolitiken: att skapa samhälleliga "
      "förutsättningar för en god och jämlik hälsa i hela befolkningen och att sluta de "
      "påverkbara hälsoklyftorna inom en generation (prop. 2017/18:249).";
  framework.valid_from = 2018;
  framework.status = FrameworkStatus::kAdopted;
  framework.read_only = true;
  framework.node_kinds = {NodeKind{"target_area", "Målområde", true, {}}};
  return framework;
}

std::vector<Node> NationalTargetAreaNodes() {
  std::vector<Node> nodes;
  for (std::size_t area_idx = 0; area_idx < kTargetAreas.size(); ++area_idx) {
    Node node;
    node.kind = "target_area";
    node.code = std::to_string(area_idx + 1);
    node.title = std::string(kTargetAreas[area_idx].sv);
    node.order = static_cast<std::int64_t>(area_idx + 1);
    node.classifications = {"target_area:" + node.code};
    nodes.push_back(std::move(node));
  }
  return nodes;
}

std::vector<Classification> PreloadedClassifications() {
  std::vector<Classification> all;
  for (std::size_t idx = 0; idx < kTargetAreas.size(); ++idx) {
    const auto code = std::to_string(idx + 1);
    all.push_back({"target_area:" + code, "target_area", code, std::string(kTargetAreas[idx].sv),
                   std::string(kTargetAreas[idx].en)});
  }
  for (std::size_t idx = 0; idx < kAgenda2030.size(); ++idx) {
    const auto code = std::to_string(idx + 1);
    all.push_back({"agenda2030:" + code, "agenda2030", code, std::string(kAgenda2030[idx].sv),
                   std::string(kAgenda2030[idx].en)});
  }
  for (const auto& level : kPreventionLevels) {
    all.push_back({"prevention_level:" + std::string(level.code), "prevention_level",
                   std::string(level.code), std::string(level.label.sv),
                   std::string(level.label.en)});
  }
  return all;
}

Actor NationalFrameworkOwner() {
  Actor owner;
  owner.kind = ActorKind::kOther;
  owner.name = "Sveriges riksdag";
  owner.description = "Beslutade det nationella folkhälsomålet och de åtta målområdena.";
  return owner;
}

}  // namespace halsonav
