//! The canonical ABI on wasm32, the part every binding shares: the allocator the host calls to
//! place returned lists and strings in our memory, return areas, and taking those lists over.
//!
//! Layout rules (component model canonical ABI): handles, enums, `u32`, pointers and lengths are
//! one `i32`; `u64` is one `i64`; a list is `(ptr, len)`; a result or variant is a `u8` tag followed by
//! its payload at the payload's alignment. Results too large for one core value are written by the
//! host to a return area whose address the caller passes as the last argument.
use std::alloc::{self, Layout};

/// The allocator the host calls for every list and string it returns (`cabi_realloc` is the name
/// the canonical ABI gives it). Exported by every guest that links this crate.
///
/// # Safety
/// Called by the host with the canonical ABI's arguments: `old` is null or a block this function
/// returned with `old_size` and `align`.
#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    if new_size == 0 {
        // A dangling, aligned pointer: nothing to free later (`take_vec` never frees empty lists).
        return align as *mut u8;
    }
    let layout = Layout::from_size_align_unchecked(new_size, align);
    let p = if old.is_null() || old_size == 0 {
        alloc::alloc(layout)
    } else {
        alloc::realloc(old, Layout::from_size_align_unchecked(old_size, align), new_size)
    };
    if p.is_null() {
        alloc::handle_alloc_error(layout);
    }
    p
}

/// A return area of `N` bytes, 8-aligned (the widest payload is a `u64`).
#[repr(C, align(8))]
pub(crate) struct Ret<const N: usize>([u8; N]);

impl<const N: usize> Ret<N> {
    pub fn new() -> Self {
        Ret([0; N])
    }
    pub fn ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr()
    }
    pub fn u8(&self, at: usize) -> u8 {
        self.0[at]
    }
    pub fn u32(&self, at: usize) -> u32 {
        u32::from_le_bytes([self.0[at], self.0[at + 1], self.0[at + 2], self.0[at + 3]])
    }
    pub fn i32(&self, at: usize) -> i32 {
        self.u32(at) as i32
    }
    pub fn u64(&self, at: usize) -> u64 {
        self.u32(at) as u64 | (self.u32(at + 4) as u64) << 32
    }
    /// The `(ptr, len)` of a list at `at`.
    pub fn list(&self, at: usize) -> (*mut u8, usize) {
        (self.u32(at) as usize as *mut u8, self.u32(at + 4) as usize)
    }
    /// Takes over the string at `at`.
    pub unsafe fn string(&self, at: usize) -> String {
        let (p, n) = self.list(at);
        take_string(p, n)
    }
    /// Takes over the `list<u8>` at `at`.
    pub unsafe fn bytes(&self, at: usize) -> Vec<u8> {
        let (p, n) = self.list(at);
        take_vec(p, n)
    }
}

/// Reads a value of guest memory that the host wrote (records inside returned lists).
pub(crate) unsafe fn load<T: Copy>(p: *const u8, at: usize) -> T {
    p.add(at).cast::<T>().read_unaligned()
}

/// Takes over a list the host placed with `cabi_realloc` (align and size of `T`, as the canonical
/// ABI allocates `list<T>` for a `T` laid out like the Rust type: u8, u32, f32, …).
pub(crate) unsafe fn take_vec<T>(ptr: *mut u8, len: usize) -> Vec<T> {
    if len == 0 {
        return Vec::new();
    }
    Vec::from_raw_parts(ptr.cast::<T>(), len, len)
}

/// Takes over a string the host placed (the canonical ABI has checked that it is UTF-8).
pub(crate) unsafe fn take_string(ptr: *mut u8, len: usize) -> String {
    String::from_utf8_unchecked(take_vec(ptr, len))
}

/// Takes over a list of records: `lift` reads each element (`size` bytes apart), then the block is
/// freed with the layout the host allocated it with.
pub(crate) unsafe fn take_records<R>(
    ptr: *mut u8,
    len: usize,
    size: usize,
    align: usize,
    mut lift: impl FnMut(*const u8) -> R,
) -> Vec<R> {
    let out = (0..len).map(|i| lift(ptr.add(i * size))).collect();
    if len > 0 {
        alloc::dealloc(ptr, Layout::from_size_align_unchecked(len * size, align));
    }
    out
}

/// Takes over a `list<string>` (8-byte elements: ptr, len).
pub(crate) unsafe fn take_strings(ptr: *mut u8, len: usize) -> Vec<String> {
    take_records(ptr, len, 8, 4, |e| take_string(load::<u32>(e, 0) as usize as *mut u8, load::<u32>(e, 4) as usize))
}

/// A borrowed list passed to the host: `(ptr, len)` as two `i32`s.
pub(crate) fn slice<T>(s: &[T]) -> (*const u8, usize) {
    (s.as_ptr().cast(), s.len())
}

/// A 16-byte variant case as the host reads it from a list the guest passes (i2c's and spi's
/// `operation`): the tag in the low byte of the first 8 bytes (little-endian), the payload at 8.
#[repr(C)]
pub(crate) struct Variant16 {
    tag: u64,
    a: u32,
    b: u32,
}

impl Variant16 {
    pub fn u64(tag: u8, v: u64) -> Self {
        Variant16 { tag: tag as u64, a: v as u32, b: (v >> 32) as u32 }
    }
    pub fn u32(tag: u8, v: u32) -> Self {
        Variant16 { tag: tag as u64, a: v, b: 0 }
    }
    /// A borrowed `list<u8>`: it must outlive the call the variant is passed to.
    pub fn list(tag: u8, s: &[u8]) -> Self {
        Variant16 { tag: tag as u64, a: s.as_ptr() as u32, b: s.len() as u32 }
    }
}

/// An `f32` in an `i32` slot: the canonical ABI joins variant payloads of different types this way.
pub(crate) fn f32_bits(f: f32) -> i32 {
    f.to_bits() as i32
}

/// Declares a WIT enum: a Rust enum with the WIT case names (`as_str`, `Display`) and the
/// conversion from its canonical-ABI ordinal. The WIT path and name are checked against `wit/`
/// by the project's tests (test/guests/rust-bindings.test.ts), cases in order.
macro_rules! wit_enum {
    ($wit_iface:literal $wit_name:literal $(#[$m:meta])* pub enum $name:ident { $($(#[$cm:meta])* $case:ident = $wit:literal,)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum $name { $($(#[$cm])* $case,)* }

        impl $name {
            /// Every case, in WIT order (index = canonical-ABI ordinal).
            pub const ALL: &'static [$name] = &[$($name::$case,)*];

            /// The WIT name of the case.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$case => $wit,)* }
            }

            /// From a canonical-ABI ordinal the host returned. An ordinal out of range is a
            /// canonical-ABI violation, which the ABI itself makes a trap.
            #[allow(dead_code)]
            pub(crate) fn from_abi(v: u8) -> Self {
                match Self::ALL.get(v as usize) {
                    Some(c) => *c,
                    None => core::panic!(concat!("invalid ", $wit_name, " ordinal from the host")),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wit_enum;

/// Declares a resource handle type: an owned `i32` whose `Drop` calls the resource-drop import.
macro_rules! resource {
    ($(#[$m:meta])* $name:ident, $drop:path) => {
        $(#[$m])*
        #[derive(Debug)]
        pub struct $name {
            handle: i32,
        }

        impl $name {
            /// Wraps a handle the host gave us (own).
            ///
            /// # Safety
            /// `handle` must be an owned handle of this resource type, not wrapped elsewhere.
            pub unsafe fn from_handle(handle: i32) -> Self {
                Self { handle }
            }
            /// The handle, still owned by `self`.
            pub fn handle(&self) -> i32 {
                self.handle
            }
            /// Gives the handle up (for an import that takes ownership).
            pub fn into_handle(self) -> i32 {
                let h = self.handle;
                core::mem::forget(self);
                h
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                unsafe { $drop(self.handle) }
            }
        }
    };
}
pub(crate) use resource;
