//! What compiled code needs at run time: the table that turns a nonzero status into the
//! Python exception it stands for, numeric helpers it calls, the boxing of arrays and
//! namedtuples, and `print`.
pub mod errors;
pub mod math;
pub mod arrays;
pub mod buffers;
pub mod namedtuples;
pub mod print;
pub mod lists;
pub mod dicts;
pub mod containers;
pub mod strings;
pub mod format;
pub mod generators;
pub mod linalg;
pub mod random;
pub mod bitgen;
pub mod threads;
pub mod openmp;
