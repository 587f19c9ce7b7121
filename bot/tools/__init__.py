"""Maintainer commands and the test and benchmark harness; nothing in production imports
them. Each command is `python -m bot.tools.<name>` behind a `make` target: validate
(`make validate`), scaffold (`make intent`), review, feedback, evaluate. `stack.py`
starts the whole stack for the tests and `make bench`.
"""
