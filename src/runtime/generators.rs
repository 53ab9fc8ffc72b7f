//! The generator objects compiled code makes when it calls a generator function (py-to-std's
//! Generators.cpp has the lowering; numlir-generator-coroutines makes the function an LLVM
//! coroutine). A generator is a counted block of words:
//!   [0] the reference count   [1] the function that frees the block
//!   [2] the coroutine's handle (its frame)   [3] the status (see below)
//!   [4] where the arguments start (words from the block's start)
//!   [5] null, or a table [n, word...] of the argument words that hold counted pointers
//!   [6] the block's size in words
//!   [7] [8] functions of the compiled module that resume and destroy the coroutine
//!   then the slot the value of a `yield` goes through, then the arguments.
//! The status is -2 before the first resume, -1 while a value waits in the slot, 0 once the
//! function returned, and a raise status once it raised (the consumer reads it once).
//! The arguments are kept in the block, with their references, for as long as the
//! generator lives: the caller may drop its own before the generator runs.
use super::lists::{counted_table, release, Counted};
use std::alloc::{alloc_zeroed, dealloc, handle_alloc_error, Layout};

#[repr(C)]
pub struct GeneratorBlock {
    header: Counted,
    handle: *mut u8,
    status: i64,
    args_at: i64,
    counted: *const i64,
    words: i64,
    resume: Option<unsafe extern "C" fn(*mut GeneratorBlock)>,
    destroy: Option<unsafe extern "C" fn(*mut GeneratorBlock)>,
}

/// The words before the slot.
pub const HEADER_WORDS: i64 = 9;

fn layout(words: i64) -> Layout {
    Layout::array::<u64>(words as usize).expect("generator too large")
}

/// A new generator block of `words` words in all (count 1, status -2), its arguments at
/// word `args_at`.
///
/// # Safety
/// `words` covers the header; `counted` is null or a constant table of the module.
pub unsafe extern "C" fn numlir_generator_new(words: i64, args_at: i64, counted: *const i64) -> *mut GeneratorBlock {
    let words = words.max(HEADER_WORDS);
    let block = alloc_zeroed(layout(words)) as *mut GeneratorBlock;
    if block.is_null() {
        handle_alloc_error(layout(words));
    }
    block.write(GeneratorBlock {
        header: Counted::new(free_generator),
        handle: std::ptr::null_mut(),
        status: -2,
        args_at,
        counted,
        words,
        resume: None,
        destroy: None,
    });
    block
}

/// Destroys the coroutine (its destroy path drops what the function held: the yielded
/// value, its own temporaries), then releases the arguments and frees the block.
unsafe extern "C" fn free_generator(block: *mut Counted) {
    let generator = block as *mut GeneratorBlock;
    if let (false, Some(destroy)) = ((*generator).handle.is_null(), (*generator).destroy) {
        destroy(generator);
    }
    let args = (block as *mut u64).add((*generator).args_at as usize);
    for &word in counted_table((*generator).counted) {
        release(*args.add(word as usize) as *mut Counted);
    }
    dealloc(block as *mut u8, layout((*generator).words));
}

/// Resumes the generator unless it has finished: its status after (-1: a value waits in
/// the slot, 0: it returned, > 0: the raise status of what it raised, reported once).
///
/// # Safety
/// `block` is a live generator block (held by the caller).
pub unsafe fn step(block: *mut GeneratorBlock) -> i64 {
    let generator = &mut *block;
    if generator.status < 0 {
        if let Some(resume) = generator.resume {
            resume(block);
        }
    }
    let status = generator.status;
    if status > 0 {
        generator.status = 0;
    }
    status
}

/// The words of the slot (valid while the status is -1).
///
/// # Safety
/// `block` is a live generator block.
pub unsafe fn slot<'a>(block: *const GeneratorBlock) -> &'a [u64] {
    let at = HEADER_WORDS as usize;
    std::slice::from_raw_parts((block as *const u64).add(at), (*block).args_at as usize - at)
}

/// The runtime functions above, by the names compiled code calls them.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![("numlir_generator_new", numlir_generator_new as *mut ())]
}
