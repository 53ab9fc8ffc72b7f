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
    for path in ["dialects", "cmake"] {
        println!("cargo:rerun-if-changed={path}");
    }
    let include = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("dialects/include");
    println!("cargo:rustc-env=NUMLIR_TD_INCLUDE={}", include.display());
}
