"""A throwaway PostgreSQL cluster for tests: initdb into a temp dir, a unix socket, torn down after."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

# Debian installs server binaries per major version, outside PATH.
PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin",)
# initdb + start take ~2 s here; a busy CI machine gets ten times that before we give up.
START_TIMEOUT_S = 30


def find_pg_bin() -> Path | None:
    """The newest server installation's bin folder, or one on PATH; None when there is none."""
    import glob

    found = sorted(glob.glob(PG_BIN_GLOBS[0]), key=lambda p: int(Path(p).parent.name) if
                   Path(p).parent.name.isdigit() else 0)
    if found:
        return Path(found[-1])
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def why_unavailable() -> str | None:
    """A reason to skip PostgreSQL tests, or None when a server can be started here."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (pip install -e '.[postgres]', or make setup)"
    if find_pg_bin() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl) on this machine (apt-get install postgresql)"
    return None


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root: run the server as the postgres system user when we are root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class Cluster:
    """One running server on a unix socket in its own temp dir."""

    root: Path
    bin: Path
    port: int = 5432

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def url(self, dbname: str = "postgres") -> str:
        user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
        return f"postgresql+psycopg://{user}@/{dbname}?host={self.socket_dir}&port={self.port}"

    def create_database(self, name: str | None = None) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        self._run(self.bin / "createdb", "-h", str(self.socket_dir), "-p", str(self.port), name)
        return self.url(name)

    def _run(self, *cmd) -> None:
        subprocess.run(_as_postgres([str(c) for c in cmd]), check=True, capture_output=True, text=True)

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.root / "data"),
                                     "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise RuntimeError(why_unavailable())
    root = Path(tempfile.mkdtemp(prefix="newsfacts-pg-"))
    (root / "sock").mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(root / "sock", "postgres")
        os.chmod(root, 0o755)
    cluster = Cluster(root, bin_dir)
    try:
        cluster._run(bin_dir / "initdb", "-D", root / "data", "-A", "trust", "-U", "postgres"
                     if os.geteuid() == 0 else os.environ.get("USER", "postgres"), "--no-sync", "-E", "UTF8")
        # no TCP listener: the socket in our own dir cannot clash with another server on this machine
        options = f"-k {root / 'sock'} -c listen_addresses='' -c fsync=off -c max_connections=50"
        cluster._run(bin_dir / "pg_ctl", "-D", root / "data", "-o", options, "-l", root / "server.log",
                     "-w", "-t", START_TIMEOUT_S, "start")
    except subprocess.CalledProcessError as exc:
        log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
        cluster.stop()
        raise RuntimeError(f"cannot start PostgreSQL: {exc.stderr or exc.stdout}{log}") from exc
    deadline = time.monotonic() + START_TIMEOUT_S
    while not any(cluster.socket_dir.glob(".s.PGSQL.*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    return cluster
