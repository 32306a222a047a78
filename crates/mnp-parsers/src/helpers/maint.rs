//! One maintenance per window.
//!
//! A notice may announce the same work in several windows (a second night, a
//! backup slot that is also used): each window becomes its own
//! [`Maintenance`], all with the same id, the same circuits and the same
//! status, so that the store and the SLA maths see every window on its own.
//! Parsers fill in one maintenance without a window and hand it here with the
//! windows they read.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use mnp_core::{Maintenance, Status, Window};
//! use mnp_parsers::helpers::maint;
//!
//! let at = |h| Utc.with_ymd_and_hms(2024, 3, 12, h, 0, 0).unwrap();
//! let mut m = Maintenance::new("example");
//! m.status = Status::Confirmed;
//! let windows = vec![Window::new(at(1), at(2)).unwrap(), Window::new(at(3), at(4)).unwrap()];
//! let ms = maint::per_window(m.clone(), windows);
//! assert_eq!(ms.len(), 2);
//! assert_eq!(ms[1].window.unwrap().begin(), at(3));
//! // no window: fine for a cancellation only
//! assert!(maint::per_window_or_cancelled(m, Vec::new()).is_err());
//! ```

use mnp_core::{Error, Maintenance, Result, Status, Window};

/// A copy of `m` for each of `windows`, in order, with that window set; `m`
/// itself, unchanged, when `windows` is empty.
pub fn per_window(m: Maintenance, windows: Vec<Window>) -> Vec<Maintenance> {
    if windows.is_empty() {
        return vec![m];
    }
    windows
        .into_iter()
        .map(|w| {
            let mut one = m.clone();
            one.window = Some(w);
            one
        })
        .collect()
}

/// [`per_window`], for notices that must give a window unless they cancel the
/// work: no windows is [`Error::MissingField`] `window`, except for a
/// CANCELLED `m`, which is returned alone, without a window.
pub fn per_window_or_cancelled(m: Maintenance, windows: Vec<Window>) -> Result<Vec<Maintenance>> {
    if windows.is_empty() && m.status != Status::Cancelled {
        return Err(Error::MissingField { field: "window" });
    }
    Ok(per_window(m, windows))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn window(h: u32) -> Window {
        Window::new(
            Utc.with_ymd_and_hms(2024, 3, 12, h, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 3, 12, h + 1, 0, 0).unwrap(),
        )
        .unwrap()
    }

    fn maintenance(status: Status) -> Maintenance {
        let mut m = Maintenance::new("example");
        m.maintenance_id = "CM1".into();
        m.status = status;
        m
    }

    #[test]
    fn one_copy_per_window_in_order() {
        let ms = per_window(maintenance(Status::Confirmed), vec![window(5), window(1)]);
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].window, Some(window(5)));
        assert_eq!(ms[1].window, Some(window(1)));
        assert!(ms.iter().all(|m| m.maintenance_id == "CM1"));
    }

    #[test]
    fn no_window_keeps_the_maintenance_as_it_is() {
        let ms = per_window(maintenance(Status::Confirmed), Vec::new());
        assert_eq!(ms, vec![maintenance(Status::Confirmed)]);
    }

    #[test]
    fn no_window_is_only_fine_for_a_cancellation() {
        let e = per_window_or_cancelled(maintenance(Status::Confirmed), Vec::new()).unwrap_err();
        assert!(matches!(e, Error::MissingField { field: "window" }));
        let ms = per_window_or_cancelled(maintenance(Status::Cancelled), Vec::new()).unwrap();
        assert_eq!(ms, vec![maintenance(Status::Cancelled)]);
        // a cancellation that names its window keeps it
        let ms = per_window_or_cancelled(maintenance(Status::Cancelled), vec![window(2)]).unwrap();
        assert_eq!(ms[0].window, Some(window(2)));
    }
}
