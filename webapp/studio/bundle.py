"""A form version as a folder: ``form.json``, the other JSON files beside it,
and ``cases/*.json`` — exported as a zip that is the same, byte for byte,
every time (fixed timestamps and permissions, sorted entries), and read back
from an upload (a single ``form.json`` or such a zip) within strict limits:
entry count, each entry's and the total uncompressed size are checked while
reading, so a zip bomb stops at the limit, and only plain relative names of
JSON files are accepted."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from engine._loading import to_jsonable

#: what an upload may hold
MAX_UPLOAD_BYTES = 4 * 1024 * 1024  # the uploaded file itself
MAX_FILE_BYTES = 2 * 1024 * 1024  # one file inside a zip, uncompressed
MAX_TOTAL_BYTES = 8 * 1024 * 1024  # all files of a zip, uncompressed
MAX_ENTRIES = 300
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.json$")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class UploadError(ValueError):
    """An upload that cannot be used, with a message for the author."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass
class Folder:
    """The files of a form version as text, by their path in the folder."""

    form_text: str
    files: dict[str, str] = field(default_factory=dict)  # other JSON beside form.json, by name
    cases: dict[str, str] = field(default_factory=dict)  # case name (file stem) -> text

    def entries(self) -> list[tuple[str, bytes]]:
        found = [("form.json", self.form_text.encode("utf-8"))]
        found += [(name, text.encode("utf-8")) for name, text in sorted(self.files.items())]
        found += [(f"cases/{name}.json", text.encode("utf-8")) for name, text in sorted(self.cases.items())]
        return found


def canonical(value) -> str:
    """The text a version's JSON is written as when no author text is kept."""
    return json.dumps(to_jsonable(value, exact=False), ensure_ascii=False, indent=2) + "\n"


def folder_of(row) -> Folder:
    """The folder of a stored version (``form_versions`` row)."""
    data = json.loads(row.definition)
    text = row.source_text if row.source_text is not None else canonical(data["schema"])
    files = {name: canonical(doc) for name, doc in (data.get("files") or {}).items()}
    return Folder(text, files, json.loads(row.cases or "{}"))


def to_zip(folder: Folder, prefix: str) -> bytes:
    """The folder as a zip whose bytes depend only on the folder's content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in folder.entries():
            info = zipfile.ZipInfo(f"{prefix}/{name}", date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def write(folder: Folder, target: Path) -> Path:
    """Write the folder to disk (``formwerk test`` reads it from there)."""
    target.mkdir(parents=True, exist_ok=True)
    for name, data in folder.entries():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError("studio_upload_not_utf8", name=name, byte=exc.start) from None


def read_upload(filename: str, data: bytes) -> Folder:
    """A ``form.json`` or a zip of a form folder. Raises :class:`UploadError`."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError("studio_upload_too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    if not data:
        raise UploadError("studio_upload_empty")
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".zip"):
        return _read_zip(data)
    return Folder(_decode(data, filename or "form.json"))


def _read_zip(data: bytes) -> Folder:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        raise UploadError("studio_upload_bad_zip") from None
    if len(infos) > MAX_ENTRIES:
        raise UploadError("studio_upload_too_many", limit=MAX_ENTRIES)
    names = [PurePosixPath(i.filename) for i in infos]
    if any(n.is_absolute() or ".." in n.parts or "\\" in str(n) for n in names):
        raise UploadError("studio_upload_bad_name")
    # a zip of the folder itself ("buergergeld/form.json") or of its content ("form.json")
    tops = {n.parts[0] for n in names if len(n.parts) > 1}
    strip = 1 if len(tops) == 1 and not any(len(n.parts) == 1 for n in names) else 0
    folder = Folder("")
    found_form = False
    total = 0
    for info, name in zip(infos, names):
        parts = name.parts[strip:]
        if info.file_size > MAX_FILE_BYTES:
            raise UploadError("studio_upload_file_too_large", name=str(name), limit=MAX_FILE_BYTES // (1024 * 1024))
        if parts and parts[0].startswith(("__MACOSX", ".")):
            continue
        if not parts or not _NAME.match(parts[-1]) or len(parts) > 2 or (len(parts) == 2 and parts[0] != "cases"):
            raise UploadError("studio_upload_unexpected", name=str(name))
        content = _bounded_read(archive, info, MAX_FILE_BYTES)
        total += len(content)
        if total > MAX_TOTAL_BYTES:  # the archive itself may be small: say it is the unpacked size
            raise UploadError("studio_upload_unpacked_too_large", limit=MAX_TOTAL_BYTES // (1024 * 1024),
                              size_kb=max(1, round(len(data) / 1024)), files=len(infos))
        text = _decode(content, str(name))
        if len(parts) == 2:
            folder.cases[parts[1][:-5]] = text
        elif parts[0] == "form.json":
            folder.form_text, found_form = text, True
        else:
            folder.files[parts[0]] = text
    if not found_form:
        raise UploadError("studio_upload_no_form")
    return folder


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read an entry, never more than ``limit`` bytes (whatever its header claims)."""
    try:
        with archive.open(info) as stream:
            content = stream.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        raise UploadError("studio_upload_bad_zip") from None
    if len(content) > limit:
        raise UploadError("studio_upload_file_too_large", name=info.filename, limit=limit // (1024 * 1024))
    return content
