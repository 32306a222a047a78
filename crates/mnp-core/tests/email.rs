//! Mail decoding: encodings, charsets, structure, limits and hostile input.

use mnp_core::{Email, Error, Limits};

fn mail(headers: &str, body: &str) -> Vec<u8> {
    format!("{headers}\r\n\r\n{body}").into_bytes()
}

#[test]
fn headers_are_decoded() {
    let raw = mail(
        "From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <Noc@Mail.Carrier.Example>\r\nSender: bounce@lists.example\r\nReply-To: ops@carrier.example\r\nSubject: =?UTF-8?B?V2FydHVuZ3NhcmJlaXRlbiDigJMgS1cgMTI=?=\r\nDate: Tue, 02 Apr 2019 09:00:00 -0500\r\nMessage-ID: <abc.123@carrier.example>",
        "x",
    );
    let m = Email::parse(&raw).unwrap();
    let from = m.from.as_ref().unwrap();
    assert_eq!(from.name.as_deref(), Some("Jörg Müller"));
    assert_eq!(from.domain(), "mail.carrier.example");
    assert_eq!(m.sender.as_ref().unwrap().address, "bounce@lists.example");
    assert_eq!(m.reply_to.as_ref().unwrap().address, "ops@carrier.example");
    assert_eq!(m.subject, "Wartungsarbeiten – KW 12");
    assert_eq!(m.date.unwrap().to_rfc3339(), "2019-04-02T14:00:00+00:00");
    assert_eq!(m.message_id.as_deref(), Some("abc.123@carrier.example"));
}

#[test]
fn charsets_and_transfer_encodings() {
    // ISO-8859-1 quoted-printable
    let m = Email::parse(&mail(
        "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable",
        "Stra=DFe, Gr=FC=DFe, soft=\r\nbreak",
    ))
    .unwrap();
    assert_eq!(m.text().trim(), "Straße, Grüße, softbreak");
    // ISO-8859-15 has the euro sign at 0xA4
    let m = Email::parse(&mail(
        "Content-Type: text/plain; charset=ISO-8859-15\r\nContent-Transfer-Encoding: 8bit",
        "",
    ))
    .unwrap();
    assert_eq!(m.text().trim(), "");
    let mut raw =
        b"Content-Type: text/plain; charset=ISO-8859-15\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            .to_vec();
    raw.extend_from_slice(&[b'1', b'0', b'0', b' ', 0xA4]);
    assert_eq!(Email::parse(&raw).unwrap().text().trim(), "100 €");
    // Windows-1252 curly quotes
    let mut raw = b"Content-Type: text/plain; charset=windows-1252\r\n\r\n".to_vec();
    raw.extend_from_slice(&[0x93, b'o', b'k', 0x94]);
    assert_eq!(
        Email::parse(&raw).unwrap().text().trim(),
        "\u{201c}ok\u{201d}"
    );
    // Windows-1251 Cyrillic
    let mut raw = b"Content-Type: text/plain; charset=windows-1251\r\n\r\n".to_vec();
    raw.extend_from_slice(&[0xD0, 0xE0, 0xE1, 0xEE, 0xF2, 0xFB]);
    assert_eq!(Email::parse(&raw).unwrap().text().trim(), "Работы");
    // UTF-8 base64
    let m = Email::parse(&mail(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64",
        "TWFpbnRlbmFuY2Ugw6AgMjI6MDA=",
    ))
    .unwrap();
    assert_eq!(m.text().trim(), "Maintenance à 22:00");
}

#[test]
fn unknown_or_lying_charset_falls_back_without_losing_text() {
    let m = Email::parse(&mail(
        "Content-Type: text/plain; charset=x-klingon",
        "plain ascii survives",
    ))
    .unwrap();
    assert_eq!(m.text().trim(), "plain ascii survives");
    // declared us-ascii but 8-bit Latin-1 inside: read as Windows-1252, not dropped
    let mut raw = b"Content-Type: text/plain; charset=us-ascii\r\n\r\n".to_vec();
    raw.extend_from_slice(&[b'c', b'a', b'f', 0xE9]);
    assert_eq!(Email::parse(&raw).unwrap().text().trim(), "café");
}

const NESTED: &str = "From: helpdesk@customer.example\r\nSubject: FW: notice\r\nContent-Type: multipart/mixed; boundary=A\r\n\r\n--A\r\nContent-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--B\r\nContent-Type: text/html\r\n\r\n<table><tr><td>Circuit</td><td>X-1</td></tr></table>\r\n--B--\r\n--A\r\nContent-Type: text/csv; name=circuits.csv\r\nContent-Disposition: attachment; filename=circuits.csv\r\n\r\nid,impact\r\nX-1,outage\r\n--A\r\nContent-Type: message/rfc822\r\n\r\nFrom: NOC <noc@carrier.example>\r\nSubject: Planned work\r\nContent-Type: text/plain\r\n\r\ninner body\r\n--A\r\nContent-Type: application/octet-stream; name=notice.ics\r\nContent-Transfer-Encoding: base64\r\n\r\nQkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=\r\n--A--\r\n";

#[test]
fn structure_parts_attachments_and_forwards() {
    let m = Email::parse(NESTED.as_bytes()).unwrap();
    let mimes: Vec<&str> = m.parts.iter().map(|p| p.mime.as_str()).collect();
    assert_eq!(
        mimes,
        [
            "text/plain",
            "text/html",
            "text/csv",
            "application/octet-stream"
        ]
    );
    let csv = m
        .attachments()
        .find(|p| p.filename.as_deref() == Some("circuits.csv"))
        .unwrap();
    assert_eq!(
        csv.text.as_deref().unwrap().lines().nth(1),
        Some("X-1,outage")
    );
    // .ics by file name even with a generic MIME type
    assert_eq!(m.calendars(), vec!["BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"]);
    assert_eq!(m.forwarded.len(), 1);
    assert_eq!(
        m.forwarded[0].from.as_ref().unwrap().domain(),
        "carrier.example"
    );
    assert_eq!(m.forwarded[0].subject, "Planned work");
    // text(): plain body, then the forwarded message's text
    assert!(m.text().starts_with("see below"));
    assert!(m.text().contains("inner body"));
    // HTML keeps table cells apart
    assert_eq!(m.html_text().trim(), "Circuit\tX-1");
    assert_eq!(m.html_docs().len(), 1);
    assert_eq!(m.senders().len(), 2);
}

#[test]
fn html_only_mail_is_rendered_as_text() {
    let m = Email::parse(&mail(
        "Content-Type: text/html; charset=utf-8",
        "<html><head><style>p{color:red}</style></head><body><p>Start:&nbsp;<b>2024-01-01</b></p><table><tr><th>Circuit</th><th>Impact</th></tr><tr><td>A</td><td>Outage</td></tr></table></body></html>",
    ))
    .unwrap();
    assert_eq!(
        m.text().trim(),
        "Start: 2024-01-01\nCircuit\tImpact\nA\tOutage"
    );
}

#[test]
fn bad_input_gives_typed_errors() {
    assert!(matches!(Email::parse(b""), Err(Error::Malformed { .. })));
    assert!(matches!(
        Email::parse(b"   \r\n  "),
        Err(Error::Malformed { .. })
    ));
    let big = vec![b'a'; 1024];
    let tiny = Limits {
        max_size: 100,
        ..Limits::default()
    };
    assert!(matches!(
        Email::parse_with(&big, &tiny),
        Err(Error::TooLarge {
            size: 1024,
            limit: 100
        })
    ));
}

#[test]
fn broken_and_truncated_input_never_panics() {
    let samples: Vec<Vec<u8>> = vec![
        b"\x00\x01\x02\xff\xfe garbage".to_vec(),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
        // truncated MIME: boundary never closed, header cut
        b"Content-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\nContent-Type: text/pl".to_vec(),
        // broken base64
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not*base64###".to_vec(),
        // broken quoted-printable
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=4".to_vec(),
        b"Subject: =?utf-8?B?////?=\r\nFrom: <<<@@@>>>\r\n\r\nx".to_vec(),
    ];
    for s in samples {
        let r = Email::parse(&s);
        if let Ok(m) = r {
            let _ = m.text();
            let _ = m.html_docs();
        }
    }
}

#[test]
fn ten_thousand_deep_nesting_is_refused() {
    let mut raw = String::new();
    for i in 0..10_000 {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\r\n\r\ndeep\r\n");
    let r = Email::parse(raw.as_bytes());
    assert!(matches!(r, Err(Error::TooDeep { .. })), "{r:?}");
    // forwarded-message nesting is bounded by Limits::max_depth too
    let mut msg = "Subject: core\r\n\r\nx".to_string();
    for _ in 0..40 {
        msg = format!("Subject: wrap\r\nContent-Type: message/rfc822\r\n\r\n{msg}");
    }
    assert!(matches!(
        Email::parse(msg.as_bytes()),
        Err(Error::TooDeep { .. })
    ));
}

#[test]
fn fifty_megabyte_attachment_is_refused_by_size() {
    let mut raw = b"Content-Type: application/octet-stream\r\n\r\n".to_vec();
    raw.resize(50 * 1024 * 1024, b'A');
    assert!(matches!(Email::parse(&raw), Err(Error::TooLarge { .. })));
}
