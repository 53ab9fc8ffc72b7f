//! `cache=True`: machine code on disk, so that a new process links it instead of compiling.
//!
//! One file per function and signature, named `<file stem>.<qualname>-<id>.nlc`, in
//! `__pycache__` beside the source file, else in the user cache directory
//! (`NUMLIR_CACHE_DIR` overrides both). The file holds the full key of what the code was
//! compiled from (see `key.rs`); a file whose key differs is stale and is replaced.
//! Layout: magic, key, metadata length and JSON, object length and bytes, then a BLAKE3
//! checksum of everything before it, so a truncated or corrupt file is detected.
//! Files are written to a temporary file and renamed into place: two processes writing one
//! entry at once leave one of the two whole files.
pub mod key;

use crate::{
    runtime::errors::RaiseTable,
    types::{ArgType, ReturnType},
};
use serde::{Deserialize, Serialize};
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

const MAGIC: &[u8; 8] = b"NUMLIRC1";
const KEY_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the file is truncated or corrupt ({0})")]
    Corrupt(&'static str),
    #[error("its metadata does not parse: {0}")]
    Metadata(#[from] serde_json::Error),
}

/// Where one function's code for one signature is cached, and the key it must match.
#[derive(Debug, Clone)]
pub struct CacheSlot {
    pub path: PathBuf,
    pub key: [u8; KEY_BYTES],
}

/// What a cache file holds besides the object: enough to call the code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedMetadata {
    pub entry: String,
    pub args: Vec<ArgType>,
    pub ret: ReturnType,
    pub raise_table: RaiseTable,
    /// The compile's warnings and remarks (parallel_diagnostics() after a cache hit).
    #[serde(default)]
    pub notes: Vec<crate::diagnostics::Note>,
}

/// The directory for cache files of functions defined in `source_file`.
pub fn cache_dir(source_file: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NUMLIR_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let source = Path::new(source_file);
    if source.is_file() {
        if let Some(parent) = source.parent() {
            let dir = parent.join("__pycache__");
            if fs::create_dir_all(&dir).is_ok() && writable(&dir) {
                return Some(dir);
            }
        }
    }
    dirs::cache_dir().map(|d| d.join("numlir"))
}

fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: access(2) on a NUL-terminated path.
    unsafe { libc::access(path.as_ptr(), libc::W_OK) == 0 }
}

/// A file name for one function and signature: readable, and unique per source file.
pub fn file_name(source_file: &str, qualname: &str, signature: &str) -> String {
    let stem = Path::new(source_file).file_stem().and_then(|s| s.to_str()).unwrap_or("function");
    let id = blake3::hash(format!("{source_file}\0{qualname}\0{signature}").as_bytes()).to_hex();
    let clean = |s: &str| s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect::<String>();
    format!("{}.{}-{}.nlc", clean(stem), clean(qualname), &id[..16])
}

impl CacheSlot {
    /// The cached code, `None` when there is no file or it was compiled from something else
    /// (a stale entry); an error when the file is unreadable or damaged.
    pub fn load(&self) -> Result<Option<(CachedMetadata, Vec<u8>)>, CacheError> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let body_len = bytes.len().checked_sub(KEY_BYTES).ok_or(CacheError::Corrupt("too short"))?;
        let (body, checksum) = bytes.split_at(body_len);
        if blake3::hash(body).as_bytes() != checksum {
            return Err(CacheError::Corrupt("checksum mismatch"));
        }
        let mut reader = Reader { bytes: body };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(CacheError::Corrupt("not a numlir cache file"));
        }
        if reader.take(KEY_BYTES)? != self.key {
            return Ok(None);
        }
        let metadata_len = reader.length()?;
        let metadata: CachedMetadata = serde_json::from_slice(reader.take(metadata_len)?)?;
        let object_len = reader.length()?;
        let object = reader.take(object_len)?.to_vec();
        Ok(Some((metadata, object)))
    }

    /// Writes the entry atomically (temporary file, then rename).
    pub fn store(&self, metadata: &CachedMetadata, object: &[u8]) -> Result<(), CacheError> {
        let dir = self.path.parent().ok_or(CacheError::Corrupt("cache path has no directory"))?;
        fs::create_dir_all(dir)?;
        let metadata = serde_json::to_vec(metadata)?;
        let mut body = Vec::with_capacity(MAGIC.len() + KEY_BYTES + 16 + metadata.len() + object.len());
        body.extend_from_slice(MAGIC);
        body.extend_from_slice(&self.key);
        body.extend_from_slice(&(metadata.len() as u64).to_le_bytes());
        body.extend_from_slice(&metadata);
        body.extend_from_slice(&(object.len() as u64).to_le_bytes());
        body.extend_from_slice(object);
        let checksum = blake3::hash(&body);
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        // Readable by all, like the .pyc files beside it (temporary files start private).
        use std::os::unix::fs::PermissionsExt;
        file.as_file().set_permissions(fs::Permissions::from_mode(0o644))?;
        file.write_all(&body)?;
        file.write_all(checksum.as_bytes())?;
        file.persist(&self.path).map_err(|e| CacheError::Io(e.error))?;
        Ok(())
    }
}

/// Reads the length-prefixed parts of a cache file.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CacheError> {
        if n > self.bytes.len() {
            return Err(CacheError::Corrupt("a part runs past the end"));
        }
        let (part, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(part)
    }

    fn length(&mut self) -> Result<usize, CacheError> {
        let raw: [u8; 8] = self.take(8)?.try_into().expect("8 bytes");
        usize::try_from(u64::from_le_bytes(raw)).map_err(|_| CacheError::Corrupt("length out of range"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ScalarType;

    fn metadata() -> CachedMetadata {
        CachedMetadata {
            entry: "f".into(),
            args: vec![ArgType::Scalar(ScalarType::Int64)],
            ret: ReturnType::Scalar(ScalarType::Float64),
            raise_table: RaiseTable::new(vec![("ZeroDivisionError".into(), "division by zero".into())]),
            notes: vec![crate::diagnostics::Note { warning: false, location: "loc(\"m.py\":3:5)".into(), message: "runs in parallel".into() }],
        }
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let slot = CacheSlot { path: dir.path().join("m.f-0.nlc"), key: [7; KEY_BYTES] };
        assert!(slot.load().unwrap().is_none(), "no file is a miss");
        slot.store(&metadata(), b"object bytes").unwrap();
        let (meta, object) = slot.load().unwrap().unwrap();
        assert_eq!(meta, metadata());
        assert_eq!(object, b"object bytes");
        // Another key: stale, a miss.
        let other = CacheSlot { key: [8; KEY_BYTES], ..slot.clone() };
        assert!(other.load().unwrap().is_none());
        // Truncated and flipped files are errors, not panics.
        let bytes = fs::read(&slot.path).unwrap();
        for damaged in [bytes[..bytes.len() / 2].to_vec(), { let mut b = bytes.clone(); b[20] ^= 1; b }, vec![]] {
            fs::write(&slot.path, damaged).unwrap();
            assert!(slot.load().is_err());
        }
    }

    #[test]
    fn file_names_are_readable_and_distinct() {
        let a = file_name("/src/model.py", "Solver.step", "(int64,)");
        assert!(a.starts_with("model.Solver_step-") && a.ends_with(".nlc"));
        assert_ne!(a, file_name("/other/model.py", "Solver.step", "(int64,)"));
        assert_ne!(a, file_name("/src/model.py", "Solver.step", "(float64,)"));
    }
}
