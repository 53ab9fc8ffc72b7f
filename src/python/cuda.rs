//! Showing a kernel's stages (`show_kernel`: inspect_ptx, numlir-opt --target cuda), and
//! numlir.cuda's calls into the device runtime (src/backend/cuda/driver.rs): device memory
//! as `DeviceBuffer` objects that free it when Python drops them, copies, kernel loading
//! and launches, streams and events. python/numlir/cuda/ builds the API on these.
use crate::{
    backend::cuda::driver::{self, CopyKind, DriverError},
    compiler::{cuda::{lower_kernel, KernelStage}, CompileOptions},
    types::ArgType,
};
use super::compile::with_built_module;
use melior::ir::{attribute::StringAttribute, operation::OperationMutLike};
use pyo3::{exceptions::PyRuntimeError, prelude::*};

/// The driver's error as numlir.cuda's CudaAPIError (CudaSupportError where there is no
/// usable device).
fn to_py(error: DriverError) -> PyErr {
    let class = if matches!(error, DriverError::Unavailable(_)) { "CudaSupportError" } else { "CudaAPIError" };
    Python::attach(|py| {
        match py.import("numlir.cuda.driver").and_then(|m| m.getattr(class)) {
            Ok(class) => match class.call1((error.to_string(),)) {
                Ok(exception) => PyErr::from_value(exception),
                Err(e) => e,
            },
            Err(_) => PyRuntimeError::new_err(error.to_string()),
        }
    })
}

/// Device memory: `bytes` bytes at `pointer`, freed when the object goes.
#[pyclass(frozen, module = "numlir._core")]
pub struct DeviceBuffer {
    #[pyo3(get)]
    pointer: u64,
    #[pyo3(get)]
    bytes: usize,
}

impl Drop for DeviceBuffer {
    fn drop(&mut self) {
        // A failure here (the context torn down at exit) leaves nothing to free.
        let _ = driver::free(self.pointer);
    }
}

#[pymethods]
impl DeviceBuffer {
    #[new]
    fn new(py: Python<'_>, bytes: usize) -> PyResult<Self> {
        let pointer = py.detach(|| driver::malloc(bytes)).map_err(to_py)?;
        Ok(Self { pointer, bytes })
    }
}

/// Why kernels cannot run on a GPU here, or None.
#[pyfunction]
pub fn _cuda_unavailable_reason(py: Python<'_>) -> Option<String> {
    py.detach(driver::unavailable_reason)
}

#[pyfunction]
pub fn _cuda_device_count() -> usize {
    driver::device_count()
}

#[pyfunction]
pub fn _cuda_select_device(ordinal: usize) -> PyResult<()> {
    driver::select_device(ordinal).map_err(to_py)
}

/// (name, (major, minor)) of the current device.
#[pyfunction]
pub fn _cuda_device_info() -> PyResult<(String, (i32, i32))> {
    driver::device_info().map(|(name, major, minor)| (name, (major, minor))).map_err(to_py)
}

/// Copies `bytes` bytes; `kind` is "htod", "dtoh" or "dtod". Host addresses come from NumPy
/// arrays the caller keeps alive.
#[pyfunction]
pub fn _cuda_copy(py: Python<'_>, kind: &str, destination: u64, source: u64, bytes: usize, stream: usize) -> PyResult<()> {
    let kind = match kind {
        "htod" => CopyKind::HostToDevice,
        "dtoh" => CopyKind::DeviceToHost,
        "dtod" => CopyKind::DeviceToDevice,
        other => return Err(PyRuntimeError::new_err(format!("unknown copy kind {other}"))),
    };
    // SAFETY: numlir.cuda passes the addresses of live arrays and buffers of at least `bytes`.
    py.detach(|| unsafe { driver::copy(kind, destination, source, bytes, stream) }).map_err(to_py)
}

/// The kernel `name` of `ptx` on the current device (loaded once per process).
#[pyfunction]
pub fn _cuda_kernel_function(py: Python<'_>, ptx: &str, name: &str) -> PyResult<usize> {
    py.detach(|| driver::kernel_function(ptx, name)).map_err(to_py)
}

/// Launches a kernel function with its parameters' bytes.
#[pyfunction]
pub fn _cuda_launch(py: Python<'_>, function: usize, grid: [u32; 3], block: [u32; 3], shared: u32, stream: usize, params: Vec<Vec<u8>>) -> PyResult<()> {
    let mut params = params;
    py.detach(|| driver::launch(function, grid, block, shared, stream, &mut params)).map_err(to_py)
}

#[pyfunction]
pub fn _cuda_synchronize(py: Python<'_>) -> PyResult<()> {
    py.detach(driver::synchronize).map_err(to_py)
}

/// A new stream or event ("stream" or "event"): its handle.
#[pyfunction]
pub fn _cuda_create(py: Python<'_>, what: &str) -> PyResult<usize> {
    let made = py.detach(|| match what {
        "stream" => driver::stream_create(),
        _ => driver::event_create(),
    });
    made.map_err(to_py)
}

/// A call on a stream or event by its handle: "stream_synchronize", "stream_destroy",
/// "event_record" (`other`: the stream), "event_synchronize", "event_destroy" (0.0 back), or
/// "event_elapsed" (`other`: the end event; milliseconds back).
#[pyfunction]
#[pyo3(signature = (what, handle, other = 0))]
pub fn _cuda_call(py: Python<'_>, what: &str, handle: usize, other: usize) -> PyResult<f64> {
    let result = py.detach(|| -> Result<f64, DriverError> {
        match what {
            "stream_synchronize" => driver::stream_synchronize(handle).map(|_| 0.0),
            "stream_destroy" => driver::stream_destroy(handle).map(|_| 0.0),
            "event_record" => driver::event_record(handle, other).map(|_| 0.0),
            "event_synchronize" => driver::event_synchronize(handle).map(|_| 0.0),
            "event_elapsed" => driver::event_elapsed(handle, other).map(f64::from),
            "event_destroy" => driver::event_destroy(handle).map(|_| 0.0),
            other => Err(DriverError::Unavailable(format!("unknown stream or event call {other}"))),
        }
    });
    result.map_err(to_py)
}

/// libdevice.10.bc: $NUMLIR_LIBDEVICE, the `nvidia-cuda-nvcc-cu12` wheel's copy, or a CUDA
/// toolkit's ($CUDA_HOME, /usr/local/cuda).
pub fn libdevice_path(py: Python<'_>) -> Option<String> {
    if let Ok(path) = std::env::var("NUMLIR_LIBDEVICE") {
        return Some(path);
    }
    let wheel = py
        .import("importlib.util")
        .and_then(|m| m.getattr("find_spec")?.call1(("nvidia.cuda_nvcc",)))
        .and_then(|spec| spec.getattr("submodule_search_locations")?.get_item(0)?.extract::<String>())
        .ok();
    let homes = [wheel, std::env::var("CUDA_HOME").ok(), Some("/usr/local/cuda".to_string())];
    homes
        .into_iter()
        .flatten()
        .map(|home| format!("{home}/nvvm/libdevice/libdevice.10.bc"))
        .find(|path| std::path::Path::new(path).exists())
}

/// The name of a kernel's entry point in its PTX (what cuModuleGetFunction looks up): the
/// Python function's, as a symbol.
pub fn kernel_name(py: Python<'_>, function: &Py<PyAny>) -> PyResult<String> {
    Ok(super::environment::symbol_name(&function.bind(py).getattr("__name__")?.extract::<String>()?))
}

/// A kernel's IR at `stage` for `args` and `arch` ("sm_90"): `kernel.inspect_ptx()`.
pub fn show_kernel(py: Python<'_>, function: &Py<PyAny>, args: &[ArgType], options: &CompileOptions, arch: &str, stage: &str) -> PyResult<String> {
    let stage = KernelStage::parse(stage).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("unknown kernel stage '{stage}'; use py, typed, std, gpu, nvvm, llvm-ir or ptx"))
    })?;
    // Device code is not bounds-checked (as numba's kernels without debug=True).
    let options = CompileOptions { boundscheck: false, cuda_kernel: true, ..options.clone() };
    let libdevice = libdevice_path(py);
    let name = kernel_name(py, function)?;
    with_built_module(py, function, args, None, &options, |compiler, mut module, _| {
        let attribute = StringAttribute::new(compiler.context(), &name);
        module.as_operation_mut().set_attribute("py.cuda_name", attribute.into());
        lower_kernel(compiler, &mut module, arch, libdevice.as_deref(), stage)
    })
}
