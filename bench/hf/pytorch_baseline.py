#!/usr/bin/env python3
"""The PyTorch side of attnc's performance comparison (attnc's side: the JMH benchmarks
EncoderLayerBenchmark and EncoderPartsBenchmark in bench/).

Configuration (the same as the JMH benchmarks): torch.set_num_threads(2), batch 1, n = 4096
tokens, hidden 768, 12 heads, intermediate 3072, float32, eval, no grad. Each whole-model call
(embeddings + one encoder layer + pooler) is timed, median of --runs runs after --warmup runs:

  * LongformerModel, one layer, attention_window 512, one global token (position 0);
  * BigBirdModel, one layer, block_sparse, block 64, 3 random blocks (in eval mode Hugging Face
    gathers its random blocks with an all-zero table; the work is the same as with any table);
  * Fastformer, one layer, written here from the model's equations (Hugging Face has none):
    word + position embeddings and LayerNorm, additive attention, BERT's output sublayers, and
    the official code's attention pooler.

Then the parts of a layer, each alone (as EncoderPartsBenchmark): 4 projections n x 768 -> 768,
the FFN (768 -> 3072, exact GELU, 3072 -> 768), the two residual adds + LayerNorms, and each
model's self-attention module including its own projections; and torch.mm for a 2048^3 sgemm
and [4096 x 768] . [768 x 3072], in GFLOP/s. Prints a table and which BLAS torch uses.

    python3 bench/hf/pytorch_baseline.py [--n 4096] [--threads 2] [--runs 7] [--json out.json]
    python3 bench/hf/pytorch_baseline.py --check-attnc    # only: is the Fastformer here attnc's?

--check-attnc saves a small random Fastformer of this file under the official code's parameter
names, runs `bin/attnc encode --model-type fastformer` on a padded batch and compares
last_hidden_state (real tokens) and pooler_output (max abs difference <= 1e-4), so that the
PyTorch Fastformer timed here is known to compute what attnc's does.
"""

import argparse
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F
import transformers
from torch import nn
from transformers import BigBirdConfig, BigBirdModel, LongformerConfig, LongformerModel

HIDDEN, HEADS, INTERMEDIATE = 768, 12, 3072


# --------------------------------------------------------------------------------------------
# Fastformer, from its equations


class AdditiveAttention(nn.Module):
    """Fastformer's additive attention for one layer (per head h, head size d = 64):

        q = query(x), k = key(x)
        alpha = softmax over tokens of query_att(q) / sqrt(d)      (query_att: hidden -> heads)
        pooled_q[h] = sum_i alpha_i[h] q_i[h]
        p = k * pooled_q                                            (per token, broadcast)
        beta = softmax over tokens of key_att(p) / sqrt(d)
        pooled_k[h] = sum_i beta_i[h] p_i[h]
        u = pooled_k * q
        out = transform(u) + q
    Masked tokens get -10000 added to their scores.
    """

    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.d = heads, hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.query_att = nn.Linear(hidden, heads)
        self.key_att = nn.Linear(hidden, heads)
        self.transform = nn.Linear(hidden, hidden)

    def pool(self, scores, values, mask_add):
        # scores [b, n, heads], values [b, n, hidden] -> [b, 1, hidden]
        b, n, _ = values.shape
        weights = torch.softmax(scores / math.sqrt(self.d) + mask_add, dim=1)  # over tokens
        v = values.view(b, n, self.heads, self.d)
        return torch.einsum("bnh,bnhd->bhd", weights, v).reshape(b, 1, self.heads * self.d)

    def forward(self, x, mask_add):
        q = self.query(x)
        k = self.key(x)
        pooled_q = self.pool(self.query_att(q), q, mask_add)
        p = k * pooled_q
        pooled_k = self.pool(self.key_att(p), p, mask_add)
        u = pooled_k * q
        return self.transform(u) + q


class FastformerLayer(nn.Module):
    """Additive attention, then BERT's output sublayers (post-norm)."""

    def __init__(self, hidden, heads, intermediate, eps):
        super().__init__()
        self.attention = AdditiveAttention(hidden, heads)
        self.attention_dense = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Linear(hidden, intermediate)
        self.output = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x, mask_add):
        a = self.attention_norm(self.attention_dense(self.attention(x, mask_add)) + x)
        return self.output_norm(self.output(F.gelu(self.intermediate(a))) + a)


class Fastformer(nn.Module):
    """Embeddings (word + position from 0, LayerNorm), layers, and the attention pooler:
    w = exp(att_fc2(tanh(att_fc1(h)))) * mask; pooled = sum_i w_i h_i / (sum_i w_i + 1e-8)."""

    def __init__(self, vocab, positions, hidden, heads, intermediate, layers, eps=1e-12):
        super().__init__()
        self.word_embedding = nn.Embedding(vocab, hidden)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(FastformerLayer(hidden, heads, intermediate, eps) for _ in range(layers))
        self.att_fc1 = nn.Linear(hidden, hidden)
        self.att_fc2 = nn.Linear(hidden, 1)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, std=0.02)

    def forward(self, input_ids, attention_mask):
        n = input_ids.shape[1]
        positions = torch.arange(n, device=input_ids.device)
        h = self.norm(self.word_embedding(input_ids) + self.position_embeddings(positions)[None])
        mask = attention_mask.to(h.dtype)
        mask_add = ((1.0 - mask) * -10000.0)[:, :, None]
        for layer in self.layers:
            h = layer(h, mask_add)
        w = torch.exp(self.att_fc2(torch.tanh(self.att_fc1(h)))) * mask[:, :, None]
        pooled = (w * h).sum(dim=1) / (w.sum(dim=1) + 1e-8)
        return h, pooled


def official_names(model):
    """This module's parameters under the names of the official Fastformer code's checkpoints."""
    rename = [
        ("word_embedding.", "word_embedding."),
        ("position_embeddings.", "fastformer_model.position_embeddings."),
        ("norm.", "fastformer_model.LayerNorm."),
        ("att_fc1.", "fastformer_model.poolers.0.att_fc1."),
        ("att_fc2.", "fastformer_model.poolers.0.att_fc2."),
    ]
    layer_parts = [
        ("attention.query.", "attention.self.query."),
        ("attention.key.", "attention.self.key."),
        ("attention.query_att.", "attention.self.query_att."),
        ("attention.key_att.", "attention.self.key_att."),
        ("attention.transform.", "attention.self.transform."),
        ("attention_dense.", "attention.output.dense."),
        ("attention_norm.", "attention.output.LayerNorm."),
        ("intermediate.", "intermediate.dense."),
        ("output.", "output.dense."),
        ("output_norm.", "output.LayerNorm."),
    ]
    out = {}
    for name, p in model.state_dict().items():
        if name.startswith("layers."):
            _, i, rest = name.split(".", 2)
            new = next(f"fastformer_model.encoders.{i}.{b}{rest[len(a):]}" for a, b in layer_parts
                       if rest.startswith(a))
        else:
            new = next(b + name[len(a):] for a, b in rename if name.startswith(a))
        out[new] = p.detach().contiguous()
    return out


def check_attnc(attnc):
    """Runs a small random Fastformer of this file and attnc's on the same checkpoint."""
    from safetensors.torch import save_file
    import numpy as np

    torch.manual_seed(1)
    hidden, heads, inter, layers, vocab, positions = 64, 4, 96, 2, 100, 64
    model = Fastformer(vocab, positions, hidden, heads, inter, layers).eval()
    with torch.no_grad():  # far from uniform pooling weights, as compare_hf.py does
        for name, p in model.named_parameters():
            if p.dim() == 2 and "embedding" in name:
                p.copy_(torch.randn(p.shape))
            elif p.dim() == 2:
                p.copy_(1.5 / math.sqrt(p.shape[1]) * torch.randn(p.shape))
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape))
            else:
                p.copy_(0.1 * torch.randn(p.shape))
    d = tempfile.mkdtemp(prefix="attnc-fastformer-")
    save_file(official_names(model), os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(d, "config.json"), "w") as f:  # a BertConfig, as the official code writes
        json.dump({"hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
                   "intermediate_size": inter, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
                   "vocab_size": vocab, "max_position_embeddings": positions, "type_vocab_size": 2,
                   "pad_token_id": 0, "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}, f)
    worst = 0.0
    for length, real2 in [(1, 1), (2, 1), (17, 11), (45, 30), (64, 33)]:
        ids = torch.randint(1, vocab, (2, length))
        mask = torch.ones(2, length, dtype=torch.long)
        mask[1, real2:] = 0
        ids[1, real2:] = 0
        with torch.no_grad():
            h, pooled = model(ids, mask)
        np.save(os.path.join(d, "ids.npy"), ids.numpy().astype(np.int64))
        np.save(os.path.join(d, "mask.npy"), mask.numpy().astype(np.int64))
        args = [attnc, "encode", "--model", d, "--model-type", "fastformer",
                "-i", f"input_ids={d}/ids.npy", "-i", f"attention_mask={d}/mask.npy",
                "-o", f"last_hidden_state={d}/h.npy", "-o", f"pooler_output={d}/p.npy"]
        proc = subprocess.run(args, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"attnc failed: {proc.stderr.strip()}")
            return 1
        real = mask.numpy().astype(bool)
        dh = float(np.abs(np.load(f"{d}/h.npy") - h.numpy())[real].max())
        dp = float(np.abs(np.load(f"{d}/p.npy") - pooled.numpy()).max())
        worst = max(worst, dh, dp)
        print(f"fastformer L={length:3d} real2={real2:3d}: max|dh| {dh:.2e}, max|dp| {dp:.2e}")
    print(f"worst {worst:.2e} (tolerance 1e-4): {'ok' if worst <= 1e-4 else 'FAIL'}")
    return 0 if worst <= 1e-4 else 1


# --------------------------------------------------------------------------------------------
# Timing


def median_ms(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), min(times), max(times)


def cpu_name():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        name = re.search(r"Model name:\s*(.*)", out).group(1).strip()
        flags = re.search(r"Flags:\s*(.*)", out).group(1).split()
        return name, "avx512f" in flags, "avx2" in flags
    except Exception:  # noqa: BLE001 - informational only
        return platform.processor(), None, None


def blas_info():
    cfg = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=([^,\s]+)", cfg)
    mkl = re.search(r"Math Kernel Library Version ([^\n]*)", cfg)
    cap = re.search(r"CPU capability usage: (\S+)", cfg)
    return {
        "blas": blas.group(1) if blas else "?",
        "mkl": mkl.group(1).strip() if mkl else None,
        "cpu_capability": cap.group(1) if cap else torch.backends.cpu.get_cpu_capability(),
        "mkldnn": torch.backends.mkldnn.is_available(),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--check-attnc", action="store_true", help="only compare this Fastformer with attnc's")
    ap.add_argument("--attnc", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bin",
                                                    "attnc"))
    args = ap.parse_args()
    if args.check_attnc:
        sys.exit(check_attnc(args.attnc))
    assert args.runs >= 5, "--runs: at least 5"

    transformers.logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    n, vocab = args.n, 1000
    rows = []  # (name, median ms, min, max, note)

    def timed(name, fn, note=""):
        med, lo, hi = median_ms(fn, args.warmup, args.runs)
        rows.append((name, med, lo, hi, note))
        print(f"  {name:44} {med:9.1f} ms  (min {lo:.1f}, max {hi:.1f}) {note}", flush=True)
        return med

    ids = torch.randint(2, 992, (1, n))
    ones = torch.ones(1, n, dtype=torch.long)
    name, avx512, avx2 = cpu_name()
    info = blas_info()
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, threads {torch.get_num_threads()}")
    print(f"CPU: {name}; AVX-512: {avx512}; AVX2: {avx2}")
    print(f"BLAS: {info['blas']} ({info['mkl']}); CPU capability: {info['cpu_capability']}; oneDNN: {info['mkldnn']}")
    print(f"n = {n}, batch 1, hidden {HIDDEN}, {HEADS} heads, intermediate {INTERMEDIATE}, float32, eval, no grad; "
          f"median of {args.runs} runs after {args.warmup} warm-up runs\n")

    with torch.inference_mode():
        print("whole model, one layer (embeddings + layer + pooler):")
        lf = LongformerModel(LongformerConfig(
            vocab_size=vocab, hidden_size=HIDDEN, num_hidden_layers=1, num_attention_heads=HEADS,
            intermediate_size=INTERMEDIATE, attention_window=[512], max_position_embeddings=n + 2,
            type_vocab_size=1, pad_token_id=1, layer_norm_eps=1e-5, hidden_act="gelu")).eval()
        glob = torch.zeros(1, n, dtype=torch.long)
        glob[0, 0] = 1
        timed("LongformerModel w512, 1 global", lambda: lf(input_ids=ids, attention_mask=ones,
                                                             global_attention_mask=glob))

        bb = BigBirdModel(BigBirdConfig(
            vocab_size=vocab, hidden_size=HIDDEN, num_hidden_layers=1, num_attention_heads=HEADS,
            intermediate_size=INTERMEDIATE, attention_type="block_sparse", block_size=64, num_random_blocks=3,
            max_position_embeddings=max(n, 4096), hidden_act="gelu_new")).eval()
        timed("BigBirdModel block_sparse b64 r3", lambda: bb(input_ids=ids, attention_mask=ones))
        assert bb.attention_type == "block_sparse"

        ff = Fastformer(vocab, n, HIDDEN, HEADS, INTERMEDIATE, 1).eval()
        timed("Fastformer (PyTorch, from the equations)", lambda: ff(ids, ones))

        print("\nparts of one layer:")
        x = torch.randn(1, n, HIDDEN)
        y = torch.randn(1, n, HIDDEN)
        sq = nn.Linear(HIDDEN, HIDDEN)
        up, down = nn.Linear(HIDDEN, INTERMEDIATE), nn.Linear(INTERMEDIATE, HIDDEN)
        norm = nn.LayerNorm(HIDDEN, eps=1e-5)
        one_linear = timed("1 projection [n x 768] . [768 x 768]", lambda: sq(x))

        def projections():
            for _ in range(4):
                sq(x)

        timed("projections (4 x 768 -> 768)", projections)
        timed("ffn (768 -> 3072, GELU, 3072 -> 768)", lambda: down(F.gelu(up(x))))
        timed("norms (2 x residual add + LayerNorm)", lambda: (norm(y + x), norm(y + x)))

        # LongformerModel's mask for its layers: 0 local, finfo.max global, finfo.min padding
        mask_lf = torch.zeros(1, n)
        mask_lf[glob == 1] = torch.finfo(torch.float32).max
        lf_self = lf.encoder.layer[0].attention.self
        is_masked, is_global = mask_lf < 0, mask_lf > 0
        lf_attn = timed("Longformer self-attention (5 n x 768^2 linears)",
                        lambda: lf_self(x, attention_mask=mask_lf, is_index_masked=is_masked,
                                        is_index_global_attn=is_global, is_global_attn=True),
                        "incl. query/key/value and key_global/value_global over all tokens")
        bb_self = bb.encoder.layer[0].attention.self
        bm, band, from_m, to_m = bb.create_masks_for_block_sparse_attn(ones.float(), 64)
        bb_attn = timed("BigBird self-attention (3 n x 768^2 linears)",
                        lambda: bb_self(x, band_mask=band, from_mask=from_m, to_mask=to_m, from_blocked_mask=bm,
                                        to_blocked_mask=bm), "incl. query/key/value")
        mask_add = torch.zeros(1, n, 1)
        ff_attn = timed("Fastformer attention (3 n x 768^2 linears)",
                        lambda: ff.layers[0].attention(x, mask_add), "incl. query/key/transform")
        for label, t, k in [("Longformer", lf_attn, 5), ("BigBird", bb_attn, 3), ("Fastformer", ff_attn, 3)]:
            rows.append((f"{label} attention alone (module - {k} linears)", t - k * one_linear, None, None,
                         "derived"))
            print(f"  {label + ' attention alone (derived)':44} {t - k * one_linear:9.1f} ms  "
                  f"(module minus {k} x one projection)")

        print("\nGEMM (torch.mm, float32):")
        gemms = []
        for m_, k_, n_ in [(2048, 2048, 2048), (n, HIDDEN, INTERMEDIATE)]:
            a, b = torch.randn(m_, k_), torch.randn(k_, n_)
            med = timed(f"mm [{m_} x {k_}] . [{k_} x {n_}]", lambda: torch.mm(a, b))
            gflops = 2.0 * m_ * k_ * n_ / (med / 1000.0) / 1e9
            gemms.append((m_, k_, n_, med, gflops))
            print(f"  {'':44} {gflops:9.1f} GFLOP/s")

    print("\n| measurement | median ms |")
    print("|---|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.1f} |")
    for m_, k_, n_, med, g in gemms:
        print(f"| sgemm {m_}x{k_}x{n_} | {g:.1f} GFLOP/s |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"torch": torch.__version__, "transformers": transformers.__version__,
                       "threads": torch.get_num_threads(), "cpu": name, "avx512": avx512, "blas": info,
                       "n": n, "rows": rows, "gemm": gemms}, f, indent=1)


if __name__ == "__main__":
    main()
