//! Decoding CPython bytecode into instructions with source spans and jump targets.
//!
//! The decoder is versioned: each CPython version has its own opcode table
//! (`opcodes_311.rs` now); `PyVersion` picks it. Everything after decoding works on
//! opcode names, so a new version mostly needs a new table and its jump rules.
use super::opcodes_311;
use thiserror::Error;

/// The CPython bytecode versions numlir decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyVersion {
    Py311,
}

impl PyVersion {
    pub fn from_minor(major: u8, minor: u8) -> Option<Self> {
        match (major, minor) {
            (3, 11) => Some(Self::Py311),
            _ => None,
        }
    }
}

/// A source range from `co_positions()`; lines 1-based, columns 0-based (as CPython gives them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: u32,
    pub end_line: u32,
    pub col: u32,
    pub end_col: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    /// Byte offset of the instruction, or of its first EXTENDED_ARG prefix: jumps to an
    /// instruction with a wide argument land on the prefix.
    pub offset: usize,
    pub name: &'static str,
    pub arg: u32,
    pub span: Span,
    /// Byte offset this instruction may jump to.
    pub jump: Option<usize>,
}

#[derive(Debug, Error, PartialEq)]
pub enum DecodeError {
    #[error("unknown opcode {opcode} at offset {offset}")]
    UnknownOpcode { opcode: u8, offset: usize },
    #[error("bytecode of odd length {0}")]
    OddLength(usize),
    #[error("jump at offset {offset} leaves the code")]
    BadJump { offset: usize },
}

fn lookup(version: PyVersion, opcode: u8) -> Option<(&'static str, u8)> {
    match version {
        PyVersion::Py311 => opcodes_311::OPCODES
            .iter()
            .find(|(number, _, _)| *number == opcode)
            .map(|&(_, name, caches)| (name, caches)),
    }
}

fn jump_target(version: PyVersion, name: &str, offset: usize, arg: u32) -> Option<isize> {
    match version {
        PyVersion::Py311 => {
            let next = offset as isize + 2;
            if opcodes_311::FORWARD_JUMPS.contains(&name) {
                Some(next + 2 * arg as isize)
            } else if opcodes_311::BACKWARD_JUMPS.contains(&name) {
                Some(next - 2 * arg as isize)
            } else {
                None
            }
        }
    }
}

/// Decodes `code` (the bytes of `co_code`); `positions[i]` is the span of code unit `i`.
pub fn decode(code: &[u8], positions: &[Span], version: PyVersion) -> Result<Vec<Instruction>, DecodeError> {
    if code.len() % 2 != 0 {
        return Err(DecodeError::OddLength(code.len()));
    }
    let mut instructions = Vec::new();
    let mut extended: u32 = 0;
    let mut prefix_start = None;
    let mut offset = 0;
    while offset < code.len() {
        let (opcode, raw_arg) = (code[offset], code[offset + 1] as u32);
        let (name, caches) =
            lookup(version, opcode).ok_or(DecodeError::UnknownOpcode { opcode, offset })?;
        let arg = (extended << 8) | raw_arg;
        if name == "EXTENDED_ARG" {
            extended = arg;
            prefix_start.get_or_insert(offset);
            offset += 2;
            continue;
        }
        extended = 0;
        let start = prefix_start.take().unwrap_or(offset);
        let jump = match jump_target(version, name, offset, arg) {
            Some(t) if t < 0 || t as usize >= code.len() => return Err(DecodeError::BadJump { offset }),
            Some(t) => Some(t as usize),
            None => None,
        };
        let span = positions.get(offset / 2).copied().unwrap_or_default();
        instructions.push(Instruction { offset: start, name, arg, span, jump });
        offset += 2 + 2 * caches as usize;
    }
    Ok(instructions)
}

/// Whether control never falls through to the next instruction.
pub fn ends_flow(name: &str) -> bool {
    matches!(
        name,
        "RETURN_VALUE" | "RAISE_VARARGS" | "RERAISE" | "JUMP_FORWARD" | "JUMP_BACKWARD"
            | "JUMP_BACKWARD_NO_INTERRUPT"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(name: &str) -> u8 {
        opcodes_311::OPCODES.iter().find(|(_, n, _)| *n == name).unwrap().0
    }

    #[test]
    fn decodes_simple_function_and_skips_caches() {
        // RESUME 0; LOAD_FAST 0; LOAD_FAST 1; BINARY_OP 0 (+ one cache unit); RETURN_VALUE
        let code = [
            op("RESUME"), 0, op("LOAD_FAST"), 0, op("LOAD_FAST"), 1, op("BINARY_OP"), 0, 0, 0,
            op("RETURN_VALUE"), 0,
        ];
        let ins = decode(&code, &[], PyVersion::Py311).unwrap();
        let names: Vec<_> = ins.iter().map(|i| i.name).collect();
        assert_eq!(names, ["RESUME", "LOAD_FAST", "LOAD_FAST", "BINARY_OP", "RETURN_VALUE"]);
        assert_eq!(ins[4].offset, 10);
    }

    #[test]
    fn extended_arg_widens_the_argument() {
        let code = [op("EXTENDED_ARG"), 1, op("LOAD_CONST"), 2];
        let ins = decode(&code, &[], PyVersion::Py311).unwrap();
        assert_eq!(ins.len(), 1);
        assert_eq!(ins[0].arg, 258);
        assert_eq!(ins[0].offset, 0);
    }

    #[test]
    fn jumps_land_on_the_extended_arg_prefix() {
        // 0: EXTENDED_ARG 0; 2: NOP; 4: JUMP_BACKWARD 3 -> 0, the prefixed NOP
        let code = [op("EXTENDED_ARG"), 0, op("NOP"), 0, op("JUMP_BACKWARD"), 3];
        let ins = decode(&code, &[], PyVersion::Py311).unwrap();
        assert_eq!(ins[1].jump, Some(ins[0].offset));
    }

    #[test]
    fn jump_targets_forward_and_backward() {
        // 0: NOP; 2: POP_JUMP_FORWARD_IF_FALSE 1 -> 6; 4: JUMP_BACKWARD 3 -> 0; 6: RETURN_VALUE
        let code = [
            op("NOP"), 0, op("POP_JUMP_FORWARD_IF_FALSE"), 1, op("JUMP_BACKWARD"), 3,
            op("RETURN_VALUE"), 0,
        ];
        let ins = decode(&code, &[], PyVersion::Py311).unwrap();
        assert_eq!(ins[1].jump, Some(6));
        assert_eq!(ins[2].jump, Some(0));
        assert!(ends_flow(ins[2].name));
    }

    #[test]
    fn spans_come_from_positions() {
        let code = [op("NOP"), 0, op("RETURN_VALUE"), 0];
        let spans = [Span::default(), Span { line: 3, end_line: 3, col: 4, end_col: 9 }];
        let ins = decode(&code, &spans, PyVersion::Py311).unwrap();
        assert_eq!(ins[1].span.col, 4);
    }

    #[test]
    fn rejects_unknown_opcodes_and_bad_jumps() {
        assert_eq!(
            decode(&[255, 0], &[], PyVersion::Py311),
            Err(DecodeError::UnknownOpcode { opcode: 255, offset: 0 })
        );
        assert_eq!(
            decode(&[op("JUMP_FORWARD"), 9], &[], PyVersion::Py311),
            Err(DecodeError::BadJump { offset: 0 })
        );
        assert_eq!(decode(&[1], &[], PyVersion::Py311), Err(DecodeError::OddLength(1)));
    }

    #[test]
    fn version_selection() {
        assert_eq!(PyVersion::from_minor(3, 11), Some(PyVersion::Py311));
        assert_eq!(PyVersion::from_minor(3, 10), None);
    }
}
