"""Messages without this run's folders in them: the scratch folder has a random name and the golden
stores live in the user's cache, so both become placeholders and two runs' results.json compare equal."""

from __future__ import annotations

import os
from pathlib import Path

SCRATCH = "<scratch>"
FIXTURES = "<fixtures>"
STORE = "<store>"


def stable_message(text: str, places: dict[Path, str]) -> str:
    """`text` with each folder of `places` (as given and as its real path) replaced by its placeholder."""
    spellings = {spelling: name for folder, name in places.items()
                 for spelling in (str(folder), os.path.realpath(folder))}
    for spelling in sorted(spellings, key=len, reverse=True):  # the longest first: nested folders
        text = text.replace(spelling, spellings[spelling])
    return text
