//! The JSON lines the app prints, composed by hand (no serde offline), with numbers formatted as
//! the C app formats them, so that both print the same bytes for the same faces.
use std::fmt::Write;

/// `value` with `decimals` digits after the point, rounded half away from zero (C's llround).
pub fn fixed(out: &mut String, value: f64, decimals: u32) {
    let scale = 10i64.pow(decimals);
    let v = (value * scale as f64).round() as i64;
    let sign = if v < 0 { "-" } else { "" };
    let v = v.abs();
    let _ = write!(out, "{sign}{}.{:0width$}", v / scale, v % scale, width = decimals as usize);
}

/// `text` as a JSON string.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
