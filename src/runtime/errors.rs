//! Exceptions raised by compiled code. A lowered function returns status n > 0 for raise
//! site n; the table (from the module's `py.raise_table`) names its class and message.

use std::cell::{Cell, RefCell};

thread_local! {
    /// The run-time values the last raise on this thread named (an index, a size).
    static DETAIL: Cell<[i64; 2]> = const { Cell::new([0; 2]) };
    /// The exception a runtime function recorded (class, message), raised by the site
    /// whose class is `RECORDED`.
    static RECORDED_ERROR: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// The class of the raise site compiled code uses after a runtime function failed: the
/// exception is the one that function recorded.
pub const RECORDED: &str = "<recorded>";

/// Records the exception a runtime function raises; compiled code sees its failure value
/// and returns the status of its `RECORDED` site.
pub fn fail(class: &str, message: &str) {
    RECORDED_ERROR.with(|r| *r.borrow_mut() = Some((class.to_string(), message.to_string())));
}

/// Called by compiled code on a raise path whose message names run-time values ({0}, {1}),
/// just before it returns the raise status.
pub extern "C" fn numlir_raise_detail(first: i64, second: i64) {
    DETAIL.with(|d| d.set([first, second]));
}

/// The values the last raise on this thread recorded (the simulator hands a kernel
/// thread's to the thread that raises its exception).
pub fn detail() -> [i64; 2] {
    DETAIL.with(Cell::get)
}

pub fn set_detail(detail: [i64; 2]) {
    DETAIL.with(|d| d.set(detail));
}

/// The class and message template of raise site `status` in a module's raise sites
/// (py-to-std's `numlir_raise_sites`: class and message of each site, NUL-terminated).
///
/// # Safety
/// `sites` is that table and `status` one of its sites.
unsafe fn site_in(sites: *const u8, status: i32) -> (String, String) {
    let mut p = sites;
    let mut next = || {
        let s = std::ffi::CStr::from_ptr(p.cast());
        p = p.add(s.to_bytes().len() + 1);
        s.to_string_lossy().into_owned()
    };
    for _ in 1..status.max(1) {
        next();
        next();
    }
    (next(), next())
}

/// The class and message of a caught exception (its status): the site's, with the values
/// it recorded filled in, or the runtime's recorded exception. The record stays: the
/// handler may raise it again.
unsafe fn caught(sites: *const u8, status: i32) -> (String, String, bool) {
    let (class, template) = site_in(sites, status);
    let (exception, message) = exception_at(&class, &template, false);
    (exception, message, class == RECORDED)
}

/// The class and message of an exception raised at a site of this class and message
/// template: the values the raise recorded in place of {0} and {1}, or for a `<recorded>`
/// site the exception the runtime recorded, taken when `take` (the dispatcher raises it)
/// and left otherwise (compiled code caught it, and may raise it again).
fn exception_at(class: &str, template: &str, take: bool) -> (String, String) {
    if class == RECORDED {
        return RECORDED_ERROR
            .with(|r| if take { r.borrow_mut().take() } else { r.borrow().clone() })
            .unwrap_or_else(|| ("SystemError".into(), "a runtime error was not recorded".into()));
    }
    if !template.contains("{0}") {
        return (class.to_string(), template.to_string());
    }
    let [first, second] = DETAIL.with(Cell::get);
    (class.to_string(), template.replace("{0}", &first.to_string()).replace("{1}", &second.to_string()))
}

/// `except (A, B):` -- whether the exception of `status` is one of `classes` (a comma list
/// of the clause's classes and their subclasses).
///
/// # Safety
/// `sites` is the module's table of raise sites; `classes` points to `classes_len` bytes.
pub unsafe extern "C" fn numlir_exc_matches(sites: *const u8, status: i32, classes: *const u8, classes_len: i64) -> bool {
    let (class, _, _) = caught(sites, status);
    let classes = std::slice::from_raw_parts(classes, classes_len as usize);
    classes.split(|&c| c == b',').any(|c| c == class.as_bytes())
}

/// `str(e)` (or `repr(e)`) of a caught exception, as a new str. A KeyError's str is its
/// key's repr, as in Python (an int key, which a site records as a number, stays bare).
///
/// # Safety
/// As `numlir_exc_matches`.
pub unsafe extern "C" fn numlir_exc_str(sites: *const u8, status: i32, repr: bool) -> *mut super::strings::StrBlock {
    let (class, message, recorded) = caught(sites, status);
    let int_key = class == "KeyError" && !recorded && message.parse::<i64>().is_ok();
    let argument = if message.is_empty() {
        String::new()
    } else if int_key {
        message.clone()
    } else {
        super::strings::repr_text(&message)
    };
    // A class of the program is named "module:qualname": its repr shows the class's name.
    let short = class.rsplit([':', '.']).next().unwrap_or(&class);
    let text = if repr {
        format!("{short}({argument})")
    } else if class == "KeyError" {
        argument
    } else {
        message
    };
    super::strings::str_from_text(&text)
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct RaiseTable {
    sites: Vec<(String, String)>,
}

impl RaiseTable {
    pub fn new(sites: Vec<(String, String)>) -> Self {
        Self { sites }
    }

    /// The (exception class, message) of a nonzero status, with the values the raise
    /// recorded (numlir_raise_detail) in place of {0} and {1}.
    pub fn raised(&self, status: i32) -> (String, String) {
        let (class, template) = self.site(status);
        exception_at(class, template, true)
    }

    /// The (exception class, message template) of a nonzero status.
    pub fn site(&self, status: i32) -> (&str, &str) {
        match usize::try_from(status).ok().and_then(|s| self.sites.get(s.wrapping_sub(1))) {
            Some((class, message)) => (class, message),
            None => ("SystemError", "compiled code returned an unknown status"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_index_sites_from_one() {
        let t = RaiseTable::new(vec![("ValueError".into(), "bad".into())]);
        assert_eq!(t.site(1), ("ValueError", "bad"));
        assert_eq!(t.site(2).0, "SystemError");
        assert_eq!(t.site(-1).0, "SystemError");
    }

    #[test]
    fn raised_messages_fill_in_recorded_values() {
        let t = RaiseTable::new(vec![("IndexError".into(), "index {0} is out of bounds for axis 1 with size {1}".into())]);
        numlir_raise_detail(-7, 3);
        assert_eq!(t.raised(1), ("IndexError".to_string(), "index -7 is out of bounds for axis 1 with size 3".to_string()));
    }
}
