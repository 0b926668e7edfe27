"""The embedding model, ready to use: onnxruntime when installed, else numpy.

``load_model`` picks the engine; ``kurt.index.embeddings`` (the numpy encoder and the
weights) and ``kurt.index.onnx_encoder`` (the same graph on onnxruntime) stay unaware of
each other's choice.
"""

from __future__ import annotations

import importlib.util

from kurt.errors import KurtError
from kurt.index.embeddings import MODEL_PACKAGE, Embedder, Encoder, model_dir, semantic_available
from kurt.index.onnx_encoder import OnnxEmbedder


def load_model(package: str = MODEL_PACKAGE, *, backend: str | None = None) -> Encoder:
    """The packaged all-MiniLM-L6-v2, ready to embed; KurtError when the extra is missing.

    It runs on onnxruntime when that is installed (``kurt.index.onnx_encoder``), else in
    numpy; ``backend`` ("onnxruntime" or "numpy") asks for one.
    """
    missing = semantic_available(package)
    if missing:
        raise KurtError(missing)
    folder = model_dir(package)
    if backend not in (None, "onnxruntime", "numpy"):
        raise ValueError(f"unknown embedding backend {backend!r}")
    if backend != "numpy":
        if importlib.util.find_spec("onnxruntime") is not None:
            try:
                return OnnxEmbedder(folder)
            except ImportError as exc:  # no cached graph, and no onnx package to build it
                if backend:
                    raise KurtError(f"{exc}: pip install 'kurt[semantic]'") from exc
        elif backend:
            raise KurtError("onnxruntime is not installed: pip install 'kurt[semantic]'")
    return Embedder(folder)
