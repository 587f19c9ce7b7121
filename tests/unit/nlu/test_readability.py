"""Messages Harbour cannot read are recognised; real parent messages are not."""

import pytest

from bot.nlu.readability import is_readable
from tests.unit.content.test_training_data import HELD_OUT, TRAINING


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\t",
        "🙂🙂🙂",
        "?!?!",
        "...",
        "Ma fille a envoyé une photo nue, que faire ?",
        "Mein Sohn hat ein Nacktbild geschickt, was soll ich tun",
        "mi hija envió una foto desnuda, qué hago",
        "Moja córka wysłała nagie zdjęcie, co mam robić",
        "我的女儿发了裸照",
        "ابني أرسل صورة",
    ],
)
def test_unreadable(text):
    assert not is_readable(text)


@pytest.mark.parametrize("text", ["14", "hi", "ok", "my dd sent nudes on snap innit", "y9", "no"])
def test_readable(text):
    assert is_readable(text)


def test_every_english_training_and_held_out_example_is_readable():
    examples = [e for name, exs in {**TRAINING, **HELD_OUT}.items() if name != "out_of_scope" for e in exs]
    unreadable = [e for e in examples if not is_readable(e)]
    assert not unreadable
