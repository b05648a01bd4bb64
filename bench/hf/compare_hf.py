#!/usr/bin/env python3
"""Compare `attnc encode` with Hugging Face's PyTorch models on small random checkpoints.

For each case this script builds a small random LongformerModel or BigBirdModel (hidden 64,
4 heads, 2-3 layers, intermediate 96, dropout 0, vocab 100), saves it with
`save_pretrained(dir, safe_serialization=True)`, runs Hugging Face (torch, float32, eval, no
grad) and `bin/attnc encode` (a subprocess, on int64 .npy inputs) on the same batch of two
sequences (the second padded through attention_mask), and compares

  * last_hidden_state on every real token (attention_mask == 1), and
  * pooler_output of every batch item whose token 0 is real,

by the maximum absolute difference. A case fails when it exceeds TOL = 1e-4 (absolute; the
hidden states are LayerNorm outputs of order 1, so float32 rounding is ~1e-6) or when attnc
exits with an error. The exit status is 1 if any case failed, 0 otherwise.

It also checks what the comparison relies on: that save_pretrained writes config.json and a
single model.safetensors whose tensor names are the base model's standard names, and that a
BigBirdModel in eval mode gathers its random blocks with an all-zero table (so that
`-i random_layout=zeros.npy` reproduces it).

Not part of the Maven build (torch and transformers are not available in CI). Run by hand:

    python3 bench/hf/compare_hf.py                 # all cases, java backend + a few cuda-emu
    python3 bench/hf/compare_hf.py --only bb_      # cases whose name contains "bb_"
    python3 bench/hf/compare_hf.py --no-cuda-emu --keep /tmp/hfcmp   # keep models and .npy files

Fastformer is not compared here (Hugging Face has no Fastformer); attnc's Fastformer is checked
against an independent reference in the Java tests.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import transformers
from safetensors import safe_open
from transformers import (
    BigBirdConfig,
    BigBirdForMaskedLM,
    BigBirdModel,
    LongformerConfig,
    LongformerForMaskedLM,
    LongformerModel,
)
from transformers.models.big_bird import modeling_big_bird

TOL = 1e-4
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SMALL = dict(
    vocab_size=100,
    hidden_size=64,
    num_attention_heads=4,
    intermediate_size=96,
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0,
)


# --------------------------------------------------------------------------------------------
# Models


def randomize(model, seed):
    """Re-draws every parameter so that attention is far from uniform.

    Hugging Face initialises linears with std 0.02, which makes every attention row nearly
    uniform and hides mask or window errors. Here linears get std 1.5/sqrt(fan_in) (scores of
    std ~2), embeddings std 1, LayerNorm weights 1 +- 0.2, biases std 0.1.
    """
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.lower().endswith(("layernorm.weight", "layer_norm.weight")):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif "embeddings" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            elif p.dim() == 2:
                p.copy_(1.5 / math.sqrt(p.shape[1]) * torch.randn(p.shape, generator=g))
            else:
                raise AssertionError(f"unexpected parameter {name} {tuple(p.shape)}")


def expected_names(family, layers):
    """The standard tensor names of a base model (what attnc reads)."""
    proj = ["query", "key", "value"]
    if family == "longformer":
        proj += ["query_global", "key_global", "value_global"]
    names = {
        "embeddings.word_embeddings.weight",
        "embeddings.position_embeddings.weight",
        "embeddings.token_type_embeddings.weight",
        "embeddings.LayerNorm.weight",
        "embeddings.LayerNorm.bias",
    }
    names |= {"pooler.dense.weight", "pooler.dense.bias"} if family == "longformer" else {"pooler.weight", "pooler.bias"}
    for i in range(layers):
        pre = f"encoder.layer.{i}."
        for p in proj:
            names |= {pre + f"attention.self.{p}.weight", pre + f"attention.self.{p}.bias"}
        for p in ["attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"]:
            names |= {pre + p + ".weight", pre + p + ".bias"}
    return names


def check_saved(dirname, family, layers, use_bias=True, sharded=False, task=False):
    """Checks the folder save_pretrained wrote: files, tensor names, dtypes. Returns a note."""
    files = sorted(os.listdir(dirname))
    if sharded:
        index = json.load(open(os.path.join(dirname, "model.safetensors.index.json")))
        shards = sorted(set(index["weight_map"].values()))
        if files != sorted(["config.json", "model.safetensors.index.json"] + shards):
            raise SystemExit(f"save_pretrained wrote {files} in {dirname}, expected config.json, the index and {shards}")
    else:
        shards = ["model.safetensors"]
        if files != ["config.json", "model.safetensors"]:
            raise SystemExit(f"save_pretrained wrote {files} in {dirname}, expected config.json and model.safetensors")
    keys, dtypes, metadata = set(), set(), None
    for shard in shards:
        with safe_open(os.path.join(dirname, shard), "pt") as f:
            keys |= set(f.keys())
            dtypes |= {str(f.get_slice(k).get_dtype()) for k in f.keys()}
            metadata = f.metadata()
    want = expected_names(family, layers)
    if not use_bias:
        want = {k for k in want if not any(k.endswith(f"attention.self.{p}.bias") for p in ("query", "key", "value"))}
    heads = set()
    if task:  # a task model: the base model's names under its prefix, plus the head's own
        prefix = "longformer." if family == "longformer" else "bert."
        pooler = {prefix + k for k in want if k.startswith("pooler")}
        want = {prefix + k for k in want if not k.startswith("pooler")}
        if pooler <= keys:  # BigBirdForMaskedLM keeps its pooler, LongformerForMaskedLM has none
            want |= pooler
        heads = {k for k in keys - want if k.startswith(("lm_head.", "cls."))}
    missing, extra = want - keys, keys - want - heads
    if missing or extra:
        raise SystemExit(f"{dirname}: unexpected tensor names: missing {sorted(missing)}, extra {sorted(extra)}")
    return (f"{len(keys)} tensors in {len(shards)} file(s), standard names"
            + (f" (+ head tensors {sorted(heads)})" if heads else "")
            + f", dtypes {sorted(dtypes)}, metadata {metadata}")


class ModelStore:
    """Builds each distinct config once and saves it; Hugging Face runs reload it fresh."""

    def __init__(self, root):
        self.root = root
        self.dirs = {}
        self.notes = []

    def get(self, family, config_kwargs, seed, save=None):
        """save: None (float32, one file), "f16" / "bf16" (weights stored in that type; Hugging
        Face reloads them as float32, attnc converts them at load) or "sharded" (an index and
        several model-0000x-of-0000y.safetensors files) or "mlm" (a ...ForMaskedLM checkpoint:
        the base model's names under its prefix, a head, no pooler)."""
        key = json.dumps([family, config_kwargs, seed, save], sort_keys=True)
        if key in self.dirs:
            return self.dirs[key]
        d = os.path.join(self.root, f"model{len(self.dirs)}_{family}")
        shutil.rmtree(d, ignore_errors=True)  # a folder kept by an earlier --keep run
        kwargs = dict(SMALL, **config_kwargs)
        if family == "longformer":
            cls = LongformerForMaskedLM if save == "mlm" else LongformerModel
            model = cls(LongformerConfig(**kwargs))
        else:
            cls = BigBirdForMaskedLM if save == "mlm" else BigBirdModel
            model = cls(BigBirdConfig(**kwargs))
        randomize(model, seed)
        model.eval()
        if save in ("f16", "bf16"):
            model.to(torch.float16 if save == "f16" else torch.bfloat16)
        extra = {"max_shard_size": "40KB"} if save == "sharded" else {}
        model.save_pretrained(d, safe_serialization=True, **extra)
        note = check_saved(d, family, kwargs["num_hidden_layers"], kwargs.get("use_bias", True), save == "sharded",
                           save == "mlm")
        self.notes.append(f"save_pretrained {os.path.basename(d)} ({save or 'f32'}): {note}")
        self.dirs[key] = d
        return d


def load_fresh(family, d, save=None):
    """A fresh model per run: BigBirdModel switches itself to original_full for good after a
    short input, so a model object is never reused. For a ...ForMaskedLM checkpoint, its base
    model (which has no pooler)."""
    if save == "mlm":
        cls = LongformerForMaskedLM if family == "longformer" else BigBirdForMaskedLM
        task = cls.from_pretrained(d, dtype=torch.float32)
        model = task.longformer if family == "longformer" else task.bert
    else:
        cls = LongformerModel if family == "longformer" else BigBirdModel
        model = cls.from_pretrained(d, dtype=torch.float32)
    model.eval()
    assert not model.training
    return model


# --------------------------------------------------------------------------------------------
# BigBird's random table, as Hugging Face gathers it

_gathered = []
_original_gather = modeling_big_bird.BigBirdBlockSparseAttention.torch_gather_b2


def _recording_gather(params, indices):
    _gathered.append(indices.detach().clone())
    return _original_gather(params, indices)


modeling_big_bird.BigBirdBlockSparseAttention.torch_gather_b2 = staticmethod(_recording_gather)


# --------------------------------------------------------------------------------------------
# Inputs


class Case:
    def __init__(self, name, family, config, length, real2=None, seed=0, globals_=None, token_types=False,
                 layout="zeros", left_pad=False, masked_ids="pad", pad_id_inside=False, backend="java",
                 expect="match", note="", globals2=None, holes=(), dtype=np.int64, against="hf", save=None,
                 no_mask=False):
        self.name = name
        self.family = family
        self.config = config
        self.length = length
        self.real2 = length if real2 is None else real2  # real tokens of batch item 2
        self.seed = seed
        self.globals = globals_  # Longformer: positions with global_attention_mask = 1 (both items)
        self.token_types = token_types
        # BigBird's random blocks: "zeros" (HF eval's table, given to attnc as random_layout),
        # "hf_train" (HF in train mode with dropout 0 draws a real table; it is captured and given
        # to attnc), or None (no random_layout: attnc's seeded default)
        self.layout = layout
        self.left_pad = left_pad  # item 2 padded on the left instead of the right
        self.masked_ids = masked_ids  # ids at masked positions: "pad" (pad_token_id) or "random"
        self.pad_id_inside = pad_id_inside  # a real token of item 1 has the pad id
        self.backend = backend
        # "match": must agree within TOL; "differs": informational, a difference is expected;
        # "error": attnc is expected to refuse the input (a documented limitation)
        self.expect = expect
        self.against = against  # "hf", or "java": compare with attnc's own java backend
        self.save = save  # how the checkpoint is written: see ModelStore.get
        # no attention_mask given to either side (item 2's pad ids are then real tokens to both)
        self.no_mask = no_mask
        self.note = note
        self.globals2 = globals2  # Longformer: item 2's global positions when they differ from item 1's
        self.holes = holes  # (item, start, stop): masked stretches inside the sequence, non-pad ids
        self.dtype = dtype  # of the .npy inputs given to attnc (int64 or int32)


def draw_ids(rng, shape, vocab, pad):
    """Token ids in 0..vocab-1 other than pad."""
    x = rng.integers(0, vocab - 1, size=shape)
    x[x >= pad] += 1
    return x.astype(np.int64)


def make_inputs(case, vocab, pad):
    rng = np.random.default_rng(1000 + case.seed)
    L = case.length
    ids = draw_ids(rng, (2, L), vocab, pad)
    mask = np.ones((2, L), dtype=np.int64)
    masked = slice(0, L - case.real2) if case.left_pad else slice(case.real2, L)
    mask[1, masked] = 0
    if case.masked_ids == "pad":
        ids[1, masked] = pad
    for item, start, stop in case.holes:
        mask[item, start:stop] = 0
    if case.pad_id_inside and L > 3:
        ids[0, L // 2] = pad
    inputs = {"input_ids": ids, "attention_mask": mask}
    if case.globals is not None:
        g = np.zeros((2, L), dtype=np.int64)
        for item, positions in enumerate([case.globals, case.globals if case.globals2 is None else case.globals2]):
            for p in positions:
                if p < L:
                    g[item, p] = 1
        inputs["global_attention_mask"] = g
    if case.token_types:
        inputs["token_type_ids"] = rng.integers(0, 2, size=(2, L)).astype(np.int64)
    if case.no_mask:
        del inputs["attention_mask"]
    return inputs


# --------------------------------------------------------------------------------------------
# Running both sides


def run_hf(case, d, inputs):
    model = load_fresh(case.family, d, case.save)
    if case.layout == "hf_train":
        # Dropout probabilities are 0, so train mode differs from eval only in the random table
        # (np.random.seed(layer index), then HF's _bigbird_block_rand_mask*).
        model.train()
    del _gathered[:]
    t = {k: torch.from_numpy(v) for k, v in inputs.items()}
    start = time.perf_counter()
    with torch.no_grad():
        out = model(**t)
    seconds = time.perf_counter() - start
    info = {"attention_type": getattr(model, "attention_type", None)}
    if case.family == "big_bird":
        info["gathers"] = len(_gathered)
        info["table_all_zero"] = all(bool((g == 0).all()) for g in _gathered)
        info["table_shape"] = tuple(_gathered[0].shape) if _gathered else None
        if _gathered:
            # two gathers (key, value) per layer, each [batch, heads, blocks - 2, r], same per item
            keys, values = _gathered[0::2], _gathered[1::2]
            assert len(keys) == model.config.num_hidden_layers
            assert all(bool((k == v).all()) and bool((k == k[:1]).all()) for k, v in zip(keys, values))
            info["table"] = np.stack([k[0].numpy() for k in keys]).astype(np.int32)
    pooled = None if out.pooler_output is None else out.pooler_output.numpy()
    return out.last_hidden_state.numpy(), pooled, seconds, info


def run_attnc(case, d, inputs, work, attnc, cfg, table=None, pooler=True):
    args = [attnc, "encode", "--model", d, "--backend", case.backend]
    for name, arr in inputs.items():
        path = os.path.join(work, name + ".npy")
        np.save(path, arr.astype(case.dtype))
        args += ["-i", f"{name}={path}"]
    L = case.length
    block = cfg.get("block_size", 64)
    sparse = (
        case.family == "big_bird"
        and cfg.get("attention_type", "block_sparse") == "block_sparse"
        and L > (5 + 2 * cfg.get("num_random_blocks", 3)) * block
    )
    if case.layout in ("zeros", "hf_train") and sparse:
        shape = (cfg["num_hidden_layers"], cfg["num_attention_heads"], -(-L // block) - 2, cfg["num_random_blocks"])
        layout = np.zeros(shape, dtype=np.int32) if case.layout == "zeros" else table
        if layout is None or layout.shape != shape:
            raise SystemExit(f"{case.name}: random_layout {None if layout is None else layout.shape}, expected {shape}")
        path = os.path.join(work, "random_layout.npy")
        np.save(path, layout)
        args += ["-i", f"random_layout={path}"]
    h_path, p_path = os.path.join(work, "h.npy"), os.path.join(work, "p.npy")
    args += ["-o", f"last_hidden_state={h_path}"]
    if pooler:  # LongformerForMaskedLM has no pooler
        args += ["-o", f"pooler_output={p_path}"]
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        return None, None, seconds, f"exit {proc.returncode}: {proc.stderr.strip()}"
    return np.load(h_path), (np.load(p_path) if pooler else None), seconds, proc.stderr.strip()


def compare(case, inputs, hf_h, hf_p, at_h, at_p):
    """Max abs differences on real tokens and on poolers of items whose token 0 is real."""
    real = inputs["attention_mask"].astype(bool) if "attention_mask" in inputs else np.ones(hf_h.shape[:2], bool)
    if at_h.shape != hf_h.shape:
        return {"error": f"last_hidden_state shape {at_h.shape}, Hugging Face {hf_h.shape}"}
    diff = np.abs(at_h - hf_h).max(axis=-1)  # [batch, length]
    diff_real = np.where(real, diff, 0.0)
    result = {"h": float(diff_real.max()), "h_scale": float(np.abs(hf_h[real]).max())}
    bad = np.argwhere(diff_real > TOL)
    if len(bad):
        # first differing token in sequence order, per batch item
        result["first_bad"] = [(int(b), int(bad[bad[:, 0] == b][:, 1].min())) for b in sorted(set(bad[:, 0]))]
        result["bad_tokens"] = int(len(bad))
    pooled = [b for b in range(hf_h.shape[0]) if real[b, 0]]
    result["p"] = float(np.abs(at_p[pooled] - hf_p[pooled]).max()) if pooled and hf_p is not None else 0.0
    padded_rows = ~real
    if padded_rows.any():
        result["h_padded_rows"] = float(diff[padded_rows].max())  # informational only
    return result


# --------------------------------------------------------------------------------------------
# The cases


def longformer_cases():
    base = dict(num_hidden_layers=3, attention_window=[4, 16, 8], pad_token_id=1, max_position_embeddings=512)
    # HF pads to a multiple of max(window) = 16; every 2*(w/2) divides 16. (A window of 2, i.e.
    # one token each side, crashes Hugging Face's _sliding_chunks_query_key_matmul; see README.)
    few = [0, 3, 10]
    many = [0] + list(range(2, 40, 2))[:19]  # 20 global tokens
    cs = []
    for L, r2 in [(1, 1), (2, 1), (17, 11), (45, 30), (300, 201)]:
        cs.append(Case(f"lf_L{L}_global3", "longformer", base, L, r2, seed=L, globals_=few))
    cs.append(Case("lf_L45_noglobal", "longformer", base, 45, 30, seed=2, globals_=None))
    cs.append(Case("lf_L45_global20", "longformer", base, 45, 30, seed=3, globals_=many))
    cs.append(Case("lf_L300_global20", "longformer", base, 300, 201, seed=4, globals_=many))
    cs.append(Case("lf_L17_allglobal", "longformer", base, 17, 11, seed=5, globals_=list(range(17))))
    # 8 globals = 32 = hidden/2 per item: projected; item 2 has one of them in its padding (7: folded)
    cs.append(Case("lf_L45_global8_mixedpaths", "longformer", base, 45, 35, seed=6,
                   globals_=[0, 1, 5, 9, 20, 33, 34, 40]))
    cs.append(Case("lf_L45_lastglobal_tokentypes", "longformer", base, 45, 44, seed=7, globals_=[44, 43, 0],
                   token_types=True))
    cs.append(Case("lf_L45_leftpad", "longformer", base, 45, 30, seed=8, globals_=[20, 30], left_pad=True,
                   note="item 2 padded on the left with pad ids: RoBERTa positions skip them"))
    cs.append(Case("lf_L45_maskedrandomids", "longformer", base, 45, 30, seed=9, globals_=[0], left_pad=True,
                   masked_ids="random",
                   note="masked positions hold non-pad ids: positions count them (HF counts ids, not the mask)"))
    cs.append(Case("lf_L45_padid_inside", "longformer", base, 45, 30, seed=10, globals_=[0], pad_id_inside=True,
                   note="a real (attended) token has the pad id: HF gives it position pad_token_id"))
    cs.append(Case("lf_L510_maxpos", "longformer", base, 510, 400, seed=11, globals_=[0, 509],
                   note="longest input RoBERTa positions allow with max_position_embeddings 512"))
    cs.append(Case("lf_L64_noHFpadding", "longformer", base, 64, 50, seed=13, globals_=few))
    cs.append(Case("lf_L45_peritem_globals", "longformer", base, 45, 30, seed=14, globals_=[0, 5, 9],
                   globals2=[35, 40], note="item 2's only globals are in its padding: it has none"))
    cs.append(Case("lf_L45_maskholes", "longformer", base, 45, 40, seed=15, globals_=[0, 12],
                   holes=[(1, 10, 15), (0, 20, 22)], masked_ids="random",
                   note="attention_mask zero inside the sequence (non-pad ids there); global 12 is in a hole"))
    cs.append(Case("lf_L45_item2_allpad", "longformer", base, 45, 0, seed=16, globals_=[0, 3],
                   note="item 2 is all padding (nothing of it compared)"))
    cs.append(Case("lf_L45_nomask_padids", "longformer", base, 45, 30, seed=24, globals_=few, no_mask=True,
                   note="no attention_mask, item 2 ends in pad ids: both treat them as real tokens"))
    cs.append(Case("lf_L45_int32", "longformer", base, 45, 30, seed=17, globals_=few, dtype=np.int32))
    cs.append(Case("lf_window_int8_L45", "longformer", dict(base, attention_window=8), 45, 30, seed=18,
                   globals_=few, note="attention_window given as one int"))
    cs.append(Case("lf_L45_f16", "longformer", base, 45, 30, seed=19, globals_=few, save="f16"))
    cs.append(Case("lf_L45_sharded", "longformer", base, 45, 30, seed=20, globals_=few, save="sharded"))
    cs.append(Case("lf_L45_maskedlm", "longformer", base, 45, 30, seed=21, globals_=few, save="mlm",
                   note="LongformerForMaskedLM checkpoint: 'longformer.' prefix, lm_head, no pooler (not asked)"))
    # the key set of allenai/longformer-base-4096's config.json (old keys included), scaled down
    real = dict(num_hidden_layers=2, attention_window=[512, 512], attention_mode="longformer",
                ignore_attention_mask=False, type_vocab_size=1, max_position_embeddings=4098, pad_token_id=1,
                bos_token_id=0, eos_token_id=2, sep_token_id=2, layer_norm_eps=1e-5, hidden_act="gelu",
                architectures=["LongformerForMaskedLM"], initializer_range=0.02)
    cs.append(Case("lf_basecfg_w512_L1200", "longformer", real, 1200, 1000, seed=22, globals_=[0, 1, 2, 3]))
    cs.append(Case("lf_basecfg_w512_L4096", "longformer", real, 4096, 3000, seed=23, globals_=[0]))
    win = dict(base, num_hidden_layers=2, attention_window=[32, 64], pad_token_id=0, hidden_act="gelu_new",
               layer_norm_eps=1e-5)
    cs.append(Case("lf_w32_64_pad0_L200", "longformer", win, 200, 150, seed=12, globals_=[0, 1, 2]))
    return cs


def bigbird_cases():
    b4 = dict(num_hidden_layers=2, block_size=4, num_random_blocks=2, attention_type="block_sparse",
              max_position_embeddings=1024)  # full attention when L <= (5 + 2*2)*4 = 36
    cs = []
    for L, r2 in [(1, 1), (17, 11), (36, 30), (37, 30), (45, 30), (123, 77), (300, 201)]:
        cs.append(Case(f"bb_L{L}", "big_bird", b4, L, r2, seed=100 + L))
    cs.append(Case("bb_L1021_oldplan", "big_bird", b4, 1021, 900, seed=101,
                   note="padded to 1024: HF's 'old plan' branch (lengths 1024/3072/4096)"))
    cs.append(Case("bb_L45_tokentypes", "big_bird", b4, 45, 30, seed=102, token_types=True))
    cs.append(Case("bb_L45_rescale", "big_bird", dict(b4, rescale_embeddings=True), 45, 30, seed=103))
    cs.append(Case("bb_L45_nobias", "big_bird", dict(b4, use_bias=False), 45, 30, seed=104))
    cs.append(Case("bb_L45_pad_in_block1", "big_bird", b4, 45, 6, seed=105,
                   note="item 2 has 6 real tokens: its real tokens end inside block 1"))
    cs.append(Case("bb_L45_maskholes", "big_bird", b4, 45, 40, seed=112, holes=[(1, 10, 15), (0, 20, 22)],
                   masked_ids="random", note="attention_mask zero inside the sequence"))
    cs.append(Case("bb_L45_item2_allpad", "big_bird", b4, 45, 0, seed=113,
                   note="item 2 is all padding (nothing of it compared)"))
    cs.append(Case("bb_L45_nomask_padids", "big_bird", b4, 45, 30, seed=119, no_mask=True,
                   note="no attention_mask, item 2 ends in pad ids: both treat them as real tokens"))
    cs.append(Case("bb_L45_int32", "big_bird", b4, 45, 30, seed=114, dtype=np.int32))
    # (num_random_blocks 0 is not compared: Hugging Face's block_sparse path fails on it, "cannot
    # reshape tensor of 0 elements into shape [2, 4, 10, 0, -1]".)
    cs.append(Case("bb_L45_bf16", "big_bird", b4, 45, 30, seed=116, save="bf16"))
    cs.append(Case("bb_L45_sharded", "big_bird", b4, 45, 30, seed=117, save="sharded"))
    cs.append(Case("bb_L45_maskedlm", "big_bird", b4, 45, 30, seed=118, save="mlm",
                   note="BigBirdForMaskedLM checkpoint: 'bert.' prefix, cls head"))
    full = dict(b4, attention_type="original_full")
    cs.append(Case("bb_full_L45", "big_bird", full, 45, 30, seed=106))
    cs.append(Case("bb_full_L123", "big_bird", full, 123, 77, seed=107))
    b8 = dict(num_hidden_layers=3, block_size=8, num_random_blocks=3, attention_type="block_sparse",
              max_position_embeddings=512, pad_token_id=0)  # threshold (5 + 6) * 8 = 88
    cs.append(Case("bb_b8r3_L88", "big_bird", b8, 88, 60, seed=108))
    cs.append(Case("bb_b8r3_L89", "big_bird", b8, 89, 60, seed=109))
    cs.append(Case("bb_b8r3_L150", "big_bird", b8, 150, 99, seed=110))
    for L, r2 in [(37, 30), (45, 30), (123, 77), (300, 201), (1021, 900)]:
        cs.append(Case(f"bb_L{L}_hftrain", "big_bird", b4, L, r2, seed=120 + L % 97, layout="hf_train"))
    cs.append(Case("bb_b8r3_L150_hftrain", "big_bird", b8, 150, 99, seed=121, layout="hf_train"))
    # the key set of google/bigbird-roberta-base's config.json, scaled down (block 64, r 3)
    real = dict(num_hidden_layers=2, attention_type="block_sparse", block_size=64, num_random_blocks=3,
                max_position_embeddings=4096, type_vocab_size=2, pad_token_id=0, bos_token_id=1, eos_token_id=2,
                sep_token_id=66, rescale_embeddings=False, use_bias=True, hidden_act="gelu_new",
                position_embedding_type="absolute", gradient_checkpointing=False, architectures=["BigBirdForPreTraining"])
    cs.append(Case("bb_basecfg_b64r3_L704", "big_bird", real, 704, 600, seed=122))
    cs.append(Case("bb_basecfg_b64r3_L1000", "big_bird", real, 1000, 900, seed=123))
    cs.append(Case("bb_basecfg_b64r3_L4096", "big_bird", real, 4096, 3000, seed=124,
                   note="HF's 'old plan' branch at 4096"))
    cs.append(Case("bb_basecfg_b64r3_L4096_hftrain", "big_bird", real, 4096, 3000, seed=125, layout="hf_train"))
    cs.append(Case("bb_L45_seededlayout", "big_bird", b4, 45, 30, seed=111, layout=None, expect="differs",
                   note="attnc's seeded layout instead of HF eval's zero table: a difference is expected"))
    return cs


def large_cases():
    """Base-size models (hidden 768, 12 heads, 12 layers, intermediate 3072) at 1024 tokens:
    float32 error accumulated over 12 layers of 768-wide products. Slow; --large."""
    big = dict(hidden_size=768, num_attention_heads=12, intermediate_size=3072, num_hidden_layers=12)
    lf = dict(big, attention_window=[512] * 12, pad_token_id=1, max_position_embeddings=4098, type_vocab_size=1,
              layer_norm_eps=1e-5)
    bb = dict(big, attention_type="block_sparse", block_size=64, num_random_blocks=3, max_position_embeddings=4096,
              hidden_act="gelu_new")
    return [
        Case("large_lf_base_L1024", "longformer", lf, 1024, 900, seed=30, globals_=[0, 1, 2, 3]),
        Case("large_bb_base_L1024", "big_bird", bb, 1024, 900, seed=31),
    ]


def cuda_emu_cases():
    lf = dict(num_hidden_layers=3, attention_window=[4, 16, 8], pad_token_id=1, max_position_embeddings=512)
    b4 = dict(num_hidden_layers=2, block_size=4, num_random_blocks=2, attention_type="block_sparse",
              max_position_embeddings=1024)
    return [
        Case("emu_lf_L17_global3", "longformer", lf, 17, 11, seed=17, globals_=[0, 3, 10], backend="cuda-emu"),
        Case("emu_bb_L45_zeros", "big_bird", b4, 45, 30, seed=145, backend="cuda-emu", expect="error",
             note="documented: the emulator refuses a table with repeated blocks (no log-sum-exp output)"),
        Case("emu_bb_L45_seeded_vs_java", "big_bird", b4, 45, 30, seed=146, backend="cuda-emu", layout=None,
             against="java", note="attnc's seeded layout, emulator vs attnc's java backend (not vs HF)"),
        Case("emu_bb_L123_hftrain", "big_bird", b4, 123, 77, seed=147, backend="cuda-emu", layout="hf_train",
             note="HF's train-mode table (no repeats at this length) on the emulator"),
        Case("emu_bb_L17_full", "big_bird", b4, 17, 11, seed=117, backend="cuda-emu"),
    ]


# --------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--attnc", default=os.path.join(REPO, "bin", "attnc"), help="the attnc launcher")
    ap.add_argument("--only", default=None, help="run only cases whose name contains this")
    ap.add_argument("--no-cuda-emu", action="store_true", help="skip the (slow) cuda-emu cases")
    ap.add_argument("--keep", default=None, help="keep models and .npy files under this folder")
    ap.add_argument("--large", action="store_true",
                    help="also two base-size models (12 layers, hidden 768) at 1024 tokens (minutes)")
    args = ap.parse_args()

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    torch.set_num_threads(2)
    torch.manual_seed(0)

    root = args.keep or tempfile.mkdtemp(prefix="attnc-hfcmp-")
    os.makedirs(root, exist_ok=True)
    store = ModelStore(root)
    cases = longformer_cases() + bigbird_cases() + ([] if args.no_cuda_emu else cuda_emu_cases())
    if args.large:
        cases += large_cases()
        # a base-size model does not fit bin/attnc's default 512 MB heap
        os.environ.setdefault("ATTNC_JAVA_OPTS", "-Xmx3g")
    if args.only:
        cases = [c for c in cases if args.only in c.name]

    print(f"torch {torch.__version__}, transformers {transformers.__version__}, numpy {np.__version__}")
    print(f"attnc: {args.attnc}; tolerance: max |attnc - HF| <= {TOL:g} (absolute, float32)")
    print(f"{'case':32} {'backend':8} {'L':>5} {'real2':>5} {'HF attn':13} {'max|dh|':>9} {'max|dp|':>9} "
          f"{'HF s':>6} {'attnc s':>7}  result")
    failures, infos = [], []
    for case in cases:
        d = store.get(case.family, case.config, case.seed, case.save)
        cfg = json.load(open(os.path.join(d, "config.json")))
        inputs = make_inputs(case, cfg["vocab_size"], cfg["pad_token_id"])
        work = os.path.join(root, case.name)
        os.makedirs(work, exist_ok=True)
        hf_h, hf_p, hf_s, info = run_hf(case, d, inputs)
        if case.against == "java":  # the reference is attnc's java backend on the same inputs
            java = Case(case.name, case.family, case.config, case.length, case.real2, layout=case.layout,
                        save=case.save, dtype=case.dtype)
            java_dir = os.path.join(work, "java")
            os.makedirs(java_dir, exist_ok=True)
            ref_h, ref_p, _, ref_msg = run_attnc(java, d, inputs, java_dir, args.attnc, cfg, info.get("table"),
                                                 hf_p is not None)
            if ref_h is None:
                raise SystemExit(f"{case.name}: attnc's java backend failed: {ref_msg}")
        else:
            ref_h, ref_p = hf_h, hf_p
        at_h, at_p, at_s, msg = run_attnc(case, d, inputs, work, args.attnc, cfg, info.get("table"), hf_p is not None)
        attn = info["attention_type"] or "-"
        line = f"{case.name:32} {case.backend:8} {case.length:5d} {case.real2:5d} {attn:13}"
        if case.family == "big_bird" and case.layout != "hf_train" and info.get("gathers") and not info["table_all_zero"]:
            failures.append((case, "Hugging Face's random table is not all zero in eval mode"))
        if at_h is None:
            verdict = "refused (expected)" if case.expect == "error" else "ERROR"
            print(f"{line} {'':>9} {'':>9} {hf_s:6.2f} {at_s:7.2f}  {verdict}")
            print(f"    attnc {msg}")
            if case.note:
                print(f"    note: {case.note}")
            (infos if case.expect == "error" else failures).append((case, msg))
            continue
        r = compare(case, inputs, ref_h, ref_p, at_h, at_p)
        if "error" in r:
            print(f"{line}  ERROR {r['error']}")
            failures.append((case, r["error"]))
            continue
        ok = r["h"] <= TOL and r["p"] <= TOL
        if case.expect == "match":
            verdict = "ok" if ok else "FAIL"
        elif case.expect == "differs":
            verdict = "same (unexpected)" if ok else "differs (expected)"
        else:
            verdict = "FAIL: ran, expected a refusal"
        if case.against == "java":
            verdict += " (vs attnc java)"
        dp = f"{r['p']:9.2e}" if hf_p is not None else f"{'-':>9}"
        print(f"{line} {r['h']:9.2e} {dp} {hf_s:6.2f} {at_s:7.2f}  {verdict}")
        if case.note:
            print(f"    note: {case.note}")
        if not ok:
            detail = (f"max|dh| {r['h']:.3e} (|h| up to {r['h_scale']:.2f}), max|dp| {r['p']:.3e}, "
                      f"first differing token (item, position): {r.get('first_bad')}, "
                      f"{r.get('bad_tokens', 0)} tokens over tolerance")
            print(f"    {detail}")
        if case.expect == "match" and not ok:
            failures.append((case, detail))
        elif case.expect == "differs" and not ok:
            infos.append((case, detail))
        elif case.expect == "error" or (case.expect == "differs" and ok):
            failures.append((case, verdict))
    print()
    for n in store.notes:
        print(n)
    print(f"{len(cases)} cases, {len(failures)} failed (tolerance {TOL:g}), "
          f"{len(infos)} expected differences or refusals")
    for case, why in failures:
        print(f"FAILED {case.name}: {why}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
