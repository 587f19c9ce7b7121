"""PostgreSQL or Redis unreachable, or a wrong HARBOUR_DB_URL: one clear line naming the
host and port, never the password, and a non-zero exit; never a stack trace."""

import subprocess
import sys

import pytest

from bot.paths import ROOT
from bot.privacy.database import BadDatabaseUrl, describe, from_argument, parse, tracker_store_arguments
from bot.rasa.lock_store import redis_arguments
from bot.tools.stack import free_port, rasa_env

PASSWORD = "s3cret-Pa55"


def run(module, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=rasa_env(**env), capture_output=True, text=True, timeout=60
    )


def closed_port() -> int:
    return free_port()  # nothing listens there once the probe socket is closed


def assert_clear(result, *must_name):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert PASSWORD not in result.stderr + result.stdout
    for text in must_name:
        assert text in result.stderr, result.stderr


def test_preflight_names_the_database_host_and_port_not_the_password():
    port = closed_port()
    result = run("bot.tools.preflight", HARBOUR_DB_URL=f"postgresql://harbour:{PASSWORD}@127.0.0.1:{port}/harbour")
    assert_clear(result, f"127.0.0.1:{port}", "PostgreSQL")


def test_preflight_names_redis_host_and_port_not_the_password():
    port = closed_port()
    result = run("bot.tools.preflight", HARBOUR_REDIS_URL=f"redis://:{PASSWORD}@127.0.0.1:{port}/1")
    assert_clear(result, f"127.0.0.1:{port}", "Redis")


@pytest.mark.parametrize(
    "url, says",
    [
        ("not a url", "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"),
        (f"mysql://harbour:{PASSWORD}@db:3306/harbour", "supports postgresql://"),
        (f"postgresql://harbour:{PASSWORD}@/harbour", "needs a host"),
    ],
)
def test_a_wrong_database_url_is_explained(url, says):
    assert_clear(run("bot.tools.preflight", HARBOUR_DB_URL=url), says)


def test_make_cluster_stops_before_starting_anything_when_the_database_does_not_answer(tmp_path):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"only its presence is checked before the stores")
    port = closed_port()
    result = run(
        "bot.tools.cluster",
        "--data",
        str(tmp_path / "data"),
        HARBOUR_MODEL=str(model),
        HARBOUR_DB_URL=f"postgresql://harbour:{PASSWORD}@127.0.0.1:{port}/harbour",
        HARBOUR_REDIS_URL=f"redis://127.0.0.1:{closed_port()}/1",
    )
    assert_clear(result, f"127.0.0.1:{port}")
    assert not (tmp_path / "data" / "postgres").exists()  # nothing was started


def test_retention_review_and_feedback_explain_an_unreachable_database():
    port = closed_port()
    url = f"postgresql://harbour:{PASSWORD}@127.0.0.1:{port}/harbour"
    assert_clear(run("bot.privacy.retention", "--db", url), f"127.0.0.1:{port}")


def test_database_urls_are_parsed_for_rasa_and_described_without_the_password():
    url = f"postgresql://harbour:{PASSWORD}@db.internal:5433/conversations"
    assert tracker_store_arguments(url) == {
        "dialect": "postgresql",
        "host": "db.internal",
        "port": 5433,
        "db": "conversations",
        "username": "harbour",
        "password": PASSWORD,
        "query": {},
    }
    assert describe(url) == "PostgreSQL database conversations on db.internal:5433 (user harbour)"
    assert from_argument(url) == url and str(from_argument("var/harbour.db")) == "var/harbour.db"
    with pytest.raises(BadDatabaseUrl) as bad:
        parse(f"sqlite:///x?password={PASSWORD}")
    assert PASSWORD not in str(bad.value)


def test_redis_urls_are_parsed_for_the_lock_store():
    assert redis_arguments("redis://:pw@cache:6380/3") == {
        "host": "cache",
        "port": 6380,
        "db": 3,
        "username": None,
        "password": "pw",
        "use_ssl": False,
    }
    assert redis_arguments("rediss://cache")["use_ssl"] is True
    with pytest.raises(ValueError):
        redis_arguments("cache:6379")
