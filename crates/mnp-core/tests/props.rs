//! Property tests: decoding never panics; window arithmetic laws.

use chrono::{TimeZone, Utc};
use mnp_core::{Email, Window};
use proptest::prelude::*;

const SEED_MAIL: &str = "From: NOC <noc@carrier.example>\r\nSubject: =?utf-8?q?Planned_work?=\r\nContent-Type: multipart/alternative; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nStart: 2024-01-01 10:00 UTC =E9\r\n--X\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPHRhYmxlPjx0cj48dGQ+QTwvdGQ+PC90cj48L3RhYmxlPg==\r\n--X--\r\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(m) = Email::parse(&bytes) {
            let _ = m.text();
            let _ = m.html_docs();
        }
    }

    #[test]
    fn mutated_mail_never_panics(pos in 0usize..SEED_MAIL.len(), byte in any::<u8>(), cut in 0usize..SEED_MAIL.len()) {
        let mut b = SEED_MAIL.as_bytes().to_vec();
        b[pos] = byte;
        b.truncate(cut.max(1));
        if let Ok(m) = Email::parse(&b) {
            let _ = m.text();
            let _ = m.calendars();
        }
    }

    #[test]
    fn window_laws(a in 0i64..2_000_000_000, la in 1i64..10_000_000, b in 0i64..2_000_000_000, lb in 1i64..10_000_000) {
        let w1 = Window::new(Utc.timestamp_opt(a, 0).unwrap(), Utc.timestamp_opt(a + la, 0).unwrap()).unwrap();
        let w2 = Window::new(Utc.timestamp_opt(b, 0).unwrap(), Utc.timestamp_opt(b + lb, 0).unwrap()).unwrap();
        prop_assert_eq!(w1.seconds(), la);
        // intersection is symmetric, contained in both, never longer than either
        let i = w1.intersect(&w2);
        prop_assert_eq!(i, w2.intersect(&w1));
        if let Some(i) = i {
            prop_assert!(i.seconds() <= la.min(lb));
            prop_assert!(i.begin() >= w1.begin() && i.end() <= w1.end());
            prop_assert!(i.begin() >= w2.begin() && i.end() <= w2.end());
        } else {
            prop_assert!(a + la <= b || b + lb <= a);
        }
        prop_assert_eq!(w1.intersect(&w1), Some(w1));
    }
}
