"""Run one extractor in a child process with CPU-time and address-space limits.

Parsers of compressed formats (PDF streams, .docx/OFD zip parts) can be made to expand a
small file into gigabytes, and a parser bug can loop.  The child is forked (so nothing is
re-imported and the file's bytes need not be copied), sets ``RLIMIT_CPU`` and ``RLIMIT_AS``
on itself and sends back either the extracted text or the IngestError; the parent waits at
most ``wall_seconds`` and kills it after that.  Whatever happens, the parent only ever sees
an ``IngestedText`` or an ``IngestError`` with a Chinese message, and the memory is given
back to the system when the child exits.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal

from reports.ingest.base import IngestedText, IngestError, Limits, _err, _size_label

_KILLED_CPU = "解析{label}耗时超过上限（{seconds} 秒 CPU 时间），已中止，未作任何改动。"
_KILLED_WALL = "解析{label}超过 {seconds} 秒仍未完成，已中止，未作任何改动。"
_KILLED_MEMORY = "{label}解压或解析所需内存超过上限（{size}），已中止，未作任何改动。"
_TOO_MANY_CHARS = "从{label}中提取的文字超过 {chars} 字的上限，可能是异常文件，未作任何改动。"


def _address_space_in_use() -> int:
    """This process's virtual size: the fork inherits the parent's mappings, so the limit is
    the budget on top of what is already mapped."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def check_text_size(result: IngestedText, limits: Limits, label: str) -> None:
    if len(result.text) > limits.max_text_chars:
        raise _err("too_large", _TOO_MANY_CHARS.format(label=label, chars=f"{limits.max_text_chars:,}"))


def _child(conn, extract, data: bytes, limits: Limits, label: str) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 2))
        budget = _address_space_in_use() + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        try:
            result = extract(data, limits)
            check_text_size(result, limits, label)
            message = ("ok", result)
        except IngestError as exc:
            message = ("error", exc.code, exc.message)
        except MemoryError:
            message = ("memory",)
        except Exception as exc:  # noqa: BLE001 - an extractor bug must not reach the admin as a 500
            message = ("error", "unknown_format", f"{label}无法解析（{type(exc).__name__}），未作任何改动。")
        try:
            conn.send(message)
        except MemoryError:
            conn.send(("memory",))
    finally:
        conn.close()
        os._exit(0)  # no atexit handlers, no flushing of the parent's inherited buffers


def run_isolated(extract, data: bytes, limits: Limits, *, label: str) -> IngestedText:
    """``extract(data, limits)`` in a limited child; IngestError past any limit."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, extract, data, limits, label), daemon=True)
    process.start()
    sender.close()
    try:
        if receiver.poll(limits.wall_seconds):
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                message = None  # the child died before it could answer (killed by a limit)
        else:
            process.kill()
            raise _err("timeout", _KILLED_WALL.format(label=label, seconds=limits.wall_seconds))
    finally:
        receiver.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    if message is None:
        if process.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _err("timeout", _KILLED_CPU.format(label=label, seconds=limits.cpu_seconds))
        raise _err("too_large", _KILLED_MEMORY.format(label=label, size=_size_label(limits.memory_bytes)))
    if message[0] == "ok":
        return message[1]
    if message[0] == "memory":
        raise _err("too_large", _KILLED_MEMORY.format(label=label, size=_size_label(limits.memory_bytes)))
    raise _err(message[1], message[2])
