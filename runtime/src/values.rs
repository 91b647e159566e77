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
    /// The kind of data-model value (RFC 8727 JSON/CBOR) the lexical form stands for.
    const SCALAR: Scalar = Scalar::Text;
    /// Parses the (unescaped) text. Each implementation applies its XSD `whiteSpace` facet:
    /// `String` keeps the text as is, every other type trims / collapses whitespace.
    /// The error is a plain-language reason.
    fn parse_xml(text: &str) -> Result<Self, String>;
    /// The lexical form to write.
    fn to_xml(&self) -> Cow<'_, str>;
    /// For an enumeration listing `ext-value` (RFC 7970 §5.1.1): the extension value its
    /// `Ext` member carries (from the paired `ext-*` attribute).
    fn ext(&self) -> Option<&str> {
        None
    }
    /// Gives an `Ext` member its extension value; `Err` hands `ext` back for any other value.
    fn set_ext(&mut self, ext: String) -> Result<(), String> {
        Err(ext)
    }
}

/// What kind of value a simple type holds, for the data-model codecs (RFC 8727 JSON and CBOR):
/// the XML codec only needs the lexical form, JSON and CBOR need numbers as numbers and binary
/// data as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// A string (also enumerations, URIs, dates: see the codec for those).
    Text,
    /// An integer.
    Integer,
    /// `xs:float`.
    Float,
    /// `xs:double` or `xs:decimal`.
    Double,
    /// `true` / `false`.
    Boolean,
    /// `xs:dateTime`.
    DateTime,
    /// `xs:base64Binary`: bytes.
    Base64,
    /// `xs:hexBinary`: bytes.
    Hex,
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
    const SCALAR: Scalar = Scalar::Boolean;
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

/// Reads the fixed-width XSD integer types (`xs:long` → `i64`, ..., `xs:unsignedByte` → `u8`):
/// their ranges are exactly those of the Rust types.
fn parse_int<T>(text: &str, xsd: &str, min: T, max: T, unsigned: bool) -> Result<T, String>
where
    T: FromStr<Err = std::num::ParseIntError> + fmt::Display,
{
    let t = trim_ws(text);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a valid integer".to_string());
    }
    let out_of_range = || format!("{t} is out of range for xs:{xsd} ({min} to {max})");
    if unsigned && t.starts_with('-') {
        // "-0" is zero, a valid unsigned value.
        if digits.bytes().all(|b| b == b'0') {
            return "0".parse::<T>().map_err(|e| e.to_string());
        }
        return Err(out_of_range());
    }
    t.parse::<T>().map_err(|e| match e.kind() {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => out_of_range(),
        _ => "not a valid integer".to_string(),
    })
}

macro_rules! int_value {
    ($($t:ty => $xsd:literal, $unsigned:expr);* $(;)?) => {$(
        impl SimpleValue for $t {
            const SCALAR: Scalar = Scalar::Integer;
            fn parse_xml(text: &str) -> Result<Self, String> {
                parse_int::<$t>(text, $xsd, <$t>::MIN, <$t>::MAX, $unsigned)
            }
            fn to_xml(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

int_value!(i8 => "byte", false; i16 => "short", false; i32 => "int", false; i64 => "long", false;
    i128 => "integer (128-bit)", false;
    u8 => "unsignedByte", true; u16 => "unsignedShort", true; u32 => "unsignedInt", true;
    u64 => "unsignedLong", true; u128 => "nonNegativeInteger (128-bit)", true);

/// `xs:integer`, exact and unbounded (an X.509 serial number has up to 160 bits, a file size
/// may pass 2^64).
///
/// Keeps its lexical form (surrounding whitespace removed) and writes it back as read:
/// `+007` stays `+007`. Equality, ordering and hashing are in the value space:
/// `+007 == 7`, `-0 == 0`. Values in `i64` range written canonically (the usual case) are
/// stored as an `i64`, without allocating.
///
/// ```
/// use iodef::Integer;
/// let serial: Integer = "1461501637330902918203684832716283019655932542975".parse()?; // 2^160 - 1
/// assert_eq!(serial.bits(), 160);
/// assert!(u128::try_from(&serial).is_err());
/// assert_eq!("+007".parse::<Integer>()?, Integer::from(7));
/// assert_eq!("+007".parse::<Integer>()?.to_string(), "+007");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Integer(IntRepr);

/// Zero.
impl Default for Integer {
    fn default() -> Self {
        Integer::from(0i8)
    }
}

#[derive(Clone)]
enum IntRepr {
    /// A value whose lexical form is its canonical decimal form (no `+`, no leading zero,
    /// not `-0`).
    Small(i64),
    /// Any other valid lexical form: beyond `i64`, or with `+`, leading zeros or `-0`.
    Text(Box<str>),
}

/// The error of `TryFrom<&Integer>` for Rust integers: the value does not fit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("integer {value} is out of range for {target}")]
pub struct IntegerRangeError {
    /// The value, in canonical form.
    pub value: String,
    /// The Rust type asked for.
    pub target: &'static str,
}

/// Writes the decimal digits of `v` at the end of `buf`; returns them ("" for zero, as the
/// canonical digits of [`Integer`] are without leading zeros).
fn u64_digits(mut v: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    while v > 0 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

impl Integer {
    /// Parses an `xs:integer` lexical form: an optional sign and at least one decimal digit,
    /// surrounding XML whitespace allowed (whiteSpace=collapse).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = trim_ws(text);
        let b = t.as_bytes();
        let (negative, digits) = match b.first() {
            Some(b'-') => (true, &b[1..]),
            Some(b'+') => (false, &b[1..]),
            _ => (false, b),
        };
        if digits.is_empty() {
            return Err("not a valid integer".to_string());
        }
        // One pass: check the digits and accumulate the magnitude while it fits a u64.
        let mut magnitude: Option<u64> = Some(0);
        for &c in digits {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return Err("not a valid integer".to_string());
            }
            magnitude = magnitude
                .and_then(|m| m.checked_mul(10))
                .and_then(|m| m.checked_add(u64::from(d)));
        }
        // Stored as an i64 only when writing that i64 gives back the text: no '+', no leading
        // zero, not "-0".
        let canonical = b[0] != b'+' && (digits[0] != b'0' || (digits.len() == 1 && !negative));
        if let (true, Some(m)) = (canonical, magnitude) {
            let value = if negative {
                0i64.checked_sub_unsigned(m)
            } else {
                i64::try_from(m).ok()
            };
            if let Some(v) = value {
                return Ok(Integer(IntRepr::Small(v)));
            }
        }
        Ok(Integer(IntRepr::Text(t.into())))
    }

    /// The lexical form as read (or, for a value built from a Rust integer, its decimal form).
    pub fn lexical(&self) -> Cow<'_, str> {
        match &self.0 {
            IntRepr::Small(v) => Cow::Owned(v.to_string()),
            IntRepr::Text(t) => Cow::Borrowed(t),
        }
    }

    /// Calls `f` with (negative, digits without leading zeros; "" for zero).
    fn with_parts<R>(&self, f: impl FnOnce(bool, &str) -> R) -> R {
        match &self.0 {
            IntRepr::Small(v) => {
                let mut buf = [0u8; 20];
                f(*v < 0, u64_digits(v.unsigned_abs(), &mut buf))
            }
            IntRepr::Text(t) => {
                let digits = t.trim_start_matches(['+', '-']).trim_start_matches('0');
                f(t.starts_with('-') && !digits.is_empty(), digits)
            }
        }
    }

    /// The canonical form: no `+`, no leading zeros, `0` for zero.
    pub fn canonical(&self) -> String {
        self.with_parts(|neg, digits| match (neg, digits) {
            (_, "") => "0".to_string(),
            (true, d) => format!("-{d}"),
            (false, d) => d.to_string(),
        })
    }

    /// -1, 0 or 1.
    pub fn signum(&self) -> i8 {
        if let IntRepr::Small(v) = self.0 {
            return v.signum() as i8;
        }
        self.with_parts(|neg, digits| match (neg, digits.is_empty()) {
            (_, true) => 0,
            (true, false) => -1,
            (false, false) => 1,
        })
    }

    /// True for any form of zero (`0`, `-0`, `+000`).
    pub fn is_zero(&self) -> bool {
        self.signum() == 0
    }

    /// True below zero.
    pub fn is_negative(&self) -> bool {
        self.signum() < 0
    }

    /// True above zero.
    pub fn is_positive(&self) -> bool {
        self.signum() > 0
    }

    /// Number of significant decimal digits (0 for zero): what `totalDigits` counts.
    pub fn digits(&self) -> usize {
        self.with_parts(|_, d| d.len())
    }

    /// Bits of the magnitude (0 for zero; 160 for 2^160 - 1). Time grows with the square of
    /// the number of digits (never called when reading or writing).
    pub fn bits(&self) -> u32 {
        if let IntRepr::Small(v) = self.0 {
            return u64::BITS - v.unsigned_abs().leading_zeros();
        }
        self.with_parts(|_, digits| {
            // Binary length by repeated halving of the decimal digit string.
            let mut d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
            let mut bits = 0;
            while !d.is_empty() {
                let mut rem = 0;
                for x in d.iter_mut() {
                    let cur = rem * 10 + *x;
                    *x = cur / 2;
                    rem = cur % 2;
                }
                let lead = d.iter().take_while(|&&x| x == 0).count();
                d.drain(..lead);
                bits += 1;
            }
            bits
        })
    }

    /// The value as an `i128` (the widest the conversions go through).
    fn to_i128(&self) -> Result<i128, IntegerRangeError> {
        if let IntRepr::Small(v) = self.0 {
            return Ok(i128::from(v));
        }
        self.with_parts(|neg, digits| {
            let err = || IntegerRangeError {
                value: self.canonical(),
                target: "i128",
            };
            let m: u128 = if digits.is_empty() {
                0
            } else {
                digits.parse().map_err(|_| err())?
            };
            if neg {
                0i128.checked_sub_unsigned(m).ok_or_else(err)
            } else {
                i128::try_from(m).map_err(|_| err())
            }
        })
    }
}

impl fmt::Debug for Integer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Integer({})", self.lexical())
    }
}

/// The lexical form, as read.
impl fmt::Display for Integer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            IntRepr::Small(v) => fmt::Display::fmt(v, f),
            IntRepr::Text(t) => f.write_str(t),
        }
    }
}

impl FromStr for Integer {
    type Err = ParseValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Integer::parse(s).map_err(ParseValueError)
    }
}

impl PartialEq for Integer {
    fn eq(&self, other: &Self) -> bool {
        if let (IntRepr::Small(a), IntRepr::Small(b)) = (&self.0, &other.0) {
            return a == b;
        }
        self.with_parts(|an, ad| other.with_parts(|bn, bd| an == bn && ad == bd))
    }
}
impl Eq for Integer {}

impl Hash for Integer {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.with_parts(|neg, digits| (neg, digits).hash(state));
    }
}

impl Ord for Integer {
    fn cmp(&self, other: &Self) -> Ordering {
        if let (IntRepr::Small(a), IntRepr::Small(b)) = (&self.0, &other.0) {
            return a.cmp(b);
        }
        self.with_parts(|an, ad| {
            other.with_parts(|bn, bd| {
                let magnitude = ad.len().cmp(&bd.len()).then_with(|| ad.cmp(bd));
                match (an, bn) {
                    (false, true) => Ordering::Greater,
                    (true, false) => Ordering::Less,
                    (false, false) => magnitude,
                    (true, true) => magnitude.reverse(),
                }
            })
        })
    }
}
impl PartialOrd for Integer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

macro_rules! integer_from_small {
    ($($t:ty),*) => {$(
        impl From<$t> for Integer {
            fn from(v: $t) -> Self {
                Integer(IntRepr::Small(i64::from(v)))
            }
        }
    )*};
}
integer_from_small!(i8, i16, i32, i64, u8, u16, u32);

macro_rules! integer_from_wide {
    ($($t:ty),*) => {$(
        impl From<$t> for Integer {
            fn from(v: $t) -> Self {
                match i64::try_from(v) {
                    Ok(v) => Integer(IntRepr::Small(v)),
                    Err(_) => Integer(IntRepr::Text(v.to_string().into())),
                }
            }
        }
    )*};
}
integer_from_wide!(u64, i128, u128);

macro_rules! integer_try_into {
    ($($t:ty),*) => {$(
        impl TryFrom<&Integer> for $t {
            type Error = IntegerRangeError;
            fn try_from(v: &Integer) -> Result<$t, IntegerRangeError> {
                let err = || IntegerRangeError { value: v.canonical(), target: stringify!($t) };
                match v.0 {
                    IntRepr::Small(s) => <$t>::try_from(s).map_err(|_| err()),
                    IntRepr::Text(_) => {
                        let wide = v.to_i128().map_err(|_| err())?;
                        <$t>::try_from(wide).map_err(|_| err())
                    }
                }
            }
        }
        impl TryFrom<Integer> for $t {
            type Error = IntegerRangeError;
            fn try_from(v: Integer) -> Result<$t, IntegerRangeError> {
                <$t>::try_from(&v)
            }
        }
    )*};
}
integer_try_into!(i8, i16, i32, i64, i128, u8, u16, u32, u64);

impl TryFrom<&Integer> for u128 {
    type Error = IntegerRangeError;
    fn try_from(v: &Integer) -> Result<u128, IntegerRangeError> {
        let err = || IntegerRangeError {
            value: v.canonical(),
            target: "u128",
        };
        if let IntRepr::Small(s) = v.0 {
            return u128::try_from(s).map_err(|_| err());
        }
        v.with_parts(|neg, digits| match (neg, digits) {
            (_, "") => Ok(0),
            (true, _) => Err(err()),
            (false, d) => d.parse().map_err(|_| err()),
        })
    }
}
impl TryFrom<Integer> for u128 {
    type Error = IntegerRangeError;
    fn try_from(v: Integer) -> Result<u128, IntegerRangeError> {
        u128::try_from(&v)
    }
}

impl SimpleValue for Integer {
    const SCALAR: Scalar = Scalar::Integer;
    fn parse_xml(text: &str) -> Result<Self, String> {
        Integer::parse(text)
    }
    fn to_xml(&self) -> Cow<'_, str> {
        self.lexical()
    }
}

/// The XSD integer types bounded on one side by zero, as checked newtypes over [`Integer`].
macro_rules! integer_kind {
    ($($(#[$doc:meta])* $name:ident = $xsd:literal, $rule:literal, |$s:ident| $holds:expr, default $default:literal;)*) => {$(
        /// The value nearest to zero the type allows (a placeholder for a value being built).
        impl Default for $name {
            fn default() -> Self {
                $name(Integer::from($default))
            }
        }

        $(#[$doc])*
        ///
        /// Dereferences to [`Integer`]; keeps the lexical form as read.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Integer);

        impl $name {
            /// Checks the range.
            pub fn new(value: Integer) -> Result<Self, String> {
                let $s = value.signum();
                if $holds {
                    Ok(Self(value))
                } else {
                    Err(format!(concat!("{} is out of range for xs:", $xsd, " (", $rule, ")"), value))
                }
            }
            /// The value.
            pub fn get(&self) -> &Integer {
                &self.0
            }
            /// The value, unwrapped.
            pub fn into_inner(self) -> Integer {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = Integer;
            fn deref(&self) -> &Integer {
                &self.0
            }
        }

        impl From<$name> for Integer {
            fn from(v: $name) -> Integer {
                v.0
            }
        }

        impl TryFrom<Integer> for $name {
            type Error = String;
            fn try_from(v: Integer) -> Result<Self, String> {
                Self::new(v)
            }
        }

        impl TryFrom<i64> for $name {
            type Error = String;
            fn try_from(v: i64) -> Result<Self, String> {
                Self::new(Integer::from(v))
            }
        }

        impl TryFrom<u64> for $name {
            type Error = String;
            fn try_from(v: u64) -> Result<Self, String> {
                Self::new(Integer::from(v))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = ParseValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as SimpleValue>::parse_xml(s).map_err(ParseValueError)
            }
        }

        impl SimpleValue for $name {
            const SCALAR: Scalar = Scalar::Integer;
            fn parse_xml(text: &str) -> Result<Self, String> {
                Self::new(Integer::parse(text)?)
            }
            fn to_xml(&self) -> Cow<'_, str> {
                self.0.lexical()
            }
        }
    )*};
}

integer_kind! {
    /// `xs:nonNegativeInteger`: 0, 1, 2, ... (unbounded).
    NonNegativeInteger = "nonNegativeInteger", "at least 0", |s| s >= 0, default 0i8;
    /// `xs:positiveInteger`: 1, 2, ... (unbounded).
    PositiveInteger = "positiveInteger", "at least 1", |s| s > 0, default 1i8;
    /// `xs:nonPositiveInteger`: 0, -1, -2, ... (unbounded).
    NonPositiveInteger = "nonPositiveInteger", "at most 0", |s| s <= 0, default 0i8;
    /// `xs:negativeInteger`: -1, -2, ... (unbounded).
    NegativeInteger = "negativeInteger", "at most -1", |s| s < 0, default -1i8;
}

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
    ($($t:ty => $kind:ident),*) => {$(
        impl SimpleValue for $t {
            const SCALAR: Scalar = Scalar::$kind;
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

float_value!(f32 => Float, f64 => Double);

// ------------------------------------------------------------------------------------------------
// Decimal

/// `xs:decimal`, exact: keeps its lexical form (whitespace trimmed); compares by value
/// (`1.50 == 1.5 == +01.5`, `-0 == 0`).
#[derive(Clone, Debug)]
pub struct Decimal {
    lexical: Box<str>,
}

/// Zero.
impl Default for Decimal {
    fn default() -> Self {
        Decimal {
            lexical: "0".into(),
        }
    }
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

    /// (total digits, fraction digits) of the value, as `totalDigits` and `fractionDigits`
    /// count them (XSD 1.1 Part 2 §4.3.11–12): leading and trailing zeros aside, so `0.50`
    /// has 1 and 1, `0.05` has 1 and 2, `100` has 3 and 0.
    pub fn digit_counts(&self) -> (usize, usize) {
        let (_, int, frac) = self.parts();
        let total = if int.is_empty() {
            frac.trim_start_matches('0').len()
        } else {
            int.len() + frac.len()
        };
        (total, frac.len())
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
    const SCALAR: Scalar = Scalar::Double;
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

/// `1970-01-01T00:00:00Z` (a placeholder for a value being built).
impl Default for DateTime {
    fn default() -> Self {
        DateTime {
            lexical: "1970-01-01T00:00:00Z".into(),
            year: 1970,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            frac: (0, 0),
            tz: Some(0),
        }
    }
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
    const SCALAR: Scalar = Scalar::DateTime;
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
    const SCALAR: Scalar = Scalar::Hex;
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
    const SCALAR: Scalar = Scalar::Base64;
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
