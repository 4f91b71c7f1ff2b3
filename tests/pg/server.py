"""A throw-away PostgreSQL server for tests and `make run-postgres`.

``temporary_postgres()`` runs initdb into a temporary directory, starts the server on a free
port of 127.0.0.1 (and a unix socket in that directory), creates a database and yields its
DATABASE_URL; on exit the server is stopped and the directory removed, whatever happened.

PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user
(``postgres`` if it exists, else ``nobody``) through runuser/setpriv, owning the directory.
Durability is switched off (fsync, full_page_writes): this server holds only test data.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bindir() -> Path:
    """Directory holding initdb/pg_ctl: $PG_BINDIR, PATH, or Debian's newest version."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)  # Debian links into its versioned dir
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    versions.sort(key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates.extend(Path(p) for p in reversed(versions))
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql "
        "or set PG_BINDIR"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> pwd.struct_passwd | None:
    """The user to run the server as, or None to run as ourselves (when not root)."""
    if os.geteuid() != 0:
        return None
    for name in (os.environ.get("PG_RUN_AS"), "postgres", "nobody"):
        if not name:
            continue
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresUnavailable("running as root and no unprivileged user (postgres/nobody) exists")


def _as_user(user: pwd.struct_passwd | None, argv: list[str]) -> list[str]:
    if user is None:
        return argv
    if shutil.which("runuser"):
        return ["runuser", "-u", user.pw_name, "--", *argv]
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", *argv]


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def _chown_tree(path: Path, user: pwd.struct_passwd | None) -> None:
    if user is None:
        return
    for root, dirs, files in os.walk(path):
        os.chown(root, user.pw_uid, user.pw_gid)
        for name in files:
            os.chown(os.path.join(root, name), user.pw_uid, user.pw_gid)


@contextmanager
def temporary_postgres(*, dbname: str = "fazhi", start_timeout: int = 60) -> Iterator[str]:
    """Start a private PostgreSQL server; yield ``postgres://...`` for database ``dbname``."""
    bindir = find_bindir()
    user = _server_user()
    workdir = Path(tempfile.mkdtemp(prefix="fazhi-pg-"))
    datadir, logfile = workdir / "data", workdir / "server.log"
    started = False
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PGDATA", None)
    try:
        os.chmod(workdir, 0o700)
        _chown_tree(workdir, user)
        # The server user must be able to reach the directory and run from a readable cwd.
        _run(
            _as_user(user, [str(bindir / "initdb"), "-D", str(datadir), "-U", SUPERUSER,
                            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]),
            cwd=workdir, env=env,
        )
        last_error: Exception | None = None
        for _attempt in range(3):  # a free port can be taken between probe and bind: retry
            port = free_port()
            options = (
                f"-p {port} -h 127.0.0.1 -k {workdir} -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=50"
            )
            try:
                _run(
                    _as_user(user, [str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(logfile),
                                    "-o", options, "-w", "-t", str(start_timeout), "start"]),
                    cwd=workdir, env=env,
                )
                started = True
                break
            except RuntimeError as exc:
                last_error = exc
                _stop(bindir, datadir, user, workdir, env)
        if not started:
            log = logfile.read_text(errors="replace") if logfile.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {last_error}\n{log}")

        _create_database(bindir, port, dbname, workdir, env)
        yield f"postgres://{SUPERUSER}@127.0.0.1:{port}/{dbname}"
    finally:
        if started:
            _stop(bindir, datadir, user, workdir, env)
        shutil.rmtree(workdir, ignore_errors=True)


def _create_database(bindir: Path, port: int, dbname: str, workdir: Path, env: dict) -> None:
    if (bindir / "createdb").is_file():
        _run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, dbname],
             cwd=workdir, env=env)
        return
    import psycopg  # the project's own driver; only needed when createdb is not installed

    with psycopg.connect(host="127.0.0.1", port=port, user=SUPERUSER, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')


def _stop(bindir: Path, datadir: Path, user, workdir: Path, env: dict) -> None:
    if not (datadir / "postmaster.pid").exists():
        return
    subprocess.run(
        _as_user(user, [str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w",
                        "-t", "30", "stop"]),
        cwd=workdir, env=env, capture_output=True, text=True,
    )
    # Belt and braces: never leave a server behind.
    deadline = time.monotonic() + 10
    while (datadir / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        pid = int((datadir / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError, IndexError):
        pass
