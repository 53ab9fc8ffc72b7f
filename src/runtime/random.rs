//! np.random's legacy generator for compiled code: NumPy's `RandomState` (MT19937 and its
//! legacy Gaussian), one per thread, as numba keeps one. Seeded the same, it gives exactly
//! NumPy's sequences; python/numlir/_numpy/random.py builds the distributions on these
//! draws, as NumPy's `legacy` distributions build on them. Compiled code's state is its
//! own: `np.random.seed` in compiled code seeds it, and the interpreter's does not.
use std::cell::UnsafeCell;

const N: usize = 624;
const M: usize = 397;

/// MT19937's state, and the second Gaussian of the last polar draw (NumPy keeps it too).
struct RandomState {
    key: [u32; N],
    pos: usize,
    gauss: Option<f64>,
}

impl RandomState {
    /// NumPy's `RandomState(seed)` for an int seed (`mt19937_seed`, Knuth's initializer).
    fn seeded(seed: u32) -> Self {
        let mut key = [0u32; N];
        key[0] = seed;
        for i in 1..N {
            key[i] = 1812433253u32.wrapping_mul(key[i - 1] ^ (key[i - 1] >> 30)).wrapping_add(i as u32);
        }
        Self { key, pos: N, gauss: None }
    }

    /// Seeded from the operating system's entropy, as NumPy's unseeded generator is.
    fn from_entropy() -> Self {
        let mut bytes = [0u8; 4];
        let seeded = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
        let seed = match seeded {
            Ok(()) => u32::from_le_bytes(bytes),
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(5489, |d| d.as_nanos() as u32),
        };
        Self::seeded(seed)
    }

    /// The next 624 words (and, on a thread's first draw, its seed).
    #[cold]
    #[inline(never)]
    fn refill(&mut self) {
        if self.pos == UNSEEDED {
            *self = Self::from_entropy();
        }
        self.regenerate();
    }

    fn regenerate(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        let twist = |x: u32| (x >> 1) ^ if x & 1 == 1 { 0x9908_b0df } else { 0 };
        for i in 0..N - M {
            let y = (self.key[i] & UPPER) | (self.key[i + 1] & LOWER);
            self.key[i] = self.key[i + M] ^ twist(y);
        }
        for i in N - M..N - 1 {
            let y = (self.key[i] & UPPER) | (self.key[i + 1] & LOWER);
            self.key[i] = self.key[i + M - N] ^ twist(y);
        }
        let y = (self.key[N - 1] & UPPER) | (self.key[0] & LOWER);
        self.key[N - 1] = self.key[M - 1] ^ twist(y);
        self.pos = 0;
    }

    fn next_u32(&mut self) -> u32 {
        if self.pos >= N {
            self.refill();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A double in [0, 1) from 53 random bits, as NumPy's `random_sample`.
    fn next_double(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67108864.0 + b) / 9007199254740992.0
    }

    /// NumPy's `legacy_gauss`: the polar method, two values a draw, the second kept.
    fn gauss(&mut self) -> f64 {
        if let Some(g) = self.gauss.take() {
            return g;
        }
        loop {
            let x1 = 2.0 * self.next_double() - 1.0;
            let x2 = 2.0 * self.next_double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.gauss = Some(f * x1);
                return f * x2;
            }
        }
    }
}

/// `pos` of a thread's state that no draw has seeded yet (the first draw seeds it from
/// entropy): checked only where the state regenerates, once per 624 draws, so that the
/// thread-local needs no lazy initialization (a draw costs a few nanoseconds).
const UNSEEDED: usize = N + 1;

thread_local! {
    static STATE: UnsafeCell<RandomState> = const { UnsafeCell::new(RandomState { key: [0; N], pos: UNSEEDED, gauss: None }) };
}

fn with_state<R>(f: impl FnOnce(&mut RandomState) -> R) -> R {
    // SAFETY: only this thread reaches its state, and no call below re-enters `with_state`.
    STATE.with(|state| f(unsafe { &mut *state.get() }))
}

/// `np.random.seed(seed)` in compiled code: this thread's generator starts again.
pub extern "C" fn numlir_random_seed(seed: i64) {
    with_state(|state| *state = RandomState::seeded(seed as u32));
}

/// `np.random.seed()` in compiled code: this thread's next draw seeds from entropy.
pub extern "C" fn numlir_random_reseed() {
    with_state(|state| {
        state.pos = UNSEEDED;
        state.gauss = None;
    });
}

/// The next 32 random bits.
pub extern "C" fn numlir_random_next_u32() -> i64 {
    with_state(|state| state.next_u32() as i64)
}

/// The next double in [0, 1).
pub extern "C" fn numlir_random_next_double() -> f64 {
    with_state(RandomState::next_double)
}

/// The next standard normal value (NumPy's legacy Gaussian).
pub extern "C" fn numlir_random_gauss() -> f64 {
    with_state(RandomState::gauss)
}

/// (name, address) of every generator entry compiled code may call.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("numlir_random_seed", numlir_random_seed as *mut ()),
        ("numlir_random_reseed", numlir_random_reseed as *mut ()),
        ("numlir_random_next_u32", numlir_random_next_u32 as *mut ()),
        ("numlir_random_next_double", numlir_random_next_double as *mut ()),
        ("numlir_random_gauss", numlir_random_gauss as *mut ()),
    ]
}

#[cfg(test)]
mod tests {
    use super::RandomState;

    #[test]
    fn mt19937_reference_outputs() {
        // The reference implementation's first outputs for init_genrand(5489) (Matsumoto and
        // Nishimura's mt19937ar.c, the sequence C++'s std::mt19937 also defines: its
        // 10000th output is 4123659995).
        let mut state = RandomState::seeded(5489);
        assert_eq!(state.next_u32(), 3499211612);
        assert_eq!(state.next_u32(), 581869302);
        let mut state = RandomState::seeded(5489);
        let last = (0..10000).map(|_| state.next_u32()).last();
        assert_eq!(last, Some(4123659995));
    }
}
