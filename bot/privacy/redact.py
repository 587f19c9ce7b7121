"""Removes personal details from a parent's message before anything is stored.

Typed placeholders replace what is found: [phone], [email], [url], [handle],
[postcode], [address], [name]. Built on a blank spaCy tokenizer with Matcher rules, so
nothing is downloaded. Used at the door (/api/chat) and again when exporting for review.

Names: parents rarely capitalise on a phone, so after a relation word ("my daughter
emily") any word that is not ordinary English is taken as a name. "Ordinary English"
is spaCy's stop words plus Harbour's own training vocabulary and word lists.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, List, Tuple

from bot.lean_imports import thinc_without_tensorflow

thinc_without_tensorflow()  # before spaCy: the web app must not load TensorFlow

import spacy  # noqa: E402
from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402
from spacy.matcher import Matcher  # noqa: E402

from bot.nlu_examples import examples  # noqa: E402
from bot.paths import DATA, LEXICON  # noqa: E402

# fmt: off
RELATION_WORDS = {
    "son", "daughter", "stepson", "stepdaughter", "niece", "nephew", "grandson", "granddaughter",
    "child", "kid", "boy", "girl", "pupil", "student", "brother", "sister", "friend", "mate",
    "boyfriend", "girlfriend", "bf", "gf", "ex", "husband", "wife", "partner", "teacher", "coach",
    "uncle", "aunt", "auntie", "cousin", "neighbour", "neighbor", "dad", "mum", "mom", "stepdad",
    "stepmum", "called", "named", "name's", "lad", "classmate",
}
STREET = {"street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "close",
          "crescent", "way", "court", "ct", "place", "pl", "terrace", "gardens", "grove", "boulevard",
          "blvd", "square", "sq", "park", "hill", "row", "mews", "walk", "view"}
US_STATES = {"al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia",
             "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj",
             "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt",
             "va", "wa", "wv", "wi", "wy"}
AU_STATES = {"nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"}
# fmt: on
# Whole-text patterns for things the tokenizer splits unpredictably.
_PHONE = re.compile(r"(?<![\w@])(?:\+|00)?\(?\d[\d ()\-.]{6,}\d(?![\w@])")
_EIRCODE = re.compile(r"\b[ACDEFHKNPRTVWXY]\d{2}\s?[0-9ACDEFHKNPRTVWXY]{4}\b", re.I)
_CA_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z]\s?\d[A-Z]\d\b", re.I)
_UK_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b", re.I)


@lru_cache(maxsize=1)
def _known_words() -> FrozenSet[str]:
    """English words that are not names: stop words, spaCy's English lemma table
    (spacy-lookups-data, about 41,000 word forms) and Harbour's own vocabulary."""
    from spacy.lookups import load_lookups

    words = {w.lower() for w in STOP_WORDS}
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    words.update(str(key) for key in table.keys() if isinstance(key, str))
    words.update(str(value).lower() for value in table.values() if isinstance(value, str))
    for items in examples(DATA / "nlu").values():
        for text, _ in items:
            words.update(re.findall(r"[a-z']+", text.lower()))
    for path in sorted(LEXICON.glob("*.yml")):
        words.update(re.findall(r"[a-z']+", path.read_text(encoding="utf-8").lower()))
    return frozenset(words | RELATION_WORDS | STREET)


@lru_cache(maxsize=1)
def _pipeline():
    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    matcher.add("email", [[{"LIKE_EMAIL": True}]])
    matcher.add("url", [[{"LIKE_URL": True}], [{"LOWER": {"REGEX": r"^(https?://|www\.)"}}]])
    matcher.add(
        "handle",
        [
            [{"TEXT": {"REGEX": r"^@[A-Za-z0-9_.]{2,30}$"}}],
            [{"TEXT": "@"}, {"TEXT": {"REGEX": r"^[A-Za-z0-9_.]{2,30}$"}}],
        ],
    )
    matcher.add(
        "address",
        [
            [{"LIKE_NUM": True}, {"IS_ALPHA": True, "OP": "{1,3}"}, {"LOWER": {"IN": sorted(STREET)}}],
            [{"LOWER": {"IN": ["flat", "apartment", "apt", "unit"]}}, {"LIKE_NUM": True}],
        ],
    )
    plus_four = [{"TEXT": "-", "OP": "?"}, {"TEXT": {"REGEX": r"^\d{4}$"}, "OP": "?"}]
    matcher.add(
        "zip",
        [
            [{"LOWER": {"IN": sorted(US_STATES)}}, {"TEXT": {"REGEX": r"^\d{5}(-\d{4})?$"}}, *plus_four],
            [
                {"LOWER": {"IN": ["zip", "zipcode"]}},
                {"LOWER": "code", "OP": "?"},
                {"TEXT": {"REGEX": r"^\d{5}(-\d{4})?$"}},
                *plus_four,
            ],
            [{"LOWER": {"IN": sorted(AU_STATES)}}, {"TEXT": {"REGEX": r"^\d{4}$"}}],
            [{"LOWER": "postcode"}, {"TEXT": {"REGEX": r"^\d{4}$"}}],
        ],
    )
    return nlp, matcher


def _english(word: str, known: FrozenSet[str]) -> bool:
    """Known as English, allowing for plurals and -s verbs ("hits", "watches", "tries")."""
    return (
        word in known
        or (word.endswith("s") and word[:-1] in known)
        or (word.endswith("es") and word[:-2] in known)
        or (word.endswith("ies") and word[:-3] + "y" in known)
    )


def _names(doc) -> List[Tuple[int, int]]:
    """Character spans of names right after a relation word: "my daughter emily"."""
    known, spans = _known_words(), []
    for i, token in enumerate(doc[:-1]):
        if token.lower_ not in RELATION_WORDS:
            continue
        j = i + 1
        if doc[j].text in (",", "-") and j + 1 < len(doc):
            j += 1
        if doc[j].lower_.rstrip(".") in ("mr", "mrs", "ms", "miss", "dr") and j + 1 < len(doc):
            j += 1
        start = j
        while j < len(doc) and doc[j].is_alpha and len(spans) < 20:
            word = doc[j].lower_
            if (
                word in ("wo", "ca", "sha")
                or word.endswith(("ed", "ing"))
                or (j + 1 < len(doc) and doc[j + 1].lower_ == "n't")
            ):
                break  # won't / can't split by the tokenizer, and verb forms
            # Unknown words are names; so are capitalised words mid-sentence ("my son Will").
            is_name = not _english(word, known) or (doc[j].is_title and word not in ("i", "a"))
            if not is_name:
                break
            j += 1
            if j - start == 2:
                break
        if j > start:
            spans.append((doc[start].idx, doc[j - 1].idx + len(doc[j - 1].text)))
    return spans


def find(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, placeholder) for every personal detail in `text`."""
    nlp, matcher = _pipeline()
    doc = nlp.make_doc(text)
    found = []
    for match_id, start, end in matcher(doc):
        label = nlp.vocab.strings[match_id]
        span = doc[start:end]
        if label == "zip":  # the code itself, not the word or state before it
            first = next(t.i for t in span if t.text[:1].isdigit())
            span = doc[first:end]
        placeholder = {"zip": "[postcode]"}.get(label, f"[{label}]")
        found.append((span.start_char, span.end_char, placeholder))
    for pattern, placeholder in ((_EIRCODE, "[postcode]"), (_CA_POSTCODE, "[postcode]"), (_UK_POSTCODE, "[postcode]")):
        found += [
            (m.start(), m.end(), placeholder)
            for m in pattern.finditer(text)
            if any(ch.isdigit() for ch in m.group()) and any(ch.isalpha() for ch in m.group())
        ]
    for match in _PHONE.finditer(text):
        if re.search(r"\b(?:zip|zipcode|zip code|postcode)\s*$", text[: match.start()], re.I):
            continue  # a code written as digits, not a phone number
        groups = re.findall(r"\d+", match.group())
        years_only = all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups)
        if sum(len(g) for g in groups) >= 7 and not years_only:
            found.append((match.start(), match.end(), "[phone]"))
    found += [(s, e, "[name]") for s, e in _names(doc)]
    # Keep the longest non-overlapping spans.
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept, last_end = [], -1
    for start, end, placeholder in found:
        if start >= last_end:
            kept.append((start, end, placeholder))
            last_end = end
    return kept


def redact(text: str) -> str:
    for start, end, placeholder in reversed(find(text)):
        text = text[:start] + placeholder + text[end:]
    return text
