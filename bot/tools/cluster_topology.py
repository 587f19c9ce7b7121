"""The one description of Harbour past one machine: which services run, on which ports,
with which environment, and the nginx configuration that joins them.

`make cluster` (bot/tools/cluster.py) starts it as local processes on loopback;
deploy/compose.yml describes the same services for operators, and
tests/unit/tools/test_cluster_topology.py checks that the two agree (services, ports and
variable names), and that deploy/nginx.conf is what `render_nginx(compose=True)` writes.

    nginx :8080 (public) --round robin--> web apps --> nginx :5004 --hash of the conversation--> Rasa servers
    Rasa servers --> nginx :5054 --round robin--> action servers
    Rasa servers --> PostgreSQL (tracker store) and Redis (lock store); web apps --> Redis (rate limits)
    retention job --> PostgreSQL (the daily purge)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

# Services, in the order they start (and the reverse of the order they stop).
KINDS = ("postgres", "redis", "nginx", "actions", "rasa", "web", "retention")
HARBOUR_KINDS = ("actions", "rasa", "web", "retention")  # Harbour's own processes
# Inside compose every service has its own address, so each listens on its usual port.
COMPOSE_PORTS = {"public": 8080, "rasa_lb": 5004, "actions_lb": 5054, "web": 8000, "rasa": 5005, "actions": 5055}
# The Rasa endpoints (PostgreSQL tracker store, Redis lock store, actions through nginx).
ENDPOINTS = "deploy/endpoints.yml"
# A ticket held by a Rasa server that died expires after this many seconds, so the server
# taking over its conversations waits at most this long (Rasa's default is 60).
LOCK_LIFETIME_SECONDS = 10
# Each Rasa server keeps the conversations it saved in memory for this long, and serves
# one only after an indexed query shows no other server saved it since
# (bot/rasa/tracker_store.py).
TRACKER_CACHE_SECONDS = 600

# The variables each Harbour service is given (besides RASA_TELEMETRY_ENABLED=false and the
# defaults in bot/settings.py). Compose sets exactly these too.
ENVIRONMENT = {
    # The action servers answer only Rasa servers that send the shared secret.
    "actions": ("ACTIONS_PORT", "SANIC_HOST", "HARBOUR_CHANNEL_SECRET"),
    "rasa": (
        "RASA_PORT",
        "HARBOUR_DB_URL",
        "HARBOUR_REDIS_URL",
        "HARBOUR_ACTIONS_URL",
        "HARBOUR_TRACKER_CACHE_SECONDS",
        "TICKET_LOCK_LIFETIME",
        "RETENTION_DAYS",
        # The secret only the web apps and action servers know: Rasa's REST channel answers
        # nobody else, and Rasa sends it to the action servers (deploy/endpoints.yml).
        "HARBOUR_CHANNEL_SECRET",
    ),
    "web": (
        "WEB_HOST",
        "WEB_PORT",
        "HARBOUR_RASA_URL",
        "HARBOUR_RATE_STORAGE",
        "SANIC_PROXIES_COUNT",
        "SANIC_REAL_IP_HEADER",
        # One secret for every web app, so each verifies the others' sessions; nginx is the
        # proxy whose X-Forwarded-For the rate limits trust; Clear chat and insight use PostgreSQL.
        "HARBOUR_SESSION_SECRET",
        "HARBOUR_TRUSTED_PROXIES",
        "HARBOUR_DB_URL",
        "HARBOUR_CHANNEL_SECRET",
    ),
    "retention": ("HARBOUR_DB_URL", "RETENTION_DAYS", "HARBOUR_PURGE_EVERY_SECONDS"),
}


@dataclass(frozen=True)
class Topology:
    """Where everything listens when the cluster runs on one machine."""

    web_ports: Tuple[int, ...] = (8101, 8102)
    rasa_ports: Tuple[int, ...] = (5101, 5102)
    actions_ports: Tuple[int, ...] = (5201, 5202)
    public_port: int = 8080
    rasa_lb_port: int = 5004
    actions_lb_port: int = 5054
    postgres_port: int = 5433
    redis_port: int = 6380
    host: str = "127.0.0.1"
    extra: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def sized(cls, web: int = 2, rasa: int = 2, actions: int = 2, public_port: int = 8080) -> "Topology":
        return cls(
            web_ports=tuple(8101 + i for i in range(web)),
            rasa_ports=tuple(5101 + i for i in range(rasa)),
            actions_ports=tuple(5201 + i for i in range(actions)),
            public_port=public_port,
        )

    @property
    def public_url(self) -> str:
        return f"http://{self.host}:{self.public_port}"

    @property
    def rasa_lb_url(self) -> str:
        return f"http://{self.host}:{self.rasa_lb_port}"

    def database_url(self, password: str, database: str = "harbour", user: str = "harbour") -> str:
        return f"postgresql://{user}:{password}@{self.host}:{self.postgres_port}/{database}"

    def redis_url(self, db: int) -> str:
        return f"redis://{self.host}:{self.redis_port}/{db}"

    def processes(self) -> List[Tuple[str, int]]:
        """(kind, port) of each Harbour process."""
        return (
            [("actions", p) for p in self.actions_ports]
            + [("rasa", p) for p in self.rasa_ports]
            + [("web", p) for p in self.web_ports]
            + [("retention", 0)]
        )

    def environment(
        self,
        kind: str,
        port: int,
        db_url: str,
        redis_url: str,
        retention_days: str = "30",
        purge_every: str = "86400",
        session_secret: str = "",
        channel_secret: str = "",
    ) -> Dict[str, str]:
        """The variables ENVIRONMENT[kind] names, with their values on this machine."""
        values = {
            "ACTIONS_PORT": str(port),
            "SANIC_HOST": self.host,
            "RASA_PORT": str(port),
            "HARBOUR_DB_URL": db_url,
            "HARBOUR_REDIS_URL": redis_url,
            "HARBOUR_ACTIONS_URL": f"http://{self.host}:{self.actions_lb_port}/webhook",
            "HARBOUR_TRACKER_CACHE_SECONDS": str(TRACKER_CACHE_SECONDS),
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            "RETENTION_DAYS": retention_days,
            "WEB_HOST": self.host,
            "WEB_PORT": str(port),
            "HARBOUR_RASA_URL": self.rasa_lb_url,
            "HARBOUR_RATE_STORAGE": rate_storage(redis_url),
            "SANIC_PROXIES_COUNT": "1",
            "SANIC_REAL_IP_HEADER": "x-real-ip",
            "HARBOUR_PURGE_EVERY_SECONDS": purge_every,
            "HARBOUR_SESSION_SECRET": session_secret,
            "HARBOUR_CHANNEL_SECRET": channel_secret,
            "HARBOUR_TRUSTED_PROXIES": self.host,
        }
        env = {name: values[name] for name in ENVIRONMENT[kind]}
        env.update(self.extra)
        return env


def rate_storage(redis_url: str) -> str:
    """The web apps' shared rate limits live in Redis database 2 (the lock store uses 1)."""
    base, _, _ = redis_url.rpartition("/")
    return f"{base}/2" if base.startswith("redis") else redis_url


def render_nginx(
    web: List[str],
    rasa: List[str],
    actions: List[str],
    listen: Dict[str, str],
    prefix: Optional[str] = None,
    user: Optional[str] = None,
) -> str:
    """nginx.conf: `listen` maps public / rasa_lb / actions_lb to an address; `prefix` (the
    local cluster's folder) holds the pid file, the logs and temporary files."""

    def servers(addresses: List[str], extra: str = "") -> str:
        return "\n".join(f"    server {a}{extra};" for a in addresses)

    local = prefix is not None
    head = [f"user {user};" if user else "", "worker_processes 1;"]
    if local:
        head += [f"pid {prefix}/nginx.pid;", f"error_log {prefix}/logs/nginx-error.log warn;"]
    else:
        head += ["error_log /dev/stderr warn;"]
    temp = (
        "\n".join(
            f"  {name}_temp_path {prefix}/nginx-temp/{name};"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        if local
        else ""
    )
    failover = "max_fails=1 fail_timeout=10s"
    # Idle connections to a server are closed by nginx before the server's own keep-alive
    # timeout (Sanic's 5 s) closes them: otherwise nginx can send a request on a connection
    # the server is closing, which fails it and takes the server out for fail_timeout.
    idle = "keepalive_timeout 4s;"
    return f"""# Written by bot/tools/cluster_topology.py render_nginx: edit that, not this file.
{chr(10).join(line for line in head if line)}
events {{ worker_connections 4096; }}

http {{
  # Privacy: no access log (it would hold addresses and times of parents' messages).
  access_log off;
  server_tokens off;
{temp}
  proxy_http_version 1.1;
  proxy_connect_timeout 2s;
  proxy_read_timeout 120s;
  proxy_send_timeout 120s;

  # Parents' requests: round robin over the web apps (they keep no state).
  upstream harbour_web {{
{servers(web, " " + failover)}
    keepalive 32;
    {idle}
  }}
  # A conversation stays on one Rasa server while it is up, and moves to the next on the
  # ring when it is not (the web app sends the conversation id in X-Harbour-Conversation).
  upstream harbour_rasa {{
    hash $http_x_harbour_conversation consistent;
{servers(rasa, " " + failover)}
    keepalive 32;
    {idle}
  }}
  upstream harbour_actions {{
{servers(actions, " " + failover)}
    keepalive 32;
    {idle}
  }}

  server {{
    listen {listen["public"]};
    client_max_body_size 64k;
    location / {{
      proxy_pass http://harbour_web;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
    }}
  }}
  # Internal: only the web apps post here.
  server {{
    listen {listen["rasa_lb"]};
    client_max_body_size 1m;
    location / {{
      proxy_pass http://harbour_rasa;
      proxy_set_header Connection "";
      # A Rasa server that dies mid-message: the message goes to the next server.
      proxy_next_upstream error timeout http_502 non_idempotent;
      add_header X-Harbour-Rasa $upstream_addr always;
    }}
  }}
  # Internal: only the Rasa servers post here.
  server {{
    listen {listen["actions_lb"]};
    client_max_body_size 32m;  # the tracker (and the domain, for an action that asks for it)
    location / {{
      proxy_pass http://harbour_actions;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout non_idempotent;
    }}
  }}
}}
"""


def local_nginx(topology: Topology, prefix: str, user: Optional[str] = None) -> str:
    host = topology.host
    return render_nginx(
        web=[f"{host}:{p}" for p in topology.web_ports],
        rasa=[f"{host}:{p}" for p in topology.rasa_ports],
        actions=[f"{host}:{p}" for p in topology.actions_ports],
        listen={
            "public": f"{host}:{topology.public_port}",
            "rasa_lb": f"{host}:{topology.rasa_lb_port}",
            "actions_lb": f"{host}:{topology.actions_lb_port}",
        },
        prefix=prefix,
        user=user,
    )


def compose_nginx() -> str:
    """deploy/nginx.conf: service names resolve to every replica."""
    p = COMPOSE_PORTS
    return render_nginx(
        web=[f"web:{p['web']}"],
        rasa=[f"rasa:{p['rasa']}"],
        actions=[f"actions:{p['actions']}"],
        listen={"public": str(p["public"]), "rasa_lb": str(p["rasa_lb"]), "actions_lb": str(p["actions_lb"])},
    )


if __name__ == "__main__":  # python -m bot.tools.cluster_topology > deploy/nginx.conf
    import sys

    sys.stdout.write(compose_nginx())
