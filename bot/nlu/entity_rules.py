"""Rule-based entities for Harbour: child_age (+ age_band), location, platform, relation.

Built on a blank spaCy English tokenizer with Matcher and PhraseMatcher patterns and the
word lists in lexicon/. Nothing is downloaded. Values come out normalised:
"year 9" -> 14, "fourteen" -> 14, "Scotland" -> "GB-SCT", "Snap" -> "snapchat".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.nlu.lexicon import Lexicon, load_lexicon

# Words after which a number is a measurement or a count, not an age ("he's 6 ft").
# fmt: off
NOT_AGE_AFTER = {
    "ft", "feet", "foot", "cm", "inches", "stone", "kg", "pounds", "quid", "£", "$", "%",
    "percent", "minutes", "mins", "min", "hours", "hrs", "hour", "seconds", "days", "weeks",
    "months", "times", "pics", "pictures", "photos", "images", "videos", "messages", "texts",
    "followers", "am", "pm", "o'clock", "oclock", "people", "friends", "boys", "girls",
}
# A number right before these describes someone else ("a 25 year old man").
OTHER_PEOPLE = {
    "man", "men", "guy", "guys", "bloke", "adult", "adults", "boyfriend", "girlfriend", "bf",
    "gf", "stranger", "woman", "women", "lady", "person", "teacher", "coach", "uncle",
    "cousin", "neighbour", "neighbor", "friend", "mate",
}
POSSESSIVES = {"my", "our", "me", "mi", "ma"}
PRONOUNS = {"she", "he", "they", "who", "s/he", "ds", "dd"}
LINKING = {"is", "'s", "s", "was", "turned", "turns", "'re", "are", "be", "being", "aged"}
HEDGES = {"only", "just", "nearly", "almost", "barely", "now", "recently", "newly"}
PLACE_WORDS = {"in", "from", "near", "live", "living", "lives", "outside", "around", "based", "at"}
PLATFORM_CONTEXT = {
    "on", "via", "over", "through", "using", "use", "uses", "into", "onto", "from", "app",
    "the", "her", "his", "their", "my",
}
# fmt: on
MAX_YEAR = {"year": 13, "yr": 13, "y": 13, "grade": 12, "s": 6, "p": 7}
SHORT_REPLY = 6  # tokens


@dataclass(frozen=True)
class Entity:
    entity: str
    value: Any
    start: int
    end: int
    text: str

    def as_rasa(self, extractor: str) -> Dict[str, Any]:
        return {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence_entity": 1.0,
            "extractor": extractor,
            "processors": [],
        }


class EntityRules:
    """Finds and normalises Harbour's entities in one message."""

    def __init__(self, lexicon: Optional[Lexicon] = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.nlp = spacy.blank("en")
        vocab = self.nlp.vocab
        self._phrase_keys: Dict[str, Dict[Tuple[str, ...], str]] = {}
        self.places = self._phrases("place", self.lexicon.places, attr="LOWER")
        self.places_exact = self._phrases("place_exact", self.lexicon.places_exact, attr="ORTH")
        self.platforms = self._phrases("platform", self.lexicon.platforms, attr="LOWER")
        self.relations = self._phrases("relation", self.lexicon.relations, attr="LOWER")
        self.ages = Matcher(vocab)
        self.bands = Matcher(vocab)
        self._add_age_patterns()

    # ------------------------------------------------------------------ set-up
    def _phrases(self, label: str, names: Dict[str, str], attr: str) -> PhraseMatcher:
        matcher = PhraseMatcher(self.nlp.vocab, attr=attr)
        keys: Dict[Tuple[str, ...], str] = {}
        docs = []
        for name, value in names.items():
            doc = self.nlp.make_doc(name)
            keys[self._key(doc, attr)] = value
            docs.append(doc)
        matcher.add(label, docs)
        self._phrase_keys[label] = keys
        return matcher

    @staticmethod
    def _key(tokens: Iterable, attr: str) -> Tuple[str, ...]:
        return tuple(t.lower_ if attr == "LOWER" else t.text for t in tokens)

    def _add_age_patterns(self) -> None:
        words = "|".join(sorted(self.lexicon.number_words))
        num = {"LOWER": {"REGEX": rf"^(\d{{1,2}}|{words})$"}}
        dash = {"TEXT": "-", "OP": "?"}
        years = {"LOWER": {"IN": ["year", "years", "yr", "yrs", "yrs."]}}
        subjects = PRONOUNS | {w.split()[-1] for w in self.lexicon.relations}
        self.ages.add(
            "AGE",
            [
                [num, dash, years, dash, {"LOWER": {"IN": ["old", "olds"]}}],
                [num, {"LOWER": {"IN": ["yo", "y.o", "y.o.", "yos"]}}],
                [{"LOWER": {"REGEX": r"^\d{1,2}(yo|y\.o\.?|yrs?old|yearold)$"}}],
                [{"LOWER": {"REGEX": r"^\d{1,2}y$"}}, {"TEXT": "/"}, {"LOWER": "o"}],
                [{"LOWER": {"IN": ["aged", "age", "ages"]}}, {"TEXT": ":", "OP": "?"}, num],
                [{"TEXT": "("}, num, {"TEXT": ")"}],
            ],
        )
        self.ages.add(
            "AGE_STATED",
            [
                [
                    {"LOWER": {"IN": sorted(subjects)}},
                    {"LOWER": {"IN": sorted(LINKING)}},
                    {"LOWER": {"IN": sorted(HEDGES)}, "OP": "?"},
                    {"LOWER": {"IN": ["turned", "turning", "turns"]}, "OP": "?"},
                    num,
                ],
            ],
        )
        prefixes = "|".join(sorted(self.lexicon.school_years, key=len, reverse=True))
        self.ages.add(
            "SCHOOL_YEAR",
            [
                [{"LOWER": {"IN": ["year", "yr", "grade"]}}, {"LOWER": {"REGEX": rf"^(\d{{1,2}}s?|{words})$"}}],
                [{"LOWER": {"REGEX": rf"^({prefixes})\d{{1,2}}s?$"}}],
                [{"LOWER": {"REGEX": r"^\d{1,2}(st|nd|rd|th)$"}}, {"LOWER": "grade"}],
            ],
        )

        # The age question's button titles, typed: "under 13", "13 to 17", "18+".
        self.bands.add("under_13", [[{"LOWER": {"IN": ["under", "below"]}}, {"LOWER": {"IN": ["13", "thirteen"]}}]])
        self.bands.add(
            "13_17",
            [
                [
                    {"LOWER": {"IN": ["13", "thirteen"]}},
                    {"LOWER": {"IN": ["to", "-", "–", "and"]}},
                    {"LOWER": {"IN": ["17", "seventeen"]}},
                ],
                [{"LOWER": {"IN": ["13-17", "13–17"]}}],
                [{"LOWER": "teenager"}],
            ],
        )
        self.bands.add(
            "18_plus",
            [
                [{"LOWER": {"IN": ["18", "eighteen"]}}, {"LOWER": "or"}, {"LOWER": {"IN": ["over", "older", "above"]}}],
                [{"LOWER": {"IN": ["over", "above"]}}, {"LOWER": {"IN": ["18", "eighteen"]}}],
                [{"LOWER": "18"}, {"TEXT": "+"}],
                [{"LOWER": "18+"}],
                [{"LOWER": {"IN": ["adult", "grown"]}}],
            ],
        )

    # ------------------------------------------------------------------ public
    def extract(self, text: str) -> List[Entity]:
        if not text or not text.strip():
            return []
        doc = self.nlp.make_doc(text)
        found: List[Entity] = []
        age = self._age(doc)
        if age:
            found.append(age)
            found.append(Entity("age_band", self.lexicon.age_band(age.value), age.start, age.end, age.text))
        else:
            found.extend(self._band(doc)[:1])
        found.extend(self._places(doc)[:1])
        found.extend(self._platforms(doc))
        found.extend(self._relations(doc)[:1])
        return sorted(found, key=lambda e: (e.start, e.entity))

    def values(self, text: str) -> Dict[str, Any]:
        """The first value of each entity type, e.g. {"child_age": 14, "location": "IE"}."""
        result: Dict[str, Any] = {}
        for entity in self.extract(text):
            result.setdefault(entity.entity, entity.value)
        return result

    # ------------------------------------------------------------------ ages
    def _band(self, doc: Doc) -> List[Entity]:
        """An age band said on its own, as a reply to the age question. Only in short
        replies: in a longer message "over 18" usually describes someone else."""
        if len(doc) > SHORT_REPLY:
            return []
        return [
            Entity(
                "age_band",
                self.nlp.vocab.strings[match_id],
                doc[start:end].start_char,
                doc[start:end].end_char,
                doc[start:end].text,
            )
            for match_id, start, end in sorted(self.bands(doc), key=lambda m: m[1])
        ]

    def _number(self, word: str) -> Optional[int]:
        digits = "".join(ch for ch in word if ch.isdigit())
        if digits and word[: len(digits)] == digits:
            return int(digits)
        return self.lexicon.number_words.get(word.lower())

    def _school_age(self, span: Span) -> Optional[int]:
        first = span[0].lower_
        if first in ("year", "yr", "grade"):
            system, number = first, self._number(span[1].lower_.rstrip("s"))
        elif span[-1].lower_ == "grade":
            system, number = "grade", self._number(first)
        else:
            stem = first.rstrip("s") if first[-1:] == "s" and first[-2:-1].isdigit() else first
            digits_at = next(i for i, ch in enumerate(stem) if ch.isdigit())
            system, number = stem[:digits_at], int(stem[digits_at:])
        if number is None or not 1 <= number <= MAX_YEAR.get(system, 0):
            return None
        return number + self.lexicon.school_years[system]

    def _age(self, doc: Doc) -> Optional[Entity]:
        low, high = self.lexicon.age_range
        candidates: List[Tuple[int, int, Entity]] = []
        for match_id, start, end in self.ages(doc):
            label = self.nlp.vocab.strings[match_id]
            span = doc[start:end]
            after = doc[end] if end < len(doc) else None
            if label == "SCHOOL_YEAR":
                value, score = self._school_age(span), 2
            else:
                number_token = next((t for t in span if self._number(t.lower_) is not None), None)
                if number_token is None:
                    continue
                value = self._number(number_token.lower_)
                if after is not None and after.lower_ in OTHER_PEOPLE:
                    continue
                if label == "AGE_STATED":
                    if after is not None and after.lower_ in NOT_AGE_AFTER:
                        continue
                    if (
                        after is not None
                        and after.lower_ in ("year", "years")
                        and (end + 1 >= len(doc) or doc[end + 1].lower_ != "old")
                    ):
                        continue
                score = 2 if label == "AGE_STATED" or self._near_child(doc, start, end) else 1
            if value is None or not low <= value <= high:
                continue
            candidates.append((-score, start, Entity("child_age", value, span.start_char, span.end_char, span.text)))
        bare = self._bare_number(doc)
        if bare is not None:
            candidates.append((-1, 0, bare))
        if not candidates:
            return None
        return min(candidates, key=lambda c: (c[0], c[1]))[2]

    def _near_child(self, doc: Doc, start: int, end: int) -> bool:
        before = {t.lower_ for t in doc[max(0, start - 2) : start]}
        after = doc[end].lower_ if end < len(doc) else ""
        return bool(before & POSSESSIVES) or after in self.lexicon.relations

    def _bare_number(self, doc: Doc) -> Optional[Entity]:
        """A message that is only an age: "14", "fourteen", "15." (answering "how old?")."""
        words = [t for t in doc if not t.is_punct]
        if len(words) != 1:
            return None
        value = self._number(words[0].lower_)
        low, high = self.lexicon.age_range
        if value is None or not low <= value <= high or not words[0].text.isalnum():
            return None
        token = words[0]
        return Entity("child_age", value, token.idx, token.idx + len(token.text), token.text)

    # ------------------------------------------------------------------ phrases
    def _lookup(self, label: str, span: Span, attr: str) -> str:
        return self._phrase_keys[label][self._key(span, attr)]

    def _places(self, doc: Doc) -> List[Entity]:
        spans = []
        for _, start, end in self.places(doc):
            span = doc[start:end]
            name = span.text.lower()
            if name in self.lexicon.places_need_preposition and not (
                start > 0 and doc[start - 1].lower_ in PLACE_WORDS
            ):
                continue
            spans.append(Span(doc, start, end, label=self._lookup("place", span, "LOWER")))
        for _, start, end in self.places_exact(doc):
            span = doc[start:end]
            spans.append(Span(doc, start, end, label=self._lookup("place_exact", span, "ORTH")))
        return [
            Entity("location", span.label_, span.start_char, span.end_char, span.text)
            for span in sorted(filter_spans(spans), key=lambda s: s.start)
        ]

    def _platforms(self, doc: Doc) -> List[Entity]:
        spans = []
        for _, start, end in self.platforms(doc):
            span = doc[start:end]
            if span.text.lower() in self.lexicon.platforms_need_context:
                preceded = start > 0 and doc[start - 1].lower_ in PLATFORM_CONTEXT
                capitalised = span.text.isupper() or (span.text[0].isupper() and start > 0)
                if not (preceded or capitalised):
                    continue
            spans.append(Span(doc, start, end, label=self._lookup("platform", span, "LOWER")))
        entities, seen = [], set()
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            if span.label_ not in seen:
                seen.add(span.label_)
                entities.append(Entity("platform", span.label_, span.start_char, span.end_char, span.text))
        return entities

    def _relations(self, doc: Doc) -> List[Entity]:
        spans = []
        for _, start, end in self.relations(doc):
            span = doc[start:end]
            if span.text.lower() in self.lexicon.relations_need_possessive and not self._possessed(doc, start):
                continue
            spans.append(Span(doc, start, end, label=self._lookup("relation", span, "LOWER")))
        return [
            Entity("relation", span.label_, span.start_char, span.end_char, span.text)
            for span in sorted(filter_spans(spans), key=lambda s: s.start)
        ]

    @staticmethod
    def _possessed(doc: Doc, start: int) -> bool:
        """True when "my"/"our" comes shortly before, with no sentence break in between."""
        for token in reversed(doc[max(0, start - 4) : start]):
            if token.is_punct and token.text not in ("-", "'"):
                return False
            if token.lower_ in POSSESSIVES:
                return True
        return False
