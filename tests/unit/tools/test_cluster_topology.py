"""deploy/compose.yml (for operators) and `make cluster` (bot/tools/cluster.py) describe
the same services, ports and variables, and deploy/nginx.conf is what the code writes."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from bot.paths import ROOT
from bot.tools.cluster_topology import (
    COMPOSE_PORTS,
    ENVIRONMENT,
    KINDS,
    LOCK_LIFETIME_SECONDS,
    TRACKER_CACHE_SECONDS,
    Topology,
    compose_nginx,
    local_nginx,
)

COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_compose_has_exactly_the_services_make_cluster_starts():
    assert set(SERVICES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(ENVIRONMENT))
def test_each_harbour_service_gets_the_same_variables_both_ways(kind):
    in_compose = set(SERVICES[kind]["environment"])
    assert in_compose == set(ENVIRONMENT[kind]) | {"RASA_TELEMETRY_ENABLED"}
    assert SERVICES[kind]["environment"]["RASA_TELEMETRY_ENABLED"] == "false"
    local = Topology().environment(kind, 1234, "postgresql://u:p@h:1/d", "redis://h:2/1")
    assert set(local) == set(ENVIRONMENT[kind])


def test_the_same_fixed_values_both_ways():
    local = Topology().environment("rasa", 1, "postgresql://u:p@h:1/d", "redis://h:2/1")
    rasa = SERVICES["rasa"]["environment"]
    assert rasa["HARBOUR_TRACKER_CACHE_SECONDS"] == local["HARBOUR_TRACKER_CACHE_SECONDS"] == str(TRACKER_CACHE_SECONDS)
    assert rasa["TICKET_LOCK_LIFETIME"] == local["TICKET_LOCK_LIFETIME"] == str(LOCK_LIFETIME_SECONDS)
    web_local = Topology().environment("web", 1, "", "redis://h:2/1")
    web = SERVICES["web"]["environment"]
    for name in ("SANIC_PROXIES_COUNT", "SANIC_REAL_IP_HEADER"):
        assert web[name] == web_local[name]
    assert urlsplit(web["HARBOUR_RATE_STORAGE"]).path == urlsplit(web_local["HARBOUR_RATE_STORAGE"]).path == "/2"
    assert urlsplit(rasa["HARBOUR_REDIS_URL"]).path == urlsplit(local["HARBOUR_REDIS_URL"]).path == "/1"


def test_ports_agree_between_compose_nginx_and_the_services():
    web, rasa, actions = (
        SERVICES["web"]["environment"],
        SERVICES["rasa"]["environment"],
        SERVICES["actions"]["environment"],
    )
    assert int(web["WEB_PORT"]) == COMPOSE_PORTS["web"]
    assert int(rasa["RASA_PORT"]) == COMPOSE_PORTS["rasa"]
    assert int(actions["ACTIONS_PORT"]) == COMPOSE_PORTS["actions"]
    assert urlsplit(web["HARBOUR_RASA_URL"]).port == COMPOSE_PORTS["rasa_lb"]
    assert urlsplit(rasa["HARBOUR_ACTIONS_URL"]).port == COMPOSE_PORTS["actions_lb"]
    assert f"--port {COMPOSE_PORTS['rasa']}" in " ".join(SERVICES["rasa"]["command"])
    assert "deploy/endpoints.yml" in " ".join(SERVICES["rasa"]["command"])


def test_nginx_is_the_only_published_port():
    published = {name: service.get("ports") for name, service in SERVICES.items() if service.get("ports")}
    assert list(published) == ["nginx"]
    assert published["nginx"] == [f"${{HARBOUR_PORT:-8080}}:{COMPOSE_PORTS['public']}"]


def test_no_secret_is_written_in_the_compose_file():
    text = (ROOT / "deploy" / "compose.yml").read_text()
    for user, password in re.findall(r"://([^:/@\s]+):([^@\s]+)@", text):
        assert password.startswith("${"), f"a literal password for {user}"
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${HARBOUR_DB_PASSWORD")


def test_every_service_has_a_health_check_except_the_retention_job():
    for name, service in SERVICES.items():
        assert ("healthcheck" in service) == (name != "retention"), name


def test_deploy_nginx_conf_is_what_the_code_writes():
    assert (ROOT / "deploy" / "nginx.conf").read_text() == compose_nginx(), (
        "regenerate: python -m bot.tools.cluster_topology > deploy/nginx.conf"
    )


def test_nginx_keeps_a_conversation_on_one_rasa_server_and_keeps_no_access_log():
    conf = compose_nginx()
    rasa = conf.split("upstream harbour_rasa {")[1].split("}")[0]
    web = conf.split("upstream harbour_web {")[1].split("}")[0]
    assert "hash $http_x_harbour_conversation consistent;" in rasa
    assert "hash" not in web  # round robin over the web apps
    assert "access_log off;" in conf


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="nginx not installed"
)
def test_nginx_accepts_the_local_configuration(tmp_path):
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "nginx-temp" / name).mkdir(parents=True)
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(local_nginx(Topology(), str(tmp_path)))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "logs" / "e.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_make_cluster_passes_the_operators_retention_settings_on(tmp_path, monkeypatch):
    from bot.tools.cluster import Cluster

    monkeypatch.setenv("RETENTION_DAYS", "7")
    monkeypatch.setenv("HARBOUR_PURGE_EVERY_SECONDS", "3600")
    cluster = Cluster(Topology(), tmp_path, tmp_path / "model.tar.gz", log=lambda _: None)
    retention = cluster.harbour_env("retention", 0)
    assert retention["RETENTION_DAYS"] == "7" and cluster.harbour_env("rasa", 5101)["RETENTION_DAYS"] == "7"
    assert cluster.command("retention", 0)[-2:] == ["--every", "3600"]
    rasa = cluster.harbour_env("rasa", 5101)
    assert rasa["HARBOUR_TRACKER_CACHE_SECONDS"] == "600" and rasa["RASA_TELEMETRY_ENABLED"] == "false"
    assert rasa["HARBOUR_DB_URL"].startswith(f"postgresql://harbour:{cluster._password()}@127.0.0.1:5433/")
    assert (tmp_path / "secrets" / "db_password").stat().st_mode & 0o077 == 0  # only its owner reads it
