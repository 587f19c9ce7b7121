"""Buttons offered by one web app are accepted by another through the shared store (a
cluster behind round-robin nginx), and an unreachable store costs only that sharing."""

from __future__ import annotations

from bot.web.offered import OfferedButtons


class FakeRedis:
    def __init__(self, down=False):
        self.data, self.down = {}, down

    def set(self, key, value, ex=None):
        if self.down:
            raise ConnectionError("redis at cache:6379 refused")
        self.data[key] = value

    def delete(self, key):
        self.data.pop(key, None)

    def get(self, key):
        if self.down:
            raise ConnectionError("redis at cache:6379 refused")
        return self.data.get(key)


def web_apps(store):
    first, second = OfferedButtons(), OfferedButtons()
    first._shared = second._shared = store
    return first, second


def test_a_button_offered_by_one_web_app_is_accepted_by_the_other():
    first, second = web_apps(FakeRedis())
    first.remember("s1", [{"text": "Did this help?", "buttons": [{"title": "Yes", "payload": "/affirm"}]}])
    assert second.accepts("s1", "/affirm")
    assert not second.accepts("s1", '/inform_location{"location": "US"}')
    assert not second.accepts("s2", "/affirm")


def test_a_reply_without_buttons_withdraws_them_everywhere():
    first, second = web_apps(FakeRedis())
    first.remember("s1", [{"text": "?", "buttons": [{"title": "Yes", "payload": "/affirm"}]}])
    second.remember("s1", [{"text": "Thank you"}])
    assert not first.accepts("s1", "/affirm") and not second.accepts("s1", "/affirm")


def test_with_the_store_down_each_web_app_still_knows_what_it_offered():
    first, second = web_apps(FakeRedis(down=True))
    first.remember("s1", [{"text": "?", "buttons": [{"title": "Yes", "payload": "/affirm"}]}])
    assert first.accepts("s1", "/affirm") and not second.accepts("s1", "/affirm")
