"""The PostgreSQL pass really runs on PostgreSQL, and the harness cleans up after itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

from tests.pg import server

PG_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.django_db
@pytest.mark.skipif(
    not PG_URL.startswith(("postgres://", "postgresql://")),
    reason="DATABASE_URL does not point at PostgreSQL (the PostgreSQL pass of `make test` sets it)",
)
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
        cursor.execute("SELECT %s::text", ["法治政府"])
        assert cursor.fetchone()[0] == "法治政府"


def test_temporary_postgres_starts_and_cleans_up():
    try:
        server.find_bindir()
    except server.PostgresUnavailable as exc:
        pytest.skip(str(exc))
    import psycopg

    with server.temporary_postgres(dbname="harness_check") as url:
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone()[0] == "harness_check"
            data_dir = Path(conn.execute("SHOW data_directory").fetchone()[0])
        assert data_dir.is_dir()
    assert not data_dir.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
