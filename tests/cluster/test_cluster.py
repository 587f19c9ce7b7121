"""Harbour past one machine, with the real servers: PostgreSQL, Redis, nginx, two web apps,
two Rasa servers and two action servers (bot/tools/cluster.py, as `make cluster` starts
them). One cluster serves the whole module, so the tests run in this file's order and
the last ones break it on purpose: Redis stopped, PostgreSQL restarted, a Rasa server
killed mid-conversation, then the other one too.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import aiohttp
import pytest
import requests
import sqlalchemy as sa

import bot.settings
from bot.rasa.channel_secret import secret_headers
from bot.services.offline import unavailable_message
from bot.tools.cluster import Cluster, ClusterError, ensure_packages
from bot.tools.cluster_topology import LOCK_LIFETIME_SECONDS, Topology
from bot.tools.feedback import helpful_counts
from bot.tools.stack import free_port
from bot.web.session import Sessions

SESSION_SECRET = "cluster-test-session-secret-not-a-real-one"
SCHOOL = "st-marys"  # a demo school in England (directory/schools.yml)
SESSION_LIMIT = 12  # messages a minute per session, for the shared-limit test
LOAD_SESSIONS, LOAD_SECONDS, THINK_SECONDS = 200, 60, 10.0  # a parent reads, then types


def session() -> str:
    """A session as POST /api/session issues it: signed with the cluster's shared secret."""
    return Sessions(SESSION_SECRET.encode()).issue()


def texts(messages) -> str:
    return "\n".join(m.get("text", "") for m in messages)


@pytest.fixture(scope="module")
def cluster(trained_model):
    try:
        ensure_packages(log=lambda _: None)
    except ClusterError as problem:
        pytest.skip(f"the cluster needs Debian's postgresql, redis-server and nginx: {problem}")
    data = Path(tempfile.mkdtemp(prefix="harbour-cluster-"))  # PostgreSQL's user must reach it
    topology = Topology(
        web_ports=(free_port(), free_port()),
        rasa_ports=(free_port(), free_port()),
        actions_ports=(free_port(), free_port()),
        public_port=free_port(),
        rasa_lb_port=free_port(),
        actions_lb_port=free_port(),
        postgres_port=free_port(),
        redis_port=free_port(),
    )
    extra = {
        "HARBOUR_RATE_ADDRESS": "1000000",  # every simulated parent shares one address
        "HARBOUR_RATE_SESSION": str(SESSION_LIMIT),
        # 200 sessions on 2 shared cores: slow replies are fine, failures are not. The web
        # app waits up to 100 s for Rasa, and Sanic lets it (its own limit is 60 s).
        "HARBOUR_RASA_TIMEOUT": "100",
        "SANIC_RESPONSE_TIMEOUT": "130",
        "HARBOUR_SESSION_SECRET": SESSION_SECRET,
    }
    harbour = Cluster(topology, data, trained_model, extra_env=extra, log=lambda _: None)
    try:
        harbour.start()
        yield harbour
    finally:
        harbour.stop()
        if not os.environ.get("HARBOUR_KEEP_CLUSTER_DATA"):  # to read the logs after a failure
            shutil.rmtree(data, ignore_errors=True)


def chat(url: str, sender: str, message: str, timeout: float = 120):
    field = "payload" if message.startswith("/") else "message"  # a tapped button (issue 18, M1)
    reply = requests.post(
        f"{url}/api/chat", json={"session": sender, field: message, "school": SCHOOL}, timeout=timeout
    )
    return reply.status_code, reply.json().get("messages", [])


def web_url(cluster: Cluster, index: int) -> str:
    return f"http://127.0.0.1:{cluster.topology.web_ports[index]}"


def rasa_server(cluster: Cluster, sender: str, message: str) -> str:
    """Posts straight to nginx's Rasa upstream, as a web app does; returns the server that answered."""
    conversation = sender[:32]  # what the web app sends Rasa for a signed session (bot/web/session.py)
    reply = requests.post(
        f"{cluster.topology.rasa_lb_url}/webhooks/rest/webhook",
        json={"sender": conversation, "message": message},
        headers={"X-Harbour-Conversation": conversation, **secret_headers(cluster.channel_secret())},
        timeout=120,
    )
    assert reply.status_code == 200
    return reply.headers["X-Harbour-Rasa"]


def say_to(cluster: Cluster, index: int, sender: str, message: str) -> str:
    """Posts straight to one Rasa server, bypassing nginx."""
    reply = requests.post(
        f"http://127.0.0.1:{cluster.topology.rasa_ports[index]}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers=secret_headers(cluster.channel_secret()),
        timeout=120,
    )
    assert reply.status_code == 200
    return texts(reply.json())


def stored(cluster: Cluster, sql: str, **params):
    engine = sa.create_engine(cluster.db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql), params).fetchall()
    finally:
        engine.dispose()


def test_ten_turns_alternating_web_apps_keep_slots_and_form_state(cluster):
    sender = session()
    turns = [
        "my daughter sent a nude selfie to a boy at school",
        '/affirm{"helpful": "yes"}',
        "will she get a criminal record for it",  # the location form asks where we are
        "we're in Scotland",  # answered on the other web app: the form completes
        "what is the age of consent",  # the region is remembered
        "she is 14",
        "how do I get it taken down",
        "should I tell the school",
        '/deny{"helpful": "no"}',
        "thank you",
    ]
    replies = []
    for number, message in enumerate(turns):
        status, messages = chat(web_url(cluster, number % 2), sender, message)
        assert status == 200, (message, messages)
        assert texts(messages).strip(), message
        replies.append(texts(messages))
    assert "Where are you?" in replies[2]
    assert "In Scotland it's an offence" in replies[3]  # the form's answer, from the other web app
    assert "Police Scotland" in replies[4] and "Where are you?" not in replies[4]
    assert "sorry it didn't help" in replies[8]
    events = stored(cluster, "SELECT COUNT(*) FROM events WHERE sender_id = :s AND type_name = 'user'", s=sender[:32])
    assert events[0][0] == len(turns)  # every turn stored once, in PostgreSQL


def test_a_conversation_stays_on_one_rasa_server_and_conversations_spread(cluster):
    sender = session()
    servers = {rasa_server(cluster, sender, message) for message in ("hello", "what is sexting", "thanks")}
    assert len(servers) == 1
    spread = {rasa_server(cluster, session(), "hello") for _ in range(12)}
    assert len(spread) == 2  # both Rasa servers take conversations


def test_a_conversation_that_moves_is_never_served_stale(cluster):
    """Server 1 answers, server 2 changes the region, server 1 must see the change."""
    sender = session()
    say_to(cluster, 0, sender, "we live in Dublin")
    assert "Ireland" in say_to(cluster, 0, sender, "what is the age of consent")
    say_to(cluster, 1, sender, "actually we're in Scotland")
    reply = say_to(cluster, 0, sender, "what is the age of consent")
    assert "16" in reply and "Police Scotland" in reply and "17" not in reply


def test_a_message_slower_than_its_lock_ticket_still_runs_before_the_next(cluster):
    """A message still being handled when its ticket would expire (the action servers are
    paused for longer than TICKET_LOCK_LIFETIME) keeps its conversation: the next message,
    on the other server, waits for it and sees the region it set."""
    sender = session()
    say_to(cluster, 0, sender, "we live in Dublin")
    replies = {}

    def send(index, message):
        replies[message] = say_to(cluster, index, sender, message)

    slow = threading.Thread(target=send, args=(1, "actually we're in Scotland"))
    following = threading.Thread(target=send, args=(0, "what is the age of consent"))
    actions = [cluster.processes[name].pid for name in ("actions-1", "actions-2")]
    for pid in actions:
        os.killpg(pid, signal.SIGSTOP)
    try:
        slow.start()
        time.sleep(LOCK_LIFETIME_SECONDS + 2)
        following.start()
        time.sleep(1)
    finally:
        for pid in actions:
            os.killpg(pid, signal.SIGCONT)
    slow.join(timeout=120)
    following.join(timeout=120)
    assert "answers and services for Scotland" in replies["actually we're in Scotland"]
    # The answer for Scotland (the services after it may be the safety net's helpline: the
    # action servers were paused, so nginx may have taken them out for a few seconds).
    for reply in (replies["what is the age of consent"], say_to(cluster, 1, sender, "what is the age of consent")):
        assert "Scotland and Northern Ireland the age of consent is 16" in reply and "17" not in reply, reply
    users = stored(cluster, "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id", s=sender)
    said = [json.loads(row[0])["text"] for row in users]  # every message stored, whole and in order
    assert said == ["we live in Dublin", "actually we're in Scotland"] + ["what is the age of consent"] * 2


@pytest.mark.skipif(
    "HARBOUR_RATE_STORAGE" not in inspect.getsource(bot.settings),
    reason="needs the rate limits in Redis (HARBOUR_RATE_STORAGE, bot/web/limits.py on the `limits` package)",
)
def test_rate_limits_are_shared_across_web_apps(cluster):
    sender = session()
    for number in range(SESSION_LIMIT):
        status, _ = chat(web_url(cluster, number % 2), sender, "hello")
        assert status == 200
    for index in (0, 1):  # over the limit on both, though each saw only half the messages
        assert (
            requests.post(
                f"{web_url(cluster, index)}/api/chat", json={"session": sender, "message": "hello"}, timeout=60
            ).status_code
            == 429
        )


def test_nothing_personal_reaches_postgresql(cluster):
    sender = session()
    status, _ = chat(
        cluster.topology.public_url,
        sender,
        "my son Jamie Collins is 14, call me on 07700 900123 or mail jo.collins@example.com",
    )
    assert status == 200
    # straight to Rasa too: the channel redacts whichever way a message arrives
    rasa_server(cluster, sender, "our address is 12 Acacia Avenue, SW1A 1AA")
    rows = stored(cluster, "SELECT data FROM events WHERE sender_id = :s", s=sender[:32])
    assert rows
    everything = " ".join(row[0] for row in rows)
    for detail in ("07700 900123", "07700900123", "jo.collins@example.com", "SW1A 1AA", "Acacia"):
        assert detail not in everything


def test_feedback_and_review_read_postgresql(cluster, tmp_path):
    from bot.tools import review

    before = helpful_counts(cluster.db_url, days=1)
    sender = session()
    chat(cluster.topology.public_url, sender, "my daughter sent a nude selfie to a boy at school")
    chat(cluster.topology.public_url, sender, '/affirm{"helpful": "yes"}')
    after = helpful_counts(cluster.db_url, days=1)
    gained = after["nude_shared_by_child"]["yes"] - before.get("nude_shared_by_child", {}).get("yes", 0)
    assert gained == 1
    out = tmp_path / "review.yml"
    assert review.main(["--db", cluster.db_url, "--days", "1", "--threshold", "1.01", "--out", str(out)]) == 0
    assert "my daughter sent a nude selfie to a boy at school" in out.read_text()


def test_retention_deletes_idle_conversations_from_postgresql(cluster):
    from bot.privacy.retention import purge

    sender = session()
    chat(cluster.topology.public_url, sender, "hello")
    assert purge(cluster.db_url, 30) == 0  # nothing is 30 days old
    removed = purge(cluster.db_url, 30, now=time.time() + 31 * 86400)  # a month from now
    assert removed >= 1
    assert stored(cluster, "SELECT COUNT(*) FROM events")[0][0] == 0
    status, messages = chat(cluster.topology.public_url, sender, "hello")  # and Harbour carries on
    assert status == 200 and texts(messages)


def test_200_concurrent_sessions_for_60_seconds_through_nginx_without_an_error(cluster):
    messages = ["hello", "what is sexting", "what is the age of consent", "we're in Wales", "who can help me"]
    outcome = {"ok": 0, "errors": [], "seconds": []}

    async def parent(client: aiohttp.ClientSession, deadline: float) -> None:
        sender, turn = session(), 0
        await asyncio.sleep(THINK_SECONDS * (hash(sender) % 100) / 100)  # parents don't all start at once
        while time.monotonic() < deadline:
            body = {"session": sender, "message": messages[turn % len(messages)], "school": SCHOOL}
            started = time.monotonic()
            try:
                async with client.post(f"{cluster.topology.public_url}/api/chat", json=body) as reply:
                    answer = await reply.json()
                    outcome["seconds"].append(time.monotonic() - started)
                    if reply.status == 200 and texts(answer.get("messages", [])).strip():
                        outcome["ok"] += 1
                    else:
                        outcome["errors"].append(f"{reply.status}: {str(answer)[:200]}")
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                outcome["errors"].append(repr(error))
            turn += 1
            await asyncio.sleep(THINK_SECONDS)

    async def load() -> None:
        timeout = aiohttp.ClientTimeout(total=150)
        async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as client:
            deadline = time.monotonic() + LOAD_SECONDS
            await asyncio.gather(*(parent(client, deadline) for _ in range(LOAD_SESSIONS)))

    asyncio.run(load())
    latencies = sorted(outcome["seconds"])
    print(
        f"\n200 sessions, {LOAD_SECONDS} s: {len(latencies)} replies, p95 {latencies[int(0.95 * len(latencies))]:.1f} s"
    )
    assert outcome["errors"] == [], outcome["errors"][:5]
    assert outcome["ok"] >= LOAD_SESSIONS  # every parent got at least one answer


def test_redis_stopped_still_answers_with_the_helpline_and_recovers(cluster):
    cluster.stop_service("redis")
    try:
        status, messages = chat(cluster.topology.public_url, session(), "what is the age of consent")
        assert status == 200
        assert "0808 800 5000" in texts(messages)  # the region's helpline (England)
    finally:
        cluster.start_service("redis")
    status, messages = chat(cluster.topology.public_url, session(), "what is the age of consent")
    assert status == 200 and "something went wrong" not in texts(messages)
    assert "Where are you?" in texts(messages)  # the real answer again: it asks for the region


def test_postgresql_restart_loses_nothing_acknowledged(cluster):
    sender = session()
    acknowledged = []
    for message in ("hello", "what is sexting"):
        status, messages = chat(cluster.topology.public_url, sender, message)
        assert status == 200 and "trouble saving" not in texts(messages)
        acknowledged.append(message)
    cluster.stop_service("postgres")
    try:
        status, messages = chat(cluster.topology.public_url, sender, "who can help me")
        assert status == 200 and texts(messages)  # answered while the database is down
        assert "trouble saving" in texts(messages)  # and says it may not remember
    finally:
        cluster.start_service("postgres")
    for message in ("what is the age of consent", "thanks"):
        status, messages = chat(cluster.topology.public_url, sender, message)
        assert status == 200 and "trouble saving" not in texts(messages), texts(messages)
        acknowledged.append(message)
    rows = stored(cluster, "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'", s=sender[:32])
    saved = " ".join(row[0] for row in rows)
    for message in acknowledged:
        assert f'"text": "{message}"' in saved, message


def test_a_rasa_server_killed_mid_conversation_loses_nothing(cluster):
    # Twelve conversations that have told Harbour their region, spread over both servers.
    conversations = {}
    for _ in range(12):
        sender = session()
        conversations[sender] = rasa_server(cluster, sender, "we're in Scotland")
    doomed_address = max(set(conversations.values()), key=list(conversations.values()).count)
    doomed = f"rasa-{1 + [f'127.0.0.1:{p}' for p in cluster.topology.rasa_ports].index(doomed_address)}"
    on_doomed = [s for s, server in conversations.items() if server == doomed_address]

    # Messages in flight on the doomed server when it is killed.
    in_flight = {}

    def send(sender):
        in_flight[sender] = chat(cluster.topology.public_url, sender, "what is the age of consent")

    threads = [threading.Thread(target=send, args=(s,)) for s in on_doomed]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    cluster.stop_service(doomed, signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=180)
    for sender in on_doomed:
        status, messages = in_flight[sender]
        assert status == 200 and texts(messages).strip(), (status, messages)  # an answer or the helpline, never a 5xx

    # Every conversation carries on with its history, on the server that is left.
    for sender in conversations:
        status, messages = chat(cluster.topology.public_url, sender, "what is the age of consent")
        assert status == 200
        assert "Police Scotland" in texts(messages), texts(messages)  # 0 conversations lost
        assert "Where are you?" not in texts(messages)
    survivor = {rasa_server(cluster, sender, "thanks") for sender in on_doomed}
    assert survivor and doomed_address not in survivor


def test_all_rasa_servers_down_gives_503_with_the_helpline(cluster):
    for name in [n for n in cluster.processes if n.startswith("rasa-")]:
        cluster.stop_service(name, signal.SIGKILL)
    reply = requests.post(
        f"{cluster.topology.public_url}/api/chat",
        json={"session": session(), "message": "help", "school": SCHOOL},
        timeout=60,
    )
    assert reply.status_code == 503
    assert texts(reply.json()["messages"]) == unavailable_message("GB-ENG")
