"""Schemathesis hooks for tests/schemathesis.sh.

OpenAPI 3.1 has no way to say "every line is a JSON object of this schema", so schemathesis
cannot validate the audit log (`application/x-ndjson`) itself: this check validates each line
against the document's `LogLine` schema (with jsonschema_rs, which schemathesis installs).
"""

import json

import jsonschema_rs
import schemathesis

NDJSON = "application/x-ndjson"


@schemathesis.check
def ndjson_lines_conformance(ctx, response, case):
    """Every line of a JSON-lines answer is a JSON object matching the `LogLine` schema."""
    content_type = ";".join(response.headers.get("content-type", []))
    if not content_type.startswith(NDJSON):
        return
    document = case.operation.schema.raw_schema
    schema = {
        "$ref": "#/components/schemas/LogLine",
        "components": document.get("components", {}),
    }
    validator = jsonschema_rs.Draft202012Validator(schema)
    for number, line in enumerate(response.text.splitlines(), start=1):
        try:
            value = json.loads(line)
        except ValueError as error:
            raise AssertionError(f"line {number} is not JSON: {error}") from None
        problems = [problem.message for problem in validator.iter_errors(value)]
        if problems:
            raise AssertionError(f"line {number} does not match LogLine: {problems[0]}")
