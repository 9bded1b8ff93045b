#include "server/fetch_routes.hpp"

#include <fmt/format.h>

#include "server/query_params.hpp"

namespace halsonav::http {

bool DispatchFetches(App& app, const httplib::Request& req, httplib::Response& res,
                     const std::vector<std::string_view>& rest, const Caller& caller,
                     const std::function<bool(const Allowed&)>& route) {
  if (rest.empty() || rest[0] != "fetches" || rest.size() > 3) return false;
  if (rest.size() == 1) {
    if (!route({{"GET", "POST"}})) return true;
    if (req.method == "GET") {
      QueryParams params(req.params, {});
      const auto page = params.Page();
      if (auto ok = params.Finish(); !ok) {
        SendError(res, ok.error());
        return true;
      }
      SendResult(res, app.ListFetches(page));
      return true;
    }
    if (auto ok = RequireMediaType(req, "application/json"); !ok) {
      SendError(res, ok.error());
      return true;
    }
    auto body = ParseJson(req.body);
    if (!body) {
      SendError(res, body.error());
      return true;
    }
    auto job = app.StartFetch(*body, caller);
    if (job) res.set_header("Location", fmt::format("{}/{}", req.path, (*job)["id"].get<Id>()));
    SendResult(res, job, 202);
    return true;
  }
  const auto id = ParseId(rest[1]);
  if (!id || (rest.size() == 3 && rest[2] != "cancel")) {
    SendError(res, NotFound(req.path).value());
    return true;
  }
  if (rest.size() == 3) {
    if (!route({{"POST"}})) return true;
    SendResult(res, app.CancelFetch(*id, caller), 202);
    return true;
  }
  if (!route({{"GET"}})) return true;
  SendResult(res, app.GetFetch(*id));
  return true;
}

}  // namespace halsonav::http
