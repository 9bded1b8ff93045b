#pragma once

// The statistics routes: areas, area groups, indicators and observations, the area profile,
// statistics imports and the disclosure rule (docs/api.md, "Indicators and statistics").

#include <functional>
#include <string_view>
#include <vector>

#include "app/app.hpp"
#include "server/http_support.hpp"

namespace halsonav::http {

// Answers the request when `rest` (the path after /api/v1) is a statistics route, and returns
// true; false when it is none of them. `route` answers 405 and returns false for a method the
// route does not allow.
bool DispatchStats(App& app, const httplib::Request& req, httplib::Response& res,
                   const std::vector<std::string_view>& rest, const Caller& caller,
                   const std::function<bool(const Allowed&)>& route);

}  // namespace halsonav::http
