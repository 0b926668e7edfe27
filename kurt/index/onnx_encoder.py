"""all-MiniLM-L6-v2 on onnxruntime: the same weights, about twice the speed of numpy.

The model package ships no ONNX export, only ``model.safetensors``, and torch
(which would export one) is not installed. ``build_graph`` writes the BERT
encoder as an ONNX graph with the ``onnx`` package's helper API, from the
arrays the numpy encoder (``kurt.index.embeddings.Embedder``) reads: embeddings
and layer norm, six layers of self-attention and GELU feed-forward, then mean
pooling over the attention mask and L2 normalisation, so the graph's output is
the sentence embedding itself. It is the numpy encoder's arithmetic in another
engine; tests/index/test_embeddings.py checks that the two agree within 1e-5.

The graph is built once per model file and kept in the user's cache folder
(``cache_dir()``: ``$KURT_CACHE_DIR``, else ``$XDG_CACHE_HOME/kurt``, else
``~/.cache/kurt``), written atomically; its name carries a fingerprint of the
weights and ``GRAPH_VERSION``. Where the folder cannot be written, the graph is
built in memory for the run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from kurt.index.embeddings import MODEL_NAME, Embedder, Encoder

GRAPH_VERSION = 1  # bump when build_graph changes: cached graphs of other versions are not read
OPSET = 17  # LayerNormalization is an ONNX operator from opset 17 (onnxruntime >= 1.14)
BATCH_TOKENS = 8_192  # padded tokens per run: onnxruntime is faster on larger batches
_FINGERPRINT_SAMPLES = 16  # 64 KiB slices of the weights file hashed into the cache name


def cache_dir() -> Path:
    """Where Kurt keeps files it can rebuild (the ONNX graph)."""
    explicit = os.environ.get("KURT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "kurt"


def weights_fingerprint(path: Path) -> str:
    """A short hash of the weights file: its size and evenly spaced slices of its bytes."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with open(path, "rb") as fh:
        for i in range(_FINGERPRINT_SAMPLES):
            fh.seek(size * i // _FINGERPRINT_SAMPLES)
            digest.update(fh.read(65_536))
    return digest.hexdigest()[:16]


def graph_path(folder: Path, cache: Path | None = None) -> Path:
    fingerprint = weights_fingerprint(folder / "model.safetensors")
    return (cache or cache_dir()) / f"{MODEL_NAME}-{fingerprint}-g{GRAPH_VERSION}.onnx"


def build_graph(model: Embedder) -> bytes:
    """The encoder as a serialized ONNX model (see the module docstring)."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    nodes, weights = [], []
    counter = iter(range(1_000_000))

    def weight(array, name: str) -> str:
        weights.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(op: str, inputs: list[str], **attributes) -> str:
        out = f"{op.lower()}_{next(counter)}"
        nodes.append(helper.make_node(op, inputs, [out], **attributes))
        return out

    def layer_norm(x: str, w, b, name: str) -> str:
        return node("LayerNormalization", [x, weight(w, f"{name}.w"), weight(b, f"{name}.b")],
                    axis=-1, epsilon=model.eps)

    hidden = model.word.shape[1]
    heads, size = model.heads, hidden // model.heads
    one, zero = weight(np.array(1, dtype=np.int64), "one"), weight(np.array(0, dtype=np.int64), "zero")
    length = node("Gather", [node("Shape", ["input_ids"]), one], axis=0)
    positions = node("Range", [zero, length, one])
    x = node("Add", [node("Add", [node("Gather", [weight(model.word, "word"), "input_ids"]),
                                  node("Gather", [weight(model.position, "position"), positions])]),
                     node("Gather", [weight(model.token_type, "token_type"), "token_type_ids"])])
    x = layer_norm(x, *model.emb_ln, "embeddings.ln")
    mask = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)  # (n, length)
    bias = node("Mul", [node("Sub", [weight(np.float32(1.0), "one_f"), mask]),
                        weight(np.finfo(np.float32).min, "min_f")])
    bias = node("Unsqueeze", [bias, weight(np.array([1, 2], dtype=np.int64), "axes_1_2")])
    split_shape = weight(np.array([0, 0, 3, heads, size], dtype=np.int64), "qkv_shape")
    merge_shape = weight(np.array([0, 0, hidden], dtype=np.int64), "merge_shape")
    scale = weight(np.float32(1.0 / np.sqrt(size)), "scale")
    picks = [weight(np.array(i, dtype=np.int64), f"pick_{i}") for i in range(3)]
    for i, layer in enumerate(model.layers):
        p = f"layer{i}"
        qkv = node("Add", [node("MatMul", [x, weight(layer.qkv_w, f"{p}.qkv_w")]),
                           weight(layer.qkv_b, f"{p}.qkv_b")])
        qkv = node("Transpose", [node("Reshape", [qkv, split_shape])], perm=[2, 0, 3, 1, 4])
        q, k, v = (node("Gather", [qkv, pick], axis=0) for pick in picks)  # (n, heads, length, size)
        scores = node("MatMul", [q, node("Transpose", [k], perm=[0, 1, 3, 2])])
        scores = node("Add", [node("Mul", [scores, scale]), bias])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        context = node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        attended = node("Add", [node("MatMul", [context, weight(layer.out_w, f"{p}.out_w")]),
                                weight(layer.out_b, f"{p}.out_b")])
        x = layer_norm(node("Add", [attended, x]), layer.ln1_w, layer.ln1_b, f"{p}.ln1")
        inner = node("Add", [node("MatMul", [x, weight(layer.ffn_in_w, f"{p}.ffn_in_w")]),
                             weight(layer.ffn_in_b, f"{p}.ffn_in_b")])
        inner = _gelu(node, weight, inner, p)
        out = node("Add", [node("MatMul", [inner, weight(layer.ffn_out_w, f"{p}.ffn_out_w")]),
                           weight(layer.ffn_out_b, f"{p}.ffn_out_b")])
        x = layer_norm(node("Add", [out, x]), layer.ln2_w, layer.ln2_b, f"{p}.ln2")
    # Mean pooling over the attention mask, then L2 normalisation (as the numpy encoder).
    axis_1 = weight(np.array([1], dtype=np.int64), "axis_1")
    mask3 = node("Unsqueeze", [mask, weight(np.array([2], dtype=np.int64), "axis_2")])
    summed = node("ReduceSum", [node("Mul", [x, mask3]), axis_1], keepdims=0)
    count = node("Max", [node("ReduceSum", [mask, axis_1], keepdims=1),
                         weight(np.float32(1e-9), "tiny_count")])
    pooled = node("Div", [summed, count])
    norm = node("Sqrt", [node("ReduceSum", [node("Mul", [pooled, pooled]), axis_1], keepdims=1)])
    nodes.append(helper.make_node("Div", [pooled, node("Max", [norm, weight(np.float32(1e-12), "tiny_norm")])],
                                  ["embeddings"]))
    inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "length"])
              for name in ("input_ids", "attention_mask", "token_type_ids")]
    output = helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", hidden])
    graph = helper.make_graph(nodes, MODEL_NAME, inputs, [output], initializer=weights)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                   producer_name="kurt")
    onnx_model.ir_version = 8  # read by onnxruntime 1.14 and later
    return onnx_model.SerializeToString()


def _gelu(node, weight, x: str, prefix: str) -> str:
    """BERT's exact GELU: 0.5 * x * (1 + erf(x / sqrt(2)))."""
    import numpy as np

    erf = node("Erf", [node("Mul", [x, weight(np.float32(0.7071067811865476), f"{prefix}.rsqrt2")])])
    half_x = node("Mul", [x, weight(np.float32(0.5), f"{prefix}.half")])
    return node("Mul", [half_x, node("Add", [erf, weight(np.float32(1.0), f"{prefix}.one")])])


def load_graph(folder: Path, cache: Path | None = None) -> bytes | str:
    """The graph's file path (as a string) when cached or just cached, else its bytes.

    Raises ImportError when it must be built and the ``onnx`` package is missing.
    """
    path = graph_path(folder, cache)
    if path.is_file():
        return str(path)
    import onnx  # noqa: F401  (fails early, before the weights are read, when missing)

    data = build_graph(Embedder(folder))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:  # a read-only home or a full disk: run from memory this time
        return data
    return str(path)


class OnnxEmbedder(Encoder):
    """all-MiniLM-L6-v2 on onnxruntime; the same interface and vectors as ``Embedder``."""

    backend = "onnxruntime"
    batch_tokens = BATCH_TOKENS

    def __init__(self, folder: Path, cache: Path | None = None, *, threads: int | None = None):
        import onnxruntime

        super().__init__(folder)
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3  # errors only: its warnings are not the user's business
        graph = load_graph(folder, cache)
        try:
            self.session = onnxruntime.InferenceSession(graph, options,
                                                        providers=["CPUExecutionProvider"])
        except Exception:  # noqa: BLE001 -- onnxruntime has its own error types for a bad file
            if not isinstance(graph, str):
                raise  # a graph built just now: a bug, keep the traceback
            Path(graph).unlink(missing_ok=True)  # a damaged cache file: build it again
            self.session = onnxruntime.InferenceSession(load_graph(folder, cache), options,
                                                        providers=["CPUExecutionProvider"])

    def _forward(self, encodings):
        ids, types, mask = self._arrays(encodings)
        return self.session.run(["embeddings"], {"input_ids": ids, "token_type_ids": types,
                                                 "attention_mask": mask})[0]
