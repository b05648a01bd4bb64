#!/usr/bin/env python3
"""The papers' own attention code, timed on the same inputs as attnc's kernel benchmarks.

Batch 1, 12 heads, head size 64, fp32, torch on 2 threads (the machine's cores), medians of
timed repetitions after warm-up; q, k, v random in [-1, 1] and given (no projections), as in
bench/.../LongformerKernelBenchmark and SpecGridBenchmark:

  longformer  allenai/longformer's `sliding_chunks` self-attention (window 256 each side) with
              token 0 global: the body of LongformerSelfAttention.forward (commit caefee6),
              with q, k, v passed in instead of projected and the same q, k, v for the global
              row; `_chunk`, `_skew`, `_skew2`, `sliding_chunks_matmul_qk/pv` and
              `mask_invalid_locations` copied verbatim below.
  bigbird     Hugging Face BigBirdBlockSparseAttention.bigbird_block_sparse_attention (ITC,
              block 64, 3 random blocks), masks from BigBirdModel.create_masks_for_block_sparse_attn.
  dense       softmax(q kᵀ / √d + M) v, one matmul each (what a user without sparsity writes).

Usage: python3 bench/hf/attention_baselines.py [--n 4096] [--reps 10] [--threads 2]
Prints one line per workload: name, n, median seconds, min seconds.
(The Fastformer core is timed by bench/hf/fastformer_core.py.)
"""
import argparse
import math
import statistics
import time
from functools import lru_cache
from typing import Union

import torch
import torch.nn.functional as F


# ---- allenai/longformer longformer/sliding_chunks.py (verbatim) ----
def _skew(x, direction, padding_value):
    '''Convert diagonals into columns (or columns into diagonals depending on `direction`'''
    x_padded = F.pad(x, direction, value=padding_value)
    x_padded = x_padded.view(*x_padded.size()[:-2], x_padded.size(-1), x_padded.size(-2))
    return x_padded


def _skew2(x, padding_value):
    '''shift every row 1 step to right converting columns into diagonals'''
    # X = B x C x M x L
    B, C, M, L = x.size()
    x = F.pad(x, (0, M + 1), value=padding_value)  # B x C x M x (L+M+1)
    x = x.view(B, C, -1)  # B x C x ML+MM+M
    x = x[:, :, :-M]  # B x C x ML+MM
    x = x.view(B, C, M, M + L)  # B x C, M x L+M
    x = x[:, :, :, :-1]
    return x


def _chunk(x, w):
    '''convert into overlapping chunkings. Chunk size = 2w, overlap size = w'''

    # non-overlapping chunks of size = 2w
    x = x.view(x.size(0), x.size(1) // (w * 2), w * 2, x.size(2))

    # use `as_strided` to make the chunks overlap with an overlap size = w
    chunk_size = list(x.size())
    chunk_size[1] = chunk_size[1] * 2 - 1

    chunk_stride = list(x.stride())
    chunk_stride[1] = chunk_stride[1] // 2
    return x.as_strided(size=chunk_size, stride=chunk_stride)


def sliding_chunks_matmul_qk(q: torch.Tensor, k: torch.Tensor, w: int, padding_value: float):
    bsz, seqlen, num_heads, head_dim = q.size()
    assert seqlen % (w * 2) == 0
    assert q.size() == k.size()

    chunks_count = seqlen // w - 1

    q = q.transpose(1, 2).reshape(bsz * num_heads, seqlen, head_dim)
    k = k.transpose(1, 2).reshape(bsz * num_heads, seqlen, head_dim)

    chunk_q = _chunk(q, w)
    chunk_k = _chunk(k, w)

    chunk_attn = torch.einsum('bcxd,bcyd->bcxy', (chunk_q, chunk_k))  # multiply

    diagonal_chunk_attn = _skew(chunk_attn, direction=(0, 0, 0, 1), padding_value=padding_value)

    diagonal_attn = diagonal_chunk_attn.new_empty((bsz * num_heads, chunks_count + 1, w, w * 2 + 1))

    diagonal_attn[:, :-1, :, w:] = diagonal_chunk_attn[:, :, :w, :w + 1]
    diagonal_attn[:, -1, :, w:] = diagonal_chunk_attn[:, -1, w:, :w + 1]
    diagonal_attn[:, 1:, :, :w] = diagonal_chunk_attn[:, :, - (w + 1):-1, w + 1:]
    diagonal_attn[:, 0, 1:w, 1:w] = diagonal_chunk_attn[:, 0, :w - 1, 1 - w:]

    diagonal_attn = diagonal_attn.view(bsz, num_heads, seqlen, 2 * w + 1).transpose(2, 1)

    mask_invalid_locations(diagonal_attn, w, 1, False)
    return diagonal_attn


def sliding_chunks_matmul_pv(prob: torch.Tensor, v: torch.Tensor, w: int):
    bsz, seqlen, num_heads, head_dim = v.size()
    assert seqlen % (w * 2) == 0
    assert prob.size()[:3] == v.size()[:3]
    assert prob.size(3) == 2 * w + 1
    chunks_count = seqlen // w - 1
    chunk_prob = prob.transpose(1, 2).reshape(bsz * num_heads, seqlen // w, w, 2 * w + 1)

    v = v.transpose(1, 2).reshape(bsz * num_heads, seqlen, head_dim)

    padded_v = F.pad(v, (0, 0, w, w), value=-1)

    chunk_v_size = (bsz * num_heads, chunks_count + 1, 3 * w, head_dim)
    chunk_v_stride = padded_v.stride()
    chunk_v_stride = chunk_v_stride[0], w * chunk_v_stride[1], chunk_v_stride[1], chunk_v_stride[2]
    chunk_v = padded_v.as_strided(size=chunk_v_size, stride=chunk_v_stride)

    skewed_prob = _skew2(chunk_prob, padding_value=0)

    context = torch.einsum('bcwd,bcdh->bcwh', (skewed_prob, chunk_v))
    return context.view(bsz, num_heads, seqlen, head_dim).transpose(1, 2)


# ---- allenai/longformer longformer/diagonaled_mm_tvm.py (verbatim, the mask helpers) ----
def _get_invalid_locations_mask_fixed_dilation(seq_len: int, w: int, d: int):
    diagonals_list = []
    for j in range(-d * w, d, d):
        diagonal_mask = torch.zeros(seq_len, device='cpu', dtype=torch.uint8)
        diagonal_mask[:-j] = 1
        diagonals_list.append(diagonal_mask)
    return torch.stack(diagonals_list, dim=-1)


@lru_cache()
def _get_invalid_locations_mask(w: int, d: Union[torch.Tensor, int], autoregressive: bool, device: str):
    if isinstance(d, int):
        affected_seq_len = w * d
        mask = _get_invalid_locations_mask_fixed_dilation(affected_seq_len, w, d)
        mask = mask[None, :, None, :]
    else:
        affected_seq_len = w * d.max()
        head_masks = []
        d_list = d.cpu().numpy().tolist()
        for d in d_list:
            one_head_mask = _get_invalid_locations_mask_fixed_dilation(affected_seq_len, w, d)
            head_masks.append(one_head_mask)
        mask = torch.stack(head_masks, dim=-2)
        mask = mask[None, :, :, :]

    ending_mask = None if autoregressive else mask.flip(dims=(1, 3)).bool().to(device)
    return affected_seq_len, mask.bool().to(device), ending_mask


def mask_invalid_locations(input_tensor: torch.Tensor, w: int, d: Union[torch.Tensor, int], autoregressive: bool) -> torch.Tensor:
    affected_seq_len, beginning_mask, ending_mask = _get_invalid_locations_mask(w, d, autoregressive, input_tensor.device)
    seq_len = input_tensor.size(1)
    beginning_input = input_tensor[:, :affected_seq_len, :, :w+1]
    beginning_mask = beginning_mask[:, :seq_len].expand(beginning_input.size())
    beginning_input.masked_fill_(beginning_mask, -float('inf'))
    if not autoregressive:
        ending_input = input_tensor[:, -affected_seq_len:, :, -(w+1):]
        ending_mask = ending_mask[:, -seq_len:].expand(ending_input.size())
        ending_input.masked_fill_(ending_mask, -float('inf'))


# ---- LongformerSelfAttention.forward's body, q/k/v given (projections removed) ----
def allenai_longformer(q, k, v, attention_mask, w):
    """q, k, v: (seq_len, bsz, embed_dim); attention_mask (bsz, seq_len): 0 local, +1 global."""
    key_padding_mask = attention_mask < 0
    extra_attention_mask = attention_mask > 0
    remove_from_windowed_attention_mask = attention_mask != 0
    num_extra_indices_per_batch = extra_attention_mask.long().sum(dim=1)
    max_num_extra_indices_per_batch = num_extra_indices_per_batch.max()
    extra_attention_mask_nonzeros = extra_attention_mask.nonzero(as_tuple=True)
    zero_to_max_range = torch.arange(0, max_num_extra_indices_per_batch)
    selection_padding_mask = zero_to_max_range < num_extra_indices_per_batch.unsqueeze(dim=-1)
    selection_padding_mask_nonzeros = selection_padding_mask.nonzero(as_tuple=True)
    selection_padding_mask_zeros = (selection_padding_mask == 0).nonzero(as_tuple=True)

    seq_len, bsz, embed_dim = q.size()
    num_heads, head_dim = 12, embed_dim // 12
    hidden_q, hidden_k, hidden_v = q, k, v
    q = q / math.sqrt(head_dim)
    q = q.view(seq_len, bsz, num_heads, head_dim).transpose(0, 1)
    k = k.view(seq_len, bsz, num_heads, head_dim).transpose(0, 1)
    attn_weights = sliding_chunks_matmul_qk(q, k, w, padding_value=0)
    mask_invalid_locations(attn_weights, w, 1, False)
    remove_from_windowed_attention_mask = remove_from_windowed_attention_mask.unsqueeze(dim=-1).unsqueeze(dim=-1)
    float_mask = remove_from_windowed_attention_mask.type_as(q).masked_fill(remove_from_windowed_attention_mask, -10000.0)
    float_mask = float_mask.repeat(1, 1, 1, 1)
    ones = float_mask.new_ones(size=float_mask.size())
    d_mask = sliding_chunks_matmul_qk(ones, float_mask, w, padding_value=0)
    attn_weights += d_mask

    selected_k = k.new_zeros(bsz, max_num_extra_indices_per_batch, num_heads, head_dim)
    selected_k[selection_padding_mask_nonzeros] = k[extra_attention_mask_nonzeros]
    selected_attn_weights = torch.einsum('blhd,bshd->blhs', (q, selected_k))
    selected_attn_weights[selection_padding_mask_zeros[0], :, :, selection_padding_mask_zeros[1]] = -10000
    attn_weights = torch.cat((selected_attn_weights, attn_weights), dim=-1)
    attn_weights_float = F.softmax(attn_weights, dim=-1, dtype=torch.float32)
    attn_weights_float = torch.masked_fill(attn_weights_float, key_padding_mask.unsqueeze(-1).unsqueeze(-1), 0.0)
    attn_probs = attn_weights_float.type_as(attn_weights)
    v = v.view(seq_len, bsz, num_heads, head_dim).transpose(0, 1)
    selected_attn_probs = attn_probs.narrow(-1, 0, max_num_extra_indices_per_batch)
    selected_v = v.new_zeros(bsz, max_num_extra_indices_per_batch, num_heads, head_dim)
    selected_v[selection_padding_mask_nonzeros] = v[extra_attention_mask_nonzeros]
    attn = torch.matmul(selected_attn_probs.transpose(1, 2), selected_v.transpose(1, 2).type_as(selected_attn_probs)).transpose(1, 2)
    attn_probs = attn_probs.narrow(-1, max_num_extra_indices_per_batch, attn_probs.size(-1) - max_num_extra_indices_per_batch).contiguous()
    attn += sliding_chunks_matmul_pv(attn_probs, v, w)
    attn = attn.transpose(0, 1).reshape(seq_len, bsz, embed_dim).contiguous()

    selected_hidden = hidden_q.new_zeros(max_num_extra_indices_per_batch, bsz, embed_dim)
    selected_hidden[selection_padding_mask_nonzeros[::-1]] = hidden_q[extra_attention_mask_nonzeros[::-1]]
    gq = selected_hidden / math.sqrt(head_dim)
    gq = gq.contiguous().view(max_num_extra_indices_per_batch, bsz * num_heads, head_dim).transpose(0, 1)
    gk = hidden_k.contiguous().view(-1, bsz * num_heads, head_dim).transpose(0, 1)
    gv = hidden_v.contiguous().view(-1, bsz * num_heads, head_dim).transpose(0, 1)
    gw = torch.bmm(gq, gk.transpose(1, 2))
    gw = gw.view(bsz, num_heads, max_num_extra_indices_per_batch, seq_len)
    gw[selection_padding_mask_zeros[0], :, selection_padding_mask_zeros[1], :] = -10000.0
    gw = gw.masked_fill(key_padding_mask.unsqueeze(1).unsqueeze(2), -10000.0)
    gw = gw.view(bsz * num_heads, max_num_extra_indices_per_batch, seq_len)
    gp = F.softmax(gw, dim=-1, dtype=torch.float32)
    selected_attn = torch.bmm(gp, gv)
    selected_attn_4d = selected_attn.view(bsz, num_heads, max_num_extra_indices_per_batch, head_dim)
    nonzero_selected_attn = selected_attn_4d[selection_padding_mask_nonzeros[0], :, selection_padding_mask_nonzeros[1]]
    attn[extra_attention_mask_nonzeros[::-1]] = nonzero_selected_attn.view(len(selection_padding_mask_nonzeros[0]), -1)
    return attn


def bigbird(n, q, k, v):
    from transformers import BigBirdConfig
    from transformers.models.big_bird.modeling_big_bird import BigBirdBlockSparseAttention, BigBirdModel
    cfg = BigBirdConfig(hidden_size=768, num_attention_heads=12, block_size=64, num_random_blocks=3,
                        attention_type="block_sparse", max_position_embeddings=max(4096, n))
    att = BigBirdBlockSparseAttention(cfg, seed=0).eval()
    mask = torch.ones(1, n)
    blocked, band, from_mask, to_mask = BigBirdModel.create_masks_for_block_sparse_attn(mask, 64)

    def run():
        return att.bigbird_block_sparse_attention(
            q, k, v, band, from_mask, to_mask, blocked, blocked, 12, 3, 64, 64, 64, 1, n, n,
            seed=0, plan_from_length=None, plan_num_rand_blocks=None)
    return run


def median_time(fn, reps, warmup=3):
    with torch.inference_mode():
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="longformer,bigbird,dense")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    n, h, d = a.n, 12, 64
    only = a.only.split(",")
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, n={n}, 12 heads, d=64, fp32")
    if "longformer" in only:
        x = [torch.rand(n, 1, h * d) * 2 - 1 for _ in range(3)]
        am = torch.zeros(1, n)
        am[0, 0] = 1
        med, best = median_time(lambda: allenai_longformer(x[0], x[1], x[2], am, 256), a.reps)
        print(f"longformer_allenai_sliding_chunks n={n} median_s={med:.4f} min_s={best:.4f}")
    if "bigbird" in only:
        q, k, v = [torch.rand(1, h, n, d) * 2 - 1 for _ in range(3)]
        med, best = median_time(bigbird(n, q, k, v), a.reps)
        print(f"bigbird_hf_block_sparse n={n} median_s={med:.4f} min_s={best:.4f}")
    if "dense" in only:
        q, k, v = [torch.rand(1, h, n, d) * 2 - 1 for _ in range(3)]
        m = torch.zeros(1, 1, n, n)

        def dense():
            s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + m
            return torch.matmul(torch.softmax(s, dim=-1), v)
        med, best = median_time(dense, a.reps)
        print(f"dense_softmax_torch n={n} median_s={med:.4f} min_s={best:.4f}")


if __name__ == "__main__":
    main()
