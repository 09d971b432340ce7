"""Turns text into vectors for Byte's memory, offline: WordLlama's l2_supercat model (256 dimensions), whose weights
and tokenizer come inside the `wordllama` package, so nothing is downloaded at run time.

Why WordLlama: it is the one small model found that installs with its weights from PyPI (model2vec and fastembed
download theirs at first use); it embeds about 40,000 chat-sized texts a second on one core (about 35 µs for one),
loads in a fifth of a second and needs about 50 MB. It averages token vectors, so it finds memories that share
words and close words with the question ("cat's name" finds "her cat is called Miso") and is weak on paraphrase
and negation: retrieval takes the top few above a low floor and lets the model judge them.

WordLlama 0.4's `load()` looks for its tokenizer in a folder the wheel does not have and would then fetch it from
Hugging Face; pointing its cache at the package's own folder, with downloads disabled, loads both files offline.
"""

from __future__ import annotations

import logging
import threading
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

WORDLLAMA_CONFIG = 'l2_supercat'
WORDLLAMA_DIMENSION = 256
MAX_EMBEDDED_CHARACTERS = 1000  # a memory is at most 500; a question at most 500 too


class Embedder(Protocol):
    name: str  # stored with each vector: vectors of two models are never compared
    dimension: int

    def load(self) -> None:
        """Get ready (a few tenths of a second); `embed` does it when it was not done."""

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


class WordLlamaEmbedder:
    """WordLlama, loaded once (on first use, or by `load` on a worker thread at start)."""

    def __init__(self) -> None:
        self.dimension = WORDLLAMA_DIMENSION
        self.name = f'wordllama-{_version()}/{WORDLLAMA_CONFIG}/{WORDLLAMA_DIMENSION}'
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = _load_wordllama()

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.embed([text[:MAX_EMBEDDED_CHARACTERS] for text in texts], norm=True, return_np=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _version() -> str:
    try:
        return metadata.version('wordllama').split('.post')[0]
    except metadata.PackageNotFoundError:
        return 'unknown'


def _load_wordllama() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # imported when first used (a tenth of a second); the import configures the root logger: Byte's is put back
    from wordllama import WordLlama  # noqa: PLC0415
    from wordllama import wordllama as package_module  # noqa: PLC0415
    root.handlers[:], root.level = handlers, level
    package_folder = Path(package_module.__file__).parent
    model = WordLlama.load(config=WORDLLAMA_CONFIG, dim=WORDLLAMA_DIMENSION, cache_dir=package_folder,
                           disable_download=True)
    log.info('memory embedding model loaded (WordLlama %s, %d dimensions)', WORDLLAMA_CONFIG, WORDLLAMA_DIMENSION)
    return model
