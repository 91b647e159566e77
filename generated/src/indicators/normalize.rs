//! One value of a kind, checked and put in its canonical form: what every source of an
//! indicator (Address, DomainData, EmailData, HashData, BulkObservableList lines) goes through.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::Kind;

/// The canonical IPv4 address (`std::net` refuses leading zeros and other ambiguous forms).
pub(super) fn ipv4(value: &str) -> Result<String, String> {
    value
        .parse::<Ipv4Addr>()
        .map(|a| a.to_string())
        .map_err(|_| "not an IPv4 address in dotted-decimal notation (a.b.c.d)".into())
}

/// The canonical IPv6 address (RFC 5952 text: lower case, `::` for the longest zero run).
pub(super) fn ipv6(value: &str) -> Result<String, String> {
    value
        .parse::<Ipv6Addr>()
        .map(|a| a.to_string())
        .map_err(|_| "not an IPv6 address".into())
}

/// A network `address/bits`, as the network address (host bits cleared) and its prefix. The
/// second member says whether host bits were set (the caller warns).
pub(super) fn network(value: &str, v6: bool) -> Result<(String, bool), String> {
    let expected = if v6 {
        "not an IPv6 network (address/prefix)"
    } else {
        "not an IPv4 network (a.b.c.d/nn)"
    };
    let (addr, bits) = value.split_once('/').ok_or(expected)?;
    if bits.is_empty() || !bits.bytes().all(|b| b.is_ascii_digit()) || bits.len() > 3 {
        return Err(expected.into());
    }
    let bits: u32 = bits.parse().map_err(|_| expected)?;
    let (canonical, host_bits) = if v6 {
        let a: Ipv6Addr = addr.parse().map_err(|_| expected)?;
        if bits > 128 {
            return Err(expected.into());
        }
        let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
        let n = u128::from(a);
        (Ipv6Addr::from(n & mask).to_string(), n & !mask != 0)
    } else {
        let a: Ipv4Addr = addr.parse().map_err(|_| expected)?;
        if bits > 32 {
            return Err(expected.into());
        }
        let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
        let n = u32::from(a);
        (Ipv4Addr::from(n & mask).to_string(), n & !mask != 0)
    };
    Ok((format!("{canonical}/{bits}"), host_bits))
}

/// `address/mask` (`ipv4-net-mask`, `ipv6-net-mask`) as `address/prefix`: the mask must be
/// contiguous ones then zeros, else the network has no prefix form.
pub(super) fn network_mask(value: &str, v6: bool) -> Result<(String, bool), String> {
    let expected = if v6 {
        "not an IPv6 network with a mask (address/mask)"
    } else {
        "not an IPv4 network with a mask (a.b.c.d/w.x.y.z)"
    };
    let (addr, mask) = value.split_once('/').ok_or(expected)?;
    let (ones, width) = match mask.parse::<IpAddr>().map_err(|_| expected)? {
        IpAddr::V4(m) if !v6 => (u128::from(u32::from(m)) << 96, 32),
        IpAddr::V6(m) if v6 => (u128::from(m), 128),
        _ => return Err(expected.into()),
    };
    let bits = ones.leading_ones();
    if ones.checked_shl(bits).unwrap_or(0) != 0 {
        return Err(format!(
            "the mask {mask} is not contiguous: the network has no prefix form"
        ));
    }
    network(&format!("{addr}/{}", bits.min(width)), v6)
}

/// A domain name in ASCII (IDNA: Unicode labels become `xn--` labels), lower case, without a
/// final dot.
pub(super) fn domain(value: &str) -> Result<String, String> {
    let name = value.strip_suffix('.').unwrap_or(value);
    if name.is_empty() || name.parse::<IpAddr>().is_ok() {
        return Err("not a domain name".into());
    }
    let ascii = idna::domain_to_ascii_strict(name)
        .map_err(|_| "not a domain name (IDNA/DNS syntax)".to_string())?;
    if ascii.is_empty() {
        return Err("not a domain name".into());
    }
    Ok(ascii)
}

/// An absolute URL with a host, in its WHATWG canonical form (lower-case scheme and host,
/// IDNA host, default port dropped, `/` for an empty path).
pub(super) fn url(value: &str) -> Result<String, String> {
    let parsed = url::Url::parse(value).map_err(|e| format!("not an absolute URL: {e}"))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("not a URL with a host".into());
    }
    Ok(parsed.into())
}

/// An e-mail address `local@domain` (an RFC 5322 `Name <local@domain>` is reduced to the
/// address): the local part as written (it is case-sensitive), the domain as [`domain`].
pub(super) fn email(value: &str) -> Result<String, String> {
    let address = match (value.rfind('<'), value.strip_suffix('>')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => value,
    }
    .trim();
    let (local, host) = address
        .rsplit_once('@')
        .ok_or("not an e-mail address (local@domain)")?;
    if local.is_empty() || local.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("not an e-mail address (local@domain)".into());
    }
    let host =
        domain(host).map_err(|_| "not an e-mail address: its domain is not a domain name")?;
    Ok(format!("{local}@{host}"))
}

/// An autonomous system number as asplain (`AS` prefix allowed; asdot `1.10` converted,
/// RFC 5396).
pub(super) fn asn(value: &str) -> Result<String, String> {
    let digits = value
        .strip_prefix("AS")
        .or_else(|| value.strip_prefix("as"))
        .unwrap_or(value);
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let asn = match digits.split_once('.') {
        Some((high, low)) => {
            let (high, low) = (number(high), number(low));
            match (high, low) {
                (Some(h), Some(l)) if h <= 0xFFFF && l <= 0xFFFF => Some((h << 16) | l),
                _ => None,
            }
        }
        None => number(digits),
    };
    asn.map(|n| n.to_string())
        .ok_or_else(|| "not an autonomous system number (asplain or asdot)".into())
}

/// The hash kind of an XML Signature `DigestMethod@Algorithm` URI, and whether the URI is the
/// one the W3C defines for it: a W3C URI with another namespace but a plain fragment
/// (`http://www.w3.org/2001/04/xmlenc#md5`, seen in published examples) is recognised too.
pub(super) fn hash_kind(algorithm: &str) -> Option<(Kind, bool)> {
    let algorithm = algorithm.trim();
    let canonical = match algorithm {
        "http://www.w3.org/2001/04/xmldsig-more#md5" => Some(Kind::Md5),
        "http://www.w3.org/2000/09/xmldsig#sha1" => Some(Kind::Sha1),
        "http://www.w3.org/2001/04/xmlenc#sha256" => Some(Kind::Sha256),
        "http://www.w3.org/2001/04/xmlenc#sha512" => Some(Kind::Sha512),
        _ => None,
    };
    if let Some(kind) = canonical {
        return Some((kind, true));
    }
    let (base, fragment) = algorithm.split_once('#')?;
    if !base.starts_with("http://www.w3.org/") {
        return None;
    }
    let kind = match fragment.to_ascii_lowercase().as_str() {
        "md5" => Kind::Md5,
        "sha1" => Kind::Sha1,
        "sha256" => Kind::Sha256,
        "sha512" => Kind::Sha512,
        _ => return None,
    };
    Some((kind, false))
}

/// The digest length in bytes of a hash kind.
pub(super) fn digest_len(kind: Kind) -> usize {
    match kind {
        Kind::Md5 => 16,
        Kind::Sha1 => 20,
        Kind::Sha256 => 32,
        _ => 64,
    }
}

/// Lower-case hex.
pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Text that is the hex form of a `kind` digest, lower-cased.
pub(super) fn hex_digest(text: &str, kind: Kind) -> Option<String> {
    (text.len() == 2 * digest_len(kind) && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_canonical() {
        assert_eq!(
            network("10.1.2.3/8", false).unwrap(),
            ("10.0.0.0/8".into(), true)
        );
        assert_eq!(
            network("10.0.0.0/8", false).unwrap(),
            ("10.0.0.0/8".into(), false)
        );
        assert_eq!(
            network("0.0.0.0/0", false).unwrap(),
            ("0.0.0.0/0".into(), false)
        );
        assert!(network("10.0.0.0/33", false).is_err());
        assert!(network("10.0.0.0/+8", false).is_err());
        assert_eq!(
            network("2001:DB8::1/32", true).unwrap(),
            ("2001:db8::/32".into(), true)
        );
        assert_eq!(
            network_mask("192.0.2.0/255.255.255.0", false).unwrap(),
            ("192.0.2.0/24".into(), false)
        );
        assert!(network_mask("192.0.2.0/255.0.255.0", false).is_err());
    }

    #[test]
    fn names_and_numbers() {
        assert_eq!(domain("Bad.Example.").unwrap(), "bad.example");
        assert_eq!(domain("bücher.example").unwrap(), "xn--bcher-kva.example");
        assert!(domain("bad example").is_err());
        assert!(domain("192.0.2.1").is_err());
        assert_eq!(email("Eve <Eve@Bad.Example>").unwrap(), "Eve@bad.example");
        assert!(email("nobody").is_err());
        assert_eq!(asn("AS1.10").unwrap(), "65546");
        assert_eq!(asn("64496").unwrap(), "64496");
        assert!(asn("4294967296").is_err());
        assert_eq!(url("HTTP://Bad.Example").unwrap(), "http://bad.example/");
        assert!(url("bad.example/x").is_err());
    }
}
