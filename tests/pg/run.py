"""Run a command with DATABASE_URL pointing at a throw-away PostgreSQL server.

    python -m tests.pg.run -- python -m pytest --db-only -m "not browser"

The server is started before the command and stopped after it, also when the command fails
or this runner is interrupted (SIGINT/SIGTERM).  The command's exit code is returned.  With
``--if-unset``, an already exported DATABASE_URL is used as is and no server is started.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile

from tests.pg.server import temporary_postgres


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dbname", default="fazhi", help="database to create (default: fazhi)")
    parser.add_argument("--if-unset", action="store_true",
                        help="use an exported DATABASE_URL instead of starting a server")
    parser.add_argument("--ephemeral-data", action="store_true",
                        help="with a temporary server, also use a temporary ARCHIVE_DATA_DIR "
                             "(search index, originals), removed at the end")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    if args.if_unset and os.environ.get("DATABASE_URL"):
        return subprocess.call(command)

    signal.signal(signal.SIGTERM, _terminate)
    child: subprocess.Popen | None = None
    try:
        with temporary_postgres(dbname=args.dbname) as url, tempfile.TemporaryDirectory(
            prefix="fazhi-pg-data-"
        ) as data_dir:
            print(f"tests.pg: PostgreSQL at {url}", file=sys.stderr, flush=True)
            env = {**os.environ, "DATABASE_URL": url}
            if args.ephemeral_data:
                env["ARCHIVE_DATA_DIR"] = data_dir
            child = subprocess.Popen(command, env=env)
            return child.wait()
    except KeyboardInterrupt:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        return 130


if __name__ == "__main__":
    sys.exit(main())
