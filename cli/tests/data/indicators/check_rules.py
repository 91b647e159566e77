"""Parses Suricata/Snort rules (the file named by argv[1]) with idstools, a rule parser
independent of iodef, and prints each rule as one JSON line
`{"action","proto","source_addr","direction","dest_addr","sid","rev","msg","options"}`
(options: the option names in order). A line that does not parse is an error (exit 1)."""
import json
import sys

import idstools.rule

failed = False
for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line:
        continue
    rule = idstools.rule.parse(line)
    if rule is None:
        print(f"line {number}: does not parse: {line}")
        failed = True
        continue
    print(json.dumps({
        "action": rule.action,
        "proto": rule.proto,
        "source_addr": rule.source_addr,
        "direction": rule.direction,
        "dest_addr": rule.dest_addr,
        "sid": rule.sid,
        "rev": rule.rev,
        "msg": rule.msg,
        "options": [o["name"] for o in rule.options],
    }))
sys.exit(1 if failed else 0)
