//! Thread counts for parallel code (numba's threading API): a pool size fixed when first
//! asked (NUMLIR_NUM_THREADS, else the machine's cores) and, per calling thread, how many of
//! the pool its parallel work uses (`numlir.set_num_threads`). Parallel ufunc loops
//! (python/ufunc.rs) split their work into that many parts; prange loops run on that many
//! of OpenMP's threads (omp_set_num_threads, per thread as well).
use std::{cell::Cell, sync::OnceLock};

/// The most threads parallel code uses: NUMLIR_NUM_THREADS, or the cores available.
pub fn pool_size() -> usize {
    static SIZE: OnceLock<usize> = OnceLock::new();
    *SIZE.get_or_init(|| {
        std::env::var("NUMLIR_NUM_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

thread_local! {
    /// This thread's count; 0 until set (the whole pool).
    static NUM_THREADS: Cell<usize> = const { Cell::new(0) };
}

/// Threads this thread's parallel work uses.
pub fn num_threads() -> usize {
    match NUM_THREADS.with(Cell::get) {
        0 => pool_size(),
        n => n,
    }
}

/// Sets this thread's count: 1 to the pool size, else an error saying the range.
pub fn set_num_threads(n: i64) -> Result<(), String> {
    let pool = pool_size();
    if n < 1 || n as u64 > pool as u64 {
        return Err(format!("The number of threads must be between 1 and {pool}"));
    }
    NUM_THREADS.with(|c| c.set(n as usize));
    // prange loops run on OpenMP's threads: its count for this thread too.
    super::openmp::set_num_threads(n as usize);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_per_thread_and_bounded_by_the_pool() {
        assert!(set_num_threads(0).is_err());
        assert!(set_num_threads(pool_size() as i64 + 1).is_err());
        set_num_threads(1).unwrap();
        assert_eq!(num_threads(), 1);
        // Another thread still has the whole pool.
        assert_eq!(std::thread::spawn(num_threads).join().unwrap(), pool_size());
    }
}
