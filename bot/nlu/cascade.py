"""The arithmetic of Harbour's intent classifier, kept free of Rasa so it is easy to test.

Two linear models vote: one over sparse word and character n-grams (cheap, sharp on
phrasings it has seen) and one over sentence embeddings (bot/nlu/encoder.py: slower,
better on stories that never name the topic). Their probabilities are mixed as a weighted
geometric mean. The encoder runs only when it can change the answer: when the sparse
model is unsure, or when it gives a child in danger any real probability at all, because
a missed crisis is the costliest mistake (docs/danger-taxonomy.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Sequence

import numpy as np

DANGER_INTENT = "immediate_danger"


@dataclass(frozen=True)
class LinearModel:
    """A trained multinomial (or binary) logistic regression, as plain arrays."""

    classes: Sequence[str]
    coef: np.ndarray  # (k, d), or (1, d) for two classes
    intercept: np.ndarray  # (k,) or (1,)

    @classmethod
    def from_sklearn(cls, model) -> "LinearModel":
        return cls(
            [str(c) for c in model.classes_],
            np.asarray(model.coef_, dtype=np.float64),
            np.asarray(model.intercept_, dtype=np.float64),
        )

    def probabilities(self, features) -> np.ndarray:
        """(n, k) class probabilities; `features` may be dense or scipy-sparse."""
        scores = np.asarray(features @ self.coef.T) + self.intercept
        if len(self.classes) == 2 and self.coef.shape[0] == 1:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def as_arrays(self, prefix: str) -> Dict[str, np.ndarray]:
        return {
            f"{prefix}_classes": np.array(list(self.classes)),
            f"{prefix}_coef": self.coef,
            f"{prefix}_intercept": self.intercept,
        }

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> "LinearModel":
        return cls(
            [str(c) for c in arrays[f"{prefix}_classes"]], arrays[f"{prefix}_coef"], arrays[f"{prefix}_intercept"]
        )


def mix(sparse: np.ndarray, dense: np.ndarray, dense_weight: float) -> np.ndarray:
    """Weighted geometric mean of two probability rows over the same classes, renormalised."""
    logs = (1.0 - dense_weight) * np.log(sparse + 1e-9) + dense_weight * np.log(dense + 1e-9)
    logs = logs - logs.max(axis=-1, keepdims=True)
    exp = np.exp(logs)
    return exp / exp.sum(axis=-1, keepdims=True)


def needs_encoder(sparse_row: np.ndarray, classes: List[str], unsure_below: float, danger_above: float) -> bool:
    """Whether the sentence encoder should be asked about this message."""
    if float(sparse_row.max()) < unsure_below:
        return True
    if DANGER_INTENT in classes and float(sparse_row[classes.index(DANGER_INTENT)]) >= danger_above:
        return True
    return False


def ranking(classes: Sequence[str], row: np.ndarray, length: int) -> List[Dict[str, float]]:
    order = np.argsort(-row)[:length]
    return [{"name": classes[i], "confidence": float(row[i])} for i in order]


def last_lines(text: str, longer_than: int, keep: int = 240) -> str:
    """The last sentences of a long message (about `keep` characters), or "" if it is short."""
    text = " ".join((text or "").split())
    if len(text) <= longer_than:
        return ""
    tail = text[-keep:]
    cut = max(tail.find(". "), tail.find("! "), tail.find("? "))
    return tail[cut + 2 :] if 0 <= cut < len(tail) // 2 else tail


# Messages longer than this (in characters) also have their ends scored on their own.
LONG_MESSAGE = 300

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def message_ends(text: str, longer_than: int) -> List[str]:
    """The parts of a message to score on their own, besides the whole, most telling first.

    Any message of two or more sentences: its last sentence; a long message, its last two
    sentences and its last lines (for a message without full stops); then all but its first
    sentence ("Is it a crime to threaten a child? He says he'll hurt her when he's back, and
    he's due any minute": the question would otherwise drown the danger). On the training
    data with each writer's file held out, this raised recall from 0.973 to 0.982
    (docs/danger-taxonomy.md)."""
    sentences = [s for s in _SENTENCE_END.split((text or "").strip()) if s.strip()]
    ends = [sentences[-1]] if len(sentences) > 1 else []
    end = last_lines(text, longer_than)
    if end:
        ends += [" ".join(sentences[-2:])] if len(sentences) > 2 else []
        ends.append(end)
    # Last: the encoder budget (bot/nlu/encoder_budget.py) is spent on the ends in order.
    ends += [" ".join(sentences[1:])] if len(sentences) > 1 else []
    whole = " ".join((text or "").split())
    return [e for e in dict.fromkeys(ends) if e.strip() and e != whole]
