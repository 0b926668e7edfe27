"""kurt.index.onnx_encoder: all-MiniLM-L6-v2 on onnxruntime, from a graph built without torch.

The vectors must be the numpy encoder's (within 1e-5); the graph is built once, cached
atomically, and the numpy encoder takes over when onnxruntime (or the graph) is missing.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from kurt.errors import KurtError
from kurt.index import embeddings, encoders

np = pytest.importorskip("numpy", reason="semantic search needs numpy (pip install 'kurt[semantic]')")

MISSING = embeddings.semantic_available()  # None, or what to install (the skip reason)
NEEDS_MODEL = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
ONNX_MISSING = next((f"{name} is not installed (pip install 'kurt[semantic]')"
                     for name in ("onnxruntime", "onnx") if importlib.util.find_spec(name) is None),
                    None)
NEEDS_ONNX = pytest.mark.skipif(ONNX_MISSING is not None, reason=ONNX_MISSING or "")


@pytest.fixture(scope="module")
def numpy_model():
    if MISSING is not None:
        pytest.skip(MISSING)
    return encoders.load_model(backend="numpy")


@pytest.fixture(scope="module")
def reference(fixtures_dir):
    import json

    return json.loads((fixtures_dir / "minilm_reference.json").read_text(encoding="utf-8"))



def _passages(railway_corpus, n: int) -> list[str]:
    from kurt.index.sections import split_sections
    from kurt.semantic import passage_text

    texts = []
    for path in sorted(railway_corpus.rglob("*.md")):
        texts += [passage_text(s.heading_path, s.body) for s in split_sections(path.read_text())]
        if len(texts) >= n:
            return texts[:n]
    return texts


@NEEDS_MODEL
@NEEDS_ONNX
def test_onnxruntime_is_the_engine_when_installed():
    assert encoders.load_model().backend == "onnxruntime"


@NEEDS_MODEL
@NEEDS_ONNX
def test_onnxruntime_and_numpy_give_the_same_vectors(numpy_model, reference, railway_corpus):
    onnx_model = encoders.load_model(backend="onnxruntime")
    texts = [item["text"] for item in reference["items"]] + _passages(railway_corpus, 40)
    a, b = numpy_model.embed(texts), onnx_model.embed(texts)
    assert a.shape == b.shape == (len(texts), 384)
    assert float(np.abs(a - b).max()) < 1e-5


@NEEDS_MODEL
@NEEDS_ONNX
def test_the_graph_is_built_once_and_cached_atomically(tmp_path):
    from kurt.index.onnx_encoder import OnnxEmbedder, graph_path

    folder = embeddings.model_dir()
    first = OnnxEmbedder(folder, cache=tmp_path)
    path = graph_path(folder, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    built = path.stat().st_mtime_ns
    second = OnnxEmbedder(folder, cache=tmp_path)
    assert path.stat().st_mtime_ns == built
    text = ["Connect to Postgres from another service"]
    assert float(np.abs(first.embed(text) - second.embed(text)).max()) == 0.0


@NEEDS_MODEL
@NEEDS_ONNX
def test_an_unwritable_cache_runs_the_graph_from_memory(tmp_path, numpy_model):
    from kurt.index.onnx_encoder import OnnxEmbedder

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    model = OnnxEmbedder(embeddings.model_dir(), cache=blocker / "kurt")
    text = ["Deploy a Redis database"]
    assert float(np.abs(model.embed(text) - numpy_model.embed(text)).max()) < 1e-5
    assert blocker.read_text() == ""


@NEEDS_MODEL
def test_without_onnxruntime_the_numpy_engine_runs(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if it were not installed
    assert encoders.load_model().backend == "numpy"
    with pytest.raises(KurtError, match="onnxruntime is not installed"):
        encoders.load_model(backend="onnxruntime")


@NEEDS_MODEL
@NEEDS_ONNX
def test_without_onnx_a_cached_graph_still_runs_and_no_graph_means_numpy(monkeypatch, tmp_path):
    from kurt.index.onnx_encoder import OnnxEmbedder

    monkeypatch.setenv("KURT_CACHE_DIR", str(tmp_path))
    OnnxEmbedder(embeddings.model_dir())  # builds and caches the graph
    monkeypatch.setitem(sys.modules, "onnx", None)  # the builder is gone; the cached graph is not
    assert encoders.load_model().backend == "onnxruntime"
    monkeypatch.setenv("KURT_CACHE_DIR", str(tmp_path / "empty"))
    assert encoders.load_model().backend == "numpy"


@NEEDS_MODEL
@NEEDS_ONNX
def test_a_damaged_cached_graph_is_built_again(tmp_path, numpy_model):
    from kurt.index.onnx_encoder import OnnxEmbedder, graph_path

    path = graph_path(embeddings.model_dir(), tmp_path)
    path.write_bytes(b"not an onnx graph")
    model = OnnxEmbedder(embeddings.model_dir(), cache=tmp_path)
    text = ["Add a custom domain"]
    assert float(np.abs(model.embed(text) - numpy_model.embed(text)).max()) < 1e-5
    assert path.stat().st_size > 1_000_000  # the cache holds a real graph again
