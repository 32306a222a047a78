//! A small, self-contained SVG utilisation chart for one circuit.
//!
//! Utilisation (percent of the ceiling) over time as a line, the threshold
//! as a dashed red line, the resolve level (optional) as a dotted grey line,
//! a 25 % grid and the first/last instants on the time axis. The y axis runs
//! from 0 to 110 % (or the next 10 % above the highest point). The line is
//! broken across gaps longer than `max_gap` so missing data is visible, not
//! interpolated. No scripts, no external references; every text is
//! XML-escaped, so the SVG can be embedded in HTML or served as is.

use chrono::{DateTime, Utc};

use crate::units::{Seconds, format_percent};

/// One point of the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartPoint {
    /// Instant.
    pub ts: DateTime<Utc>,
    /// Utilisation, percent of the ceiling.
    pub percent: f64,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart<'a> {
    /// Title (usually the circuit id and customer).
    pub title: &'a str,
    /// Points in time order.
    pub points: &'a [ChartPoint],
    /// Threshold, percent.
    pub threshold_percent: f64,
    /// Resolve level, percent, if it should be drawn.
    pub resolve_percent: Option<f64>,
    /// Break the line where consecutive points are further apart than this.
    pub max_gap: Option<Seconds>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl<'a> Chart<'a> {
    /// A 720 × 240 chart without resolve line or gap breaking.
    pub fn new(title: &'a str, points: &'a [ChartPoint], threshold_percent: f64) -> Self {
        Chart {
            title,
            points,
            threshold_percent,
            resolve_percent: None,
            max_gap: None,
            width: 720,
            height: 240,
        }
    }
}

const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 28.0;

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // XML 1.0 forbids most control characters.
            c if c.is_control() && c != '\n' && c != '\t' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// Renders the chart as a standalone SVG document.
pub fn render(c: &Chart<'_>) -> String {
    use std::fmt::Write as _;
    let width = f64::from(c.width.max(160));
    let height = f64::from(c.height.max(100));
    let pw = width - LEFT - RIGHT;
    let ph = height - TOP - BOTTOM;
    let finite = || c.points.iter().filter(|p| p.percent.is_finite());
    let max_p = finite()
        .map(|p| p.percent)
        .fold(c.threshold_percent, f64::max);
    let y_max = if max_p <= 100.0 {
        110.0
    } else {
        (max_p / 10.0).ceil() * 10.0 + 10.0
    };
    let y = |p: f64| TOP + ph - (p.clamp(0.0, y_max) / y_max) * ph;
    let t_min = finite().map(|p| p.ts.timestamp_millis()).min();
    let t_max = finite().map(|p| p.ts.timestamp_millis()).max();
    let x = |ts: i64| match (t_min, t_max) {
        (Some(a), Some(b)) if b > a => LEFT + (ts - a) as f64 / (b - a) as f64 * pw,
        _ => LEFT + pw / 2.0,
    };

    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" font-size="11">
<title>{title}</title>
<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>
<text x="{LEFT}" y="18" font-size="13" font-weight="bold" fill="#1f2933">{title}</text>
"##,
        w = width,
        h = height,
        title = escape(c.title),
    );
    // Grid every 25 %.
    let mut g = 0.0;
    while g <= y_max {
        let gy = y(g);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{gy:.1}" x2="{x2:.1}" y2="{gy:.1}" stroke="#e4e7eb" stroke-width="1"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="end" fill="#7b8794">{label}</text>"##,
            x2 = LEFT + pw,
            tx = LEFT - 6.0,
            ty = gy + 4.0,
            label = escape(&format_percent(g)),
        );
        g += 25.0;
    }
    // Threshold and resolve lines.
    let ty = y(c.threshold_percent);
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{ty:.1}" x2="{x2:.1}" y2="{ty:.1}" stroke="#c62828" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{x2:.1}" y="{tl:.1}" text-anchor="end" fill="#c62828">threshold {label}</text>"##,
        x2 = LEFT + pw,
        tl = ty - 4.0,
        label = escape(&format_percent(c.threshold_percent)),
    );
    if let Some(r) = c.resolve_percent.filter(|r| r.is_finite()) {
        let ry = y(r);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{ry:.1}" x2="{x2:.1}" y2="{ry:.1}" stroke="#7b8794" stroke-width="1" stroke-dasharray="2 3"/>"##,
            x2 = LEFT + pw,
        );
    }
    // The data, one polyline per run without gaps.
    let gap_ms = c.max_gap.map(Seconds::as_millis);
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut last: Option<i64> = None;
    for p in finite() {
        let t = p.ts.timestamp_millis();
        let broken = match (last, gap_ms) {
            (Some(l), Some(g)) => t - l > g,
            (None, _) => true,
            _ => false,
        };
        if broken {
            runs.push(Vec::new());
        }
        if let Some(run) = runs.last_mut() {
            run.push((x(t), y(p.percent)));
        }
        last = Some(t);
    }
    for run in &runs {
        if let [(px, py)] = run.as_slice() {
            let _ = writeln!(
                s,
                r##"<circle cx="{px:.1}" cy="{py:.1}" r="2" fill="#12355b"/>"##
            );
        } else {
            let pts: Vec<String> = run
                .iter()
                .map(|(px, py)| format!("{px:.1},{py:.1}"))
                .collect();
            let _ = writeln!(
                s,
                r##"<polyline points="{}" fill="none" stroke="#12355b" stroke-width="1.5" stroke-linejoin="round"/>"##,
                pts.join(" ")
            );
        }
    }
    // Time axis.
    let by = height - 10.0;
    match (t_min, t_max) {
        (Some(a), Some(b)) => {
            let fmt = |ms: i64| escape(&crate::units::format_time(crate::units::from_millis(ms)));
            let _ = writeln!(
                s,
                r##"<text x="{LEFT}" y="{by}" fill="#52606d">{}</text>"##,
                fmt(a)
            );
            if b > a {
                let _ = writeln!(
                    s,
                    r##"<text x="{:.1}" y="{by}" text-anchor="end" fill="#52606d">{}</text>"##,
                    LEFT + pw,
                    fmt(b)
                );
            }
        }
        _ => {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#7b8794">no data</text>"##,
                LEFT + pw / 2.0,
                TOP + ph / 2.0
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(m: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + m * 60, 0).unwrap()
    }

    #[test]
    fn coordinates_by_hand() {
        // 400 × 200: plot 336 × 144 at (48, 28); y axis 0–110 %.
        let pts = [
            ChartPoint {
                ts: t(0),
                percent: 0.0,
            },
            ChartPoint {
                ts: t(60),
                percent: 55.0,
            },
        ];
        let mut c = Chart::new("C1", &pts, 100.0);
        c.width = 400;
        c.height = 200;
        let svg = render(&c);
        // (t0, 0 %) → (48, 172); (t0 + 1 h, 55 %) → (384, 172 − 72 = 100).
        assert!(svg.contains(r#"points="48.0,172.0 384.0,100.0""#), "{svg}");
        // 100 % → 172 − 144 · 100/110 = 41.09.
        assert!(svg.contains(r#"y1="41.1""#));
        assert!(svg.contains("threshold 100 %"));
        assert!(svg.contains("2023-11-14 22:13 UTC"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\""));
    }

    #[test]
    fn gaps_break_the_line_and_scale_grows() {
        let pts = [
            ChartPoint {
                ts: t(0),
                percent: 50.0,
            },
            ChartPoint {
                ts: t(1),
                percent: 60.0,
            },
            ChartPoint {
                ts: t(30),
                percent: 123.0,
            },
        ];
        let mut c = Chart::new("C1", &pts, 100.0);
        c.max_gap = Some(Seconds::minutes(10));
        c.resolve_percent = Some(90.0);
        let svg = render(&c);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 1);
        // Highest 123 % → axis to 140 %: grid labels 0, 25, … 125.
        assert!(svg.contains(">125 %<"));
        assert!(!svg.contains(">150 %<"));
        assert!(svg.contains("stroke-dasharray=\"2 3\""));
    }

    #[test]
    fn text_is_escaped_and_empty_is_fine() {
        let svg = render(&Chart::new(
            "<script>alert('x')</script> & \"q\"\u{1}",
            &[],
            100.0,
        ));
        assert!(!svg.contains("<script"));
        assert!(
            svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; ")
        );
        assert!(svg.contains("no data"));
    }
}
