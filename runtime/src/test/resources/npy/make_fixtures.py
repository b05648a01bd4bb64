"""Regenerates the .npy fixtures of NpyTest with a real NumPy: python3 make_fixtures.py
(run in this folder). The test reads these files; it never runs Python."""
import numpy as np

np.save("f32_2x3.npy", np.arange(6, dtype=np.float32).reshape(2, 3) / 4)
np.save("i32_4.npy", np.array([-2, 0, 7, 2**31 - 1], dtype=np.int32))
np.save("bool_2x2.npy", np.array([[True, False], [False, True]]))
np.save("scalar_f32.npy", np.float32(2.5))
np.save("empty_0x3.npy", np.zeros((0, 3), dtype=np.float32))
np.save("f32_4d.npy", np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5) - 60)
np.save("f32_big_endian.npy", np.array([1.5, -2.0, 3.25], dtype=">f4"))
np.save("f64_3.npy", np.array([0.1, -1e10, 3.0], dtype=np.float64))
np.save("i64_3.npy", np.array([1, -5, 2**31 - 1], dtype=np.int64))
np.save("f16_5.npy", np.array([1.5, 2.0**-24, 65504, -0.0, np.inf], dtype=np.float16))
np.save("i64_too_big.npy", np.array([2**40], dtype=np.int64))
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
np.save("complex.npy", np.array([1 + 2j], dtype=np.complex64))
with open("v2_f32.npy", "wb") as f:
    np.lib.format.write_array(f, np.array([[1, 2], [3, 4]], dtype=np.float32), version=(2, 0))
good = open("f32_2x3.npy", "rb").read()
open("truncated.npy", "wb").write(good[:-5])
open("not_npy.npy", "wb").write(b"PK\x03\x04 this is a zip, not an array")
