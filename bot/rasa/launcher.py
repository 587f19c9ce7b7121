"""Runs the `rasa` command leaner: no TensorFlow in memory, less work per message.

- spaCy's thinc is kept from importing TensorFlow (bot/lean_imports.py), and Rasa's
  TensorFlow-only modules get stand-ins that load the real module on first use
  (bot/rasa/speedups/tensorflow.py).
- Work Rasa repeats for every message is done once, and the loaded model is frozen out
  of the garbage collector's reach (bot/rasa/speedups/, one module per patch). They apply
  only on the Rasa version they were written for (RASA_VERSION there).

- No message text, tracker dump or exception detail reaches the log
  (bot/privacy/private_logs.py).
- `run` (the server) gets OMP_NUM_THREADS = HARBOUR_ENCODER_THREADS (default 1) unless it
  is set. The OpenMP runtime that scikit-learn loads, and the sentence encoder then uses,
  otherwise starts a thread per core whose waiting spins: in the cluster on 2 cores that
  was about three quarters of each Rasa server's CPU, taken from the other processes (40
  parses: 2,561 CPU ticks with it, 398 without; same parses). Training keeps every core.

Behaviour is unchanged: the whole test suite runs through this launcher. When the config
names a TensorFlow component (DIET, TED, ...), it runs plain Rasa instead.

    python -m bot.rasa.launcher run --model ...      # same arguments as `rasa`
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# Components that need TensorFlow: with any of them in the config, run plain Rasa.
TENSORFLOW_COMPONENTS = (
    "DIETClassifier",
    "TEDPolicy",
    "UnexpecTEDIntentPolicy",
    "ResponseSelector",
    "ConveRTFeaturizer",
    "LanguageModelFeaturizer",
)


def config_uses_tensorflow(argv: list) -> bool:
    config = argv[argv.index("--config") + 1] if "--config" in argv[:-1] else "config.yml"
    try:
        text = Path(config).read_text(encoding="utf-8")
    except OSError:
        return False
    return any(re.search(rf"^\s*-\s*name:\s*[\"']?{name}\b", text, re.M) for name in TENSORFLOW_COMPONENTS)


def serving_threads(argv: list, environ: dict) -> None:
    """For `run`: as many OpenMP threads as the encoder uses, unless the operator set them."""
    if argv[:1] == ["run"] and "OMP_NUM_THREADS" not in environ:
        from bot import settings

        environ["OMP_NUM_THREADS"] = str(settings.load().encoder_threads)


def main() -> None:
    serving_threads(sys.argv[1:], os.environ)  # before anything loads an OpenMP runtime
    from bot.lean_imports import thinc_without_tensorflow
    from bot.privacy import private_logs
    from bot.rasa import speedups

    private_logs.install()  # no message text or tracker dump in any log line
    thinc_without_tensorflow()
    if not config_uses_tensorflow(sys.argv[1:]):
        speedups.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
