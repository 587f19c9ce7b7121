"""L5: Rasa's REST channel answered any local process. Now it answers only requests that
carry the secret the web app shares with it, by default: made once per data folder when
HARBOUR_CHANNEL_SECRET is not set, for `make run` and `make cluster` alike. The running
stack's half of this is in test_stack_pipeline.py."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pytest
from sanic import Sanic
from sanic_testing.testing import SanicTestClient

from bot.rasa.api_auth import bearer_header, bearer_token
from bot.rasa.channel import HarbourRestInput
from bot.rasa.channel_secret import HEADER, NoChannelSecret, allowed, channel_secret, kept_secret, secret_headers
from bot.settings import Settings
from bot.tools.cluster import Cluster
from bot.tools.cluster_topology import Topology

_apps = iter(range(100_000))
API_TOKEN = "an-api-token-for-tests-" + "x" * 32


def channel_client(tmp_path: Path, monkeypatch) -> SanicTestClient:
    """Harbour's REST channel as Rasa mounts it, with the settings `make run` gives it."""
    monkeypatch.setenv("HARBOUR_DB", str(tmp_path / "harbour.db"))
    monkeypatch.delenv("HARBOUR_CHANNEL_SECRET", raising=False)

    async def on_new_message(_message) -> None:  # never reached without the secret
        raise AssertionError("a message got past the channel secret")

    app = Sanic(f"harbour_channel_{next(_apps)}")
    app.blueprint(HarbourRestInput().blueprint(on_new_message), url_prefix="/webhooks/rest")
    return SanicTestClient(app)


def test_l5_by_default_a_secret_is_made_once_per_data_folder_and_kept_private(tmp_path):
    first = channel_secret(Settings(db=str(tmp_path / "a" / "harbour.db")))
    again = channel_secret(Settings(db=str(tmp_path / "a" / "harbour.db")))
    other = channel_secret(Settings(db=str(tmp_path / "b" / "harbour.db")))
    assert len(first) >= 32 and first == again and other != first
    mode = (tmp_path / "a" / "channel-secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert list((tmp_path / "a").iterdir()) == [tmp_path / "a" / "channel-secret"]  # no draft left behind


def test_l5_a_set_secret_wins_and_nothing_is_written(tmp_path):
    assert channel_secret(Settings(db=str(tmp_path / "harbour.db"), channel_secret="s" * 40)) == "s" * 40
    assert not (tmp_path / "channel-secret").exists()


def _read(path: str, out) -> None:
    out.put(kept_secret(Path(path)))


def test_l5_processes_starting_together_read_the_same_secret(tmp_path):
    path = str(tmp_path / "channel-secret")
    out = multiprocessing.get_context("spawn").Queue()
    workers = [multiprocessing.get_context("spawn").Process(target=_read, args=(path, out)) for _ in range(4)]
    for worker in workers:
        worker.start()
    found = {out.get(timeout=60) for _ in workers}
    for worker in workers:
        worker.join(timeout=60)
    assert len(found) == 1 and found == {Path(path).read_text().strip()}


def test_l5_no_secret_and_nowhere_to_keep_one_stops_the_start(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(NoChannelSecret, match="HARBOUR_CHANNEL_SECRET"):
        channel_secret(Settings(db=str(blocked / "harbour.db")))


@pytest.mark.parametrize("headers", [{}, {HEADER: "guess"}, {HEADER: ""}, {"X-Other": "x"}])
def test_l5_the_channel_refuses_a_message_without_the_secret(tmp_path, monkeypatch, headers):
    _, response = channel_client(tmp_path, monkeypatch).post(
        "/webhooks/rest/webhook", json={"sender": "someone", "message": "/restart"}, headers=headers
    )
    assert response.status == 403


def test_l5_the_check_needs_the_exact_secret_and_never_passes_without_one():
    assert allowed("k" * 64, secret_headers("k" * 64))
    assert not allowed("k" * 64, {HEADER: "k" * 63})
    assert not allowed("", {HEADER: ""})
    assert secret_headers("") == {}


def test_l5_make_cluster_gives_every_web_app_rasa_and_action_server_one_secret_and_nobody_else(tmp_path, monkeypatch):
    monkeypatch.delenv("HARBOUR_CHANNEL_SECRET", raising=False)
    cluster = Cluster(Topology(), tmp_path / "cluster", tmp_path / "model.tar.gz", log=lambda _: None)
    web = cluster.harbour_env("web", 8101)["HARBOUR_CHANNEL_SECRET"]
    rasa = cluster.harbour_env("rasa", 5101)["HARBOUR_CHANNEL_SECRET"]
    actions = cluster.harbour_env("actions", 5201)["HARBOUR_CHANNEL_SECRET"]
    assert len(web) >= 32 and web == rasa == actions
    assert cluster.harbour_env("retention", 0).get("HARBOUR_CHANNEL_SECRET", "") == ""
    again = Cluster(Topology(), tmp_path / "cluster", tmp_path / "model.tar.gz", log=lambda _: None)
    assert again.harbour_env("web", 8102)["HARBOUR_CHANNEL_SECRET"] == web  # kept in the data folder


def test_l5_the_api_token_goes_in_a_signed_header_not_the_url():
    import jwt

    header = bearer_header(API_TOKEN)
    assert set(header) == {"Authorization"} and API_TOKEN not in header["Authorization"]
    claims = jwt.decode(bearer_token(API_TOKEN), API_TOKEN, algorithms=["HS256"])
    assert claims["user"]["role"] == "admin" and claims["exp"] > 0
    run = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert '--jwt-secret "$RASA_AUTH_TOKEN"' in run and "--auth-token" not in run


def action_server_client() -> SanicTestClient:
    """rasa_sdk's action server as bot/rasa/rasa_sdk_server.py starts it, with Harbour's actions."""
    import rasa_sdk.endpoint

    from bot.rasa.rasa_sdk_server import requiring_secret

    create = requiring_secret(rasa_sdk.endpoint.create_app, "a" * 64)
    app = create("actions")
    app.name = f"harbour_actions_{next(_apps)}"  # one Sanic app per name in a process
    return SanicTestClient(app)


ACTION_CALL = {
    "next_action": "action_recommend_support",
    "sender_id": "someone",
    "tracker": {"sender_id": "someone", "slots": {}, "latest_message": {}, "events": [], "paused": False},
    "domain": {},
    "version": "3.6.2",
}


@pytest.mark.parametrize("headers", [{}, {HEADER: "guess"}, {HEADER: ""}, {"X-Other": "a" * 64}])
def test_l5_the_action_server_refuses_calls_and_lists_without_the_secret(headers):
    client = action_server_client()
    _, response = client.post("/webhook", json=ACTION_CALL, headers=headers)
    assert response.status == 403 and "events" not in response.text
    _, listing = client.get("/actions", headers=headers)
    assert listing.status == 403 and "action_" not in listing.text


def test_l5_the_action_server_runs_actions_for_rasa_and_answers_health_checks():
    client = action_server_client()
    _, response = client.post("/webhook", json=ACTION_CALL, headers={HEADER: "a" * 64})
    assert response.status == 200 and response.json["responses"], response.text
    _, health = client.get("/health")
    assert health.status == 200


def test_l5_rasa_sends_the_secret_to_the_action_server_in_both_deployments():
    from rasa.utils.endpoints import read_endpoint_config

    for path in ("endpoints.yml", "deploy/endpoints.yml"):
        with pytest.MonkeyPatch.context() as env:
            env.setenv("HARBOUR_CHANNEL_SECRET", "b" * 64)
            env.setenv("ACTIONS_PORT", "5055")
            env.setenv("HARBOUR_ACTIONS_URL", "http://127.0.0.1:5054/webhook")
            env.setenv("HARBOUR_DB", "var/harbour.db")
            env.setenv("HARBOUR_DB_URL", "postgresql://h@127.0.0.1/h")
            env.setenv("HARBOUR_REDIS_URL", "redis://127.0.0.1:6379/0")
            endpoint = read_endpoint_config(path, "action_endpoint")
        assert endpoint.headers == {HEADER: "b" * 64}, path
