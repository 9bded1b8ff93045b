// The `halsonav` command: parses flags into typed configurations and calls the app and server
// layers. Exit codes: 0 success, 1 failure (the message says why), 2 bad usage.

#include <pthread.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/app.hpp"
#include "app/open.hpp"
#include "cli/account_commands.hpp"
#include "cli/db_option.hpp"
#include "cli/fetch_commands.hpp"
#include "cli/stats_commands.hpp"
#include "core/text.hpp"
#include "server/http_server.hpp"

namespace halsonav {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Report(const Error& error) {
  std::cerr << "halsonav: " << error.message << "\n";
  return kExitFailure;
}

// "HOST:PORT" → config; a bad value is a usage error.
bool ParseListen(const std::string& listen, ServerConfig& config) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  config.host = listen.substr(0, colon);
  try {
    std::size_t used = 0;
    const int port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || port < 0 || port > 65535) return false;
    config.port = port;
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

int Serve(const std::string& db, const ServerConfig& config) {
  auto app = OpenApp(DatabaseConfig{db, false, true, config.threads + 2});
  if (!app) return Report(app.error());
  FetchJobOptions fetch_jobs;
  fetch_jobs.max_running = config.max_fetches;
  (*app)->SetFetchJobOptions(fetch_jobs);
  // Jobs left unfinished by a server that stopped (or crashed) are ended now, not left running.
  auto recovered = (*app)->RecoverFetchJobs();
  if (!recovered) return Report(recovered.error());
  if (*recovered > 0) {
    std::cerr << fmt::format(
        "halsonav: {} unfinished fetch job(s) of a stopped server marked "
        "failed\n",
        *recovered);
  }
  HttpServer server(**app, config);
  auto port = server.Bind();
  if (!port) return Report(port.error());

  // SIGINT and SIGTERM stop the server: a thread waits for them, the others never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    server.Stop();
  });
  std::cout << fmt::format("listening on http://{}:{}", config.host, *port) << std::endl;
  server.Run();
  // Wakes the waiter if the server stopped by itself: SIGTERM is blocked in every thread and
  // only ever taken by sigwait, so it terminates nothing.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  return 0;
}

// The operating-system user, recorded in the history as who made a change from the CLI.
Caller OsUser() {
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) {
    return Caller::Operator(entry->pw_name);
  }
  return Caller::Operator(fmt::format("uid {}", geteuid()));
}

// Prints an import error: its message, then each problem (file pointer and what is wrong).
int ReportProblems(const Error& error, const std::string& file) {
  std::cerr << "halsonav: " << file << ": " << error.message << "\n";
  if (const auto problems = error.details.find("problems"); problems != error.details.end()) {
    for (const auto& problem : *problems) {
      std::cerr << fmt::format("  {}:{}: {}\n", file, problem.value("pointer", ""),
                               problem.value("message", ""));
    }
  }
  return kExitFailure;
}

std::string CreatedSummary(const Json& report) {
  const auto& created = report.at("created");
  return fmt::format(
      "{} nodes, {} measures, {} adoptions; {} actors and {} units created, {} "
      "actors matched in the registry",
      created.at("nodes").get<std::int64_t>(), created.at("measures").get<std::int64_t>(),
      created.at("adoptions").get<std::int64_t>(), created.at("actors").get<std::int64_t>(),
      created.at("units").get<std::int64_t>(), report.at("actors_matched").size());
}

int Init(const std::string& db, bool demo, bool bare) {
  DatabaseConfig config{db, true, true, 1};
  config.national_data = !bare;
  auto app = OpenApp(config);
  if (!app) return Report(app.error());
  if (demo) {
    auto reports = (*app)->LoadDemo(OsUser());
    Result<Json> statistics = reports ? (*app)->LoadDemoStatistics(OsUser()) : Result<Json>(Json());
    if (!reports || !statistics) {
      // A new file that did not get its content is removed, so that init can simply be re-run.
      app->reset();
      RemoveDatabaseFiles(db);
      return Report(reports ? statistics.error() : reports.error());
    }
    for (const auto& report : *reports) {
      std::cout << fmt::format("{}: framework {} \"{}\": {}", report.at("file").get<std::string>(),
                               report.at("framework_id").get<Id>(),
                               report.at("title").get<std::string>(), CreatedSummary(report))
                << std::endl;
    }
    std::cout << fmt::format(
                     "demo statistics: {} observations from SCB and Kolada, {} of the synthetic "
                     "survey set",
                     statistics->at("observations").get<std::int64_t>(),
                     statistics->at("synthetic_observations").get<std::int64_t>())
              << std::endl;
    if (const int code = cli::AddDemoUsers(**app, OsUser()); code != 0) {
      app->reset();
      RemoveDatabaseFiles(db);
      return code;
    }
  }
  std::cout << fmt::format("{}: created with the national framework and classifications{}{}",
                           ShownDatabase(db),
                           bare ? ""
                                : ", area registry, municipality groups, KPI catalogue and "
                                  "outlines",
                           demo ? " and the demo content" : "")
            << std::endl;
  return 0;
}

// Writes a whole file, or standard output for "-"/empty.
Result<void> WriteOutput(const std::string& path, std::string_view bytes) {
  if (path.empty() || path == "-") {
    std::cout << bytes << std::flush;
    return {};
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) {
    return Fail(ErrorCode::kInternal,
                fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  }
  return {};
}

int ImportPlan(const std::string& db, const std::string& file, const PlanImportOptions& options) {
  auto text = cli::ReadWholeFile(file);
  if (!text) return Report(text.error());
  auto app = OpenApp(DatabaseConfig{db, false, true, 1});
  if (!app) return Report(app.error());
  auto report = (*app)->ImportPlan(*text, options, OsUser());
  if (!report) return ReportProblems(report.error(), file);
  if (options.dry_run) {
    std::cout << fmt::format(
                     "{}: dry run, nothing stored; the import would create framework "
                     "\"{}\": {}",
                     file, report->at("title").get<std::string>(), CreatedSummary(*report))
              << std::endl;
  } else {
    std::cout << fmt::format("{}: created framework {} \"{}\": {}", file,
                             report->at("framework_id").get<Id>(),
                             report->at("title").get<std::string>(), CreatedSummary(*report))
              << std::endl;
  }
  return 0;
}

int ImportMeasures(const std::string& db, const std::string& file, Id framework_id, bool dry_run) {
  auto text = cli::ReadWholeFile(file);
  if (!text) return Report(text.error());
  auto app = OpenApp(DatabaseConfig{db, false, true, 1});
  if (!app) return Report(app.error());
  auto report = (*app)->ImportMeasuresCsv(framework_id, *text, file, dry_run, OsUser());
  if (!report) {
    // Problems already name FILE:LINE:COLUMN.
    std::cerr << "halsonav: " << report.error().message << "\n";
    if (const auto it = report.error().details.find("problems");
        it != report.error().details.end()) {
      for (const auto& problem : *it) {
        std::cerr << fmt::format("  {}: {}\n", problem.value("pointer", ""),
                                 problem.value("message", ""));
      }
    }
    return kExitFailure;
  }
  std::cout << fmt::format("{}: {} {} measures to framework {}", file,
                           dry_run ? "dry run, nothing stored; would add" : "added",
                           report->at("created").at("measures").get<std::int64_t>(), framework_id)
            << std::endl;
  return 0;
}

int ExportPlan(const std::string& db, Id framework_id, const std::string& output, bool xlsx) {
  auto app = OpenApp(DatabaseConfig{db, false, false, 1});
  if (!app) return Report(app.error());
  // The operator reads every framework, drafts included.
  auto text = xlsx ? (*app)->ExportPlanXlsx(framework_id, OsUser())
                   : (*app)->ExportPlan(framework_id, OsUser());
  if (!text) return Report(text.error());
  if (auto ok = WriteOutput(output, *text); !ok) return Report(ok.error());
  return 0;
}

int Migrate(const std::string& db) {
  auto message = MigrateDatabase(db);
  if (!message) return Report(message.error());
  std::cout << *message << std::endl;
  return 0;
}

int Backup(const std::string& db, const std::string& output) {
  auto message = BackupDatabase(db, output);
  if (!message) return Report(message.error());
  std::cout << *message << std::endl;
  return 0;
}

int Run(int argc, char** argv) {
  CLI::App cli{"Hälsonav: plan, coordinate and follow up public-health work", "halsonav"};
  cli.set_version_flag("--version", std::string("halsonav ") + HALSONAV_VERSION);
  cli.require_subcommand(0, 1);  // a missing command is reported below, after unknown flags

  std::string db = "halsonav.db";
  std::string listen = "127.0.0.1:8080";
  int threads = ServerConfig{}.threads;
  auto* serve = cli.add_subcommand("serve", "Serve the web application and the API");
  cli::AddDbOption(serve, db);
  std::string web_root;
  serve->add_option("--web", web_root,
                    "the built web application to serve beside the API (web/dist)");
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  bool no_public_read = false;
  serve->add_flag("--no-public-read", no_public_read,
                  "visitors who are not signed in read nothing (the API answers 401)");
  std::string public_url;
  serve->add_option("--public-url", public_url,
                    "the URL people reach the server by, behind a proxy (https makes the session "
                    "cookie Secure)");
  std::vector<std::string> trusted_proxies;
  serve
      ->add_option("--trusted-proxy", trusted_proxies,
                   "a reverse proxy's address (repeat for several): its X-Forwarded-For names the "
                   "client, for sign-in throttling and the audit log")
      ->check([](const std::string& address) -> std::string {
        return IsIpAddress(address) ? "" : "not an IP address: " + address;
      });
  serve->add_option("--threads", threads, "worker threads")
      ->check(CLI::Range(4, 512))
      ->capture_default_str();
  int max_fetches = ServerConfig{}.max_fetches;
  serve
      ->add_option("--max-fetches", max_fetches,
                   "fetch jobs (POST /api/v1/fetches) running at once; more are refused (503)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();

  bool demo = false;
  auto* init = cli.add_subcommand("init", "Create a new database");
  cli::AddDbOption(init, db,
                   "the database to create: an SQLite file (must not exist) or an empty "
                   "PostgreSQL database (postgresql://…); also HALSONAV_DB");
  auto* demo_flag = init->add_flag("--demo", demo,
                                   "also load the demo content: the three plans, demo statistics "
                                   "and the synthetic survey set");
  bool bare = false;
  init->add_flag("--bare", bare,
                 "only the national framework and classifications: no area registry, groups, "
                 "KPI catalogue or outlines (load your own with `import`)")
      ->excludes(demo_flag);

  auto* migrate = cli.add_subcommand("migrate", "Bring a database's schema up to date");
  cli::AddDbOption(migrate, db);
  auto* backup = cli.add_subcommand(
      "backup", "Copy a database while it is in use (SQLite's online backup), checked");
  cli::AddDbOption(backup, db);
  std::string backup_output;
  backup->add_option("-o,--output", backup_output, "the copy to write (must not exist)")
      ->required();

  std::string file;
  std::string output;
  Id framework_id = 0;
  PlanImportOptions import_options;
  auto* import = cli.add_subcommand("import", "Import a file into the database");
  import->require_subcommand(1);
  auto* import_plan = import->add_subcommand("plan", "Import a plan file (docs/plan-format.md)");
  import_plan->add_option("FILE", file, "the plan file (JSON)")->required();
  cli::AddDbOption(import_plan, db);
  import_plan->add_flag("--dry-run", import_options.dry_run,
                        "check the file and report what would be created; store nothing");
  import_plan->add_flag("--create-actors", import_options.create_actors,
                        "create actors and units the registry lacks (else they are errors)");

  auto* export_command = cli.add_subcommand("export", "Export from the database");
  export_command->require_subcommand(1);
  auto* export_plan =
      export_command->add_subcommand("plan", "Export a framework as a plan file (canonical JSON)");
  export_plan->add_option("ID", framework_id, "the framework's id")->required();
  cli::AddDbOption(export_plan, db);
  export_plan->add_option("-o,--output", output, "file to write (default: standard output)");
  auto* export_xlsx = export_command->add_subcommand(
      "xlsx", "Export a framework as an Excel workbook (measures, partners, classifications)");
  export_xlsx->add_option("ID", framework_id, "the framework's id")->required();
  cli::AddDbOption(export_xlsx, db);
  export_xlsx->add_option("-o,--output", output, "the .xlsx file to write")->required();

  auto* import_measures = import->add_subcommand(
      "measures", "Add measures to a framework from a CSV file (docs/measure-csv.md)");
  import_measures->add_option("FILE", file, "the CSV file (UTF-8, ';' or ',')")->required();
  import_measures->add_option("--framework", framework_id, "the framework's id")->required();
  cli::AddDbOption(import_measures, db);
  import_measures->add_flag("--dry-run", import_options.dry_run,
                            "check the file and report what would be added; store nothing");

  cli::StatsImportCommand stats;
  auto* import_stats = import->add_subcommand(
      "stats", "Import statistics: Kolada API responses, JSON-stat (PX-Web), PX files or tidy CSV");
  import_stats->add_option("FILE", stats.files, "the files (one import: all or nothing)")
      ->required();
  cli::AddDbOption(import_stats, db);
  import_stats->add_option("--format", stats.format, "kolada, jsonstat, px, csv or auto")
      ->required();
  import_stats->add_option("--mapping", stats.mapping,
                           "JSON-stat and PX mapping file (docs/jsonstat.md)");
  import_stats->add_option("--language", stats.options.language,
                           "PX: the language of the texts to read (en, sv…)");
  import_stats->add_flag("--create-areas", stats.options.create_areas,
                         "create areas for codes the registry lacks (else they are errors)");
  import_stats
      ->add_option("--area", stats.options.area,
                   "the area of data without a geo dimension or area column")
      ->capture_default_str();
  import_stats->add_option("--period", stats.options.period,
                           "the period of JSON-stat or PX data without a time dimension");
  import_stats->add_option("--indicator", stats.options.indicator,
                           "the indicator of a CSV file without an indicator column");
  import_stats->add_flag("--dry-run", stats.options.dry_run,
                         "check and count everything; store nothing");
  bool no_progress = false;
  import_stats->add_flag("--no-progress", no_progress, "no progress bar");
  cli::GeometryImportCommand geo_command;
  auto* import_geo = import->add_subcommand(
      "geo", "Import area boundaries for the map: GeoJSON FeatureCollections of (Multi)Polygons");
  import_geo->add_option("FILE", geo_command.files, "the files (one import: all or nothing)")
      ->required();
  cli::AddDbOption(import_geo, db);
  import_geo
      ->add_option("--code-property", geo_command.options.code_property,
                   "the feature property that holds the area code (\"0138\", or a county "
                   "number such as 21)")
      ->capture_default_str();
  import_geo->add_flag("--dry-run", geo_command.options.dry_run,
                       "check the files and count; store nothing");
  std::vector<CLI::App*> registry_commands;
  for (const auto& [name, help] :
       {std::pair{"areas", "Import the area registry (Kolada's area list, CSV or JSON)"},
        std::pair{"area-groups", "Import Kolada's municipality groups (CSV)"},
        std::pair{"kpis", "Import Kolada's KPI catalogue as indicator definitions (CSV)"}}) {
    auto* command = import->add_subcommand(name, help);
    command->add_option("FILE", file, "the file")->required();
    cli::AddDbOption(command, db);
    registry_commands.push_back(command);
  }
  cli::KoladaFetchCommand kolada_fetch;
  cli::PxWebFetchCommand pxweb_fetch;
  auto* fetch = cli.add_subcommand(
      "fetch", "Fetch statistics from Kolada's or PxWeb's API and import them (all or nothing)");
  fetch->require_subcommand(1);
  auto* fetch_kolada = fetch->add_subcommand("kolada", "Fetch KPIs from Kolada's API (v3)");
  fetch_kolada->add_option("--kpi", kolada_fetch.kpis, "KPI ids, e.g. N00945,N03702")->required();
  auto* kolada_areas = fetch_kolada->add_option(
      "--municipality", kolada_fetch.municipalities,
      "Kolada area ids, e.g. 0180,1480 (default: every area of the registry)");
  auto* kolada_all =
      fetch_kolada->add_flag("--all-municipalities", kolada_fetch.options.all_municipalities,
                             "the registry's municipalities");
  fetch_kolada->add_flag("--regions", kolada_fetch.options.regions, "the registry's regions");
  kolada_areas->excludes(kolada_all);
  fetch_kolada->add_option("--years", kolada_fetch.options.years,
                           "a year or a range, e.g. 2010-2024 (default: every year)");
  cli::AddDbOption(fetch_kolada, kolada_fetch.db);
  fetch_kolada->add_option("--base-url", kolada_fetch.options.base_url, "Kolada's API")
      ->capture_default_str();
  fetch_kolada->add_flag("--dry-run", kolada_fetch.options.dry_run,
                         "fetch and check everything; store nothing");
  auto* fetch_pxweb = fetch->add_subcommand(
      "pxweb", "Fetch a table from PxWeb's API (v1 or v2: SCB, Folkhälsodata) as JSON-stat");
  fetch_pxweb
      ->add_option("TABLE-URL", pxweb_fetch.options.table_url,
                   "the table's address (v1: …/v1/…/TABLE; v2: …/api/v2/tables/ID)")
      ->required();
  fetch_pxweb->add_option("--select", pxweb_fetch.options.selects,
                          "VARIABLE=CODE,CODE… (repeatable; * for every value; unselected: the "
                          "total when the table allows, else every value)");
  fetch_pxweb->add_option("--query", pxweb_fetch.query_file,
                          "a PxWeb query file (v1 or v2 body); --select overrides its variables");
  fetch_pxweb->add_option("--mapping", pxweb_fetch.mapping_file,
                          "JSON-stat mapping file (docs/jsonstat.md)");
  fetch_pxweb
      ->add_option("--area", pxweb_fetch.options.area,
                   "the area of answers without a geo dimension")
      ->capture_default_str();
  fetch_pxweb->add_flag("--create-areas", pxweb_fetch.options.create_areas,
                        "create areas for codes the registry lacks (else they are errors)");
  cli::AddDbOption(fetch_pxweb, pxweb_fetch.db);
  fetch_pxweb->add_flag("--dry-run", pxweb_fetch.options.dry_run,
                        "fetch and check everything; store nothing");
  for (auto* command : {fetch_kolada, fetch_pxweb}) {
    auto& network =
        command == fetch_kolada ? kolada_fetch.options.network : pxweb_fetch.options.network;
    command
        ->add_option("--timeout", network.read_timeout_s,
                     "seconds an answer may stall before the fetch fails")
        ->check(CLI::Range(0.1, 3600.0))
        ->capture_default_str();
    command->add_option("--retries", network.retries, "tries again after 429 and 5xx answers")
        ->check(CLI::Range(0, 20))
        ->capture_default_str();
    command->add_flag("--no-progress", no_progress, "no progress bar");
  }
  cli::SynthCommand synth_command;
  auto* synth = cli.add_subcommand(
      "synth", "Write the synthetic national statistics set (for benchmarks and load tests)");
  synth->add_option("--db", synth_command.db, "database whose area registry gives the codes")
      ->required();
  synth->add_option("-o,--out", synth_command.out, "directory to write")->required();
  synth->add_option("--municipalities", synth_command.municipalities)
      ->check(CLI::Range(1, 290))
      ->capture_default_str();
  synth->add_option("--indicators", synth_command.indicators)
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  synth->add_option("--years", synth_command.years)
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  synth->add_option("--seed", synth_command.seed)->capture_default_str();
  std::optional<double> min_count;
  auto* disclosure = cli.add_subcommand(
      "disclosure", "Show or set the disclosure rule (figures below the count are suppressed)");
  cli::AddDbOption(disclosure, db);
  disclosure
      ->add_option("--min-count", min_count,
                   "suppress figures whose numerator or respondents are fewer")
      ->check(CLI::Range(0.0, 1000.0));
  analysis::Options stats_options;
  std::string stats_input;
  bool stats_list = false;
  auto* stats_command = cli.add_subcommand(
      "stats",
      "Compute an interval, inequality measure, trend or comparison from a CSV file, as JSON "
      "(`halsonav stats list` lists the measures and their columns)");
  stats_command
      ->add_option("MEASURE", stats_options.measure, "the measure, e.g. wilson, dsr, sii, bgv")
      ->required();
  stats_command->add_option("--input", stats_input,
                            "the CSV file: one row per subgroup, band or year");
  stats_command
      ->add_option("--conf", stats_options.confidence,
                   "confidence level: 0.95 or 95 (recent_trend: default 99.8)")
      ->capture_default_str()
      ->each([&](const std::string&) { stats_options.confidence_given = true; });
  stats_command
      ->add_option("--by", stats_options.by,
                   "a column that groups rows into sets (repeatable; default: area, indicator, "
                   "dimension, setting, period, year, sex, set, … when present)")
      ->each([&](const std::string&) { stats_options.by_given = true; });
  stats_command->add_option("--multiplier", stats_options.multiplier,
                            "per how many (proportion 1, rate 100000, …); PHE's SII multiplier");
  stats_command->add_option("--draws", stats_options.draws, "Monte Carlo draws (sii_phe, rii_phe)")
      ->check(CLI::Range(0, 10000000));
  stats_command->add_option("--seed", stats_options.seed, "seed of the simulations")
      ->capture_default_str();
  stats_command->add_option("--quantiles", stats_options.quantiles, "quantiles: number of groups")
      ->capture_default_str();
  stats_command->add_flag("--invert", stats_options.invert, "quantiles: highest value in group 1");
  stats_command->add_option("--direction", stats_options.direction, "higher, lower or none")
      ->check(CLI::IsMember({"higher", "lower", "none"}));
  stats_command->add_option("--target", stats_options.target, "progress: the target value");
  stats_command->add_option("--target-year", stats_options.target_year,
                            "progress: the target year");
  stats_command->add_option("--base-year", stats_options.base_year,
                            "progress and change: the baseline year");
  stats_command->add_option("--limit", stats_options.limit, "progress: a natural limit, e.g. 100");
  cli::AccountCommands account_commands(cli);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return cli.exit(error);  // --help, --version
    std::cerr << "halsonav: " << error.what() << "\n\n" << cli.help();
    return kExitUsage;
  }
  if (serve->parsed()) {
    ServerConfig config;
    config.web_root = web_root;
    if (!web_root.empty() &&
        !std::filesystem::is_regular_file(std::filesystem::path(web_root) / "index.html")) {
      std::cerr << "halsonav: --web \"" << web_root
                << "\" holds no index.html: build the web application first (npm ci && npm run "
                   "build in web/)\n";
      return kExitFailure;
    }
    config.threads = threads;
    config.max_fetches = max_fetches;
    config.public_url = public_url;
    config.public_read = !no_public_read;
    config.trusted_proxies = trusted_proxies;
    if (!ParseListen(listen, config)) {
      std::cerr << "halsonav: --listen \"" << listen << "\" is not HOST:PORT\n";
      return kExitUsage;
    }
    return Serve(db, config);
  }
  if (init->parsed()) return Init(db, demo, bare);
  if (auto code = account_commands.RunParsed(OsUser())) return *code;
  if (migrate->parsed()) return Migrate(db);
  if (backup->parsed()) return Backup(db, backup_output);
  if (import_plan->parsed()) return ImportPlan(db, file, import_options);
  if (import_measures->parsed()) {
    return ImportMeasures(db, file, framework_id, import_options.dry_run);
  }
  if (import_stats->parsed()) {
    stats.db = db;
    stats.progress = !no_progress;
    return cli::ImportStats(stats, OsUser());
  }
  if (import_geo->parsed()) {
    geo_command.db = db;
    return cli::ImportGeometries(geo_command, OsUser());
  }
  for (auto* command : registry_commands) {
    if (command->parsed()) return cli::ImportRegistry(db, command->get_name(), file, OsUser());
  }
  if (fetch_kolada->parsed()) {
    kolada_fetch.progress = !no_progress;
    return cli::FetchKolada(kolada_fetch, OsUser());
  }
  if (fetch_pxweb->parsed()) {
    pxweb_fetch.progress = !no_progress;
    return cli::FetchPxWeb(pxweb_fetch, OsUser());
  }
  if (synth->parsed()) return cli::Synth(synth_command);
  if (disclosure->parsed()) return cli::Disclosure(db, min_count, OsUser());
  if (stats_command->parsed()) {
    stats_list = stats_options.measure == "list";
    if (!stats_list && stats_input.empty()) {
      std::cerr << "halsonav: stats needs --input FILE.csv\n\n" << stats_command->help();
      return kExitUsage;
    }
    return cli::Stats(stats_options, stats_input, stats_list);
  }
  if (export_plan->parsed()) return ExportPlan(db, framework_id, output, false);
  if (export_xlsx->parsed()) return ExportPlan(db, framework_id, output, true);
  std::cerr << "halsonav: a command is required: serve, init, migrate, backup, import, fetch, "
               "export, "
               "synth, disclosure, stats, user or token\n\n"
            << cli.help();
  return kExitUsage;
}

}  // namespace
}  // namespace halsonav

int main(int argc, char** argv) {
  try {
    return halsonav::Run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "halsonav: unexpected error: " << error.what() << "\n";
    return 1;
  }
}
