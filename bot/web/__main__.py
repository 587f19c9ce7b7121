"""Runs the public web app: python -m bot.web (WEB_HOST, WEB_PORT, RASA_PORT; bot/settings.py)."""

import logging

from bot import settings
from bot.privacy import private_logs
from bot.web.app import create_app
from bot.web.connections import CappedHttpProtocol

private_logs.install()  # no message text or exception detail in any log line
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
config = settings.load()
app = create_app(settings=config)

if __name__ == "__main__":
    app.run(host=config.web_host, port=config.web_port, access_log=False, protocol=CappedHttpProtocol)
