//! What compiled code needs at run time: the table that turns a nonzero status into the
//! Python exception it stands for.
pub mod errors;
