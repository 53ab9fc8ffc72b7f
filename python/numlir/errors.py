"""Errors numlir raises at compile time, rendered like rustc's diagnostics."""
import linecache
import re
import warnings


class CompileError(Exception):
    """Compilation failed. Base class of TypingError and UnsupportedError."""

    def __init__(self, message, filename=None, line=None, col=None, end_line=None, end_col=None,
                 hint=None):
        self.message = message
        self.filename = filename
        self.line = line
        self.col = col
        self.hint = hint
        super().__init__(_render(type(self).__name__, message, filename, line, col, end_line,
                                 end_col, hint))


class NumlirWarning(UserWarning):
    """Something numlir worked around: a damaged cache file, an unwritable cache directory."""


class NumbaParallelSafetyWarning(NumlirWarning):
    """A prange loop whose result depends on the order its iterations run in: a variable or
    an array element every iteration writes (numba's name for it)."""


ParallelSafetyWarning = NumbaParallelSafetyWarning


class TypingError(CompileError):
    """A value's type does not fit where it is used."""


class UnsupportedError(CompileError):
    """A construct numlir does not compile."""


def _render(kind, message, filename, line, col, end_line, end_col, hint):
    lines = [message]
    if filename and line:
        lines.append(f"  --> {filename}:{line}:{(col or 0) + 1}")
        source = linecache.getline(filename, line).rstrip("\n")
        if source:
            gutter = " " * len(str(line))
            start = col or 0
            stop = end_col if end_line == line and end_col and end_col > start else len(source)
            if start >= len(source):
                start, stop = len(source) - len(source.lstrip()), len(source)
            lines.append(f"{gutter} |")
            lines.append(f"{line} | {source}")
            lines.append(f"{gutter} | {' ' * start}{'^' * max(1, stop - start)}")
    if hint:
        lines.append(f"  = help: {hint}")
    return "\n".join(lines)


def _make(kind, message, filename, line, col, end_line, end_col, hint):
    """Called from Rust: the exception instance for one compile error."""
    cls = {"TypingError": TypingError, "UnsupportedError": UnsupportedError}.get(kind, CompileError)
    return cls(message, filename, line, col, end_line, end_col, hint)


_LOCATION = re.compile(r'loc\("(?P<file>[^"]*)":(?P<line>\d+):(?P<col>\d+)(?: to (?P<end_line>\d*):(?P<end_col>\d+))?\)')


def _where(location):
    """(file, line, col, end_line, end_col) from an MLIR location ``loc("f.py":L:C to L2:C2)``
    (columns 0-based, as CompileError's), or Nones."""
    m = _LOCATION.search(location or "")
    if not m:
        return None, None, None, None, None
    line, col = int(m["line"]), int(m["col"]) - 1
    end_line = int(m["end_line"]) if m["end_line"] else line
    end_col = int(m["end_col"]) - 1 if m["end_col"] else col + 1
    return m["file"], line, col, end_line, end_col


def _note_text(message, location):
    """A pass's remark or warning with its source line and a caret, as errors are shown."""
    return _render("", message, *_where(location), None)


def _warn_at(location, message):
    """Called from Rust: a pass's warning (a race in a prange loop) as a Python warning at
    the line of the function it is about."""
    filename, line, *_ = _where(location)
    warnings.warn_explicit(message, NumbaParallelSafetyWarning, filename or "<numlir>", line or 0)
