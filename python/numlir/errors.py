"""Errors numlir raises at compile time, rendered like rustc's diagnostics."""
import linecache


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
