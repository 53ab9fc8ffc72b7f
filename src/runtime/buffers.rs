//! The buffers of the arrays compiled code allocates, and the references lists hold to
//! arrays.
//!
//! Every buffer starts with a `Counted` header, 16 bytes before the memref's allocated
//! pointer, so that a list can hold a reference to it (numba's NRT meminfo). Compiled code
//! frees its own arrays with MLIR's ownership-based deallocation, which knows buffers, not
//! references: a buffer no list ever held ("unshared") has one owner and `free` frees it at
//! once; one a list held counts its references. A list item that holds an array holds one
//! reference to an owner block: the buffer's header, a block that keeps an argument's NumPy
//! array alive (`PyOwner`), or `IMMORTAL` for memory no one frees (constants, empty stack
//! arrays).
//!
//! An array read from a list is a view the list keeps alive, not a reference of its own
//! (deallocation could not tell two references to one buffer apart). So that such a view
//! never outlives its buffer while compiled code runs, a shared buffer whose last reference
//! goes during a call is freed when the outermost call returns (`CallScope`).
use super::lists::{release, retain, Counted};
use pyo3::ffi;
use std::{
    cell::{Cell, RefCell},
    ffi::c_void,
    sync::{Mutex, OnceLock},
};

/// Bytes of the header before a buffer's memory (malloc's alignment is kept).
pub const HEADER: usize = std::mem::size_of::<Counted>();

/// Buffers from this size on get transparent huge pages.
const HUGE_PAGE_THRESHOLD: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;

/// Large buffers NumPy gave back (their arrays were dropped), kept for the next large
/// allocation of about their size: a function called in a loop that returns a fresh large
/// array then writes into memory already mapped, instead of having the kernel map and zero
/// new pages on every call (libc maps and unmaps blocks this large each time). At most
/// `CACHED_BLOCKS` blocks and `cached_bytes()` bytes, the oldest given back to libc first.
struct BufferCache {
    /// (usable size, address), oldest first.
    blocks: Vec<(usize, usize)>,
    bytes: usize,
}

const CACHED_BLOCKS: usize = 4;

/// The buffer cache's budget: 512 MB, or a sixteenth of the machine's memory if less.
fn cached_bytes() -> usize {
    static BYTES: OnceLock<usize> = OnceLock::new();
    *BYTES.get_or_init(|| {
        // SAFETY: sysconf only reads system configuration.
        let (pages, page) = unsafe { (libc::sysconf(libc::_SC_PHYS_PAGES), libc::sysconf(libc::_SC_PAGESIZE)) };
        let memory = if pages > 0 && page > 0 { pages as usize * page as usize } else { 0 };
        (512 << 20).min(memory / 16)
    })
}
static BUFFER_CACHE: Mutex<BufferCache> = Mutex::new(BufferCache { blocks: Vec::new(), bytes: 0 });

/// The buffer cache, locked (a panic while it was held leaves it consistent: each of its
/// updates is a push or a remove with its byte count).
fn buffer_cache() -> std::sync::MutexGuard<'static, BufferCache> {
    BUFFER_CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

impl BufferCache {
    /// A cached block of at least `size` bytes that wastes at most a quarter more.
    fn take(&mut self, size: usize) -> Option<*mut c_void> {
        let i = self.blocks.iter().rposition(|&(usable, _)| usable >= size && usable - size <= size / 4)?;
        let (usable, address) = self.blocks.remove(i);
        self.bytes -= usable;
        Some(address as *mut c_void)
    }

    /// Keeps `block` (usable size `usable`); returns the blocks that no longer fit.
    fn keep(&mut self, block: *mut c_void, usable: usize) -> Vec<usize> {
        self.blocks.push((usable, block as usize));
        self.bytes += usable;
        let mut evicted = Vec::new();
        while self.blocks.len() > CACHED_BLOCKS || self.bytes > cached_bytes() {
            let (usable, address) = self.blocks.remove(0);
            self.bytes -= usable;
            evicted.push(address);
        }
        evicted
    }
}

/// Gives a block back to libc, or to the buffer cache when it is large.
///
/// # Safety
/// `block` is a live malloc block that nothing uses any more.
unsafe fn release_block(block: *mut c_void) {
    // SAFETY: `block` is a live malloc block (caller's contract).
    let usable = unsafe { libc::malloc_usable_size(block) };
    let evicted = if usable >= HUGE_PAGE_THRESHOLD {
        buffer_cache().keep(block, usable)
    } else {
        vec![block as usize]
    };
    for address in evicted {
        // SAFETY: each evicted block is a malloc block no array uses any more.
        unsafe { libc::free(address as *mut c_void) }
    }
}

/// A malloc block of `size` bytes: a cached one for large sizes, with transparent huge pages
/// asked for (as NumPy asks for its own): where the kernel gives them only on request
/// (`madvise` mode), they remove most of the page faults of writing a large fresh block.
fn alloc_block(size: usize) -> *mut c_void {
    if size >= HUGE_PAGE_THRESHOLD {
        if let Some(block) = buffer_cache().take(size) {
            return block;
        }
    }
    // SAFETY: plain libc calls; madvise covers only whole huge pages inside the block.
    unsafe {
        let block = libc::malloc(size);
        if !block.is_null() && size >= HUGE_PAGE_THRESHOLD {
            let start = (block as usize).next_multiple_of(HUGE_PAGE);
            let end = (block as usize + size) / HUGE_PAGE * HUGE_PAGE;
            if end > start {
                libc::madvise(start as *mut c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
        block
    }
}

/// Memory for the runtime's own large tables (a dict's entries and index), from the same
/// cache as arrays: a function that builds a large dict on every call reuses the memory of
/// the last one instead of page-faulting it in anew. Aborts when memory is out.
pub fn alloc_table(bytes: usize) -> *mut c_void {
    let block = alloc_block(bytes.max(1));
    if block.is_null() {
        std::alloc::handle_alloc_error(std::alloc::Layout::from_size_align(bytes.max(1), 16).expect("table too large"));
    }
    block
}

/// # Safety
/// `block` came from `alloc_table` and is not used after this call.
pub unsafe fn free_table(block: *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { release_block(block) }
}

/// `malloc` as compiled code sees it (memref.alloc lowers to a malloc call): `alloc_block`,
/// with the header before the memory.
pub extern "C" fn numlir_malloc(size: usize) -> *mut c_void {
    let block = alloc_block(size + HEADER);
    if block.is_null() {
        return block;
    }
    // SAFETY: the header is written inside the block.
    unsafe {
        (block as *mut Counted).write(Counted::new(free_unshared));
        (block as *mut u8).add(HEADER) as *mut c_void
    }
}

/// `calloc` as compiled code sees it: LLVM turns a malloc followed by a zero fill (np.zeros)
/// into one calloc call, whose memory compiled code then frees with `free`, so it is
/// numlir_malloc's block too, zeroed. (Left to libc's calloc, `free` read a header that was
/// not there: the heap corruption lstsq hit.)
pub extern "C" fn numlir_calloc(count: usize, size: usize) -> *mut c_void {
    let Some(bytes) = count.checked_mul(size) else { return std::ptr::null_mut() };
    let memory = numlir_malloc(bytes);
    if !memory.is_null() {
        // SAFETY: numlir_malloc returned `bytes` writable bytes.
        unsafe { std::ptr::write_bytes(memory as *mut u8, 0, bytes) };
    }
    memory
}

/// Whether `block` is freed by `free` (what kind of block it is).
///
/// # Safety
/// `block` points to readable memory of a header's size.
unsafe fn is(block: *const Counted, free: unsafe extern "C" fn(*mut Counted)) -> bool {
    // SAFETY: caller's contract.
    unsafe { (*block).free_fn() as *const () == free as *const () }
}

/// Frees a buffer no list held: its one owner dropped it.
unsafe extern "C" fn free_unshared(block: *mut Counted) {
    // SAFETY: `block` is the malloc block of a buffer (numlir_malloc).
    unsafe { release_block(block as *mut c_void) }
}

/// Frees a buffer lists held, once its last reference is gone (later, during a call).
unsafe extern "C" fn free_shared(block: *mut Counted) {
    if !defer(block) {
        // SAFETY: as free_unshared.
        unsafe { release_block(block as *mut c_void) }
    }
}

/// `free` as compiled code sees it (memref.dealloc of an array it owns): drops the owner's
/// reference to the buffer at `allocated`.
///
/// # Safety
/// `allocated` is null or the allocated pointer of a buffer whose reference the caller owns.
pub unsafe extern "C" fn numlir_free(allocated: *mut c_void) {
    if allocated.is_null() {
        return;
    }
    // SAFETY: the header is HEADER bytes before every allocated pointer compiled code frees.
    unsafe {
        let header = (allocated as *mut u8).sub(HEADER) as *mut Counted;
        if is(header, free_unshared) {
            release_block(header as *mut c_void);
        } else {
            release(header);
        }
    }
}

/// Keeps an argument's NumPy array alive while a list holds it.
#[repr(C)]
struct PyOwner {
    header: Counted,
    object: *mut ffi::PyObject,
}

unsafe extern "C" fn free_py_owner(block: *mut Counted) {
    if defer(block) {
        return;
    }
    // SAFETY: `block` is a PyOwner holding a reference to its object; the GIL is taken for
    // the decref (compiled code may run without it).
    unsafe {
        let owner = Box::from_raw(block as *mut PyOwner);
        let gil = ffi::PyGILState_Ensure();
        ffi::Py_DECREF(owner.object);
        ffi::PyGILState_Release(gil);
    }
}

unsafe extern "C" fn never_free(_: *mut Counted) {}

/// The owner of memory no one frees: MLIR's constant arrays (allocated 0xdeadbeef) and the
/// empty arrays on the stack that stand for arrays not assigned on a path.
static IMMORTAL: ImmortalOwner = ImmortalOwner(std::cell::UnsafeCell::new(Counted::new(never_free)));
struct ImmortalOwner(std::cell::UnsafeCell<Counted>);
// SAFETY: its count changes only atomically and it is never freed.
unsafe impl Sync for ImmortalOwner {}

/// The allocated pointer MLIR gives a constant array (memref.get_global): no buffer.
pub const CONSTANT_ALLOCATED: u64 = 0xdeadbeef;

/// The allocated pointer an argument array's descriptor carries: its NumPy object, tagged
/// with the low bit (objects are aligned) so that nothing takes it for a buffer.
pub fn tagged_object(object: *mut ffi::PyObject) -> u64 {
    object as u64 | 1
}

/// The NumPy object of a tagged allocated pointer.
pub fn untag_object(allocated: u64) -> Option<*mut ffi::PyObject> {
    (allocated & 1 == 1 && allocated != CONSTANT_ALLOCATED).then_some((allocated & !1) as *mut ffi::PyObject)
}

/// A new reference to an owner of the array whose allocated pointer is `allocated` (what a
/// list item holds). Compiled code calls it to store an array into a list.
///
/// # Safety
/// `allocated` is the allocated pointer of a live array descriptor.
pub unsafe extern "C" fn numlir_array_share(allocated: u64) -> *mut Counted {
    if let Some(object) = untag_object(allocated) {
        // SAFETY: the object is a live array (an argument, or held by the owner it came from).
        unsafe {
            let gil = ffi::PyGILState_Ensure();
            ffi::Py_INCREF(object);
            ffi::PyGILState_Release(gil);
        }
        return Box::into_raw(Box::new(PyOwner { header: Counted::new(free_py_owner), object })) as *mut Counted;
    }
    let immortal = IMMORTAL.0.get();
    if allocated == CONSTANT_ALLOCATED || allocated < HEADER as u64 {
        // SAFETY: the immortal owner's count changes atomically.
        unsafe { retain(immortal) };
        return immortal;
    }
    // SAFETY: allocated pointers of compiled code's arrays have a header before them; the
    // others it may hold are stack arrays, whose bytes before are stack memory.
    unsafe {
        let header = (allocated as usize - HEADER) as *mut Counted;
        let owner = if is(header, free_unshared) {
            (*header).set_free_fn(free_shared);
            header
        } else if is(header, free_shared) || is(header, free_py_owner) || is(header, never_free) {
            header
        } else {
            immortal
        };
        retain(owner);
        owner
    }
}

/// What owns the memory of an array a list item holds.
pub enum ArrayOwner {
    /// A NumPy array (an argument's): a result over its memory is a view of it.
    Python(*mut ffi::PyObject),
    /// A buffer compiled code allocated.
    Buffer,
    /// Memory no one frees: a global array frozen into compiled code (which a result must
    /// not write through), or an empty stand-in.
    Immortal,
}

/// # Safety
/// `owner` is a live owner block (what numlir_array_share returned).
pub unsafe fn array_owner(owner: *mut Counted) -> ArrayOwner {
    // SAFETY: caller's contract.
    unsafe {
        if is(owner, free_py_owner) {
            ArrayOwner::Python((*(owner as *mut PyOwner)).object)
        } else if std::ptr::eq(owner, IMMORTAL.0.get()) {
            // By address: an empty function such as never_free may share its address
            // with others, or not compare equal to itself (Rust promises neither).
            ArrayOwner::Immortal
        } else {
            ArrayOwner::Buffer
        }
    }
}

thread_local! {
    /// How many compiled calls this thread is in.
    static CALL_DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Owners whose last reference went during a call: freed when the outermost returns.
    static DEFERRED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Whether `block` waits for the end of the outermost call to be freed (queued if so).
fn defer(block: *mut Counted) -> bool {
    if CALL_DEPTH.with(Cell::get) == 0 {
        return false;
    }
    DEFERRED.with(|d| d.borrow_mut().push(block as usize));
    true
}

/// A compiled call from Python, for as long as it lives: the outermost one frees, when it
/// ends, the array owners whose last reference went meanwhile.
pub struct CallScope;

impl CallScope {
    pub fn enter() -> Self {
        CALL_DEPTH.with(|d| d.set(d.get() + 1));
        CallScope
    }
}

impl Drop for CallScope {
    fn drop(&mut self) {
        let depth = CALL_DEPTH.with(|d| {
            d.set(d.get() - 1);
            d.get()
        });
        if depth > 0 {
            return;
        }
        // A queued owner may have been stored again after its count reached zero (an array
        // popped from a list, then appended): only those still at zero are freed, once each.
        let mut queued = DEFERRED.with(|d| std::mem::take(&mut *d.borrow_mut()));
        queued.sort_unstable();
        queued.dedup();
        for block in queued {
            let block = block as *mut Counted;
            // SAFETY: queued blocks are not freed before this drain, and depth 0 frees now.
            unsafe {
                if (*block).count() == 0 {
                    ((*block).free_fn())(block)
                }
            }
        }
    }
}

/// Runtime functions of array buffers compiled code calls.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("malloc", numlir_malloc as *mut ()),
        ("calloc", numlir_calloc as *mut ()),
        ("free", numlir_free as *mut ()),
        ("numlir_array_share", numlir_array_share as *mut ()),
    ]
}
