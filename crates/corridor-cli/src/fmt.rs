//! Formatting for people and programs: the one thousands formatter of the CLI, and the escaping
//! that keeps user input (place names, scenario and OD text, file contents) from reaching the
//! terminal raw: control characters and escape sequences are shown as `\u{..}` escapes in error
//! messages, tables and CSV alike, and CSV is written by the `csv` crate (quoted where needed).

use std::borrow::Cow;

/// A message with its control characters (escape sequences, carriage returns, ...) shown as
/// `\u{..}` escapes: errors, tables and reports echo the user's input, which must not drive the
/// terminal. Line breaks stay (messages and tables have lines of their own); see [`one_line`]
/// for a single field.
pub fn escape_controls(message: &str) -> Cow<'_, str> {
    escape(message, true)
}

/// A single field (a table cell, a CSV field, a name in a line of text) with every control
/// character escaped, line breaks and tabs included.
pub fn one_line(field: &str) -> Cow<'_, str> {
    escape(field, false)
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let raw = |c: char| c.is_control() && !(keep_newlines && c == '\n');
    if !s.chars().any(raw) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if raw(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the control characters serde_json leaves raw (DEL and the C1 controls, such
/// as U+009B, the one-character CSI) written as `\u00XX` escapes: the same JSON value, nothing
/// raw on the terminal. serde_json escapes the others itself; line breaks between values stay.
pub fn json_controls(json: &str) -> Cow<'_, str> {
    let raw = |c: char| c.is_control() && c != '\n';
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One CSV record (no line end) written by the `csv` crate, each field through [`one_line`]:
/// quoted where it holds a comma or a quote (the crate's rule), never a raw control
/// character.
pub fn csv_record<I, S>(fields: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(fields.into_iter().map(|f| one_line(f.as_ref()).into_owned())).expect("CSV to memory");
    let mut bytes = w.into_inner().expect("CSV to memory");
    bytes.pop();
    String::from_utf8(bytes).expect("UTF-8 in, UTF-8 out")
}

/// `println!` for anything that may hold user input: the line with [`escape_controls`] applied
/// (a no-op copy-free pass when there is nothing to escape).
macro_rules! outln {
    ($($arg:tt)*) => {
        println!("{}", $crate::fmt::escape_controls(&format!($($arg)*)))
    };
}
pub(crate) use outln;

/// `println!` for JSON: the text with [`json_controls`] applied.
macro_rules! jsonln {
    ($($arg:tt)*) => {
        println!("{}", $crate::fmt::json_controls(&format!($($arg)*)))
    };
}
pub(crate) use jsonln;

/// A whole number with thousands separators, the sign outside the groups: -181449 ->
/// "-181,449"; values that round to zero print "0" (never "-0").
pub fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if x < 0.0 && digits != "0" {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{csv_record, escape_controls, json_controls, one_line, thousands};

    #[test]
    fn thousands_separators_keep_the_sign_out_of_the_groups() {
        assert_eq!(thousands(-181449.0), "-181,449");
        assert_eq!(thousands(-123.0), "-123");
        assert_eq!(thousands(-1234.0), "-1,234");
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-0.2), "0");
        assert_eq!(thousands(-0.0), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1000.0), "1,000");
    }

    #[test]
    fn control_characters_are_escaped_and_csv_is_quoted() {
        let evil = "Istanbul\u{1b}[31m\r\u{7}\tx\ny";
        assert_eq!(escape_controls(evil), "Istanbul\\u{1b}[31m\\u{d}\\u{7}\\u{9}x\ny");
        assert_eq!(one_line(evil), "Istanbul\\u{1b}[31m\\u{d}\\u{7}\\u{9}x\\u{a}y");
        assert!(matches!(one_line("plain, text"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(escape_controls("a\u{9b}b"), "a\\u{9b}b", "the C1 CSI too");
        assert_eq!(csv_record(["a", "b,c", "say \"hi\"", ""]), "a,\"b,c\",\"say \"\"hi\"\"\",");
        let line = csv_record([evil, "x"]);
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        assert_eq!(line, "Istanbul\\u{1b}[31m\\u{d}\\u{7}\\u{9}x\\u{a}y,x");
        let json = serde_json::to_string_pretty(&serde_json::json!({"name": "a\u{1b}b\u{9b}c\u{7f}"})).unwrap();
        let safe = json_controls(&json);
        assert!(!safe.chars().any(|c| c.is_control() && c != '\n'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], "a\u{1b}b\u{9b}c\u{7f}");
    }
}
