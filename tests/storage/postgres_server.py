"""A real PostgreSQL server for the tests: Debian's ``postgresql`` package (scripts/test.sh
installs it), ``initdb`` into a temporary folder — as the ``postgres`` user when the tests run
as root, since initdb refuses root —, listening on a Unix socket in that folder only, stopped
and removed at the end. No mock: a test that cannot start it fails and says why."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresServer:
    def __init__(self):
        initdb, self.pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if not initdb or not self.pg_ctl:
            raise RuntimeError("PostgreSQL's initdb and pg_ctl are not installed: run scripts/test.sh "
                               "(as root it installs Debian's postgresql) or apt-get install postgresql")
        self.folder = Path(tempfile.mkdtemp(prefix="khabar-pg-"))
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")
        self._run([initdb, "-D", str(self.data), "-U", "khabar", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        options = f"-k {self.folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run([self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"])
        self.count = 0

    def _run(self, command: list[str]) -> None:
        result = subprocess.run(self.as_user + command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.folder / "log"
            raise RuntimeError(f"{' '.join(command[:1])} failed: {result.stderr.strip() or result.stdout.strip()}"
                               + (f"\n{log.read_text()[-2000:]}" if log.is_file() else ""))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://khabar@/{database}?host={self.folder}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        self.count += 1
        name = f"test{self.count}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(self.as_user + [self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
