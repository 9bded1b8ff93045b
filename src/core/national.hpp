#pragma once

// The content every Hälsonav database holds from its creation: the national framework (the
// overall goal of Swedish public-health policy and its eight target areas, prop. 2017/18:249),
// the 17 goals of Agenda 2030 and the three prevention levels. Read-only.

#include <vector>

#include "core/domain.hpp"

namespace halsonav {

// The national framework, without ids: kind strategy, status adopted, read-only, one node kind
// ("target_area").
Framework NationalFramework();

// The eight target areas as nodes of the national framework (framework_id left 0), in order,
// code "1".."8", each classified with its own target-area classification.
std::vector<Node> NationalTargetAreaNodes();

// Every preloaded classification, in display order: target_area:1..8, agenda2030:1..17,
// prevention_level:universal|selective|indicated.
std::vector<Classification> PreloadedClassifications();

// The owner of the national framework.
Actor NationalFrameworkOwner();

}  // namespace halsonav
