"""Spots a child at immediate risk, with high recall, and not figures of speech.

Combines the intent classifier with patterns for five kinds of danger: a child missing
or run away, meeting someone from online, suicidal or self-harming, being hurt now,
or an adult on the way. Guards keep figures of speech ("I could kill him", "dying of
embarrassment"), past events ("last year", "it's sorted now") and general questions
("how do I know if ...") from raising an alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_CHILD = r"(?:he|she|they|him|her|them|my \w+(?: \w+)?|our \w+|the (?:boy|girl|child|kid)|my kid|my child)"
_SELF = r"(?:himself|herself|themselves|themself|myself|theirself)"

DANGER = [
    # missing or run away
    r"\b(?:is|are|has|have|'s|gone|went|been|go|goes) missing\b",
    r"\bmissing since\b",
    r"\b(?:ran|run|running|has run|'s run) (?:away|off)\b",
    r"\b(?:didn't|did not|hasn't|has not|haven't|not) (?:come|came|got|get|been) (?:home|back)\b",
    r"\bcan'?t (?:find|reach|get hold of) (?:him|her|them|my|our)\b",
    r"\b(?:has |have )?disappeared\b",
    r"\b(?:been )?taken by\b",
    r"\bwent off with\b",
    # meeting someone from online, now
    r"\b(?:gone|going|went|left|leaving|on (?:his|her|their) way|about|off|sneaked out|snuck out)\b[^.]{0,25}\bto meet\b",
    r"\bmeeting (?:an? |some |this |the )?(?:man|guy|adult|stranger|someone|person|older)\b",
    r"\bmeet(?:ing)? (?:his|her|their) online (?:boyfriend|girlfriend|friend)\b",
    r"\b(?:getting|got|get) in(?:to)? (?:a|the|his) car\b",
    r"\b(?:picking|pick|collecting|collect) (?:her|him|them|my \w+|our \w+) up\b",
    r"\bdriving (?:here|over|round) to (?:get|collect|pick)\b",
    r"\bmaking (?:him|her|them) go with\b",
    r"\bat (?:a|an|some) (?:stranger|man|adult)'?s? (?:flat|house|home|hotel|place)\b",
    r"\bat a hotel with an adult\b",
    r"\b(?:locked|trapped|stuck) (?:in|with)\b.*\b(?:adult|man|stranger|knife|car)\b",
    r"\b(?:can't|cannot) leave\b",
    # suicidal or self-harming
    rf"\bkill(?:ing)? {_SELF}\b",
    r"\bsuicid",
    r"\b(?:end|ending|take|taking) (?:it all|(?:his|her|their|my) (?:own )?life)\b",
    r"\bend it\b",
    r"\bwants? to (?:die|be dead|end it)\b",
    r"\b(?:rather|better off) (?:be )?dead\b",
    r"\brather die\b",
    r"\bno point (?:in )?living\b",
    r"\bgoodbye (?:note|letter|message)\b",
    # indirect and goodbye signals (docs/danger-taxonomy.md): said of or by the child
    r"\b(?:she|he|they|says|said|texted|wrote|messaged)\b[^.]{0,20}\bcan'?t (?:go on|do this any ?more|take (?:it|this) any ?more|cope any ?more)\b",
    r"\b(?:disappear|vanish) (?:forever|for good)\b",
    r"\b(?:she|he|they)(?: \w+){0,3} wants? to disappear\b",
    r"\b(?:won'?t|will not|wouldn'?t) be (?:around|here) (?:much longer|for long|anymore|any more)\b",
    r"\b(?:better off|be better) without (?:me|her|him|them)\b(?! (?:in|at) )",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on)\b",
    r"\bsorry for everything\b",
    r"\bgiving (?:away )?(?:all )?(?:her|his|their) (?:things|stuff) away\b",
    r"\b(?:left|leaving|wrote|written) a (?:suicide )?note\b",
    r"\boverdos",
    r"\b(?:taken|took|swallowed) (?:a load of |loads of |lots of |a lot of |some |all (?:of )?)?(?:(?:her|his|their|my|the) )?(?:pills|tablets|meds|medication)\b",
    r"\bgot (?:pills|tablets)\b",
    r"\bself[- ]?harm(?:ing)?\b",
    rf"\b(?:cut|cutting|hurt|hurting|harm|harming|hang|hanging|burn|burning) {_SELF}\b",
    r"\b(?:threatening|going|says? (?:he|she|they)(?:'ll| will)|wants?) to (?:jump|hang)\b",
    r"\b(?:on|at the edge of) (?:the|a) (?:roof|bridge|ledge)\b",
    r"\bwith a knife\b",
    r"\bunconscious\b",
    r"\bbleeding\b",
    # being hurt now, or in danger
    r"\b(?:is|are|being) (?:hurt|abused|attacked|raped|beaten|hit|assaulted)\b.*\b(?:now|right now|at the moment|currently)\b",
    r"\b(?:hurting|abusing|attacking|beating|raping) (?:my|our|her|him|them)\b.*\b(?:now|right now|at the moment)\b",
    r"\b(?:is|are|'s) being (?:attacked|beaten|hit|assaulted|held|beaten up)\b",
    r"\bbeing (?:beaten|attacked) up\b",
    r"\b(?:in|is in) (?:immediate |real )?danger\b(?! of)",
    r"\b(?:isn't|is not|not) safe (?:right )?now\b",
    r"\bwith (?:a|an|the) (?:man|adult|stranger|guy)\b.*\b(?:now|right now|tonight)\b",
    r"\b(?:adult|man|stranger|guy) (?:is )?with (?:my|our|her|him)\b.*\b(?:now|right now)\b",
    r"\btexted me help\b",
    r"\bwon'?t let (?:her|him|them) go\b",
    r"\bscared of him\b",
    # an adult on the way
    r"\b(?:on (?:his|her|their) way|coming) (?:here|over|round|to (?:our|my|the) (?:house|home|flat|school))\b",
    r"\b(?:outside|at) (?:our|my|the) (?:house|home|door|flat|school)\b.*\b(?:man|adult|stranger|groomed|he|waiting)\b",
    r"\b(?:man|adult|stranger|someone) (?:is )?waiting outside\b",
    r"\boutside waiting for\b",
    r"\b(?:man|adult|stranger|he|they|someone|guy)\b[^.]{0,40}\b(?:is|'s|are) (?:outside|at) (?:our|my|the) (?:house|home|door|flat|school)\b",
    r"\bknows where we live\b",
    r"\bemergency\b",
]
# Danger stated so plainly that a question, a past event or a relationship in the same
# message does not overrule it (security probe H3): "how do i stop him, he's on the roof",
# "the man who groomed her in 2023 is outside our house". Only a figure of speech or the
# child being safe again does.
ACUTE = [
    r"\b(?:is|'s|are|'re) (?:on|at the edge of) (?:the|a) (?:roof|bridge|ledge|cliff|tracks|railway)\b",
    r"\b(?:is|'s|are|'re|waiting|parked|standing) (?:right )?outside (?:our|my|the) (?:house|home|door|flat|school)\b",
    r"\b(?:still|been) missing\b",
    r"\bmissing since\b",
    r"\btexted me help\b",
    r"\b(?:run|ran|gone) (?:away|off) with (?:him|her|them|a man|an adult|the man|this man)\b",
    r"\b(?:has|'s|have|just) (?:swallowed|taken|took) (?:a load of |loads of |lots of |all (?:of )?)?"
    r"(?:(?:her|his|their|my|the) )?(?:pills|tablets|meds|medication)\b",
]
# Figures of speech and angry parents: never a crisis on their own.
FIGURES = [
    r"\bi(?:'m| am|'d| would)? ?(?:could |going to |gonna |will )?(?:kill|murder|strangle)\b(?! {0})".format(_SELF),
    r"\bwould kill me\b",
    r"\b(?:dying|died|dies) (?:of|from|to|laughing)\b",
    r"\b(?:is|are|was) killing (?:me|her|him|us)\b",
    r"\b(?:scared|bored|worried) to death\b",
    r"\bdead (?:set|to me|tired|embarrassed|worried)\b",
    r"\bwas joking\b|\bjoking (?:around|about)\b",
    r"\bin danger of \w+ing\b",
    r"\bi'?m not in danger\b",
    # the parent's own wish to escape, or a way of speaking
    r"\bi (?:just )?(?:want|wanna|feel like|could) (?:to )?(?:run away|go missing|disappear)\b",
    r"\bpart of me wants to\b",
    r"\bkilling (?:myself|me) with\b",
    r"\bbleeding inside\b",
    r"\brather die than (?:talk|tell|show|let|admit)\b",
]
# The child is safe again: not an emergency any more (unless the message says "not safe").
RESOLVED = [
    r"(?<!not )(?<!n't )\bsafe (?:at home|and well|now)\b",
    r"\bhome and safe\b",
    r"(?<!not )(?<!n't )\b(?:is|'s) safe\b",
    r"\b(?:police|we) found (?:him|her|them)\b(?! (?:phone|bag|bike|coat|shoes|jacket))",
    r"\b(?:he|she|they)(?:'s| is| are|'re) (?:back )?home now\b",
]
PAST = [
    r"\b(?:last|previous) (?:year|summer|winter|spring|autumn|month|term|week|christmas)\b",
    r"\b(?:years|months|weeks) ago\b",
    r"\ba (?:few|couple of) (?:years|months) ago\b",
    r"\bwhen (?:he|she|they) (?:was|were) (?:younger|little|small|\d+)\b",
    r"\bused to\b",
    r"\bin (?:19|20)\d\d\b",
    r"\b(?:sorted|resolved|over) now\b|\bdealt with it\b|\bfound (?:him|her|them) the same\b",
    r"\bdoing (?:well|better|ok|okay) now\b|\bfine now\b|\bin therapy now\b",
    r"\bonce when\b",
    r"\bover a (?:year|month|week) ago\b",
    r"\b(?:in|over|during) (?:the )?(?:summer|holidays|half term|lockdown)\b",
    r"\bwhen (?:he|she|they) (?:was|were) in (?:year|grade) \d+\b",
]
# A partner's threat used to control the child ("she'll hurt herself if he leaves him"):
# a relationship worry (unhealthy_relationship), not a child in danger now.
CONTROL = [r"\bif (?:he|she|they) (?:leaves|leave|breaks? up|dumps?|ends? it)\b"]
# Questions about what to do in general or in future.
GENERAL = [
    r"^(?:how (?:do|can|would|should) i (?:know|tell|spot|stop|talk|prevent|make)|what are the signs|signs of|what should i do if|what do i do if|how to)\b",
    r"\bin (?:the )?future\b",
    r"\bever (?:runs|run|goes)\b",
    r"\bis (?:that|it) a good idea\b",
    r"\bif (?:my|our|your|a) (?:\w+ ){0,2}(?:ever|was|were)\b",
    r"\bhypothetical",
    r"\bwhat would (?:make|i|you|happen)\b",
    r"\bwhy do (?:so many )?(?:kids|teens|teenagers|children|boys|girls|young people)\b",
    r"\bis it normal\b",
    r"\bwhat counts as\b",
    r"\bwhat helplines?\b",
    r"\bhow quickly should\b",
    r"\bwould the school\b",
]
# The news, a programme, or someone else's family: worrying, not this child now.
ELSEWHERE = [
    r"\b(?:on the news|in the (?:local )?(?:paper|news)|news (?:story|report|article)|documentary|a story on)\b",
    r"\b(?:tv|telly) (?:drama|show|programme|program)\b",
    r"\bsaw (?:it )?on (?:facebook|tiktok|the news|instagram)\b",
    r"\b(?:my|our) (?:neighbour|neighbor|friend|best friend|sister|brother|cousin|colleague)'s (?:son|daughter|kid|boy|girl|child)\b",
]
IMMEDIACY = r"\b(?:now|right now|tonight|today|yesterday|last night|this (?:morning|afternoon|evening)|at the moment|currently|just (?:now|left|told|said|texted)|minutes?|hours? ago|an hour|2am|3am)\b"

_danger = [re.compile(p) for p in DANGER + ACUTE]
_acute = [re.compile(p) for p in ACUTE]
_figures = [re.compile(p) for p in FIGURES]
_past = [re.compile(p) for p in PAST]
_general = [re.compile(p) for p in GENERAL]
_elsewhere = [re.compile(p) for p in ELSEWHERE]
_control = [re.compile(p) for p in CONTROL]
_resolved_child = [re.compile(p) for p in RESOLVED]
_immediacy = re.compile(IMMEDIACY)
_resolved = re.compile(
    r"\b(?:fine|sorted|over|safe|ok|okay|better|well|resolved|thriving|brilliant|brilliantly) now\b|\bin therapy now\b"
    r"|\b(?:(?:he|she|they)(?:'s| is| are|'re) )?\d+ now\b|\bnow (?:he|she|they)(?:'s| is| are|'re) \d+\b"
)


# The confidence a danger pattern gives `immediate_danger`.
PATTERN_CONFIDENCE = 0.99
# The reasons the guards give: the words only sound like danger.
GUARDS = frozenset(
    {
        "a general question",
        "a controlling threat in a relationship",
        "the child is safe now",
        "a past event",
        "the news or another family",
        "a figure of speech",
    }
)


@dataclass(frozen=True)
class Verdict:
    crisis: bool
    reason: str
    acute: bool = False  # an ACUTE pattern: stated so plainly that only "safe now" or a figure of speech overrules it


def _normal(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def _plain_guard(text: str) -> Optional[str]:
    """The guards that even plainly stated danger yields to."""
    if any(p.search(text) for p in _resolved_child):
        return "the child is safe now"
    return _figure_of_speech(text)


def _full_guard(text: str) -> Optional[str]:
    """Why this message is not an emergency even if it sounds like one, or None.

    A sign that the danger is now ("tonight", "an hour ago", "right now") overrules the
    question, relationship, past and news guards: "how do i stop him, he's on the roof right
    now" and "he used to run off but tonight he's gone" are emergencies."""
    # "she's fine now" or "she's 16 now" says the danger is over; that "now" is not urgency.
    if any(p.search(text) for p in _resolved_child):
        return "the child is safe now"
    immediate = bool(_immediacy.search(_resolved.sub(" ", text)))
    if not immediate:
        if any(p.search(text) for p in _general):
            return "a general question"
        if any(p.search(text) for p in _control):
            return "a controlling threat in a relationship"
        if any(p.search(text) for p in _past):
            return "a past event"
        if any(p.search(text) for p in _elsewhere):
            return "the news or another family"
    return _figure_of_speech(text)


def _figure_of_speech(text: str) -> Optional[str]:
    if any(p.search(text) for p in _figures):
        # "i could kill him" is anger; "he wants to kill himself" is danger, even if
        # the same message also says something angry.
        rest = text
        for figure in _figures:
            rest = figure.sub(" ", rest)
        if not any(p.search(rest) for p in _danger):
            return "a figure of speech"
    return None


def assess(text: str) -> Verdict:
    """Whether the message describes a child at immediate risk, and why."""
    text = _normal(text)
    acute = any(p.search(text) for p in _acute)
    guard = _plain_guard(text) if acute else _full_guard(text)
    if guard:
        return Verdict(False, guard)
    hit = next((p.pattern for p in _danger if p.search(text)), None)
    if not hit:
        return Verdict(False, "no danger pattern")
    return Verdict(True, hit, acute)


def crisis_confidence(text: str, classifier_says: Optional[float]) -> Optional[float]:
    """The confidence to give `immediate_danger`, or None when it is not a crisis.

    Patterns decide; the classifier alone raises an alarm only when it is confident
    and no guard applies, so a new phrasing the patterns miss is still caught.
    """
    verdict = assess(text)
    if verdict.crisis:
        return max(PATTERN_CONFIDENCE, classifier_says or 0.0)
    if verdict.reason == "no danger pattern" and (classifier_says or 0.0) >= 0.6:
        return classifier_says
    return None


# A cry for help Harbour cannot read as English: distress emoji, or "help" in another
# language. Not enough to say a child is in danger, so it raises the possible-danger tier:
# the emergency number first, then "Is your child safe right now?".
DISTRESS_EMOJI = frozenset("🔪🗡💊🩸🆘😭😰😱🚨💉🔫⚠")
HELP_WORDS = re.compile(
    r"\b(?:ayuda|ay[uú]dame|socorro|auxilio|pomocy|ratunku|hilfe|aidez|au secours|aiuto|"
    r"ajuda|cymorth|cabhair|yardım|imdat|pomozte|segítség|hjälp|hjelp)\b"
)
# English "help" only when the message is nothing else ("HELP", "help me!!", "sos", "help me
# now help me now"): in a sentence it is usually "what help is there". Checked word by word,
# so a long repeated cry costs no more than its length.
BARE_HELP_WORDS = frozenset({"help", "sos", "me", "us", "please", "now", "pls", "plz"})
_WORDS = re.compile(r"\w+")


def _bare_help(lowered: str) -> bool:
    words = set(_WORDS.findall(lowered))
    return bool(words) and words <= BARE_HELP_WORDS and bool(words & {"help", "sos"})


def cry_for_help(text: str) -> bool:
    """Whether a message is, or holds, a plain cry for help in any language."""
    lowered = (text or "").lower()
    return any(ch in DISTRESS_EMOJI for ch in lowered) or bool(HELP_WORDS.search(lowered)) or _bare_help(lowered)
