"""action_recommend_support: points the parent to the services that fit best, right now.

Reads the topic, region, age and school from the tracker; the choosing and the wording
are bot/services/ (ranking.py, wording.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.crisis import answered_not_safe, danger_steps_response
from actions.places import place_check
from bot.regions import DEFAULT_REGION, ELSEWHERE
from bot.services.directory import load_services
from bot.services.ranking import GENERAL_TOPIC, URGENT_TOPIC, recommend
from bot.services.schools import SCHOOL_TOPICS, find_school, load_schools
from bot.services.wording import card, message, school_line
from bot.topics import content_topics

logger = logging.getLogger(__name__)

# Loaded when the action server starts: a broken directory stops start-up, loudly.
SERVICES = load_services()
SCHOOLS = load_schools()
CONTENT_TOPICS = set(content_topics())


# Topics whose answers advise going to the police: the reply names the region's route.
POLICE_TOPIC = "report_to_police"
REPORTING_TOPICS = {
    "nude_shared_by_child",
    "nude_received_by_child",
    "nude_of_child_circulating",
    "peer_pressure_to_send",
    "remove_image",
    "stranger_grooming",
    "sextortion",
    "abuse_disclosure",
    "child_harmful_sexual_behaviour",
}

# A band the parent tapped stands in for an age when no exact age was typed.
BAND_AGES = {"under_13": 12, "13_17": 15, "18_plus": 18}


def current_topic(tracker: Tracker) -> str:
    """The topic being answered: the latest intent, or, when a form just asked for the
    region or age, the question that was waiting for it."""
    intent = (tracker.latest_message or {}).get("intent", {}).get("name")
    if intent in CONTENT_TOPICS:
        return intent
    pending = slots.pending_topic(tracker)
    if pending in CONTENT_TOPICS and tracker.active_loop_name is None and _after_form(tracker):
        return pending
    return GENERAL_TOPIC


def _after_form(tracker: Tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") is None:
            return True
    return False


class ActionRecommendSupport(Action):
    """Sends a short text that works on any channel, plus service cards for the widget."""

    clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(timezone.utc))

    def name(self) -> Text:
        return "action_recommend_support"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = URGENT_TOPIC if answered_not_safe(tracker) else current_topic(tracker)
        school = find_school(SCHOOLS, slots.school_id(tracker))
        location = slots.location(tracker)
        # An ambiguous place name ("Perth"): say what was assumed, or follow a qualifier.
        place = place_check(tracker, SERVICES, urgent=topic == URGENT_TOPIC)
        if place and place.region:
            location = place.region
        region = (location if location != ELSEWHERE else None) or (school.region if school else None) or DEFAULT_REGION
        age = slots.child_age(tracker)
        if age is None:
            age = BAND_AGES.get(slots.age_band(tracker))
        picks = recommend(SERVICES, topic, region, age, self.clock())
        report = []
        if topic in REPORTING_TOPICS and not any(POLICE_TOPIC in p.service.topics for p in picks):
            # The answer advises going to the police: name this region's route (issue 15).
            routes = recommend(SERVICES, POLICE_TOPIC, region, age, self.clock(), limit=5)
            report = [p for p in routes if POLICE_TOPIC in p.service.topics][:2]
        if location == ELSEWHERE and not school:
            # A country Harbour has no answers for: UK services, but only numbers that can
            # be dialled from abroad (or their websites), and no UK emergency number.
            region = ELSEWHERE
            picks = [p for p in picks if not p.service.urgent and (p.service.web or p.service.phone_for(region))]
            report = []  # message() names the local police instead

        if place:
            dispatcher.utter_message(text=place.text, buttons=place.buttons)
        if topic == URGENT_TOPIC:
            dispatcher.utter_message(response=danger_steps_response(tracker))
        if school and topic in SCHOOL_TOPICS:
            dispatcher.utter_message(text=school_line(school))
        dispatcher.utter_message(
            text=message(picks, region, urgent=topic == URGENT_TOPIC, report=report),
            # topic and region: only so the widget can count card clicks by them (bot/insight/)
            json_message={
                "type": "service_cards",
                "cards": [card(p, region) for p in picks],
                "topic": topic,
                "region": region,
            },
        )
        return place.events if place else []
