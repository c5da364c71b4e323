//! `uniffi-bindgen`: generates the Swift and Kotlin sources of `authing-resign-ffi` from
//! the built library (library mode reads the metadata embedded in the `.so`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
