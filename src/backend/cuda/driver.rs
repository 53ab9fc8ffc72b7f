//! The device side: the CUDA driver API (libcuda.so.1) through cudarc's bindings, loaded at
//! run time, so that nothing CUDA is needed to build, install or import numlir.
//!
//! Kernels launch straight through `cuLaunchKernel` with the parameters the kernel's PTX
//! declares (a memref argument is its descriptor's words: two pointers, the offset, the
//! sizes and the strides), so there is no host code to compile: MLIR's `gpu.launch_func`
//! would need its `mgpu*` runtime wrappers and a host module per kernel for what is one call.
//! Modules come from PTX through `cuModuleLoadDataEx` (the driver compiles it for the
//! device) and are kept per device for the process. Every call runs in the device's primary
//! context, made current on the calling thread.
use cudarc::driver::{result, sys};
use std::{
    collections::HashMap,
    ffi::{c_void, CString},
    sync::{Mutex, OnceLock},
};

/// What failed, as the driver says it.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("{0}")]
    Unavailable(String),
    #[error("{call}: {error:?}")]
    Call { call: &'static str, error: result::DriverError },
}

type Result<T> = std::result::Result<T, DriverError>;

fn check<T>(call: &'static str, r: std::result::Result<T, result::DriverError>) -> Result<T> {
    r.map_err(|error| DriverError::Call { call, error })
}

/// Why kernels cannot run on a GPU here (no driver, no device), or None where they can.
pub fn unavailable_reason() -> Option<String> {
    static REASON: OnceLock<Option<String>> = OnceLock::new();
    REASON
        .get_or_init(|| {
            // cudarc panics where it cannot load the library: look for it first.
            // SAFETY: loading the driver library runs its initializers, as any CUDA program does.
            if let Err(e) = unsafe { libloading::Library::new("libcuda.so.1") } {
                return Some(format!("the CUDA driver (libcuda.so.1) cannot be loaded: {e}"));
            }
            match std::panic::catch_unwind(result::init) {
                Err(_) => Some("the CUDA driver library lacks functions numlir calls".to_string()),
                Ok(Err(e)) => Some(format!("cuInit failed: {e:?}")),
                Ok(Ok(())) => match result::device::get_count() {
                    Ok(0) => Some("there is no CUDA device".to_string()),
                    Ok(_) => None,
                    Err(e) => Some(format!("cuDeviceGetCount failed: {e:?}")),
                },
            }
        })
        .clone()
}

fn available() -> Result<()> {
    match unavailable_reason() {
        Some(reason) => Err(DriverError::Unavailable(reason)),
        None => Ok(()),
    }
}

/// A device and its primary context.
struct Device {
    context: sys::CUcontext,
    /// Loaded kernels by (PTX hash, kernel name): the module stays loaded for the process.
    functions: HashMap<(blake3::Hash, String), sys::CUfunction>,
}

// SAFETY: driver handles may be used from any thread once their context is current there.
unsafe impl Send for Device {}

struct Devices {
    list: Vec<Option<Device>>,
    current: usize,
}

fn devices() -> &'static Mutex<Devices> {
    static DEVICES: OnceLock<Mutex<Devices>> = OnceLock::new();
    DEVICES.get_or_init(|| {
        let count = result::device::get_count().unwrap_or(0).max(0) as usize;
        Mutex::new(Devices { list: (0..count).map(|_| None).collect(), current: 0 })
    })
}

/// Runs `f` with device `ordinal`'s (or the current device's) primary context current.
fn with_device<R>(ordinal: Option<usize>, f: impl FnOnce(usize, &mut Device) -> Result<R>) -> Result<R> {
    available()?;
    let mut all = devices().lock().unwrap();
    let index = ordinal.unwrap_or(all.current);
    let slot = all
        .list
        .get_mut(index)
        .ok_or_else(|| DriverError::Unavailable(format!("there is no CUDA device {index}")))?;
    if slot.is_none() {
        let device = check("cuDeviceGet", result::device::get(index as i32))?;
        // SAFETY: `device` came from cuDeviceGet.
        let context = check("cuDevicePrimaryCtxRetain", unsafe { result::primary_ctx::retain(device) })?;
        *slot = Some(Device { context, functions: HashMap::new() });
    }
    let device = slot.as_mut().unwrap();
    // SAFETY: the primary context stays retained for the process.
    check("cuCtxSetCurrent", unsafe { result::ctx::set_current(device.context) })?;
    f(index, device)
}

pub fn device_count() -> usize {
    if unavailable_reason().is_some() {
        return 0;
    }
    devices().lock().unwrap().list.len()
}

pub fn select_device(ordinal: usize) -> Result<()> {
    with_device(Some(ordinal), |_, _| Ok(()))?;
    devices().lock().unwrap().current = ordinal;
    Ok(())
}

/// (name, compute capability major, minor) of the current device.
pub fn device_info() -> Result<(String, i32, i32)> {
    with_device(None, |ordinal, _| {
        let device = check("cuDeviceGet", result::device::get(ordinal as i32))?;
        let name = check("cuDeviceGetName", result::device::get_name(device))?;
        let attribute = |a| check("cuDeviceGetAttribute", unsafe { result::device::get_attribute(device, a) });
        let major = attribute(sys::CUdevice_attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)?;
        let minor = attribute(sys::CUdevice_attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)?;
        Ok((name, major, minor))
    })
}

/// The kernel `name` of `ptx`, loaded on the current device once per process.
pub fn kernel_function(ptx: &str, name: &str) -> Result<usize> {
    let key = (blake3::hash(ptx.as_bytes()), name.to_string());
    with_device(None, |_, device| {
        if let Some(f) = device.functions.get(&key) {
            return Ok(*f as usize);
        }
        let image = CString::new(ptx).map_err(|_| DriverError::Unavailable("PTX with a NUL byte".into()))?;
        let mut module = std::mem::MaybeUninit::uninit();
        // SAFETY: the image is NUL-terminated PTX; no JIT options.
        let loaded = unsafe {
            sys::cuModuleLoadDataEx(module.as_mut_ptr(), image.as_ptr() as *const c_void, 0, std::ptr::null_mut(), std::ptr::null_mut())
                .result()
        };
        check("cuModuleLoadDataEx", loaded)?;
        // SAFETY: written by the successful call above.
        let module = unsafe { module.assume_init() };
        let symbol = CString::new(name).map_err(|_| DriverError::Unavailable("a kernel name with a NUL byte".into()))?;
        // SAFETY: the module was just loaded.
        let function = check("cuModuleGetFunction", unsafe { result::module::get_function(module, symbol) })?;
        device.functions.insert(key, function);
        Ok(function as usize)
    })
}

/// Launches `function` with one parameter per entry of `params` (its bytes, at least as
/// many as the PTX parameter takes).
pub fn launch(function: usize, grid: [u32; 3], block: [u32; 3], shared: u32, stream: usize, params: &mut [Vec<u8>]) -> Result<()> {
    with_device(None, |_, _| {
        let mut pointers: Vec<*mut c_void> = params.iter_mut().map(|p| p.as_mut_ptr() as *mut c_void).collect();
        // SAFETY: the function came from kernel_function; each pointer addresses a parameter's
        // bytes, which cuLaunchKernel copies before it returns.
        let launched = unsafe {
            result::launch_kernel(function as sys::CUfunction, (grid[0], grid[1], grid[2]), (block[0], block[1], block[2]), shared, stream as sys::CUstream, &mut pointers)
        };
        check("cuLaunchKernel", launched)
    })
}

pub fn malloc(bytes: usize) -> Result<u64> {
    // SAFETY: a plain allocation in the current context.
    with_device(None, |_, _| check("cuMemAlloc", unsafe { result::malloc_sync(bytes.max(1)) }))
}

pub fn free(pointer: u64) -> Result<()> {
    // SAFETY: `pointer` came from malloc and is freed once (DeviceBuffer's drop).
    with_device(None, |_, _| check("cuMemFree", unsafe { result::free_sync(pointer) }))
}

/// Copies `bytes` bytes: host to device, device to host, or device to device (by `kind`).
///
/// # Safety
/// The addresses are valid for `bytes` bytes in their memories.
pub unsafe fn copy(kind: CopyKind, destination: u64, source: u64, bytes: usize, stream: usize) -> Result<()> {
    with_device(None, |_, _| unsafe {
        let stream = stream as sys::CUstream;
        let r = match kind {
            CopyKind::HostToDevice => sys::cuMemcpyHtoDAsync_v2(destination, source as *const c_void, bytes, stream).result(),
            CopyKind::DeviceToHost => sys::cuMemcpyDtoHAsync_v2(destination as *mut c_void, source, bytes, stream).result(),
            CopyKind::DeviceToDevice => sys::cuMemcpyDtoDAsync_v2(destination, source, bytes, stream).result(),
        };
        check("cuMemcpyAsync", r)?;
        // The host's memory is read or written once the copy is done.
        check("cuStreamSynchronize", result::stream::synchronize(stream))
    })
}

#[derive(Debug, Clone, Copy)]
pub enum CopyKind {
    HostToDevice,
    DeviceToHost,
    DeviceToDevice,
}

pub fn synchronize() -> Result<()> {
    with_device(None, |_, _| check("cuCtxSynchronize", result::ctx::synchronize()))
}

pub fn stream_create() -> Result<usize> {
    with_device(None, |_, _| {
        let stream = check("cuStreamCreate", result::stream::create(result::stream::StreamKind::NonBlocking))?;
        Ok(stream as usize)
    })
}

pub fn stream_synchronize(stream: usize) -> Result<()> {
    // SAFETY: a stream stream_create made (or 0, the default stream).
    with_device(None, |_, _| check("cuStreamSynchronize", unsafe { result::stream::synchronize(stream as sys::CUstream) }))
}

pub fn stream_destroy(stream: usize) -> Result<()> {
    // SAFETY: a stream stream_create made, destroyed once.
    with_device(None, |_, _| check("cuStreamDestroy", unsafe { result::stream::destroy(stream as sys::CUstream) }))
}

pub fn event_create() -> Result<usize> {
    with_device(None, |_, _| Ok(check("cuEventCreate", result::event::create(sys::CUevent_flags::CU_EVENT_DEFAULT))? as usize))
}

pub fn event_record(event: usize, stream: usize) -> Result<()> {
    // SAFETY: handles from event_create and stream_create.
    with_device(None, |_, _| check("cuEventRecord", unsafe { result::event::record(event as sys::CUevent, stream as sys::CUstream) }))
}

pub fn event_synchronize(event: usize) -> Result<()> {
    // SAFETY: a handle from event_create.
    with_device(None, |_, _| check("cuEventSynchronize", unsafe { result::event::synchronize(event as sys::CUevent) }))
}

/// Milliseconds from `start` to `end` (both recorded and complete).
pub fn event_elapsed(start: usize, end: usize) -> Result<f32> {
    // SAFETY: handles from event_create.
    with_device(None, |_, _| check("cuEventElapsedTime", unsafe { result::event::elapsed(start as sys::CUevent, end as sys::CUevent) }))
}

pub fn event_destroy(event: usize) -> Result<()> {
    // SAFETY: a handle from event_create, destroyed once.
    with_device(None, |_, _| check("cuEventDestroy", unsafe { result::event::destroy(event as sys::CUevent) }))
}
