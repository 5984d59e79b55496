-- One schema per service (and the gateway), each owned by that service's own login role (ARCHITECTURE.md,
-- decision 3: no cross-schema queries). Idempotent: running it again changes only the passwords.
--
-- docker-compose.yml runs it through init.sh when the database volume is first created. By hand, as a superuser
-- (or the database owner with CREATEROLE), against the database the services use:
--
--   psql -v ON_ERROR_STOP=1 -d jiuzhu -v db_name=jiuzhu \
--        -v intake_password=... -v casework_password=... -v matching_password=... \
--        -v complaints_password=... -v disbursement_password=... -v gateway_password=... \
--        -f deploy/postgres/init.sql
--
-- Each service then connects as its role: INTAKE_DATABASE_URL=postgresql://intake:<password>@<host>:5432/jiuzhu
-- and so on (the password percent-encoded if it holds URL characters).

\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN', role_name)
FROM unnest(ARRAY['intake', 'casework', 'matching', 'complaints', 'disbursement', 'gateway']) AS role_name
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name)
\gexec

ALTER ROLE intake WITH LOGIN PASSWORD :'intake_password';
ALTER ROLE casework WITH LOGIN PASSWORD :'casework_password';
ALTER ROLE matching WITH LOGIN PASSWORD :'matching_password';
ALTER ROLE complaints WITH LOGIN PASSWORD :'complaints_password';
ALTER ROLE disbursement WITH LOGIN PASSWORD :'disbursement_password';
ALTER ROLE gateway WITH LOGIN PASSWORD :'gateway_password';

-- Only these roles (and superusers) may connect. CREATE on the database is needed because every migrate step runs
-- `CREATE SCHEMA IF NOT EXISTS <own schema>` (libs/kernel/migrations.py), and PostgreSQL checks that privilege before
-- it looks whether the schema exists. It lets a role create new schemas, never enter another role's.
REVOKE ALL ON DATABASE :"db_name" FROM PUBLIC;
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"db_name" TO intake, casework, matching, complaints, disbursement, gateway;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS intake AUTHORIZATION intake;
CREATE SCHEMA IF NOT EXISTS casework AUTHORIZATION casework;
CREATE SCHEMA IF NOT EXISTS matching AUTHORIZATION matching;
CREATE SCHEMA IF NOT EXISTS complaints AUTHORIZATION complaints;
CREATE SCHEMA IF NOT EXISTS disbursement AUTHORIZATION disbursement;
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION gateway;

-- A schema that existed before this script (created by a superuser) is handed to its service too.
ALTER SCHEMA intake OWNER TO intake;
ALTER SCHEMA casework OWNER TO casework;
ALTER SCHEMA matching OWNER TO matching;
ALTER SCHEMA complaints OWNER TO complaints;
ALTER SCHEMA disbursement OWNER TO disbursement;
ALTER SCHEMA gateway OWNER TO gateway;

-- Every connection of a service sets search_path to its own schema (libs/kernel/db.py); this default is for people
-- who connect as the role with psql.
ALTER ROLE intake SET search_path = intake;
ALTER ROLE casework SET search_path = casework;
ALTER ROLE matching SET search_path = matching;
ALTER ROLE complaints SET search_path = complaints;
ALTER ROLE disbursement SET search_path = disbursement;
ALTER ROLE gateway SET search_path = gateway;
