//! Compile errors as data: a kind, a message, where in the Python source, and a hint.
//! The Python layer renders them rustc-style (file:line, the source line, a caret).
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A value's type does not fit (numlir.TypingError).
    Typing,
    /// A construct the compiler does not handle (numlir.UnsupportedError).
    Unsupported,
    /// Anything else that stopped compilation (numlir.CompileError).
    Compile,
}

impl ErrorKind {
    pub fn python_name(self) -> &'static str {
        match self {
            Self::Typing => "TypingError",
            Self::Unsupported => "UnsupportedError",
            Self::Compile => "CompileError",
        }
    }
}

/// A source range: 1-based lines, 0-based columns (as CPython's co_positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpan {
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

/// A warning or remark a pass made while compiling (which loops run in parallel, a race in a
/// prange loop), with the location MLIR gave it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    pub warning: bool,
    pub location: String,
    pub message: String,
}

impl Note {
    /// `location: warning: message` (or `remark`), as mlir-opt prints them.
    pub fn plain(&self) -> String {
        format!("{}: {}: {}", self.location, if self.warning { "warning" } else { "remark" }, self.message)
    }
}

#[derive(Debug, Clone, Error)]
#[error("{kind:?}: {message}")]
pub struct CompileError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Option<SourceSpan>,
    pub hint: Option<String>,
}

impl CompileError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), span: None, hint: None }
    }
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, message)
    }
    pub fn typing(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Typing, message)
    }
    pub fn compile(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Compile, message)
    }
    pub fn at(mut self, span: SourceSpan) -> Self {
        self.span = Some(span);
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Turns one MLIR diagnostic ("TypingError: ..." at `loc("f.py":3:5 to 3:9)`) into an error.
pub fn from_mlir_diagnostic(location: &str, message: &str) -> CompileError {
    let (kind, text) = if let Some(rest) = message.strip_prefix("TypingError: ") {
        (ErrorKind::Typing, rest)
    } else if let Some(rest) = message.strip_prefix("UnsupportedError: ") {
        (ErrorKind::Unsupported, rest)
    } else {
        (ErrorKind::Compile, message)
    };
    let mut error = CompileError::new(kind, text);
    error.span = parse_location(location);
    error
}

/// Parses `loc("file":L:C to L2:C2)`, `loc("file":L:C to :C2)` or `loc("file":L:C)`;
/// MLIR columns are 1-based, ours 0-based.
pub fn parse_location(location: &str) -> Option<SourceSpan> {
    let inner = location.strip_prefix("loc(")?.strip_suffix(')')?;
    let inner = inner.strip_prefix('"')?;
    let quote = inner.find('"')?;
    let file = inner[..quote].to_string();
    let rest = inner[quote + 1..].strip_prefix(':')?;
    let (start, end) = match rest.split_once(" to ") {
        Some((s, e)) => (s, Some(e)),
        None => (rest, None),
    };
    let (line, col) = start.split_once(':')?;
    let line: u32 = line.parse().ok()?;
    let col: u32 = col.parse().ok()?;
    let (end_line, end_col) = match end {
        Some(e) => {
            let (l, c) = e.split_once(':')?;
            (if l.is_empty() { line } else { l.parse().ok()? }, c.parse().ok()?)
        }
        None => (line, col + 1),
    };
    Some(SourceSpan {
        file,
        line,
        col: col.saturating_sub(1),
        end_line,
        end_col: end_col.saturating_sub(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mlir_locations() {
        let s = parse_location("loc(\"a.py\":3:5 to :9)").unwrap();
        assert_eq!((s.file.as_str(), s.line, s.col, s.end_line, s.end_col), ("a.py", 3, 4, 3, 8));
        let s = parse_location("loc(\"a.py\":3:5 to 4:2)").unwrap();
        assert_eq!((s.end_line, s.end_col), (4, 1));
        let s = parse_location("loc(\"a.py\":7:1)").unwrap();
        assert_eq!((s.line, s.col), (7, 0));
        assert!(parse_location("loc(unknown)").is_none());
    }

    #[test]
    fn kinds_come_from_message_prefixes() {
        let e = from_mlir_diagnostic("loc(unknown)", "TypingError: bad");
        assert_eq!(e.kind, ErrorKind::Typing);
        assert_eq!(e.message, "bad");
        assert_eq!(from_mlir_diagnostic("", "other").kind, ErrorKind::Compile);
    }
}
