"""Uploaded files waiting for an admin's confirmation.

Between "upload" and "save" the admin looks at a preview, so the bytes must survive one
request.  They are kept under ARCHIVE_DATA_DIR/staging/<token>/ (never in the session, which
would put megabytes in a cookie or the database), bound to the uploading user, and removed on
confirmation, cancellation, or after STAGING_MAX_AGE.

What the parser made of each file is kept beside it (``<index>.ingested.json``), so that
reloading the preview or confirming does not decompress and parse the file again.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from reports.ingest import IngestedText, IngestError, ingest_bytes

STAGING_MAX_AGE = 24 * 3600
_TOKEN_ALPHABET = set("0123456789abcdef")


@dataclass
class StagedFile:
    index: int
    filename: str
    data: bytes
    token: str = ""

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def staging_root() -> Path:
    return Path(settings.ARCHIVE_DATA_DIR) / "staging"


def _batch_dir(token: str) -> Path:
    if len(token) != 32 or not set(token) <= _TOKEN_ALPHABET:
        raise KeyError(token)
    return staging_root() / token


def stage_files(files: list[tuple[str, bytes]], *, user_id: int) -> str:
    """Keep the files of one upload; returns the batch token."""
    purge_expired()
    token = secrets.token_hex(16)
    directory = _batch_dir(token)
    directory.mkdir(parents=True)
    manifest = {"user_id": user_id, "created": time.time(), "files": []}
    for index, (filename, data) in enumerate(files):
        (directory / f"{index}.bin").write_bytes(data)
        manifest["files"].append({"index": index, "filename": filename})
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
    return [
        StagedFile(
            index=f["index"], filename=f["filename"], data=(directory / f"{f['index']}.bin").read_bytes(),
            token=token,
        )
        for f in manifest["files"]
    ]


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
    _write_atomically(cache, {
        "text": ingested.text, "format": ingested.format, "encoding": ingested.encoding,
        "warnings": ingested.warnings, "page_meta": ingested.page_meta,
    })
    return ingested


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
