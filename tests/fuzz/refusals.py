"""A Schemathesis check for tests/fuzz/run.sh: a schema-valid request may be refused with 422
only by a rule the spec cannot state.

JSON Schema states rules on one value: its type, length, range, pattern. It cannot state rules
that relate values to each other (a report's span, "exactly one of", debits equal to credits, a
discount not above its line), to today (a document's date), or to what is stored (an id that
must exist, stock on hand, an account of the right kind, a payment method that is on). So a 422
whose every reason is a rule on one value's form is a rule the spec failed to state, and fails
this check; any other 422 is the server applying the business rules the spec describes in words.

Loaded by both passes (SCHEMATHESIS_HOOKS=refusals, or through hooks.py).
"""

import re

import schemathesis

# The messages of the rules on one value's form: garde's shape checks, serde's reading of the
# body, the domain's text, money, quantity and percentage types, the decimal syntax.
FORM_RULES = [
    r"^length is (lower|greater) than \d+$",
    r"^(lower|greater) than \d+$",
    r"^must be between \d+ and \d+$",
    r"^must not be empty$",
    r"^must be at (most|least) \d+ characters long$",
    r"^must not contain control characters$",
    r"^may contain only ",
    r"^must be an email address",
    r"^must be a phone number",
    r"^an amount has at most \d+ decimal places",
    r"^the amount must not be negative",
    r"^the amount .* is too large$",
    r"^a quantity has at most \d+ decimal places",
    r"^a quantity must not be negative",
    r"^the quantity .* is too large$",
    r"^a percentage (must be between|has at most)",
    r"^must be greater than zero, with at most \d+ decimals$",
    r"is not a decimal written canonically",
    r"has more digits than a number may have",
    r"^unknown (field|variant)",
    r"^missing field",
    r"^invalid (value|length)",
    # A JSON number with a fraction part for an integer (an id, a count of notes) is not on
    # this list: JSON Schema counts 1.0 as an integer and has no keyword for "no decimal
    # point", so `invalid type: floating point` is only flagged for other types.
    r"^invalid type: (?!floating point `-?[0-9.e+-]+`, expected [iu](8|16|32|64))",
    r"^is not (a kind of|completed|text or html)",
]


# bcrypt reads at most 72 bytes of a password, and the server refuses more rather than cut it
# silently. JSON Schema counts characters, not bytes: the spec says 72 in the description and
# as maxLength, and a password of multi-byte characters can pass maxLength yet be too long.
BYTE_LIMITS = {("password", "length is greater than 72"), ("new_password", "length is greater than 72")}


@schemathesis.check
def only_unstatable_rules_refuse(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        problem = response.json()
    except ValueError:
        raise AssertionError("422 without a problem document")
    errors = problem.get("errors", [])
    stated = [
        e
        for e in errors
        if any(re.search(rule, e.get("message", "")) for rule in FORM_RULES)
        and (e.get("field"), e.get("message")) not in BYTE_LIMITS
    ]
    if stated:
        raise AssertionError(
            "A schema-valid request was refused (422) by a rule on one value's form, which the "
            "spec should state: "
            + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in stated)
        )
    return None
