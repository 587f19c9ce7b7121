"""5,000 generated bad requests at a running /api/chat: never a server error, and it
still answers a normal message afterwards."""

import json
import subprocess
import sys
import time

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.paths import ROOT
from bot.tools.stack import free_port, rasa_env
from bot.web.session import Sessions
from tests.stack.fuzz_server import SESSION_KEY

CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=zz",
    "image/png",
]
ORIGINS = [None, "http://localhost:8000", "https://evil.example", "null", "http://localhost:8000/path"]
WEIRD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300) | st.sampled_from(
    [
        "",
        " ",
        "\x00" * 50,
        "\u202e\u202d" * 20,
        "مرحبا بالعالم",
        "🙂" * 400,
        "\r\n" * 300,
        "x" * 1001,
        "data:image/png;base64," + "A" * 900,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "{{7*7}}",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | WEIRD_TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(WEIRD_TEXT, inner, max_size=5),
    max_leaves=30,
)
SESSION = Sessions(SESSION_KEY.encode()).issue()  # a session the fuzz server's key signed
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "session": st.one_of(st.just(SESSION), WEIRD_TEXT, JSON_VALUES),
        "message": st.one_of(WEIRD_TEXT, JSON_VALUES),
        "school": st.one_of(st.just("st-marys"), WEIRD_TEXT, JSON_VALUES),
        "language": st.one_of(WEIRD_TEXT, JSON_VALUES),
    },
)
BODIES = st.one_of(
    FIELDS.map(lambda d: json.dumps(d).encode()),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=2000),
    st.integers(1, 60_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1_001, 90_000).map(lambda size: json.dumps({"session": SESSION, "message": "a" * size}).encode()),
    WEIRD_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b"\xff\xfe\xfa invalid utf-8 \xc3\x28"),
)
SENT = {"count": 0}


@pytest.fixture(scope="module")
def server():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "tests/stack/fuzz_server.py", str(port)],
        cwd=ROOT,
        env=rasa_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{url}/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.2)
    session = requests.Session()
    yield url, session
    process.terminate()
    process.wait(timeout=10)


def test_bad_requests_never_cause_a_server_error(server):
    url, http = server

    @settings(
        max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
    )
    @given(
        body=BODIES,
        content_type=st.sampled_from(CONTENT_TYPES),
        origin=st.sampled_from(ORIGINS),
        method=st.sampled_from(["POST", "POST", "POST", "PUT", "GET"]),
    )
    def fuzz(body, content_type, origin, method):
        # A fresh connection each time: the server may close one after an error reply.
        headers = {"content-type": content_type, "connection": "close"}
        if origin is not None:
            headers["origin"] = origin
        response = http.request(
            method, f"{url}/api/chat", data=None if method == "GET" else body, headers=headers, timeout=30
        )
        SENT["count"] += 1
        assert response.status_code < 500, (response.status_code, body[:200], content_type)

    fuzz()
    assert SENT["count"] >= 5000

    reply = http.post(
        f"{url}/api/chat",
        timeout=10,
        headers={"origin": "http://localhost:8000"},
        json={"session": SESSION, "message": "hello", "school": "st-marys"},
    )
    assert reply.status_code == 200 and reply.json()["messages"][0]["text"] == "got 5 characters"
