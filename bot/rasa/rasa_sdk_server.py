"""The action server: `python -m rasa_sdk` with private logs (bot/privacy/private_logs.py).

rasa_sdk logs the whole request (the tracker: every message of the conversation) when an
action raises; here nothing of a conversation reaches the log. Same arguments as
`python -m rasa_sdk`; scripts/run.sh starts it.

    python -m bot.rasa.rasa_sdk_server --actions actions --port 5055
"""

from __future__ import annotations

from bot.privacy import private_logs


def main() -> None:
    private_logs.install()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
