//! Suricata and Snort rules, one per indicator, from fixed templates (docs/indicators.md lists
//! them). `$HOME_NET`, `$EXTERNAL_NET` and `$HTTP_PORTS` are the engines' usual variables.

use super::{IndicatorValue, Kind};

/// Why an indicator has no rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSkip {
    /// No template for the kind (e-mail addresses, ASNs, file hashes: see docs/indicators.md).
    Kind(Kind),
    /// An `https` URL: its path travels encrypted, and a rule on the host alone would block
    /// more than the indicator.
    Encrypted,
    /// A URL of another scheme than `http` (or `https`).
    Scheme(String),
}

impl std::fmt::Display for RuleSkip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuleSkip::Kind(kind) if kind.is_hash() => write!(
                f,
                "{kind}: file hashes need a hash list (filemd5/filesha1/filesha256), not a rule; export them with --format plain"
            ),
            RuleSkip::Kind(kind) => write!(f, "{kind}: no rule template for this kind"),
            RuleSkip::Encrypted => f.write_str(
                "https URL: the path is encrypted, and a rule on the host alone would block more than the indicator",
            ),
            RuleSkip::Scheme(s) => write!(f, "{s} URL: only http URLs have a rule template"),
        }
    }
}

/// The Suricata rule (Suricata 6 or later) for `indicator` with signature id `sid`.
pub fn suricata_rule(indicator: &IndicatorValue, sid: u32) -> Result<String, RuleSkip> {
    let msg = msg(indicator);
    let body = match indicator.kind {
        Kind::Ipv4Addr | Kind::Ipv4Net | Kind::Ipv6Addr | Kind::Ipv6Net => {
            return Ok(format!(
                "alert ip [{}] any <> $HOME_NET any (msg:\"{msg}\"; sid:{sid}; rev:1;)",
                indicator.value
            ))
        }
        Kind::Domain => format!(
            "alert dns $HOME_NET any -> any any (msg:\"{msg}\"; dns.query; dotprefix; content:\"{}\"; nocase; endswith;",
            content(&format!(".{}", indicator.value))
        ),
        Kind::Url => {
            let (host, _, target) = http_url(&indicator.value)?;
            format!(
                "alert http $HOME_NET any -> any any (msg:\"{msg}\"; flow:established,to_server; http.host; content:\"{}\"; bsize:{}; http.uri.raw; content:\"{}\"; startswith;",
                content(&host),
                host.len(),
                content(&target)
            )
        }
        kind => return Err(RuleSkip::Kind(kind)),
    };
    Ok(format!("{body} sid:{sid}; rev:1;)"))
}

/// The Snort 2.9 rule for `indicator` with signature id `sid`.
pub fn snort_rule(indicator: &IndicatorValue, sid: u32) -> Result<String, RuleSkip> {
    let msg = msg(indicator);
    let body = match indicator.kind {
        Kind::Ipv4Addr | Kind::Ipv4Net | Kind::Ipv6Addr | Kind::Ipv6Net => format!(
            "alert ip [{}] any <> $HOME_NET any (msg:\"{msg}\";",
            indicator.value
        ),
        Kind::Domain => format!(
            "alert udp $HOME_NET any -> any 53 (msg:\"{msg}\"; content:\"{}\"; nocase;",
            dns_labels(&indicator.value)
        ),
        Kind::Url => {
            let (host, port, target) = http_url(&indicator.value)?;
            let ports = port.map_or_else(|| "$HTTP_PORTS".to_string(), |p| p.to_string());
            format!(
                "alert tcp $HOME_NET any -> $EXTERNAL_NET {ports} (msg:\"{msg}\"; flow:established,to_server; content:\"Host|3A| {}\"; http_header; nocase; content:\"{}\"; http_raw_uri; depth:{};",
                content(&host),
                content(&target),
                target.len()
            )
        }
        kind => return Err(RuleSkip::Kind(kind)),
    };
    Ok(format!("{body} sid:{sid}; rev:1;)"))
}

/// `IODEF indicator KIND VALUE`, escaped for a `msg` option.
fn msg(indicator: &IndicatorValue) -> String {
    let mut out = format!("IODEF indicator {} ", indicator.kind);
    for c in indicator.value.chars() {
        match c {
            '"' | ';' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a `content` option: bytes a rule cannot hold literally (`"`, `;`, `\`, `|`, and
/// anything outside printable ASCII) as `|XX|`.
fn content(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if matches!(b, b'"' | b';' | b'\\' | b'|') || !(0x20..0x7f).contains(&b) {
            out.push_str(&format!("|{b:02X}|"));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

/// A domain in DNS wire form for a content match: `|03|bad|07|example|00|` (the leading length
/// byte makes it match the name and its subdomains, not `notbad.example`).
fn dns_labels(domain: &str) -> String {
    let mut out = String::new();
    for label in domain.split('.') {
        out.push_str(&format!("|{:02X}|", label.len()));
        out.push_str(&content(label));
    }
    out.push_str("|00|");
    out
}

/// An http URL's host, explicit port and request target (path and query).
fn http_url(value: &str) -> Result<(String, Option<u16>, String), RuleSkip> {
    let url = url::Url::parse(value).map_err(|_| RuleSkip::Kind(Kind::Url))?;
    match url.scheme() {
        "http" => {}
        "https" => return Err(RuleSkip::Encrypted),
        other => return Err(RuleSkip::Scheme(other.to_string())),
    }
    let host = url.host_str().unwrap_or_default().to_string();
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    Ok((host, url.port(), target))
}
