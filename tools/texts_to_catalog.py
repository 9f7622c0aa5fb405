"""Convert legacy text tables to the gettext catalog, in place.

A legacy entry in a text table (a module-level dict named ``TEXTS`` or
``BASE``, or passed to ``register``) looks like ``"key": {"de": "…", "en": "…"}``. For each one this
script

1. rewrites the entry to ``"key": NC_("key", "…")`` (the German source
   kept exactly as written, the import of ``NC_`` added when missing),
2. puts the English into ``webapp/translations/en/LC_MESSAGES/messages.po``
   (``msgctxt`` = key, ``msgid`` = German, ``msgstr`` = English),
3. with ``--commit``, commits that source file and the catalog at once
   (``git commit -- <file> <po>``: only those paths, nothing else staged).

After the files it brings the catalog in line with the source the standard
way (``pybabel extract`` with ``babel.cfg``, then ``pybabel update``:
obsolete texts are kept as ``#~`` comments) and compiles ``messages.mo``.

Each file is read, rewritten and written back at once; if it changed on disk
meanwhile (someone else saving), the conversion starts again from the new
content, so nobody's edit is lost. Running it again finds nothing to convert
and leaves every file as it is: it is safe to re-run at any time.

    .venv/bin/python tools/texts_to_catalog.py --commit      # convert the whole tree
    .venv/bin/python tools/texts_to_catalog.py --check       # exit 1 if a legacy entry is left
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "webapp"
MAPPING = ROOT / "babel.cfg"
CATALOG = SOURCE / "translations" / "en" / "LC_MESSAGES" / "messages.po"
TABLE_NAMES = frozenset({"TEXTS", "BASE"})
IMPORT = "from webapp.i18n import NC_\n"
HEADER = ("# English interface texts of formwerk (German is the source; msgctxt is the text's key).\n"
          "# Edit with any PO editor; see webapp/i18n.py and tools/texts_to_catalog.py.")


@dataclass
class Legacy:
    key: str
    german: str
    english: str
    span: tuple[int, int]  # character offsets of the entry's value in the source
    german_source: str  # the German literal as written


def _offsets(source: str) -> list[int]:
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _registered(tree: ast.Module) -> set[str]:
    """Names passed to ``register(NAME)`` / ``i18n.register(NAME)`` anywhere in the module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
            if called == "register":
                names.add(node.args[0].id)
    return names


def _tables(tree: ast.Module):
    table_names = TABLE_NAMES | _registered(tree)
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names = [statement.target.id]
        else:
            continue
        if table_names & set(names) and isinstance(statement.value, ast.Dict):
            yield statement.value


def find_legacy(source: str) -> list[Legacy]:
    """The legacy ``{"de", "en"}`` entries of the text tables in ``source``."""
    tree = ast.parse(source)
    lines = _offsets(source)

    def at(line: int, col: int) -> int:
        # ast columns are UTF-8 byte offsets
        text = source[lines[line - 1]:lines[line]]
        return lines[line - 1] + len(text.encode("utf-8")[:col].decode("utf-8"))

    found = []
    for table in _tables(tree):
        for key_node, value in zip(table.keys, table.values):
            key = _string(key_node) if key_node is not None else None
            if key is None or not isinstance(value, ast.Dict):
                continue
            fields = {_string(k): v for k, v in zip(value.keys, value.values) if k is not None}
            if set(fields) != {"de", "en"} or _string(fields["de"]) is None or _string(fields["en"]) is None:
                continue
            de = fields["de"]
            german_source = source[at(de.lineno, de.col_offset):at(de.end_lineno, de.end_col_offset)]
            found.append(Legacy(key, _string(de), _string(fields["en"]),
                                (at(value.lineno, value.col_offset), at(value.end_lineno, value.end_col_offset)),
                                german_source))
    return found


def _has_nc(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(alias.name == "NC_" for alias in node.names):
            return True
        if isinstance(node, ast.FunctionDef) and node.name == "NC_":
            return True
    return False


def _import_at(tree: ast.Module, source: str) -> tuple[int, str]:
    """Where the import of ``NC_`` goes (character offset) and what precedes
    it: after the last import above the first text table."""
    lines = _offsets(source)
    first_table = min(t.lineno for t in _tables(tree))
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) and n.lineno < first_table]
    if imports:
        last = imports[-1]
        future = isinstance(last, ast.ImportFrom) and last.module == "__future__"
        return lines[last.end_lineno], "\n" if future else ""
    first = tree.body[0] if tree.body else None
    if first is not None and isinstance(first, ast.Expr) and _string(first.value) is not None:
        return lines[first.end_lineno], "\n"
    return 0, ""


def convert(source: str) -> tuple[str, list[Legacy]]:
    """``source`` with every legacy entry rewritten, and the entries."""
    entries = find_legacy(source)
    if not entries:
        return source, []
    new = source
    for entry in sorted(entries, key=lambda e: e.span[0], reverse=True):
        start, end = entry.span
        new = new[:start] + f"NC_({json.dumps(entry.key, ensure_ascii=False)}, {entry.german_source})" + new[end:]
    tree = ast.parse(new)
    if not _has_nc(tree):
        where, before = _import_at(tree, new)
        new = new[:where] + before + IMPORT + new[where:]
    ast.parse(new)  # never write a file that does not parse
    return new, entries


def convert_file(path: Path, attempts: int = 5) -> list[Legacy]:
    """Rewrite ``path`` in place; retried when the file changes while converting."""
    for _ in range(attempts):
        before = path.read_text(encoding="utf-8")
        new, entries = convert(before)
        if not entries:
            return []
        if path.read_text(encoding="utf-8") != before:
            continue  # someone saved meanwhile: start again from their version
        path.write_text(new, encoding="utf-8")
        return entries
    raise RuntimeError(f"{path} kept changing; run the conversion again")


def read_catalog() -> Catalog:
    if CATALOG.exists():
        with CATALOG.open("rb") as handle:
            return read_po(handle, locale="en")
    return Catalog(locale="en", project="formwerk", fuzzy=False, header_comment=HEADER,
                   language_team="formwerk", last_translator="formwerk")


def write_catalog(catalog: Catalog) -> None:
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, no_location=True, sort_output=True, include_previous=False)
    CATALOG.write_bytes(buffer.getvalue())


def add_english(catalog: Catalog, entries: list[Legacy]) -> None:
    for entry in entries:
        old = catalog.get(entry.german, context=entry.key)
        if old is not None and old.string and not old.fuzzy and old.string != entry.english:
            continue  # a translator's newer English stays
        catalog.delete(entry.german, context=entry.key)
        catalog.add(entry.german, entry.english, context=entry.key)


def extracted() -> Catalog:
    """What ``pybabel extract -F babel.cfg webapp`` finds, as a template."""
    with MAPPING.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project="formwerk", fuzzy=False)
    for _filename, _lineno, message, comments, context in extract_from_dir(
            str(SOURCE), method_map, options_map, strip_comment_tags=True):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def update(catalog: Catalog) -> Catalog:
    """``catalog`` in line with the source (``pybabel update``)."""
    catalog.update(extracted(), no_fuzzy_matching=False, update_header_comment=False, update_creation_date=False)
    return catalog


def compile_mo() -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    with CATALOG.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)


def commit(paths: list[Path], message: str) -> None:
    names = [str(p.relative_to(ROOT)) for p in paths]
    for _ in range(20):
        done = subprocess.run(["git", "add", "--", *names], cwd=ROOT, capture_output=True, text=True)
        if done.returncode == 0:
            done = subprocess.run(["git", "commit", "-q", "-m", message, "--", *names], cwd=ROOT,
                                  capture_output=True, text=True)
        if done.returncode == 0:
            return
        if "index.lock" not in done.stderr:
            raise RuntimeError(f"git commit {names}: {done.stderr or done.stdout}")
        time.sleep(1)
    raise RuntimeError("git index stayed locked")


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def sources(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [p for p in found if "migrations" not in p.parts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[SOURCE])
    parser.add_argument("--check", action="store_true", help="only report legacy entries; exit 1 if any")
    parser.add_argument("--commit", action="store_true", help="commit each converted file with the catalog")
    args = parser.parse_args(argv)
    files = sources([p.resolve() for p in args.paths])

    unreadable = []
    if args.check:
        left = []
        for path in files:
            try:
                left += [(path, entry.key) for entry in find_legacy(path.read_text(encoding="utf-8"))]
            except SyntaxError:
                unreadable.append(path)
        for path, key in left:
            print(f"{_shown(path)}: {key}")
        for path in unreadable:
            print(f"{_shown(path)}: does not parse, not checked", file=sys.stderr)
        return 1 if left or unreadable else 0

    catalog = read_catalog()
    for path in files:
        try:
            entries = convert_file(path)
        except SyntaxError:  # someone is halfway through an edit: leave the file alone
            unreadable.append(path)
            print(f"{_shown(path)}: does not parse, left alone; run again later", file=sys.stderr)
            continue
        if not entries:
            continue
        add_english(catalog, entries)
        write_catalog(catalog)
        print(f"{_shown(path)}: {len(entries)} texts converted")
        if args.commit:
            commit([path, CATALOG], f"Texts: {_shown(path)} to the gettext catalog")
    before = CATALOG.read_bytes() if CATALOG.exists() else b""
    write_catalog(update(catalog))
    compile_mo()
    if args.commit and CATALOG.read_bytes() != before:
        commit([CATALOG], "Texts: the English catalog in line with the source")
    return 1 if unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
