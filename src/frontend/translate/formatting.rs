//! `"%5.2f" % x` and `"{:>8}".format(s)` on a constant format string: parsed here into
//! literal text and fields, each field `format(value, spec)` as an f-string's is, and the
//! pieces joined by `str.build` (py-to-std's Strings.cpp formats and joins).
use super::*;

/// A piece of a format string: text as it is, or a field: the argument it takes (a position
/// or a keyword's name), how it converts first (`str`, `repr`, `int`, `float`, or none) and
/// the format spec it gets.
#[derive(Debug, PartialEq)]
pub(super) enum Piece {
    Text(String),
    Field { argument: Argument, convert: Option<&'static str>, spec: String },
}

#[derive(Debug, PartialEq)]
pub(super) enum Argument {
    Position(usize),
    Keyword(String),
}

/// Pieces as a parser meets them: literal characters gather into one Text piece, ended by
/// the next field or the end.
#[derive(Default)]
struct Pieces {
    pieces: Vec<Piece>,
    literal: String,
}

impl Pieces {
    fn text(&mut self, c: char) {
        self.literal.push(c);
    }

    fn field(&mut self, argument: Argument, convert: Option<&'static str>, spec: String) {
        self.end_text();
        self.pieces.push(Piece::Field { argument, convert, spec });
    }

    fn end_text(&mut self) {
        if !self.literal.is_empty() {
            self.pieces.push(Piece::Text(std::mem::take(&mut self.literal)));
        }
    }

    fn finish(mut self) -> Vec<Piece> {
        self.end_text();
        self.pieces
    }
}

/// The digits at the front of `chars`, taken.
fn take_digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut digits = String::new();
    while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
        digits.push(d);
        chars.next();
    }
    digits
}

fn unsupported(what: &str) -> CompileError {
    CompileError::unsupported(format!("{what} in a format string is not supported in compiled code"))
        .hint("write an f-string: f\"{x:>8.2f}\"")
}

/// printf-style `%` formatting: `%[flags][width][.precision]type`, `%%`.
pub(super) fn percent_pieces(text: &str) -> Result<Vec<Piece>, CompileError> {
    let mut pieces = Pieces::default();
    let mut chars = text.chars().peekable();
    let mut next_argument = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            pieces.text(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            pieces.text('%');
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek().filter(|f| "-+ 0#".contains(**f)) {
            flags.push(f);
            chars.next();
        }
        let width = take_digits(&mut chars);
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let p = take_digits(&mut chars);
            precision = Some(if p.is_empty() { "0".to_string() } else { p });
        }
        let kind = chars.next().ok_or_else(|| CompileError::typing("incomplete format"))?;
        if matches!(kind, '(' | '*') {
            return Err(unsupported(&format!("'%{kind}'")));
        }
        // Python's `%` aligns right unless `-`; format() aligns strings left by default.
        let align = if flags.contains('-') { "<" } else { ">" };
        let sign = if flags.contains('+') { "+" } else if flags.contains(' ') { " " } else { "" };
        let alternate = if flags.contains('#') { "#" } else { "" };
        let zero = if flags.contains('0') && !flags.contains('-') && kind != 's' && kind != 'r' { "0" } else { "" };
        let precision = precision.map(|p| format!(".{p}")).unwrap_or_default();
        let aligned = if width.is_empty() { String::new() } else if zero.is_empty() { align.to_string() } else { String::new() };
        let (convert, spec) = match kind {
            'd' | 'i' | 'u' => (Some("int"), format!("{aligned}{sign}{zero}{width}d")),
            'x' | 'X' | 'o' => (Some("int"), format!("{aligned}{sign}{alternate}{zero}{width}{kind}")),
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                (Some("float"), format!("{aligned}{sign}{alternate}{zero}{width}{precision}{kind}"))
            }
            's' | 'r' | 'a' => (Some(if kind == 's' { "str" } else { "repr" }), format!("{aligned}{width}{precision}")),
            'c' => return Err(unsupported("'%c'")),
            other => return Err(CompileError::typing(format!("unsupported format character '{other}'"))),
        };
        pieces.field(Argument::Position(next_argument), convert, spec);
        next_argument += 1;
    }
    Ok(pieces.finish())
}

/// `str.format`: `{}`, `{0}`, `{name}`, each with `!r`/`!s` and `:spec`; `{{` and `}}`.
pub(super) fn brace_pieces(text: &str) -> Result<Vec<Piece>, CompileError> {
    let mut pieces = Pieces::default();
    let mut chars = text.chars().peekable();
    let mut auto = 0;
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                pieces.text('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                pieces.text('}');
            }
            '}' => return Err(CompileError::typing("Single '}' encountered in format string")),
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') => return Err(unsupported("a nested field ('{:{w}}')")),
                        Some(c) => field.push(c),
                        None => return Err(CompileError::typing("expected '}' before end of string")),
                    }
                }
                let (head, spec) = field.split_once(':').unwrap_or((&field, ""));
                let (name, conversion) = head.split_once('!').unwrap_or((head, ""));
                let convert = match conversion {
                    "" => None,
                    "s" => Some("str"),
                    "r" | "a" => Some("repr"),
                    other => return Err(CompileError::typing(format!("Unknown conversion specifier {other}"))),
                };
                let argument = if name.is_empty() {
                    auto += 1;
                    Argument::Position(auto - 1)
                } else if let Ok(i) = name.parse::<usize>() {
                    Argument::Position(i)
                } else if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    Argument::Keyword(name.to_string())
                } else {
                    return Err(unsupported(&format!("the field '{{{name}}}'")));
                };
                pieces.field(argument, convert, spec.to_string());
            }
            c => pieces.text(c),
        }
    }
    Ok(pieces.finish())
}

impl<'c, 'a, 'e> Translator<'c, 'a, 'e> {
    /// The str of `pieces` with their fields taken from `args` (by position) and `keywords`;
    /// `%` formatting (`all_used`) must use every argument.
    pub(super) fn format_pieces(
        &mut self,
        state: &mut BlockState<'c, 'a>,
        pieces: Vec<Piece>,
        args: &[Slot<'c, 'a>],
        keywords: &[(String, Slot<'c, 'a>)],
        all_used: bool,
        location: Location<'c>,
    ) -> Result<Slot<'c, 'a>, CompileError> {
        let mut parts = Vec::with_capacity(pieces.len());
        let mut used = 0;
        for piece in pieces {
            match piece {
                Piece::Text(text) => parts.push(self.sym(Sym::Str(text))),
                Piece::Field { argument, convert, spec } => {
                    let value = match &argument {
                        Argument::Position(i) => {
                            used = used.max(i + 1);
                            *args.get(*i).ok_or_else(|| CompileError::typing("not enough arguments for format string"))?
                        }
                        Argument::Keyword(name) => keywords
                            .iter()
                            .find(|(k, _)| k == name)
                            .map(|(_, v)| *v)
                            .ok_or_else(|| CompileError::typing(format!("the format string names '{name}', which the call does not pass")))?,
                    };
                    let value = match convert {
                        Some(how) => self.call_builtin(state, how, &[value], &[], location)?,
                        None => value,
                    };
                    let spec = self.sym(Sym::Str(spec));
                    parts.push(self.call_builtin(state, "format", &[value, spec], &[], location)?);
                }
            }
        }
        if all_used && used < args.len() {
            return Err(CompileError::typing("not all arguments converted during string formatting"));
        }
        if parts.is_empty() {
            parts.push(self.sym(Sym::Str(String::new())));
        }
        self.call_builtin(state, "str.build", &parts, &[], location)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_specs_become_format_specs() {
        let pieces = percent_pieces("n=%5d, x=%-8.3f%%, s=%s %05.1e %#x").unwrap();
        let specs: Vec<_> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Field { convert, spec, .. } => Some((*convert, spec.as_str())),
                Piece::Text(_) => None,
            })
            .collect();
        assert_eq!(specs, [(Some("int"), ">5d"), (Some("float"), "<8.3f"), (Some("str"), ""), (Some("float"), "05.1e"), (Some("int"), "#x")]);
        assert_eq!(pieces[0], Piece::Text("n=".into()));
    }

    #[test]
    fn brace_fields_number_themselves() {
        let pieces = brace_pieces("{} {{x}} {1!r:>4} {name}").unwrap();
        assert_eq!(pieces[0], Piece::Field { argument: Argument::Position(0), convert: None, spec: String::new() });
        assert_eq!(pieces[1], Piece::Text(" {x} ".into()));
        assert_eq!(pieces[2], Piece::Field { argument: Argument::Position(1), convert: Some("repr"), spec: ">4".into() });
        assert_eq!(pieces[4], Piece::Field { argument: Argument::Keyword("name".into()), convert: None, spec: String::new() });
    }
}
