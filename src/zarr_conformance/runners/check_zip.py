"""A zip store for `check`: refused when hostile, else unpacked (standard library zipfile) into scratch.

The protocol hands readers a folder, so they read the unpacked copy, not the zip. The zip is hostile
until shown otherwise: an entry named outside the folder (absolute, a drive, a `..` part), a symbolic
link, an encrypted entry, or more bytes than UNZIP_LIMIT (declared sizes first, then counted while
unpacking, since a declared size can lie) refuses the whole zip before any reader is asked."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

from zarr_conformance.errors import HarnessError, StoreEscapeError, StoreFormatError

UNZIP_LIMIT = 8 * 2**30  # bytes unpacked at most: a zip bomb stops here, a real store of a few GB does not
_METADATA = ("zarr.json", ".zgroup", ".zarray", ".zmetadata")
_BLOCK = 2**20


def is_zip(store: Path) -> bool:
    return store.is_file() and zipfile.is_zipfile(store)


def unpack(store: Path, into: Path, limit: int = UNZIP_LIMIT) -> tuple[Path, list[str]]:
    """Unpack the zip `store` into the new folder `into`: (the store's folder in it, notes to show)."""
    try:
        with zipfile.ZipFile(store) as archive:
            entries = _last_of_each_name(archive.infolist())
            for info in entries.values():
                _refuse_hostile(store, info)
            declared = sum(info.file_size for info in archive.infolist())
            if declared > limit:
                raise StoreFormatError(f"{store}: refused, its entries declare {_size(declared)} unpacked, above the "
                                       f"{_size(limit)} limit for a zip store")
            free = shutil.disk_usage(into.parent).free
            if declared > free:
                raise HarnessError(f"{store}: no room to unpack it in the cache ({into.parent}): it declares "
                                   f"{_size(declared)}, {_size(free)} are free")
            into.mkdir(mode=0o755)
            written = 0
            for _, info in sorted(entries.items()):
                written = _unpack_entry(store, archive, info, into, written, limit)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as e:
        raise StoreFormatError(f"{store}: not a readable zip ({e})") from None
    except OSError as e:  # the disk, not the zip: still one line
        raise HarnessError(f"{store}: could not unpack it into {into}: {e.strerror or e}") from None
    notes = [f"read from the zip {store.name}: every reader read a copy unpacked by the harness, not the zip"]
    duplicated = sorted(name for name, n in Counter(i.filename for i in archive.infolist()).items() if n > 1)
    if duplicated:
        notes.append(f"the zip holds {len(duplicated)} name(s) more than once ({', '.join(duplicated[:5])}): the last "
                     f"copy was unpacked, as Python's zipfile (and zarr-python's ZipStore) read it; a reader of the "
                     f"zip that takes the first copy sees something else")
    return _store_folder(into), notes


def _last_of_each_name(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The zip's entries by name; of a name written more than once (zarr-python's ZipStore rewrites a
    document by appending it), the last, which is what zipfile's own lookup returns."""
    return {info.filename: info for info in infos}


def _refuse_hostile(store: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not name or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or "\x00" in name:
        raise StoreEscapeError(f"{store}: refused, the zip entry {name!r} is an absolute name")
    if ".." in parts:
        raise StoreEscapeError(f"{store}: refused, the zip entry {name!r} leads out of the store ('..')")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise StoreEscapeError(f"{store}: refused, the zip entry {name!r} is a symbolic link")
    if info.flag_bits & 0x1:
        raise StoreFormatError(f"{store}: refused, the zip entry {name!r} is encrypted")


def _unpack_entry(store: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, into: Path, written: int,
                  limit: int) -> int:
    """Write one entry, counting bytes as they come out: a zip that lies about its sizes stops at `limit`."""
    target = into / info.filename
    if info.is_dir():
        _folder(store, target)
        return written
    _folder(store, target.parent)
    if target.is_dir():
        raise StoreFormatError(f"{store}: refused, the zip entry {info.filename!r} is both a file and a folder")
    if not os.path.realpath(target).startswith(os.path.realpath(into) + os.sep):
        raise StoreEscapeError(f"{store}: refused, the zip entry {info.filename!r} leads out of the store")
    try:
        out = open(target, "xb")  # noqa: SIM115 -- closed below; "x": two spellings of one name are refused
    except FileExistsError:
        raise StoreFormatError(f"{store}: refused, the zip names {info.filename!r} twice (in two spellings)") from None
    with archive.open(info) as source, out:
        while block := source.read(_BLOCK):
            written += len(block)
            if written > limit:
                raise StoreFormatError(f"{store}: refused, it unpacks to more than the {_size(limit)} limit for a "
                                       f"zip store")
            out.write(block)
    os.chmod(target, 0o644)  # readable by the sandboxed readers, whatever modes the zip recorded
    return written


def _size(n: int) -> str:
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.1f} MiB"


def _folder(store: Path, folder: Path) -> None:
    try:
        folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise StoreFormatError(f"{store}: refused, {folder.name!r} is both a file and a folder in the zip") from None


def _store_folder(into: Path) -> Path:
    """A zipped folder whose single top folder is the store (`zip -r s.zip s.zarr`): that folder."""
    if any((into / name).exists() for name in _METADATA):
        return into
    children = list(into.iterdir())
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return into
