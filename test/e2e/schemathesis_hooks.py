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
