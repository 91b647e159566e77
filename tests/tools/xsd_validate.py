#!/usr/bin/env python3
"""Independent XSD validator driver for the iodef-rs test suite.

Validates XML files against the local validation driver schema
``<shared>/schemas/local/all-iodef.xsd`` (IODEF 1.0/2.0 plus every extension),
or against another schema (e.g. an extension XSD, with ``--location`` saying where
the namespaces it imports are), loaded once, fully offline.  Prints one JSON
object per validated file:

    {"file": "<path as given>", "valid": true|false, "error": "<first error>"|null}

Usage:
    xsd_validate.py [--schema XSD] [--location NS=XSD ...] [--xmllint] [--list FILE] [FILE ...]

Options:
    --schema XSD   schema to use (default: $IODEF_SHARED_DIR/schemas/local/all-iodef.xsd,
                   or ../shared/schemas/local/all-iodef.xsd relative to the workspace root)
    --location NS=XSD
                   (repeatable; also spelled --locations) load namespace NS, wherever the
                   schemas import it, from the local file XSD instead of the import's own
                   schemaLocation (checked: a setup error otherwise), e.g.
                   --location urn:ietf:params:xml:ns:iodef-2.0=<shared>/schemas/local/iodef-2.0.xsd
                   for an extension XSD that imports IODEF 2.0 from a relative location.
                   With --location, files anywhere on the local disk may be loaded (never the
                   network); without it, only files under the schema's folder. xmlschema only.
    --xmllint      validate with `xmllint --nonet --noout --schema XSD FILE` instead of
                   the Python `xmlschema` package
    --list FILE    read further file paths from FILE, one per line (blank lines ignored)

Exit status: 0 when validation ran (the verdicts are data, not failures),
2 on usage or setup errors (missing schema, xmlschema not installed, no xmllint).
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.parse

USAGE = (
    "usage: xsd_validate.py [--schema XSD] [--location NS=XSD ...] [--xmllint] "
    "[--list FILE] [FILE ...]"
)


def die(msg):
    print(f"xsd_validate.py: {msg}", file=sys.stderr)
    sys.exit(2)


def default_schema():
    shared = os.environ.get("IODEF_SHARED_DIR")
    if not shared:
        # tests/tools/xsd_validate.py -> workspace root is two levels up.
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        shared = os.path.join(os.path.dirname(root), "shared")
    return os.path.join(shared, "schemas", "local", "all-iodef.xsd")


def parse_args(argv):
    schema = None
    use_xmllint = False
    locations = []
    files = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        elif arg == "--xmllint":
            use_xmllint = True
        elif arg in ("--schema", "--list", "--location", "--locations"):
            if i + 1 >= len(argv):
                die(f"{arg} needs an argument\n{USAGE}")
            value = argv[i + 1]
            i += 1
            if arg == "--schema":
                schema = value
            elif arg in ("--location", "--locations"):
                # The namespace may itself contain '=' only in pathological cases; split on
                # the last one so that the namespace part is taken whole.
                namespace, sep, path = value.rpartition("=")
                if not sep or not namespace or not path:
                    die(f"{arg} expects NS=XSD, got {value!r}\n{USAGE}")
                if not os.path.isfile(path):
                    die(f"{arg}: schema file not found for {namespace}: {path}")
                locations.append((namespace, os.path.abspath(path)))
            else:
                try:
                    with open(value, encoding="utf-8") as fh:
                        files.extend(line.rstrip("\r\n") for line in fh if line.strip())
                except OSError as exc:
                    die(f"cannot read list file {value}: {exc}")
        elif arg == "--":
            files.extend(argv[i + 1 :])
            break
        elif arg.startswith("-") and arg != "-":
            die(f"unknown option {arg}\n{USAGE}")
        else:
            files.append(arg)
        i += 1
    if use_xmllint and locations:
        die(f"--location is not supported with --xmllint\n{USAGE}")
    return schema or default_schema(), use_xmllint, locations, files


def one_line(text):
    return " ".join(str(text).split())


def emit(path, valid, error):
    print(json.dumps({"file": path, "valid": valid, "error": error}), flush=True)


def overriding_loader(xmlschema):
    """A schema loader for which the --location files come first for their namespaces, before
    the imports' own schemaLocation (xmlschema's default tries those first, and the given
    locations only when they fail)."""
    base = getattr(xmlschema, "SchemaLoader", None)
    if base is None:
        from xmlschema.loaders import SchemaLoader as base  # noqa: N813

    class OverridingLoader(base):
        def get_locations(self, namespace, location=None):
            given = self.locations.get(namespace) if namespace in self.locations else None
            if given:
                return list(given)
            return super().get_locations(namespace, location)

    return OverridingLoader


def local_path(url):
    """The normalised local path of a file: URL (or of a plain path)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        return os.path.normpath(urllib.parse.unquote(parts.path))
    return os.path.normpath(url)


def check_locations(schema, locations):
    """Dies unless every --location namespace was loaded from the given file (and only it)."""
    for namespace, path in locations:
        loaded = schema.maps.namespaces.get(namespace) or []
        urls = [getattr(s, "url", None) or "" for s in loaded]
        paths = [local_path(u) for u in urls]
        if not loaded:
            die(f"namespace {namespace} was not loaded (--location {namespace}={path})")
        if any(p != os.path.normpath(path) for p in paths):
            die(f"namespace {namespace} was loaded from {', '.join(urls)}, not from {path}")


def run_xmlschema(schema_path, locations, files):
    try:
        import xmlschema
    except ImportError:
        die("the Python package 'xmlschema' is not installed (pip install xmlschema)")
    # Absolute: xmlschema resolves a relative source against base_url (the schema's folder).
    schema_path = os.path.abspath(schema_path)
    schema_dir = os.path.dirname(schema_path)
    try:
        if locations:
            # allow='local': local files anywhere, never the network.
            schema = xmlschema.XMLSchema(
                schema_path,
                locations=locations,
                allow="local",
                base_url=schema_dir,
                loader_class=overriding_loader(xmlschema),
            )
            check_locations(schema, locations)
        else:
            # allow='sandbox': only files under the schema's folder may be loaded (offline).
            schema = xmlschema.XMLSchema(schema_path, allow="sandbox", base_url=schema_dir)
    except Exception as exc:  # noqa: BLE001 - any load failure is a setup error
        die(f"cannot load schema {schema_path}: {one_line(exc)}")
    for path in files:
        try:
            # allow='local' + defuse='always': only local files; no fetching of anything the
            # document names (DTDs, entities, xsi:schemaLocation hints).
            resource = xmlschema.XMLResource(path, allow="local", defuse="always")
            error = None
            for err in schema.iter_errors(resource, use_location_hints=False):
                reason = err.reason or err.message
                error = one_line(f"{reason} at {err.path}" if err.path else reason)
                break
            emit(path, error is None, error)
        except Exception as exc:  # noqa: BLE001 - unparsable input is an "invalid" verdict
            emit(path, False, one_line(f"{type(exc).__name__}: {exc}"))


def run_xmllint(schema_path, files):
    exe = shutil.which("xmllint")
    if exe is None:
        die("xmllint not found (apt-get install libxml2-utils)")
    for path in files:
        proc = subprocess.run(
            [exe, "--nonet", "--noout", "--schema", schema_path, path],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
        )
        # xmllint: 0 = valid, 3/4 = schema invalid/parse error, 1 = parse error, 5 = schema
        # could not be compiled (a setup error).
        if proc.returncode == 5:
            die(f"xmllint cannot compile schema {schema_path}: {one_line(proc.stderr)}")
        if proc.returncode == 0:
            emit(path, True, None)
        else:
            lines = [
                line
                for line in proc.stderr.splitlines()
                if line.strip() and not line.strip().endswith("fails to validate")
            ]
            emit(path, False, one_line(lines[0]) if lines else f"xmllint exit {proc.returncode}")


def main(argv):
    schema_path, use_xmllint, locations, files = parse_args(argv)
    if not os.path.isfile(schema_path):
        die(f"schema not found: {schema_path}")
    if use_xmllint:
        run_xmllint(schema_path, files)
    else:
        run_xmlschema(schema_path, locations, files)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
