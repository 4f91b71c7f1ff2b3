#!/bin/sh
# Container start: migrate the database, bring the search index in step with it, then exec the
# command (gunicorn by default) so it runs as PID 1 and receives the container's signals.
# RUN_MIGRATIONS=0 skips the start-up steps (e.g. for extra replicas or one-off commands).
set -eu

mkdir -p "${ARCHIVE_DATA_DIR:-/data}"

if [ "${RUN_MIGRATIONS:-1}" = "1" ]; then
    python manage.py migrate --noinput
    if python manage.py help check_index >/dev/null 2>&1; then
        python manage.py check_index --fix \
            || echo "entrypoint: WARNING: check_index --fix failed; /healthz will say so" >&2
    fi
fi

exec "$@"
