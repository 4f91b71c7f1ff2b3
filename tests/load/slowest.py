"""The slowest requests: the attacks of issue 15 against gunicorn in production settings.

    make slowest                      # SLOWEST_REPORTS=2000
    .venv/bin/python -m tests.load.slowest --reports 10000 --big-mb 2 --sections 20000

1. Builds a benchmark corpus in a temporary ARCHIVE_DATA_DIR (tests/load/run.py's ``prepare``:
   the shipped corpus texts replicated), plus two hostile reports: one of ``--big-mb`` MB of
   UTF-8 text in long sections full of figures, and one of ``--sections`` short sections.
   Their figures are extracted as at import; everything is indexed.
2. Starts gunicorn (gunicorn.conf.py, DEBUG=0, a random SECRET_KEY, loopback only).
3. Sends each request of the list below ``--repeat`` times, one at a time (nothing else
   running, so a time is that request's own cost), anonymously except the admin pages
   (a staff session).  Prints every request's slowest time, status and size, slowest
   first, and how many took over ``--budget`` seconds (goal: none, anonymous).

Exit status 1 when any request answered 5xx or not at all.  Not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from tests.load.run import PY, REPO, free_port, prepare, server_env, start_gunicorn, stop_gunicorn

COMMON = "的是在了有为中对以地上个国到说们时要就出会也得里后自然下过能可年生面而方去子之于其"
COMMON += "工作法治政府建设依法行政推进加强完善制度开展落实全面深化改革坚持问题机制监督执法"
STAFF_USER, STAFF_PASSWORD = "slowest-admin", "slowest-admin-password-1"


def ors(n: int) -> str:
    return " OR ".join(COMMON[:n])


def build_hostile(big_mb: float, sections: int) -> dict:
    """In the prepared Django process: the big report and the many-section report."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from compare.services import indicators_refresh
    from reports.models import Report, Section
    from reports.sample_corpus import corpus_dir

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus_dir().glob("**/*.txt"))]
    target = int(big_mb * 1024 * 1024)
    with transaction.atomic():
        big = Report.objects.create(title="超大报告（压力测试）", year=2023, original_text="",
                                    checksum="slowest-big-" + "0" * 52)
        size, order, body = 0, 0, []
        while size < target:
            text = texts[order % len(texts)]
            order += 1
            Section.objects.create(report=big, level=1, number=f"{order}.", path=str(order),
                                   heading=f"第{order}部分", text=text, order=order)
            body.append(text)
            size += len(text.encode())
        Report.objects.filter(pk=big.pk).update(original_text="\n".join(body))
        many = Report.objects.create(title="两万节报告（压力测试）", year=2022, original_text="",
                                     checksum="slowest-many-" + "0" * 51)
        paragraphs = [p.strip() for t in texts[:40] for p in t.split("\n") if len(p.strip()) > 20]
        rows = [
            Section(report=many, level=1, number=f"（{i}）", path=str(i), heading=f"（{i}）第{i}项",
                    text=paragraphs[i % len(paragraphs)], order=i)
            for i in range(1, sections + 1)
        ]
        Section.objects.bulk_create(rows, batch_size=2000)
        Report.objects.filter(pk=many.pk).update(original_text="\n".join(r.text for r in rows))
    for report in (big, many):
        indicators_refresh(report=Report.objects.get(pk=report.pk))
    get_user_model().objects.create_superuser(STAFF_USER, "admin@example.invalid", STAFF_PASSWORD)
    return {"big": big.pk, "many": many.pk, "big_bytes": size, "big_sections": order}


def prepare_all(reports: int, big_mb: float, sections: int) -> None:
    prepare(reports)  # corpus, index, static files; Django is set up
    from search.backends import get_backend
    from search.search_indexes import ReportIndex

    t0 = time.perf_counter()
    ids = build_hostile(big_mb, sections)
    index = ReportIndex()
    objs = list(index.index_queryset().filter(pk__in=[ids["big"], ids["many"]]))
    from django.db import connection

    connection.close()
    get_backend().update(index, objs)
    print(f"slowest: hostile reports {ids} built and indexed in {time.perf_counter() - t0:.0f}s", flush=True)


def requests(big: int, many: int, other: int) -> list[tuple[str, str, bool]]:
    """(label, path, as staff)."""
    q = urllib.parse.quote
    hl40 = q(" ".join(COMMON[:40]))
    return [
        ("figures API, big report", f"/api/reports/{big}/indicators/", False),
        ("compare big report", f"/compare/?reports={big},{other}", False),
        ("compare many-section report", f"/compare/?reports={many},{other}", False),
        ("figures CSV, big report", f"/compare/figures.csv?reports={big},{other}", False),
        ("report page, big, ?hl= 40 chars", f"/reports/{big}/?hl={hl40}", False),
        ("report page, big", f"/reports/{big}/", False),
        ("report page, 20,000 sections", f"/reports/{many}/", False),
        ("report page, 20,000 sections ?hl=", f"/reports/{many}/?hl={hl40}", False),
        ("section page, 20,000 sections", f"/reports/{many}/s/1/", False),
        ("trends 5 common chars by province", f"/trends/?terms={q(','.join(COMMON[:5]))}&by=province", False),
        ("export.csv 80 OR'd", f"/search/export.csv?q={q(ors(80))}", False),
        ("export.jsonl 80 OR'd", f"/search/export.jsonl?q={q(ors(80))}", False),
        ("compare ?q= 60 OR'd", f"/compare/?q={q(ors(60))}", False),
        ("search 80 OR'd", f"/search/?q={q(ors(80))}", False),
        ("API search 80 OR'd", f"/api/search/?q={q(ors(80))}", False),
        ("feed search 的", f"/feeds/search/?q={q('的')}", False),
        ("search 行政复议", f"/search/?q={q('行政复议')}", False),
        ("report list", "/reports/", False),
        ("healthz", "/healthz", False),
        ("admin change, big report", f"/admin/reports/report/{big}/change/", True),
        ("admin change, 20,000 sections", f"/admin/reports/report/{many}/change/", True),
    ]


def _get(port: int, path: str, cookie: str = "") -> tuple[int, int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    t0 = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        size = len(response.read())
        return response.status, size, time.perf_counter() - t0
    except OSError:
        return 0, 0, time.perf_counter() - t0
    finally:
        conn.close()


def staff_cookie(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/admin/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": STAFF_USER, "password": STAFF_PASSWORD,
                                   "csrfmiddlewaretoken": token, "next": "/admin/"})
    cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    conn.request("POST", "/admin/login/", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{port}/admin/login/"})
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    conn.close()
    if "sessionid" not in jar:
        raise RuntimeError(f"staff login failed ({response.status})")
    return "; ".join(f"{k}={m.value}" for k, m in jar.items())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=int(os.environ.get("SLOWEST_REPORTS") or 2000),
                    help="benchmark corpus size (env SLOWEST_REPORTS)")
    ap.add_argument("--big-mb", type=float, default=2.0, help="size of the big report, MB of UTF-8")
    ap.add_argument("--sections", type=int, default=20_000, help="sections of the many-section report")
    ap.add_argument("--repeat", type=int, default=2, help="times each request is sent (slowest kept)")
    ap.add_argument("--budget", type=float, default=2.0, help="seconds an anonymous request may take")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.prepare_only:
        prepare_all(args.reports, args.big_mb, args.sections)
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="fazhi-slowest-"))
    proc = None
    results = []
    try:
        port = free_port()
        env = server_env(workdir, port, args.workers)
        env["GUNICORN_TIMEOUT"] = "300"  # measure the slow ones instead of killing them
        subprocess.run([PY, "-m", "tests.load.slowest", "--prepare-only", "--reports", str(args.reports),
                        "--big-mb", str(args.big_mb), "--sections", str(args.sections)],
                       cwd=REPO, env=env, check=True)
        big, many, other = _ids(workdir)
        proc = start_gunicorn(env, port)
        cookie = staff_cookie(port)
        for label, path, staff in requests(big, many, other):
            worst = (0, 0, 0.0)
            for _ in range(max(1, args.repeat)):
                status, size, seconds = _get(port, path, cookie if staff else "")
                if seconds >= worst[2] or status >= 500 or status == 0:
                    worst = (status, size, seconds)
            results.append((label, staff, *worst))
            print(f"  {worst[2]:7.2f} s  {worst[0]}  {label}", flush=True)
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"corpus: {args.reports} replicated reports + a {args.big_mb:g} MB report + a "
          f"{args.sections:,}-section report; {args.workers} gunicorn workers, slowest of {args.repeat}")
    print()
    print("| request | who | status | size | slowest |")
    print("|---|---|---|---|---|")
    for label, staff, status, size, seconds in sorted(results, key=lambda r: -r[4]):
        print(f"| {label} | {'staff' if staff else 'anonymous'} | {status} | {size / 1024:,.0f} KB | {seconds:.2f} s |")
    over = [r for r in results if not r[1] and r[4] > args.budget]
    failed = [r for r in results if r[2] >= 500 or r[2] == 0]
    print()
    print(f"anonymous requests over {args.budget:g} s: {len(over)}; 5xx or no answer: {len(failed)}")
    return 1 if failed else 0


def _ids(workdir: Path) -> tuple[int, int, int]:
    import sqlite3

    db = sqlite3.connect(workdir / "bench.sqlite3")
    try:
        big = db.execute("SELECT id FROM reports_report WHERE checksum LIKE 'slowest-big-%'").fetchone()[0]
        many = db.execute("SELECT id FROM reports_report WHERE checksum LIKE 'slowest-many-%'").fetchone()[0]
        other = db.execute("SELECT MIN(id) FROM reports_report").fetchone()[0]
    finally:
        db.close()
    return big, many, other


if __name__ == "__main__":
    sys.exit(main())
