"""Messages without this run's folders in them: the scratch folder has a random name and the golden
stores live in the user's cache, so both become placeholders and two runs' results.json compare equal."""

from __future__ import annotations

import os
from pathlib import Path

SCRATCH = "<scratch>"
FIXTURES = "<fixtures>"
STORE = "<store>"


class Placeholders:
    """Replaces each folder of `places` (as given and as its real path) by its placeholder. The real
    paths are resolved once: a run's folders do not move, and resolving them per cell was a
    measurable share of the harness's time."""

    def __init__(self, places: dict[Path, str]) -> None:
        spellings = {spelling: name for folder, name in places.items()
                     for spelling in (str(folder), os.path.realpath(folder))}
        self._order = sorted(spellings.items(), key=lambda kv: len(kv[0]), reverse=True)  # nested folders

    def __call__(self, text: str) -> str:
        for spelling, name in self._order:
            if spelling in text:
                text = text.replace(spelling, name)
        return text


def stable_message(text: str, places: dict[Path, str]) -> str:
    """`text` with each folder of `places` (as given and as its real path) replaced by its placeholder."""
    return Placeholders(places)(text)
