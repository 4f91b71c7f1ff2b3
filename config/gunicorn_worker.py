"""gunicorn's sync worker with a deadline on each client connection.

The stock sync worker reads a request with no time limit: a client that connects and then
sends nothing (an idle keep-alive connection, a slow-loris) keeps the worker inside
``recv`` even after SIGTERM, so its shutdown waited the whole ``graceful_timeout`` (30 s,
past a container's 10 s stop) and then it was SIGKILLed.  Here a connection that sends
nothing within ``CLIENT_READ_TIMEOUT`` seconds (``GUNICORN_CLIENT_TIMEOUT``, default 5) is
closed without a word, and every later read or write on it waits at most that long, so a
worker is never held by a silent client for longer.
"""

from __future__ import annotations

import os
import select

from gunicorn import util
from gunicorn.workers.sync import SyncWorker


def _seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


CLIENT_READ_TIMEOUT = _seconds("GUNICORN_CLIENT_TIMEOUT", 5.0)


class ReadDeadlineSyncWorker(SyncWorker):
    def accept(self, listener):
        client, addr = listener.accept()
        client.setblocking(1)
        util.close_on_exec(client)
        readable, _, _ = select.select([client], [], [], CLIENT_READ_TIMEOUT)
        if not readable:
            self.log.debug("Closing a connection that sent nothing: %s", addr)
            util.close(client)
            return
        client.settimeout(CLIENT_READ_TIMEOUT)
        self.handle(listener, client, addr)
