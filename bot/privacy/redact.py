"""Removes personal details from a parent's message before anything is stored.

Typed placeholders replace what is found: [phone], [email], [url], [handle],
[postcode], [address], [name], [school], [date], [id] (NI, PPS and vehicle numbers) and
[ip]. Built on a blank spaCy tokenizer with Matcher rules, plus plain patterns
(bot/privacy/identifiers.py), so nothing is downloaded. Used at both doors (/api/chat and
Rasa's REST channel, after bot/privacy/normalise.py) and again when exporting for review.
docs/redaction.md has the measured leaks, false positives and cost.

Names: parents rarely capitalise on a phone, so after a relation word ("my daughter
emily"), an age ("my 14 year old chloe") or "name is", any word that is not ordinary
English, or is a common name (lexicon/names.yml), is taken as a name; elsewhere a
capitalised word that is not English, or a common name, is. "Ordinary English" is spaCy's
stop words plus Harbour's own training vocabulary and word lists.

Cost is linear: a run of more than LONG_RUN characters with no space is tokenized by a
simple pattern instead of spaCy's tokenizer, whose cost grows with the square of a run of
punctuation or emoji.
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
from spacy.tokens import Doc  # noqa: E402

from bot.nlu_examples import examples  # noqa: E402
from bot.paths import DATA, LEXICON  # noqa: E402
from bot.privacy.identifiers import find_identifiers, with_letter_o_as_zero  # noqa: E402
from bot.yamlio import load_yaml  # noqa: E402

# fmt: off
RELATION_WORDS = {
    "son", "daughter", "stepson", "stepdaughter", "niece", "nephew", "grandson", "granddaughter",
    "child", "kid", "boy", "girl", "pupil", "student", "brother", "sister", "friend", "mate",
    "boyfriend", "girlfriend", "bf", "gf", "ex", "husband", "wife", "partner", "teacher", "coach",
    "uncle", "aunt", "auntie", "cousin", "neighbour", "neighbor", "dad", "mum", "mom", "stepdad",
    "stepmum", "called", "named", "name's", "lad", "classmate",
}
# Words after which the next token is an account name when it looks like one.
PLATFORM_WORDS = {
    "snap", "snapchat", "sc", "insta", "instagram", "ig", "tiktok", "discord", "kik", "twitter", "telegram",
    "roblox", "xbox", "psn", "steam", "twitch", "reddit", "facebook", "fb", "whatsapp", "yubo", "wizz", "threads",
    "username", "usernames", "handle", "gamertag", "account", "profile", "user",
}
HANDLE_LINKS = {"is", "was", ":", "=", "-", "name", "username", "handle", "account", "id", "called", "@", "'s", "its",
                "it's", "tag", "gamertag", "user"}
# A parent signing a message ("Dad, Preston." / "mum, Leeds, ..."): with no "my" or "her"
# before the word, a place after the comma is where they write from, not a name.
SIGN_OFF_WORDS = {"dad", "mum", "mom", "mam", "stepdad", "stepmum", "stepmom"}
DETERMINERS = {"my", "her", "his", "their", "your", "our", "the", "a", "an", "whose", "its"}
PLACE_WORDS = {"in", "from", "near", "county", "co", "co.", "to", "at", "around", "outside", "of", "into", "towards"}
# Words between a number and a street word that show it is not an address ("15 but the way").
NOT_STREET = {"year", "years", "yr", "yrs", "old", "yo", "day", "days", "week", "weeks", "month", "months", "time",
              "times", "hour", "hours", "minute", "minutes", "mins", "pm", "am", "but", "on", "in", "a", "his", "her",
              "my", "our", "their", "all", "and", "or", "of", "to", "by", "along", "out", "sounds", "is"}
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
_PHONE = re.compile(r"(?<![\w@])(?:\+|00)?\(?\d[\d ()\-.]{6,24}\d(?![\w@])")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']{1,2000}", re.I)
_CODE_WORD_BEFORE = re.compile(r"\b(?:zip|zipcode|zip code|postcode)\s*$", re.I)
LONG_RUN = 24
_RUN = re.compile(r"\S+")
_SIMPLE_TOKEN = re.compile(r"\w+|@|[^\w\s@]+")
_NAME_WITH_APOSTROPHE = re.compile(r"^(?:[A-Z]|[a-z])['’][A-Za-z][a-z]+$|^Mc[A-Z][a-z]+$|^Mac[A-Z][a-z]+$")
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
        if path.name not in ("names.yml", "confusables.yml"):
            words.update(re.findall(r"[a-z']+", path.read_text(encoding="utf-8").lower()))
    return frozenset(words | RELATION_WORDS | STREET)


@lru_cache(maxsize=1)
def _names_list() -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """(first names, surnames) from lexicon/names.yml, lower case."""
    content = load_yaml(LEXICON / "names.yml")
    return (
        frozenset(str(n).lower() for n in content.get("first_names") or []),
        frozenset(str(n).lower() for n in content.get("surnames") or []),
    )


@lru_cache(maxsize=1)
def _places() -> FrozenSet[str]:
    """Place names Harbour knows, lower case: the entity rules' list (lexicon/locations.yml)."""
    from bot.nlu.lexicon import load_lexicon

    return frozenset(load_lexicon().places)


def _signs_off_with_place(doc, i: int) -> bool:
    """ "Dad, Preston." : token i is a parent word with no determiner before it, then a comma,
    then a known place that is not also a common first name."""
    if doc[i].lower_ not in SIGN_OFF_WORDS or (i > 0 and doc[i - 1].lower_ in DETERMINERS):
        return False
    if i + 2 >= len(doc) or doc[i + 1].text != ",":
        return False
    first, places = _names_list()[0], _places()
    one = doc[i + 2].lower_
    two = f"{one} {doc[i + 3].lower_}" if i + 3 < len(doc) else ""
    return (one in places and one not in first) or two in places


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
            [
                {"TEXT": {"REGEX": r"^\d{1,4}[A-Za-z]?$"}},
                {"IS_ALPHA": True, "LOWER": {"NOT_IN": sorted(NOT_STREET)}, "OP": "{1,3}"},
                {"LOWER": {"IN": sorted(STREET)}},
            ],
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
                {"LOWER": {"IN": ["is", ":", "was"]}, "OP": "?"},
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


def _is_name_word(token, known: FrozenSet[str], first: FrozenSet[str], last: FrozenSet[str], after_name: bool) -> bool:
    word = token.lower_
    if _NAME_WITH_APOSTROPHE.match(token.text):
        return True
    if not token.is_alpha:
        return False
    if word in first or (after_name and word in last):
        return True
    if (
        word in ("wo", "ca", "sha")
        or word.endswith(("ed", "ing", "ly"))
        or (token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "n't")
    ):
        return False  # won't / can't split by the tokenizer, and verb forms
    # Unknown words are names; so are capitalised words mid-sentence ("my son Will").
    return not _english(word, known) or (token.is_title and word not in ("i", "a"))


def _name_after(doc, j: int, spans: List[Tuple[int, int]]) -> None:
    """A name of up to two words starting at token j (three with a surname from the list)."""
    known, (first, last) = _known_words(), _names_list()
    if j < len(doc) and doc[j].text in (",", "-", ":") and j + 1 < len(doc):
        j += 1
    if j < len(doc) and doc[j].lower_.rstrip(".") in ("mr", "mrs", "ms", "miss", "dr") and j + 1 < len(doc):
        j += 1
    start = j
    while j < len(doc) and j - start < 3 and _is_name_word(doc[j], known, first, last, j > start):
        j += 1
        if j - start == 2 and not (j < len(doc) and doc[j].lower_ in last):
            break
    if j > start:
        spans.append((doc[start].idx, doc[j - 1].idx + len(doc[j - 1].text)))


def _names(doc) -> List[Tuple[int, int]]:
    """Character spans of names: after a relation word ("my daughter emily"), an age
    ("my 14 year old chloe") or "name is"; and capitalised names anywhere ("Chloe Smith sent")."""
    known, (first, _) = _known_words(), _names_list()
    spans: List[Tuple[int, int]] = []
    for i, token in enumerate(doc[:-1]):
        if len(spans) >= 20:
            break
        word = token.lower_
        after_age = word in ("old", "yo", "y/o") and i > 0 and doc[i - 1].lower_ in ("year", "years", "yr", "yrs")
        after_age = after_age or (word in ("yo", "y/o") and i > 0 and doc[i - 1].like_num)
        name_is = word in ("is", "was", "'s") and i > 0 and doc[i - 1].lower_ in ("name", "names", "nickname")
        if (word in RELATION_WORDS or after_age or name_is) and not _signs_off_with_place(doc, i):
            _name_after(doc, i + 1, spans)
    # Capitalised names anywhere: a common first name, or a capitalised word that is not
    # English and not the first word of a sentence, with a surname after it.
    for token in doc:
        if len(spans) >= 40:
            break
        if not token.is_title or not token.is_alpha or len(token) < 2:
            continue
        word = token.lower_
        before = doc[token.i - 1].lower_ if token.i else ""
        sentence_start = token.i == 0 or before in (".", "!", "?", "\n", ":", '"')
        place = before in PLACE_WORDS  # "in Leeds", "county Mayo": a place, not a person
        if word in first or (not sentence_start and not place and not _english(word, known)):
            _name_after(doc, token.i, spans)
    return spans


def _doc(text: str):
    """spaCy's tokens for ordinary text; a simple split for runs longer than LONG_RUN with no
    space, which spaCy's tokenizer takes quadratic time over. The text is unchanged."""
    nlp, _ = _pipeline()
    if len(text) <= LONG_RUN or not any(len(m.group()) > LONG_RUN for m in _RUN.finditer(text)):
        return nlp.make_doc(text)
    docs, done = [], 0
    for run in _RUN.finditer(text):
        if len(run.group()) <= LONG_RUN:
            continue
        if run.start() > done:
            docs.append(nlp.make_doc(text[done : run.start()]))
        pieces = [(m.start(), m.end()) for m in _SIMPLE_TOKEN.finditer(text, run.start(), run.end())]
        words = [text[a:b] for a, b in pieces]
        spaces = [pieces[k + 1][0] > b for k, (a, b) in enumerate(pieces[:-1])] + [False]
        # characters between pieces (none: every non-space character is in a piece)
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces))
        done = run.end()
    if done < len(text):
        docs.append(nlp.make_doc(text[done:]))
    return Doc.from_docs(docs, ensure_whitespace=False)


def _handles(doc) -> List[Tuple[int, int, str]]:
    """An account name after a platform word: "her snap is chloesmith99", "discord chloe#1234"."""
    known, found = _known_words(), []
    text = doc.text
    for i, token in enumerate(doc[:-1]):
        if token.lower_ not in PLATFORM_WORDS:
            continue
        j, linked = i + 1, False
        while j < len(doc) and j - i <= 3 and doc[j].lower_ in HANDLE_LINKS:
            j, linked = j + 1, True
        if j >= len(doc):
            continue
        # The handle: this token plus any directly attached tokens (".", "_", "#", digits).
        start, end = doc[j].idx, doc[j].idx + len(doc[j].text)
        k = j + 1
        while k < len(doc) and doc[k].idx == end and k - j < 8:
            end = doc[k].idx + len(doc[k].text)
            k += 1
        handle = text[start:end]
        if not re.fullmatch(r"@?[\w.#-]{3,40}", handle) or handle.strip(".-").lower() in known:
            continue
        marked = bool(re.search(r"[\d_.#]", handle.strip(".")))
        if marked or (linked and not _english(handle.lower(), known)):
            found.append((start, end, "[handle]"))
    return found


def find(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, placeholder) for every personal detail in `text`."""
    nlp, matcher = _pipeline()
    doc = _doc(text)
    found = []
    for match_id, start, end in matcher(doc):
        label = nlp.vocab.strings[match_id]
        span = doc[start:end]
        if label == "zip":  # the code itself, not the word or state before it
            first = next(t.i for t in span if t.text[:1].isdigit())
            span = doc[first:end]
        placeholder = {"zip": "[postcode]"}.get(label, f"[{label}]")
        found.append((span.start_char, span.end_char, placeholder))
    found += [(m.start(), m.end(), "[email]") for m in _EMAIL.finditer(text)]
    found += [(m.start(), m.end(), "[url]") for m in _URL.finditer(text)]
    for pattern, placeholder in ((_EIRCODE, "[postcode]"), (_CA_POSTCODE, "[postcode]"), (_UK_POSTCODE, "[postcode]")):
        found += [
            (m.start(), m.end(), placeholder)
            for m in pattern.finditer(text)
            if any(ch.isdigit() for ch in m.group()) and any(ch.isalpha() for ch in m.group())
        ]
    digits = with_letter_o_as_zero(text)  # "O77OO 9OO123" read as a number, same offsets
    for match in _PHONE.finditer(digits):
        if _CODE_WORD_BEFORE.search(text[max(0, match.start() - 20) : match.start()]):
            continue  # a code written as digits, not a phone number
        groups = re.findall(r"\d+", match.group())
        years_only = all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups)
        if sum(len(g) for g in groups) >= 7 and not years_only:
            found.append((match.start(), match.end(), "[phone]"))
    found += find_identifiers(digits)
    found += _handles(doc)
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
