//! The dict blocks compiled code makes (py-to-std's Dicts.cpp calls these functions):
//! counted like lists (the same header), iterated in insertion order as Python's dicts.
//!
//! Keys and values are words, as list items are (lists.rs). The table is CPython's compact
//! layout: the entries in insertion order (a removed one keeps its place as a hole), and an
//! open-addressing index of them. Keys hash by value: ints and bools as themselves, floats
//! by their value (so 0.0 and -0.0 are one key), tuples word by word. An entry is its hash
//! then its key and value words, but where the key is one int (or bool) word, which is its
//! own hash, the entry is just the key and value.
use super::{
    buffers::{alloc_table, free_table},
    lists::{release, retain, Counted},
    strings::{str_eq, StrBlock},
};
use std::ops::{Deref, DerefMut};

/// A growable array of plain values (entry words, index slots) in memory from the buffer
/// cache (`alloc_table`): building a large dict on every call reuses the last one's memory.
struct Table<T: Copy> {
    ptr: *mut T,
    len: usize,
    cap: usize,
}

impl<T: Copy> Table<T> {
    fn with_capacity(cap: usize) -> Self {
        let ptr = if cap == 0 { std::ptr::NonNull::dangling().as_ptr() } else { alloc_table(cap * size_of::<T>()) as *mut T };
        Self { ptr, len: 0, cap }
    }

    fn filled(value: T, len: usize) -> Self {
        let mut t = Self::with_capacity(len);
        // SAFETY: the capacity is `len`.
        unsafe { std::slice::from_raw_parts_mut(t.ptr, len).fill(value) };
        t.len = len;
        t
    }

    #[inline]
    fn push(&mut self, value: T) {
        if self.len == self.cap {
            self.grow(self.len + 1);
        }
        // SAFETY: len < cap.
        unsafe { self.ptr.add(self.len).write(value) };
        self.len += 1;
    }

    fn extend_from_slice(&mut self, values: &[T]) {
        if self.len + values.len() > self.cap {
            self.grow(self.len + values.len());
        }
        // SAFETY: the capacity holds them; a slice never overlaps the spare capacity.
        unsafe { std::ptr::copy_nonoverlapping(values.as_ptr(), self.ptr.add(self.len), values.len()) };
        self.len += values.len();
    }

    /// Room for at least `needed` values (rare: a dict's rebuild reserves what it needs).
    fn grow(&mut self, needed: usize) {
        let mut bigger = Self::with_capacity(needed.max(self.cap * 2).max(8));
        bigger.extend_from_slice(self);
        *self = bigger;
    }
}

impl<T: Copy> Deref for Table<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: the first len values are initialized.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl<T: Copy> DerefMut for Table<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as deref, borrowed mutably.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl<T: Copy> Drop for Table<T> {
    fn drop(&mut self) {
        if self.cap > 0 {
            // SAFETY: the memory came from alloc_table and this table owned it.
            unsafe { free_table(self.ptr as *mut std::ffi::c_void) }
        }
    }
}

/// A dict block: the counted header, then the length at word 2 (read inline by compiled
/// code), then what only this module reads.
#[repr(C)]
pub struct DictBlock {
    header: Counted,
    pub len: i64,
    key_words: usize,
    value_words: usize,
    /// Two bits a key word, first word lowest: 0 a signed int, 1 a float, 2 an unsigned int,
    /// 3 a str.
    key_kinds: i64,
    key_counted: *const i64,
    value_counted: *const i64,
    /// 1 where an entry starts with its hash; 0 where the key is one int or bool word, its
    /// own hash.
    hash_words: usize,
    /// [hash, key words, value words] per entry, in insertion order.
    entries: Table<u64>,
    /// Whether each entry is still in the dict (removed ones are holes until a rebuild).
    live: Vec<bool>,
    /// Open addressing over entry numbers: EMPTY, REMOVED (a removed entry's slot, which
    /// probing passes over until a rebuild), or an entry.
    index: Table<u32>,
}

const EMPTY: u32 = u32::MAX;
const REMOVED: u32 = u32::MAX - 1;

/// The next slot of CPython's probe sequence.
fn next_slot(slot: usize, perturb: &mut u64, mask: usize) -> usize {
    *perturb >>= 5;
    (slot.wrapping_mul(5).wrapping_add(1).wrapping_add(*perturb as usize)) & mask
}

/// splitmix64's finalizer: every input bit reaches every output bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The words of `table` ([n, word...]) or none.
unsafe fn counted_words<'a>(table: *const i64) -> &'a [i64] {
    if table.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(table.add(1), *table as usize)
    }
}

unsafe fn change_counts(words: &[u64], table: *const i64, increment: bool) {
    for &w in counted_words(table) {
        let block = words[w as usize] as *mut Counted;
        if increment {
            retain(block);
        } else {
            release(block);
        }
    }
}

impl DictBlock {
    fn entry_words(&self) -> usize {
        self.hash_words + self.key_words + self.value_words
    }

    /// The key and value words of entry `e`.
    fn item(&self, e: usize) -> &[u64] {
        &self.entry(e)[self.hash_words..]
    }

    fn key(&self, e: usize) -> &[u64] {
        &self.item(e)[..self.key_words]
    }

    fn value(&self, e: usize) -> &[u64] {
        &self.item(e)[self.key_words..]
    }

    /// The hash of entry `e`: its first word either way.
    fn entry_hash(&self, e: usize) -> u64 {
        self.entry(e)[0]
    }

    fn entry(&self, e: usize) -> &[u64] {
        let n = self.entry_words();
        &self.entries[e * n..(e + 1) * n]
    }

    fn entry_mut(&mut self, e: usize) -> &mut [u64] {
        let n = self.entry_words();
        &mut self.entries[e * n..(e + 1) * n]
    }

    fn entry_count(&self) -> usize {
        self.live.len()
    }

    fn kind(&self, w: usize) -> i64 {
        (self.key_kinds >> (2 * w)) & 3
    }

    #[inline]
    fn hash(&self, key: &[u64]) -> u64 {
        if self.key_kinds == 0 && key.len() == 1 {
            return key[0]; // one int: itself (the common case, kept free of the general path)
        }
        let word_hash = |w: usize, word: u64| match self.kind(w) {
            1 => {
                let f = f64::from_bits(word);
                mix(if f == 0.0 { 0 } else { word }) // 0.0 and -0.0 are one key
            }
            // SAFETY: a kind-3 word points to a live str block the dict holds.
            3 => unsafe { (*(word as *const StrBlock)).hash() },
            _ => word,
        };
        if let [word] = key {
            return word_hash(0, *word);
        }
        key.iter().enumerate().fold(0x9e37_79b9_7f4a_7c15, |h, (w, &word)| mix(h ^ word_hash(w, word)))
    }

    fn keys_equal(&self, a: &[u64], b: &[u64]) -> bool {
        a.iter().zip(b).enumerate().all(|(w, (&x, &y))| match self.kind(w) {
            1 => f64::from_bits(x) == f64::from_bits(y),
            // SAFETY: kind-3 words point to live str blocks.
            3 => x == y || unsafe { str_eq(&*(x as *const StrBlock), &*(y as *const StrBlock)) },
            _ => x == y,
        })
    }

    /// The index slot of `key`: where its entry is, or the empty slot where it would go.
    fn find(&self, key: &[u64], hash: u64) -> (usize, Option<usize>) {
        let mask = self.index.len() - 1;
        let (mut slot, mut perturb) = (hash as usize & mask, hash);
        if self.hash_words == 0 {
            // One int word, its own hash: an entry matches when its first word is the key.
            let n = self.entry_words();
            loop {
                // SAFETY: slot <= mask < the index's length; an index entry is a live entry.
                let e = unsafe { *self.index.get_unchecked(slot) };
                if e == EMPTY {
                    return (slot, None);
                }
                if e != REMOVED && unsafe { *self.entries.get_unchecked(e as usize * n) } == hash {
                    return (slot, Some(e as usize));
                }
                slot = next_slot(slot, &mut perturb, mask);
            }
        }
        loop {
            let e = self.index[slot];
            if e == EMPTY {
                return (slot, None);
            }
            if e != REMOVED {
                let e = e as usize;
                let entry = self.entry(e);
                if entry[0] == hash && self.keys_equal(&entry[1..1 + self.key_words], key) {
                    return (slot, Some(e));
                }
            }
            slot = next_slot(slot, &mut perturb, mask);
        }
    }

    fn lookup(&self, key: &[u64]) -> Option<usize> {
        self.find(key, self.hash(key)).1
    }

    /// Rebuilds the index for at least `needed` live entries, dropping holes. The index
    /// grows to three times what is needed (as CPython's), so that growing by inserts
    /// rebuilds rarely.
    fn rebuild(&mut self, needed: usize) {
        let n = self.entry_words();
        let count = self.len as usize;
        let size = (needed.max(count) * 3).next_power_of_two().max(8);
        // Room for every entry until the next rebuild (the index stays at most half full),
        // so that inserting never grows the entries.
        let capacity = size / 2;
        let mut entries = Table::with_capacity(capacity * n);
        if count == self.entry_count() {
            entries.extend_from_slice(&self.entries);
        } else {
            for e in 0..self.entry_count() {
                if self.live[e] {
                    entries.extend_from_slice(self.entry(e));
                }
            }
            self.live = vec![true; count];
        }
        self.entries = entries;
        self.live.reserve(capacity.saturating_sub(count));
        self.index = Table::filled(EMPTY, size);
        for e in 0..count {
            let hash = self.entry_hash(e);
            let (slot, _) = self.find_empty(hash);
            self.index[slot] = e as u32;
        }
    }

    fn find_empty(&self, hash: u64) -> (usize, ()) {
        let mask = self.index.len() - 1;
        let (mut slot, mut perturb) = (hash as usize & mask, hash);
        while self.index[slot] != EMPTY {
            slot = next_slot(slot, &mut perturb, mask);
        }
        (slot, ())
    }

    /// Sets `key` to `value` (taking references to what they hold).
    unsafe fn set(&mut self, key: &[u64], value: &[u64]) {
        let hash = self.hash(key);
        // Keep the index at most half full (holes count: they are rebuilt away); grown before
        // the probe, whose empty slot is then where a new key goes.
        if (self.entry_count() + 1) * 2 > self.index.len() {
            self.rebuild(self.len as usize + 1);
        }
        let slot = match self.find(key, hash) {
            (_, Some(e)) => {
                change_counts(value, self.value_counted, true);
                let (at, counted) = (self.hash_words + self.key_words, self.value_counted);
                let old: Vec<u64> = self.entry(e)[at..].to_vec();
                self.entry_mut(e)[at..].copy_from_slice(value);
                change_counts(&old, counted, false);
                return;
            }
            (slot, None) => slot,
        };
        change_counts(key, self.key_counted, true);
        change_counts(value, self.value_counted, true);
        let e = self.entry_count();
        // Word by word: a key or value is a word or a few, which a memcpy call would dwarf.
        if self.hash_words == 1 {
            self.entries.push(hash);
        }
        for &w in key.iter().chain(value) {
            self.entries.push(w);
        }
        self.live.push(true);
        self.index[slot] = e as u32;
        self.len += 1;
    }

    /// Removes entry `e` (its index slot becomes REMOVED); its references go to the caller.
    fn remove(&mut self, e: usize) {
        let mask = self.index.len() - 1;
        let hash = self.entry_hash(e);
        let (mut slot, mut perturb) = (hash as usize & mask, hash);
        while self.index[slot] != e as u32 {
            slot = next_slot(slot, &mut perturb, mask);
        }
        self.index[slot] = REMOVED;
        self.live[e] = false;
        self.len -= 1;
    }

    unsafe fn release_entry(&self, e: usize) {
        change_counts(self.key(e), self.key_counted, false);
        change_counts(self.value(e), self.value_counted, false);
    }
}

unsafe extern "C" fn free_dict(block: *mut Counted) {
    let dict = Box::from_raw(block as *mut DictBlock);
    if dict.key_counted.is_null() && dict.value_counted.is_null() {
        return; // nothing its entries hold is counted
    }
    for e in 0..dict.entry_count() {
        if dict.live[e] {
            dict.release_entry(e);
        }
    }
}

/// A new empty dict, count 1.
///
/// # Safety
/// The counted tables are null or outlive the dict (constants of the module).
pub unsafe extern "C" fn numlir_dict_new(
    key_words: i64,
    value_words: i64,
    key_kinds: i64,
    key_counted: *const i64,
    value_counted: *const i64,
) -> *mut DictBlock {
    Box::into_raw(Box::new(DictBlock {
        header: Counted::new(free_dict),
        len: 0,
        key_words: key_words as usize,
        value_words: value_words as usize,
        key_kinds,
        key_counted,
        value_counted,
        // One int or bool word is its own hash (`hash` gives the word for kinds 0 and 2).
        hash_words: if key_words == 1 && key_kinds & 1 == 0 { 0 } else { 1 },
        entries: Table::with_capacity(0),
        live: Vec::new(),
        index: Table::filled(EMPTY, 8),
    }))
}

unsafe fn key_of<'a>(d: &DictBlock, key: *const u64) -> &'a [u64] {
    std::slice::from_raw_parts(key, d.key_words)
}

/// `d[key] = value`.
///
/// # Safety
/// `d` is a live dict; `key` and `value` point to its key and value words.
pub unsafe extern "C" fn numlir_dict_set(d: *mut DictBlock, key: *const u64, value: *const u64) {
    let d = &mut *d;
    let value = std::slice::from_raw_parts(value, d.value_words);
    d.set(key_of(d, key), value);
}

/// Copies the value of `key` to `out` with references taken; 0 when the key is missing.
///
/// # Safety
/// `d` is a live dict; `key` and `out` point to its key and value words.
pub unsafe extern "C" fn numlir_dict_get(d: *mut DictBlock, key: *const u64, out: *mut u64) -> i64 {
    let d = &*d;
    let Some(e) = d.lookup(key_of(d, key)) else { return 0 };
    let value = d.value(e);
    change_counts(value, d.value_counted, true);
    std::ptr::copy_nonoverlapping(value.as_ptr(), out, d.value_words);
    1
}

/// # Safety
/// `d` is a live dict; `key` points to its key words.
pub unsafe extern "C" fn numlir_dict_contains(d: *mut DictBlock, key: *const u64) -> i64 {
    let d = &*d;
    d.lookup(key_of(d, key)).is_some() as i64
}

/// `del d[key]`; 0 when the key is missing.
///
/// # Safety
/// `d` is a live dict; `key` points to its key words.
pub unsafe extern "C" fn numlir_dict_del(d: *mut DictBlock, key: *const u64) -> i64 {
    let d = &mut *d;
    let Some(e) = d.lookup(key_of(d, key)) else { return 0 };
    d.remove(e);
    d.release_entry(e);
    1
}

/// Moves the value of `key` to `out` and removes the key; 0 when it is missing.
///
/// # Safety
/// `d` is a live dict; `key` and `out` point to its key and value words.
pub unsafe extern "C" fn numlir_dict_pop(d: *mut DictBlock, key: *const u64, out: *mut u64) -> i64 {
    let d = &mut *d;
    let Some(e) = d.lookup(key_of(d, key)) else { return 0 };
    d.remove(e);
    change_counts(d.key(e), d.key_counted, false);
    std::ptr::copy_nonoverlapping(d.value(e).as_ptr(), out, d.value_words);
    1
}

/// Moves the last entry's key and value out and removes it; 0 when the dict is empty.
///
/// # Safety
/// `d` is a live dict; the outs point to its key and value words.
pub unsafe extern "C" fn numlir_dict_popitem(d: *mut DictBlock, key_out: *mut u64, value_out: *mut u64) -> i64 {
    let d = &mut *d;
    let Some(e) = (0..d.entry_count()).rev().find(|&e| d.live[e]) else { return 0 };
    d.remove(e);
    std::ptr::copy_nonoverlapping(d.key(e).as_ptr(), key_out, d.key_words);
    std::ptr::copy_nonoverlapping(d.value(e).as_ptr(), value_out, d.value_words);
    1
}

/// The entry at or after `cursor`: its key and value copied out (no references taken: the
/// caller takes its own), and the cursor after it; -1 when there is none.
///
/// # Safety
/// `d` is a live dict; the outs point to its key and value words.
pub unsafe extern "C" fn numlir_dict_next(d: *mut DictBlock, cursor: i64, key_out: *mut u64, value_out: *mut u64) -> i64 {
    let d = &*d;
    let mut e = cursor.max(0) as usize;
    while e < d.entry_count() && !d.live[e] {
        e += 1;
    }
    if e >= d.entry_count() {
        return -1;
    }
    std::ptr::copy_nonoverlapping(d.key(e).as_ptr(), key_out, d.key_words);
    std::ptr::copy_nonoverlapping(d.value(e).as_ptr(), value_out, d.value_words);
    e as i64 + 1
}

/// # Safety
/// `d` is a live dict.
pub unsafe extern "C" fn numlir_dict_clear(d: *mut DictBlock) {
    let d = &mut *d;
    for e in 0..d.entry_count() {
        if d.live[e] {
            d.release_entry(e);
        }
    }
    d.entries = Table::with_capacity(0);
    d.live.clear();
    d.index = Table::filled(EMPTY, 8);
    d.len = 0;
}

/// `d.update(other)`: each of other's entries set in `d`, in order.
///
/// # Safety
/// Both are live dicts of one key and value layout.
pub unsafe extern "C" fn numlir_dict_update(d: *mut DictBlock, other: *mut DictBlock) {
    let entries: Vec<Vec<u64>> = {
        let o = &*other;
        (0..o.entry_count()).filter(|&e| o.live[e]).map(|e| o.item(e).to_vec()).collect()
    };
    let d = &mut *d;
    for entry in entries {
        let (key, value) = entry.split_at(d.key_words);
        d.set(key, value);
    }
}

/// A new dict with `d`'s entries.
///
/// # Safety
/// `d` is a live dict.
pub unsafe extern "C" fn numlir_dict_copy(d: *mut DictBlock) -> *mut DictBlock {
    let src = &*d;
    let out = numlir_dict_new(src.key_words as i64, src.value_words as i64, src.key_kinds, src.key_counted, src.value_counted);
    numlir_dict_update(out, d);
    out
}

/// The number of `a`'s keys that are in `b` (sets: subset, superset and equality tests).
///
/// # Safety
/// Both are live dicts of one key layout.
pub unsafe extern "C" fn numlir_set_common(a: *mut DictBlock, b: *mut DictBlock) -> i64 {
    let (a, b) = (&*a, &*b);
    (0..a.entry_count())
        .filter(|&e| a.live[e] && b.lookup(a.key(e)).is_some())
        .count() as i64
}

/// A new set from two: 1 their intersection, 2 `a` without `b`'s keys, 3 the keys in just
/// one of them (each in `a`'s order, then `b`'s).
///
/// # Safety
/// Both are live sets (dicts without values) of one key layout.
pub unsafe extern "C" fn numlir_set_combine(a: *mut DictBlock, b: *mut DictBlock, kind: i64) -> *mut DictBlock {
    let (ra, rb) = (&*a, &*b);
    let out = numlir_dict_new(ra.key_words as i64, 0, ra.key_kinds, ra.key_counted, std::ptr::null());
    let keys = |d: &DictBlock| -> Vec<Vec<u64>> {
        (0..d.entry_count()).filter(|&e| d.live[e]).map(|e| d.key(e).to_vec()).collect()
    };
    for key in keys(ra) {
        let in_b = rb.lookup(&key).is_some();
        if (kind == 1) == in_b {
            (*out).set(&key, &[]);
        }
    }
    if kind == 3 {
        for key in keys(rb) {
            if ra.lookup(&key).is_none() {
                (*out).set(&key, &[]);
            }
        }
    }
    out
}

/// `a &= b`, `a -= b`, `a ^= b`: `a`'s keys become those of numlir_set_combine.
///
/// # Safety
/// Both are live sets of one key layout.
pub unsafe extern "C" fn numlir_set_combine_into(a: *mut DictBlock, b: *mut DictBlock, kind: i64) {
    let combined = numlir_set_combine(a, b, kind);
    numlir_dict_clear(a);
    numlir_dict_update(a, combined);
    release(combined as *mut Counted);
}

/// Sets `key` to `value`, whose references are the caller's to give (a value boxed from
/// Python): the dict keeps them.
///
/// # Safety
/// `d` is a live dict; the words are of its key and value layouts.
pub unsafe fn dict_set_owned(d: *mut DictBlock, key: &[u64], value: &[u64]) {
    let d = &mut *d;
    d.set(key, value);
    change_counts(key, d.key_counted, false);
    change_counts(value, d.value_counted, false);
}

/// The value words of `key` (no references taken), or none.
///
/// # Safety
/// `d` is a live dict, unchanged while the result is used.
pub unsafe fn dict_value<'a>(d: *const DictBlock, key: &[u64]) -> Option<&'a [u64]> {
    let d = &*d;
    let e = d.lookup(key)?;
    Some(std::slice::from_raw_parts(d.value(e).as_ptr(), d.value_words))
}

/// The live entries' key and value words, in order (for boxing a returned dict).
///
/// # Safety
/// `d` is a live dict, unchanged while the result is used.
pub unsafe fn dict_entries<'a>(d: *const DictBlock) -> Vec<(&'a [u64], &'a [u64])> {
    let d = &*d;
    (0..d.entry_count())
        .filter(|&e| d.live[e])
        .map(|e| {
            let item: &'a [u64] = std::slice::from_raw_parts(d.item(e).as_ptr(), d.key_words + d.value_words);
            item.split_at(d.key_words)
        })
        .collect()
}

/// The runtime functions above, by the names compiled code calls them.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("numlir_dict_new", numlir_dict_new as *mut ()),
        ("numlir_dict_set", numlir_dict_set as *mut ()),
        ("numlir_dict_get", numlir_dict_get as *mut ()),
        ("numlir_dict_contains", numlir_dict_contains as *mut ()),
        ("numlir_dict_del", numlir_dict_del as *mut ()),
        ("numlir_dict_pop", numlir_dict_pop as *mut ()),
        ("numlir_dict_popitem", numlir_dict_popitem as *mut ()),
        ("numlir_dict_next", numlir_dict_next as *mut ()),
        ("numlir_dict_clear", numlir_dict_clear as *mut ()),
        ("numlir_dict_update", numlir_dict_update as *mut ()),
        ("numlir_dict_copy", numlir_dict_copy as *mut ()),
        ("numlir_set_common", numlir_set_common as *mut ()),
        ("numlir_set_combine", numlir_set_combine as *mut ()),
        ("numlir_set_combine_into", numlir_set_combine_into as *mut ()),
    ]
}
