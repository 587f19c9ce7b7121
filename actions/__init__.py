"""Harbour's custom actions, served by `rasa run actions --actions actions`.

Importing this package loads and checks data/services.yml and data/schools.yml, so the
action server refuses to start on a broken directory and names the entry and field.
"""
from actions.support import ActionRecommendSupport  # noqa: F401
