//! Number formatting for tables: the one thousands formatter of the CLI.

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
    use super::thousands;

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
}
