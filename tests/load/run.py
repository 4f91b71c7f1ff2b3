"""Load test: gunicorn with production settings, a benchmark-sized corpus, 32 clients for 60 s.

    make load                       # LOAD_REPORTS=2000 LOAD_CLIENTS=32 LOAD_SECONDS=60
    .venv/bin/python -m tests.load.run --reports 2000 --clients 32 --seconds 60

1. Builds the corpus in a temporary ARCHIVE_DATA_DIR with search/bench.py's code (the real
   corpus texts REPLICATED under synthetic jurisdictions and years), indexes it, collects
   static files.
2. Starts gunicorn (gunicorn.conf.py, config.wsgi) with DEBUG=0, a random SECRET_KEY,
   HTTPS=0, ALLOWED_HOSTS=127.0.0.1 on a free loopback port.
3. Runs N client threads (standard library http.client, keep-alive) over a mix of requests:
   search pages with filters and facets, report pages, comparisons, the JSON API.
4. Prints req/s, p50/p95/p99 latency and the number of errors; exits 1 if any request failed
   (status >= 400, or no answer).

Loopback only.  Not part of `make test` (it takes about two minutes).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(workdir: Path, port: int | None = None, workers: int | None = None) -> dict:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "SEARCH_URL", "ARCHIVE_INDEX_DIR", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "ARCHIVE_DATA_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO),
        }
    )
    if port is not None:
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    if workers is not None:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


def prepare(reports: int) -> None:
    """In a child process (env from server_env): corpus, index and static files."""
    from search import bench

    workdir = Path(os.environ["ARCHIVE_DATA_DIR"])
    bench._setup_django(workdir, "config.settings")
    from django.core.management import call_command
    from django.db import connection

    from reports.sample_corpus import corpus_dir
    from search.backends import get_backend
    from search.search_indexes import ReportIndex

    files = sorted(corpus_dir().glob("**/*.txt"))
    texts = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    t0 = time.perf_counter()
    chars, _ = bench._import(reports, texts)
    backend = get_backend()
    backend.clear()
    index = ReportIndex()
    objs = list(index.index_queryset().order_by("pk"))
    connection.close()  # forked index workers must not share the SQLite handle
    backend.update(index, objs)
    call_command("collectstatic", "--noinput", verbosity=0)
    print(
        f"load: {reports} reports ({chars / 1e6:.1f} M chars) imported and indexed in "
        f"{time.perf_counter() - t0:.0f}s",
        flush=True,
    )


def start_gunicorn(env: dict, port: int, timeout: float = 300.0) -> subprocess.Popen:
    """Start gunicorn; its error log goes to $ARCHIVE_DATA_DIR/gunicorn.log (``proc.log_path``)."""
    log_path = Path(env["ARCHIVE_DATA_DIR"]) / "gunicorn.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    proc.log_path = log_path
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited: " + log_path.read_text(errors="replace")[-2000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(proc)
    raise RuntimeError("gunicorn did not become healthy in time")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def request_mix(report_ids: list[int], provinces: list[str]) -> list[tuple[str, str]]:
    """(kind, path) pairs, weighted roughly as researchers use the site."""
    from search.bench import QUERIES

    rng = random.Random(7)
    q = urllib.parse.quote
    mix = []
    for text, filters in QUERIES:
        params = {"q": text, **{k: str(v) for k, v in filters.items()}}
        if "region" in params and provinces:
            params["region"] = rng.choice(provinces)
        mix += [("search", "/search/?" + urllib.parse.urlencode(params))] * 4
        mix.append(("api-search", f"/api/search/?q={q(text)}"))
    for _ in range(40):
        rid = rng.choice(report_ids)
        mix.append(("report", f"/reports/{rid}/"))
    for _ in range(15):
        a, b = rng.sample(report_ids, 2)
        mix.append(("compare", f"/compare/?reports={a},{b}"))
    for _ in range(10):
        mix.append(("api-report", f"/api/reports/{rng.choice(report_ids)}/"))
        mix.append(
            ("api-list", f"/api/reports/?page={rng.randint(1, max(1, min(20, len(report_ids) // 20)))}")
        )
    return mix


def run_clients(port: int, mix: list[tuple[str, str]], clients: int, seconds: float):
    latencies: list[float] = []
    by_kind: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        local, local_err = [], []
        while time.monotonic() < stop_at:
            kind, path = rng.choice(mix)
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": "text/html,application/json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                status = f"{type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            local.append((kind, time.perf_counter() - t))
            if not isinstance(status, int) or status >= 400:
                local_err.append(f"{status} {path}")
        conn.close()
        with lock:
            for kind, dt in local:
                by_kind[kind] += 1
                latencies.append(dt)
            errors.extend(local_err)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, by_kind, errors, time.perf_counter() - t0


def pct(values, p):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--reports",
        type=int,
        default=int(os.environ.get("LOAD_REPORTS") or 2000),
        help="corpus size (replicated reports; env LOAD_REPORTS)",
    )
    ap.add_argument(
        "--clients",
        type=int,
        default=int(os.environ.get("LOAD_CLIENTS") or 32),
        help="concurrent clients (env LOAD_CLIENTS)",
    )
    ap.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("LOAD_SECONDS") or 60),
        help="duration of the load phase (env LOAD_SECONDS)",
    )
    ap.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    ap.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.prepare_only:
        prepare(args.reports)
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="fazhi-load-"))
    proc = None
    try:
        port = free_port()
        env = server_env(workdir, port, args.workers)
        subprocess.run(
            [PY, "-m", "tests.load.run", "--prepare-only", "--reports", str(args.reports)],
            cwd=REPO,
            env=env,
            check=True,
        )
        report_ids, provinces = _ids(workdir)
        proc = start_gunicorn(env, port)
        mix = request_mix(report_ids, provinces)
        run_clients(port, mix[:50], 4, 3)  # warm every worker's searcher and caches
        print(
            f"load: gunicorn on 127.0.0.1:{port} (DEBUG=0, HTTPS=0), {args.clients} clients for "
            f"{args.seconds:.0f}s",
            flush=True,
        )
        latencies, by_kind, errors, elapsed = run_clients(port, mix, args.clients, args.seconds)
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        shutil.rmtree(workdir, ignore_errors=True)

    n = len(latencies)
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| reports (replicated) | {args.reports} |")
    print(f"| clients / duration | {args.clients} / {elapsed:.0f} s |")
    print(f"| requests | {n} ({', '.join(f'{k} {v}' for k, v in sorted(by_kind.items()))}) |")
    print(f"| throughput | {n / elapsed:.1f} req/s |")
    if latencies:
        print(
            f"| latency p50 / p95 / p99 | {statistics.median(latencies) * 1e3:.0f} / "
            f"{pct(latencies, 95) * 1e3:.0f} / {pct(latencies, 99) * 1e3:.0f} ms |"
        )
    print(f"| errors | {len(errors)} |")
    for line in Counter(errors).most_common(10):
        print("  error:", *line)
    return 1 if errors or not n else 0


def _ids(workdir: Path) -> tuple[list[int], list[str]]:
    import sqlite3

    db = sqlite3.connect(workdir / "bench.sqlite3")
    try:
        ids = [r[0] for r in db.execute("SELECT id FROM reports_report ORDER BY id")]
        provinces = [r[0] for r in db.execute("SELECT name FROM reports_region WHERE level = 1")]
    finally:
        db.close()
    return ids, provinces


if __name__ == "__main__":
    sys.exit(main())
