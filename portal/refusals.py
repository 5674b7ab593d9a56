"""What the rules answer when they say no: one exception every app's rules raise.

``message`` says what went wrong in the person's language; ``errors`` maps form fields (or API
fields) to messages, so a form keeps what was typed and shows each beside its field; ``status``
is the HTTP status an API answers with (400, 403, 409, ...).
"""


class Refused(Exception):
    def __init__(self, message, errors=None, *, status=400):
        super().__init__(message)
        self.message = str(message)
        self.errors = errors or {}
        self.status = status


def add_refusal(form, refusal, renamed=None):
    """Put the rules' messages beside the fields they concern (`renamed` maps the rules'
    names to the form's), the rest at the top; a refusal of no field gives its message."""
    for rule, messages in refusal.errors.items():
        field = (renamed or {}).get(rule, rule)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not refusal.errors:
        form.add_error(None, refusal.message)
