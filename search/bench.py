"""Search benchmark: import + index throughput and query latency at archive scale.

    python -m search.bench --reports 10000

Builds a corpus from the real reports shipped in fixtures/corpus.tar.xz (**REPLICATED** under synthetic
jurisdictions and years to reach N reports: the texts repeat, the metadata does not), imports
it into a fresh SQLite database in a temporary directory with bulk ORM inserts, indexes it with
both cores (``ArchiveWhooshSearchBackend.update``: forked workers writing segments with
``search.segment_writing.GroupingSegmentWriter``), then
times a fixed list of queries through ``search.service.search`` (facets and snippets included)
and the same queries as a plain SQL ``LIKE '%…%'`` scan over section text.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (query, filters) — realistic researcher queries; filters use names resolved after import.
QUERIES: list[tuple[str, dict]] = [
    ("法治政府", {}),
    ("行政复议", {}),
    ("出庭应诉率", {}),
    ("依法行政", {}),
    ("行政执法", {"year": 2020}),
    ("政务公开", {"region": "省份03"}),
    ("营商环境", {}),
    ("乡村振兴", {"year_from": 2015, "year_to": 2020}),
    ("生态环境 保护", {}),
    ("行政复议 应诉", {}),
    ('"放管服"改革', {}),
    ('"深化改革"', {}),
    ("脱贫攻坚 OR 乡村振兴", {}),
    ("经济 -疫情", {}),
    ("安全生产 NOT 事故", {"region": "省份07"}),
    ("人民代表大会", {}),
    ("合法性审查", {}),
    ("重大行政决策", {"kind": "gwr"}),
    ("知识产权", {"region": "省份01"}),
    ("食品药品", {"year": 2018}),
    ("社会主义核心价值观", {}),
    ("廣州", {}),
    ("人工智能", {}),
    ("粮食", {"region": "省份12", "year_from": 2012}),
    ("", {"region": "省份05"}),
]


def _setup_django(workdir: Path, settings: str | None) -> None:
    os.environ["ARCHIVE_DATA_DIR"] = str(workdir)
    os.environ["ARCHIVE_INDEX_DIR"] = str(workdir / "whoosh_index")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("HTTPS", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = settings or os.environ.get("DJANGO_SETTINGS_MODULE") or "config.settings"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _split(text: str):
    """Sections of one text: the real parser if importable, else blank-line paragraphs."""
    try:
        from reports.parsing import parse_report

        parsed = parse_report(text)
        out = [(s.level, s.number, s.path, s.heading, s.text) for s in parsed.walk()]
        title = parsed.title or text.strip().split("\n", 1)[0][:100]
        if out:
            return title, out, "reports.parsing.parse_report"
    except Exception:
        pass
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    return paras[0][:100] if paras else "", [(1, "", str(i + 1), "", p) for i, p in enumerate(paras)], "blank lines"


def _regions(n_provinces=31, cities=6, counties=5):
    from reports.models import Region, RegionLevel

    leaves = []
    for p in range(1, n_provinces + 1):
        prov = Region.objects.create(name=f"省份{p:02d}", level=RegionLevel.PROVINCE)
        leaves.append(prov)
        for c in range(1, cities + 1):
            city = Region.objects.create(name=f"省份{p:02d}城市{c}", level=RegionLevel.CITY, parent=prov)
            leaves.append(city)
            for k in range(1, counties + 1):
                leaves.append(Region.objects.create(name=f"城市{c}区县{k}", level=RegionLevel.COUNTY, parent=city))
    return list(Region.objects.all())


def _import(n_reports: int, texts: list[tuple[str, str]]):
    from django.db import transaction

    from reports.models import Report, ReportKind, Section

    parsed = [_split(t) for _, t in texts]
    splitter = parsed[0][2] if parsed else "-"
    regions = _regions()
    chars = 0
    batch = 500
    for start in range(0, n_reports, batch):
        with transaction.atomic():
            reports = []
            for i in range(start, min(start + batch, n_reports)):
                k = i % len(texts)
                title, _, _ = parsed[k]
                region = regions[(i * 7919) % len(regions)]
                year = 2008 + (i * 31 + k) % 18
                reports.append(
                    Report(
                        title=f"{region.name}{year}年{title}"[:300],
                        kind=[ReportKind.RULE_OF_LAW, ReportKind.GOVERNMENT_WORK][i % 2],
                        region=region,
                        year=year,
                        original_text=texts[k][1],
                        checksum=f"bench-{i:058d}",
                    )
                )
            Report.objects.bulk_create(reports)
            sections = []
            for r in reports:
                k = (int(r.checksum[6:])) % len(texts)
                for order, (level, number, path, heading, body) in enumerate(parsed[k][1], start=1):
                    sections.append(
                        Section(
                            report=r,
                            level=min(level, 4),
                            number=number[:20],
                            path=path[:50] or str(order),
                            heading=heading[:500],
                            text=body,
                            order=order,
                        )
                    )
                    chars += len(heading) + len(body)
                chars += len(r.title)
            Section.objects.bulk_create(sections, batch_size=2000)
    return chars, splitter


def _percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def _like_floor(q: str, filters: dict, region_map: dict) -> float:
    """Plain SQL LIKE over section text for the query's positive words (the floor)."""
    from reports.models import Report, Section
    from search.querysyntax import parse_query

    parsed = parse_query(q)
    t = time.perf_counter()
    qs = Report.objects.all()
    if "region" in filters:
        qs = qs.in_region(region_map[filters["region"]])
    if "year" in filters:
        qs = qs.filter(year=filters["year"])
    qs = qs.for_years(filters.get("year_from"), filters.get("year_to"))
    if "kind" in filters:
        qs = qs.filter(kind=filters["kind"])
    for term in parsed.terms:
        qs = qs.filter(pk__in=Section.objects.filter(text__contains=term).values("report_id"))
    list(qs.order_by("-year").values_list("pk", flat=True)[:20])
    qs.count()
    return time.perf_counter() - t


def _fresh_worker_memory() -> float:
    """Resident MB of a new process that set up Django and warmed the search engine up.

    What each gunicorn worker holds for search, measured apart from this process (which holds
    the imported reports).  Same environment: the index and database just built.
    """
    import subprocess

    code = (
        "import django; django.setup()\n"
        "from search import service; service.warm_up()\n"
        "print(int(open('/proc/self/statm').read().split()[1]) * __import__('os').sysconf('SC_PAGE_SIZE'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1e6


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10_000, help="number of reports (texts are replicated)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    ap.add_argument("--procs", type=int, default=os.cpu_count() or 1, help="indexing worker processes")
    ap.add_argument("--settings", default=None, help="Django settings module (default config.settings)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument(
        "--reuse",
        metavar="DIR",
        help="time the queries only, on a directory kept by an earlier --keep run",
    )
    args = ap.parse_args(argv)

    workdir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    _setup_django(workdir, args.settings)
    from django.db import connection

    from reports.models import Region
    from reports.sample_corpus import ARCHIVE, corpus_dir
    from search import analysis, service
    from search.backends import REPORT_INDEX, get_backend
    from search.search_indexes import ReportIndex

    corpus = corpus_dir()
    files = sorted(corpus.glob("**/*.txt"))
    texts = [(str(p.relative_to(corpus)), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    unique_chars = sum(len(t) for _, t in texts)
    print(f"corpus: {len(texts)} real texts ({unique_chars / 1e6:.2f} M chars) from {ARCHIVE.name}")
    print(f"NOTE: the {args.reports} reports REPLICATE these texts under synthetic jurisdictions/years.")

    # Raw segmentation speed (one core), same run.
    sample = [t for _, t in texts]
    import jieba

    jieba.initialize()
    t0 = time.perf_counter()
    for t in sample:
        list(jieba.cut(t))
    raw_jieba_kcs = unique_chars / (time.perf_counter() - t0) / 1e3
    t0 = time.perf_counter()
    for t in sample:
        list(analysis._TOKENIZER.cut(analysis.fold(t), HMM=False))
    jieba_kcs = unique_chars / (time.perf_counter() - t0) / 1e3
    t0 = time.perf_counter()
    for t in sample:
        analysis._main_words(analysis.fold(t))
    one_pass_kcs = unique_chars / (time.perf_counter() - t0) / 1e3
    t0 = time.perf_counter()
    for t in sample:
        analysis.segment(t)
    segment_kcs = unique_chars / (time.perf_counter() - t0) / 1e3

    backend = get_backend()
    if args.reuse:
        from reports.models import Report, Section

        args.reports = Report.objects.count()
        chars = sum(len(t) for t in Section.objects.values_list("text", flat=True).iterator())
        t_import = t_load = t_index = float("nan")
        print(f"reusing {workdir}: {args.reports} reports, index and database as they are")
    else:
        t0 = time.perf_counter()
        chars, splitter = _import(args.reports, texts)
        t_import = time.perf_counter() - t0
        print(f"imported {args.reports} reports ({chars / 1e6:.1f} M chars, sections by {splitter}) in {t_import:.1f}s")
        backend.procs = args.procs
        backend.clear()
        index = ReportIndex()
        t0 = time.perf_counter()
        objs = list(index.index_queryset().order_by("pk"))
        t_load = time.perf_counter() - t0
        connection.close()  # workers are forked: never share a live SQLite handle
        t1 = time.perf_counter()
        backend.update(index, objs)
        t_index = time.perf_counter() - t1
        del objs
        size = sum(f.stat().st_size for f in Path(backend.path).glob("*")) / 1e6
        n_segments = len(backend.storage.open_index(indexname=REPORT_INDEX)._segments())
        print(
            f"indexed in {t_index:.1f}s (+{t_load:.1f}s loading) with {args.procs} procs; "
            f"index {size:.0f} MB in {n_segments} segments"
        )
    total = t_import + t_load + t_index

    worker_mb = _fresh_worker_memory()
    region_map = {r.name: r for r in Region.objects.filter(level=1)}
    t0 = time.perf_counter()
    service.warm_up()  # what each gunicorn worker does once, and again after an index change
    t_warm = time.perf_counter() - t0
    lat, floor, first = {}, {}, {}
    for q, f in QUERIES:
        params = service.SearchParams(
            q=q,
            region=region_map.get(f.get("region")) if "region" in f else None,
            year=f.get("year"),
            year_from=f.get("year_from"),
            year_to=f.get("year_to"),
            kind=f.get("kind", ""),
        )
        t = time.perf_counter()
        service.search(params)  # first run: this query's terms are read from disk
        first[(q, str(f))] = time.perf_counter() - t
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            page = service.search(params)
            runs.append(time.perf_counter() - t)
        lat[(q, str(f))] = (runs, page.count, page.error)
        floor[(q, str(f))] = _like_floor(q, f, region_map)

    rebuild_row = ""
    if not args.reuse:
        # What an admin runs: haystack's rebuild_index (clear, then update() per batch,
        # loading from the database included).  Last, as it replaces the index just timed.
        from django.core.management import call_command

        t0 = time.perf_counter()
        call_command("rebuild_index", interactive=False, verbosity=0)
        t_rebuild = time.perf_counter() - t0
        n_segments = len(backend.storage.open_index(indexname=REPORT_INDEX)._segments())
        rebuild_row = (
            f"| manage.py rebuild_index (batches of {backend.batch_size}, loading included) | "
            f"{t_rebuild:.0f} s, {chars / t_rebuild / 1e3:.0f} K chars/s, {n_segments} segments |"
        )

    all_runs = [x for runs, _, _ in lat.values() for x in runs]
    first_runs = list(first.values())
    floor_runs = list(floor.values())
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| reports (replicated) | {args.reports} |")
    print(f"| chars imported+indexed | {chars / 1e6:.1f} M |")
    print(
        f"| import+index throughput | {chars / total / 1e3:.0f} K chars/s (import {t_import:.0f}s, load {t_load:.0f}s, index {t_index:.0f}s) |"
    )
    print(f"| index-only throughput ({args.procs} procs) | {chars / t_index / 1e3:.0f} K chars/s |")
    if rebuild_row:
        print(rebuild_row)
    print(f"| raw jieba.cut (defaults), 1 core | {raw_jieba_kcs:.0f} K chars/s |")
    print(f"| jieba cut as we use it (folded, HMM off, user dictionary), 1 core | {jieba_kcs:.0f} K chars/s |")
    print(f"| our one-pass cut (the same words, tested), 1 core | {one_pass_kcs:.0f} K chars/s |")
    print(f"| analysis.segment (words + sub-words + span words), 1 core | {segment_kcs:.0f} K chars/s |")
    print(
        f"| search p50 / p95 (service.search, facets+snippets) | {statistics.median(all_runs) * 1e3:.1f} / {_percentile(all_runs, 95) * 1e3:.1f} ms |"
    )
    print(
        f"| first run of each query p50 / p95 (terms not yet cached) | {statistics.median(first_runs) * 1e3:.1f} / {_percentile(first_runs, 95) * 1e3:.1f} ms |"
    )
    print(f"| engine warm-up per worker (searcher, columns, lexicon) | {t_warm:.2f} s |")
    print(f"| resident memory of a fresh process after warm-up | {worker_mb:.0f} MB |")
    print(
        f"| SQL LIKE floor p50 / p95 | {statistics.median(floor_runs) * 1e3:.1f} / {_percentile(floor_runs, 95) * 1e3:.1f} ms |"
    )
    print(f"| speed-up at p50 | {statistics.median(floor_runs) / statistics.median(all_runs):.1f}x |")
    print()
    print("| query | filters | hits | first ms | p50 ms | max ms | LIKE ms |")
    print("|---|---|---|---|---|---|---|")
    for (q, f), (runs, count, error) in lat.items():
        print(
            f"| {q or '(browse)'} | {f if f != '{}' else ''} | {count}{' ' + error if error else ''} | "
            f"{first[(q, f)] * 1e3:.1f} | {statistics.median(runs) * 1e3:.1f} | {max(runs) * 1e3:.1f} | "
            f"{floor[(q, f)] * 1e3:.0f} |"
        )
    if not args.keep and not args.reuse:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
