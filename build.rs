// The default theme and the starter site are embedded in the binary: rebuild when any of its
// files changes, is added or is removed.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=starter");
}
