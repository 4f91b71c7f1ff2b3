"""Where a fetched report came from: its HTTP responses kept as WARC records (ISO 28500).

Each ``ingest.url.Capture`` becomes a ``models.Capture`` row (final URL, fetch time, status,
headers, checksum) plus a gzipped WARC file holding the ``response`` record (status line,
headers and the body as received), written by warcio so any WARC tool (pywb, warcio's
``index``/``extract``) can read it.  Staging keeps captures between the fetch and the save
as JSON + body files (``capture_to_json``/``capture_from_json``).
"""

from __future__ import annotations

import base64
import io
from datetime import datetime

from django.core.files.base import ContentFile

from reports.ingest.url import Capture as FetchedCapture
from reports.models import Capture, Report

# Transfer framing httpx has already undone; the WARC body is the decoded entity.
_FRAMING_HEADERS = {"transfer-encoding", "content-encoding", "content-length"}


def warc_bytes(capture: FetchedCapture) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = [(k, v) for k, v in capture.headers if k.lower() not in _FRAMING_HEADERS]
    headers.append(("Content-Length", str(len(capture.body))))
    http_headers = StatusAndHeaders(f"{capture.status} {capture.reason}".strip(), headers, protocol="HTTP/1.1")
    warc_headers = {
        "WARC-Date": capture.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "WARC-Payload-Digest": "sha256:" + capture.sha256,
    }
    if capture.ip_address:
        warc_headers["WARC-IP-Address"] = capture.ip_address
    record = writer.create_warc_record(
        capture.final_url, "response", payload=io.BytesIO(capture.body), http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )
    writer.write_record(record)
    return buffer.getvalue()


def store_captures(report: Report, captures: list[FetchedCapture]) -> list[Capture]:
    """Rows and WARC files for the captures of one import (inside its transaction)."""
    stored = []
    for capture in captures:
        row = Capture(
            report=report, role=capture.role, url=capture.url[:2000], final_url=capture.final_url[:2000],
            fetched_at=capture.fetched_at, status=capture.status, headers=[list(h) for h in capture.headers],
            checksum=capture.sha256, size=len(capture.body), content_type=capture.header("content-type")[:200],
            ip_address=capture.ip_address or None, redirects=capture.redirects,
        )
        row.warc_file.save(f"{capture.role}.warc.gz", ContentFile(warc_bytes(capture)), save=False)
        row.save()
        stored.append(row)
    return stored


def capture_to_json(capture: FetchedCapture) -> dict:
    return {
        "url": capture.url, "final_url": capture.final_url, "status": capture.status, "reason": capture.reason,
        "headers": capture.headers, "fetched_at": capture.fetched_at.isoformat(), "ip_address": capture.ip_address,
        "redirects": capture.redirects, "role": capture.role, "body": base64.b64encode(capture.body).decode("ascii"),
    }


def capture_from_json(value: dict) -> FetchedCapture:
    return FetchedCapture(
        url=value["url"], final_url=value["final_url"], status=value["status"], reason=value["reason"],
        headers=[tuple(h) for h in value["headers"]], fetched_at=datetime.fromisoformat(value["fetched_at"]),
        body=base64.b64decode(value["body"]), ip_address=value["ip_address"], redirects=value["redirects"],
        role=value["role"],
    )
