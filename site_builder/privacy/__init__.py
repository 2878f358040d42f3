"""Residents' personal data: pseudonyms from diaries/people.yml, and a guard that keeps numbers and addresses off.

The diaries name residents, their phones, addresses and bank cards. Under the PIPL none of it may be published
without consent, so before anything is rendered or indexed every public entry goes through `protect`:

* a real name listed in people.yml is replaced by its pseudonym, in every field, however it is written;
* phone numbers, ID numbers, bank cards and other long numbers, licence plates, exact addresses (3号楼2单元501室),
  and real names that have no pseudonym yet are findings. A finding is an error at its file line — the entry stays
  off the site — unless the college masks that kind automatically (people.yml `设置: {自动遮挡: [电话]}` →
  139＊＊＊＊5678) or the entry allows it (`允许: [电话]`, or the exact text, e.g. the community office's number).

Modules: `normalize` (the text as the guard reads it, mapped back to the text as written), `patterns` (what each kind
looks like there), `people` (people.yml), `guard` (fields, findings, masks, pseudonyms, `protect`). Everything is
pure: people.yml is parsed from its text, entries come in and go out as values.
"""

from __future__ import annotations

from .guard import (
    CODES,
    MASK,
    Finding,
    apply_pseudonyms,
    find_in_text,
    find_personal_data,
    mask,
    protect,
    publishable_text,
    scan_entry,
)
from .people import PEOPLE_FILE, People, Rules, load_people, parse_people

__all__ = ["CODES", "MASK", "PEOPLE_FILE", "Finding", "People", "Rules", "apply_pseudonyms", "find_in_text",
           "find_personal_data", "load_people", "mask", "parse_people", "protect", "publishable_text", "scan_entry"]
