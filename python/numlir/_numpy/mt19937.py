"""np.random's generator as compiled code sees it: builtins that draw from this thread's
MT19937 (src/runtime/random.rs, NumPy's legacy ``RandomState``) and seed it. ``random.py``
builds NumPy's distributions on them. The functions below only document the builtins:
the interpreter never runs them.
"""

__all__ = ["seed", "next_u32", "next_double", "gauss", "bitgen", "reseed"]


def _builtin(name):
    def compiled_only(*args):
        raise NotImplementedError(f"mt19937.{name} is called from compiled code only")
    compiled_only.__name__ = name
    return compiled_only


seed = _builtin("seed")                # (s): starts the generator again from seed s (0 <= s < 2**32)
next_u32 = _builtin("next_u32")        # (): the next 32 random bits, as an int
next_double = _builtin("next_double")  # (): a double in [0, 1) from 53 bits (random_sample)
gauss = _builtin("gauss")              # (): a standard normal value (the legacy polar method)
bitgen = _builtin("bitgen")              # (): this generator as a NumPy bitgen_t, for the bitgen.* builtins
reseed = _builtin("reseed")              # (): the next draw seeds the generator from entropy (np.random.seed())
