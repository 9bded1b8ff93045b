#pragma once

// `halsonav fetch kolada` and `halsonav fetch pxweb` (app/fetch.hpp). main.cpp parses the flags;
// these run them, draw the progress on a terminal, print the summary and return the exit code
// (0 done, 1 failed: the message names the URL or the problems, nothing stored; 2 bad usage).

#include <string>
#include <vector>

#include "app/fetch.hpp"

namespace halsonav::cli {

struct KoladaFetchCommand {
  std::string db;
  std::vector<std::string> kpis;            // as given: each may hold a comma-separated list
  std::vector<std::string> municipalities;  // likewise
  bool progress = true;
  KoladaFetchOptions options;
};
int FetchKolada(KoladaFetchCommand command, const Caller& caller);

struct PxWebFetchCommand {
  std::string db;
  std::string query_file;
  std::string mapping_file;
  bool progress = true;
  PxWebFetchOptions options;
};
int FetchPxWeb(PxWebFetchCommand command, const Caller& caller);

}  // namespace halsonav::cli
