#pragma once

// The fetch routes (docs/api.md, "Fetches"): start a fetch from Kolada or PxWeb, list the jobs,
// read one, cancel one.

#include <functional>
#include <string_view>
#include <vector>

#include "app/app.hpp"
#include "server/http_support.hpp"

namespace halsonav::http {

// Answers the request when `rest` (the path after /api/v1) is a fetch route, and returns true;
// false when it is none of them. `route` answers 405 and returns false for a method the route
// does not allow.
bool DispatchFetches(App& app, const httplib::Request& req, httplib::Response& res,
                     const std::vector<std::string_view>& rest, const Caller& caller,
                     const std::function<bool(const Allowed&)>& route);

}  // namespace halsonav::http
