//! Basic blocks of decoded bytecode and the liveness of local variables at block entry.
//!
//! In a try body, an instruction that may raise ends its block, and the block has its
//! handler as one more successor (the locals the handler reads are live there).
use super::bytecode::{ends_flow, Instruction};
use super::exceptions::Handler;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub struct BasicBlock {
    /// Index of the first instruction and one past the last.
    pub start: usize,
    pub end: usize,
    pub successors: Vec<usize>,
}

#[derive(Debug)]
pub struct Cfg {
    pub blocks: Vec<BasicBlock>,
    /// `live_in[b]`: the locals read in block `b` or after it before being written.
    pub live_in: Vec<Vec<usize>>,
}

impl Cfg {
    pub fn block_at_offset(&self, instructions: &[Instruction], offset: usize) -> Option<usize> {
        self.blocks.iter().position(|b| instructions[b.start].offset == offset)
    }
}

/// Splits instructions into basic blocks and computes which locals are live at each entry.
/// `handlers[i]` is where instruction i raises to inside a try body; `exc_info` is the
/// hidden local that holds the exception being handled (for a bare `raise`).
pub fn build(instructions: &[Instruction], local_count: usize, handlers: &[Option<Handler>], exc_info: Option<usize>) -> Cfg {
    let index_of = |offset: usize| instructions.iter().position(|i| i.offset == offset);
    let handler_of = |index: usize| handlers.get(index).copied().flatten();
    let mut leaders = BTreeSet::from([0]);
    for (index, ins) in instructions.iter().enumerate() {
        if let Some(target) = ins.jump.and_then(index_of) {
            leaders.insert(target);
        }
        if let Some(h) = handler_of(index) {
            leaders.insert(h.target);
        }
        let ends = ins.jump.is_some() || ends_flow(ins.name) || handler_of(index).is_some();
        if ends && index + 1 < instructions.len() {
            leaders.insert(index + 1);
        }
    }
    let starts: Vec<usize> = leaders.into_iter().filter(|&s| s < instructions.len()).collect();
    let block_of = |index: usize| starts.iter().position(|&s| s == index);
    let mut blocks = Vec::new();
    for (b, &start) in starts.iter().enumerate() {
        let end = starts.get(b + 1).copied().unwrap_or(instructions.len());
        let last = &instructions[end - 1];
        let mut successors = Vec::new();
        if !ends_flow(last.name) && end < instructions.len() {
            successors.push(b + 1);
        }
        if let Some(target) = last.jump.and_then(index_of).and_then(block_of) {
            successors.push(target);
        }
        if let Some(target) = handler_of(end - 1).and_then(|h| block_of(h.target)) {
            successors.push(target);
        }
        blocks.push(BasicBlock { start, end, successors });
    }
    let live_in = liveness(instructions, &blocks, local_count, exc_info);
    Cfg { blocks, live_in }
}

fn liveness(instructions: &[Instruction], blocks: &[BasicBlock], local_count: usize, exc_info: Option<usize>) -> Vec<Vec<usize>> {
    // Per block: locals used before any write (gen) and locals written (kill).
    let mut gen = vec![vec![false; local_count]; blocks.len()];
    let mut kill = vec![vec![false; local_count]; blocks.len()];
    for (b, block) in blocks.iter().enumerate() {
        for ins in &instructions[block.start..block.end] {
            // The exception being handled: PUSH_EXC_INFO sets it, POP_EXCEPT clears it, a
            // bare `raise` reads it.
            let (local, reads, writes) = match (ins.name, exc_info) {
                ("PUSH_EXC_INFO", Some(e)) => (e, false, true),
                ("POP_EXCEPT", Some(e)) => (e, false, true),
                ("RAISE_VARARGS", Some(e)) if ins.arg == 0 => (e, true, false),
                ("LOAD_FAST", _) => (ins.arg as usize, true, false),
                ("STORE_FAST" | "DELETE_FAST", _) => (ins.arg as usize, false, true),
                _ => continue,
            };
            if local >= local_count {
                continue;
            }
            if reads && !kill[b][local] {
                gen[b][local] = true;
            }
            if writes {
                kill[b][local] = true;
            }
        }
    }
    let mut live = gen.clone();
    let mut changed = true;
    while changed {
        changed = false;
        for b in (0..blocks.len()).rev() {
            for s in blocks[b].successors.clone() {
                for local in 0..local_count {
                    if live[s][local] && !kill[b][local] && !live[b][local] {
                        live[b][local] = true;
                        changed = true;
                    }
                }
            }
        }
    }
    live.into_iter()
        .map(|l| l.iter().enumerate().filter(|(_, &x)| x).map(|(i, _)| i).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::bytecode::Span;

    fn ins(offset: usize, name: &'static str, arg: u32, jump: Option<usize>) -> Instruction {
        Instruction { offset, name, arg, span: Span::default(), jump }
    }

    /// s = 0; while s < n: s = s + 1; return s   (locals: n=0, s=1)
    fn while_loop() -> Vec<Instruction> {
        vec![
            ins(0, "LOAD_CONST", 0, None),
            ins(2, "STORE_FAST", 1, None),
            ins(4, "LOAD_FAST", 1, None),            // loop header
            ins(6, "LOAD_FAST", 0, None),
            ins(8, "COMPARE_OP", 0, None),
            ins(10, "POP_JUMP_FORWARD_IF_FALSE", 0, Some(20)),
            ins(12, "LOAD_FAST", 1, None),           // body
            ins(14, "BINARY_OP", 0, None),
            ins(16, "STORE_FAST", 1, None),
            ins(18, "JUMP_BACKWARD", 0, Some(4)),
            ins(20, "LOAD_FAST", 1, None),           // exit
            ins(22, "RETURN_VALUE", 0, None),
        ]
    }

    #[test]
    fn splits_blocks_at_jumps_and_targets() {
        let cfg = build(&while_loop(), 2, &[], None);
        let starts: Vec<_> = cfg.blocks.iter().map(|b| b.start).collect();
        assert_eq!(starts, [0, 2, 6, 10]);
        assert_eq!(cfg.blocks[1].successors, [2, 3]);
        assert_eq!(cfg.blocks[2].successors, [1]);
        assert!(cfg.blocks[3].successors.is_empty());
    }

    #[test]
    fn liveness_follows_the_loop() {
        let cfg = build(&while_loop(), 2, &[], None);
        assert_eq!(cfg.live_in[0], [0]); // n is live at entry, s is written first
        assert_eq!(cfg.live_in[1], [0, 1]); // header reads both
        assert_eq!(cfg.live_in[2], [0, 1]); // body needs n for the next test
        assert_eq!(cfg.live_in[3], [1]);
    }
}
