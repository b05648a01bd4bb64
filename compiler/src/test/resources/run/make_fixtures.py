"""Regenerates the fixtures of RunCommandTest: inputs and the outputs NumPy computes for them,
an implementation independent of attnc's. Run: python3 make_fixtures.py (in this folder)."""
import numpy as np

rng = np.random.default_rng(7)
B, H, L, D = 2, 2, 9, 4
q, k, v = (rng.standard_normal((B, H, L, D)).astype(np.float32) for _ in range(3))
np.save("q.npy", q); np.save("k.npy", k); np.save("v.npy", v)

def attention(q, k, v, allowed):          # allowed: [B, H, L, L] bool
    s = np.einsum("bhid,bhjd->bhij", q.astype(np.float64), k.astype(np.float64)) / np.sqrt(D)
    s = np.where(allowed, s, -np.inf)
    m = np.max(s, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.where(allowed, np.exp(s - m), 0)
    z = e.sum(-1, keepdims=True)
    p = np.divide(e, z, out=np.zeros_like(e), where=z > 0)
    return np.einsum("bhij,bhjd->bhid", p, v.astype(np.float64)).astype(np.float32)

full = np.ones((B, H, L, L), dtype=bool)
np.save("expected_dense.npy", attention(q, k, v, full))

# window 2 each side + global token 0, and key_valid with lengths 9 and 7
i, j = np.meshgrid(np.arange(L), np.arange(L), indexing="ij")
g = (i == 0) | (j == 0)
allowed = (np.abs(i - j) <= 2) | g
valid = np.array([[True] * 9, [True] * 7 + [False] * 2])
np.save("key_valid.npy", valid)
mask = allowed[None, None] & valid[:, None, None, :]
out = attention(q, k, v, mask)
out = out * valid[:, None, :, None]
np.save("expected_window.npy", out)

# the same dense attention, token-major [B, L, H*D]
to_blhd = lambda x: np.ascontiguousarray(x.transpose(0, 2, 1, 3).reshape(B, L, H * D))
np.save("q_blhd.npy", to_blhd(q)); np.save("k_blhd.npy", to_blhd(k)); np.save("v_blhd.npy", to_blhd(v))
np.save("expected_dense_blhd.npy", to_blhd(attention(q, k, v, full)))

# Fastformer, as in the official code (value shares the query), with the output transform
E = H * D
x_q = to_blhd(q).astype(np.float64); x_k = to_blhd(k).astype(np.float64)
W_qa = rng.standard_normal((H, E)).astype(np.float32); b_qa = rng.standard_normal(H).astype(np.float32)
W_ka = rng.standard_normal((H, E)).astype(np.float32); b_ka = rng.standard_normal(H).astype(np.float32)
W_r = rng.standard_normal((E, E)).astype(np.float32) / 4; b_r = rng.standard_normal(E).astype(np.float32)
for name, a in dict(W_qa=W_qa, b_qa=b_qa, W_ka=W_ka, b_ka=b_ka, W_r=W_r, b_r=b_r).items():
    np.save(name + ".npy", a)

def softmax_tokens(scores):               # [B, L, H] over L
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)

def heads(x):                             # [B, L, E] -> [B, L, H, D]
    return x.reshape(B, L, H, D)

alpha = softmax_tokens((x_q @ W_qa.T.astype(np.float64) + b_qa) / np.sqrt(D))
g_q = np.einsum("blh,blhd->bhd", alpha, heads(x_q))
p = heads(x_k) * g_q[:, None]
beta = softmax_tokens((p.reshape(B, L, E) @ W_ka.T.astype(np.float64) + b_ka) / np.sqrt(D))
g_k = np.einsum("blh,blhd->bhd", beta, p)
u = (heads(x_q) * g_k[:, None]).reshape(B, L, E)
out = u @ W_r.T.astype(np.float64) + b_r + x_q
np.save("expected_fastformer.npy", out.astype(np.float32))

# float16 copies of q, k, v (attnc converts them to float32), and key_valid as lengths [B]
for n, x in dict(q=q, k=k, v=v).items():
    np.save(n + "_f16.npy", x.astype(np.float16))
np.save("key_valid_lengths.npy", np.array([9, 7]))            # int64, as np.array makes it
np.save("key_valid_lengths_f32.npy", np.array([9, 7], dtype=np.float32))
r16 = lambda x: x.astype(np.float16).astype(np.float32)
np.save("expected_dense_f16.npy", attention(r16(q), r16(k), r16(v), full))
