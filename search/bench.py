"""Search benchmark: import + index throughput and query latency at archive scale.

    python -m search.bench --reports 10000

Builds a corpus from the real reports shipped in fixtures/corpus.tar.xz (**REPLICATED** under synthetic
jurisdictions and years to reach N reports: the texts repeat, the metadata does not), imports
it into a fresh SQLite database in a temporary directory with bulk ORM inserts, indexes it with
both cores (``ArchiveWhooshSearchBackend.update``: forked workers writing segments with
``search.segment_writing.GroupingSegmentWriter``), measures a fresh worker (warm-up, memory,
first /healthz and section-permalink requests), then times a fixed list of queries in one
interleaved run through: ``search.service.search`` (the API path: facets, 20 hits with 3
sections and snippets each), the engine alone (``search_reports``: count, facets, BM25 top 10),
and the peers of ``search.bench_peers`` (SQLite FTS5 trigram; tantivy over character bigrams
when the ``bench`` extra is installed), each checked against a brute-force truth.  Up to
20,000 reports, also a plain SQL ``LIKE '%…%'`` scan per query.
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


_WORKER_PROBE = """
import json, os, time
t = time.perf_counter()
import django
django.setup()
from django.conf import settings
# No collectstatic here: plain static storage, so pages render without a manifest.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
from reports.models import Section
from search import service
setup = time.perf_counter() - t
t = time.perf_counter()
service.warm_up()  # gunicorn's post_worker_init
warm = time.perf_counter() - t
rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
client = Client()
out = {"setup_s": setup, "warm_s": warm, "rss_mb": rss / 1e6}
for key in ("health_first_ms", "health_ms"):
    t = time.perf_counter()
    status = client.get("/healthz").status_code
    out[key] = (time.perf_counter() - t) * 1e3
    out["health_status"] = status
pks = list(Section.objects.order_by("pk").values_list("pk", flat=True)[:2000])
ids = [pks[len(pks) // 2], pks[-1]] if pks else []
for key, pk in zip(("section_first_ms", "section_ms"), ids):
    url = Section.objects.select_related("report").get(pk=pk).get_absolute_url()
    t = time.perf_counter()
    out["section_status"] = client.get(url).status_code
    out[key] = (time.perf_counter() - t) * 1e3
print(json.dumps(out))
"""


def _fresh_worker() -> dict:
    """What a new worker costs, measured in a fresh process on the index and database just built.

    Warm-up time and resident memory after it (what each gunicorn worker holds for search,
    apart from this process, which holds the imported reports), then its first and second
    /healthz and section-permalink requests (Django's test client: no network).
    """
    import json
    import subprocess

    env = dict(os.environ, ALLOWED_HOSTS="testserver")
    out = subprocess.run([sys.executable, "-c", _WORKER_PROBE], cwd=REPO, capture_output=True, text=True, env=env)
    if out.returncode:
        print("fresh worker probe failed:", out.stderr[-2000:])
        nan = float("nan")
        return dict.fromkeys(("warm_s", "rss_mb", "health_first_ms", "health_ms", "section_first_ms", "section_ms"), nan)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _search_params(service, region_map, q: str, f: dict):
    return service.SearchParams(
        q=q,
        region=region_map.get(f.get("region")) if "region" in f else None,
        year=f.get("year"),
        year_from=f.get("year_from"),
        year_to=f.get("year_to"),
        kind=f.get("kind", ""),
    )


def _filters(region_map, f: dict) -> dict:
    out = {k: v for k, v in f.items() if k != "region"}
    if "region" in f:
        out["tree_path"] = region_map[f["region"]].tree_path
    return out


API, ENGINE = "ours: API path (service.search: facets, 20 hits x 3 sections, snippets)", "ours: engine alone (search_reports, top 10)"


def _interleaved(backend, service, region_map, truth, peers, repeat: int) -> dict:
    """Every engine on every query, in turn: first runs, then ``repeat`` warm runs each.

    Returns {engine name: {"first": {query: s}, "warm": {query: [s]}, "count": {query: n},
    "found": {query: set of report ids}}} plus "truth": {query: set}.  Answers are collected
    untimed (every match, not just the top 10).
    """
    from search.querysyntax import parse_query

    names = [API, ENGINE] + [p.name for p in peers]
    out = {name: {"first": {}, "warm": {}, "count": {}, "found": {}} for name in names}
    out["truth"] = {}
    for q, f in QUERIES:
        key = (q, str(f))
        node = parse_query(q).node
        filters = _filters(region_map, f)
        params = _search_params(service, region_map, q, f)
        engine_kwargs = {
            "year": f.get("year"),
            "years": (f.get("year_from"), f.get("year_to")),
            "kind": f.get("kind", ""),
            "tree_path": filters.get("tree_path", ""),
        }
        calls = {
            API: lambda: service.search(params).count,
            ENGINE: lambda: backend.search_reports(node, stop=10, **engine_kwargs).count,
        }
        for peer in peers:
            calls[peer.name] = (lambda p: lambda: p.search(node, filters)[0])(peer)
        for k in range(repeat + 1):
            # Rotate the order so that no engine always runs right after another.
            order = names[k % len(names) :] + names[: k % len(names)]
            for name in order:
                t = time.perf_counter()
                count = calls[name]()
                took = time.perf_counter() - t
                if k == 0:
                    out[name]["first"][key] = took
                    out[name]["warm"][key] = []
                else:
                    out[name]["warm"][key].append(took)
                out[name]["count"][key] = count
        out["truth"][key] = truth.answer(node, filters)
        everything = backend.search_reports(node, sort="-year", stop=10**9, **engine_kwargs)
        out[ENGINE]["found"][key] = {rid for rid, _ in everything.hits}
        # The API path runs the same matcher: its answer is the engine's when its count agrees.
        same = out[API]["count"][key] == len(out[ENGINE]["found"][key])
        out[API]["found"][key] = out[ENGINE]["found"][key] if same else set()
        for peer in peers:
            found = peer.search(node, filters)[2]
            out[peer.name]["found"][key] = found if found is not None else peer.all_ids(node, filters)
    return out


def _print_engines(runs: dict, floor: dict) -> None:
    from search.bench_peers import precision_recall

    truths = runs["truth"]
    names = [n for n in runs if n != "truth"]
    stats = {}
    for name in names:
        warm = [x for xs in runs[name]["warm"].values() for x in xs]
        first = list(runs[name]["first"].values())
        p, r, exact = precision_recall(runs[name]["found"], truths)
        stats[name] = (statistics.median(warm), _percentile(warm, 95), statistics.median(first), _percentile(first, 95), p, r, exact)
    peers = [n for n in names if n not in (API, ENGINE)]
    best = min(peers, key=lambda n: stats[n][1]) if peers else None
    print()
    print(f"Engines, one interleaved run ({len(QUERIES)} queries; truth: brute force over the folded text)")
    print()
    ratio_head = f" | p50 / p95 vs {best}" if best else ""
    print(f"| engine | warm p50 / p95 ms | first-run p50 / p95 ms{ratio_head} | precision | recall | exact queries |")
    print("|---|---|---|" + ("---|" if best else "") + "---|---|---|")
    for name in names:
        p50, p95, f50, f95, p, r, exact = stats[name]
        ratio = f" | {p50 / stats[best][0]:.2f}x / {p95 / stats[best][1]:.2f}x" if best else ""
        print(
            f"| {name} | {p50 * 1e3:.1f} / {p95 * 1e3:.1f} | {f50 * 1e3:.1f} / {f95 * 1e3:.1f}{ratio} | "
            f"{p:.4f} | {r:.4f} | {exact}/{len(truths)} |"
        )
    print()
    print(f"API path p95 / engine-alone p95: {stats[API][1] / stats[ENGINE][1]:.2f}x")
    print()
    head = " | ".join(f"{n.split(' (')[0]} p50" for n in names)
    print(f"| query | filters | truth | {head}{' | LIKE' if floor else ''} |")
    print("|---|---|---|" + "---|" * len(names) + ("---|" if floor else ""))
    for key, truth in truths.items():
        q, f = key
        cells = []
        for name in names:
            found = runs[name]["found"][key]
            mark = "" if found == truth else f" ({len(found)}!)"
            cells.append(f"{statistics.median(runs[name]['warm'][key]) * 1e3:.1f}{mark}")
        like = f" | {floor[key] * 1e3:.0f}" if floor else ""
        print(f"| {q or '(browse)'} | {f if f != '{}' else ''} | {len(truth)} | {' | '.join(cells)}{like} |")


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
    ap.add_argument(
        "--peers", default="fts5,tantivy", help="peer engines timed alongside ours (comma list; '' for none)"
    )
    ap.add_argument(
        "--like", action=argparse.BooleanOptionalAction, default=None,
        help="also time a plain SQL LIKE scan per query (default: up to 20,000 reports)",
    )
    ap.add_argument(
        "--rebuild", action=argparse.BooleanOptionalAction, default=None,
        help="also time manage.py rebuild_index at the end (default: up to 20,000 reports)",
    )
    args = ap.parse_args(argv)
    if args.like is None:
        args.like = args.reports <= 20_000
    if args.rebuild is None:
        args.rebuild = args.reports <= 20_000

    workdir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    _setup_django(workdir, args.settings)
    from django.db import connection

    from reports.models import Region
    from reports.sample_corpus import ARCHIVE, corpus_dir
    from search import analysis, bench_peers, service
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
        n_segments_bulk = len(backend.storage.open_index(indexname=REPORT_INDEX)._segments())
        print(
            f"indexed in {t_index:.1f}s (+{t_load:.1f}s loading) with {args.procs} procs; "
            f"index {size:.0f} MB in {n_segments_bulk} segments"
        )
    total = t_import + t_load + t_index

    worker = _fresh_worker()
    region_map = {r.name: r for r in Region.objects.filter(level=1)}
    t0 = time.perf_counter()
    service.warm_up()  # what each gunicorn worker does once, and again after an index change
    t_warm = time.perf_counter() - t0

    t0 = time.perf_counter()
    docs = bench_peers.load_docs()
    truth = bench_peers.Truth(docs)
    print(f"peers: {len(docs)} reports folded for the truth and the peers in {time.perf_counter() - t0:.1f}s")
    peers = []
    for name in [p for p in args.peers.split(",") if p]:
        if name == "tantivy" and not bench_peers.tantivy_available():
            print("peers: tantivy skipped (pip install -e '.[bench]' to compare with it)")
            continue
        peer = {"fts5": bench_peers.Fts5Peer, "tantivy": bench_peers.TantivyPeer}[name](str(workdir / f"peer-{name}"))
        if args.reuse and os.path.exists(peer.path):
            peer.open()
            print(f"peers: {peer.name} reused, {peer.size_bytes() / 1e6:.0f} MB")
        else:
            t0 = time.perf_counter()
            peer.build(docs)
            built = time.perf_counter() - t0
            print(
                f"peers: {peer.name} built in {built:.0f}s ({chars / built / 1e3:.0f} K chars/s), "
                f"{peer.size_bytes() / 1e6:.0f} MB"
            )
        peers.append(peer)
    del docs

    runs = _interleaved(backend, service, region_map, truth, peers, args.repeat)
    floor = {}
    if args.like:
        for q, f in QUERIES:
            floor[(q, str(f))] = _like_floor(q, f, region_map)

    rebuild_row = ""
    if args.rebuild and not args.reuse:
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

    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| reports (replicated) | {args.reports} |")
    print(f"| chars imported+indexed | {chars / 1e6:.1f} M |")
    print(
        f"| import+index throughput | {chars / total / 1e3:.0f} K chars/s (import {t_import:.0f}s, load {t_load:.0f}s, index {t_index:.0f}s) |"
    )
    print(f"| index-only throughput ({args.procs} procs) | {chars / t_index / 1e3:.0f} K chars/s |")
    if not args.reuse:
        print(f"| index size | {size:.0f} MB in {n_segments_bulk} segments |")
    if rebuild_row:
        print(rebuild_row)
    print(f"| raw jieba.cut (defaults), 1 core | {raw_jieba_kcs:.0f} K chars/s |")
    print(f"| jieba cut as we use it (folded, HMM off, user dictionary), 1 core | {jieba_kcs:.0f} K chars/s |")
    print(f"| our one-pass cut (the same words, tested), 1 core | {one_pass_kcs:.0f} K chars/s |")
    print(f"| analysis.segment (words + sub-words + span words), 1 core | {segment_kcs:.0f} K chars/s |")
    print(f"| engine warm-up in this process (searcher, columns, lexicon) | {t_warm:.2f} s |")
    print(f"| fresh worker: warm-up / resident memory after it | {worker['warm_s']:.2f} s / {worker['rss_mb']:.0f} MB |")
    print(f"| fresh worker: /healthz (first / second request) | {worker['health_first_ms']:.1f} / {worker['health_ms']:.1f} ms |")
    print(
        f"| fresh worker: section permalink (first / second request) | "
        f"{worker['section_first_ms']:.0f} / {worker['section_ms']:.0f} ms |"
    )
    if floor:
        floor_runs = list(floor.values())
        print(f"| SQL LIKE floor p50 / p95 | {statistics.median(floor_runs) * 1e3:.1f} / {_percentile(floor_runs, 95) * 1e3:.1f} ms |")
    _print_engines(runs, floor)
    if not args.keep and not args.reuse:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
