//! # mnp-plugin: vendor parsers loaded at run time through a C ABI
//!
//! A plugin is a `cdylib` that exports one versioned entry symbol,
//! [`ENTRY_SYMBOL`] (`mnp_plugin_entry_v1`), returning a pointer to a static
//! [`PluginApi`]: the ABI version, a descriptor function (JSON: id, carrier,
//! senders, subjects, formats, doc) and a parse function that takes the raw
//! mail bytes and returns JSON — `{"maintenances": [...]}` in the
//! `--view maintenance` shape, or `{"error": {"kind": ..., "message": ...}}`.
//! Buffers returned by the plugin are released by the plugin's own `free`.
//!
//! The key decision: **bytes in, JSON out**. No Rust type crosses the
//! boundary, so a plugin built with another compiler version (or in another
//! language) works, and the host validates every record exactly like a
//! built-in parser's.
//!
//! Plugin side (this crate with default features has no dependencies):
//!
//! ```ignore
//! struct Acme;
//! impl mnp_plugin::Plugin for Acme {
//!     fn descriptor() -> String { r#"{"id":"acme","carrier":"Acme","senders":["acme.example"]}"#.into() }
//!     fn parse(mail: &[u8]) -> Result<String, mnp_plugin::PluginError> { /* JSON array */ todo!() }
//! }
//! mnp_plugin::export_plugin!(Acme);
//! ```
//!
//! Host side (feature `host`): [`host::load_dir`] loads every library in one
//! directory — and only there — checks the ABI range, wraps each call in
//! `catch_unwind`, and never unloads a library (parsers may be referenced for
//! the life of the process). A plugin that panics, returns garbage or has the
//! wrong ABI version yields a clear error; the host keeps running.
#![allow(unsafe_code)]

/// The ABI version this crate implements.
pub const ABI_VERSION: u32 = 1;
/// Oldest ABI version the host accepts.
pub const ABI_MIN: u32 = 1;
/// Newest ABI version the host accepts.
pub const ABI_MAX: u32 = 1;
/// The entry symbol every plugin exports (NUL-terminated).
pub const ENTRY_SYMBOL: &[u8] = b"mnp_plugin_entry_v1\0";

/// A byte buffer owned by the side that allocated it.
#[repr(C)]
pub struct Buffer {
    /// Start of the bytes.
    pub ptr: *mut u8,
    /// Number of bytes.
    pub len: usize,
    /// Allocation capacity (for the allocator that made it).
    pub cap: usize,
}

impl Buffer {
    /// Hand a vector over as a buffer (to be released with [`Buffer::into_vec`] on the same side).
    pub fn from_vec(v: Vec<u8>) -> Buffer {
        let mut v = std::mem::ManuallyDrop::new(v);
        Buffer {
            ptr: v.as_mut_ptr(),
            len: v.len(),
            cap: v.capacity(),
        }
    }

    /// Take a buffer made by [`Buffer::from_vec`] back.
    ///
    /// # Safety
    /// `self` must come from `Buffer::from_vec` in the same shared object.
    pub unsafe fn into_vec(self) -> Vec<u8> {
        // SAFETY: the caller guarantees ptr/len/cap come from a Vec of this allocator.
        unsafe { Vec::from_raw_parts(self.ptr, self.len, self.cap) }
    }
}

/// The function table a plugin exposes.
#[repr(C)]
pub struct PluginApi {
    /// ABI version of the plugin; the host accepts [`ABI_MIN`]..=[`ABI_MAX`].
    pub abi_version: u32,
    /// JSON descriptor: `{"id", "carrier", "senders", "subjects", "formats", "doc"}`.
    pub descriptor: unsafe extern "C-unwind" fn() -> Buffer,
    /// Parse raw mail bytes; returns the result JSON.
    pub parse: unsafe extern "C-unwind" fn(mail: *const u8, len: usize) -> Buffer,
    /// Release a buffer this plugin returned.
    pub free: unsafe extern "C-unwind" fn(Buffer),
}

/// An error a plugin reports: a kind (`not-maintenance`, `missing-field`,
/// `bad-value`, `malformed`) and a message.
#[derive(Debug, Clone)]
pub struct PluginError {
    /// Error kind; `not-maintenance` makes the host ignore the mail.
    pub kind: String,
    /// Human-readable reason.
    pub message: String,
}

/// What a plugin implements; [`export_plugin!`] turns it into the C ABI.
pub trait Plugin {
    /// The descriptor JSON.
    fn descriptor() -> String;
    /// Parse raw mail bytes into a JSON array of maintenances.
    fn parse(mail: &[u8]) -> Result<String, PluginError>;
}

/// Escape a string for inclusion in JSON (for plugins without serde).
pub fn json_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o
}

#[doc(hidden)]
/// # Safety
/// `mail`/`len` must describe a live byte slice (or be null/0).
pub unsafe fn __parse_guarded<P: Plugin>(mail: *const u8, len: usize) -> Buffer {
    let bytes: &[u8] = if mail.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: the host passes a pointer/length pair of a live byte slice.
        unsafe { std::slice::from_raw_parts(mail, len) }
    };
    let out = match std::panic::catch_unwind(|| P::parse(bytes)) {
        Ok(Ok(json)) => format!("{{\"maintenances\":{json}}}"),
        Ok(Err(e)) => format!(
            "{{\"error\":{{\"kind\":\"{}\",\"message\":\"{}\"}}}}",
            json_escape(&e.kind),
            json_escape(&e.message)
        ),
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            format!(
                "{{\"error\":{{\"kind\":\"panic\",\"message\":\"{}\"}}}}",
                json_escape(&msg)
            )
        }
    };
    Buffer::from_vec(out.into_bytes())
}

#[doc(hidden)]
pub fn __descriptor_guarded<P: Plugin>() -> Buffer {
    let out = std::panic::catch_unwind(P::descriptor).unwrap_or_default();
    Buffer::from_vec(out.into_bytes())
}

/// Export a [`Plugin`] implementation under [`ENTRY_SYMBOL`].
#[macro_export]
macro_rules! export_plugin {
    ($t:ty) => {
        $crate::export_plugin!($t, $crate::ABI_VERSION);
    };
    ($t:ty, $abi:expr) => {
        unsafe extern "C-unwind" fn __mnp_descriptor() -> $crate::Buffer {
            $crate::__descriptor_guarded::<$t>()
        }
        unsafe extern "C-unwind" fn __mnp_parse(mail: *const u8, len: usize) -> $crate::Buffer {
            // SAFETY: the host passes a live pointer/length pair.
            unsafe { $crate::__parse_guarded::<$t>(mail, len) }
        }
        unsafe extern "C-unwind" fn __mnp_free(b: $crate::Buffer) {
            // SAFETY: buffers handed to the host come from Buffer::from_vec in this library.
            drop(unsafe { b.into_vec() });
        }
        static __MNP_API: $crate::PluginApi = $crate::PluginApi {
            abi_version: $abi,
            descriptor: __mnp_descriptor,
            parse: __mnp_parse,
            free: __mnp_free,
        };
        #[unsafe(no_mangle)]
        pub extern "C-unwind" fn mnp_plugin_entry_v1() -> *const $crate::PluginApi {
            &__MNP_API
        }
    };
}

#[cfg(feature = "host")]
pub mod host;
