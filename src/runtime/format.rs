//! Python's format-spec mini-language (`format(x, spec)`, f"{x:spec}") for the values
//! compiled code formats: ints, floats, bools and strings.
//!
//! [[fill]align][sign][z][#][0][width][grouping][.precision][type]
use super::strings::float_repr;

pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
}

#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    no_negative_zero: bool,
    alternate: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse(spec: &str) -> Result<Spec, String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| "<>=^".contains(c);
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && "+- ".contains(chars[i]) {
        s.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == 'z' {
        s.no_negative_zero = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        s.alternate = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        s.zero = true;
        i += 1;
    }
    let number = |i: &mut usize| {
        let start = *i;
        while *i < chars.len() && chars[*i].is_ascii_digit() {
            *i += 1;
        }
        chars[start..*i].iter().collect::<String>().parse::<usize>().ok()
    };
    s.width = number(&mut i).unwrap_or(0);
    if i < chars.len() && (chars[i] == ',' || chars[i] == '_') {
        s.grouping = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        s.precision = Some(number(&mut i).ok_or("Format specifier missing precision")?);
    }
    if i < chars.len() {
        s.kind = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() {
        return Err("Invalid format specifier".into());
    }
    Ok(s)
}

/// `format(value, spec)`, or the error message of a ValueError.
pub fn format(value: &Value, spec: &str) -> Result<String, String> {
    match value {
        Value::Bool(b) if spec.is_empty() => Ok(if *b { "True" } else { "False" }.into()),
        Value::Bool(b) => format(&Value::Int(*b as i64), spec),
        Value::Str(text) => format_str(text, &parse(spec)?),
        Value::Int(i) => format_int(*i, &parse(spec)?),
        Value::Float(x) => format_float(*x, &parse(spec)?),
    }
}

fn format_str(text: &str, s: &Spec) -> Result<String, String> {
    if !matches!(s.kind, None | Some('s')) {
        return Err(format!("Unknown format code '{}' for object of type 'str'", s.kind.unwrap()));
    }
    if s.sign.is_some() {
        return Err("Sign not allowed in string format specifier".into());
    }
    if s.align == Some('=') {
        return Err("'=' alignment not allowed in string format specifier".into());
    }
    let body: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    Ok(pad("", &body, s, '<'))
}

/// Inserts the grouping separator every three digits of a run of digits.
fn group(digits: &str, sep: Option<char>, every: usize) -> String {
    let Some(sep) = sep else { return digits.to_string() };
    let n = digits.len();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % every == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `sign` + `body` padded to the width as the alignment says (numbers default right).
fn pad(sign: &str, body: &str, s: &Spec, default_align: char) -> String {
    let zero_pad = s.zero && s.align.is_none() && s.fill.is_none();
    let fill = s.fill.unwrap_or(if zero_pad { '0' } else { ' ' });
    let align = s.align.unwrap_or(if zero_pad { '=' } else { default_align });
    let len = sign.chars().count() + body.chars().count();
    let extra = s.width.saturating_sub(len);
    let fills = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    match align {
        '<' => format!("{sign}{body}{}", fills(extra)),
        '>' => format!("{}{sign}{body}", fills(extra)),
        '^' => format!("{}{sign}{body}{}", fills(extra / 2), fills(extra - extra / 2)),
        _ => format!("{sign}{}{body}", fills(extra)),
    }
}

fn sign_of(negative: bool, s: &Spec) -> &'static str {
    match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

fn format_int(i: i64, s: &Spec) -> Result<String, String> {
    let kind = s.kind.unwrap_or('d');
    if "eEfFgG%".contains(kind) {
        return format_float(i as f64, s);
    }
    if s.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".into());
    }
    let magnitude = i.unsigned_abs();
    let (prefix, digits, every) = match kind {
        'd' | 'n' => ("", magnitude.to_string(), 3),
        'b' => ("0b", format!("{magnitude:b}"), 4),
        'o' => ("0o", format!("{magnitude:o}"), 4),
        'x' => ("0x", format!("{magnitude:x}"), 4),
        'X' => ("0X", format!("{magnitude:X}"), 4),
        'c' => {
            let c = char::from_u32(i as u32).filter(|_| (0..0x110000).contains(&i)).ok_or("%c arg not in range(0x110000)")?;
            return Ok(pad("", &c.to_string(), s, '<'));
        }
        other => return Err(format!("Unknown format code '{other}' for object of type 'int'")),
    };
    let sign = format!("{}{}", sign_of(i < 0, s), if s.alternate { prefix } else { "" });
    Ok(pad(&sign, &group(&digits, s.grouping, every), s, '>'))
}

/// `x` (not negative, finite) in exponent notation with `precision` digits after the point.
fn exponent_form(x: f64, precision: usize, upper: bool) -> String {
    let text = format!("{x:.precision$e}");
    let (mantissa, exp) = text.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("an exponent");
    format!("{mantissa}{}{}{:02}", if upper { 'E' } else { 'e' }, if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// The decimal exponent of `x` once rounded to `digits` significant digits.
fn rounded_exponent(x: f64, digits: usize) -> i32 {
    let text = format!("{:.*e}", digits.saturating_sub(1), x);
    text.split_once('e').expect("exponent form").1.parse().expect("an exponent")
}

fn strip_zeros(text: &str) -> String {
    let (number, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let number = if number.contains('.') { number.trim_end_matches('0').trim_end_matches('.') } else { number };
    format!("{number}{exp}")
}

fn format_float(x: f64, s: &Spec) -> Result<String, String> {
    let kind = s.kind;
    if let Some(k) = kind {
        if !"eEfFgGn%".contains(k) {
            return Err(format!("Unknown format code '{k}' for object of type 'float'"));
        }
    }
    let negative = x.is_sign_negative() && !(s.no_negative_zero && x == 0.0) && !x.is_nan();
    let a = x.abs();
    let upper = matches!(kind, Some('E' | 'F' | 'G'));
    let body = if !a.is_finite() {
        let t = if a.is_nan() { "nan" } else { "inf" };
        let t = if upper { t.to_uppercase() } else { t.to_string() };
        if kind == Some('%') { format!("{t}%") } else { t }
    } else {
        match kind {
            Some('f' | 'F') => format!("{a:.*}", s.precision.unwrap_or(6)),
            Some('%') => format!("{:.*}%", s.precision.unwrap_or(6), a * 100.0),
            Some('e' | 'E') => exponent_form(a, s.precision.unwrap_or(6), upper),
            Some('g' | 'G' | 'n') | None if kind.is_some() || s.precision.is_some() => {
                let p = s.precision.unwrap_or(6).max(1);
                let exp = if a == 0.0 { 0 } else { rounded_exponent(a, p) };
                let text = if -4 <= exp && exp < p as i32 {
                    format!("{a:.*}", (p as i32 - 1 - exp) as usize)
                } else {
                    exponent_form(a, p - 1, upper)
                };
                let mut text = if s.alternate { text } else { strip_zeros(&text) };
                // No type: like 'g', but a fixed-point result keeps a digit after the point.
                if kind.is_none() && !text.contains(['.', 'e', 'E']) {
                    text.push_str(".0");
                }
                text
            }
            _ => float_repr(a),
        }
    };
    // Grouping applies to the digits before the point.
    let body = match s.grouping {
        Some(sep) if a.is_finite() => {
            let end = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
            format!("{}{}", group(&body[..end], Some(sep), 3), &body[end..])
        }
        _ => body,
    };
    Ok(pad(sign_of(negative, s), &body, s, '>'))
}
