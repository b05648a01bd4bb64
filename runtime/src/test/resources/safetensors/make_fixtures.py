"""Regenerates the fixtures of SafeTensorsFixtureTest with the reference implementation
(safetensors 0.8.0 on NumPy 2.4): python3 make_fixtures.py (run in this folder). The test reads
these files; it never runs Python."""
import json
import numpy as np
from safetensors import serialize_file
from safetensors.numpy import save_file
from safetensors._safetensors_rust import TensorSpec

# One tensor of every dtype the loader converts, a scalar, an empty tensor, and non-ASCII metadata.
bf16 = np.array([0x3F80, 0xC049, 0x0001, 0x7F80, 0xFF80, 0x7FC0, 0x8000], dtype=np.uint16)
tensors = {
    "a.f32": np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5,
    "b.f16": np.array([1.0, -2.5, 65504, 2.0**-24, -0.0, np.inf, np.nan, 0.333], dtype=np.float16),
    "c.f64": np.array([0.1, -1e10], dtype=np.float64),
    "d.i64": np.array([1, -5, 2**40], dtype=np.int64),
    "e.bool": np.array([[True, False], [False, True]]),
    "f.scalar": np.array(2.5, dtype=np.float32),
    "g.empty": np.zeros((0, 3), dtype=np.float32),
    "h.i32": np.array([-2, 7], dtype=np.int32),
    "i.u8": np.array([0, 255], dtype=np.uint8),
}
specs = {k: TensorSpec(dtype=v.dtype.name, shape=list(v.shape), data_ptr=v.ctypes.data, data_len=v.nbytes)
         for k, v in tensors.items()}
specs["j.bf16"] = TensorSpec(dtype="bfloat16", shape=[7], data_ptr=bf16.ctypes.data, data_len=bf16.nbytes)
serialize_file(specs, "reference.safetensors", metadata={"format": "np", "note": "héllo ✓"})

# A sharded checkpoint as transformers saves one: two shards and an index (indent 2, sorted keys).
shard1 = {"embeddings.weight": np.arange(12, dtype=np.float32).reshape(3, 4),
          "layer.0.bias": np.array([1, 2], dtype=np.float32)}
shard2 = {"layer.1.bias": np.array([3, 4], dtype=np.float16)}
names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
save_file(shard1, "sharded/" + names[0], metadata={"format": "pt"})
save_file(shard2, "sharded/" + names[1], metadata={"format": "pt"})
total = sum(v.nbytes for v in list(shard1.values()) + list(shard2.values()))
weight_map = {**{k: names[0] for k in shard1}, **{k: names[1] for k in shard2}}
with open("sharded/model.safetensors.index.json", "w") as f:
    f.write(json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2, sort_keys=True) + "\n")
