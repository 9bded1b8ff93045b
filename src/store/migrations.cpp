#include "store/migrations.hpp"

namespace halsonav {
namespace {

// Version 1: actors, units, frameworks, nodes, measures, adoptions, classifications, history.
// Every entity table carries the same five meta columns; deletes are soft (deleted = 1).
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE actor (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  short_name TEXT,
  area_code TEXT,
  description TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE unit (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES actor(id),
  parent_id INTEGER REFERENCES unit(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX unit_actor ON unit(actor_id);
CREATE INDEX unit_parent ON unit(parent_id);
CREATE TABLE framework (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  short_title TEXT,
  description TEXT NOT NULL DEFAULT '',
  owner_actor_id INTEGER REFERENCES actor(id),
  valid_from INTEGER,
  valid_to INTEGER,
  status TEXT NOT NULL,
  read_only INTEGER NOT NULL DEFAULT 0,
  node_kinds TEXT NOT NULL
) STRICT;
CREATE TABLE node (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  framework_id INTEGER NOT NULL REFERENCES framework(id),
  parent_id INTEGER REFERENCES node(id),
  kind TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  ord INTEGER NOT NULL DEFAULT 0,
  coordinating_actor_id INTEGER REFERENCES actor(id),
  contact_unit_id INTEGER REFERENCES unit(id),
  cross_cutting INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX node_framework ON node(framework_id);
CREATE INDEX node_parent ON node(parent_id);
CREATE INDEX node_coordinating_actor ON node(coordinating_actor_id);
CREATE TABLE node_link (
  node_id INTEGER NOT NULL REFERENCES node(id),
  linked_node_id INTEGER NOT NULL REFERENCES node(id),
  ord INTEGER NOT NULL,
  PRIMARY KEY (node_id, linked_node_id)
) STRICT;
CREATE INDEX node_link_linked ON node_link(linked_node_id);
CREATE TABLE classification (
  id TEXT PRIMARY KEY,
  scheme TEXT NOT NULL,
  code TEXT NOT NULL,
  label_sv TEXT NOT NULL,
  label_en TEXT NOT NULL,
  ord INTEGER NOT NULL
) STRICT;
CREATE TABLE node_classification (
  node_id INTEGER NOT NULL REFERENCES node(id),
  classification_id TEXT NOT NULL REFERENCES classification(id),
  ord INTEGER NOT NULL,
  PRIMARY KEY (node_id, classification_id)
) STRICT;
CREATE TABLE measure (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  framework_id INTEGER NOT NULL REFERENCES framework(id),
  node_id INTEGER NOT NULL REFERENCES node(id),
  code TEXT NOT NULL DEFAULT '',
  target_group TEXT NOT NULL DEFAULT '',
  expected_result TEXT NOT NULL DEFAULT '',
  expected_result_year INTEGER,
  text TEXT NOT NULL,
  status TEXT NOT NULL,
  ord INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX measure_framework ON measure(framework_id, ord, id);
CREATE INDEX measure_node ON measure(node_id);
CREATE TABLE measure_actor (
  measure_id INTEGER NOT NULL REFERENCES measure(id),
  actor_id INTEGER NOT NULL REFERENCES actor(id),
  part TEXT NOT NULL,
  ord INTEGER NOT NULL,
  PRIMARY KEY (measure_id, actor_id)
) STRICT;
CREATE INDEX measure_actor_actor ON measure_actor(actor_id);
CREATE TABLE measure_actor_unit (
  measure_id INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  ord INTEGER NOT NULL,
  PRIMARY KEY (measure_id, actor_id, unit_id),
  FOREIGN KEY (measure_id, actor_id) REFERENCES measure_actor(measure_id, actor_id)
    ON DELETE CASCADE
) STRICT;
CREATE INDEX measure_actor_unit_unit ON measure_actor_unit(unit_id);
CREATE TABLE measure_tag (
  measure_id INTEGER NOT NULL REFERENCES measure(id),
  tag TEXT NOT NULL,
  ord INTEGER NOT NULL,
  PRIMARY KEY (measure_id, tag)
) STRICT;
CREATE INDEX measure_tag_tag ON measure_tag(tag);
CREATE TABLE measure_classification (
  measure_id INTEGER NOT NULL REFERENCES measure(id),
  classification_id TEXT NOT NULL REFERENCES classification(id),
  ord INTEGER NOT NULL,
  PRIMARY KEY (measure_id, classification_id)
) STRICT;
CREATE INDEX measure_classification_class ON measure_classification(classification_id);
CREATE VIRTUAL TABLE measure_fts USING fts5(
  code, target_group, expected_result, text, tags, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE adoption (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  framework_id INTEGER NOT NULL REFERENCES framework(id),
  actor_id INTEGER NOT NULL REFERENCES actor(id),
  body TEXT,
  date TEXT,
  reference TEXT
) STRICT;
CREATE INDEX adoption_framework ON adoption(framework_id);
CREATE INDEX adoption_actor ON adoption(actor_id);
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  user_name TEXT NOT NULL,
  at TEXT NOT NULL,
  version INTEGER NOT NULL,
  before TEXT,
  after TEXT
) STRICT;
CREATE INDEX change_log_entity ON change_log(entity, entity_id, seq)
)sql";

// Version 2: the child tables are read per framework in (measure, ord) order for the tree; these
// indexes let SQLite read them in that order instead of sorting (~15 ms → ~9 ms per 2,000
// measures, docs/BENCHMARKS.md).
constexpr std::string_view kChildOrderIndexes = R"sql(
CREATE INDEX measure_actor_order ON measure_actor(measure_id, ord);
CREATE INDEX measure_actor_unit_order ON measure_actor_unit(measure_id, actor_id, ord);
CREATE INDEX measure_tag_order ON measure_tag(measure_id, ord);
CREATE INDEX measure_classification_order ON measure_classification(measure_id, ord);
CREATE INDEX node_link_order ON node_link(node_id, ord);
CREATE INDEX node_classification_order ON node_classification(node_id, ord)
)sql";

// Version 3 (plan files, issue 4): suggested classification links beside the stated ones, the
// framework's own classifications, a node's further contacts and the actors it is about, and
// the framework's content beyond its tree (commitments, result goals, follow-up, forums) as one
// JSON document with ids (core's ToJson(FrameworkContent)).
constexpr std::string_view kPlanContent = R"sql(
ALTER TABLE node_classification ADD COLUMN suggested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measure_classification ADD COLUMN suggested INTEGER NOT NULL DEFAULT 0;
CREATE TABLE framework_classification (
  framework_id INTEGER NOT NULL REFERENCES framework(id),
  classification_id TEXT NOT NULL REFERENCES classification(id),
  suggested INTEGER NOT NULL DEFAULT 0,
  ord INTEGER NOT NULL,
  PRIMARY KEY (framework_id, classification_id)
) STRICT;
CREATE TABLE node_contact (
  node_id INTEGER NOT NULL REFERENCES node(id),
  ord INTEGER NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES actor(id),
  unit_id INTEGER REFERENCES unit(id),
  PRIMARY KEY (node_id, ord)
) STRICT;
CREATE INDEX node_contact_actor ON node_contact(actor_id);
CREATE INDEX node_contact_unit ON node_contact(unit_id);
CREATE TABLE node_actor (
  node_id INTEGER NOT NULL REFERENCES node(id),
  actor_id INTEGER NOT NULL REFERENCES actor(id),
  ord INTEGER NOT NULL,
  PRIMARY KEY (node_id, actor_id)
) STRICT;
CREATE INDEX node_actor_actor ON node_actor(actor_id);
CREATE INDEX node_actor_order ON node_actor(node_id, ord);
CREATE TABLE framework_content (
  framework_id INTEGER PRIMARY KEY REFERENCES framework(id),
  document TEXT NOT NULL
) STRICT
)sql";

// Version 4 (indicators and statistics, issue 5): the area registry and its groups, indicator
// definitions (with full-text search), breakdowns, imports and observations, and settings.
// Observations are the one table that grows to tens of millions of rows: WITHOUT ROWID with the
// key in read order (indicator, area, breakdown, period), so that a time series and "the latest
// value" are range reads, and no secondary index or foreign key slows the bulk import (the
// importer resolves every id itself; ARCHITECTURE.md).
constexpr std::string_view kStatistics = R"sql(
CREATE TABLE area (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('country', 'region', 'municipality', 'other')),
  county_code TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE area_group (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('kolada', 'user'))
) STRICT;
CREATE TABLE area_group_member (
  group_id INTEGER NOT NULL REFERENCES area_group(id) ON DELETE CASCADE,
  area_id INTEGER NOT NULL REFERENCES area(id),
  ord INTEGER NOT NULL,
  PRIMARY KEY (group_id, area_id)
) STRICT;
CREATE INDEX area_group_member_area ON area_group_member(area_id);
CREATE TABLE indicator (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  value_type TEXT NOT NULL,
  per REAL NOT NULL DEFAULT 0,
  direction TEXT NOT NULL,
  source TEXT NOT NULL,
  source_table TEXT NOT NULL DEFAULT '',
  source_code TEXT NOT NULL DEFAULT '',
  dimensions TEXT NOT NULL DEFAULT '[]',
  operating_area TEXT NOT NULL DEFAULT '',
  observations INTEGER NOT NULL DEFAULT 0,
  first_period INTEGER,
  last_period INTEGER
) STRICT;
CREATE VIRTUAL TABLE indicator_fts USING fts5(
  code, title, description, operating_area, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE breakdown (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO breakdown (id, key) VALUES (0, '');
CREATE TABLE stats_import (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  format TEXT NOT NULL,
  files TEXT NOT NULL,
  report TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE TABLE observation (
  indicator_id INTEGER NOT NULL,
  area_id INTEGER NOT NULL,
  breakdown_id INTEGER NOT NULL,
  period INTEGER NOT NULL,
  value REAL,
  ci_low REAL,
  ci_high REAL,
  numerator REAL,
  denominator REAL,
  respondents REAL,
  status INTEGER NOT NULL DEFAULT 0,
  import_id INTEGER NOT NULL,
  PRIMARY KEY (indicator_id, area_id, breakdown_id, period)
) STRICT, WITHOUT ROWID;
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT
)sql";

// Version 5: one boundary per area for the map (issue 7), imported from GeoJSON. `geometry` is the
// GeoJSON geometry object as compact JSON text, served as it is (never parsed again); the
// bounding box lets a client frame an area without reading its coordinates.
constexpr std::string_view kAreaGeometry = R"sql(
CREATE TABLE area_geometry (
  area_id INTEGER PRIMARY KEY REFERENCES area(id),
  geometry TEXT NOT NULL,
  west REAL NOT NULL,
  south REAL NOT NULL,
  east REAL NOT NULL,
  north REAL NOT NULL,
  import_id INTEGER NOT NULL REFERENCES stats_import(id),
  imported_at TEXT NOT NULL
) STRICT
)sql";

// Fetch jobs (issue 14): started from the web application, run by a worker thread of one server
// process, read by any (docs/api.md, "Fetches").
constexpr std::string_view kFetchJobs = R"sql(
CREATE TABLE fetch_job (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('kolada', 'pxweb')),
  parameters TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'importing', 'done', 'failed')),
  progress TEXT NOT NULL,
  result TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT
)sql";

// Accounts (issue 15; docs/SECURITY.md): users and their roles, server-side sessions, personal
// API tokens, sign-in failures for throttling, and the audit log. Names and e-mail addresses are
// unique whatever their case; secrets are stored only as hashes.
constexpr std::string_view kAccounts = R"sql(
CREATE TABLE app_user (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  actor_id INTEGER REFERENCES actor(id),
  roles TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX app_user_name ON app_user(lower(name));
CREATE UNIQUE INDEX app_user_email ON app_user(lower(email));
CREATE TABLE user_session (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  address TEXT NOT NULL
) STRICT;
CREATE INDEX user_session_user ON user_session(user_id);
CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX api_token_user ON api_token(user_id);
CREATE TABLE sign_in_failure (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  last_at TEXT NOT NULL
) STRICT;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  event TEXT NOT NULL,
  user_name TEXT NOT NULL,
  subject TEXT NOT NULL,
  address TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_event ON audit_log(event, id)
)sql";

// How many decimals an indicator's source shows (issue 14: PX DECIMALS/PRECISION, JSON-stat's
// unit decimals); NULL when the source does not say.
constexpr std::string_view kIndicatorDecimals = R"sql(
ALTER TABLE indicator ADD COLUMN decimals INTEGER CHECK (decimals BETWEEN 0 AND 15)
)sql";

// Version 9: fetch jobs that survive their process (issue 14): the process running a job (owner)
// and its heartbeat, so that a job whose process died is reported failed, never running for
// ever; cancelling ("cancelled", asked for by cancel_requested). SQLite cannot change a CHECK in
// place, so the table is rebuilt.
constexpr std::string_view kFetchJobOwners = R"sql(
CREATE TABLE fetch_job_v9 (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('kolada', 'pxweb')),
  parameters TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('queued', 'running', 'importing', 'done', 'failed', 'cancelled')),
  progress TEXT NOT NULL,
  result TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  heartbeat_at TEXT NOT NULL DEFAULT '',
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1))
) STRICT;
INSERT INTO fetch_job_v9 (id, source, parameters, state, progress, result, created_by,
  created_at, updated_at, heartbeat_at)
  SELECT id, source, parameters, state, progress, result, created_by, created_at, updated_at,
    updated_at FROM fetch_job;
DROP TABLE fetch_job;
ALTER TABLE fetch_job_v9 RENAME TO fetch_job;
CREATE INDEX fetch_job_unfinished ON fetch_job (id)
  WHERE state IN ('queued', 'running', 'importing')
)sql";

}  // namespace

namespace {

std::vector<Migration> WithPostgres(std::vector<Migration> migrations) {
  for (auto& migration : migrations) migration.postgresql = PostgresMigrationSql(migration.version);
  return migrations;
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = WithPostgres({
      {1, "initial schema", kInitialSchema},
      {2, "indexes for reading child tables in order", kChildOrderIndexes},
      {3,
       "plan content: suggested classifications, node contacts and actors, commitments, "
       "result goals, follow-up, forums",
       kPlanContent},
      {4, "indicators and statistics: areas, area groups, indicators, observations, settings",
       kStatistics},
      {5, "area geometries for the map", kAreaGeometry},
      {6, "fetch jobs", kFetchJobs},
      {7, "accounts: users, sessions, API tokens, sign-in failures, audit log", kAccounts},
      {8, "the decimals an indicator's source shows", kIndicatorDecimals},
      {9, "fetch jobs' owners, heartbeats and cancelling", kFetchJobOwners},
  });
  return kMigrations;
}

std::int64_t LatestSchemaVersion() { return Migrations().back().version; }

}  // namespace halsonav
