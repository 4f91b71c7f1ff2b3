"""Measure precision/recall of search matching against plain substring search.

    python -m search.measure_precision [--corpus GLOB ...] [--speed]

Ground truth for a query word Q and a paragraph P: ``fold(Q) in fold(P)`` (substring, after
script/width/case folding).  Prediction: what a real Whoosh index built with our analyzer
answers for ``search.whoosh_query.word_match(Q)`` -- the same code path as the site.

Paragraphs: the non-empty lines of the seeds and of the corpus (both shipped in ``fixtures/``).
Imports neither Django nor haystack.
"""

from __future__ import annotations

import argparse
import glob
import tempfile
import time
from pathlib import Path

import jieba
from whoosh import fields, index

from search import analysis
from search.analysis import fold, query_alternatives, segment
from search.whoosh_query import word_match

_REPO = Path(__file__).resolve().parent.parent


def default_globs() -> list[str]:
    """The seeds and the corpus, both shipped with the repository."""
    from reports.sample_corpus import corpus_dir

    return [str(_REPO / "fixtures" / "seeds" / "*.txt"), str(corpus_dir() / "**" / "*.txt")]

QUERIES = [
    # field terms (user dictionary)
    "法治政府建设", "法治政府", "行政复议", "行政诉讼", "行政应诉", "出庭应诉",
    "出庭应诉率", "规范性文件", "重大行政决策", "合法性审查", "法律顾问",
    "公职律师", "双随机一公开", "放管服", "一网通办", "信访", "人民调解",
    "备案审查", "权责清单", "负面清单", "行政执法", "营商环境",
    # straddling / inside-a-word queries
    "应诉率", "政府建设", "应诉", "复议", "人民政府", "依法", "执法",
    "庭应", "建设工作", "府建", "年度", "执法公示", "区人民政府", "政府工作报告",
    "工作报告", "社会主义", "改革开放", "高质量发展", "乡村振兴", "生态环境",
    # single characters, numbers, Latin, traditional script
    "县", "率", "法", "2020", "2020年", "gdp", "5g", "廣州", "經濟", "國務院",
    "政府工作", "百分之",
]


def load_paragraphs(globs: list[str]) -> list[str]:
    paras: list[str] = []
    for pattern in globs:
        for path in sorted(glob.glob(pattern, recursive=True)):
            if path.endswith("README.md"):
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    line = line.strip()
                    if line:
                        paras.append(line)
    return paras


def build_index(paras: list[str], directory: str):
    schema = fields.Schema(
        pid=fields.NUMERIC(stored=True), text=fields.TEXT(analyzer=analysis.archive_analyzer(), phrase=True)
    )
    ix = index.create_in(directory, schema)
    with ix.writer(limitmb=256) as writer:
        for pid, p in enumerate(paras):
            writer.add_document(pid=pid, text=p)
    return index.open_dir(directory)


def measure(paras: list[str], queries: list[str]) -> None:
    folded = [fold(p) for p in paras]
    t0 = time.perf_counter()
    tmp = tempfile.TemporaryDirectory(prefix="fazhi-precision-")
    ix = build_index(paras, tmp.name)
    searcher = ix.searcher()
    t_index = time.perf_counter() - t0
    n_chars = sum(len(p) for p in paras)
    n_tokens = sum(len(segment(p)) for p in paras[:2000]) / max(1, sum(len(p) for p in paras[:2000]))
    print(f"paragraphs: {len(paras)}  chars: {n_chars}  tokens per char: {n_tokens:.2f}"
          f"  (analysis+index {t_index:.1f}s)")
    print()
    header = f"{'query':<14}{'truth':>7}{'found':>7}{'tp':>7}{'prec':>8}{'recall':>8}  phrase(s)"
    print(header)
    print("-" * len(header))
    tot_tp = tot_found = tot_truth = 0
    misses: list[tuple[str, str]] = []
    for q in queries:
        fq = fold(q)
        truth = {i for i, f in enumerate(folded) if fq in f}
        found = {searcher.stored_fields(d)["pid"] for d in word_match(searcher.reader(), "text", q).docs}
        tp = len(truth & found)
        prec = tp / len(found) if found else 1.0
        rec = tp / len(truth) if truth else 1.0
        tot_tp += tp
        tot_found += len(found)
        tot_truth += len(truth)
        shown = " | ".join("+".join(w for w, _ in ph) for ph in query_alternatives(q))
        print(f"{q:<14}{len(truth):>7}{len(found):>7}{tp:>7}{prec:>8.3f}{rec:>8.3f}  {shown}")
        for pid in sorted(truth - found)[:1]:
            i = folded[pid].find(fq)
            misses.append((q, "miss  …" + paras[pid][max(0, i - 12): i + len(q) + 12] + "…"))
        for pid in sorted(found - truth)[:1]:
            misses.append((q, "false …" + paras[pid][:60] + "…"))
    print("-" * len(header))
    micro_p = tot_tp / tot_found if tot_found else 1.0
    micro_r = tot_tp / tot_truth if tot_truth else 1.0
    print(f"{'TOTAL (micro)':<14}{tot_truth:>7}{tot_found:>7}{tot_tp:>7}{micro_p:>8.3f}{micro_r:>8.3f}")
    if misses:
        print("\nexamples of disagreement:")
        for q, line in misses:
            print(f"  {q}: {line}")


def speed(paras: list[str]) -> None:
    text = "\n".join(paras)
    n = len(text)
    tok = analysis._TOKENIZER
    rows = []
    t0 = time.perf_counter()
    sum(1 for _ in jieba.cut(text))
    rows.append(("jieba.cut (default, HMM)", time.perf_counter() - t0))
    t0 = time.perf_counter()
    sum(1 for _ in tok.cut(text, HMM=False))
    rows.append(("tokenizer.cut HMM=False", time.perf_counter() - t0))
    t0 = time.perf_counter()
    fold(text)
    rows.append(("fold", time.perf_counter() - t0))
    t0 = time.perf_counter()
    segment(text, subwords=False)
    rows.append(("segment(subwords=False)", time.perf_counter() - t0))
    analysis._sub_words.cache_clear()
    t0 = time.perf_counter()
    segment(text)
    rows.append(("segment (indexing, cold)", time.perf_counter() - t0))
    t0 = time.perf_counter()
    list(analysis.ArchiveAnalyzer()(text, positions=True, chars=True))
    rows.append(("ArchiveAnalyzer (warm)", time.perf_counter() - t0))
    print(f"\ntokenization speed over {n} chars:")
    for name, secs in rows:
        print(f"  {name:<28}{n / secs / 1e6:>8.2f} M chars/s  ({secs:.2f}s)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", help="glob(s) of .txt files")
    ap.add_argument("--speed", action="store_true", help="also time tokenization")
    args = ap.parse_args(argv)
    paras = load_paragraphs(args.corpus or default_globs())
    measure(paras, QUERIES)
    if args.speed:
        speed(paras)


if __name__ == "__main__":
    main()
