//! try/except: the handler each instruction of a `try` body raises to, from the exception
//! table CPython 3.11 compiles beside the bytecode (`co_exceptiontable`).
//!
//! Only instructions that may raise get an edge to their handler (`may_raise`). Handlers
//! that only clean up and raise again (`COPY 3; POP_EXCEPT; RERAISE 1`, the deletion of
//! `e` after `except E as e`) are skipped: the edge goes where their RERAISE would go,
//! the enclosing handler or the caller.
use super::bytecode::Instruction;

/// One row of the exception table: instructions at byte offsets `start..end` raise to the
/// instruction at `target`, with the value stack cut to `depth` (then `lasti` pushed when
/// set, then the exception).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub start: usize,
    pub end: usize,
    pub target: usize,
    pub depth: usize,
    pub lasti: bool,
}

/// Where an instruction raises to: the handler's first instruction (an index), and the
/// stack it expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handler {
    pub target: usize,
    pub depth: usize,
    pub lasti: bool,
}

/// Reads a 3.11 exception table: entries of four varints (start, length, target,
/// depth << 1 | lasti) of 6 bits a byte, most significant first, 0x40 marking that more
/// follow; offsets count 2-byte code units.
pub fn parse_table(bytes: &[u8]) -> Vec<ExceptionEntry> {
    let mut entries = Vec::new();
    let mut it = bytes.iter().copied().peekable();
    let next = |it: &mut std::iter::Peekable<std::iter::Copied<std::slice::Iter<u8>>>| -> Option<usize> {
        let mut b = it.next()?;
        let mut value = (b & 63) as usize;
        while b & 64 != 0 {
            b = it.next()?;
            value = (value << 6) | (b & 63) as usize;
        }
        Some(value)
    };
    while it.peek().is_some() {
        let (Some(start), Some(length), Some(target), Some(depth_lasti)) =
            (next(&mut it), next(&mut it), next(&mut it), next(&mut it))
        else {
            break;
        };
        entries.push(ExceptionEntry {
            start: start * 2,
            end: (start + length) * 2,
            target: target * 2,
            depth: depth_lasti >> 1,
            lasti: depth_lasti & 1 != 0,
        });
    }
    entries
}

/// Instructions that never raise in compiled code: the others in a try body get an edge
/// to their handler.
pub fn may_raise(name: &str) -> bool {
    !matches!(
        name,
        "NOP" | "RESUME" | "CACHE" | "EXTENDED_ARG" | "LOAD_CONST" | "LOAD_FAST" | "STORE_FAST" | "DELETE_FAST"
            | "LOAD_GLOBAL" | "LOAD_DEREF" | "LOAD_CLOSURE" | "MAKE_CELL" | "COPY_FREE_VARS" | "POP_TOP" | "COPY"
            | "SWAP" | "PUSH_NULL" | "PRECALL" | "KW_NAMES" | "JUMP_FORWARD" | "JUMP_BACKWARD"
            | "JUMP_BACKWARD_NO_INTERRUPT" | "POP_JUMP_FORWARD_IF_FALSE" | "POP_JUMP_FORWARD_IF_TRUE"
            | "POP_JUMP_BACKWARD_IF_FALSE" | "POP_JUMP_BACKWARD_IF_TRUE" | "POP_JUMP_FORWARD_IF_NONE"
            | "POP_JUMP_FORWARD_IF_NOT_NONE" | "POP_JUMP_BACKWARD_IF_NONE" | "POP_JUMP_BACKWARD_IF_NOT_NONE"
            | "JUMP_IF_TRUE_OR_POP" | "JUMP_IF_FALSE_OR_POP" | "RETURN_VALUE" | "BUILD_TUPLE" | "LOAD_METHOD"
            | "LOAD_ATTR" | "MAKE_FUNCTION" | "PUSH_EXC_INFO" | "POP_EXCEPT" | "CHECK_EXC_MATCH"
            | "LOAD_ASSERTION_ERROR" | "GET_ITER" | "IS_OP" | "BUILD_SLICE" | "RETURN_GENERATOR"
    )
}

/// The handler of each instruction that may raise inside a try body (None elsewhere).
pub fn handlers(instructions: &[Instruction], table: &[ExceptionEntry]) -> Vec<Option<Handler>> {
    let index_of = |offset: usize| instructions.iter().position(|i| i.offset == offset);
    let entry_of = |offset: usize| table.iter().find(|e| e.start <= offset && offset < e.end).copied();
    // The handler an entry sends to, through handlers that only raise again.
    let resolve = |mut entry: ExceptionEntry| -> Option<Handler> {
        for _ in 0..table.len() + 1 {
            let target = index_of(entry.target)?;
            match reraise_only(&instructions[target..]) {
                Some(reraise) => entry = entry_of(instructions[target + reraise].offset)?,
                None => return Some(Handler { target, depth: entry.depth, lasti: entry.lasti }),
            }
        }
        None
    };
    instructions
        .iter()
        .map(|ins| if may_raise(ins.name) { entry_of(ins.offset).and_then(resolve) } else { None })
        .collect()
}

/// When a handler does nothing but clean up and raise again: the position of its RERAISE.
fn reraise_only(handler: &[Instruction]) -> Option<usize> {
    for (i, ins) in handler.iter().enumerate() {
        match ins.name {
            "RERAISE" => return Some(i),
            "COPY" | "POP_EXCEPT" | "LOAD_CONST" | "STORE_FAST" | "DELETE_FAST" | "POP_TOP" | "NOP" | "SWAP" => {}
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::bytecode::Span;

    fn ins(offset: usize, name: &'static str) -> Instruction {
        Instruction { offset, name, arg: 0, span: Span::default(), jump: None }
    }

    #[test]
    fn reads_entries_with_depth_and_lasti() {
        // 4 to 10 -> 14 [0]; 14 to 16 -> 24 [1] lasti (units: start 2 len 4 target 7 depth 0;
        // start 7 len 2 target 12 depth 1 lasti)
        let table = [0x80 | 2, 4, 7, 0, 0x80 | 7, 2, 12, 3];
        let entries = parse_table(&table);
        assert_eq!(entries[0], ExceptionEntry { start: 4, end: 12, target: 14, depth: 0, lasti: false });
        assert_eq!(entries[1], ExceptionEntry { start: 14, end: 18, target: 24, depth: 1, lasti: true });
    }

    #[test]
    fn cleanup_handlers_are_skipped() {
        // try: x = 1 // y   except: pass   (the handler's cleanup only re-raises)
        let code = vec![
            ins(0, "LOAD_CONST"),
            ins(2, "LOAD_FAST"),
            ins(4, "BINARY_OP"),
            ins(6, "STORE_FAST"),
            ins(8, "PUSH_EXC_INFO"),
            ins(10, "POP_TOP"),
            ins(12, "POP_EXCEPT"),
            ins(14, "RETURN_VALUE"),
            ins(16, "COPY"),
            ins(18, "POP_EXCEPT"),
            ins(20, "RERAISE"),
        ];
        let table = [
            ExceptionEntry { start: 0, end: 8, target: 8, depth: 0, lasti: false },
            ExceptionEntry { start: 8, end: 12, target: 16, depth: 1, lasti: true },
        ];
        let h = handlers(&code, &table);
        assert_eq!(h[2], Some(Handler { target: 4, depth: 0, lasti: false }));
        assert_eq!(h[0], None); // LOAD_CONST never raises
        assert_eq!(h[5], None); // covered by a handler that only re-raises: to the caller
    }
}
