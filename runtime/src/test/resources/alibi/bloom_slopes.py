"""Writes bloom_slopes.txt: the ALiBi slope of every head for H = 1..16 and a few larger head
counts, as Hugging Face transformers computes them (models.bloom.modeling_bloom.build_alibi_tensor).
ScoreModsTest (runtime) compares dev.attnc.runtime.kernel.ScoreMods.bloomSlope against the file.

Run from this directory (transformers 5.18, torch 2.13 cpu):  python3 bloom_slopes.py
Each line: H, then the H slopes (float32 values printed with repr of the float, 9 significant digits).
"""
import torch
from transformers.models.bloom.modeling_bloom import build_alibi_tensor

HEADS = list(range(1, 17)) + [20, 24, 32, 40, 64, 112]

with open("bloom_slopes.txt", "w") as out:
    out.write("# H slope_0 .. slope_{H-1}: build_alibi_tensor(mask of ones [1, 2], H)[:, 1] (key position 1)\n")
    for h in HEADS:
        mask = torch.ones(1, 2, dtype=torch.long)
        alibi = build_alibi_tensor(mask, h, torch.float32)  # [H, 1, 2]: slope_h * position
        slopes = alibi[:, 0, 1].tolist()
        out.write(" ".join([str(h)] + ["%.9g" % s for s in slopes]) + "\n")
