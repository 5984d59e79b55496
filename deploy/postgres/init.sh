#!/bin/sh
# Creates the per-service roles and schemas (init.sql) with passwords from the environment.
#
# docker-compose.yml mounts this file into /docker-entrypoint-initdb.d/ of the official postgres image, which runs
# it once, when the data volume is first initialised, as POSTGRES_USER against POSTGRES_DB. The passwords come from
# deploy/env/postgres.env: each must equal the password in that service's <SERVICE>_DATABASE_URL.
# (Written to work whether the image executes it or sources it: no `exit`, no shell options changed.)

JIUZHU_INIT_SQL="${JIUZHU_INIT_SQL:-/opt/jiuzhu/postgres/init.sql}"

psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc \
    --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-jiuzhu}" \
    --set db_name="${POSTGRES_DB:-jiuzhu}" \
    --set intake_password="${INTAKE_DB_PASSWORD:?set INTAKE_DB_PASSWORD in deploy/env/postgres.env}" \
    --set casework_password="${CASEWORK_DB_PASSWORD:?set CASEWORK_DB_PASSWORD in deploy/env/postgres.env}" \
    --set matching_password="${MATCHING_DB_PASSWORD:?set MATCHING_DB_PASSWORD in deploy/env/postgres.env}" \
    --set complaints_password="${COMPLAINTS_DB_PASSWORD:?set COMPLAINTS_DB_PASSWORD in deploy/env/postgres.env}" \
    --set disbursement_password="${DISBURSEMENT_DB_PASSWORD:?set DISBURSEMENT_DB_PASSWORD in deploy/env/postgres.env}" \
    --set gateway_password="${GATEWAY_DB_PASSWORD:?set GATEWAY_DB_PASSWORD in deploy/env/postgres.env}" \
    --file "$JIUZHU_INIT_SQL"
