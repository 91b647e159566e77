"""Checks a STIX 2.1 bundle (the file named by argv[1]) with validators independent of iodef:
the stix2 library (strict parse, no custom content), the OASIS stix2-validator (its errors and
warnings) and stix2-patterns for every pattern. Prints one line per problem, then
`objects: N`; exits 1 when there is a problem. `--allow-uuid5` lets the validator's
"not a valid UUIDv4" warning pass (`iodef indicators --stable-ids` uses UUIDv5 on purpose)."""
import json
import sys

import stix2
from stix2patterns.validator import run_validator
from stix2validator import ValidationOptions, validate_string

path = sys.argv[1]
allow_uuid5 = "--allow-uuid5" in sys.argv[2:]
text = open(path, encoding="utf-8").read()
problems = []
try:
    bundle = stix2.parse(text, allow_custom=False, version="2.1")
    if bundle.type != "bundle":
        problems.append(f"not a bundle: {bundle.type}")
except Exception as e:  # noqa: BLE001 - any refusal is the finding
    problems.append(f"stix2.parse: {e}")
results = validate_string(text, ValidationOptions(version="2.1"))
for error in results.errors:
    problems.append(f"stix2-validator error: {error}")
for warning in results.warnings:
    if allow_uuid5 and "is not a valid UUIDv4 ID" in str(warning):
        continue
    problems.append(f"stix2-validator warning: {warning}")
objects = json.loads(text).get("objects", [])
for obj in objects:
    for error in run_validator(obj["pattern"], stix_version="2.1"):
        problems.append(f"stix2-patterns: {obj['pattern']}: {error}")
for p in problems:
    print(p)
print(f"objects: {len(objects)}")
sys.exit(1 if problems else 0)
