#pragma once

// A small plan in Norrbotten's shape, shared by the XLSX unit test and the sample writer that
// tests/unit/io/check_plan_xlsx.py reads back with openpyxl (keep the two in step).

#include "io/plan_file.hpp"

namespace halsonav::plan::testing {

inline PlanFile SamplePlan() {
  PlanFile plan;
  plan.framework.kind = FrameworkKind::kActionPlan;
  plan.framework.title = "Handlingsplan för folkhälsa";
  plan.framework.short_title = "Handlingsplan 2018–2022";
  plan.framework.owner = "Region Norrbotten";
  plan.framework.valid_from = 2018;
  plan.framework.valid_to = 2022;
  plan.framework.status = FrameworkStatus::kAdopted;
  plan.framework.node_kinds = {
      {"sub_goal", "Delmål", true, {}},
      {"arena", "Arena", false, {"sub_goal"}},
      {"group", "Grupp", false, {"sub_goal", "arena"}},
  };
  plan.framework.classifications = {"prevention_level:universal"};

  MeasureSpec motverka;
  motverka.code = "1 A";
  motverka.expected_result = "Fler elever går ut skolan med fullständiga betyg";
  motverka.text = "Motverka mobbning";
  motverka.status = MeasureStatus::kUnderWay;
  motverka.responsible = {{"Region Norrbotten",
                           {"Utvecklingsavdelningen / Folkhälsocentrum",
                            "Avdelningen för regional utveckling / Näringslivsenheten"}},
                          {"Luleå tekniska universitet", {}}};
  motverka.partners = {{"Svenska kyrkan", PartRole::kParticipant, {}},
                       {"Kommunerna i Norrbotten", PartRole::kPrerequisite, {"Elevhälsan"}}};

  MeasureSpec inherited;
  inherited.code = "1 B";
  inherited.target_group = "Elever 13–15 år";
  inherited.expected_result = "Ökad närvaro";
  inherited.expected_result_year = 2022;
  inherited.text = "Stärk \"elevhälsan\"\nmed två rader";
  inherited.suggested_classifications = {"agenda2030:4"};

  NodeSpec group1;
  group1.kind = "group";
  group1.code = "1";
  group1.title = "Bidra till att eleverna klarar grundskolan";
  group1.measures = {motverka, inherited};

  NodeSpec sub_goal1;
  sub_goal1.kind = "sub_goal";
  sub_goal1.code = "1";
  sub_goal1.title = "Utbildningsnivån ska öka";
  sub_goal1.coordinating_actor = "Norrbottens Kommuner";
  sub_goal1.contact_unit = "Kansliet";
  sub_goal1.classifications = {"target_area:2"};
  sub_goal1.children = {group1};

  MeasureSpec arbetsliv;
  arbetsliv.code = "5 A";
  arbetsliv.text = "Hälsofrämjande arbetsplatser";
  arbetsliv.status = MeasureStatus::kDone;
  arbetsliv.responsible = {{"Region Norrbotten", {}}};
  arbetsliv.partners = {{"Företagarna", PartRole::kLead, {}}};
  arbetsliv.classifications = {"target_area:3"};

  NodeSpec group5;
  group5.kind = "group";
  group5.code = "5";
  group5.title = "Friska arbetsplatser";
  group5.measures = {arbetsliv};

  NodeSpec arena;
  arena.kind = "arena";
  arena.code = "A";
  arena.title = "Arbetsliv";
  arena.children = {group5};

  NodeSpec sub_goal2;
  sub_goal2.kind = "sub_goal";
  sub_goal2.code = "2";
  sub_goal2.title = "Fler i arbete";
  sub_goal2.children = {arena};

  plan.nodes = {sub_goal1, sub_goal2};
  return plan;
}

}  // namespace halsonav::plan::testing
