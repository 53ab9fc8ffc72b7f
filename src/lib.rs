//! numlir: a JIT compiler for numeric Python on MLIR.
//!
//! Phases, one module each: `frontend` (bytecode -> untyped py IR), `compiler` (the driver
//! and its named pass pipelines; the passes themselves are C++ beside the dialect in
//! dialects/, reached through `dialect`), `backend` (machine code for the host CPU),
//! `runtime` (what compiled code needs at run time), `cache` (`cache=True`: machine code on
//! disk, and its key), `python` (the extension module: dispatcher, environment, boxing),
//! `opt` (numlir-opt). `types` are the argument and result types at the Python boundary,
//! `diagnostics` the errors every phase reports.
pub mod backend;
pub mod cache;
pub mod compiler;
pub mod diagnostics;
pub mod dialect;
pub mod frontend;
pub mod opt;
pub mod python;
pub mod runtime;
pub mod types;

use pyo3::prelude::*;

/// The extension module `numlir._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<python::Dispatcher>()?;
    m.add_class::<python::typed::TypedList>()?;
    m.add_class::<python::generator::CompiledGenerator>()?;
    m.add_class::<python::typed::TypedDict>()?;
    m.add_function(wrap_pyfunction!(opt::opt_main, m)?)?;
    m.add_function(wrap_pyfunction!(python::ufunc::_make_ufunc, m)?)?;
    m.add_function(wrap_pyfunction!(python::ufunc::set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(python::ufunc::get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(python::ufunc::_pool_size, m)?)?;
    m.add_function(wrap_pyfunction!(python::boxing::_named_class, m)?)?;
    m.add_class::<python::cuda::DeviceBuffer>()?;
    for f in [
        wrap_pyfunction!(python::cuda::_cuda_unavailable_reason, m)?,
        wrap_pyfunction!(python::cuda::_cuda_device_count, m)?,
        wrap_pyfunction!(python::cuda::_cuda_select_device, m)?,
        wrap_pyfunction!(python::cuda::_cuda_device_info, m)?,
        wrap_pyfunction!(python::cuda::_cuda_copy, m)?,
        wrap_pyfunction!(python::cuda::_cuda_kernel_function, m)?,
        wrap_pyfunction!(python::cuda::_cuda_launch, m)?,
        wrap_pyfunction!(python::cuda::_cuda_synchronize, m)?,
        wrap_pyfunction!(python::cuda::_cuda_create, m)?,
        wrap_pyfunction!(python::cuda::_cuda_call, m)?,
    ] {
        m.add_function(f)?;
    }
    runtime::linalg::set_locator(python::openblas_paths);
    Ok(())
}
