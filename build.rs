//! Builds the `py` dialect (ODS + C++ in dialects/) with CMake into a static library and
//! tells rustc to link it; the MLIR libraries themselves come from mlir-sys.
use std::{env, path::PathBuf};

fn main() {
    let llvm = env::var("MLIR_SYS_220_PREFIX").unwrap_or_else(|_| "/usr/lib/llvm-22".into());
    let dst = cmake::Config::new("dialects")
        .generator("Ninja")
        .define("MLIR_DIR", format!("{llvm}/lib/cmake/mlir"))
        .define("CMAKE_C_COMPILER", format!("{llvm}/bin/clang"))
        .define("CMAKE_CXX_COMPILER", format!("{llvm}/bin/clang++"))
        .profile("Release")
        .build();
    println!("cargo:rustc-link-search=native={}/lib", dst.display());
    println!("cargo:rustc-link-lib=static=NumlirPy");
    println!("cargo:rustc-link-lib=dylib=stdc++");
    // NumPy's distribution functions (src/runtime/bitgen.rs): the static library NumPy's
    // wheel ships for extensions, numpy/random/lib/libnpyrandom.a.
    println!("cargo:rustc-link-search=native={}", npyrandom_dir());
    println!("cargo:rustc-link-lib=static=npyrandom");
    for path in ["dialects", "cmake"] {
        println!("cargo:rerun-if-changed={path}");
    }
    let include = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("dialects/include");
    println!("cargo:rustc-env=NUMLIR_TD_INCLUDE={}", include.display());
}

/// The folder of NumPy's libnpyrandom.a: $NUMLIR_NPYRANDOM_DIR, or asked of the Python that
/// builds numlir (maturin and `make test-rust` name it in PYO3_PYTHON).
fn npyrandom_dir() -> String {
    println!("cargo:rerun-if-env-changed=NUMLIR_NPYRANDOM_DIR");
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
    if let Ok(dir) = env::var("NUMLIR_NPYRANDOM_DIR") {
        return dir;
    }
    let python = env::var("PYO3_PYTHON").or_else(|_| env::var("PYTHON_SYS_EXECUTABLE")).unwrap_or_else(|_| "python3".into());
    let script = "import os, numpy.random; print(os.path.join(os.path.dirname(numpy.random.__file__), 'lib'))";
    let output = std::process::Command::new(&python)
        .args(["-c", script])
        .output()
        .unwrap_or_else(|e| panic!("numlir's build runs {python} to find NumPy's libnpyrandom.a: {e}"));
    assert!(output.status.success(), "numlir's build needs NumPy (>= 2) in {python}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("a path").trim().to_string()
}
