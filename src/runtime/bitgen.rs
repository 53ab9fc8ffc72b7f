//! NumPy's own distribution functions for compiled code: `random_<name>` of NumPy's static
//! library `libnpyrandom` (shipped in NumPy's wheel for extensions, linked by build.rs), on
//! a NumPy `bitgen_t`. The builtins `bitgen.<name>` (python/numlir/_numpy/bitgen.py) call
//! them as `numlir_bitgen_<name>`, so compiled code draws exactly NumPy's values:
//! - from a `np.random.Generator` passed in: its bit generator's `bitgen_t` (src/python/
//!   boxing.rs), whose state is the Python object's own and advances;
//! - from this thread's legacy MT19937 (random.rs), as [`LEGACY`] presents it, for the legacy
//!   functions whose algorithm is NumPy's current one (poisson, geometric, ...).
//!
//! Most functions take the `bitgen_t` and doubles, as compiled code passes them, and are
//! registered as they are; the few others have a wrapper here.
use std::ffi::c_void;

/// NumPy's `bitgen_t` (numpy/random/bitgen.h): a state and the functions that draw from it.
#[repr(C)]
pub struct BitGen {
    state: *mut c_void,
    next_uint64: unsafe extern "C" fn(*mut c_void) -> u64,
    next_uint32: unsafe extern "C" fn(*mut c_void) -> u32,
    next_double: unsafe extern "C" fn(*mut c_void) -> f64,
    next_raw: unsafe extern "C" fn(*mut c_void) -> u64,
}

/// NumPy's `binomial_t`: what `random_binomial` keeps between draws of the same n and p.
#[repr(C)]
#[derive(Default)]
struct Binomial {
    has_binomial: i32,
    psave: f64,
    nsave: i64,
    r: f64,
    q: f64,
    fm: f64,
    m: i64,
    p1: f64,
    xm: f64,
    xl: f64,
    xr: f64,
    c: f64,
    laml: f64,
    lamr: f64,
    p2: f64,
    p3: f64,
    p4: f64,
}

// numpy/random/distributions.h
unsafe extern "C" {
    fn random_standard_uniform(g: *mut BitGen) -> f64;
    fn random_standard_normal(g: *mut BitGen) -> f64;
    fn random_standard_exponential(g: *mut BitGen) -> f64;
    fn random_standard_gamma(g: *mut BitGen, shape: f64) -> f64;
    fn random_standard_cauchy(g: *mut BitGen) -> f64;
    fn random_standard_t(g: *mut BitGen, df: f64) -> f64;
    fn random_normal(g: *mut BitGen, loc: f64, scale: f64) -> f64;
    fn random_exponential(g: *mut BitGen, scale: f64) -> f64;
    fn random_uniform(g: *mut BitGen, low: f64, range: f64) -> f64;
    fn random_gamma(g: *mut BitGen, shape: f64, scale: f64) -> f64;
    fn random_beta(g: *mut BitGen, a: f64, b: f64) -> f64;
    fn random_chisquare(g: *mut BitGen, df: f64) -> f64;
    fn random_f(g: *mut BitGen, dfnum: f64, dfden: f64) -> f64;
    fn random_noncentral_chisquare(g: *mut BitGen, df: f64, nonc: f64) -> f64;
    fn random_noncentral_f(g: *mut BitGen, dfnum: f64, dfden: f64, nonc: f64) -> f64;
    fn random_pareto(g: *mut BitGen, a: f64) -> f64;
    fn random_weibull(g: *mut BitGen, a: f64) -> f64;
    fn random_power(g: *mut BitGen, a: f64) -> f64;
    fn random_laplace(g: *mut BitGen, loc: f64, scale: f64) -> f64;
    fn random_gumbel(g: *mut BitGen, loc: f64, scale: f64) -> f64;
    fn random_logistic(g: *mut BitGen, loc: f64, scale: f64) -> f64;
    fn random_lognormal(g: *mut BitGen, mean: f64, sigma: f64) -> f64;
    fn random_rayleigh(g: *mut BitGen, mode: f64) -> f64;
    fn random_wald(g: *mut BitGen, mean: f64, scale: f64) -> f64;
    fn random_vonmises(g: *mut BitGen, mu: f64, kappa: f64) -> f64;
    fn random_triangular(g: *mut BitGen, left: f64, mode: f64, right: f64) -> f64;
    fn random_poisson(g: *mut BitGen, lam: f64) -> i64;
    fn random_negative_binomial(g: *mut BitGen, n: f64, p: f64) -> i64;
    fn random_geometric(g: *mut BitGen, p: f64) -> i64;
    fn random_zipf(g: *mut BitGen, a: f64) -> i64;
    fn random_logseries(g: *mut BitGen, p: f64) -> i64;
    fn random_hypergeometric(g: *mut BitGen, good: i64, bad: i64, sample: i64) -> i64;
    fn random_interval(g: *mut BitGen, max: u64) -> u64;
    fn random_binomial(g: *mut BitGen, p: f64, n: i64, binomial: *mut Binomial) -> i64;
    fn random_binomial_inversion(g: *mut BitGen, n: i64, p: f64, binomial: *mut Binomial) -> i64;
    fn random_binomial_btpe(g: *mut BitGen, n: i64, p: f64, binomial: *mut Binomial) -> i64;
    fn random_bounded_uint64_fill(g: *mut BitGen, off: u64, rng: u64, cnt: isize, use_masked: bool, out: *mut u64);
}

/// `Generator.binomial`'s draw (n first, as the builtin takes it).
unsafe extern "C" fn binomial(g: *mut BitGen, n: i64, p: f64) -> i64 {
    // SAFETY: `g` is a live bitgen_t (compiled code passes one); the cache is this call's.
    unsafe { random_binomial(g, p, n, &mut Binomial::default()) }
}

/// `RandomState.binomial`'s draw (NumPy's `legacy_random_binomial`): inversion for a small
/// mean, BTPE otherwise, on the smaller of p and 1 - p.
unsafe extern "C" fn legacy_binomial(g: *mut BitGen, n: i64, p: f64) -> i64 {
    let mut cache = Binomial::default();
    let (q, flip) = if p <= 0.5 { (p, false) } else { (1.0 - p, true) };
    // SAFETY: as in `binomial`.
    let k = unsafe {
        if q * n as f64 <= 30.0 {
            random_binomial_inversion(g, n, q, &mut cache)
        } else {
            random_binomial_btpe(g, n, q, &mut cache)
        }
    };
    if flip { n - k } else { k }
}

/// `off + [0, rng]` as `Generator.integers` draws an int64 (Lemire's method, or masked
/// rejection where `masked`).
unsafe extern "C" fn bounded(g: *mut BitGen, off: i64, rng: i64, masked: i64) -> i64 {
    let mut out = 0u64;
    // SAFETY: as in `binomial`; `out` holds the one value asked for.
    unsafe { random_bounded_uint64_fill(g, off as u64, rng as u64, 1, masked != 0, &mut out) };
    out as i64
}

unsafe extern "C" fn next_uint32(g: *mut BitGen) -> i64 {
    // SAFETY: as in `binomial`.
    unsafe { ((*g).next_uint32)((*g).state) as i64 }
}

unsafe extern "C" fn next_uint64(g: *mut BitGen) -> i64 {
    // SAFETY: as in `binomial`.
    unsafe { ((*g).next_uint64)((*g).state) as i64 }
}

/// This thread's legacy MT19937 as a `bitgen_t`: its functions draw from the calling
/// thread's state (random.rs), so one static serves every thread.
struct LegacyBitGen(BitGen);
// SAFETY: the struct is never written; its state pointer is unused.
unsafe impl Sync for LegacyBitGen {}

unsafe extern "C" fn legacy_next_uint32(_: *mut c_void) -> u32 {
    super::random::numlir_random_next_u32() as u32
}
unsafe extern "C" fn legacy_next_uint64(_: *mut c_void) -> u64 {
    let high = super::random::numlir_random_next_u32() as u64;
    (high << 32) | super::random::numlir_random_next_u32() as u64
}
unsafe extern "C" fn legacy_next_double(_: *mut c_void) -> f64 {
    super::random::numlir_random_next_double()
}

static LEGACY: LegacyBitGen = LegacyBitGen(BitGen {
    state: std::ptr::null_mut(),
    next_uint64: legacy_next_uint64,
    next_uint32: legacy_next_uint32,
    next_double: legacy_next_double,
    next_raw: legacy_next_uint64,
});

/// `mt19937.bitgen()`: the legacy generator's `bitgen_t`, as compiled code holds it.
pub extern "C" fn numlir_random_bitgen() -> i64 {
    &LEGACY.0 as *const BitGen as i64
}

/// (name, address) of every entry compiled code may call.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("numlir_random_bitgen", numlir_random_bitgen as *mut ()),
        ("numlir_bitgen_standard_uniform", random_standard_uniform as *mut ()),
        ("numlir_bitgen_standard_normal", random_standard_normal as *mut ()),
        ("numlir_bitgen_standard_exponential", random_standard_exponential as *mut ()),
        ("numlir_bitgen_standard_gamma", random_standard_gamma as *mut ()),
        ("numlir_bitgen_standard_cauchy", random_standard_cauchy as *mut ()),
        ("numlir_bitgen_standard_t", random_standard_t as *mut ()),
        ("numlir_bitgen_normal", random_normal as *mut ()),
        ("numlir_bitgen_exponential", random_exponential as *mut ()),
        ("numlir_bitgen_uniform", random_uniform as *mut ()),
        ("numlir_bitgen_gamma", random_gamma as *mut ()),
        ("numlir_bitgen_beta", random_beta as *mut ()),
        ("numlir_bitgen_chisquare", random_chisquare as *mut ()),
        ("numlir_bitgen_f", random_f as *mut ()),
        ("numlir_bitgen_noncentral_chisquare", random_noncentral_chisquare as *mut ()),
        ("numlir_bitgen_noncentral_f", random_noncentral_f as *mut ()),
        ("numlir_bitgen_pareto", random_pareto as *mut ()),
        ("numlir_bitgen_weibull", random_weibull as *mut ()),
        ("numlir_bitgen_power", random_power as *mut ()),
        ("numlir_bitgen_laplace", random_laplace as *mut ()),
        ("numlir_bitgen_gumbel", random_gumbel as *mut ()),
        ("numlir_bitgen_logistic", random_logistic as *mut ()),
        ("numlir_bitgen_lognormal", random_lognormal as *mut ()),
        ("numlir_bitgen_rayleigh", random_rayleigh as *mut ()),
        ("numlir_bitgen_wald", random_wald as *mut ()),
        ("numlir_bitgen_vonmises", random_vonmises as *mut ()),
        ("numlir_bitgen_triangular", random_triangular as *mut ()),
        ("numlir_bitgen_poisson", random_poisson as *mut ()),
        ("numlir_bitgen_negative_binomial", random_negative_binomial as *mut ()),
        ("numlir_bitgen_geometric", random_geometric as *mut ()),
        ("numlir_bitgen_zipf", random_zipf as *mut ()),
        ("numlir_bitgen_logseries", random_logseries as *mut ()),
        ("numlir_bitgen_hypergeometric", random_hypergeometric as *mut ()),
        ("numlir_bitgen_interval", random_interval as *mut ()),
        ("numlir_bitgen_binomial", binomial as *mut ()),
        ("numlir_bitgen_legacy_binomial", legacy_binomial as *mut ()),
        ("numlir_bitgen_bounded", bounded as *mut ()),
        ("numlir_bitgen_next_uint32", next_uint32 as *mut ()),
        ("numlir_bitgen_next_uint64", next_uint64 as *mut ()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_bitgen_draws_the_threads_mt19937() {
        // NumPy's RandomState(5489): random_standard_uniform through the bitgen_t equals the
        // generator's own next double, and the int helpers take its 32-bit words.
        super::super::random::numlir_random_seed(5489);
        let g = numlir_random_bitgen() as *mut BitGen;
        let through_bitgen = unsafe { random_standard_uniform(g) };
        let words = unsafe { [next_uint32(g), next_uint32(g)] };
        super::super::random::numlir_random_seed(5489);
        assert_eq!(through_bitgen, super::super::random::numlir_random_next_double());
        assert_eq!(words[0], super::super::random::numlir_random_next_u32());
        assert_eq!(words[1], super::super::random::numlir_random_next_u32());
        // Reference outputs of init_genrand(5489), as random.rs's test checks them.
        super::super::random::numlir_random_seed(5489);
        let first = unsafe { next_uint64(g) } as u64;
        assert_eq!(first, (3499211612u64 << 32) | 581869302);
    }
}
