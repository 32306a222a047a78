//! The DOM-free text rendering (`html::stream_to_text`) gives exactly the
//! DOM rendering (`html::doc_to_text` over html5ever's tree) on every HTML
//! body of the reference corpus (`../shared/corpus/real`, or
//! `MNP_REAL_CORPUS`) and the project's fixtures, and on cut-off and
//! spliced variants of them; where it declines (`None`), `to_text` falls
//! back to the DOM, so only the share of declined documents is reported.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use mnp_core::{Email, html};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "eml") {
            out.push(p);
        }
    }
}

fn html_bodies() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let real = std::env::var_os("MNP_REAL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus/real"));
    let mut files = Vec::new();
    collect(&real, &mut files);
    collect(&root.join("corpus"), &mut files);
    let mut out = Vec::new();
    for f in files {
        let raw = std::fs::read(&f).unwrap();
        if let Ok(mail) = Email::parse(&raw) {
            for (i, src) in mail.html_sources().into_iter().enumerate() {
                out.push((format!("{}#{i}", f.display()), src.to_string()));
            }
        }
    }
    out
}

/// `Some(true)` when both renderings agree, `Some(false)` when they differ,
/// `None` when the stream declined.
fn agrees(src: &str) -> Option<bool> {
    let fast = html::stream_to_text(src)?;
    Some(fast == html::doc_to_text(&html::parse(src)))
}

#[test]
fn stream_rendering_equals_dom_rendering_on_the_corpus() {
    let bodies = html_bodies();
    assert!(bodies.len() > 50, "only {} HTML bodies found", bodies.len());
    let mut declined = Vec::new();
    let mut differ = Vec::new();
    for (name, src) in &bodies {
        match agrees(src) {
            Some(true) => {}
            Some(false) => differ.push(name.clone()),
            None => declined.push(name.clone()),
        }
    }
    eprintln!(
        "{} HTML bodies: {} rendered without a DOM, {} declined: {declined:?}",
        bodies.len(),
        bodies.len() - declined.len(),
        declined.len()
    );
    assert!(differ.is_empty(), "stream and DOM text differ: {differ:?}");
    // the fast path must be the common one
    assert!(declined.len() * 10 < bodies.len(), "declined: {declined:?}");
}

#[test]
fn stream_rendering_equals_dom_rendering_on_cut_and_spliced_bodies() {
    let bodies = html_bodies();
    let mut checked = 0;
    let mut differ = Vec::new();
    for (n, (name, src)) in bodies.iter().enumerate() {
        // cut at a few char boundaries (mid-tag, mid-entity, mid-comment)
        let len = src.len();
        for k in 1..8 {
            let mut cut = len * k / 8 + n % 7;
            while cut < len && !src.is_char_boundary(cut) {
                cut += 1;
            }
            let Some(head) = src.get(..cut) else { continue };
            // and splice the tail of another body after it
            let other = &bodies[(n + k) % bodies.len()].1;
            let mut from = other.len() * (8 - k) / 8;
            while from < other.len() && !other.is_char_boundary(from) {
                from += 1;
            }
            for variant in [head.to_string(), format!("{head}{}", &other[from..])] {
                match agrees(&variant) {
                    Some(true) => checked += 1,
                    Some(false) => {
                        differ.push(format!("{name} cut {cut} ({} bytes)", variant.len()))
                    }
                    None => {}
                }
            }
        }
    }
    eprintln!("{checked} variants agree");
    assert!(checked > 100);
    assert!(differ.is_empty(), "stream and DOM text differ: {differ:?}");
}

#[test]
fn tricky_markup_renders_like_the_dom() {
    let cases = [
        "a</div>b",
        "<div><table><tr><td>a</div>b</td></tr></table>",
        "<p>a<p>b</p></p>c",
        "<table><tr><td>a<td>b<tr><td>c</table>",
        "<table><td>x</td></table>",
        "<td>not a cell</td> text",
        "<title>T</title><p>x",
        "<html><head><title>T &amp; U</title><style>p{}</style></head><body>B</body></html>after",
        "x &amp &ampx &notit; &notin; &#65;&#x42;&#0;&#128;&#xD800; &# &#x; &zz; &",
        "<pre>\nkeep</pre><textarea>\n t &lt;</textarea>",
        "<script>if (a<b) {}</script>after<style>x</style >",
        "a<!-- c -->b<!--->c<!-->d<?pi>e<!doctype html>f<![CDATA[g]]>h</ x>i",
        "<b>bold<i>both</b>italic</i>",
        "<ul><li>one<li>two</ul><dl><dt>t<dd>d</dl>",
        "<table><caption>cap</caption><colgroup><col></colgroup><col><tr><th>h</th></tr></table>",
        "<table><tr><td>1</td></tr>\n <!-- c --> <tr><td>2</td></tr></table>",
        "<h1>a<h2>b</h1>c",
        "<div>a<span>b</div>c</span>d",
        "<p>a</b>b</p></p>c<br/>d</br>e",
        "<table><tr><td><table><tr><td>in</td></tr></table>out</td></tr></table>",
        "<form><form>x</form>y",
        "<a href='x>y'>link</a><img alt=\"a > b\">z",
        "\u{feff}<p>bom</p>",
        "line\r\nbreak\rcr",
        "<plaintext><b>all text",
        "<table><tr><td>a</td></p><td>b</td></br></tr></table>",
        "intro<table><p>x<span>y</p></span><hr><br/><tr><td>a</td></tr></table>",
        "intro<table>X<tr><td>a</td></tr></table>",
        "<table><tr><td>a</td></tr><div>late</div></table>",
        "<table><div>x<table><tr><td>t</td></tr></table></div></table>",
    ];
    let mut streamed = 0;
    for c in cases {
        let dom = html::doc_to_text(&html::parse(c));
        assert_eq!(html::to_text(c), dom, "for {c:?}");
        if let Some(fast) = html::stream_to_text(c) {
            assert_eq!(fast, dom, "for {c:?}");
            streamed += 1;
        }
    }
    // all but the foster-parented text, the late foster-parented block, the
    // nested `a`... here only these two are declined
    assert_eq!(streamed, cases.len() - 2);
}

mod props {
    use mnp_core::html;
    use proptest::prelude::*;

    /// Pieces that exercise the tokenizer and the tree model: tags of every
    /// kind the model treats specially, entities, comments, raw text.
    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<br>",
        "</br>",
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th>",
        "<tbody>",
        "</tbody>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<span>",
        "</span>",
        "<li>",
        "<ul>",
        "</ul>",
        "<h1>",
        "</h1>",
        "<title>",
        "</title>",
        "<style>",
        "</style>",
        "<script>",
        "</script>",
        "<!-- c -->",
        "<!--",
        "-->",
        "<head>",
        "</head>",
        "<body>",
        "</body>",
        "<html>",
        "<caption>",
        "<col>",
        "<colgroup>",
        "<form>",
        "</form>",
        "<pre>",
        "<textarea>",
        "</textarea>",
        "<a>",
        "</a>",
        "<font>",
        "</font>",
        "<center>",
        "<hr>",
        "<img src='x>y'>",
        "<td colspan=2>",
        " ",
        "\n",
        "\r\n",
        "\t",
        "x",
        "Start",
        "10:00",
        "&amp;",
        "&nbsp;",
        "&lt;b&gt;",
        "&#65;",
        "&notin",
        "&",
        "<",
        ">",
        "</ x>",
        "<!doctype html>",
        "<?x?>",
        "\u{a0}",
        "é",
        "<p/>",
        "<select>",
        "<svg>",
        "<input>",
        "<dd>",
        "<dt>",
        "<dl>",
        "<ol>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn stream_equals_dom_or_declines(idx in proptest::collection::vec(0..PIECES.len(), 0..40)) {
            let src: String = idx.iter().map(|&i| PIECES[i]).collect();
            let dom = html::doc_to_text(&html::parse(&src));
            if let Some(fast) = html::stream_to_text(&src) {
                prop_assert_eq!(fast, dom, "for {:?}", src);
            }
        }
    }
}

#[test]
fn attribute_values_read_like_the_dom() {
    use html::stream::attribute;
    let raw = " style='color: red' BGCOLOR=#ff0000 style=\"second\" empty data-x=\"a&amp;b&notit=1&lt\" /";
    assert_eq!(attribute(raw, "style").as_deref(), Some("color: red"));
    assert_eq!(attribute(raw, "bgcolor").as_deref(), Some("#ff0000"));
    assert_eq!(attribute(raw, "empty").as_deref(), Some(""));
    // `&notit=` keeps its text (attribute rule), `&lt` at the end decodes
    assert_eq!(attribute(raw, "data-x").as_deref(), Some("a&b&notit=1<"));
    assert_eq!(attribute(raw, "missing"), None);
    assert_eq!(attribute("", "style"), None);
    // the same values as html5ever's tree
    let doc = html::parse(&format!("<table><tr><td{raw}>x</td></tr></table>"));
    let td = doc
        .select(&scraper::Selector::parse("td").unwrap())
        .next()
        .unwrap();
    for name in ["style", "bgcolor", "empty", "data-x", "missing"] {
        assert_eq!(
            attribute(raw, name).as_deref(),
            td.value().attr(name),
            "{name}"
        );
    }
}
