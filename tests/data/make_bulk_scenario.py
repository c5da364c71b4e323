"""Writes bulk-500.json: the shared bulk-resignation scenario every language's tests run.

500 input ids (userIdType email): 470 known users, 10 exact duplicates of earlier ids,
10 ids that break a local rule, and 10 well-formed emails the emulator does not know.
Run again only to change the scenario; the JSON is what tests read.
"""
import json
import random
from pathlib import Path

rng = random.Random(20261128)
known = [f"leaver{i:03d}@example.com" for i in range(470)]
unknown = [f"ghost{i:02d}@example.com" for i in range(10)]
invalid = [
    "",
    "   ",
    " padded@example.com",
    "trailing@example.com ",
    "bell\u0007@example.com",
    "new\nline@example.com",
    "tab\tinside@example.com",
    "x" * 257 + "@example.com",
    "\u0000nul@example.com",
    "del\u007f@example.com",
]
entries = [(e, "resigned") for e in known] + [(e, "failed") for e in unknown] + [(e, "invalid") for e in invalid]
rng.shuffle(entries)
# Duplicates repeat a known id that appears earlier in the list.
for _ in range(10):
    pos = rng.randrange(50, len(entries))
    earlier = [e for e, o in entries[:pos] if o == "resigned"]
    entries.insert(pos, (rng.choice(earlier), "duplicate"))

scenario = {
    "description": __doc__.strip().splitlines()[0],
    "userIdType": "email",
    "seedUsers": [{"email": e, "username": e.split("@")[0], "name": e.split("@")[0]} for e in known],
    "input": [e for e, _ in entries],
    "expected": [o for _, o in entries],
    "expectedTotals": {
        "resigned": 470, "failed": 10, "unknown": 0, "invalid": 10, "duplicate": 10,
        "not_attempted": 0,
    },
    "failedApiCode": 2004,
    "failedStatusCode": 404,
}
assert len(scenario["input"]) == 500
Path(__file__).with_name("bulk-500.json").write_text(json.dumps(scenario, ensure_ascii=False, indent=1) + "\n")
