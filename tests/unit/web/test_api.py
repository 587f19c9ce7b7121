"""/api/chat and the widget files, through sanic-testing, for every path a request can take."""

import json

import pytest
from sanic_testing.testing import SanicTestClient

from bot.settings import Settings
from bot.web.app import RasaUnavailable, create_app
from bot.web.session import Sessions

SESSION_KEY = "unit-test-session-key-not-a-secret"
SESSION = Sessions(SESSION_KEY.encode()).issue()  # what POST /api/session hands the chat page
CONVERSATION = SESSION[:32]  # the conversation id Rasa sees
ALLOWED = "http://localhost:8000"
_apps = iter(range(10_000))


class FakeRasa:
    def __init__(self, replies=None, down=False):
        self.replies = replies if replies is not None else [{"text": "Hello"}]
        self.down = down
        self.calls = []

    async def __call__(self, session, message, metadata):
        self.calls.append((session, message, metadata))
        if self.down:
            raise RasaUnavailable("connection refused")
        return self.replies


def client(rasa=None, **settings):
    settings.setdefault("session_secret", SESSION_KEY)
    app = create_app(f"harbour_test_{next(_apps)}", Settings(**settings), forward=rasa or FakeRasa())
    return SanicTestClient(app)


def post(test_client, body, origin=ALLOWED, content_type="application/json"):
    headers = {"content-type": content_type}
    if origin:
        headers["origin"] = origin
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    _, response = test_client.post("/api/chat", data=data, headers=headers)
    return response


def body(message="hello", **extra):
    return {"session": SESSION, "message": message, "school": "st-marys", **extra}


def test_a_message_reaches_rasa_with_school_metadata_and_replies_come_back():
    rasa = FakeRasa(
        [
            {
                "recipient_id": "x",
                "text": "Hi",
                "buttons": [{"title": "Help", "payload": "/find_support"}],
                "custom": {
                    "type": "service_cards",
                    "cards": [
                        {
                            "id": "childline",
                            "name": "Childline",
                            "phone": "0800 1111",
                            "web": "javascript:alert(1)",
                            "open_now": True,
                        }
                    ],
                },
            }
        ]
    )
    response = post(client(rasa), body("my son sent a nude", language="en-GB"))
    assert response.status == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    message = response.json["messages"][0]
    assert message["buttons"] == [{"title": "Help", "payload": "/find_support"}]
    assert message["cards"][0]["phone"] == "0800 1111" and message["cards"][0]["web"] is None
    assert rasa.calls == [(CONVERSATION, "my son sent a nude", {"school": "st-marys", "language": "en-GB"})]


def test_personal_details_and_images_are_removed_before_rasa_sees_them():
    rasa = FakeRasa()
    post(client(rasa), body("ring me on 07700 900123 data:image/png;base64,iVBORw0KGgo="))
    assert rasa.calls[0][1] == "ring me on [phone] [image removed]"


def test_origin_not_allowed_for_the_school_is_refused():
    response = post(client(), body(), origin="https://evil.example")
    assert response.status == 403
    assert "not allowed" in response.json["error"]
    assert "access-control-allow-origin" not in response.headers


def test_unknown_school_is_refused():
    response = post(client(), body(school="no-such-school"))
    assert response.status == 403 and "school" in response.json["error"]


def test_message_over_1000_characters_is_413():
    response = post(client(), body("x" * 1001))
    assert response.status == 413 and "1,000" in response.json["error"]


@pytest.mark.parametrize(
    "payload",
    [
        "{not json",
        "[1, 2]",
        "null",
        json.dumps({"message": "hi"}),
        json.dumps({"session": "short", "message": "hi"}),
        json.dumps({"session": SESSION, "message": 42}),
    ],
)
def test_invalid_json_or_missing_fields_is_400(payload):
    response = post(client(), payload)
    assert response.status == 400 and response.json["error"]


def test_wrong_content_type_is_415():
    response = post(client(), "message=hi", content_type="application/x-www-form-urlencoded")
    assert response.status == 415


def test_too_many_messages_from_one_session_is_429():
    test_client = client(rate_session=3)
    statuses = [post(test_client, body()).status for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_too_many_messages_from_one_address_is_429():
    test_client = client(rate_address=2)
    statuses = [
        post(test_client, {**body(), "session": Sessions(SESSION_KEY.encode()).issue()}).status for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_rasa_unreachable_is_503_with_a_helpline_the_widget_shows():
    response = post(client(FakeRasa(down=True)), body())
    assert response.status == 503
    text = response.json["messages"][0]["text"]
    assert "999" in text and "Childline" in text


def test_preflight_answers_allowed_origins_only():
    test_client = client()
    _, ok = test_client.options("/api/chat", headers={"origin": ALLOWED, "access-control-request-method": "POST"})
    _, bad = test_client.options(
        "/api/chat", headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
    )
    assert ok.status in (200, 204) and ok.headers["access-control-allow-origin"] == ALLOWED
    assert bad.status == 403


def test_widget_script_has_its_css_and_its_schools_theme_built_in():
    # Served to the school's own site (its Referer): that school's colours, and no other's.
    _, response = client().get("/widget.js", headers={"referer": ALLOWED + "/news.html"})
    assert response.status == 200 and "javascript" in response.headers["content-type"]
    assert '{"st-marys": {' in response.text and "#1d4f91" in response.text
    assert "/*HARBOUR_CSS*/" not in response.text and ".launcher" in response.text
    _, stranger = client().get("/widget.js")
    assert '{"st-marys": {' not in stranger.text and ".launcher" in stranger.text


def test_demo_page_embeds_the_widget_with_one_line():
    _, response = client().get("/")
    assert response.status == 200
    assert '<script src="/widget.js" data-school="st-marys"' in response.text


def test_healthz():
    _, response = client().get("/healthz")
    assert response.json == {"status": "ok"}


def test_widget_is_under_30_kb_gzipped():
    import gzip

    _, response = client().get("/widget.js")
    assert len(gzip.compress(response.body, 9)) < 30 * 1024
