"""`make cluster`: Harbour past one machine, on one machine, without Docker.

PostgreSQL (tracker store), Redis (lock store, shared rate limits), nginx (the only public
port), N web apps, N Rasa servers, M action servers and the daily retention job, as local
processes on loopback, from Debian's `postgresql`, `redis-server` and `nginx` packages
(installed when missing and running as root). The topology and the nginx configuration
come from bot/tools/cluster_topology.py, which deploy/compose.yml mirrors.

    python -m bot.tools.cluster                          # 2 web apps, 2 Rasa, 2 action servers
    python -m bot.tools.cluster --web 3 --rasa 3 --actions 2 --port 8080 --data var/cluster

Ctrl-C stops everything. The data folder (PostgreSQL's files and its generated password)
is kept, so a second run carries on with the same conversations. HARBOUR_DB_URL or
HARBOUR_REDIS_URL, when set, point at an existing PostgreSQL or Redis instead of starting
one; if either does not answer, the start stops with one line naming its host and port.
The tests (tests/cluster/) and `make bench-scale` use `running_cluster`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import requests

from bot import settings
from bot.paths import ROOT
from bot.rasa.channel_secret import kept_secret
from bot.tools.cluster_packages import ClusterError, ensure_packages, give, postgres_bin, service_user
from bot.tools.cluster_topology import ENDPOINTS, Topology, local_nginx
from bot.tools.preflight import Unreachable, check_database, check_redis
from bot.tools.stack import rasa_env

DB_USER = "harbour"
DB_NAME = "harbour"
STOP_ORDER = ("web", "retention", "rasa", "actions", "nginx", "redis", "postgres")


class Cluster:
    """The processes of one cluster, by name: postgres, redis, nginx, actions-1, rasa-1, web-1, ..."""

    def __init__(
        self,
        topology: Topology,
        data: Path,
        model: Path,
        db_url: str = "",
        redis_url: str = "",
        extra_env: Optional[Dict[str, str]] = None,
        log: Callable[[str], None] = print,
    ) -> None:
        self.topology, self.data, self.model, self.log = topology, data.resolve(), model, log
        self.external_db, self.external_redis = bool(db_url), bool(redis_url)
        self.db_url = db_url or topology.database_url(self._password())
        self.redis_url = redis_url or topology.redis_url(1)
        self.extra_env = extra_env or {}
        self.processes: Dict[str, subprocess.Popen] = {}
        self.stopped: set = set()
        (self.data / "logs").mkdir(parents=True, exist_ok=True)

    # --- the pieces -------------------------------------------------------------------

    def _password(self) -> str:
        """Generated once and kept in the data folder (mode 600), so a second run reuses it."""
        path = self.data / "secrets" / "db_password"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.parent.chmod(0o700)
            path.write_text(secrets.token_urlsafe(24))
            path.chmod(0o600)
        return path.read_text().strip()

    def _spawn(self, name: str, command: List[str], env: Optional[Dict[str, str]] = None, user: Optional[str] = None):
        log = open(self.data / "logs" / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=user,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops them in order
        )
        log.close()
        self.stopped.discard(name)

    def _postgres_dir(self) -> Path:
        return self.data / "postgres"

    def _init_postgres(self, user: Optional[str]) -> None:
        pgdata = self._postgres_dir()
        if (pgdata / "PG_VERSION").exists():
            return
        self.log(f"Harbour: creating the PostgreSQL data folder {pgdata}")
        pgdata.mkdir(parents=True, exist_ok=True)
        pgdata.chmod(0o700)
        password_file = self.data / "postgres.pw"
        password_file.write_text(self._password())
        password_file.chmod(0o600)
        give(pgdata, user)
        give(password_file, user)
        if user:  # PostgreSQL's user must reach its folder
            self.data.chmod(self.data.stat().st_mode | 0o711)
            closed = [p for p in self.data.parents if p.stat().st_mode & 0o001 == 0]
            if closed:
                raise ClusterError(
                    f"PostgreSQL runs as `{user}`, which cannot enter {closed[0]}: choose a --data folder "
                    f"it can reach (e.g. under /var/lib or /tmp), or `chmod o+x {closed[0]}`"
                )
        try:
            result = subprocess.run(
                [
                    str(postgres_bin() / "initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    DB_USER,
                    "--auth=scram-sha-256",
                    f"--pwfile={password_file}",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-instructions",
                ],
                capture_output=True,
                text=True,
                user=user,
                cwd="/",
            )
        finally:
            password_file.unlink()
        if result.returncode != 0:
            shutil.rmtree(pgdata, ignore_errors=True)
            raise ClusterError(f"initdb failed: {result.stderr.strip()[-500:]}")

    def start_postgres(self) -> None:
        user = service_user("postgres")
        self._init_postgres(user)
        command = [
            str(postgres_bin() / "postgres"),
            "-D",
            str(self._postgres_dir()),
            "-c",
            f"listen_addresses={self.topology.host}",
            "-p",
            str(self.topology.postgres_port),
            "-c",
            "unix_socket_directories=",
            "-c",
            "max_connections=300",
        ]
        self._spawn("postgres", command, user=user)
        self._wait("PostgreSQL", lambda: self._database_ready(), timeout=60)

    def _database_ready(self) -> bool:
        import psycopg2

        try:
            connection = psycopg2.connect(
                host=self.topology.host,
                port=self.topology.postgres_port,
                user=DB_USER,
                password=self._password(),
                dbname="postgres",
                connect_timeout=2,
            )
        except psycopg2.OperationalError:
            return False
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,))
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {DB_NAME}")
        connection.close()
        return True

    def start_redis(self) -> None:
        user = service_user("redis")
        folder = self.data / "redis"
        folder.mkdir(exist_ok=True)
        give(folder, user)
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.topology.redis_port),
            "--bind",
            self.topology.host,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
            "--loglevel",
            "warning",
        ]
        self._spawn("redis", command, user=user)
        self._wait("Redis", lambda: self._answers(check_redis, self.redis_url), timeout=30)

    def start_nginx(self) -> None:
        user = service_user("www-data") or service_user("nobody")
        temp = self.data / "nginx-temp"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (temp / name).mkdir(parents=True, exist_ok=True)
        give(temp, user)
        conf = self.data / "nginx.conf"
        conf.write_text(local_nginx(self.topology, str(self.data), user))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        error_log = str(self.data / "logs" / "nginx-error.log")
        check = subprocess.run(
            [nginx, "-t", "-q", "-p", str(self.data), "-c", str(conf), "-e", error_log], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise ClusterError(f"nginx refused its configuration: {check.stderr.strip()[-500:]}")
        self._spawn("nginx", [nginx, "-p", str(self.data), "-c", str(conf), "-e", error_log, "-g", "daemon off;"])

    def harbour_env(self, kind: str, port: int) -> Dict[str, str]:
        env = rasa_env()  # every setting from the environment, else its default (bot/settings.py)
        env.update(
            self.topology.environment(
                kind,
                port,
                self.db_url,
                self.redis_url,
                retention_days=env["RETENTION_DAYS"],
                purge_every=env["HARBOUR_PURGE_EVERY_SECONDS"],
                session_secret=self.session_secret() if kind == "web" else "",
                channel_secret=self.channel_secret() if kind in ("web", "rasa", "actions") else "",
            )
        )
        env.update(HARBOUR_MODEL=str(self.model), HARBOUR_DB_URL=self.db_url)
        env.update(self.extra_env)
        return env

    def session_secret(self) -> str:
        """One secret for all web apps, made once and kept in the data directory."""
        path = self.data / "session-secret"
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def channel_secret(self) -> str:
        """The secret the web apps send Rasa's REST channel (bot/rasa/channel_secret.py): made
        once and kept in the data directory, like the session secret."""
        return kept_secret(self.data / "channel-secret")

    def command(self, kind: str, port: int) -> List[str]:
        py = sys.executable
        if kind == "actions":
            return [py, "-m", "bot.rasa.rasa_sdk_server", "--actions", "actions", "--port", str(port)]
        if kind == "rasa":
            return [
                py, "-m", "bot.rasa.launcher", "run", "--model", str(self.model), "--interface", self.topology.host,
                "--port", str(port), "--credentials", "credentials.yml", "--endpoints", ENDPOINTS,
            ]  # fmt: skip
        if kind == "web":
            return [py, "-m", "bot.web"]
        return [
            py,
            "-m",
            "bot.privacy.retention",
            "--every",
            self.harbour_env(kind, port)["HARBOUR_PURGE_EVERY_SECONDS"],
        ]

    def names(self) -> Dict[str, tuple]:
        """{name: (kind, port)} of Harbour's processes: actions-1, rasa-1, web-1, retention."""
        counts: Dict[str, int] = {}
        out = {}
        for kind, port in self.topology.processes():
            counts[kind] = counts.get(kind, 0) + 1
            out[kind if kind == "retention" else f"{kind}-{counts[kind]}"] = (kind, port)
        return out

    def start_harbour(self, name: str) -> None:
        kind, port = self.names()[name]
        self._spawn(name, self.command(kind, port), env=self.harbour_env(kind, port))

    # --- the whole ----------------------------------------------------------------------

    def _check_stores(self, external_only: bool) -> None:
        for url, check, external in (
            (self.db_url, check_database, self.external_db),
            (self.redis_url, check_redis, self.external_redis),
        ):
            if external or not external_only:
                try:
                    check(url)
                except Unreachable as problem:
                    raise ClusterError(str(problem)) from None

    def start(self, timeout: float = 600) -> None:
        self._check_stores(external_only=True)  # an operator's PostgreSQL or Redis: before anything starts
        ensure_packages(not self.external_db, not self.external_redis, self.log)
        if not self.external_db:
            self.start_postgres()
        if not self.external_redis:
            self.start_redis()
        self._check_stores(external_only=False)
        self.start_nginx()
        for name in self.names():
            self.start_harbour(name)
        started = time.monotonic()
        for name, (kind, port) in self.names().items():
            path = {"actions": "/health", "rasa": "/webhooks/rest/", "web": "/healthz"}.get(kind)
            if path:
                url = f"http://{self.topology.host}:{port}{path}"
                left = max(5.0, timeout - (time.monotonic() - started))
                self._wait(name, lambda url=url: self._http_ok(url), timeout=left, process=name)
        self._wait("the first reply through nginx", self._probe, timeout=60)

    def _probe(self) -> bool:
        try:
            issued = requests.post(f"{self.topology.public_url}/api/session", timeout=10)
            if issued.status_code != 201:
                return False
            reply = requests.post(
                f"{self.topology.public_url}/api/chat",
                json={"session": issued.json()["session"], "message": "hello"},
                timeout=30,
            )
        except (requests.RequestException, ValueError, KeyError):
            return False
        return reply.status_code == 200

    @staticmethod
    def _http_ok(url: str) -> bool:
        try:
            return requests.get(url, timeout=5).status_code == 200
        except requests.RequestException:
            return False

    @staticmethod
    def _answers(check, url: str) -> bool:
        try:
            check(url, 2)
            return True
        except Unreachable:
            return False

    def _wait(self, what: str, ready: Callable[[], bool], timeout: float, process: Optional[str] = None) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            for name, proc in self.processes.items():
                if proc.poll() is not None and name not in self.stopped:
                    tail = self.log_tail(name)
                    raise ClusterError(f"{name} stopped while waiting for {what} (log: {tail})")
            if time.monotonic() > deadline:
                tail = self.log_tail(process) if process else ""
                raise ClusterError(f"{what} not ready after {timeout:.0f} s {tail}")
            time.sleep(0.3)

    def log_tail(self, name: str, chars: int = 1500) -> str:
        path = self.data / "logs" / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def stop_service(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        proc = self.processes.get(name)
        self.stopped.add(name)
        if proc is None or proc.poll() is not None:
            return
        if name == "postgres" and sig == signal.SIGTERM:
            sig = signal.SIGINT  # PostgreSQL's fast shutdown
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def start_service(self, name: str) -> None:
        if name == "postgres":
            self.start_postgres()
        elif name == "redis":
            self.start_redis()
        elif name == "nginx":
            self.start_nginx()
        else:
            self.start_harbour(name)

    def stop(self) -> None:
        for kind in STOP_ORDER:
            for name in [n for n in self.processes if n.split("-")[0] == kind]:
                self.stop_service(name)

    def supervise(self) -> None:
        """Restarts a process that stops by itself, after a short pause, until Ctrl-C."""
        while True:
            time.sleep(1)
            for name, proc in list(self.processes.items()):
                if proc.poll() is not None and name not in self.stopped:
                    self.log(f"Harbour: {name} stopped (exit {proc.returncode}); restarting it in 5 seconds.")
                    time.sleep(5)
                    try:
                        self.start_service(name)
                    except ClusterError as problem:
                        self.log(f"Harbour: {problem}")


@contextmanager
def running_cluster(
    model: Path, data: Path, topology: Optional[Topology] = None, timeout: float = 600, **extra_env: str
) -> Iterator[Cluster]:
    """Starts a cluster (for tests and `make bench-scale`), stops it on leaving."""
    cluster = Cluster(topology or Topology(), data, model, extra_env=extra_env, log=lambda _: None)
    try:
        cluster.start(timeout=timeout)
        yield cluster
    finally:
        cluster.stop()


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", type=int, default=2, help="web apps (default 2)")
    parser.add_argument("--rasa", type=int, default=2, help="Rasa servers (default 2)")
    parser.add_argument("--actions", type=int, default=2, help="action servers (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's public port on loopback (default 8080)")
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "cluster", help="kept between runs")
    args = parser.parse_args(argv)
    try:
        config = settings.load()
    except ValueError as bad:
        print(f"Harbour: {bad}", file=sys.stderr)
        return 2
    model = Path(config.model)
    if not model.exists():
        print(f"Harbour: no trained model at {model}: run `make train` first", file=sys.stderr)
        return 2
    topology = Topology.sized(args.web, args.rasa, args.actions, args.port)
    cluster = Cluster(topology, args.data, model, db_url=config.db_url, redis_url=config.redis_url)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        cluster.start()
        print(
            f"Harbour cluster: {topology.public_url}/ (nginx) -> {len(topology.web_ports)} web apps -> "
            f"{len(topology.rasa_ports)} Rasa servers -> {len(topology.actions_ports)} action servers; "
            f"PostgreSQL :{topology.postgres_port}, Redis :{topology.redis_port}; logs in {args.data / 'logs'}. "
            "Ctrl-C stops all.",
            flush=True,
        )
        cluster.supervise()
    except ClusterError as problem:
        print(f"Harbour: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
