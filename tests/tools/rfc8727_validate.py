#!/usr/bin/env python3
"""Independent RFC 8727 validators (IODEF 2.0 in JSON and CBOR) for the iodef-rs tests.

Usage:
    rfc8727_validate.py [--shared DIR] [--strict-dates] [--json-pointer-names] FILE...

Each FILE is CBOR when its first byte is a CBOR map head (0xa0-0xbf) or its name ends in
.cbor, JSON otherwise.

JSON: parsed as strict UTF-8 JSON (NaN/Infinity refused), then validated by the `jsonschema`
package against RFC 8727 Appendix B, <shared>/schemas/rfc8727/iodef-2.0.schema.json, as JSON
Schema Draft 7 with format checking ("date-time" is the only format the schema uses).

CBOR: decoded by `cbor2` (duplicate map keys and trailing bytes refused), then validated by
`pycddl` against RFC 8727 Section 6 with erratum 7334 applied,
<shared>/schemas/rfc8727/local/iodef-2.0.cddl, root rule `iodef`, after five rewrites made in
memory to work around pycddl 0.6.4 defects (PYCDDL_WORKAROUNDS below; docs/rfc8727.md).
pycddl does not refuse unknown keys in maps inside arrays, so the tool also checks that every
map key is an integer of RFC 8727 Table 4 (<shared>/schemas/rfc8727/mapkeys.tsv): every map
of the CDDL is keyed by those. With --strict-dates, every DATETIME member must also be tag 0
around an RFC 3339 date-time (pycddl accepts an untagged text string for `tdate`).

Options:
    --shared DIR          the shared data directory (default: $IODEF_SHARED_DIR, else
                          <repository root>/../shared)
    --strict-dates        CBOR: require tag 0 on every DATETIME (RFC 8727 Table 2)
    --json-pointer-names  CBOR: write paths with member names (/Incident/0/GenerationTime)
                          instead of the integer keys (/-19/0/10)

Output: one line per file, `OK FILE` or `FAIL FILE: <path>: <error> | <path>: <error> ...`,
where <path> is a JSON pointer (JSON) or a CBOR path of map keys and array indexes, `(root)`
for the document itself.
Exit status: 0 when every file passes, 1 when one fails, 2 on usage or setup errors (missing
package, missing schema, a shared file that no longer matches what the workarounds expect).
"""

import io
import json
import os
import re
import sys

USAGE = "usage: rfc8727_validate.py [--shared DIR] [--strict-dates] [--json-pointer-names] FILE..."

# The members whose CDDL type is DATETIME (`iodef-X => DATETIME` in Figure 5). Checked against
# the CDDL at start-up: the tool refuses to run if the CDDL's list differs.
DATETIME_MEMBERS = (
    "DetectTime",
    "StartTime",
    "EndTime",
    "RecoveryTime",
    "ReportTime",
    "GenerationTime",
    "DateTime",
    "DateDomainWasChecked",
    "RegistrationDate",
    "ExpirationDate",
)

# pycddl 0.6.4 (the Rust `cddl` crate 0.9.5) workarounds, applied in this order to an
# in-memory copy of the CDDL. Each is (what, regular expression, replacement, expected number of
# matches); a different number of matches stops the tool (setup error), so that a changed CDDL
# file is noticed. Each rewrite describes the same set of values under RFC 8610; docs/rfc8727.md
# gives the defect each one avoids, and tests/tests/rfc8727_validators.rs probes both sides.
PYCDDL_WORKAROUNDS = (
    (
        # Defect 1: in `[+ MLStringType]` (every use but PAddressType), the type choice
        # `{...} / text` refuses a text string; swapped alone (`text / {...}`) it refuses the
        # map instead. Parenthesised with text first, both are accepted. `( type )` is a plain
        # type in RFC 8610 (type2 = "(" type ")") and the order of the alternatives of a type
        # choice does not matter for validation, so the rule matches the same values.
        "MLStringType, text alternative first, parenthesised",
        r"MLStringType = (\{\n    iodef-value => text,\n    \? iodef-lang => lang,\n"
        r"    \? iodef-translation-id => text\n\}) / text\n",
        r"MLStringType = (text / \1)\n",
        1,
    ),
    (
        # Defect 2: `[+ {a => x} / {b => y}]` refuses a map that matches one alternative. The
        # type choice of five one-member maps becomes one map whose group is a group choice of
        # the same five members: `{G1} / {G2}` and `{G1 // G2}` both match exactly the maps
        # whose entries match G1 or match G2 (RFC 8610 Sections 2.2.2 and 3.5).
        "Assessment Impact as one map with a group choice",
        r" iodef-Impact => \[\+ \{iodef-SystemImpact => SystemImpact\} /\n"
        r"          \{iodef-BusinessImpact => BusinessImpact\} /\n"
        r"          \{iodef-TimeImpact => TimeImpact\} /\n"
        r"          \{iodef-MonetaryImpact => MonetaryImpact\} /\n"
        r"          \{iodef-IntendedImpact => BusinessImpact\}\],\n",
        " iodef-Impact => [+ {iodef-SystemImpact => SystemImpact //\n"
        "          iodef-BusinessImpact => BusinessImpact //\n"
        "          iodef-TimeImpact => TimeImpact //\n"
        "          iodef-MonetaryImpact => MonetaryImpact //\n"
        "          iodef-IntendedImpact => BusinessImpact}],\n",
        1,
    ),
    (
        # Defect 3: `T .default V` makes pycddl accept any text string in place of T (and, for
        # `"a" / "b" .default "b"`, refuse "b"): every enumeration with a default
        # (`restriction .default "private"`, ...) would accept any value. `.default` only
        # names the value an absent optional member stands for; it does not change the values
        # T matches (RFC 8610 Section 3.8.6), so it is removed.
        "`.default \"...\"` removed",
        r'\s*\.default\s+"[^"]*"',
        "",
        38,
    ),
    (
        # Defect 4: `float32 .gt 0` refuses every float and accepts the integer 2 (pycddl
        # compares with the integer 0 as if it were a type). With the float literal 0.0 it
        # accepts positive floats and refuses 0.0, negative values and integers. `.gt`
        # compares numeric values, and 0 and 0.0 are the same number.
        "PositiveFloatType `.gt 0` -> `.gt 0.0`",
        r"PositiveFloatType = float32 \.gt 0\n",
        "PositiveFloatType = float32 .gt 0.0\n",
        1,
    ),
    (
        # Defect 5: pycddl looks for a `.regexp` match anywhere in the string; RFC 8610 Section
        # 3.8.3 gives `.regexp` XSD regular expression semantics, which match the whole
        # string. Anchoring each pattern as `^(?:...)$` restores that (lang, IDtype,
        # TimeZonetype, PortlistType).
        "`.regexp` patterns anchored",
        r'\.regexp(\s+)"((?:[^"\\]|\\.)*)"',
        r'.regexp\1"^(?:\2)$"',
        4,
    ),
)

MAX_MESSAGE = 300


def die(msg):
    print(f"rfc8727_validate.py: {msg}", file=sys.stderr)
    sys.exit(2)


def one_line(text):
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def default_shared():
    shared = os.environ.get("IODEF_SHARED_DIR")
    if shared:
        return shared
    # tests/tools/rfc8727_validate.py -> the repository root is two levels up.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(os.path.dirname(root), "shared")


def parse_args(argv):
    opts = {"shared": None, "strict_dates": False, "names": False}
    files = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        elif arg == "--shared":
            if i + 1 >= len(argv):
                die(f"--shared needs an argument\n{USAGE}")
            opts["shared"] = argv[i + 1]
            i += 1
        elif arg.startswith("--shared="):
            opts["shared"] = arg.split("=", 1)[1]
        elif arg == "--strict-dates":
            opts["strict_dates"] = True
        elif arg == "--json-pointer-names":
            opts["names"] = True
        elif arg == "--":
            files.extend(argv[i + 1 :])
            break
        elif arg.startswith("-"):
            die(f"unknown option {arg}\n{USAGE}")
        else:
            files.append(arg)
        i += 1
    if not files:
        die(f"no file given\n{USAGE}")
    return opts, files


def read_text(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        die(f"cannot read {path}: {exc}")


def pointer(parts):
    """A JSON pointer (RFC 6901) of path segments; `(root)` for the document itself."""
    if not parts:
        return "(root)"
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# ---------------------------------------------------------------------------------- JSON


class JsonValidator:
    def __init__(self, shared):
        try:
            import jsonschema
        except ImportError:
            die("the Python package 'jsonschema' is not installed (pip install jsonschema)")
        path = os.path.join(shared, "schemas", "rfc8727", "iodef-2.0.schema.json")
        schema = json.loads(read_text(path))
        # Draft 7, not the draft-04 the schema declares: its "$schema" is the https spelling,
        # which is not the draft-04 meta-schema id (so validator_for would fall back to the
        # newest draft), and its 13 `"required": []` are invalid under the draft-04 meta-schema
        # (minItems 1) but valid from draft-06 on. For the keywords the schema uses (type, enum,
        # pattern, minimum, items, minItems, properties, required, additionalProperties, $ref,
        # allOf/anyOf/oneOf, format, default) Draft 7 means what draft-04 means: no `id`,
        # boolean exclusiveMinimum or other keyword whose meaning changed is present.
        cls = jsonschema.Draft7Validator
        try:
            cls.check_schema(schema)
        except jsonschema.exceptions.SchemaError as exc:
            die(f"{path} is not a valid Draft 7 schema: {one_line(exc.message)}")
        checker = cls.FORMAT_CHECKER
        if "date-time" not in checker.checkers:
            # jsonschema checks date-time only when rfc3339-validator is importable.
            die("jsonschema cannot check format date-time (pip install rfc3339-validator)")
        self.validator = cls(schema, format_checker=checker)

    def validate(self, data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return [("(root)", f"not UTF-8: {exc}")]

        def no_constant(name):
            raise ValueError(f"{name} is not JSON")

        try:
            doc = json.loads(text, parse_constant=no_constant)
        except ValueError as exc:
            return [("(root)", f"not JSON: {exc}")]
        errors = sorted(self.validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        return [(pointer(e.absolute_path), one_line(e.message)) for e in errors]


# ---------------------------------------------------------------------------------- CBOR


def load_mapkeys(shared, cddl):
    path = os.path.join(shared, "schemas", "rfc8727", "mapkeys.tsv")
    names = {}
    lines = read_text(path).splitlines()
    if not lines or lines[0].split("\t") != ["mapkey", "cborkey", "json_name"]:
        die(f"{path}: unexpected header")
    for line in lines[1:]:
        if not line.strip():
            continue
        mapkey, cborkey, json_name = line.split("\t")
        names[int(cborkey)] = (mapkey, json_name)
    # The table must be the CDDL's own `iodef-X = N` assignments.
    assigned = {int(n): k for k, n in re.findall(r"^(iodef-[A-Za-z0-9-]+) = (-?[0-9]+) *$", cddl, re.M)}
    if assigned != {k: v[0] for k, v in names.items()}:
        die(f"{path} differs from the mapkey assignments of the CDDL")
    return names


def datetime_keys(cddl, names):
    in_cddl = set(re.findall(r"\biodef-([A-Za-z]+) => DATETIME\b", cddl))
    if in_cddl != set(DATETIME_MEMBERS):
        die(f"the CDDL's DATETIME members {sorted(in_cddl)} differ from {sorted(DATETIME_MEMBERS)}")
    keys = {k for k, (mapkey, _) in names.items() if mapkey[len("iodef-") :] in in_cddl}
    if len(keys) != len(DATETIME_MEMBERS):
        die("a DATETIME member has no mapkey")
    # A member name is one integer key wherever it appears; the key-based walk below is right
    # only if none of these members has another type anywhere in the CDDL.
    for member in in_cddl:
        other = re.findall(rf"\biodef-{member} => (?!DATETIME\b)", cddl)
        if other:
            die(f"iodef-{member} has a type other than DATETIME in the CDDL")
    return keys


class CborValidator:
    def __init__(self, shared, strict_dates):
        try:
            import cbor2
        except ImportError:
            die("the Python package 'cbor2' is not installed (pip install cbor2)")
        try:
            import pycddl
        except ImportError:
            die("the Python package 'pycddl' is not installed (pip install pycddl)")
        self.cbor2 = cbor2
        self.pycddl = pycddl
        path = os.path.join(shared, "schemas", "rfc8727", "local", "iodef-2.0.cddl")
        cddl = read_text(path)
        patched = cddl
        for what, pattern, replacement, expected in PYCDDL_WORKAROUNDS:
            patched, count = re.subn(pattern, replacement, patched)
            if count != expected:
                die(f"{path}: workaround {what!r} matched {count} times, expected {expected}")
        # pycddl validates against the first rule that is not a value assignment (today
        # `iodef`, after the `iodef-X = N` mapkeys); a first rule `root = iodef` pins it.
        patched = "root = iodef\n" + patched
        try:
            self.schema = pycddl.Schema(patched)
        except Exception as exc:  # noqa: BLE001 - any compile failure is a setup error
            die(f"pycddl cannot compile {path}: {one_line(exc)}")
        self.names = load_mapkeys(shared, cddl)
        self.datetime_keys = datetime_keys(cddl, self.names)
        self.strict_dates = strict_dates
        self.date_time_ok = None
        if strict_dates:
            try:
                import jsonschema
            except ImportError:
                die("the Python package 'jsonschema' is not installed (pip install jsonschema)")
            checker = jsonschema.Draft7Validator.FORMAT_CHECKER
            if "date-time" not in checker.checkers:
                die("jsonschema cannot check format date-time (pip install rfc3339-validator)")
            self.date_time_ok = lambda s: checker.conforms(s, "date-time")

    def validate(self, data, names):
        try:
            buf = io.BytesIO(data)
            decoder = self.cbor2.CBORDecoder(
                buf,
                semantic_decoders={t: self._raw_tag(t) for t in (0, 1)},
                allow_duplicate_keys=False,
            )
            doc = decoder.decode()
        except Exception as exc:  # noqa: BLE001 - undecodable input is a verdict
            return [("(root)", f"not CBOR: {one_line(exc)}")]
        if buf.tell() != len(data):
            return [("(root)", f"{len(data) - buf.tell()} bytes after the CBOR item")]
        errors = []
        try:
            self.schema.validate_cbor(data)
        except self.pycddl.ValidationError as exc:
            # One "error validating ... at cbor location PATH: MESSAGE" per error; a message
            # may span lines (it quotes CDDL).
            for item in re.split(r"\n(?=error validating)", str(exc).strip()):
                line = one_line(item)
                if not line:
                    continue
                m = re.match(r"^(.*?) at cbor location (\S*): (.*)$", line)
                if m:
                    where = self.path_names(doc, m.group(2)) if names else m.group(2) or "(root)"
                    errors.append((where, one_line(f"{m.group(3)} (CDDL)")))
                else:
                    errors.append(("(root)", one_line(f"{line} (CDDL)")))
        self.walk(doc, [], errors, names)
        return collapse(errors)

    def _raw_tag(self, number):
        return lambda value, *_: self.cbor2.CBORTag(number, value)

    def label(self, key, names):
        if names and isinstance(key, int) and key in self.names:
            return self.names[key][1]
        return key

    def path_names(self, doc, path):
        """Rewrites a pycddl location such as /-19/0/10 with member names, following `doc`
        (a segment is a map key or an array index depending on where it is)."""
        out = []
        node = doc
        for seg in [s for s in path.split("/") if s != ""]:
            if isinstance(node, dict):
                key = int(seg) if re.fullmatch(r"-?[0-9]+", seg) else seg
                out.append(self.label(key, True))
                node = node.get(key)
            elif isinstance(node, list) and re.fullmatch(r"[0-9]+", seg):
                out.append(seg)
                node = node[int(seg)] if int(seg) < len(node) else None
            else:
                out.append(seg)
                node = None
        return pointer(out)

    def walk(self, node, path, errors, names):
        """Harness checks pycddl does not make: integer mapkeys of Table 4 everywhere, and with
        --strict-dates tag 0 on every DATETIME."""
        cbor2 = self.cbor2
        if isinstance(node, dict):
            for key, value in node.items():
                here = path + [self.label(key, names)]
                if not isinstance(key, int) or isinstance(key, bool):
                    errors.append((pointer(here), f"map key {key!r} is not an integer mapkey (mapkeys)"))
                elif key not in self.names:
                    errors.append((pointer(here), f"map key {key} is not in RFC 8727 Table 4 (mapkeys)"))
                elif self.strict_dates and key in self.datetime_keys:
                    self.check_date(value, here, errors)
                self.walk(value, here, errors, names)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self.walk(value, path + [i], errors, names)
        elif isinstance(node, cbor2.CBORTag):
            self.walk(node.value, path, errors, names)

    def check_date(self, value, here, errors):
        cbor2 = self.cbor2
        if not isinstance(value, cbor2.CBORTag):
            what = "an untagged text string" if isinstance(value, str) else type(value).__name__
            errors.append((pointer(here), f"DATETIME is {what}, not tag 0 (--strict-dates)"))
        elif value.tag != 0:
            errors.append((pointer(here), f"DATETIME has tag {value.tag}, not tag 0 (--strict-dates)"))
        elif not isinstance(value.value, str) or not self.date_time_ok(value.value):
            errors.append((pointer(here), f"tag 0 holds {value.value!r}, not an RFC 3339 date-time (--strict-dates)"))


def collapse(errors):
    """pycddl reports one error per alternative of a choice: keeps each error once, and merges
    the `expected value "A" got "X"`, `expected value "B" got "X"` ... of an enumeration into
    one `"X" is not one of "A", "B", ...` at the place of the first."""
    out = []
    enums = {}
    for where, msg in errors:
        m = re.fullmatch(r'expected value (.*) got (".*") \(CDDL\)', msg)
        if m:
            key = (where, m.group(2))
            if key not in enums:
                enums[key] = []
                out.append(key)
            if m.group(1) not in enums[key]:
                enums[key].append(m.group(1))
        elif (where, msg) not in out:
            out.append((where, msg))
    return [
        (e[0], one_line(f"{e[1]} is not one of {', '.join(enums[e])} (CDDL)")) if e in enums else e
        for e in out
    ]


# ---------------------------------------------------------------------------------- main


def is_cbor(path, data):
    return path.endswith(".cbor") or (len(data) > 0 and 0xA0 <= data[0] <= 0xBF)


def main(argv):
    opts, files = parse_args(argv)
    shared = opts["shared"] or default_shared()
    if not os.path.isdir(shared):
        die(f"shared data directory not found: {shared} (use --shared or IODEF_SHARED_DIR)")
    contents = []
    for path in files:
        try:
            with open(path, "rb") as fh:
                contents.append((path, fh.read()))
        except OSError as exc:
            die(f"cannot read {path}: {exc}")
    # Load only what the files need, so that a missing package fails only where it matters.
    json_validator = None
    cbor_validator = None
    if any(not is_cbor(p, d) for p, d in contents):
        json_validator = JsonValidator(shared)
    if any(is_cbor(p, d) for p, d in contents):
        cbor_validator = CborValidator(shared, opts["strict_dates"])
    failed = False
    for path, data in contents:
        if is_cbor(path, data):
            errors = cbor_validator.validate(data, opts["names"])
        else:
            errors = json_validator.validate(data)
        if errors:
            failed = True
            print(f"FAIL {path}: " + " | ".join(f"{where}: {msg}" for where, msg in errors), flush=True)
        else:
            print(f"OK {path}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
