//! The list blocks compiled code makes (py-to-std's Lists.cpp has the layout): reference
//! counted as numba's NRT, with atomic counts. Compiled code does the hot operations inline
//! (length, indexing, append with room, reference counts); these functions move many items.
//!
//! An item is `words` 64-bit words. `counted` is null or a table `[n, w1, .., wn]` of the
//! item words that hold pointers to other counted blocks (lists of lists): copying an item
//! takes a reference to each, dropping one releases them.
use std::{
    alloc::{alloc, dealloc, handle_alloc_error, realloc, Layout},
    sync::atomic::{AtomicI64, Ordering},
};

/// The header every counted block starts with.
#[repr(C)]
pub struct Counted {
    refcount: AtomicI64,
    free: unsafe extern "C" fn(*mut Counted),
}

impl Counted {
    /// The header of a new block (count 1) that `free` frees.
    pub const fn new(free: unsafe extern "C" fn(*mut Counted)) -> Self {
        Self { refcount: AtomicI64::new(1), free }
    }

    /// The function that frees the block: what kind of block it is.
    pub fn free_fn(&self) -> unsafe extern "C" fn(*mut Counted) {
        self.free
    }

    /// Its reference count now.
    pub fn count(&self) -> i64 {
        self.refcount.load(Ordering::Acquire)
    }

    /// Changes how the block is freed (an array buffer that became shared).
    pub fn set_free_fn(&mut self, free: unsafe extern "C" fn(*mut Counted)) {
        self.free = free;
    }
}

/// A list block: the header, then the fields compiled code reads by word offset.
#[repr(C)]
pub struct ListBlock {
    header: Counted,
    pub len: i64,
    cap: i64,
    items: *mut u64,
    pub words: i64,
    counted: *const i64,
    /// Set by whatever changes the list (compiled code's stores too): a Python list passed
    /// in is written back after the call only when it changed.
    pub dirty: i64,
}

/// The smallest capacity: an empty list can still be read at item 0 (an iterator that is
/// over reads it and discards it).
const MIN_CAPACITY: i64 = 4;

fn words_layout(count: i64) -> Layout {
    Layout::array::<u64>(count.max(1) as usize).expect("list too large")
}

fn alloc_items(count: i64) -> *mut u64 {
    // SAFETY: the layout is never empty.
    let p = unsafe { alloc(words_layout(count)) } as *mut u64;
    if p.is_null() {
        handle_alloc_error(words_layout(count));
    }
    p
}

/// # Safety
/// `items` came from `alloc_items(count)` (or a `realloc` to `count`).
unsafe fn free_items(items: *mut u64, count: i64) {
    dealloc(items as *mut u8, words_layout(count));
}

impl ListBlock {
    fn item_words(&self) -> usize {
        self.words as usize
    }

    /// The item words that hold counted pointers.
    fn counted_words(&self) -> &[i64] {
        // SAFETY: compiled code passes null or a constant table of the module.
        unsafe { counted_table(self.counted) }
    }

    fn item(&self, i: i64) -> *mut u64 {
        // SAFETY: callers keep i within the capacity.
        unsafe { self.items.add(i as usize * self.item_words()) }
    }

    /// Changes the counts of the blocks items [from, to) point to.
    unsafe fn retain_items(&self, from: i64, to: i64, increment: bool) {
        let words = self.counted_words();
        if words.is_empty() {
            return;
        }
        for i in from..to {
            for &w in words {
                let block = *self.item(i).add(w as usize) as *mut Counted;
                if increment {
                    retain(block);
                } else {
                    release(block);
                }
            }
        }
    }

    /// Makes room for at least `needed` items.
    unsafe fn reserve(&mut self, needed: i64) {
        if needed <= self.cap {
            return;
        }
        let cap = needed.max(self.cap * 2).max(MIN_CAPACITY);
        let old = words_layout(self.cap * self.words);
        let p = realloc(self.items as *mut u8, old, words_layout(cap * self.words).size()) as *mut u64;
        if p.is_null() {
            handle_alloc_error(words_layout(cap * self.words));
        }
        self.items = p;
        self.cap = cap;
    }
}

/// The item words of a list, its length and the words per item.
///
/// # Safety
/// `list` is a live list block, not changed while the slice is used.
pub unsafe fn list_items<'a>(list: *const ListBlock) -> (&'a [u64], usize, usize) {
    let list = &*list;
    let n = list.len as usize * list.item_words();
    (std::slice::from_raw_parts(list.items, n), list.len as usize, list.item_words())
}

/// The item words of a list to fill in (a list block just made by `new_list_block`).
///
/// # Safety
/// `list` is a live list block no one else uses meanwhile.
pub unsafe fn list_items_mut<'a>(list: *mut ListBlock) -> (&'a mut [u64], usize, usize) {
    let list = &mut *list;
    let n = list.len as usize * list.item_words();
    (std::slice::from_raw_parts_mut(list.items, n), list.len as usize, list.item_words())
}

/// Appends an item's words (the list takes the references they hold).
///
/// # Safety
/// `list` is a live list block of items of `words.len()` words.
pub unsafe fn list_push(list: *mut ListBlock, words: &[u64]) {
    let list = &mut *list;
    list.reserve(list.len + 1);
    std::ptr::copy_nonoverlapping(words.as_ptr(), list.item(list.len), words.len());
    list.len += 1;
    list.dirty = 1;
}

/// Replaces item `i` (0 <= i < len) by `words`, releasing what the old one held.
///
/// # Safety
/// `list` is a live list block of items of `words.len()` words.
pub unsafe fn list_replace(list: *mut ListBlock, i: i64, words: &[u64]) {
    let list = &mut *list;
    list.retain_items(i, i + 1, false);
    std::ptr::copy_nonoverlapping(words.as_ptr(), list.item(i), words.len());
    list.dirty = 1;
}

/// Removes item `i` (0 <= i < len) and gives its words (and the references they hold).
///
/// # Safety
/// `list` is a live list block.
pub unsafe fn list_take(list: *mut ListBlock, i: i64) -> Vec<u64> {
    let words = std::slice::from_raw_parts((*list).item(i), (*list).item_words()).to_vec();
    numlir_list_close_gap(list, i);
    (*list).dirty = 1;
    words
}

/// The word offsets of a table `[n, word...]` of words that hold counted pointers (empty
/// for null).
///
/// # Safety
/// `table` is null or such a table that outlives the result (a constant of the module).
pub unsafe fn counted_table<'a>(table: *const i64) -> &'a [i64] {
    if table.is_null() {
        return &[];
    }
    std::slice::from_raw_parts(table.add(1), *table as usize)
}

/// Releases the counted blocks the item words `words` of `list`'s layout hold.
///
/// # Safety
/// `words` is an item of `list`'s layout that owns its references.
pub unsafe fn release_item(list: *const ListBlock, words: &[u64]) {
    for &w in (*list).counted_words() {
        release(words[w as usize] as *mut Counted);
    }
}

/// A new list block of `len` items of `words` words (to be filled in), count 1.
pub fn new_list_block(len: i64, words: i64, counted: *const i64) -> *mut ListBlock {
    // SAFETY: `counted` is null or a table kept for the process (boxing's counted_table).
    unsafe { numlir_list_new(len, words, counted) }
}

/// # Safety
/// `block` is a live counted block.
pub unsafe fn retain(block: *mut Counted) {
    (*block).refcount.fetch_add(1, Ordering::Relaxed);
}

/// Drops one reference; the last frees the block.
///
/// # Safety
/// `block` is a live counted block and the caller owns the reference.
pub unsafe fn release(block: *mut Counted) {
    if (*block).refcount.fetch_sub(1, Ordering::AcqRel) == 1 {
        ((*block).free)(block);
    }
}

/// The first index, step and count of `[start:stop:step]` over `len` items, clamped as
/// Python clamps slices (`has_*` 0 where a bound was not given).
pub fn slice_range(len: i64, start: i64, stop: i64, step: i64, has_start: i64, has_stop: i64) -> (i64, i64, i64) {
    let step = if step == 0 { 1 } else { step };
    let clamp = |v: i64, given: i64, default: i64| -> i64 {
        if given == 0 {
            return default;
        }
        let v = if v < 0 { v + len } else { v };
        if step > 0 {
            v.clamp(0, len)
        } else {
            v.clamp(-1, len - 1)
        }
    };
    let (lo, hi) = if step > 0 { (clamp(start, has_start, 0), clamp(stop, has_stop, len)) } else { (clamp(start, has_start, len - 1), clamp(stop, has_stop, -1)) };
    let count = if step > 0 { (hi - lo + step - 1).max(0) / step } else { (lo - hi - step - 1).max(0) / -step };
    (lo, step, count)
}

/// Gives a block a count it never loses (the one-character strings kept for the process).
///
/// # Safety
/// `block` is a live counted block.
pub unsafe fn retain_forever(block: *mut Counted) {
    (*block).refcount.fetch_add(1 << 40, Ordering::Relaxed);
}

/// Called by compiled code when it dropped the last reference to a block.
///
/// # Safety
/// `block` is a counted block with no references left.
pub unsafe extern "C" fn numlir_release(block: *mut Counted) {
    ((*block).free)(block);
}

unsafe extern "C" fn free_list(block: *mut Counted) {
    let list = Box::from_raw(block as *mut ListBlock);
    list.retain_items(0, list.len, false);
    free_items(list.items, list.cap * list.words);
}

/// A new list of `len` items whose words compiled code stores next; count 1.
///
/// # Safety
/// `counted` is null or a table that outlives the list (a constant of the module).
pub unsafe extern "C" fn numlir_list_new(len: i64, words: i64, counted: *const i64) -> *mut ListBlock {
    let cap = len.max(MIN_CAPACITY);
    Box::into_raw(Box::new(ListBlock {
        header: Counted::new(free_list),
        len,
        cap,
        items: alloc_items(cap * words),
        words,
        counted,
        dirty: 0,
    }))
}

/// A new empty list with the layout of `like`.
unsafe fn empty_like(like: &ListBlock, len: i64) -> &'static mut ListBlock {
    &mut *numlir_list_new(len, like.words, like.counted)
}

/// Room for one more item (append found the list full).
///
/// # Safety
/// `list` is a live list block.
pub unsafe extern "C" fn numlir_list_grow(list: *mut ListBlock) {
    let list = &mut *list;
    list.reserve(list.len + 1);
}

/// Appends copies of `src`'s items to `dst` (which may be `src`).
///
/// # Safety
/// Both are live list blocks of one item layout.
pub unsafe extern "C" fn numlir_list_extend(dst: *mut ListBlock, src: *mut ListBlock) {
    let n = (*src).len;
    let dst = &mut *dst;
    dst.dirty = 1;
    dst.reserve(dst.len + n);
    let words = dst.item_words();
    std::ptr::copy_nonoverlapping((*src).items, dst.item(dst.len), n as usize * words);
    let from = dst.len;
    dst.len += n;
    dst.retain_items(from, dst.len, true);
}

/// `list[start:stop:step]` as a new list; the bounds are clamped as Python's slice.indices
/// does (a missing start or stop is its end of the list).
///
/// # Safety
/// `list` is a live list block.
pub unsafe extern "C" fn numlir_list_slice(
    list: *mut ListBlock,
    start: i64,
    stop: i64,
    step: i64,
    has_start: i64,
    has_stop: i64,
) -> *mut ListBlock {
    let list = &*list;
    let (lo, step, count) = slice_range(list.len, start, stop, step, has_start, has_stop);
    let out = empty_like(list, count);
    let words = list.item_words();
    for k in 0..count {
        std::ptr::copy_nonoverlapping(list.item(lo + k * step), out.item(k), words);
    }
    out.retain_items(0, count, true);
    out
}

/// `a + b` as a new list.
///
/// # Safety
/// Both are live list blocks of one item layout.
pub unsafe extern "C" fn numlir_list_concat(a: *mut ListBlock, b: *mut ListBlock) -> *mut ListBlock {
    let out = empty_like(&*a, 0);
    numlir_list_extend(out, a);
    numlir_list_extend(out, b);
    out
}

/// `list * n` as a new list.
///
/// # Safety
/// `list` is a live list block.
pub unsafe extern "C" fn numlir_list_repeat(list: *mut ListBlock, n: i64) -> *mut ListBlock {
    let out = empty_like(&*list, 0);
    for _ in 0..n.max(0) {
        numlir_list_extend(out, list);
    }
    out
}

/// Moves items [i, len) up by one (len grows by one); compiled code stores item i next.
///
/// # Safety
/// `list` is a live list block and 0 <= i <= len.
pub unsafe extern "C" fn numlir_list_open_gap(list: *mut ListBlock, i: i64) {
    let list = &mut *list;
    list.dirty = 1;
    list.reserve(list.len + 1);
    let words = list.item_words();
    std::ptr::copy(list.item(i), list.item(i + 1), (list.len - i) as usize * words);
    list.len += 1;
}

/// Moves items (i, len) down over item i (len shrinks by one); the caller took item i's
/// references.
///
/// # Safety
/// `list` is a live list block and 0 <= i < len.
pub unsafe extern "C" fn numlir_list_close_gap(list: *mut ListBlock, i: i64) {
    let list = &mut *list;
    list.dirty = 1;
    let words = list.item_words();
    std::ptr::copy(list.item(i + 1), list.item(i), (list.len - i - 1) as usize * words);
    list.len -= 1;
}

/// `list[start:stop:step] = src`: a simple slice (step 1) is replaced by src's items, of any
/// number; an extended slice takes exactly as many as it has (else 0, after recording
/// CPython's ValueError). src may be the list itself.
///
/// # Safety
/// `list` and `src` are live list blocks of the same item layout.
pub unsafe extern "C" fn numlir_list_set_slice(
    list: *mut ListBlock,
    start: i64,
    stop: i64,
    step: i64,
    has_start: i64,
    has_stop: i64,
    src: *mut ListBlock,
) -> i64 {
    // The source's items, with references of their own, before the list changes.
    let n = (*src).len;
    let incoming = std::slice::from_raw_parts((*src).items, n as usize * (*src).item_words()).to_vec();
    (*src).retain_items(0, n, true);
    let list = &mut *list;
    let (lo, step, count) = slice_range(list.len, start, stop, step, has_start, has_stop);
    let words = list.item_words();
    list.dirty = 1;
    if step == 1 {
        list.retain_items(lo, lo + count, false);
        let new_len = list.len - count + n;
        list.reserve(new_len);
        std::ptr::copy(list.item(lo + count), list.item(lo + n), (list.len - lo - count) as usize * words);
        std::ptr::copy_nonoverlapping(incoming.as_ptr(), list.item(lo), incoming.len());
        list.len = new_len;
        return 1;
    }
    if n != count {
        for i in 0..n as usize {
            release_item(list, &incoming[i * words..(i + 1) * words]);
        }
        super::errors::fail("ValueError", &format!("attempt to assign sequence of size {n} to extended slice of size {count}"));
        return 0;
    }
    for k in 0..count {
        let at = lo + k * step;
        list.retain_items(at, at + 1, false);
        let from = k as usize * words;
        std::ptr::copy_nonoverlapping(incoming[from..from + words].as_ptr(), list.item(at), words);
    }
    1
}

/// `del list[start:stop:step]`.
///
/// # Safety
/// `list` is a live list block.
pub unsafe extern "C" fn numlir_list_del_slice(list: *mut ListBlock, start: i64, stop: i64, step: i64, has_start: i64, has_stop: i64) {
    let list = &mut *list;
    let (lo, step, count) = slice_range(list.len, start, stop, step, has_start, has_stop);
    let mut doomed: Vec<i64> = (0..count).map(|k| lo + k * step).collect();
    doomed.sort_unstable();
    // From the last, so that the earlier indices stay where they are.
    for &i in doomed.iter().rev() {
        list.retain_items(i, i + 1, false);
        numlir_list_close_gap(list, i);
    }
    list.dirty = 1;
}

/// # Safety
/// `list` is a live list block.
pub unsafe extern "C" fn numlir_list_clear(list: *mut ListBlock) {
    let list = &mut *list;
    list.dirty = 1;
    let n = list.len;
    list.len = 0;
    list.retain_items(0, n, false);
}

/// # Safety
/// `list` is a live list block.
pub unsafe extern "C" fn numlir_list_reverse(list: *mut ListBlock) {
    let list = &mut *list;
    list.dirty = 1;
    let words = list.item_words();
    let (mut i, mut j) = (0, list.len - 1);
    while i < j {
        std::ptr::swap_nonoverlapping(list.item(i), list.item(j), words);
        i += 1;
        j -= 1;
    }
}

/// Sorts in place, stably (as Python's sort). `kinds` packs two bits a word, first word
/// lowest: 0 a signed int, 1 a float, 2 an unsigned int, 3 a str; items compare word by word.
///
/// # Safety
/// `list` is a live list block.
pub unsafe extern "C" fn numlir_list_sort(list: *mut ListBlock, kinds: i64, reverse: i64) {
    let list = &mut *list;
    list.dirty = 1;
    let words = list.item_words();
    let n = list.len as usize;
    let items = std::slice::from_raw_parts_mut(list.items, n * words);
    let compare = |a: &[u64], b: &[u64]| {
        for w in 0..words {
            let ord = match (kinds >> (2 * w)) & 3 {
                1 => f64::from_bits(a[w]).partial_cmp(&f64::from_bits(b[w])).unwrap_or(std::cmp::Ordering::Equal),
                2 => a[w].cmp(&b[w]),
                // SAFETY: kind-3 words point to live str blocks the list holds.
                3 => unsafe { super::strings::str_cmp(&*(a[w] as *const super::strings::StrBlock), &*(b[w] as *const super::strings::StrBlock)) },
                _ => (a[w] as i64).cmp(&(b[w] as i64)),
            };
            if ord != std::cmp::Ordering::Equal {
                return ord;
            }
        }
        std::cmp::Ordering::Equal
    };
    if words == 1 {
        // Python's reverse=True keeps equal items in their order: sort descending stably.
        items.sort_by(|a, b| {
            let ord = compare(std::slice::from_ref(a), std::slice::from_ref(b));
            if reverse != 0 { ord.reverse() } else { ord }
        });
        return;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| {
        let ord = compare(&items[i * words..(i + 1) * words], &items[j * words..(j + 1) * words]);
        if reverse != 0 { ord.reverse() } else { ord }
    });
    let sorted: Vec<u64> = order.iter().flat_map(|&i| items[i * words..(i + 1) * words].to_vec()).collect();
    items.copy_from_slice(&sorted);
}

/// The runtime functions above, by the names compiled code calls them.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("numlir_release", numlir_release as *mut ()),
        ("numlir_list_new", numlir_list_new as *mut ()),
        ("numlir_list_grow", numlir_list_grow as *mut ()),
        ("numlir_list_extend", numlir_list_extend as *mut ()),
        ("numlir_list_slice", numlir_list_slice as *mut ()),
        ("numlir_list_concat", numlir_list_concat as *mut ()),
        ("numlir_list_repeat", numlir_list_repeat as *mut ()),
        ("numlir_list_open_gap", numlir_list_open_gap as *mut ()),
        ("numlir_list_close_gap", numlir_list_close_gap as *mut ()),
        ("numlir_list_clear", numlir_list_clear as *mut ()),
        ("numlir_list_set_slice", numlir_list_set_slice as *mut ()),
        ("numlir_list_del_slice", numlir_list_del_slice as *mut ()),
        ("numlir_list_reverse", numlir_list_reverse as *mut ()),
        ("numlir_list_sort", numlir_list_sort as *mut ()),
    ]
}
