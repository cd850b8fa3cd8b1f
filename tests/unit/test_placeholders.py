"""Run-specific folders leave messages as placeholders, however the message spells them."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.runners.placeholders import FIXTURES, SCRATCH, stable_message


def test_folders_become_placeholders_in_either_spelling(tmp_path: Path) -> None:
    real = tmp_path / "cache"
    (real / "scratch" / "run-x1y2").mkdir(parents=True)
    (real / "fixtures" / "abc").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)  # the cache reached through a link: workers may print the real path
    scratch, fixtures = link / "scratch" / "run-x1y2", link / "fixtures" / "abc"
    text = (f"cannot read {fixtures}/v2/a.zarr/.zarray; wrote {real}/scratch/run-x1y2/out/0.npy; "
            f"uri file://{scratch}/written")
    assert stable_message(text, {scratch: SCRATCH, fixtures: FIXTURES}) == (
        "cannot read <fixtures>/v2/a.zarr/.zarray; wrote <scratch>/out/0.npy; uri file://<scratch>/written")


def test_a_message_without_folders_is_unchanged() -> None:
    assert stable_message("ValueError: bad codec", {Path("/x/scratch"): SCRATCH}) == "ValueError: bad codec"
