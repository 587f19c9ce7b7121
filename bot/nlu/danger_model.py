"""The arithmetic of Harbour's danger gate, kept free of Rasa so it is easy to test.

One question, asked of every message: is a child in danger now? The intent classifier
answers it as one class among thirty, and on the blind sets that mixed up a parent's own
despair, past events and the news with emergencies. This model is trained for that
question alone, on the danger examples against everything else, with the near-miss
examples (`metadata: near_miss`) weighted up, over two kinds of feature:

- word 1-3-grams and character 2-5-grams, hashed (no vocabulary to store) and TF-IDF
  weighted: they see the small words that separate "she has a blade" from "she had a
  blade last year" or "what if she had a blade";
- the sentence embedding (bot/nlu/encoder.py): it sees danger described in words no
  example used.

A first stage over the n-grams alone is cheap; the embedding is asked for only when that
stage gives danger any real probability (`encode_above`), which on the validation folds
let every danger example through. Weights are plain arrays, saved with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack

from bot.nlu.cascade import LinearModel

HASH_FEATURES = 2**18
DANGER = "danger"


def _hashers():
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": HASH_FEATURES, "alternate_sign": False, "norm": None, "lowercase": True}
    return (
        HashingVectorizer(ngram_range=(1, 3), **common),
        HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
    )


def _tfidf(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """Sublinear TF times IDF, then each row to unit length (as sklearn's TfidfTransformer)."""
    counts = counts.astype(np.float64).tocsr(copy=True)
    np.log(counts.data, out=counts.data)
    counts.data += 1.0
    weighted = counts.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(weighted.multiply(1.0 / norms.reshape(-1, 1)))


def _idf(counts: csr_matrix) -> np.ndarray:
    documents = counts.shape[0]
    seen = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1.0 + documents) / (1.0 + seen)) + 1.0


@dataclass
class DangerModel:
    word_idf: np.ndarray
    char_idf: np.ndarray
    first: LinearModel  # n-grams only
    full: LinearModel  # n-grams and the embedding, scaled
    embedding_scale: float
    kinds: Optional[LinearModel] = None  # which kind of danger, from the embedding

    def text_features(self, texts: Sequence[str]) -> csr_matrix:
        words, chars = _hashers()
        return hstack(
            [_tfidf(words.transform(texts), self.word_idf), _tfidf(chars.transform(texts), self.char_idf)]
        ).tocsr()

    def first_stage(self, features: csr_matrix) -> np.ndarray:
        return _danger_column(self.first, features)

    def danger(self, features: csr_matrix, embeddings: np.ndarray) -> np.ndarray:
        both = hstack([features, csr_matrix(np.asarray(embeddings) * self.embedding_scale)]).tocsr()
        return _danger_column(self.full, both)

    def kind(self, embedding: np.ndarray) -> Optional[str]:
        if self.kinds is None:
            return None
        row = self.kinds.probabilities(np.asarray(embedding).reshape(1, -1))[0]
        return str(self.kinds.classes[int(np.argmax(row))])

    @classmethod
    def fit(
        cls,
        texts: List[str],
        in_danger: Sequence[bool],
        near_miss: Sequence[bool],
        embeddings: np.ndarray,
        kinds: Sequence[Optional[str]],
        c: float = 8.0,
        near_miss_weight: float = 6.0,
        embedding_scale: float = 2.0,
        kinds_c: float = 32.0,
        random_state: int = 42,
    ) -> "DangerModel":
        words, chars = _hashers()
        word_counts, char_counts = words.transform(texts), chars.transform(texts)
        model = cls(_idf(word_counts), _idf(char_counts), None, None, embedding_scale)  # type: ignore[arg-type]
        features = model.text_features(texts)
        labels = np.where(np.asarray(in_danger, dtype=bool), DANGER, "no_danger")
        weights = np.where(np.asarray(near_miss, dtype=bool), near_miss_weight, 1.0)
        model.first = _logistic(features, labels, c, weights, random_state)
        both = hstack([features, csr_matrix(embeddings * embedding_scale)]).tocsr()
        model.full = _logistic(both, labels, c, weights, random_state)
        named = [i for i, k in enumerate(kinds) if k]
        if len({kinds[i] for i in named}) >= 2:
            model.kinds = _logistic(embeddings[named], [kinds[i] for i in named], kinds_c, None, random_state)
        return model

    def as_arrays(self) -> Dict[str, np.ndarray]:
        arrays = {
            "word_idf": self.word_idf,
            "char_idf": self.char_idf,
            "embedding_scale": np.array(self.embedding_scale),
        }
        arrays.update(self.first.as_arrays("first"))
        arrays.update(self.full.as_arrays("full"))
        if self.kinds is not None:
            arrays.update(self.kinds.as_arrays("kinds"))
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Dict[str, np.ndarray]) -> "DangerModel":
        return cls(
            arrays["word_idf"],
            arrays["char_idf"],
            LinearModel.from_arrays(arrays, "first"),
            LinearModel.from_arrays(arrays, "full"),
            float(arrays["embedding_scale"]),
            LinearModel.from_arrays(arrays, "kinds") if "kinds_coef" in arrays else None,
        )


def _danger_column(model: LinearModel, features) -> np.ndarray:
    return model.probabilities(features)[:, list(model.classes).index(DANGER)]


def _logistic(features, labels, c: float, weights, random_state: int) -> LinearModel:
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(features, labels, sample_weight=weights)
    return LinearModel.from_sklearn(model)
