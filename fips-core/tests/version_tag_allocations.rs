//! `FipsVersion::to_tag` makes no allocation: the tag is an inline `Tag` (issue 18), and
//! parsing a version whose identifiers are short (as semver stores them inline) makes none
//! either. A counting global allocator sees every allocation this test's thread makes.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
};

use fips_core::{Component, FipsVersion};

thread_local! {
    /// Allocations made by this thread while counting; `None` when not counting.
    static COUNT: Cell<Option<u64>> = const { Cell::new(None) };
}

struct CountingAlloc;

fn count() {
    // `try_with`: the thread-local may already be gone while the thread exits.
    let _ = COUNT.try_with(|c| c.set(c.get().map(|n| n + 1)));
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; counting
// touches only a const-initialised thread-local `Cell` and never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `GlobalAlloc::alloc`, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `GlobalAlloc::alloc_zeroed`, passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `GlobalAlloc::realloc`, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `GlobalAlloc::dealloc`, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn allocations_of<T>(f: impl FnOnce() -> T) -> (T, u64) {
    COUNT.with(|c| c.set(Some(0)));
    let out = f();
    let n = COUNT.with(|c| c.replace(None)).unwrap_or(0);
    (out, n)
}

#[test]
fn parse_build_and_tag_make_no_allocation() {
    // The documentation's versions and both tag forms (with and without the leading `v`),
    // with a pre-release and build metadata to map through kubeadm's rule.
    for (text, component, want) in [
        ("1.22.8+fips.0", Component::Kubernetes, "v1.22.8_fips.0"),
        ("3.4.13+fips.0", Component::Etcd, "v3.4.13_fips.0"),
        ("3.4.13-0", Component::Etcd, "3.4.13-0"),
        (
            "1.22.8-rc.1+vmware.1",
            Component::Kubernetes,
            "v1.22.8-rc.1_vmware.1",
        ),
    ] {
        let version = FipsVersion::parse(text).unwrap();
        let (tag, allocs) = allocations_of(|| version.to_tag(component));
        assert_eq!(tag.unwrap(), want);
        assert_eq!(allocs, 0, "{text}: to_tag allocated {allocs} times");
        // What a provisioner does per version flag, as the bench measures it.
        let ((build, tag), allocs) = allocations_of(|| {
            let version = FipsVersion::parse(text).unwrap();
            (version.fips_build(), version.to_tag(component))
        });
        assert_eq!(build, version.fips_build(), "{text}");
        assert_eq!(tag.unwrap(), want);
        assert_eq!(
            allocs, 0,
            "{text}: parse + fips_build + to_tag allocated {allocs} times"
        );
    }
}
