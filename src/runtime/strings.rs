//! The str blocks compiled code makes and reads (py-to-std's Strings.cpp has the layout):
//! counted as lists are (the same header), immutable, and stored as CPython stores text
//! (PEP 393): one, two or four bytes a character, the narrowest that holds the widest one.
//! That width is canonical, so equal strings have equal bytes and hash alike. Literals
//! and one-character strings are made once for the process and never freed.
//!
//! Compiled code reads the length (word 2) inline; everything else is a call here. A
//! function that raises records the exception (errors::fail) and returns null (or
//! `FAILED` where it returns an int); compiled code then raises it.
use super::{
    errors::fail,
    lists::{list_items, list_items_mut, new_list_block, Counted, ListBlock},
};
use std::{
    alloc::{alloc, dealloc, handle_alloc_error, Layout},
    hash::Hasher,
    sync::{
        atomic::{AtomicU64, Ordering},
        OnceLock,
    },
};

/// A str block: the counted header, then the fields compiled code reads by word offset,
/// then the characters (from word 5).
#[repr(C)]
pub struct StrBlock {
    header: Counted,
    pub len: i64,
    /// Bytes a character: 1, 2 or 4.
    pub kind: i64,
    /// The hash once computed (never 0), else 0.
    hash: AtomicU64,
}

/// Bytes before the characters.
const HEADER: usize = std::mem::size_of::<StrBlock>();
/// What an int-returning function that raised returns.
pub const FAILED: i64 = i64::MIN;

/// The characters of a str, in its width.
pub enum Units<'a> {
    One(&'a [u8]),
    Two(&'a [u16]),
    Four(&'a [u32]),
}

impl StrBlock {
    pub fn units(&self) -> Units<'_> {
        let n = self.len as usize;
        // SAFETY: a block holds len characters of its kind after the header.
        unsafe {
            let data = (self as *const Self as *const u8).add(HEADER);
            match self.kind {
                1 => Units::One(std::slice::from_raw_parts(data, n)),
                2 => Units::Two(std::slice::from_raw_parts(data as *const u16, n)),
                _ => Units::Four(std::slice::from_raw_parts(data as *const u32, n)),
            }
        }
    }

    /// The bytes of the characters (as CPython's PyUnicode_DATA).
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: as in units().
        unsafe { std::slice::from_raw_parts((self as *const Self as *const u8).add(HEADER), self.len as usize * self.kind as usize) }
    }

    pub fn chars(&self) -> Vec<u32> {
        match self.units() {
            Units::One(u) => u.iter().map(|&c| c as u32).collect(),
            Units::Two(u) => u.iter().map(|&c| c as u32).collect(),
            Units::Four(u) => u.to_vec(),
        }
    }

    fn char_at(&self, i: usize) -> u32 {
        match self.units() {
            Units::One(u) => u[i] as u32,
            Units::Two(u) => u[i] as u32,
            Units::Four(u) => u[i],
        }
    }

    pub fn to_string(&self) -> String {
        self.chars().iter().map(|&c| char::from_u32(c).unwrap_or('\u{fffd}')).collect()
    }

    pub fn hash(&self) -> u64 {
        let h = self.hash.load(Ordering::Relaxed);
        if h != 0 {
            return h;
        }
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(self.bytes());
        let h = hasher.finish().max(1);
        self.hash.store(h, Ordering::Relaxed);
        h
    }
}

fn layout(bytes: usize) -> Layout {
    Layout::from_size_align(HEADER + bytes.max(1), 8).expect("str too large")
}

unsafe extern "C" fn free_str(block: *mut Counted) {
    let s = &*(block as *const StrBlock);
    let bytes = s.len as usize * s.kind as usize;
    dealloc(block as *mut u8, layout(bytes));
}

/// A new block of `len` characters of width `kind` (count 1) whose characters the caller
/// writes next.
fn alloc_str(len: usize, kind: usize) -> *mut StrBlock {
    let l = layout(len * kind);
    // SAFETY: the layout is never empty.
    let p = unsafe { alloc(l) } as *mut StrBlock;
    if p.is_null() {
        handle_alloc_error(l);
    }
    // SAFETY: p is a fresh allocation large enough for the header.
    unsafe {
        p.write(StrBlock { header: Counted::new(free_str), len: len as i64, kind: kind as i64, hash: AtomicU64::new(0) });
    }
    p
}

fn data_mut<'a>(s: *mut StrBlock) -> &'a mut [u8] {
    // SAFETY: s is a block made by alloc_str, not shared yet.
    unsafe {
        let n = (*s).len as usize * (*s).kind as usize;
        std::slice::from_raw_parts_mut((s as *mut u8).add(HEADER), n)
    }
}

/// A str of these characters, in the narrowest width.
pub fn str_from_chars(chars: &[u32]) -> *mut StrBlock {
    let widest = chars.iter().copied().max().unwrap_or(0);
    if chars.len() == 1 && widest < 256 {
        return one_char(widest);
    }
    let kind = if widest < 256 { 1 } else if widest < 65536 { 2 } else { 4 };
    let s = alloc_str(chars.len(), kind);
    let data = data_mut(s);
    for (i, &c) in chars.iter().enumerate() {
        match kind {
            1 => data[i] = c as u8,
            2 => data[2 * i..2 * i + 2].copy_from_slice(&(c as u16).to_ne_bytes()),
            _ => data[4 * i..4 * i + 4].copy_from_slice(&c.to_ne_bytes()),
        }
    }
    s
}

/// A str of one-byte characters.
pub fn str_from_latin1(bytes: &[u8]) -> *mut StrBlock {
    if bytes.len() == 1 {
        return one_char(bytes[0] as u32);
    }
    let s = alloc_str(bytes.len(), 1);
    data_mut(s).copy_from_slice(bytes);
    s
}

/// A str of Rust text.
pub fn str_from_text(text: &str) -> *mut StrBlock {
    if text.is_ascii() {
        return str_from_latin1(text.as_bytes());
    }
    str_from_chars(&text.chars().map(|c| c as u32).collect::<Vec<_>>())
}

/// A character of one of the three widths.
pub trait Unit: Copy + Into<u32> {}
impl Unit for u8 {}
impl Unit for u16 {}
impl Unit for u32 {}

/// A str of characters of one width (CPython's data, a piece of a block), in the narrowest
/// width that holds them: copied as they are when that is their own width.
pub fn str_from_units<T: Unit>(units: &[T]) -> *mut StrBlock {
    let widest = units.iter().map(|&c| c.into()).max().unwrap_or(0);
    let kind = if widest < 256 { 1 } else if widest < 65536 { 2 } else { 4 };
    if kind == std::mem::size_of::<T>() && units.len() != 1 {
        let s = alloc_str(units.len(), kind);
        // SAFETY: the block holds len characters of this width; T is that width.
        unsafe { std::ptr::copy_nonoverlapping(units.as_ptr() as *const u8, data_mut(s).as_mut_ptr(), units.len() * kind) };
        return s;
    }
    str_from_chars(&units.iter().map(|&c| c.into()).collect::<Vec<u32>>())
}

/// The words of `units` (split on runs of whitespace) as strings, at most `limit` splits
/// (the rest is the last word, as it is).
fn split_words<T: Unit>(units: &[T], limit: usize) -> Vec<*mut StrBlock> {
    let mut parts = Vec::new();
    let space = |c: T| is_space(c.into());
    let mut i = 0;
    while i < units.len() {
        while i < units.len() && space(units[i]) {
            i += 1;
        }
        if i == units.len() {
            break;
        }
        if parts.len() == limit {
            parts.push(str_from_units(&units[i..]));
            break;
        }
        let start = i;
        while i < units.len() && !space(units[i]) {
            i += 1;
        }
        parts.push(str_from_units(&units[start..i]));
    }
    parts
}

/// The block of a literal `text` (UTF-8 bytes): one per distinct text for the process,
/// never freed, so that a container may hold it after the code that made it is unloaded.
pub unsafe extern "C" fn numlir_str_intern(text: *const u8, len: i64) -> *mut StrBlock {
    use std::{collections::HashMap, sync::Mutex};
    static LITERALS: Mutex<Option<HashMap<Vec<u8>, usize>>> = Mutex::new(None);
    let bytes = std::slice::from_raw_parts(text, len as usize);
    let mut table = LITERALS.lock().unwrap();
    *table.get_or_insert_with(HashMap::new).entry(bytes.to_vec()).or_insert_with(|| {
        let s = str_from_text(std::str::from_utf8(bytes).unwrap_or(""));
        super::lists::retain_forever(s as *mut Counted);
        s as usize
    }) as *mut StrBlock
}

/// The 256 one-character strings of width 1, made once and never freed (as CPython's).
fn one_char(c: u32) -> *mut StrBlock {
    static TABLE: OnceLock<Vec<usize>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..256u32)
            .map(|c| {
                let s = alloc_str(1, 1);
                data_mut(s)[0] = c as u8;
                // SAFETY: s is fresh; the extra count keeps it alive for the process.
                unsafe { super::lists::retain_forever(s as *mut Counted) };
                s as usize
            })
            .collect()
    });
    let s = table[c as usize] as *mut StrBlock;
    // SAFETY: a table entry is a live block; the caller gets a reference.
    unsafe { super::lists::retain(s as *mut Counted) };
    s
}

unsafe fn block<'a>(s: *const StrBlock) -> &'a StrBlock {
    &*s
}

/// Python's str.isspace of one character.
fn is_space(c: u32) -> bool {
    matches!(c, 0x09..=0x0d | 0x1c..=0x20) || (c > 0x7f && char::from_u32(c).is_some_and(char::is_whitespace))
}

fn to_char(c: u32) -> char {
    char::from_u32(c).unwrap_or('\u{fffd}')
}

pub fn str_eq(a: &StrBlock, b: &StrBlock) -> bool {
    std::ptr::eq(a, b) || (a.len == b.len && a.kind == b.kind && a.bytes() == b.bytes())
}

pub fn str_cmp(a: &StrBlock, b: &StrBlock) -> std::cmp::Ordering {
    if a.kind == 1 && b.kind == 1 {
        return a.bytes().cmp(b.bytes());
    }
    a.chars().cmp(&b.chars())
}

/// The start of `needle` in `hay[from..to]` (characters), first or last.
fn find_in(hay: &[u32], needle: &[u32], from: usize, to: usize, last: bool) -> Option<usize> {
    if from > to || to - from < needle.len() {
        return None;
    }
    let window = &hay[from..to];
    let hit = |i: &usize| window[*i..*i + needle.len()] == *needle;
    let starts = 0..=window.len() - needle.len();
    if last { starts.rev().find(hit) } else { starts.into_iter().find(hit) }.map(|i| i + from)
}

/// Python's start/end arguments of find, count, startswith: `FAILED` when not given.
fn span(len: usize, start: i64, end: i64) -> (usize, usize) {
    let clamp = |v: i64, default: usize| {
        if v == FAILED {
            return default;
        }
        let v = if v < 0 { v + len as i64 } else { v };
        v.clamp(0, len as i64) as usize
    };
    (clamp(start, 0), clamp(end, len))
}

// ----- What compiled code calls -----

/// `a + b`.
pub unsafe extern "C" fn numlir_str_concat(a: *const StrBlock, b: *const StrBlock) -> *mut StrBlock {
    let (a, b) = (block(a), block(b));
    if a.kind == 1 && b.kind == 1 {
        return str_from_latin1(&[a.bytes(), b.bytes()].concat());
    }
    str_from_chars(&[a.chars(), b.chars()].concat())
}

/// The strings of `pieces` joined (an f-string's parts).
pub unsafe extern "C" fn numlir_str_build(pieces: *const *const StrBlock, n: i64) -> *mut StrBlock {
    let pieces = std::slice::from_raw_parts(pieces, n as usize);
    join(pieces.iter().map(|&p| block(p)), &[])
}

fn join<'a>(pieces: impl Iterator<Item = &'a StrBlock> + Clone, sep: &[u32]) -> *mut StrBlock {
    let narrow = sep.iter().all(|&c| c < 256) && pieces.clone().all(|p| p.kind == 1);
    if narrow {
        let sep: Vec<u8> = sep.iter().map(|&c| c as u8).collect();
        let mut out = Vec::new();
        for (i, p) in pieces.enumerate() {
            if i > 0 {
                out.extend_from_slice(&sep);
            }
            out.extend_from_slice(p.bytes());
        }
        return str_from_latin1(&out);
    }
    let mut out = Vec::new();
    for (i, p) in pieces.enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        out.extend(p.chars());
    }
    str_from_chars(&out)
}

/// `s * n`.
pub unsafe extern "C" fn numlir_str_repeat(s: *const StrBlock, n: i64) -> *mut StrBlock {
    let s = block(s);
    str_from_chars(&s.chars().repeat(n.max(0) as usize))
}

pub unsafe extern "C" fn numlir_str_eq(a: *const StrBlock, b: *const StrBlock) -> i64 {
    str_eq(block(a), block(b)) as i64
}

/// -1, 0 or 1 as `a` sorts before, with or after `b` (by code point, as Python's).
pub unsafe extern "C" fn numlir_str_cmp(a: *const StrBlock, b: *const StrBlock) -> i64 {
    str_cmp(block(a), block(b)) as i64
}

/// `s[i]`, with `i` already in range.
pub unsafe extern "C" fn numlir_str_getitem(s: *const StrBlock, i: i64) -> *mut StrBlock {
    let s = block(s);
    str_from_chars(&[s.char_at(i as usize)])
}

thread_local! {
    /// The character str numlir_str_char gave last on this thread, which it holds.
    static LAST_CHAR: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `s[i]` for iteration: a str the runtime holds until its next call on this thread (the
/// loop takes its own reference at once); null when `i` is outside `s`.
pub unsafe extern "C" fn numlir_str_char(s: *const StrBlock, i: i64) -> *mut StrBlock {
    let s = block(s);
    if i < 0 || i >= s.len {
        return std::ptr::null_mut();
    }
    let c = str_from_chars(&[s.char_at(i as usize)]);
    let previous = LAST_CHAR.with(|l| l.replace(c as usize));
    if previous != 0 {
        super::lists::release(previous as *mut Counted);
    }
    c
}

/// `s[start:stop:step]` (bounds as in the list version).
pub unsafe extern "C" fn numlir_str_slice(s: *const StrBlock, start: i64, stop: i64, step: i64, has_start: i64, has_stop: i64) -> *mut StrBlock {
    let s = block(s);
    let (lo, step, count) = super::lists::slice_range(s.len, start, stop, step, has_start, has_stop);
    if step == 1 && s.kind == 1 {
        return str_from_latin1(&s.bytes()[lo as usize..(lo + count) as usize]);
    }
    let chars: Vec<u32> = (0..count).map(|k| s.char_at((lo + k * step) as usize)).collect();
    str_from_chars(&chars)
}

/// `needle in hay`.
pub unsafe extern "C" fn numlir_str_contains(hay: *const StrBlock, needle: *const StrBlock) -> i64 {
    let (hay, needle) = (block(hay), block(needle));
    if hay.kind == 1 && needle.kind == 1 {
        return memchr::memmem::find(hay.bytes(), needle.bytes()).is_some() as i64;
    }
    let h = hay.chars();
    find_in(&h, &needle.chars(), 0, h.len(), false).is_some() as i64
}

/// find (which 0), rfind (1), index (2), rindex (3) of `sub` in `s[start:end]`.
pub unsafe extern "C" fn numlir_str_find(s: *const StrBlock, sub: *const StrBlock, start: i64, end: i64, which: i64) -> i64 {
    let (s, sub) = (block(s), block(sub));
    let chars = s.chars();
    let (from, to) = span(chars.len(), start, end);
    match find_in(&chars, &sub.chars(), from, to, which % 2 == 1) {
        Some(i) => i as i64,
        None if which >= 2 => {
            fail("ValueError", "substring not found");
            FAILED
        }
        None => -1,
    }
}

/// `s.count(sub, start, end)`: non-overlapping occurrences.
pub unsafe extern "C" fn numlir_str_count(s: *const StrBlock, sub: *const StrBlock, start: i64, end: i64) -> i64 {
    let (s, sub) = (block(s), block(sub));
    let (chars, sub) = (s.chars(), sub.chars());
    let (mut from, to) = span(chars.len(), start, end);
    if sub.is_empty() {
        return if from <= to { (to - from + 1) as i64 } else { 0 };
    }
    let mut n = 0;
    while let Some(i) = find_in(&chars, &sub, from, to, false) {
        n += 1;
        from = i + sub.len();
    }
    n
}

/// startswith (which 0) or endswith (1) of `affix` within `s[start:end]`.
pub unsafe extern "C" fn numlir_str_affix(s: *const StrBlock, affix: *const StrBlock, start: i64, end: i64, which: i64) -> i64 {
    let (s, affix) = (block(s), block(affix));
    let (chars, affix) = (s.chars(), affix.chars());
    let (from, to) = span(chars.len(), start, end);
    if start != FAILED && from > chars.len() || from > to || to - from < affix.len() {
        return 0;
    }
    let window = &chars[from..to];
    (if which == 0 { window.starts_with(&affix) } else { window.ends_with(&affix) }) as i64
}

/// `s.replace(old, new, count)` (count < 0: all).
pub unsafe extern "C" fn numlir_str_replace(s: *const StrBlock, old: *const StrBlock, new: *const StrBlock, count: i64) -> *mut StrBlock {
    let (s, old, new) = (block(s).chars(), block(old).chars(), block(new).chars());
    let limit = if count == FAILED || count < 0 { usize::MAX } else { count as usize };
    let mut out = Vec::with_capacity(s.len());
    let (mut at, mut done) = (0, 0);
    if old.is_empty() {
        // Python inserts `new` before each character and at the end.
        for &c in &s {
            if done < limit {
                out.extend_from_slice(&new);
                done += 1;
            }
            out.push(c);
        }
        if done < limit {
            out.extend_from_slice(&new);
        }
        return str_from_chars(&out);
    }
    while done < limit {
        let Some(i) = find_in(&s, &old, at, s.len(), false) else { break };
        out.extend_from_slice(&s[at..i]);
        out.extend_from_slice(&new);
        at = i + old.len();
        done += 1;
    }
    out.extend_from_slice(&s[at..]);
    str_from_chars(&out)
}

/// strip (which 0), lstrip (1) or rstrip (2) of whitespace (`chars` null) or of `chars`.
pub unsafe extern "C" fn numlir_str_strip(s: *const StrBlock, chars: *const StrBlock, which: i64) -> *mut StrBlock {
    let text = block(s).chars();
    let set = if chars.is_null() { None } else { Some(block(chars).chars()) };
    let strip = |c: &u32| match &set {
        None => is_space(*c),
        Some(set) => set.contains(c),
    };
    let start = if which == 2 { 0 } else { text.iter().position(|c| !strip(c)).unwrap_or(text.len()) };
    let end = if which == 1 { text.len() } else { text.iter().rposition(|c| !strip(c)).map_or(start, |i| i + 1) };
    str_from_chars(&text[start..end.max(start)])
}

/// upper (0), lower (1), capitalize (2), title (3), swapcase (4).
pub unsafe extern "C" fn numlir_str_case(s: *const StrBlock, which: i64) -> *mut StrBlock {
    let s = block(s);
    if s.kind == 1 && s.bytes().is_ascii() && which <= 1 {
        let b = s.bytes();
        return str_from_latin1(&if which == 0 { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() });
    }
    let text = s.to_string();
    let out: String = match which {
        0 => text.to_uppercase(),
        1 => text.to_lowercase(),
        2 => {
            let mut cs = text.chars();
            match cs.next() {
                Some(first) => title_case(first) + &cs.as_str().to_lowercase(),
                None => String::new(),
            }
        }
        3 => {
            // Python's title(): a letter after a cased letter is lowered, else raised.
            let mut out = String::new();
            let mut previous_cased = false;
            for c in text.chars() {
                if previous_cased {
                    out.extend(c.to_lowercase());
                } else {
                    out.push_str(&title_case(c));
                }
                previous_cased = c.is_lowercase() || c.is_uppercase();
            }
            out
        }
        _ => text
            .chars()
            .flat_map(|c| -> Vec<char> {
                if c.is_uppercase() {
                    c.to_lowercase().collect()
                } else if c.is_lowercase() {
                    c.to_uppercase().collect()
                } else {
                    vec![c]
                }
            })
            .collect(),
    };
    str_from_text(&out)
}

/// The title case of a character (what capitalize() and title() give a word's first
/// letter): its upper case, but the digraphs have title forms of their own (Dž) and a
/// letter whose upper case is two keeps the second lower (ß -> Ss, ﬁ -> Fi).
fn title_case(c: char) -> String {
    match c as u32 {
        0x01c4..=0x01c6 => '\u{01c5}'.to_string(),
        0x01c7..=0x01c9 => '\u{01c8}'.to_string(),
        0x01ca..=0x01cc => '\u{01cb}'.to_string(),
        0x01f1..=0x01f3 => '\u{01f2}'.to_string(),
        _ => {
            let upper: String = c.to_uppercase().collect();
            let mut chars = upper.chars();
            match (chars.next(), chars.as_str()) {
                (Some(first), rest) if !rest.is_empty() => format!("{first}{}", rest.to_lowercase()),
                _ => upper,
            }
        }
    }
}

/// isdigit (0), isalpha (1), isspace (2), isalnum (3), isupper (4), islower (5),
/// isdecimal (6), isnumeric (7).
pub unsafe extern "C" fn numlir_str_is(s: *const StrBlock, which: i64) -> i64 {
    let chars = block(s).chars();
    if chars.is_empty() {
        return 0;
    }
    // Non-ASCII digits count by Unicode's numeric property (wider than CPython's isdigit for
    // fractions such as '½').
    let cs = chars.iter().map(|&c| to_char(c));
    (match which {
        0 | 6 | 7 => cs.clone().all(|c| c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())),
        1 => cs.clone().all(char::is_alphabetic),
        2 => chars.iter().all(|&c| is_space(c)),
        3 => cs.clone().all(|c| c.is_alphanumeric()),
        4 | 5 => {
            let cased = cs.clone().filter(|c| c.is_uppercase() || c.is_lowercase()).count();
            cased > 0 && cs.clone().all(|c| if which == 4 { !c.is_lowercase() } else { !c.is_uppercase() })
        }
        _ => false,
    }) as i64
}

/// zfill (which 0), ljust (1), rjust (2), center (3) to `width`, padding with `fill`
/// (a one-character str, or null for a space).
pub unsafe extern "C" fn numlir_str_pad(s: *const StrBlock, width: i64, fill: *const StrBlock, which: i64) -> *mut StrBlock {
    let chars = block(s).chars();
    let fill = if fill.is_null() {
        ' ' as u32
    } else {
        let f = block(fill);
        if f.len != 1 {
            fail("TypeError", "The fill character must be exactly one character long");
            return std::ptr::null_mut();
        }
        f.char_at(0)
    };
    let n = chars.len();
    let extra = (width.max(0) as usize).saturating_sub(n);
    let out: Vec<u32> = match which {
        0 => {
            let signed = chars.first().is_some_and(|&c| c == '+' as u32 || c == '-' as u32);
            let (sign, rest) = chars.split_at(signed as usize);
            [sign, &vec!['0' as u32; extra], rest].concat()
        }
        1 => [chars.clone(), vec![fill; extra]].concat(),
        2 => [vec![fill; extra], chars.clone()].concat(),
        _ => {
            // CPython's center: the odd pad goes left when the width is odd.
            let left = extra / 2 + (extra & width as usize & 1);
            [vec![fill; left], chars.clone(), vec![fill; extra - left]].concat()
        }
    };
    str_from_chars(&out)
}

/// `s.zfill(width)`.
pub unsafe extern "C" fn numlir_str_zfill(s: *const StrBlock, width: i64) -> *mut StrBlock {
    numlir_str_pad(s, width, std::ptr::null(), 0)
}

/// The counted table of a list of strings: its one word is a counted pointer.
pub static STR_ITEM_COUNTED: [i64; 2] = [1, 0];

fn list_of(strings: Vec<*mut StrBlock>) -> *mut ListBlock {
    let list = new_list_block(strings.len() as i64, 1, STR_ITEM_COUNTED.as_ptr());
    // SAFETY: a fresh list of that many one-word items.
    let (items, _, _) = unsafe { list_items_mut(list) };
    for (i, s) in strings.into_iter().enumerate() {
        items[i] = s as u64;
    }
    list
}

/// `s.split(sep, maxsplit)`: on runs of whitespace when `sep` is null; `rsplit` when
/// `from_right`.
pub unsafe extern "C" fn numlir_str_split(s: *const StrBlock, sep: *const StrBlock, maxsplit: i64, from_right: i64) -> *mut ListBlock {
    let s = block(s);
    let limit = if maxsplit == FAILED || maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let mut parts = Vec::new();
    if sep.is_null() {
        if from_right == 0 {
            // The common case (text.split()): words in the text's own width.
            return list_of(match s.units() {
                Units::One(u) => split_words(u, limit),
                Units::Two(u) => split_words(u, limit),
                Units::Four(u) => split_words(u, limit),
            });
        }
        let mut chars = s.chars();
        if from_right != 0 {
            chars.reverse();
        }
        let mut i = 0;
        while i < chars.len() {
            while i < chars.len() && is_space(chars[i]) {
                i += 1;
            }
            if i == chars.len() {
                break;
            }
            let start = i;
            if parts.len() == limit {
                i = chars.len(); // the rest, as it is
            } else {
                while i < chars.len() && !is_space(chars[i]) {
                    i += 1;
                }
            }
            let mut piece = chars[start..i].to_vec();
            if from_right != 0 {
                piece.reverse();
            }
            parts.push(str_from_chars(&piece));
            if i == chars.len() || parts.len() > limit {
                break;
            }
        }
        if from_right != 0 {
            parts.reverse();
        }
        return list_of(parts);
    }
    let sep = block(sep).chars();
    if sep.is_empty() {
        fail("ValueError", "empty separator");
        return std::ptr::null_mut();
    }
    let chars = s.chars();
    if from_right == 0 {
        let mut at = 0;
        while parts.len() < limit {
            let Some(i) = find_in(&chars, &sep, at, chars.len(), false) else { break };
            parts.push(str_from_chars(&chars[at..i]));
            at = i + sep.len();
        }
        parts.push(str_from_chars(&chars[at..]));
    } else {
        let mut end = chars.len();
        while parts.len() < limit {
            let Some(i) = find_in(&chars, &sep, 0, end, true) else { break };
            parts.push(str_from_chars(&chars[i + sep.len()..end]));
            end = i;
        }
        parts.push(str_from_chars(&chars[..end]));
        parts.reverse();
    }
    list_of(parts)
}

/// `sep.join(strings)`, a list of strings.
pub unsafe extern "C" fn numlir_str_join(sep: *const StrBlock, list: *const ListBlock) -> *mut StrBlock {
    let (words, len, _) = list_items(list);
    let pieces = words[..len].iter().map(|&w| block(w as *const StrBlock));
    join(pieces, &block(sep).chars())
}

/// str(i).
pub extern "C" fn numlir_str_from_int(i: i64) -> *mut StrBlock {
    str_from_latin1(i.to_string().as_bytes())
}

/// str(b).
pub extern "C" fn numlir_str_from_bool(b: i64) -> *mut StrBlock {
    str_from_latin1(if b != 0 { b"True" } else { b"False" })
}

/// str(x) and repr(x) of a float, as Python writes it: the shortest text that reads back
/// as x, in positional notation from 1e-4 up to 1e16 and in exponent notation beyond.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sci = format!("{x:e}"); // shortest digits: "-1.2345e-7"
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("an exponent");
    let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(-point as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        return format!("{sign}{text}");
    }
    let mantissa = if digits.len() > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits };
    format!("{sign}{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// str(x) of a float.
pub extern "C" fn numlir_str_from_float(x: f64) -> *mut StrBlock {
    str_from_latin1(float_repr(x).as_bytes())
}

/// repr(s): quoted as Python quotes it.
pub unsafe extern "C" fn numlir_str_repr(s: *const StrBlock) -> *mut StrBlock {
    str_from_text(&repr_text(&block(s).to_string()))
}

pub fn repr_text(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (0x80..0xa0).contains(&(c as u32)) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// int(s): 1 and the value in `out`, or 0 after recording the ValueError.
pub unsafe extern "C" fn numlir_str_to_int(s: *const StrBlock, out: *mut i64) -> i64 {
    let text = block(s).to_string();
    let bad = || fail("ValueError", &format!("invalid literal for int() with base 10: {}", repr_text(&text)));
    let t = text.trim_matches(|c| is_space(c as u32));
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    // Underscores only between digits, as Python's int() takes them.
    let valid = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c == '_' || c.to_digit(10).is_some());
    if !valid {
        bad();
        return 0;
    }
    let mut value: i64 = 0;
    for c in digits.chars().filter(|c| *c != '_') {
        let d = c.to_digit(10).unwrap() as i64;
        let next = value.checked_mul(10).and_then(|v| if negative { v.checked_sub(d) } else { v.checked_add(d) });
        match next {
            Some(v) => value = v,
            None => {
                fail("OverflowError", "int too large to convert to int64");
                return 0;
            }
        }
    }
    *out = value;
    1
}

/// float(s): 1 and the value in `out`, or 0 after recording the ValueError.
pub unsafe extern "C" fn numlir_str_to_float(s: *const StrBlock, out: *mut f64) -> i64 {
    let text = block(s).to_string();
    let t = text.trim_matches(|c| is_space(c as u32));
    let plain: String = t.chars().filter(|c| *c != '_').collect();
    let underscores_ok = !t.contains('_')
        || t.char_indices().filter(|(_, c)| *c == '_').all(|(i, _)| {
            let before = t[..i].chars().last().is_some_and(|c| c.is_ascii_digit());
            let after = t[i + 1..].chars().next().is_some_and(|c| c.is_ascii_digit());
            before && after
        });
    let lower = plain.to_ascii_lowercase();
    let word = lower.trim_start_matches(['+', '-']);
    let special = matches!(word, "inf" | "infinity" | "nan");
    let numeric = plain.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
    match plain.parse::<f64>() {
        Ok(v) if underscores_ok && (special || numeric) => {
            *out = v;
            1
        }
        _ => {
            fail("ValueError", &format!("could not convert string to float: {}", repr_text(&text)));
            0
        }
    }
}

/// ord(s): the code point of a one-character str.
pub unsafe extern "C" fn numlir_str_ord(s: *const StrBlock) -> i64 {
    let s = block(s);
    if s.len != 1 {
        fail("TypeError", &format!("ord() expected a character, but string of length {} found", s.len));
        return FAILED;
    }
    s.char_at(0) as i64
}

/// chr(i).
pub extern "C" fn numlir_str_chr(i: i64) -> *mut StrBlock {
    if !(0..0x110000).contains(&i) {
        fail("ValueError", "chr() arg not in range(0x110000)");
        return std::ptr::null_mut();
    }
    str_from_chars(&[i as u32])
}

/// format(x, spec) of an int, a float (`is_float`, the value's bits in `bits`), a bool or a
/// str (`text`); null after recording the ValueError of a bad spec.
pub unsafe extern "C" fn numlir_str_format(kind: i64, bits: i64, text: *const StrBlock, spec: *const StrBlock) -> *mut StrBlock {
    let spec = if spec.is_null() { String::new() } else { block(spec).to_string() };
    let value = match kind {
        0 => super::format::Value::Int(bits),
        1 => super::format::Value::Float(f64::from_bits(bits as u64)),
        2 => super::format::Value::Bool(bits != 0),
        _ => super::format::Value::Str(block(text).to_string()),
    };
    match super::format::format(&value, &spec) {
        Ok(s) => str_from_text(&s),
        Err(message) => {
            fail("ValueError", &message);
            std::ptr::null_mut()
        }
    }
}

/// Records `class(text)` for the raise that follows (`raise ValueError(f"...")`).
pub unsafe extern "C" fn numlir_str_raise(class: *const u8, class_len: i64, text: *const StrBlock) {
    let class = std::str::from_utf8(std::slice::from_raw_parts(class, class_len as usize)).unwrap_or("Exception");
    fail(class, &block(text).to_string());
}

/// KeyError(s) of a missing str key.
pub unsafe extern "C" fn numlir_str_key_error(s: *const StrBlock) {
    fail("KeyError", &block(s).to_string());
}

/// The runtime functions above, by the names compiled code calls them.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("numlir_str_intern", numlir_str_intern as *mut ()),
        ("numlir_str_concat", numlir_str_concat as *mut ()),
        ("numlir_str_build", numlir_str_build as *mut ()),
        ("numlir_str_repeat", numlir_str_repeat as *mut ()),
        ("numlir_str_eq", numlir_str_eq as *mut ()),
        ("numlir_str_cmp", numlir_str_cmp as *mut ()),
        ("numlir_str_getitem", numlir_str_getitem as *mut ()),
        ("numlir_str_char", numlir_str_char as *mut ()),
        ("numlir_str_slice", numlir_str_slice as *mut ()),
        ("numlir_str_contains", numlir_str_contains as *mut ()),
        ("numlir_str_find", numlir_str_find as *mut ()),
        ("numlir_str_count", numlir_str_count as *mut ()),
        ("numlir_str_affix", numlir_str_affix as *mut ()),
        ("numlir_str_replace", numlir_str_replace as *mut ()),
        ("numlir_str_strip", numlir_str_strip as *mut ()),
        ("numlir_str_case", numlir_str_case as *mut ()),
        ("numlir_str_is", numlir_str_is as *mut ()),
        ("numlir_str_pad", numlir_str_pad as *mut ()),
        ("numlir_str_zfill", numlir_str_zfill as *mut ()),
        ("numlir_str_split", numlir_str_split as *mut ()),
        ("numlir_str_join", numlir_str_join as *mut ()),
        ("numlir_str_from_int", numlir_str_from_int as *mut ()),
        ("numlir_str_from_bool", numlir_str_from_bool as *mut ()),
        ("numlir_str_from_float", numlir_str_from_float as *mut ()),
        ("numlir_str_repr", numlir_str_repr as *mut ()),
        ("numlir_str_to_int", numlir_str_to_int as *mut ()),
        ("numlir_str_to_float", numlir_str_to_float as *mut ()),
        ("numlir_str_ord", numlir_str_ord as *mut ()),
        ("numlir_str_chr", numlir_str_chr as *mut ()),
        ("numlir_str_format", numlir_str_format as *mut ()),
        ("numlir_str_key_error", numlir_str_key_error as *mut ()),
        ("numlir_str_raise", numlir_str_raise as *mut ()),
    ]
}
