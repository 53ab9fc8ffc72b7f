"""np.random's generator as compiled code sees it: builtins that draw from this thread's
MT19937 (src/runtime/random.rs, NumPy's legacy ``RandomState``) and seed it. ``random.py``
builds NumPy's distributions on them. The functions below only document the builtins:
the interpreter never runs them.
"""
from .stubs import compiled_only


__all__ = ["seed", "next_u32", "next_double", "gauss", "bitgen", "reseed"]


seed = compiled_only("mt19937", "seed")                # (s): starts the generator again from seed s (0 <= s < 2**32)
next_u32 = compiled_only("mt19937", "next_u32")        # (): the next 32 random bits, as an int
next_double = compiled_only("mt19937", "next_double")  # (): a double in [0, 1) from 53 bits (random_sample)
gauss = compiled_only("mt19937", "gauss")              # (): a standard normal value (the legacy polar method)
bitgen = compiled_only("mt19937", "bitgen")            # (): this generator as a NumPy bitgen_t, for the bitgen.* builtins
reseed = compiled_only("mt19937", "reseed")            # (): the next draw seeds the generator from entropy (np.random.seed())
