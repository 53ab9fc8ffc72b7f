//! The CUDA simulator: runs a kernel compiled for the CPU (its cuda builtins lowered to the
//! `numlir_cuda_*` calls below) by every thread of every block, as a GPU would.
//!
//! - Each thread of a block is a stackful coroutine (corosensei) on one OS thread. A barrier
//!   or warp intrinsic records what the thread waits for and suspends it; once every thread
//!   it waits for has arrived, the scheduler computes the results and resumes them. A kernel
//!   without barriers runs each thread to its end in turn.
//! - Blocks run in parallel on a few OS threads, each with its own shared memory, so
//!   atomics on global memory are real atomics.
//! - What would hang or corrupt memory on a device fails the launch with the raise site of
//!   the barrier involved (its source line): a barrier not every thread reaches, threads at
//!   different barriers, warp intrinsics whose lanes do not all arrive.
use super::errors;
use corosensei::{stack::DefaultStack, Coroutine, CoroutineResult, Yielder};
use std::{
    cell::Cell,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Mutex,
    },
};

/// An argument or result word of compiled code (`backend::cpu::Slot`).
type Slot = u64;

/// The machine code of a kernel, as the simulator calls it (`backend::cpu::CompiledFunction`
/// is one; the runtime does not depend on the backend).
pub trait KernelCode: Sync + 'static {
    /// Words of result storage a call needs.
    fn result_words(&self) -> usize;
    /// Whether its threads meet at barriers or warp intrinsics (coroutines are needed).
    fn threads_meet(&self) -> bool;
    /// Runs one thread: the kernel on its argument words; returns the raise status.
    ///
    /// # Safety
    /// `args` hold the kernel's arguments in its compiled types.
    unsafe fn call(&self, args: &mut [Slot], out: &mut [Slot]) -> i32;
}

/// A launch: grid and block sizes (x, y, z) and the bytes of shared memory per block.
#[derive(Debug, Clone, Copy)]
pub struct Launch {
    pub grid: [u32; 3],
    pub block: [u32; 3],
    /// Bytes of `cuda.shared.array`s (the module's `py.cuda_shared_bytes`).
    pub static_shared: usize,
    /// Bytes of dynamic shared memory (the launch's `sharedmem`).
    pub dynamic_shared: usize,
}

/// Why a launch failed: the raise status of a thread (its exception), with the values
/// that raise recorded ({0} and {1} of its message).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Failure {
    pub status: i32,
    pub detail: [i64; 2],
}

/// What a suspended thread waits for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wait {
    Running,
    Done,
    /// `syncthreads()` and its count/and/or forms (`reduce`: 0 none, 1 count, 2 and, 3 or).
    Barrier { site: i32, reduce: i32, predicate: i32 },
    /// A warp intrinsic over the lanes of `mask`.
    Warp { site: i32, op: WarpOp, mask: u32, value: i64, lane: i32, width: i32 },
}

/// The warp intrinsics (`op` of numlir_cuda_warp: the order of the py-to-std lowering's constants).
#[derive(Debug, Clone, Copy, PartialEq)]
enum WarpOp {
    ShuffleIndex,
    ShuffleUp,
    ShuffleDown,
    ShuffleXor,
    Ballot,
    All,
    Any,
    SyncWarp,
}

impl WarpOp {
    fn from_code(code: i32) -> Self {
        match code {
            0 => Self::ShuffleIndex,
            1 => Self::ShuffleUp,
            2 => Self::ShuffleDown,
            3 => Self::ShuffleXor,
            4 => Self::Ballot,
            5 => Self::All,
            6 => Self::Any,
            _ => Self::SyncWarp,
        }
    }
}

/// One simulated thread, as the intrinsics see it.
struct ThreadContext {
    thread: [i64; 3],
    /// The thread's number in the block (x fastest), whose low 5 bits are its lane.
    linear: usize,
    wait: Cell<Wait>,
    /// The result of the barrier or warp intrinsic the thread waited at.
    result: Cell<i64>,
    yielder: Cell<*const Yielder<(), ()>>,
}

/// The block a worker runs now.
struct BlockContext {
    block: [i64; 3],
    launch: Launch,
    shared: *mut u8,
}

thread_local! {
    static BLOCK: Cell<*const BlockContext> = const { Cell::new(std::ptr::null()) };
    static THREAD: Cell<*const ThreadContext> = const { Cell::new(std::ptr::null()) };
}

/// The running simulated thread and its block. Compiled kernel code calls the intrinsics
/// only while a launch runs it, which sets both.
fn current() -> (&'static BlockContext, &'static ThreadContext) {
    // SAFETY: run_block sets both pointers before resuming a thread and they outlive it.
    unsafe { (&*BLOCK.with(Cell::get), &*THREAD.with(Cell::get)) }
}

/// Suspends the running thread until the scheduler releases what it waits for, and
/// returns the result the scheduler left.
fn wait_for(wait: Wait) -> i64 {
    let (_, thread) = current();
    thread.wait.set(wait);
    // SAFETY: the yielder belongs to the coroutine running this code (set at its start).
    // Nothing with a destructor lives in this frame across the suspend: an abandoned
    // thread is reset without unwinding.
    unsafe { (*thread.yielder.get()).suspend(()) };
    thread.result.get()
}

// The intrinsics compiled kernel code calls (py-to-std's lowering of the cuda builtins).

/// threadIdx (axis 0-2), blockIdx (3-5), blockDim (6-8), gridDim (9-11), and the bytes of
/// dynamic shared memory (12).
pub extern "C" fn numlir_cuda_index(which: i32) -> i64 {
    let (block, thread) = current();
    if which == 12 {
        return block.launch.dynamic_shared as i64;
    }
    let axis = (which % 3) as usize;
    match which / 3 {
        0 => thread.thread[axis],
        1 => block.block[axis],
        2 => block.launch.block[axis] as i64,
        _ => block.launch.grid[axis] as i64,
    }
}

pub extern "C" fn numlir_cuda_laneid() -> i64 {
    (current().1.linear % 32) as i64
}

/// `syncthreads()` (reduce 0) and `syncthreads_count/and/or(predicate)` (1, 2, 3).
pub extern "C" fn numlir_cuda_barrier(site: i32, reduce: i32, predicate: i32) -> i32 {
    wait_for(Wait::Barrier { site, reduce, predicate }) as i32
}

/// The warp intrinsics: `value` (a shuffle's 64 bits, or a vote's predicate), `lane` (the
/// source lane, delta or lane mask of a shuffle) and `width` (a shuffle's segment).
pub extern "C" fn numlir_cuda_warp(site: i32, op: i32, mask: i32, value: i64, lane: i32, width: i32) -> i64 {
    wait_for(Wait::Warp { site, op: WarpOp::from_code(op), mask: mask as u32, value, lane, width })
}

/// `activemask()` and `lanemask_lt()`: the simulator runs whole warps (every existing lane
/// is active).
pub extern "C" fn numlir_cuda_lanemask(which: i32) -> i32 {
    let (block, thread) = current();
    let threads = block.launch.block.iter().map(|&d| d as usize).product::<usize>();
    let first = thread.linear / 32 * 32;
    let lanes = (threads - first).min(32);
    let active = if lanes == 32 { u32::MAX } else { (1u32 << lanes) - 1 };
    let lane = thread.linear % 32;
    (if which == 0 { active } else { active & ((1u32 << lane) - 1) }) as i32
}

pub extern "C" fn numlir_cuda_threadfence() {
    std::sync::atomic::fence(Ordering::SeqCst);
}

/// A kernel's print(): its items, printed as CPython prints them (as numba's simulator runs
/// Python's print); the printf format and arguments are what a GPU prints.
///
/// # Safety
/// `items` is the address of `count` print items (src/runtime/print.rs).
pub unsafe extern "C" fn numlir_cuda_print(items: i64, count: i64, _format: i64, _arguments: i64) {
    // SAFETY: the caller's contract.
    unsafe { super::print::numlir_print(items, count) }
}

/// The block's shared memory at `offset` (a `cuda.shared.array`'s place), or past the
/// static arrays (offset -1: the dynamic shared memory).
pub extern "C" fn numlir_cuda_shared(offset: i64) -> *mut u8 {
    let (block, _) = current();
    let at = if offset < 0 { block.launch.static_shared.next_multiple_of(16) } else { offset as usize };
    // SAFETY: the block's buffer holds the static arrays and then the dynamic bytes.
    unsafe { block.shared.add(at) }
}

/// (name, address) of the simulator's intrinsics, for the JIT's symbol table.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("numlir_cuda_index", numlir_cuda_index as *mut ()),
        ("numlir_cuda_laneid", numlir_cuda_laneid as *mut ()),
        ("numlir_cuda_barrier", numlir_cuda_barrier as *mut ()),
        ("numlir_cuda_warp", numlir_cuda_warp as *mut ()),
        ("numlir_cuda_lanemask", numlir_cuda_lanemask as *mut ()),
        ("numlir_cuda_threadfence", numlir_cuda_threadfence as *mut ()),
        ("numlir_cuda_shared", numlir_cuda_shared as *mut ()),
        ("numlir_cuda_print", numlir_cuda_print as *mut ()),
    ]
}

/// Stack of each simulated thread: compiled kernels keep little on it (local arrays are
/// small), and pages are only touched as used.
const THREAD_STACK_BYTES: usize = 256 * 1024;

/// A worker's reusable resources: coroutine stacks and the block's shared memory.
struct Worker {
    stacks: Vec<DefaultStack>,
    shared: Vec<u128>,
}

impl Worker {
    fn new(launch: &Launch) -> Self {
        let bytes = launch.static_shared.next_multiple_of(16) + launch.dynamic_shared;
        Self { stacks: Vec::new(), shared: vec![0; bytes.div_ceil(16).max(1)] }
    }

    fn stack(&mut self) -> Result<DefaultStack, String> {
        match self.stacks.pop() {
            Some(s) => Ok(s),
            None => DefaultStack::new(THREAD_STACK_BYTES).map_err(|e| format!("cannot allocate a thread's stack: {e}")),
        }
    }
}

/// Runs the kernel `function` with `args` (its argument words) over the launch's grid.
/// Returns the first failure: a thread's exception, or a misuse of barriers.
pub fn launch<K: KernelCode>(function: &K, args: &[Slot], launch: Launch, workers: usize) -> Result<(), Failure> {
    let blocks = launch.grid.iter().map(|&g| g as usize).product::<usize>();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let failure: Mutex<Option<(usize, Failure)>> = Mutex::new(None);
    let work = || {
        let mut worker = Worker::new(&launch);
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            if b >= blocks || failed.load(Ordering::Relaxed) {
                break;
            }
            let [gx, gy, _] = launch.grid.map(|g| g as usize);
            let block = [(b % gx) as i64, (b / gx % gy) as i64, (b / (gx * gy)) as i64];
            if let Err(f) = run_block(function, args, launch, block, &mut worker) {
                failed.store(true, Ordering::Relaxed);
                let mut first = failure.lock().unwrap();
                // The failure of the lowest block, as a device reports one of them.
                if first.as_ref().is_none_or(|(at, _)| b < *at) {
                    *first = Some((b, f));
                }
            }
        }
    };
    let workers = workers.clamp(1, blocks.max(1));
    if workers == 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(work);
            }
        });
    }
    match failure.into_inner().unwrap() {
        Some((_, f)) => Err(f),
        None => Ok(()),
    }
}

type Thread = Coroutine<(), (), i32, DefaultStack>;

/// Runs one block: every thread until it ends, meeting at barriers and warp intrinsics.
fn run_block<K: KernelCode>(function: &K, args: &[Slot], launch: Launch, block: [i64; 3], worker: &mut Worker) -> Result<(), Failure> {
    let [bx, by, bz] = launch.block.map(|d| d as usize);
    let count = bx * by * bz;
    // Shared memory starts zeroed in every block (a device leaves it undefined).
    worker.shared.fill(0);
    let context = BlockContext { block, launch, shared: worker.shared.as_mut_ptr().cast() };
    let threads: Vec<ThreadContext> = (0..count)
        .map(|t| ThreadContext {
            thread: [(t % bx) as i64, (t / bx % by) as i64, (t / (bx * by)) as i64],
            linear: t,
            wait: Cell::new(Wait::Running),
            result: Cell::new(0),
            yielder: Cell::new(std::ptr::null()),
        })
        .collect();
    BLOCK.with(|c| c.set(&context));
    if !function.threads_meet() {
        // No thread waits for another: each runs to its end in turn, on this stack.
        let mut words = args.to_vec();
        let mut out = vec![0 as Slot; function.result_words().max(1)];
        for thread in &threads {
            THREAD.with(|c| c.set(thread));
            words.copy_from_slice(args);
            // SAFETY: the words are the kernel's arguments in its compiled types.
            let status = unsafe { function.call(&mut words, &mut out) };
            if status != 0 {
                BLOCK.with(|c| c.set(std::ptr::null()));
                return Err(Failure { status, detail: errors::detail() });
            }
        }
        BLOCK.with(|c| c.set(std::ptr::null()));
        THREAD.with(|c| c.set(std::ptr::null()));
        return Ok(());
    }
    let mut coroutines: Vec<Option<Thread>> = Vec::with_capacity(count);
    for thread in &threads {
        let stack = worker.stack().map_err(|_| Failure { status: -1, detail: [0; 2] })?;
        let thread_ptr = thread as *const ThreadContext as usize;
        let function_ptr = function as *const K as usize;
        let words: Vec<Slot> = args.to_vec();
        let results = function.result_words();
        coroutines.push(Some(Coroutine::with_stack(stack, move |yielder: &Yielder<(), ()>, ()| {
            // SAFETY: the thread context and the function outlive the coroutine (run_block
            // finishes or resets every coroutine before returning).
            let thread = unsafe { &*(thread_ptr as *const ThreadContext) };
            let function = unsafe { &*(function_ptr as *const K) };
            thread.yielder.set(yielder);
            let mut words = words;
            let mut out = vec![0 as Slot; results.max(1)];
            // SAFETY: the words are the kernel's arguments in its compiled types.
            unsafe { function.call(&mut words, &mut out) }
        })));
    }
    let mut outcome = Ok(());
    'schedule: loop {
        let mut any_ran = false;
        for (t, slot) in coroutines.iter_mut().enumerate() {
            let Some(co) = slot else { continue };
            if threads[t].wait.get() != Wait::Running {
                continue;
            }
            any_ran = true;
            THREAD.with(|c| c.set(&threads[t]));
            match co.resume(()) {
                CoroutineResult::Yield(()) => {}
                CoroutineResult::Return(s) => {
                    threads[t].wait.set(Wait::Done);
                    worker.stacks.push(slot.take().unwrap().into_stack());
                    if s != 0 {
                        outcome = Err(Failure { status: s, detail: errors::detail() });
                        break 'schedule;
                    }
                }
            }
        }
        if threads.iter().all(|t| t.wait.get() == Wait::Done) {
            break;
        }
        let released = release_barrier(&threads).and_then(|b| if b { Ok(true) } else { release_warps(&threads, count) });
        match released {
            Err(site) => {
                outcome = Err(Failure { status: site, detail: [0; 2] });
                break;
            }
            Ok(false) if !any_ran => {
                // Nothing can run and nothing was released: every waiting thread waits for
                // one that will never come.
                let site = threads.iter().find_map(|t| match t.wait.get() {
                    Wait::Barrier { site, .. } | Wait::Warp { site, .. } => Some(site),
                    _ => None,
                });
                outcome = Err(Failure { status: site.unwrap_or(-1), detail: [0; 2] });
                break;
            }
            Ok(_) => {}
        }
    }
    // Threads left suspended (after a failure) are dropped without unwinding their stacks.
    for co in coroutines.iter_mut().flatten() {
        if co.started() && !co.done() {
            // SAFETY: a suspended thread's frames are compiled code and wait_for's, none of
            // which has anything to drop.
            unsafe { co.force_reset() };
        }
    }
    // Their stacks are used again; threads never started are dropped with their stacks.
    for co in coroutines.into_iter().flatten().filter(|co| co.done()) {
        worker.stacks.push(co.into_stack());
    }
    BLOCK.with(|c| c.set(std::ptr::null()));
    THREAD.with(|c| c.set(std::ptr::null()));
    outcome
}

/// Releases the block's barrier once every thread waits at it. Ok(false) while some thread
/// still runs toward it; Err(site) where the threads cannot meet: one has returned, or
/// they wait at different barriers.
fn release_barrier(threads: &[ThreadContext]) -> Result<bool, i32> {
    let mut first = None;
    for t in threads {
        match t.wait.get() {
            Wait::Barrier { site, reduce, .. } => match first {
                None => first = Some((site, reduce)),
                Some((s, r)) if s != site || r != reduce => return Err(s),
                Some(_) => {}
            },
            Wait::Running | Wait::Warp { .. } => return Ok(false),
            Wait::Done => {}
        }
    }
    let Some((site, reduce)) = first else { return Ok(false) };
    if threads.iter().any(|t| t.wait.get() == Wait::Done) {
        return Err(site); // a thread returned without reaching the barrier
    }
    let predicates = threads.iter().map(|t| match t.wait.get() {
        Wait::Barrier { predicate, .. } => predicate != 0,
        _ => false,
    });
    let count = predicates.clone().filter(|&p| p).count() as i64;
    let result = match reduce {
        1 => count,
        2 => i64::from(count == threads.len() as i64),
        3 => i64::from(count > 0),
        _ => 0,
    };
    for t in threads {
        t.result.set(result);
        t.wait.set(Wait::Running);
    }
    Ok(true)
}

/// Completes the warp intrinsics whose lanes (those of the mask that exist) have all
/// arrived. Err(site) where a lane of the mask has returned or waits elsewhere.
fn release_warps(threads: &[ThreadContext], count: usize) -> Result<bool, i32> {
    let mut released = false;
    for first in (0..count).step_by(32) {
        let warp = &threads[first..(first + 32).min(count)];
        let Some((site, op, mask)) = warp.iter().find_map(|t| match t.wait.get() {
            Wait::Warp { site, op, mask, .. } => Some((site, op, mask)),
            _ => None,
        }) else {
            continue;
        };
        let members: Vec<usize> = (0..warp.len()).filter(|&l| mask & (1 << l) != 0).collect();
        let mut ready = true;
        for &l in &members {
            match warp[l].wait.get() {
                Wait::Warp { site: s, op: o, .. } if s == site && o == op => {}
                Wait::Running => ready = false,
                // A lane of the mask returned, or waits at another intrinsic or a barrier.
                _ => return Err(site),
            }
        }
        if !ready {
            continue;
        }
        let inputs: Vec<(i64, i32, i32)> = (0..warp.len())
            .map(|l| match warp[l].wait.get() {
                Wait::Warp { value, lane, width, .. } => (value, lane, width),
                _ => (0, 0, 32),
            })
            .collect();
        let votes = members.iter().filter(|&&l| inputs[l].0 != 0).fold(0u32, |acc, &l| acc | (1 << l));
        for &l in &members {
            let (value, lane, width) = inputs[l];
            let result = match op {
                WarpOp::Ballot => votes as i64,
                WarpOp::All => i64::from(members.iter().all(|&m| inputs[m].0 != 0)),
                WarpOp::Any => i64::from(votes != 0),
                WarpOp::SyncWarp => 0,
                _ => {
                    let source = shuffle_source(op, l as i32, lane, width);
                    if (0..warp.len() as i32).contains(&source) && mask & (1 << source) != 0 {
                        inputs[source as usize].0
                    } else {
                        value
                    }
                }
            };
            warp[l].result.set(result);
            warp[l].wait.set(Wait::Running);
        }
        released = true;
    }
    Ok(released)
}

/// The lane a shuffle of lane `lane_id` reads, as the PTX `shfl.sync` modes define it for
/// segments of `width` lanes; its own lane where the source falls outside its segment.
fn shuffle_source(op: WarpOp, lane_id: i32, lane: i32, width: i32) -> i32 {
    let width = if width <= 0 || width > 32 { 32 } else { width };
    let base = lane_id - lane_id % width;
    let within = lane_id % width;
    match op {
        WarpOp::ShuffleIndex => base + lane.rem_euclid(width),
        WarpOp::ShuffleUp => if within >= lane { lane_id - lane } else { lane_id },
        WarpOp::ShuffleDown => if within + lane < width { lane_id + lane } else { lane_id },
        _ => {
            let source = lane_id ^ lane;
            if source - source % width == base { source } else { lane_id }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_read_the_lanes_ptx_defines() {
        assert_eq!(shuffle_source(WarpOp::ShuffleIndex, 5, 0, 32), 0);
        assert_eq!(shuffle_source(WarpOp::ShuffleIndex, 17, 3, 16), 19);
        assert_eq!(shuffle_source(WarpOp::ShuffleDown, 30, 4, 32), 30);
        assert_eq!(shuffle_source(WarpOp::ShuffleDown, 3, 4, 32), 7);
        assert_eq!(shuffle_source(WarpOp::ShuffleUp, 2, 4, 32), 2);
        assert_eq!(shuffle_source(WarpOp::ShuffleUp, 9, 4, 8), 9);
        assert_eq!(shuffle_source(WarpOp::ShuffleXor, 5, 1, 32), 4);
        assert_eq!(shuffle_source(WarpOp::ShuffleXor, 7, 8, 8), 7);
    }
}
