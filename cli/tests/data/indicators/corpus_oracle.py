"""An independent check of `iodef indicators --format json` on one IODEF 2.0 XML document,
with Python's ElementTree and ipaddress (argv[1]: the document, argv[2]: the JSON lines).

1. Every record's path names an element of the document (`PATH:N`: line N of its text), inside
   IndicatorData, or reached from an ObservableReference inside IndicatorData (`via`) whose
   uid-ref is the observable-id of that element or of an ancestor; never inside a Contact or a
   System of category target, sensor or infrastructure; and the element's text is the value
   (IP addresses and networks compared as ipaddress objects, domains in lower case, digests as
   base64 or hex).
2. Every address (ipv4-addr, ipv6-addr or no category) and domain name that IndicatorData
   holds directly (Observable/Address, Observable/DomainData/Name, an attacker System's Node),
   in an Indicator or an IndicatorExpression that is not a "not", is exported.

Prints one line per problem and `records: N, expected: M`; exits 1 when there is a problem."""
import base64
import binascii
import ipaddress
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "{urn:ietf:params:xml:ns:iodef-2.0}"
BAD_SYSTEMS = {"target", "sensor", "infrastructure", "ext-value"}


def local(tag):
    return tag.rsplit("}", 1)[-1]


tree = ET.parse(sys.argv[1])
root = tree.getroot()
parents = {child: parent for parent in root.iter() for child in parent}
records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
problems = []


def resolve(path):
    """The element a path names, and the line number for `PATH:N`."""
    line = None
    match = re.fullmatch(r"(.*\])(?::(\d+))?", path)
    if match is None:
        return None, None
    path, line = match.group(1), match.group(2)
    steps = path.strip("/").split("/")
    if local(root.tag) != steps[0]:
        return None, None
    element = root
    for step in steps[1:]:
        m = re.fullmatch(r"([\w.-]+)\[(\d+)\]", step)
        if m is None:
            return None, None
        namesakes = [c for c in element if local(c.tag) == m.group(1)]
        n = int(m.group(2))
        if n > len(namesakes):
            return None, None
        element = namesakes[n - 1]
    return element, int(line) if line else None


def ancestors(element):
    while element in parents:
        element = parents[element]
        yield element


def same_value(kind, raw, value):
    raw = raw.strip()
    try:
        if kind in ("ipv4-addr", "ipv6-addr"):
            return ipaddress.ip_address(value) == ipaddress.ip_address(raw)
        if kind in ("ipv4-net", "ipv6-net"):
            return ipaddress.ip_network(value) == ipaddress.ip_network(raw, strict=False)
    except ValueError:
        return False
    if kind == "domain":
        return raw.rstrip(".").lower() == value or raw.encode("idna").decode().lower() == value
    if kind in ("md5", "sha1", "sha256", "sha512"):
        raw = "".join(raw.split())  # base64Binary and hex allow whitespace
        if raw.lower() == value:
            return True
        try:
            return base64.b64decode(raw, validate=True).hex() == value
        except (binascii.Error, ValueError):
            return False
    if kind == "email":
        return value.lower() in raw.lower()
    if kind == "asn":
        return value in raw or "." in raw
    if kind == "url":
        return value.split("://", 1)[-1].split("/", 1)[0] in raw.lower()
    return False


for r in records:
    element, line = resolve(r["path"])
    if element is None:
        problems.append(f"{r['path']}: no such element")
        continue
    chain = [element, *ancestors(element)]
    names = [local(e.tag) for e in chain]
    if "Contact" in names:
        problems.append(f"{r['path']}: inside a Contact")
    for e in chain:
        if local(e.tag) == "System" and e.get("category") in BAD_SYSTEMS:
            problems.append(f"{r['path']}: inside a System of category {e.get('category')}")
    if "via" in r:
        ref, _ = resolve(r["via"])
        if ref is None or local(ref.tag) != "ObservableReference":
            problems.append(f"{r['via']}: not an ObservableReference")
        else:
            if "IndicatorData" not in [local(e.tag) for e in ancestors(ref)]:
                problems.append(f"{r['via']}: not inside IndicatorData")
            ids = [e.get("observable-id") for e in chain]
            if ref.get("uid-ref") not in ids:
                problems.append(f"{r['path']}: not the element {ref.get('uid-ref')!r} names")
    elif "IndicatorData" not in names:
        problems.append(f"{r['path']}: not inside IndicatorData")
    text = element.text or ""
    if line is not None:
        lines = text.split("\n")
        raws = lines[line - 1].rstrip("\r").split(",") if line <= len(lines) else []
    else:
        raws = [text]
    if not any(same_value(r["kind"], raw, r["value"]) for raw in raws):
        problems.append(f"{r['path']}: {r['kind']} {r['value']!r} is not the element's text {text!r}")

# 2. What must be exported.
expected = set()


def address(e):
    category = e.get("category")
    raw = (e.text or "").strip()
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        return
    if category in (None, "ipv4-addr", "ipv6-addr"):
        if category is None or (category == "ipv4-addr") == (ip.version == 4):
            expected.add(("ipv4-addr" if ip.version == 4 else "ipv6-addr", str(ip)))


def domain(name):
    raw = (name.text or "").strip().rstrip(".").lower()
    if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", raw):
        expected.add(("domain", raw))


def observable(o):
    for child in o:
        tag = local(child.tag)
        if tag == "Address":
            address(child)
        elif tag == "DomainData":
            for name in child.findall(NS + "Name"):
                domain(name)
        elif tag == "System" and child.get("category") not in BAD_SYSTEMS:
            for node in child.findall(NS + "Node"):
                for a in node.findall(NS + "Address"):
                    address(a)
                for d in node.findall(NS + "DomainData"):
                    for name in d.findall(NS + "Name"):
                        domain(name)


def expression(e):
    if e.get("operator") == "not":
        return
    for child in e:
        if local(child.tag) == "Observable":
            observable(child)
        elif local(child.tag) == "IndicatorExpression":
            expression(child)


for data in root.iter(NS + "IndicatorData"):
    # Only the IndicatorData of the document's own Incidents.
    if parents.get(data) is None or parents[parents[data]] is not root:
        continue
    for indicator in data.findall(NS + "Indicator"):
        for child in indicator:
            if local(child.tag) == "Observable":
                observable(child)
            elif local(child.tag) == "IndicatorExpression":
                expression(child)

exported = {(r["kind"], r["value"]) for r in records}
for kind, value in sorted(expected - exported):
    problems.append(f"not exported: {kind} {value}")
for p in problems:
    print(p)
print(f"records: {len(records)}, expected: {len(expected)}")
sys.exit(1 if problems else 0)
