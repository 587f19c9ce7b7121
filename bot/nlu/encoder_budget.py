"""A hard bound on the sentence encoder's work for one message (issue 18, H1).

The encoder costs about 1 ms a token on one core, and one message may be embedded more
than once: whole, by the intent classifier (bot/nlu/classifier.py), and, when it is long,
its ends too, by the danger gate (bot/nlu/danger_gate.py: the last sentence, the last two
and the last lines, because danger is often the last thing a frightened parent writes).
Each was capped at MAX_TOKENS on its own, so a crafted 1,000-character message could be
read four times over.

One `MessageBudget` per message holds all of its embeddings to HARBOUR_ENCODER_BUDGET
tokens together (bot/settings.py; docs/encoder.md has the measurements behind the value):
- the whole message gets at most MAX_TOKENS, less what a long message's last sentence
  needs (up to LAST_SENTENCE_TOKENS): the whole message's embedding shrinks before the
  last sentence is ever dropped;
- the ends the gate asks for are embedded in one call, in order (last sentence first),
  each within what is left, cut to its own end if it must be; an end is left out only when
  fewer than MIN_TOKENS are left;
- a text is embedded once however many times it is asked for, and the classifier's
  embedding of the whole message is the gate's too.
The budget travels on the message (BUDGET), so the gate spends what the classifier left.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from bot import settings
from bot.nlu import cascade
from bot.nlu.encoder import MAX_TOKENS, MIN_TOKENS, Encoder, prepare

BUDGET = "harbour_encoder_budget"
# At most this much of the budget is kept back for a long message's last sentence.
LAST_SENTENCE_TOKENS = 32


class MessageBudget:
    """The encoder tokens one message may still use, and what has been embedded of it."""

    def __init__(
        self,
        text: str,
        encoder: Callable[[], Encoder],
        total: Optional[int] = None,
        long_message: int = cascade.LONG_MESSAGE,
    ) -> None:
        self.text = text or ""
        self.total = settings.load().encoder_budget if total is None else int(total)
        self.left = self.total
        self.ends: List[str] = cascade.message_ends(self.text, long_message)
        self._encoder = encoder
        self._whole: Optional[np.ndarray] = None
        self._done: Dict[str, np.ndarray] = {}  # prepared text -> embedding of all of it

    @classmethod
    def of(cls, message, encoder: Callable[[], Encoder], long_message: int = cascade.LONG_MESSAGE) -> "MessageBudget":
        """The message's budget, made on first use (`message`: a Rasa Message)."""
        budget = message.get(BUDGET)
        if not isinstance(budget, cls):
            budget = cls(message.get("text") or "", encoder, long_message=long_message)
            message.set(BUDGET, budget)
        return budget

    @property
    def spent(self) -> int:
        return self.total - self.left

    def whole_cap(self, encoder: Encoder) -> int:
        """Tokens the whole message may use: the budget, less its last sentence's share."""
        reserve = 0
        if self.ends:
            reserve = min(encoder.token_count(prepare(self.ends[0])), LAST_SENTENCE_TOKENS)
        return min(MAX_TOKENS, self.left - reserve)

    def embed(self, whole: bool, ends: Sequence[str] = ()) -> Tuple[Optional[np.ndarray], Dict[str, np.ndarray]]:
        """The whole message's embedding (when `whole` is asked for, or was before) and
        those of the `ends` that fit, from one call to the encoder. Raises what it raises."""
        encoder: Optional[Encoder] = None
        batch: List[str] = []  # texts cut to fit, in the order they are paid for
        slots: List[Optional[str]] = []  # None for the whole message, else the end's prepared text
        whole_key = None  # the whole message's text, when it is embedded uncut
        if whole and self._whole is None:
            encoder = self._encoder()
            cap = self.whole_cap(encoder)
            if cap >= MIN_TOKENS:
                fitted, tokens = encoder.fit(self.text, cap)
                self.left -= tokens
                batch.append(fitted)
                slots.append(None)
                whole_key = fitted if fitted == prepare(self.text) else None
        keys: Dict[str, str] = {}
        for end in ends:
            key = keys[end] = prepare(end)
            if key in self._done or key in slots or key == whole_key:
                continue
            cap = min(MAX_TOKENS, self.left)
            if cap < MIN_TOKENS:
                continue
            encoder = encoder or self._encoder()
            fitted, tokens = encoder.fit(end, cap, keep_start=False)
            self.left -= tokens
            batch.append(fitted)
            slots.append(key)
        if batch:
            for slot, row in zip(slots, encoder.embed_fitted(batch)):
                if slot is None:
                    self._whole = row
                    if whole_key:
                        self._done[whole_key] = row
                else:
                    self._done[slot] = row
        return self._whole, {end: self._done[key] for end, key in keys.items() if key in self._done}
