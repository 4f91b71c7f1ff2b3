"""Uploaded files waiting for an admin's confirmation.

Between "upload" and "save" the admin looks at a preview, so the bytes must survive one
request.  They are kept under ARCHIVE_DATA_DIR/staging/<token>/ (never in the session, which
would put megabytes in a cookie or the database), bound to the uploading user, and removed on
confirmation, cancellation, or after STAGING_MAX_AGE.

What the parser made of each file is kept beside it (``<index>.ingested.json``), so that
reloading the preview or confirming does not decompress and parse the file again.

Slow work never runs inside a web request: a web address (fetched, maybe with its
attachment) and a file that needs OCR are processed by a background thread that writes
``<index>.progress.json`` as it goes; the preview shows the progress and reloads itself
until the result is kept (``ingest_status``).  The management command does the same work in
the foreground.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from reports import ingest
from reports.ingest import IngestedText, IngestError, ingest_bytes, ocr_probe
from reports.ingest.url import fetch_report

logger = logging.getLogger(__name__)

STAGING_MAX_AGE = 24 * 3600
_TOKEN_ALPHABET = set("0123456789abcdef")


@dataclass
class StagedFile:
    index: int
    filename: str
    data: bytes
    token: str = ""
    url: str = ""  # pasted web address ("" for an uploaded file)
    final_url: str = ""  # where the report's bytes were fetched from, once they were

    @property
    def captures(self) -> list:
        """The HTTP responses this file was fetched with (ingest.url.Capture), wrapper page first."""
        from reports.provenance import capture_from_json

        path = _batch_dir(self.token) / f"{self.index}.captures.json"
        if not self.url or not path.exists():
            return []
        return [capture_from_json(c) for c in json.loads(path.read_text(encoding="utf-8"))]

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def staging_root() -> Path:
    return Path(settings.ARCHIVE_DATA_DIR) / "staging"


def _batch_dir(token: str) -> Path:
    if len(token) != 32 or not set(token) <= _TOKEN_ALPHABET:
        raise KeyError(token)
    return staging_root() / token


def stage_files(files: list[tuple[str, bytes]], *, user_id: int, urls: list[str] = ()) -> str:
    """Keep the files (and web addresses, fetched later) of one upload; returns the batch token."""
    purge_expired()
    token = secrets.token_hex(16)
    directory = _batch_dir(token)
    directory.mkdir(parents=True)
    manifest = {"user_id": user_id, "created": time.time(), "files": []}
    for index, (filename, data) in enumerate(files):
        (directory / f"{index}.bin").write_bytes(data)
        manifest["files"].append({"index": index, "filename": filename})
    for index, url in enumerate(urls, start=len(files)):
        manifest["files"].append({"index": index, "filename": url, "url": url})
    (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return token


def load_batch(token: str, *, user_id: int) -> list[StagedFile]:
    """The staged files of a batch; KeyError if unknown, expired or someone else's."""
    directory = _batch_dir(token)
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise KeyError(token) from None
    if manifest["user_id"] != user_id or time.time() - manifest["created"] > STAGING_MAX_AGE:
        raise KeyError(token)
    return [_staged(directory, token, f) for f in manifest["files"]]


def _staged(directory: Path, token: str, entry: dict) -> StagedFile:
    index, url = entry["index"], entry.get("url", "")
    data_path = directory / f"{index}.bin"
    staged = StagedFile(index=index, filename=entry["filename"], data=b"", token=token, url=url)
    if url:
        fetched = directory / f"{index}.fetched.json"
        if fetched.exists():
            facts = json.loads(fetched.read_text(encoding="utf-8"))
            staged.filename, staged.final_url = facts["filename"], facts["final_url"]
            staged.data = data_path.read_bytes()
    else:
        staged.data = data_path.read_bytes()
    return staged


def ingest_once(staged: StagedFile) -> IngestedText:
    """The file's extracted text, parsed on the first call and read back on later ones.

    A file the parser refused stays refused (the IngestError is kept too).
    """
    cache = _batch_dir(staged.token) / f"{staged.index}.ingested.json"
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = None
    if kept is not None:
        if "error" in kept:
            raise IngestError(kept["error"], kept["message"])
        return IngestedText(**kept)
    try:
        ingested = ingest_bytes(staged.data, filename=staged.filename, max_bytes=settings.ARCHIVE_MAX_UPLOAD_BYTES)
    except IngestError as exc:
        _write_atomically(cache, {"error": exc.code, "message": exc.message})
        raise
    _write_atomically(cache, _ingested_json(ingested))
    return ingested


# A background run that left no result after this long died with its process (a restarted
# worker): the preview reports it instead of waiting for ever.
def _stale_after() -> float:
    return ingest.OCR_SECONDS + ingest.CONVERT_SECONDS + 300


def ingest_status(staged: StagedFile) -> tuple[IngestedText | None, dict | None]:
    """(result, None) when the file is read; (None, progress) while it is being read in the
    background (started here when it needs to be).  IngestError when it was refused."""
    directory = _batch_dir(staged.token)
    cache = directory / f"{staged.index}.ingested.json"
    if cache.exists():
        return ingest_once(staged), None
    running = directory / f"{staged.index}.running"
    if not staged.url and not running.exists() and not ocr_probe(staged.data):
        return ingest_once(staged), None  # quick: read it now
    try:
        fd = os.open(running, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        if time.time() - running.stat().st_mtime > _stale_after() and not cache.exists():
            _write_atomically(cache, {"error": "interrupted", "message": "后台处理意外中断，请重新上传。"})
            return ingest_once(staged), None
    else:
        os.close(fd)
        threading.Thread(target=_work, args=(staged, directory), daemon=True, name="staging-ingest").start()
    return None, read_progress(directory / f"{staged.index}.progress.json", staged)


def read_progress(path: Path, staged: StagedFile) -> dict:
    try:
        progress = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        progress = {}
    if "total" in progress:
        progress["label"] = f"正在进行 OCR 识别：已完成 {progress['done']}/{progress['total']} 页"
    elif staged.url and not staged.final_url:
        progress["label"] = "正在获取网址内容"
    else:
        progress["label"] = "正在读取文件"
    return progress


def _work(staged: StagedFile, directory: Path) -> None:
    """The background half of ingest_status: fetch (for a web address) and ingest."""
    cache = directory / f"{staged.index}.ingested.json"
    progress = directory / f"{staged.index}.progress.json"
    try:
        if staged.url:
            _fetch_into(staged, directory)
        ingested = ingest_bytes(
            staged.data, filename=staged.filename, max_bytes=settings.ARCHIVE_MAX_UPLOAD_BYTES,
            progress_path=str(progress),
        )
    except IngestError as exc:
        _write_atomically(cache, {"error": exc.code, "message": exc.message})
    except Exception:  # noqa: BLE001 - a bug must end as a message, not as a preview that waits for ever
        logger.exception("background ingest of %s failed", staged.filename)
        _write_atomically(cache, {"error": "internal", "message": "处理文件时发生内部错误，未作任何改动。"})
    else:
        _write_atomically(cache, _ingested_json(ingested))
    finally:
        (directory / f"{staged.index}.running").unlink(missing_ok=True)


def _fetch_into(staged: StagedFile, directory: Path) -> None:
    from reports.provenance import capture_to_json

    fetched = fetch_report(staged.url, limits=_fetch_limits())
    (directory / f"{staged.index}.bin").write_bytes(fetched.report.body)
    captures = [capture_to_json(c) for c in fetched.captures]
    (directory / f"{staged.index}.captures.json").write_text(json.dumps(captures), encoding="utf-8")
    report = fetched.report
    staged.data, staged.filename, staged.final_url = report.body, report.filename, report.final_url
    _write_atomically(
        directory / f"{staged.index}.fetched.json", {"filename": staged.filename, "final_url": staged.final_url}
    )


def _fetch_limits():
    from reports.ingest.url import FetchLimits

    return FetchLimits(max_bytes=settings.ARCHIVE_MAX_UPLOAD_BYTES)


def _ingested_json(ingested: IngestedText) -> dict:
    return {
        "text": ingested.text, "format": ingested.format, "encoding": ingested.encoding,
        "warnings": ingested.warnings, "page_meta": ingested.page_meta,
    }


def _write_atomically(path: Path, value: dict) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def discard_batch(token: str) -> None:
    try:
        shutil.rmtree(_batch_dir(token), ignore_errors=True)
    except KeyError:
        pass


def purge_expired() -> None:
    root = staging_root()
    if not root.exists():
        return
    now = time.time()
    for directory in root.iterdir():
        if directory.is_dir() and now - directory.stat().st_mtime > STAGING_MAX_AGE:
            shutil.rmtree(directory, ignore_errors=True)
