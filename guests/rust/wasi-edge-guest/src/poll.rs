//! `wasi:io/poll@0.2.0`: the pollable a buffer pool hands out (`Pool::subscribe`).
use crate::abi::{self, resource, Ret};

#[link(wasm_import_module = "wasi:io/poll@0.2.0")]
extern "C" {
    #[link_name = "[method]pollable.ready"]
    fn pollable_ready(this: i32) -> i32;
    #[link_name = "[method]pollable.block"]
    fn pollable_block(this: i32);
    #[link_name = "poll"]
    fn poll_list(list: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[resource-drop]pollable"]
    fn pollable_drop(this: i32);
}

resource!(
    /// Something that becomes ready (a pool with a frame to read).
    Pollable,
    pollable_drop
);

impl Pollable {
    /// Ready now? Never waits.
    pub fn ready(&self) -> bool {
        unsafe { pollable_ready(self.handle) != 0 }
    }

    /// Waits until ready. The host ends a guest that waits for something that can never come
    /// (docs/spec-notes.md, "A wait that can never end").
    pub fn block(&self) {
        unsafe { pollable_block(self.handle) }
    }
}

/// Waits until at least one of `pollables` is ready; returns the indices of the ready ones.
pub fn poll(pollables: &[&Pollable]) -> Vec<u32> {
    let handles: Vec<i32> = pollables.iter().map(|p| p.handle).collect();
    let (p, n) = abi::slice(&handles);
    let mut ret = Ret::<8>::new();
    unsafe {
        poll_list(p, n, ret.ptr());
        let (p, n) = ret.list(0);
        abi::take_vec(p, n)
    }
}
