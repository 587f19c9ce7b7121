"""The REST channel's safety net spots actions that produced nothing."""

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.safety_net import failed_custom_actions

CUSTOM = {"action_recommend_support"}


def tracker_with(*events):
    return DialogueStateTracker.from_events("parent", list(events), slots=Domain.empty().slots)


def test_action_that_produced_nothing_is_reported():
    tracker = tracker_with(
        UserUttered("my son sent a nude", {"name": "nude_shared_by_child"}),
        ActionExecuted("utter_nude_shared_by_child"),
        BotUttered("Thank you for telling me."),
        ActionExecuted("action_recommend_support"),
        ActionExecuted("action_listen"),
    )
    assert failed_custom_actions(tracker, CUSTOM) == ["action_recommend_support"]


def test_action_that_answered_is_not_reported():
    tracker = tracker_with(
        UserUttered("who can help", {"name": "find_support"}),
        ActionExecuted("action_recommend_support"),
        BotUttered("Who can help: ..."),
        ActionExecuted("action_listen"),
    )
    assert failed_custom_actions(tracker, CUSTOM) == []


def test_only_the_latest_message_counts():
    tracker = tracker_with(
        UserUttered("hi", {"name": "greet"}),
        ActionExecuted("action_recommend_support"),
        ActionExecuted("action_listen"),
        UserUttered("thanks", {"name": "thank"}),
        ActionExecuted("utter_thank"),
        BotUttered("You're welcome."),
    )
    assert failed_custom_actions(tracker, CUSTOM) == []
