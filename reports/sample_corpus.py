"""The real report corpus that ships with the repository (``fixtures/corpus.tar.xz``).

177 real 政府工作报告 (31 provincial reports of 2025, 74 county reports, 72 State Council reports
and NPC resolutions), each folder with its ``index.tsv``: public government documents (Copyright
Law art. 5).  Tests and ``make bench`` read them from here, so a user's clone needs nothing
beside the repository.

The archive is unpacked once per content checksum into the system's temporary directory and
reused; unpacking goes to a private directory first and is renamed into place, so concurrent
test processes never see half a corpus.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

ARCHIVE = Path(__file__).resolve().parent.parent / "fixtures" / "corpus.tar.xz"


@lru_cache(maxsize=1)
def corpus_dir() -> Path:
    """The unpacked corpus root (folders such as ``provincial_gwr_2025/`` inside)."""
    digest = hashlib.sha256(ARCHIVE.read_bytes()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"fazhi-corpus-{digest}"
    if not (target / "corpus").is_dir():
        staging = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=target.parent))
        try:
            with tarfile.open(ARCHIVE, "r:xz") as archive:
                archive.extractall(staging, filter="data")
            for path in staging.rglob("*"):  # the source tree was read-only
                path.chmod(0o755 if path.is_dir() else 0o644)
            try:
                os.rename(staging, target)
            except OSError:  # another process won the race: its copy is complete
                pass
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target / "corpus"


def corpus_files() -> list[Path]:
    """Every report text of the corpus, sorted by path."""
    return sorted(corpus_dir().glob("*/*.txt"))


def corpus_rows() -> list[dict[str, str]]:
    """The rows of every folder's ``index.tsv`` (id, title, jurisdiction, province, year, …)."""
    rows: list[dict[str, str]] = []
    for index in sorted(corpus_dir().glob("*/index.tsv")):
        with index.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle, delimiter="\t"))
    return rows
