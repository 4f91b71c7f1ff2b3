"""Faults and abuse: concurrent writes under live gunicorn workers, an import killed midway,
and generated queries through the search view and API.

Each part is bounded (about 20-40 s); the long load test is `make load` (tests/load/run.py).
The gunicorn and subprocess tests run the production settings (DEBUG=0, HTTPS=0) on a free
loopback port against a temporary ARCHIVE_DATA_DIR and SQLite file; they do not touch the
test database, so they run in the SQLite pass only.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.load.run import free_port, server_env, start_gunicorn, stop_gunicorn

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "fixtures" / "seeds"
PY = sys.executable


def manage(env, *args, check=True, timeout=120):
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


def db_consistency(db_file: Path) -> dict:
    db = sqlite3.connect(db_file)
    try:
        q = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "reports": q("SELECT COUNT(*) FROM reports_report"),
            "without_sections": q(
                "SELECT COUNT(*) FROM reports_report r WHERE NOT EXISTS "
                "(SELECT 1 FROM reports_section s WHERE s.report_id = r.id)"
            ),
            "orphan_sections": q(
                "SELECT COUNT(*) FROM reports_section s WHERE NOT EXISTS "
                "(SELECT 1 FROM reports_report r WHERE r.id = s.report_id)"
            ),
            "fk_violations": len(db.execute("PRAGMA foreign_key_check").fetchall()),
        }
    finally:
        db.close()


# ---------------------------------------------------------------------------
# Admin writes while gunicorn workers search
# ---------------------------------------------------------------------------


def test_admin_writes_while_gunicorn_workers_search(tmp_path):
    port = free_port()
    env = server_env(tmp_path, port, workers=3)
    manage(env, "migrate", "--noinput")
    manage(env, "import_reports", str(SEEDS), "--no-progress")
    manage(env, "check_index", "--fix")
    manage(env, "collectstatic", "--noinput")
    ids = [r[0] for r in sqlite3.connect(tmp_path / "bench.sqlite3").execute("SELECT id FROM reports_report")]
    server = start_gunicorn(env, port)
    statuses: dict[int | str, int] = {}
    server_errors: list[str] = []
    stop = threading.Event()
    paths = [
        "/search/?q=行政复议",
        "/search/?q=法治政府&year_from=2015",
        "/api/search/?q=依法行政",
        "/search/?q=复议+-疫情",
        "/reports/",
        *[f"/reports/{i}/" for i in ids],
    ]

    def reader(k):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = k
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                conn.request("GET", urllib.parse.quote(path, safe="/?=&+"))
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            statuses[status] = statuses.get(status, 0) + 1
            if not isinstance(status, int) or status >= 500:
                server_errors.append(f"{status} {path}")

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    try:
        writer = subprocess.run(
            [PY, "-m", "tests.load.admin_writes", "15", str(SEEDS), "10"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=420,
        )
    finally:
        stop.set()
        for t in threads:
            t.join()
        stop_gunicorn(server)
        log = server.log_path.read_text(errors="replace")
    summary = json.loads(writer.stdout.strip().splitlines()[-1])
    assert writer.returncode == 0 and summary["errors"] == [], summary["errors"] or writer.stderr[-3000:]
    assert summary["counts"]["import"] >= 3 and sum(summary["counts"].values()) >= 10, summary
    assert server_errors == [], (server_errors[:10], log[-3000:])
    assert statuses.get(200, 0) >= 50, statuses
    for bad in ("Traceback", "database is locked", "IndexLocked", "LockError"):
        assert bad not in log, log[-3000:]
    # Every write reached the index (after-commit drains; nothing left queued) ...
    assert (
        manage(env, "shell", "-c", "from search.models import IndexTask; print(IndexTask.objects.count())")
        .stdout.strip()
        .splitlines()[-1]
        == "0"
    )
    check = manage(env, "check_index", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert db_consistency(tmp_path / "bench.sqlite3")["without_sections"] == 0


# ---------------------------------------------------------------------------
# An import killed with SIGKILL midway
# ---------------------------------------------------------------------------


def test_silent_clients_neither_hold_a_worker_nor_its_shutdown(tmp_path):
    """A client that connects and sends nothing is dropped after GUNICORN_CLIENT_TIMEOUT: the one
    worker serves the next client, and on SIGTERM it exits by itself, not by SIGKILL once
    graceful_timeout ran out (the stock sync worker sat in recv for the whole grace)."""
    import socket

    port = free_port()
    env = server_env(tmp_path, port, workers=1)
    env.update(GUNICORN_CLIENT_TIMEOUT="1", GUNICORN_GRACEFUL_TIMEOUT="6", LOG_LEVEL="INFO")
    manage(env, "migrate", "--noinput")
    server = start_gunicorn(env, port)
    idle = []
    try:
        idle.append(socket.create_connection(("127.0.0.1", port)))
        time.sleep(0.3)  # the worker accepts it and waits for a request line
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200  # served once the silent client was dropped
        idle.append(socket.create_connection(("127.0.0.1", port)))
        time.sleep(0.3)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        for s in idle:
            s.close()
        stop_gunicorn(server)
    log = server.log_path.read_text(errors="replace")
    assert "SIGKILL" not in log and "WORKER TIMEOUT" not in log, log[-2000:]
    assert "Worker exiting" in log


def test_shutdown_fits_in_a_container_stop_and_drains_are_scheduled():
    """graceful_timeout below docker's 10 s stop; the queue drain and the staging purge run
    on a schedule (compose services, systemd units), not only when someone writes."""
    import runpy

    import yaml

    conf = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert conf["graceful_timeout"] < 10
    assert conf["worker_class"] == "config.gunicorn_worker.ReadDeadlineSyncWorker"
    services = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]
    commands = {name: " ".join(svc.get("command", [])) for name, svc in services.items()}
    assert any("process_index_queue --loop" in c for c in commands.values()), commands
    assert any("purge_staging" in c for c in commands.values()), commands
    units = REPO / "deploy" / "systemd"
    assert "process_index_queue --loop" in (units / "fazhi-index-queue.service").read_text()
    assert "purge_staging" in (units / "fazhi-purge-staging.service").read_text()
    assert "OnUnitActiveSec" in (units / "fazhi-purge-staging.timer").read_text()


def test_purge_staging_removes_abandoned_batches_only(tmp_path, settings):
    import io

    from django.core.management import call_command

    from reports import staging

    settings.ARCHIVE_DATA_DIR = str(tmp_path)
    old = staging.stage_files([("a.txt", b"x" * 1000)], user_id=1)
    fresh = staging.stage_files([("b.txt", b"y" * 10)], user_id=1)
    hours_ago = time.time() - 7 * 3600
    for path in [staging.staging_root() / old, *(staging.staging_root() / old).iterdir()]:
        os.utime(path, (hours_ago, hours_ago))
    out = io.StringIO()
    call_command("purge_staging", "--max-age-hours", "6", stdout=out)
    assert "已删除暂存批次 1 个" in out.getvalue()
    assert not (staging.staging_root() / old).exists()
    assert [f.filename for f in staging.load_batch(fresh, user_id=1)] == ["b.txt"]
    call_command("purge_staging", stdout=out)  # default age: the fresh batch stays
    assert (staging.staging_root() / fresh).exists()


def test_import_killed_midway_leaves_database_consistent_and_index_repairable(tmp_path):
    env = server_env(tmp_path)
    manage(env, "migrate", "--noinput")
    batch = tmp_path / "batch"
    batch.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(30):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (batch / f"{i:03d}.txt").write_text(text + f"\n\n附：批量导入副本{i}。\n", encoding="utf-8")
    db_file = tmp_path / "bench.sqlite3"
    proc = subprocess.Popen(
        [PY, "manage.py", "import_reports", str(batch), "--no-progress"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db_consistency(db_file)["reports"] >= 3:
                break
            time.sleep(0.05)
        time.sleep(0.13)  # land somewhere inside a later import
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    state = db_consistency(db_file)
    assert 3 <= state["reports"] < 30, state
    assert state["without_sections"] == 0 and state["orphan_sections"] == 0 and state["fk_violations"] == 0, (
        state
    )

    fixed = manage(env, "check_index", "--fix", check=False)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    check = manage(env, "check_index", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


# ---------------------------------------------------------------------------
# Generated queries through the search view and the API
# ---------------------------------------------------------------------------

# 4,000 + 6,000 = 10,000 generated requests on SQLite.  The PostgreSQL pass (DATABASE_URL set,
# run alongside) repeats a tenth: escaping does not depend on the database.
FUZZ_SCALE = float(os.environ.get("FUZZ_SCALE") or (0.1 if os.environ.get("DATABASE_URL") else 1.0))
VIEW_EXAMPLES = max(1, int(4_000 * FUZZ_SCALE))
API_EXAMPLES = max(1, int(6_000 * FUZZ_SCALE))

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><script>alert(2)</script>',
    "</mark><script>alert(3)</script>",
    "javascript:alert(4)",
    "{{ 7*7 }}",
    "%s%n",
    "' OR 1=1 --",
]
WORDS = [
    "行政复议",
    "法治政府",
    "廣州",
    "依法行政",
    "AND",
    "OR",
    "NOT",
    "-",
    '"',
    "“",
    "(",
    ")",
    "*",
    "?",
    "政",
    "复议",
    "\u3000",
    "\x00",
    "🙂",
    "\ud7ff",
    "０",
    "year:2020",
]

query_text = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=8
    ).map(" ".join),
)
param = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-10, 10**6).map(str),
    st.sampled_from(["2020", "2021", "1800", "江苏省", "fazhi", "gwr", "-year", "year", "1e9"]),
)
query_params = st.fixed_dictionaries(
    {"q": query_text},
    optional={name: param for name in ("region", "year", "year_from", "year_to", "kind", "sort", "page")},
)


@pytest.fixture(scope="module")
def fuzz_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small index and database, built once for the module and removed afterwards."""
    from haystack import connections

    from search.backends import reset_searchers

    info = connections.connections_info["default"]
    saved = dict(info)
    info["PATH"] = str(tmp_path_factory.mktemp("fuzz-index"))
    connections.reload("default")
    reset_searchers()
    with django_db_blocker.unblock():
        from django.core.management import call_command
        from django.db import transaction

        from reports.models import Report
        from search.indexing import drain

        # Module data inside one transaction, rolled back at the end (tests nest savepoints).
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("import_reports", str(SEEDS), "--no-progress", verbosity=0)
            drain()
            yield Report.objects.count()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            info.clear()
            info.update(saved)
            connections.reload("default")
            reset_searchers()


def _check(response, params):
    assert response.status_code < 500, params
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        json.loads(body)  # JSON is data: the query comes back as a JSON string, never as HTML
        return
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    for raw in ("<script>alert", "<img src=x", "</mark><script"):
        assert raw not in body, (raw, params)


FUZZ_SETTINGS = dict(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db
def test_fuzz_search_view(fuzz_index, client):
    assert fuzz_index >= 5

    @settings(max_examples=VIEW_EXAMPLES, **FUZZ_SETTINGS)
    @given(query_params)
    def run(params):
        _check(client.get("/search/", {k: v for k, v in params.items() if v is not None}), params)

    run()


@pytest.mark.django_db
def test_fuzz_search_api(fuzz_index, client):
    @settings(max_examples=API_EXAMPLES, **FUZZ_SETTINGS)
    @given(query_params, st.integers(0, 7))
    def run(params, browsable):
        data = {k: v for k, v in params.items() if v is not None}
        if browsable == 0:  # one in eight through the browsable (HTML) API
            data["format"] = "api"
        _check(client.get("/api/search/", data), params)

    run()
