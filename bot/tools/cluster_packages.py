"""The Debian packages `make cluster` runs (PostgreSQL, Redis, nginx): finding their
programs, installing them when missing (as .ci/run does for Chromium), and the system
users the servers run as when the cluster is started by root."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from typing import Callable, List, Optional

PACKAGES = ("postgresql", "redis-server", "nginx")


class ClusterError(RuntimeError):
    """A problem an operator can fix, said in one line."""


def postgres_bin() -> Optional[Path]:
    """Debian's server binaries (/usr/lib/postgresql/<version>/bin), newest first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[4]), reverse=True)
    return Path(found[0]).parent if found else None


def missing_programs(need_postgres: bool = True, need_redis: bool = True) -> List[str]:
    missing = []
    if need_postgres and postgres_bin() is None:
        missing.append("postgresql")
    if need_redis and not shutil.which("redis-server"):
        missing.append("redis-server")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx")
    return missing


def ensure_packages(need_postgres: bool = True, need_redis: bool = True, log: Callable[[str], None] = print) -> None:
    """Installs Debian's packages when missing (as .ci/run does for Chromium), or says how."""
    missing = missing_programs(need_postgres, need_redis)
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise ClusterError(f"{', '.join(missing)} missing: install with `sudo apt-get install {' '.join(PACKAGES)}`")
    log(f"Harbour: installing {' '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise ClusterError(f"`{' '.join(command)}` failed: {result.stderr.strip()[-500:]}")
    still = missing_programs(need_postgres, need_redis)
    if still:
        raise ClusterError(f"{', '.join(still)} still missing after apt-get install")


def service_user(name: str) -> Optional[str]:
    """Servers that refuse root (PostgreSQL) or should not keep it run as their own user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(name)
    except KeyError:
        if name == "postgres":
            raise ClusterError("running as root, but there is no `postgres` user to run PostgreSQL as") from None
        return None
    return name


def give(path: Path, user: Optional[str]) -> None:
    if user:
        entry = pwd.getpwnam(user)
        for item in [path, *path.rglob("*")]:
            os.chown(item, entry.pw_uid, entry.pw_gid)
