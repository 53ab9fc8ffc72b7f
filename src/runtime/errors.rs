//! Exceptions raised by compiled code. A lowered function returns status n > 0 for raise
//! site n; the table (from the module's `py.raise_table`) names its class and message.

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct RaiseTable {
    sites: Vec<(String, String)>,
}

impl RaiseTable {
    pub fn new(sites: Vec<(String, String)>) -> Self {
        Self { sites }
    }

    /// The (exception class, message) of a nonzero status.
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
}
