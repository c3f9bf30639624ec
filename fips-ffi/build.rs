//! Gives libfips.so its SONAME. The major version is 0 while the ABI may still change;
//! `make install` lays out libfips.so -> libfips.so.0 -> libfips.so.<version>.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libfips.so.0");
    }
}
