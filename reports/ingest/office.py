"""Word 97–2003 (.doc) and WPS 文字 (.wps) files, converted by LibreOffice headless.

``soffice --headless --convert-to docx`` turns the old binary format into .docx, which the
docx reader then handles like any upload (paragraphs, tables, text boxes), so both formats
share one reader.  antiword/catdoc were not used: they lose tables and do not read .wps.

Each call gets its own temporary directory holding the input, the output and a private
LibreOffice profile (``-env:UserInstallation``), so two conversions never share state and a
crashed one leaves no lock file behind; the directory is removed whatever happens.  soffice
runs in its own process group, killed whole when it exceeds ``Limits.convert_seconds``
(oosplash forks soffice.bin, which would otherwise survive its parent).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from reports.ingest.base import IngestedText, IngestError, Limits, _err
from reports.ingest.registry import Format

SOFFICE = "soffice"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main stream of a Word (and WPS 2003+) document, as named in the OLE directory.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_MISSING = "服务器未安装 LibreOffice（libreoffice-writer-nogui），无法读取 .doc/.wps 文件。请另存为 .docx 后再导入。"
_FAILED = "{label}无法转换（文件可能已损坏或加密），未作任何改动。请用 Word/WPS 打开后另存为 .docx 再导入。"


def detect(data: bytes, ext: str) -> bool:
    return data.startswith(_OLE) and _WORD_STREAM in data[:2 * 1024 * 1024]


def convert(data: bytes, *, suffix: str, target: str, limits: Limits, label: str) -> bytes:
    """``data`` converted by LibreOffice to ``target`` (e.g. "docx"); IngestError on failure."""
    if shutil.which(SOFFICE) is None:
        raise _err("convert_missing", _MISSING)
    with tempfile.TemporaryDirectory(prefix="archive-soffice-") as work:
        source = Path(work) / f"input{suffix}"
        source.write_bytes(data)
        outdir = Path(work) / "out"
        command = [
            SOFFICE, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            f"-env:UserInstallation=file://{work}/profile",
            "--convert-to", target, "--outdir", str(outdir), str(source),
        ]
        env = {**os.environ, "HOME": work, "SAL_USE_VCLPLUGIN": "svp"}
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True, cwd=work
        )
        try:
            process.communicate(timeout=limits.convert_seconds)
        except subprocess.TimeoutExpired:
            raise _err(
                "timeout", f"转换{label}超过 {limits.convert_seconds} 秒仍未完成，已中止，未作任何改动。"
            ) from None
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # the whole group: oosplash and soffice.bin
            except ProcessLookupError:
                pass
            process.wait()
        produced = sorted(outdir.glob(f"*.{target.split(':', 1)[0]}")) if outdir.exists() else []
        if not produced or produced[0].stat().st_size == 0:
            raise _err("convert_failed", _FAILED.format(label=label))
        return produced[0].read_bytes()


def _extract(data: bytes, limits: Limits | None = None) -> IngestedText:
    from reports.ingest.docx import FORMAT as DOCX

    limits = limits or Limits()
    label = FORMAT.label
    converted = convert(data, suffix=".doc", target="docx", limits=limits, label=label)
    try:
        result = DOCX.extract(converted, limits)
    except IngestError as exc:
        if exc.code.startswith("corrupt"):
            raise _err("convert_failed", _FAILED.format(label=label)) from None
        raise
    result.format = "doc"  # ingest_bytes names a .wps file "wps"
    result.warnings.insert(0, "文件已由 LibreOffice 转换后读取，请核对表格和编号。")
    return result


FORMAT = Format(
    name="doc", label="旧版 Word/WPS 文档",
    detect=detect,
    extract=_extract,
    extensions=(".doc", ".wps", ".dot"),
    slow=True,
)
