"""/insight/api, /insight/csv and /api/beacon through sanic-testing: tokens, filters, bad
input, forged beacons, and suppression in every format."""

import json
import logging
import sqlite3
from datetime import date, timedelta

import pytest
import yaml
from sanic_testing.testing import SanicTestClient

from bot.insight import store
from bot.insight.access import digest
from bot.services.schools import load_schools
from bot.settings import Settings
from bot.web.app import create_app

OPERATOR = "operator-token-for-the-tests-0001"
ST_MARYS = "st-marys-token-for-the-tests-0002"
OAKS = "oak-school-token-for-the-tests-0003"
ORIGIN = "http://localhost:8000"
TODAY = date.today()
_apps = iter(range(10_000))


@pytest.fixture
def schools(tmp_path):
    def school(id_, name, token, origin):
        return {
            "id": id_,
            "name": name,
            "region": "GB-WLS" if id_ == "oaks" else "GB-ENG",
            "dsl": {"name": "A Lead"},
            "allowed_origins": [origin],
            "theme": {"primary": "#1d4f91", "text_on_primary": "#ffffff"},
            "insight_token_sha256": digest(token),
        }

    path = tmp_path / "schools.yml"
    entries = [
        school("st-marys", "St Mary's", ST_MARYS, ORIGIN),
        school("oaks", "The Oaks", OAKS, "https://oaks.example"),
    ]
    path.write_text(yaml.safe_dump({"schools": entries}), encoding="utf-8")
    return load_schools(path)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "harbour.db"
    engine = store.engine_for(str(path))
    store.ensure(engine)
    day = TODAY.isoformat()
    cells = {
        store.Key(day=day, metric="conversation", school="st-marys", topic="sextortion"): 40,
        store.Key(day=day, metric="answer", school="st-marys", topic="sextortion"): 30,
        store.Key(day=day, metric="answer", school="st-marys", topic="sexting_law"): 25,
        store.Key(day=day, metric="answer", school="st-marys", topic="remove_image"): 4,
        store.Key(day=day, metric="helpful_yes", school="st-marys", topic="sextortion"): 12,
        store.Key(day=day, metric="crisis_danger", school="st-marys", topic="immediate_danger"): 3,
        store.Key(day=day, metric="conversation", school="oaks", topic="sexting_law"): 55,
        store.Key(day=day, metric="answer", school="oaks", topic="sexting_law"): 50,
    }
    with engine.begin() as connection:
        store.add(connection, cells)
    return path


@pytest.fixture
def client(db, schools):
    settings = Settings(db=str(db), insight_token=OPERATOR, rate_beacon=5)
    return SanicTestClient(create_app(f"insight_test_{next(_apps)}", settings, forward=None, schools=schools))


def get(client, path, token=None, **params):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    _, response = client.get(path, params=params, headers=headers)
    return response


def test_without_a_valid_token_nothing_is_shown(client):
    for token in (None, "not-a-token-anyone-has-0000", OPERATOR + "x"):
        response = get(client, "/insight/api", token)
        assert response.status == 401 and "sextortion" not in response.text
    assert get(client, "/insight/csv").status == 401
    _, response = client.get("/insight/api", params={"token": OPERATOR})  # never from the URL
    assert response.status == 401


def test_the_operator_sees_every_school_and_can_filter(client):
    report = get(client, "/insight/api", OPERATOR).json
    assert report["totals"]["conversation"] == 95
    assert {s["school"] for s in report["schools"]} == {"st-marys", "oaks"}
    one = get(client, "/insight/api", OPERATOR, school="oaks").json
    assert one["totals"]["conversation"] == 55 and "schools" not in one


def test_a_school_sees_only_its_own_counts(client):
    report = get(client, "/insight/api", ST_MARYS).json
    assert report["totals"]["conversation"] == 40
    assert [s["id"] for s in report["choices"]["schools"]] == ["st-marys"]
    assert "schools" not in report
    response = get(client, "/insight/api", ST_MARYS, school="oaks")
    assert response.status == 403 and "55" not in response.text
    assert get(client, "/insight/csv", OAKS, school="st-marys").status == 403


@pytest.mark.parametrize(
    "params, status",
    [
        ({"start": "2026-13-01"}, 400),
        ({"start": "yesterday"}, 400),
        ({"start": "2016-01-01", "end": "2026-01-01"}, 400),
        ({"start": "2026-02-01", "end": "2026-01-01"}, 400),
        ({"school": "no-such-school"}, 404),
        ({"region": "<script>"}, 400),
    ],
)
def test_bad_filters_get_a_clear_error_and_no_figures(client, params, status):
    response = get(client, "/insight/api", OPERATOR, **params)
    assert response.status == status
    assert set(response.json) == {"error"} and response.json["error"]


def test_small_numbers_never_leave_by_json_or_csv(client):
    report = get(client, "/insight/api", ST_MARYS).json
    topics = {t["topic"]: t for t in report["topics"]}
    assert topics["remove_image"]["answers"] == "<10"
    assert topics["sexting_law"]["answers"] == "hidden"  # or 59 - 30 - 25 would give 4 away
    assert report["totals"]["answer"] == 59 and report["totals"]["crisis_danger"] == "<10"
    assert topics["sextortion"]["helpful_share"] is None  # 12 yes, but fewer than 10 no
    csv_text = get(client, "/insight/csv", ST_MARYS).text
    assert "topics,remove_image,answers,<10" in csv_text and "topics,sexting_law,answers,hidden" in csv_text
    assert "totals,all,crisis_danger,<10" in csv_text
    for text in (json.dumps(report), csv_text):
        assert ",4\n" not in text and ": 4," not in text and ",3\n" not in text


def beacon(client, body, origin=ORIGIN, content_type="text/plain;charset=UTF-8"):
    headers = {"content-type": content_type}
    if origin:
        headers["origin"] = origin
    _, response = client.post("/api/beacon", data=body if isinstance(body, str) else json.dumps(body), headers=headers)
    return response


def clicks(db):
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT school, region, topic, metric, detail, count FROM insight_daily WHERE metric LIKE 'click_%' "
            "OR metric IN ('quick_exit', 'clear_chat') ORDER BY metric"
        ).fetchall()


def test_a_card_click_and_a_quick_exit_are_counted(client, db):
    click = {"event": "click", "school": "st-marys", "service": "childline", "kind": "call", "topic": "sextortion"}
    assert beacon(client, click).status == 204
    assert beacon(client, {"event": "quick_exit", "school": "st-marys"}).status == 204
    assert clicks(db) == [
        ("st-marys", "GB-ENG", "sextortion", "click_call", "childline", 1),
        ("st-marys", "GB-ENG", "", "quick_exit", "", 1),
    ]


@pytest.mark.parametrize(
    "body, origin, status",
    [
        ({"event": "click", "school": "st-marys", "service": "made-up-helpline", "kind": "call"}, ORIGIN, 400),
        ({"event": "click", "school": "st-marys", "service": "childline", "kind": "fax"}, ORIGIN, 400),
        ({"event": "click", "school": "st-marys", "service": "childline", "kind": "call"}, "https://evil.example", 403),
        ({"event": "click", "school": "st-marys", "service": "childline", "kind": "call"}, None, 403),
        ({"event": "click", "school": "oaks", "service": "childline", "kind": "call"}, ORIGIN, 403),
        ({"event": "click", "school": "nowhere", "service": "childline", "kind": "call"}, ORIGIN, 403),
        ({"event": "quick_exit", "school": "st-marys", "topic": "<script>alert(1)</script>"}, ORIGIN, 400),
        ({"event": "quick_exit", "school": "st-marys", "region": "XX"}, ORIGIN, 400),
        ({"event": "message", "school": "st-marys", "text": "my child"}, ORIGIN, 400),
        ("not json", ORIGIN, 400),
        ('{"event": "quick_exit", "pad": "' + "x" * 2000 + '"}', ORIGIN, 413),
    ],
)
def test_a_forged_beacon_is_refused_and_nothing_is_recorded(client, db, body, origin, status):
    assert beacon(client, body, origin).status == status
    assert clicks(db) == []


def test_beacons_are_rate_limited(client, db):
    statuses = [beacon(client, {"event": "clear_chat", "school": "st-marys"}).status for _ in range(7)]
    assert statuses == [204] * 5 + [429] * 2
    assert clicks(db) == [("st-marys", "GB-ENG", "", "clear_chat", "", 5)]


def test_tokens_are_never_logged(client, caplog):
    with caplog.at_level(logging.DEBUG):
        get(client, "/insight/api", OPERATOR)
        get(client, "/insight/api", ST_MARYS, school="oaks")
        get(client, "/insight/api", "wrong-token-of-some-length")
    assert OPERATOR not in caplog.text and ST_MARYS not in caplog.text and "wrong-token" not in caplog.text


def test_the_page_loads_nothing_from_elsewhere(client):
    _, page = client.get("/insight")
    assert page.status == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.replace("http://www.w3.org", "")
    _, script = client.get("/insight/insight.js")
    assert script.status == 200 and "innerHTML" not in script.text and "sessionStorage" in script.text


def test_a_range_of_a_year_is_accepted_and_long_ranges_are_weekly(client):
    start = (TODAY - timedelta(days=365)).isoformat()
    report = get(client, "/insight/api", OPERATOR, start=start, end=TODAY.isoformat()).json
    assert report["range"]["bucket"] == "week" and len(report["trend"]["buckets"]) == 53


def test_an_unreadable_database_gives_a_clear_503_not_a_stack_trace(tmp_path, schools):
    (tmp_path / "harbour.db").mkdir()  # a folder where the database file should be
    settings = Settings(db=str(tmp_path / "harbour.db"), insight_token=OPERATOR)
    test_client = SanicTestClient(create_app(f"insight_test_{next(_apps)}", settings, forward=None, schools=schools))
    response = get(test_client, "/insight/api", OPERATOR)
    assert response.status == 503 and set(response.json) == {"error"} and "Traceback" not in response.text
