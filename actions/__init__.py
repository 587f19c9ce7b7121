"""Harbour's custom actions, served by `python -m rasa_sdk --actions actions` (scripts/run.sh).

Importing this package loads and checks data/services.yml and data/schools.yml, so the
action server refuses to start on a broken directory and names the entry and field.
"""
from actions.support import ActionRecommendSupport  # noqa: F401
