"""The template record shared by the language modules."""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES: tuple[str, ...] = (
    "chat",
    "email",
    "ticket_note",
    "call_transcript",
    "signature",
    "cc_header",
    "address_block",
    "payment",
    "form",
    "sms",
    "contact_list",
    "security_log",
    "letter",
)


@dataclass(frozen=True)
class Template:
    """A message shape: its family, its text with slots, and the locales it is limited to."""

    family: str
    text: str
    locales: tuple[str, ...] = ()

    def fits(self, locale: str) -> bool:
        """Whether this template may be used for ``locale``."""
        return not self.locales or locale in self.locales


def T(family: str, text: str, *locales: str) -> Template:
    """Shorthand used by the language modules; checks the family name."""
    if family not in FAMILIES:
        raise ValueError(f"unknown template family {family!r}")
    return Template(family, text, tuple(locales))
