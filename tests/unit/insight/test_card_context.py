"""The widget learns the topic and region of a reply's service cards (to count clicks by
them), and only as plain labels."""

from bot.web.chat import normalise_replies

CARD = {"id": "childline", "name": "Childline", "phone": "0800 1111"}


def reply(**custom):
    return [{"text": "Who can help", "custom": {"type": "service_cards", "cards": [CARD], **custom}}]


def test_cards_carry_their_topic_and_region():
    message = normalise_replies(reply(topic="sextortion", region="GB-SCT"))[0]
    assert (message["topic"], message["region"]) == ("sextortion", "GB-SCT")


def test_anything_but_a_plain_label_is_dropped():
    message = normalise_replies(reply(topic="<img src=x onerror=alert(1)>", region={"a": 1}))[0]
    assert "topic" not in message and "region" not in message and message["cards"][0]["name"] == "Childline"
