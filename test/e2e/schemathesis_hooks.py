# Loaded by schemathesis (SCHEMATHESIS_HOOKS) in test/e2e/schemathesis.test.ts.
#
# CPython 3.11 can raise "SystemError: AST constructor recursion depth mismatch" from ast.parse when it is
# called deep in a stack; Hypothesis calls it only to describe a filter lambda for its repr. A description
# is not worth a failed run: fall back to a plain name instead.
from hypothesis.internal import lambda_sources

_describe = lambda_sources.lambda_description


def _describe_or_name(f):
    try:
        return _describe(f)
    except SystemError:
        return getattr(f, "__name__", "lambda")


lambda_sources.lambda_description = _describe_or_name


# GET /api/v2/streams has three rules a schema cannot state, each a documented 400 naming its parameter:
# `cursor` is signed by the server (a generated one is forged by construction), `talent` codes must be in the
# directory (which the collector grows at run time), and `from` must be before `to`. A positive (schema-valid)
# case is made to keep them: no cursor, talents from the directory's file, from/to in order. Negative cases
# are left as generated.
import datetime
import json
import pathlib
import re

import schemathesis
from schemathesis import GenerationMode

_ROOT = pathlib.Path(__file__).resolve().parents[2]
_CODES = sorted(t["code"] for t in json.loads((_ROOT / "src" / "talents" / "talents.json").read_text())["talents"])
_JST = datetime.timezone(datetime.timedelta(hours=9))


def _instant(value, end):
    """`from`/`to` as the server reads them (docs/api-v2.md), or None."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        day = datetime.datetime.fromisoformat(value).replace(tzinfo=_JST)
        return day + datetime.timedelta(days=1) if end else day
    m = re.fullmatch(r"(.{10})[Tt ](.{5})(:[0-9]{2})?(\.[0-9]+)?([Zz]|.{6})", value)
    if not m:
        return None
    date, hm, sec, frac, zone = m.groups()
    micros = int(((frac or ".0")[1:] + "000000")[:6])
    zone = "+00:00" if zone in ("Z", "z") else zone
    return datetime.datetime.fromisoformat(f"{date}T{hm}{sec or ':00'}{zone}").replace(microsecond=micros)


def _keep_rules(case):
    if not isinstance(case.query, dict):
        return
    query = dict(case.query)
    query.pop("cursor", None)
    if isinstance(query.get("talent"), str):
        codes = query["talent"].split(",")
        query["talent"] = ",".join(_CODES[sum(map(ord, code)) % len(_CODES)] for code in codes)
    start, end = query.get("from"), query.get("to")
    if isinstance(start, str) and isinstance(end, str):
        a, b = _instant(start, False), _instant(end, True)
        if a is not None and b is not None and a >= b:
            query.pop("to")
    case.query = query


def _is_streams(context):
    return context.operation is not None and context.operation.label == "GET /api/v2/streams"


@schemathesis.hook
def map_case(context, case):
    meta = getattr(case, "meta", None)
    if _is_streams(context) and meta is not None and meta.generation.mode == GenerationMode.POSITIVE:
        _keep_rules(case)
    return case


@schemathesis.hook
def before_add_examples(context, examples):
    # The document's own examples (every one schema-valid) do not pass through map_case.
    if _is_streams(context):
        for case in examples:
            _keep_rules(case)
