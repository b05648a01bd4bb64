#!/usr/bin/env python3
"""The PyTorch side of FastformerKernelBenchmark: the official Fastformer code's
FastSelfAttention core, timed on this machine (issue 13 §1).

The code timed is the official one, unchanged: the class FastSelfAttention of Fastformer.ipynb
in github.com/wuch15/Fastformer (commit 84cc859 when this was written). That repository has no
licence, so its code is not copied here: the script reads the notebook (give a clone or the
.ipynb with --official), takes the code cell that defines FastSelfAttention, and runs it.

The core is the module's forward from the query and key layers on: the `query` and `key`
projections are replaced by modules that return prepared q and k [1, n, E] (so their GEMMs are
not timed; attnc's kernel also starts from q and k), the rest runs as written: query_att,
softmax over tokens, pooling, the product with k, key_att, softmax, pooling, the product with
the query (value = query), then `transform(u) + q`. With --no-transform semantics
(`transform = False` in the table) the transform is nn.Identity(), so the module returns
u + q: the additive core plus one add (attnc's core returns u).

Configurations (batch 1, fp32, eval, no grad, attention mask of zeros = no padding):
official 16 heads x d 16 (E = 256, fastformer.json), bert 12 heads x d 64 (E = 768).
torch.set_num_threads(--threads, default 2); median of --runs calls after --warmup.

    git clone https://github.com/wuch15/Fastformer /tmp/Fastformer
    python3 bench/hf/fastformer_core.py --official /tmp/Fastformer [--n 4096 16384] [--json out.json]
"""

import argparse
import json
import os
import statistics
import sys
import time
import types

import torch
from torch import nn

CONFIGS = {"official": (16, 16), "bert": (12, 64)}


def official_class(path):
    """FastSelfAttention, executed from the official notebook's code cell."""
    nb_path = os.path.join(path, "Fastformer.ipynb") if os.path.isdir(path) else path
    with open(nb_path, encoding="utf-8") as f:
        nb = json.load(f)
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and "class FastSelfAttention" in src:
            namespace = {}
            exec(compile(src, nb_path + ":FastSelfAttention", "exec"), namespace)
            return namespace["FastSelfAttention"]
    sys.exit(f"{nb_path}: no code cell defines FastSelfAttention")


class Given(nn.Module):
    """Returns a prepared tensor whatever the input: stands for a projection not timed."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def forward(self, _):
        return self.value


def core(cls, heads, d, n, transform):
    e = heads * d
    config = types.SimpleNamespace(hidden_size=e, num_attention_heads=heads, initializer_range=0.02)
    m = cls(config).eval()
    g = torch.Generator().manual_seed(1)
    q = torch.rand(1, n, e, generator=g) * 2 - 1
    k = torch.rand(1, n, e, generator=g) * 2 - 1
    m.query = Given(q)
    m.key = Given(k)
    if not transform:
        m.transform = nn.Identity()
    hidden = torch.empty(1, n, e)  # not read: the projections are replaced
    mask = torch.zeros(1, 1, n)
    return lambda: m(hidden, mask)


def median_seconds(fn, warmup, runs):
    with torch.no_grad():
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--official", required=True, help="a clone of wuch15/Fastformer, or its Fastformer.ipynb")
    ap.add_argument("--n", type=int, nargs="+", default=[4096, 16384])
    ap.add_argument("--config", nargs="+", default=["official", "bert"], choices=sorted(CONFIGS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    cls = official_class(args.official)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; median (min) of {args.runs} calls")
    print(f"{'config':<9} {'n':>6} {'transform':>9} {'median ms':>10} {'min ms':>8}")
    rows = []
    for config in args.config:
        heads, d = CONFIGS[config]
        for n in args.n:
            for transform in (False, True):
                med, best = median_seconds(core(cls, heads, d, n, transform), args.warmup, args.runs)
                rows.append(dict(config=config, n=n, transform=transform, median_ms=med * 1e3, min_ms=best * 1e3))
                print(f"{config:<9} {n:>6} {str(transform).lower():>9} {med * 1e3:>10.3f} {best * 1e3:>8.3f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(dict(torch=torch.__version__, threads=args.threads, rows=rows), f, indent=2)


if __name__ == "__main__":
    main()
