//! Simple XSD values: parsing from element/attribute text and writing their lexical form.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::IntErrorKind;
use std::str::FromStr;

use base64::Engine as _;

/// A simple XSD value that can be read from and written to element or attribute text.
pub trait SimpleValue: Sized {
    /// Parses the (unescaped) text. Each implementation applies its XSD `whiteSpace` facet:
    /// `String` keeps the text as is, every other type trims / collapses whitespace.
    /// The error is a plain-language reason.
    fn parse_xml(text: &str) -> Result<Self, String>;
    /// The lexical form to write.
    fn to_xml(&self) -> Cow<'_, str>;
}

/// The error of the `FromStr` implementations of the value types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseValueError(pub String);

#[inline]
fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Removes leading and trailing XML whitespace (space, tab, LF, CR).
#[inline]
pub fn trim_ws(s: &str) -> &str {
    s.trim_matches(is_ws)
}

/// XSD `whiteSpace="collapse"`: trims and replaces every run of whitespace by one space.
pub fn collapse_ws(s: &str) -> Cow<'_, str> {
    let t = trim_ws(s);
    let needs = t.bytes().zip(t.bytes().skip(1)).any(|(a, b)| {
        matches!(a, b'\t' | b'\n' | b'\r')
            || (a == b' ' && matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    }) || t.ends_with(['\t', '\n', '\r']);
    if !needs {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if is_ws(c) {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// XSD `whiteSpace="replace"`: every tab, LF and CR becomes a space.
pub fn replace_ws(s: &str) -> Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        Cow::Owned(s.replace(['\t', '\n', '\r'], " "))
    } else {
        Cow::Borrowed(s)
    }
}

// ------------------------------------------------------------------------------------------------
// String, bool

impl SimpleValue for String {
    fn parse_xml(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl SimpleValue for bool {
    fn parse_xml(text: &str) -> Result<Self, String> {
        match trim_ws(text) {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err("expected true, false, 1 or 0".to_string()),
        }
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

// ------------------------------------------------------------------------------------------------
// Integers

fn parse_int<T>(text: &str, type_name: &str, unsigned: bool) -> Result<T, String>
where
    T: FromStr<Err = std::num::ParseIntError>,
{
    let t = trim_ws(text);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a valid integer".to_string());
    }
    if unsigned && t.starts_with('-') {
        if digits.bytes().all(|b| b == b'0') {
            return "0".parse::<T>().map_err(|e| e.to_string());
        }
        return Err(format!("integer out of range for {type_name}"));
    }
    t.parse::<T>().map_err(|e| match e.kind() {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => {
            format!("integer out of range for {type_name}")
        }
        _ => "not a valid integer".to_string(),
    })
}

macro_rules! int_value {
    ($($t:ty => $unsigned:expr),* $(,)?) => {$(
        impl SimpleValue for $t {
            fn parse_xml(text: &str) -> Result<Self, String> {
                parse_int::<$t>(text, stringify!($t), $unsigned)
            }
            fn to_xml(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

int_value!(i8 => false, i16 => false, i32 => false, i64 => false, i128 => false,
    u8 => true, u16 => true, u32 => true, u64 => true, u128 => true);

// ------------------------------------------------------------------------------------------------
// Floating point

/// Checks the XSD float/double lexical form (special values excluded).
fn check_float_lexical(t: &str) -> Result<(), String> {
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut mantissa_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        mantissa_digits += i - frac_start;
    }
    if mantissa_digits == 0 {
        return Err("not a valid floating-point number".to_string());
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return Err("not a valid floating-point number (empty exponent)".to_string());
        }
    }
    if i != b.len() {
        return Err("not a valid floating-point number".to_string());
    }
    Ok(())
}

macro_rules! float_value {
    ($($t:ty),*) => {$(
        impl SimpleValue for $t {
            fn parse_xml(text: &str) -> Result<Self, String> {
                let t = trim_ws(text);
                match t {
                    "INF" | "+INF" => Ok(<$t>::INFINITY),
                    "-INF" => Ok(<$t>::NEG_INFINITY),
                    "NaN" => Ok(<$t>::NAN),
                    _ => {
                        check_float_lexical(t)?;
                        t.parse::<$t>().map_err(|e| e.to_string())
                    }
                }
            }
            fn to_xml(&self) -> Cow<'_, str> {
                if self.is_nan() {
                    Cow::Borrowed("NaN")
                } else if self.is_infinite() {
                    Cow::Borrowed(if *self > 0.0 { "INF" } else { "-INF" })
                } else {
                    // Debug gives the shortest form that parses back to the same value,
                    // with an exponent for very large or small magnitudes ("1e-7").
                    Cow::Owned(format!("{:?}", self))
                }
            }
        }
    )*};
}

float_value!(f32, f64);

// ------------------------------------------------------------------------------------------------
// Decimal

/// `xs:decimal`, exact: keeps its lexical form (whitespace trimmed); compares by value
/// (`1.50 == 1.5 == +01.5`, `-0 == 0`).
#[derive(Clone, Debug)]
pub struct Decimal {
    lexical: Box<str>,
}

impl Decimal {
    /// Parses an `xs:decimal` lexical form (surrounding whitespace allowed).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = trim_ws(text);
        let b = t.as_bytes();
        let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
        let int_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let mut digits = i - int_start;
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let f = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            digits += i - f;
        }
        if digits == 0 || i != b.len() {
            return Err("not a valid decimal number".to_string());
        }
        Ok(Decimal { lexical: t.into() })
    }

    /// The lexical form as read (or as built).
    pub fn as_str(&self) -> &str {
        &self.lexical
    }

    /// (negative, integer digits without leading zeros, fraction digits without trailing zeros).
    fn parts(&self) -> (bool, &str, &str) {
        let s: &str = &self.lexical;
        let neg = s.starts_with('-');
        let s = s.strip_prefix(['+', '-']).unwrap_or(s);
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let zero = int.is_empty() && frac.is_empty();
        (neg && !zero, int, frac)
    }

    /// True for any form of zero.
    pub fn is_zero(&self) -> bool {
        let (_, i, f) = self.parts();
        i.is_empty() && f.is_empty()
    }

    /// True for values below zero.
    pub fn is_negative(&self) -> bool {
        self.parts().0
    }

    /// The canonical form (`-1.5`, `0`, `12`): no '+', no leading or trailing zeros.
    pub fn canonical(&self) -> String {
        let (neg, int, frac) = self.parts();
        let mut s = String::new();
        if neg {
            s.push('-');
        }
        s.push_str(if int.is_empty() { "0" } else { int });
        if !frac.is_empty() {
            s.push('.');
            s.push_str(frac);
        }
        s
    }

    /// The nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        self.lexical.parse::<f64>().unwrap_or(f64::NAN)
    }

    /// The value as an `i64` when it is integral and in range.
    pub fn to_i64(&self) -> Option<i64> {
        let (neg, int, frac) = self.parts();
        if !frac.is_empty() {
            return None;
        }
        let s = if int.is_empty() { "0" } else { int };
        if neg {
            format!("-{s}").parse().ok()
        } else {
            s.parse().ok()
        }
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}
impl Eq for Decimal {}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let (an, ai, af) = self.parts();
        let (bn, bi, bf) = other.parts();
        let magnitude = ai
            .len()
            .cmp(&bi.len())
            .then_with(|| ai.cmp(bi))
            .then_with(|| af.cmp(bf));
        match (an, bn) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
        }
    }
}
impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<i64> for Decimal {
    fn from(v: i64) -> Self {
        Decimal {
            lexical: v.to_string().into(),
        }
    }
}

impl From<u64> for Decimal {
    fn from(v: u64) -> Self {
        Decimal {
            lexical: v.to_string().into(),
        }
    }
}

impl SimpleValue for Decimal {
    fn parse_xml(text: &str) -> Result<Self, String> {
        Decimal::parse(text)
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.lexical)
    }
}

// ------------------------------------------------------------------------------------------------
// DateTime

/// `xs:dateTime`: keeps its lexical form (trimmed) and the parsed fields.
///
/// Equality (`==`) compares the lexical forms; [`DateTime::same_instant`] compares values
/// (`2016-01-01T00:00:00Z` and `2016-01-01T01:00:00+01:00` are the same instant).
#[derive(Clone, Debug)]
pub struct DateTime {
    lexical: Box<str>,
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// Byte range of the fraction digits in `lexical` (empty when there is none).
    frac: (u32, u32),
    tz: Option<i16>,
}

fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in `month` of `year` (proleptic Gregorian, astronomical year numbering).
pub fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

struct Cursor<'s> {
    b: &'s [u8],
    i: usize,
}

impl<'s> Cursor<'s> {
    fn digits(&mut self, n: usize, what: &str) -> Result<u32, String> {
        let end = self.i + n;
        if end > self.b.len() || !self.b[self.i..end].iter().all(u8::is_ascii_digit) {
            return Err(format!("expected {n} digits for the {what}"));
        }
        let v = self.b[self.i..end]
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
        self.i = end;
        Ok(v)
    }
    fn expect(&mut self, c: u8, what: &str) -> Result<(), String> {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' {what}", c as char))
        }
    }
}

impl DateTime {
    /// Parses an `xs:dateTime` (surrounding whitespace allowed):
    /// `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = trim_ws(text);
        let mut c = Cursor {
            b: t.as_bytes(),
            i: 0,
        };
        let neg = c.b.first() == Some(&b'-');
        if neg {
            c.i = 1;
        }
        let ys = c.i;
        while c.i < c.b.len() && c.b[c.i].is_ascii_digit() {
            c.i += 1;
        }
        let ydigits = &t[ys..c.i];
        if ydigits.len() < 4 {
            return Err("the year must have at least 4 digits".to_string());
        }
        if ydigits.len() > 4 && ydigits.starts_with('0') {
            return Err("a year of more than 4 digits must not start with 0".to_string());
        }
        let year: i32 = ydigits
            .parse()
            .map_err(|_| "year out of range".to_string())?;
        if neg && year == 0 {
            return Err("year -0000 is not allowed".to_string());
        }
        let year = if neg { -year } else { year };
        c.expect(b'-', "after the year")?;
        let month = c.digits(2, "month")? as u8;
        c.expect(b'-', "after the month")?;
        let day = c.digits(2, "day")? as u8;
        c.expect(b'T', "between date and time")?;
        let hour = c.digits(2, "hour")? as u8;
        c.expect(b':', "after the hour")?;
        let minute = c.digits(2, "minutes")? as u8;
        c.expect(b':', "after the minutes")?;
        let second = c.digits(2, "seconds")? as u8;
        let mut frac = (0u32, 0u32);
        if c.b.get(c.i) == Some(&b'.') {
            c.i += 1;
            let fs = c.i;
            while c.i < c.b.len() && c.b[c.i].is_ascii_digit() {
                c.i += 1;
            }
            if c.i == fs {
                return Err("expected digits after '.' in the seconds".to_string());
            }
            frac = (fs as u32, c.i as u32);
        }
        let tz = match c.b.get(c.i) {
            None => None,
            Some(b'Z') => {
                c.i += 1;
                Some(0i16)
            }
            Some(&s @ (b'+' | b'-')) => {
                c.i += 1;
                let th = c.digits(2, "timezone hours")?;
                c.expect(b':', "in the timezone")?;
                let tm = c.digits(2, "timezone minutes")?;
                if th > 14 || tm > 59 || (th == 14 && tm != 0) {
                    return Err("timezone offset out of range (-14:00 to +14:00)".to_string());
                }
                let m = (th * 60 + tm) as i16;
                Some(if s == b'-' { -m } else { m })
            }
            Some(_) => return Err("unexpected characters after the time".to_string()),
        };
        if c.i != c.b.len() {
            return Err("unexpected characters after the timezone".to_string());
        }
        if !(1..=12).contains(&month) {
            return Err(format!("month {month:02} out of range"));
        }
        if day < 1 || day > days_in_month(i64::from(year), month) {
            return Err(format!(
                "day {day:02} out of range for {}",
                &t[..ys + ydigits.len() + 3]
            ));
        }
        if hour > 24 || minute > 59 || second > 59 {
            return Err("time out of range".to_string());
        }
        let frac_zero = t[frac.0 as usize..frac.1 as usize]
            .bytes()
            .all(|b| b == b'0');
        if hour == 24 && (minute != 0 || second != 0 || !frac_zero) {
            return Err("24:00:00 is the only time allowed with hour 24".to_string());
        }
        Ok(DateTime {
            lexical: t.into(),
            year,
            month,
            day,
            hour,
            minute,
            second,
            frac,
            tz,
        })
    }

    /// Builds a value from fields; `nanosecond` < 1e9, `tz_minutes` the offset from UTC.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        year: i32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        nanosecond: u32,
        tz_minutes: Option<i16>,
    ) -> Result<Self, String> {
        if nanosecond >= 1_000_000_000 {
            return Err("nanosecond out of range".to_string());
        }
        let mut s = if year < 0 {
            format!("-{:04}", -i64::from(year))
        } else {
            format!("{year:04}")
        };
        s.push_str(&format!(
            "-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        ));
        if nanosecond != 0 {
            let f = format!("{nanosecond:09}");
            s.push('.');
            s.push_str(f.trim_end_matches('0'));
        }
        match tz_minutes {
            None => {}
            Some(0) => s.push('Z'),
            Some(m) => {
                let sign = if m < 0 { '-' } else { '+' };
                let a = m.unsigned_abs();
                s.push_str(&format!("{sign}{:02}:{:02}", a / 60, a % 60));
            }
        }
        DateTime::parse(&s)
    }

    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.lexical
    }
    /// Year (astronomical numbering: may be 0 or negative, may have more than 4 digits).
    pub fn year(&self) -> i32 {
        self.year
    }
    /// Month, 1..=12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// Day of month, 1..=31.
    pub fn day(&self) -> u8 {
        self.day
    }
    /// Hour, 0..=24 (24 only as 24:00:00).
    pub fn hour(&self) -> u8 {
        self.hour
    }
    /// Minute, 0..=59.
    pub fn minute(&self) -> u8 {
        self.minute
    }
    /// Second, 0..=59.
    pub fn second(&self) -> u8 {
        self.second
    }
    /// The fraction-of-second digits as written (without the '.'; "" when absent).
    pub fn fraction(&self) -> &str {
        &self.lexical[self.frac.0 as usize..self.frac.1 as usize]
    }
    /// The fraction of second in nanoseconds (digits beyond the 9th are dropped).
    pub fn nanosecond(&self) -> u32 {
        let f = self.fraction();
        let mut n = 0u32;
        for i in 0..9 {
            n = n * 10 + f.as_bytes().get(i).map_or(0, |d| u32::from(d - b'0'));
        }
        n
    }
    /// Timezone offset from UTC in minutes (`Z` = 0), `None` when absent.
    pub fn timezone(&self) -> Option<i16> {
        self.tz
    }

    /// Seconds since 1970-01-01T00:00:00 (in UTC when there is a timezone, local otherwise)
    /// and the fraction digits without trailing zeros.
    fn instant(&self) -> (i64, &str) {
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        let secs = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.tz.unwrap_or(0)) * 60;
        (secs, self.fraction().trim_end_matches('0'))
    }

    /// Value equality: the same point in time. Values with and without timezone are never
    /// the same instant (their order is indeterminate in XSD).
    pub fn same_instant(&self, other: &DateTime) -> bool {
        self.tz.is_some() == other.tz.is_some() && self.instant() == other.instant()
    }

    /// Seconds since the Unix epoch (the local time taken as UTC when there is no timezone).
    pub fn unix_seconds(&self) -> i64 {
        self.instant().0
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.lexical == other.lexical
    }
}
impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.lexical.hash(state);
    }
}

impl SimpleValue for DateTime {
    fn parse_xml(text: &str) -> Result<Self, String> {
        DateTime::parse(text)
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.lexical)
    }
}

// ------------------------------------------------------------------------------------------------
// Binary

/// `xs:hexBinary`; written as uppercase hex, read in either case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HexBinary(pub Vec<u8>);

/// `xs:base64Binary`; written as standard base64 without line breaks, read with any
/// whitespace inside (as xmldsig produces).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64Binary(pub Vec<u8>);

fn hex_nibble(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl HexBinary {
    /// Parses hex digits (surrounding whitespace allowed).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = trim_ws(text).as_bytes();
        if t.len() & 1 == 1 {
            return Err("hexBinary must have an even number of hex digits".to_string());
        }
        t.chunks_exact(2)
            .map(|p| match (hex_nibble(p[0]), hex_nibble(p[1])) {
                (Some(h), Some(l)) => Ok(h << 4 | l),
                _ => Err("hexBinary contains a character that is not a hex digit".to_string()),
            })
            .collect::<Result<Vec<u8>, String>>()
            .map(HexBinary)
    }
}

impl SimpleValue for HexBinary {
    fn parse_xml(text: &str) -> Result<Self, String> {
        HexBinary::parse(text)
    }
    fn to_xml(&self) -> Cow<'_, str> {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut s = String::with_capacity(self.0.len() * 2);
        for &b in &self.0 {
            s.push(DIGITS[usize::from(b >> 4)] as char);
            s.push(DIGITS[usize::from(b & 15)] as char);
        }
        Cow::Owned(s)
    }
}

impl Base64Binary {
    /// Parses base64 (whitespace anywhere is ignored; padding required).
    pub fn parse(text: &str) -> Result<Self, String> {
        let engine = &base64::engine::general_purpose::STANDARD;
        let result = if text
            .bytes()
            .any(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            let compact: Vec<u8> = text
                .bytes()
                .filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .collect();
            engine.decode(compact)
        } else {
            engine.decode(text)
        };
        result
            .map(Base64Binary)
            .map_err(|e| format!("not valid base64: {e}"))
    }
}

impl SimpleValue for Base64Binary {
    fn parse_xml(text: &str) -> Result<Self, String> {
        Base64Binary::parse(text)
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

/// `Display` writes the XML lexical form and `FromStr` parses it, for the value types whose
/// `SimpleValue` impl does both.
macro_rules! text_traits {
    ($($ty:ident),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_xml())
            }
        }

        impl FromStr for $ty {
            type Err = ParseValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::parse(s).map_err(ParseValueError)
            }
        }
    )*};
}

text_traits!(Decimal, DateTime, HexBinary, Base64Binary);
