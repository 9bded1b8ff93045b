-- Run once as the postgres superuser: `sudo -u postgres psql -f postgresql-setup.sql`.
-- The role the servers connect as, and its database. C.UTF-8 gives the byte order that SQLite
-- uses (lists sort alike on both back ends) and Unicode letters for full-text search.
CREATE ROLE halsonav LOGIN;
CREATE DATABASE halsonav OWNER halsonav ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'
  TEMPLATE template0;
