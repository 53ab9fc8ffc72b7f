//! Numeric helpers compiled code calls (registered with the JIT by name).

/// `round(x, ndigits)` for a float, correctly rounded like CPython: the exact binary value
/// is rounded half-to-even in decimal (Rust's float formatting is exact), then parsed back.
pub extern "C" fn numlir_round_ndigits(x: f64, ndigits: i64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if ndigits > 22 {
        return x; // CPython: more digits than a double holds leaves x unchanged
    }
    let rounded = if ndigits >= 0 {
        format!("{:.*}", ndigits as usize, x)
    } else {
        // Round to a multiple of 10**k: keep (digits before the point - k) significant digits.
        let k = ndigits.unsigned_abs();
        let int_digits = if x.abs() < 1.0 { 0 } else { x.abs().log10().floor() as i64 + 1 };
        let significant = int_digits - k as i64;
        if significant <= 0 {
            // |x| < 10**k: the nearest multiple is 0 or ±10**k (only when |x| > 10**k / 2).
            let scale = 10f64.powi(k.min(400) as i32);
            let result = if significant == 0 && x.abs() > scale / 2.0 { scale } else { 0.0 };
            return result.copysign(x);
        }
        format!("{:.*e}", (significant - 1) as usize, x)
    };
    rounded.parse::<f64>().map(|r| r.copysign(x)).unwrap_or(x)
}

/// np.gcd on int64: non-negative, as NumPy's (gcd(0, 0) is 0).
pub extern "C" fn numlir_gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i64
}

/// np.lcm on int64: |a / gcd(a, b) * b|, 0 when either is 0 (wrapping like NumPy's).
pub extern "C" fn numlir_lcm(a: i64, b: i64) -> i64 {
    let g = numlir_gcd(a, b);
    if g == 0 { 0 } else { (a / g).wrapping_mul(b).wrapping_abs() }
}

/// The exponent math.frexp gives: x = m * 2**e with 0.5 <= |m| < 1 (0 for 0, inf and nan).
pub extern "C" fn numlir_frexp_exponent(x: f64) -> i64 {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    // Subnormals: scale into the normal range first.
    let (x, adjust) = if x.abs() < f64::MIN_POSITIVE { (x * 2f64.powi(54), -54) } else { (x, 0) };
    ((x.to_bits() >> 52) & 0x7ff) as i64 - 1022 + adjust
}

/// pow(base, exp, modulus) for exp >= 0 (or the inverse's power, where it exists, for
/// exp < 0), with the modulus's sign as Python's; numlir checks modulus != 0 and
/// invertibility before the call (numlir_invertible).
pub extern "C" fn numlir_powmod(base: i64, exp: i64, modulus: i64) -> i64 {
    let m = modulus.unsigned_abs() as u128;
    let mut b = (base as i128).rem_euclid(m as i128) as u128;
    if exp < 0 {
        b = inverse(b, m).unwrap_or(0);
    }
    let (mut e, mut r) = (exp.unsigned_abs(), 1u128 % m);
    while e > 0 {
        if e & 1 == 1 {
            r = r * b % m;
        }
        b = b * b % m;
        e >>= 1;
    }
    // Python: the result has the modulus's sign.
    if modulus < 0 && r != 0 { (r as i128 - m as i128) as i64 } else { r as i64 }
}

/// Whether `base` has an inverse modulo `modulus` (pow with a negative exponent needs one).
pub extern "C" fn numlir_invertible(base: i64, modulus: i64) -> bool {
    let m = modulus.unsigned_abs() as u128;
    m != 0 && inverse((base as i128).rem_euclid(m as i128) as u128, m).is_some()
}

fn inverse(a: u128, m: u128) -> Option<u128> {
    let (mut old_r, mut r) = (a as i128, m as i128);
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    (old_r == 1 || m == 1).then(|| old_s.rem_euclid(m as i128) as u128)
}

/// (name, address) of every runtime function compiled code may call.
pub fn symbols() -> [(&'static str, *mut ()); 6] {
    [
        ("numlir_round_ndigits", numlir_round_ndigits as *mut ()),
        ("numlir_gcd", numlir_gcd as *mut ()),
        ("numlir_lcm", numlir_lcm as *mut ()),
        ("numlir_frexp_exponent", numlir_frexp_exponent as *mut ()),
        ("numlir_powmod", numlir_powmod as *mut ()),
        ("numlir_invertible", numlir_invertible as *mut ()),
    ]
}

#[cfg(test)]
mod tests {
    use super::numlir_round_ndigits as r;

    #[test]
    fn rounds_like_cpython() {
        // Expected values are what CPython 3.11's round() returns for these inputs.
        assert_eq!(r(2.675, 2), 2.67);
        assert_eq!(r(0.125, 2), 0.12);
        assert_eq!(r(0.375, 2), 0.38);
        assert_eq!(r(1250.0, -2), 1200.0);
        assert_eq!(r(1500.0, -3), 2000.0);
        assert_eq!(r(123456.0, -3), 123000.0);
        assert_eq!(r(-0.5, 0), -0.0);
        assert!(r(f64::NAN, 1).is_nan());
        assert_eq!(r(5.0, -1), 0.0);
        assert_eq!(r(6.0, -1), 10.0);
    }

    #[test]
    fn powmod_and_frexp_like_cpython() {
        use super::*;
        // Expected values are what CPython 3.11 gives: pow(3, 4, 5), pow(-3, 3, 7),
        // pow(3, -1, 7), pow(2, 10, -7), math.frexp(8.0)[1], math.frexp(5e-324)[1].
        assert_eq!(numlir_powmod(3, 4, 5), 1);
        assert_eq!(numlir_powmod(-3, 3, 7), 1);
        assert_eq!(numlir_powmod(3, -1, 7), 5);
        assert_eq!(numlir_powmod(2, 10, -7), -5);
        assert!(!numlir_invertible(2, 4));
        assert_eq!(numlir_frexp_exponent(8.0), 4);
        assert_eq!(numlir_frexp_exponent(5e-324), -1073);
    }
}
