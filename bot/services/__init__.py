"""The support-service domain: the directory of services, schools, opening hours, ranking
and the words and cards a parent sees. Pure and clock-injected, with no Rasa in it.

Used by the action server (actions/support.py), the public web app (its offline helpline,
bot/services/offline.py) and the validator (bot/tools/validate.py).
"""
