//! Loading plugins into an `mnp_core::Registry`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mnp_core::{Email, Entry, Error, Maintenance, Origin, Registry, Result, VendorParser};
use serde::Deserialize;

use crate::{ABI_MAX, ABI_MIN, ENTRY_SYMBOL, PluginApi};

#[derive(Deserialize)]
struct Descriptor {
    id: String,
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    senders: Vec<String>,
    #[serde(default)]
    subjects: Vec<String>,
    #[serde(default)]
    formats: Vec<String>,
    #[serde(default)]
    doc: String,
}

#[derive(Deserialize)]
struct Reply {
    maintenances: Option<Vec<Maintenance>>,
    error: Option<ReplyError>,
}

#[derive(Deserialize)]
struct ReplyError {
    kind: String,
    message: String,
}

struct PluginParser {
    id: String,
    api: &'static PluginApi,
}

fn plugin_err(name: &str, reason: impl Into<String>) -> Error {
    Error::Plugin {
        name: name.to_string(),
        reason: reason.into(),
    }
}

/// Call into the plugin and copy its reply out, releasing the plugin's buffer.
fn call(api: &'static PluginApi, name: &str, f: impl FnOnce() -> crate::Buffer) -> Result<Vec<u8>> {
    let buf = catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| plugin_err(name, "panicked across the ABI boundary"))?;
    if buf.ptr.is_null() {
        return Err(plugin_err(name, "returned a null buffer"));
    }
    // SAFETY: the plugin returned ptr/len of a live buffer it owns until `free`.
    let bytes = unsafe { std::slice::from_raw_parts(buf.ptr, buf.len) }.to_vec();
    // SAFETY: handing the buffer back to the library that allocated it.
    let _ = catch_unwind(AssertUnwindSafe(|| unsafe { (api.free)(buf) }));
    Ok(bytes)
}

impl VendorParser for PluginParser {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let raw = email.raw();
        // SAFETY: raw outlives the call; the plugin only reads len bytes.
        let bytes = call(self.api, &self.id, || unsafe {
            (self.api.parse)(raw.as_ptr(), raw.len())
        })?;
        let reply: Reply = serde_json::from_slice(&bytes).map_err(|e| {
            let head = String::from_utf8_lossy(bytes.get(..60).unwrap_or(&bytes)).into_owned();
            plugin_err(&self.id, format!("returned invalid JSON ({e}): {head:?}"))
        })?;
        if let Some(err) = reply.error {
            return Err(match err.kind.as_str() {
                "not-maintenance" => Error::NotMaintenance {
                    reason: err.message,
                },
                "panic" => plugin_err(&self.id, format!("panicked: {}", err.message)),
                k => plugin_err(&self.id, format!("{k}: {}", err.message)),
            });
        }
        let ms = reply
            .maintenances
            .ok_or_else(|| plugin_err(&self.id, "reply has neither maintenances nor error"))?;
        for m in &ms {
            let v = m.conformance();
            if !v.is_empty() {
                return Err(plugin_err(
                    &self.id,
                    format!("non-conformant record: {}", v.join("; ")),
                ));
            }
        }
        Ok(ms)
    }
}

fn is_library(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("so" | "dylib" | "dll")
    )
}

/// Load one plugin library. The library is never unloaded.
pub fn load(path: &Path) -> Result<Entry> {
    let name = path.display().to_string();
    // SAFETY: loading a library runs its initialisers; the operator chose
    // this directory explicitly, which is the trust boundary.
    let lib = unsafe { libloading::Library::new(path) }
        .map_err(|e| plugin_err(&name, format!("cannot load: {e}")))?;
    let lib: &'static libloading::Library = Box::leak(Box::new(lib));
    // SAFETY: the symbol's type is fixed by the ABI this crate defines.
    let entry = unsafe {
        lib.get::<unsafe extern "C-unwind" fn() -> *const PluginApi>(ENTRY_SYMBOL)
    }
    .map_err(|_| {
        plugin_err(
            &name,
            "no mnp_plugin_entry_v1 symbol: not an mnp plugin, or built for another ABI generation",
        )
    })?;
    // SAFETY: calling the plugin's entry function, guarded against unwinding.
    let api_ptr = catch_unwind(AssertUnwindSafe(|| unsafe { entry() }))
        .map_err(|_| plugin_err(&name, "entry panicked"))?;
    if api_ptr.is_null() {
        return Err(plugin_err(&name, "entry returned null"));
    }
    // SAFETY: the pointer is to a static in the (never unloaded) library.
    let api: &'static PluginApi = unsafe { &*api_ptr };
    if !(ABI_MIN..=ABI_MAX).contains(&api.abi_version) {
        return Err(plugin_err(
            &name,
            format!(
                "ABI version {} is not supported (this mnp supports {ABI_MIN}..={ABI_MAX})",
                api.abi_version
            ),
        ));
    }
    // SAFETY: calling the plugin's descriptor function.
    let bytes = call(api, &name, || unsafe { (api.descriptor)() })?;
    let d: Descriptor = serde_json::from_slice(&bytes)
        .map_err(|e| plugin_err(&name, format!("invalid descriptor JSON: {e}")))?;
    if d.id.trim().is_empty() {
        return Err(plugin_err(&name, "descriptor has an empty id"));
    }
    let formats = if d.formats.is_empty() {
        vec!["plugin".to_string()]
    } else {
        d.formats
    };
    Entry::new(
        d.id.trim(),
        if d.carrier.is_empty() {
            d.id.clone()
        } else {
            d.carrier
        },
        d.senders,
        d.subjects,
        formats,
        d.doc,
        false,
        Origin::Plugin(path.to_path_buf()),
        Arc::new(PluginParser {
            id: d.id.trim().to_string(),
            api,
        }),
    )
}

/// Load every plugin library directly inside `dir` (not below it, and not
/// through links pointing elsewhere) into `registry`. Returns one result per
/// library found; a bad plugin is reported and skipped, never fatal.
pub fn load_dir(dir: &Path, registry: &mut Registry) -> Vec<(PathBuf, Result<String>)> {
    let mut out = Vec::new();
    let canon_dir = match dir.canonicalize() {
        Ok(d) => d,
        Err(e) => {
            out.push((
                dir.to_path_buf(),
                Err(plugin_err(
                    &dir.display().to_string(),
                    format!("cannot read plugin directory: {e}"),
                )),
            ));
            return out;
        }
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&canon_dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_library(p))
            .collect(),
        Err(e) => {
            out.push((
                dir.to_path_buf(),
                Err(plugin_err(&dir.display().to_string(), e.to_string())),
            ));
            return out;
        }
    };
    files.sort();
    for f in files {
        let res = match f.canonicalize() {
            Ok(c) if c.parent() == Some(canon_dir.as_path()) => load(&c).and_then(|entry| {
                let id = entry.id.clone();
                registry.register(entry).map(|_| id)
            }),
            Ok(c) => Err(plugin_err(
                &f.display().to_string(),
                format!("resolves outside the plugin directory to {}", c.display()),
            )),
            Err(e) => Err(plugin_err(&f.display().to_string(), e.to_string())),
        };
        if let Err(e) = &res {
            tracing::warn!(plugin = %f.display(), error = %e, "plugin not loaded");
        }
        out.push((f, res));
    }
    out
}
