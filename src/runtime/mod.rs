//! What compiled code needs at run time: the table that turns a nonzero status into the
//! Python exception it stands for, and numeric helpers it calls.
pub mod errors;
pub mod math;
pub mod arrays;
