#!/usr/bin/env python3
"""Validate logrx output against Docs/schemas/: `validate-json.py json|jsonl < output`.

json: one document (document.schema.json, which refers to the record schemas); jsonl: each
line against the schema of its `type`. Prints each problem; exits 1 if any."""
import json, pathlib, sys
import jsonschema
from referencing import Registry, Resource

root = pathlib.Path(__file__).resolve().parent.parent / "Docs" / "schemas"
schemas = {p.name: json.loads(p.read_text()) for p in root.glob("*.schema.json")}
registry = Registry().with_resources(
    (s["$id"], Resource.from_contents(s)) for s in schemas.values())

def check(instance, name):
    validator = jsonschema.Draft202012Validator(schemas[name], registry=registry)
    return [f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]

mode = sys.argv[1]
text = sys.stdin.read()
problems = []
if mode == "json":
    problems = check(json.loads(text), "document.schema.json")
else:
    for number, line in enumerate(text.splitlines(), 1):
        record = json.loads(line)
        problems += [f"line {number}: {p}" for p in check(record, f"{record.get('type')}.schema.json")]
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
