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

/// (name, address) of every runtime function compiled code may call.
pub fn symbols() -> [(&'static str, *mut ()); 3] {
    [
        ("numlir_round_ndigits", numlir_round_ndigits as *mut ()),
        ("numlir_gcd", numlir_gcd as *mut ()),
        ("numlir_lcm", numlir_lcm as *mut ()),
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
}
