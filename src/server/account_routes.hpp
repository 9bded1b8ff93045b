#pragma once

// The account routes (docs/api.md, "Accounts"): signing in and out, the own password, users,
// personal API tokens and the audit log.

#include <functional>
#include <string_view>
#include <vector>

#include "app/app.hpp"
#include "server/http_support.hpp"
#include "server/request_guard.hpp"

namespace halsonav::http {

// Answers the request when `rest` (the path after /api/v1) is an account route, and returns
// true; false when it is none of them.
bool DispatchAccounts(App& app, const GuardConfig& config, const httplib::Request& req,
                      httplib::Response& res, const std::vector<std::string_view>& rest,
                      const RequestIdentity& identity,
                      const std::function<bool(const Allowed&)>& route);

}  // namespace halsonav::http
