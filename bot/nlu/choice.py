"""Asks instead of guessing when two content topics are nearly tied.

Like Rasa's two-stage fallback, but in one step: when the classifier's two best topics
are both content topics, close together and neither is confident, the intent becomes
`choose_topic` and the two topics (with their button titles from
lexicon/topic_titles.yml) travel as entities, so `utter_choose_topic` can offer both as
one-tap buttons without the action server. The crisis tiers run after this and win.
On the validation folds a margin of 0.15 fired on 4% of messages and lifted the share
answered on the right topic by two points (docs/encoder.md).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components import RuleComponent
from bot.paths import ROOT
from bot.topics import content_topics
from bot.yamlio import load_yaml

TITLES = ROOT / "lexicon" / "topic_titles.yml"
CHOOSE = "choose_topic"
MAX_TITLE = 40


@lru_cache(maxsize=1)
def topic_titles() -> Dict[str, str]:
    """{topic: button title}; every content topic but immediate_danger must have one."""
    titles = load_yaml(TITLES).get("topic_titles") or {}
    wanted = set(content_topics()) - {"immediate_danger"}
    missing = sorted(wanted - set(titles))
    if missing:
        raise ValueError(f"{TITLES.name}: no title for {', '.join(missing)}")
    long = sorted(t for t, title in titles.items() if len(str(title)) > MAX_TITLE)
    if long:
        raise ValueError(f"{TITLES.name}: titles over {MAX_TITLE} characters: {', '.join(long)}")
    return {str(k): str(v) for k, v in titles.items()}


def close_pair(ranking: List[Dict[str, Any]], margin: float, unsure_below: float) -> List[str]:
    """The two topics to offer, or [] when the best guess should simply be answered."""
    ranked = [r for r in ranking if r.get(INTENT_NAME_KEY)]
    if len(ranked) < 2:
        return []
    first, second = ranked[0], ranked[1]
    titles = topic_titles()
    if first[INTENT_NAME_KEY] not in titles or second[INTENT_NAME_KEY] not in titles:
        return []
    if first[PREDICTED_CONFIDENCE_KEY] >= unsure_below:
        return []
    if first[PREDICTED_CONFIDENCE_KEY] - second[PREDICTED_CONFIDENCE_KEY] >= margin:
        return []
    return [first[INTENT_NAME_KEY], second[INTENT_NAME_KEY]]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AskBetweenTopics(RuleComponent):
    """Turns a near tie between two content topics into a one-tap choice."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"margin": 0.15, "unsure_below": 0.6}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        topic_titles()  # a broken titles file stops the model loading, naming the file

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not (message.get(TEXT) or "").strip():
                continue
            ranking = message.get(INTENT_RANKING_KEY, []) or []
            pair = close_pair(ranking, self._config["margin"], self._config["unsure_below"])
            if not pair:
                continue
            titles = topic_titles()
            choice = {INTENT_NAME_KEY: CHOOSE, PREDICTED_CONFIDENCE_KEY: float(ranking[0][PREDICTED_CONFIDENCE_KEY])}
            message.set(INTENT, choice, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [choice] + list(ranking), add_to_output=True)
            self._set_entities(
                message,
                {
                    "topic_a": pair[0],
                    "topic_a_title": titles[pair[0]],
                    "topic_b": pair[1],
                    "topic_b_title": titles[pair[1]],
                },
            )
        return messages
