"""The ``formwerk`` command line (also ``python -m engine``), a thin client of
the engine's public API. Contract: DESIGN.md, "The CLI contract".

Exit status: 0 no error (warnings allowed), 1 errors found, 2 the form or the
answers cannot be read (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from ._loading import load_answers, load_form_source, parse_answers
from .errors import AnswersError, FormError, FormwerkError
from ._output import dumps, outcome_bytes
from .form import CompiledForm, compile_form

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are "cannot read the request": exit 2, one line
        reason = f"{_one_line(message)} (see {self.prog} --help)"
        if self.prog.endswith(" check"):  # stdout stays JSON, as for every other unreadable check
            _dump({"valid": False, "error": reason}, sys.stdout)
        self.exit(EXIT_UNREADABLE, f"formwerk: {reason}\n")


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of must be a date YYYY-MM-DD, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="formwerk", description="Check, lint and test formwerk form definitions.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check answers against a form; prints one JSON object")
    check.add_argument("form", help="form definition file or form folder")
    check.add_argument("answers", nargs="?", help="answers JSON file, or - for standard input")
    check.add_argument("--batch", metavar="ANSWERS.jsonl",
                       help="check one application per line (- for standard input); prints one result per line")
    check.add_argument("--lang", choices=("de", "en"), default=None, help="language of the messages")
    check.add_argument("--as-of", type=_as_of, default=None, help="reference date YYYY-MM-DD (default: today)")
    check.add_argument("--section", default=None, help="report only the issues of one section (page)")
    check.add_argument("--confirmations", metavar="FILE", default=None,
                       help="JSON array of confirmation tokens of warnings the applicant confirmed "
                            "(the 'confirmation' of each warning in a previous result)")

    lint = sub.add_parser("lint", help="report definition errors and warnings")
    lint.add_argument("form")
    lint.add_argument("--json", action="store_true", help="print the findings as JSON")

    test = sub.add_parser("test", help="run the form's example cases (cases/*.json)")
    test.add_argument("form")

    explain = sub.add_parser("explain", help="say for every section and question when it is asked")
    explain.add_argument("form")
    explain.add_argument("--lang", choices=("de", "en"), default=None, help="language of the explanation")
    explain.add_argument("--json", action="store_true", help="print the explanation as JSON")

    diff = sub.add_parser("diff", help="compare two versions of a form in words")
    diff.add_argument("old", help="the older form file or folder")
    diff.add_argument("new", help="the newer form file or folder")
    diff.add_argument("--lang", choices=("de", "en"), default=None, help="language of the comparison")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    return parser


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    report = stdout if args.command == "check" else None  # where an unreadable check is also reported
    try:
        if args.command == "check":
            return _check(args, stdin, stdout)
        if args.command == "lint":
            return _lint(args, stdout)
        if args.command in ("explain", "diff"):
            return _explain(args, stdout) if args.command == "explain" else _diff(args, stdout)
        return _test(args, stdout)
    except FormwerkError as exc:
        _fail(report, str(exc))
    except BrokenPipeError:  # e.g. `formwerk check ... | head`
        return EXIT_OK
    except RecursionError:  # the form is compiled (and named) first: here it is the answers
        _fail(report, f"the answers {_answers_name(args)} are nested too deeply" if args.command == "check"
              else f"form definition {_form_names(args)} is nested too deeply")
    except Exception as exc:  # never a traceback (DESIGN, "The CLI contract")
        if args.command == "check":
            _fail(report, f"the form {args.form} cannot be used with the answers {_answers_name(args)}: "
                  f"{type(exc).__name__}: {exc}")
        else:
            _fail(report, f"the form {_form_names(args)} cannot be read: {type(exc).__name__}: {exc}")
    return EXIT_UNREADABLE


def _answers_name(args) -> str:
    name = args.answers if args.answers is not None else args.batch
    return "on standard input" if name == "-" else str(name)


def _form_names(args) -> str:
    return f"{args.old} or {args.new}" if args.command == "diff" else str(args.form)


def _form(path: str) -> CompiledForm:
    """Load and compile a form; every reason it cannot be used names the file
    (DESIGN, "The CLI contract": one line naming the form or the answers)."""
    try:
        return compile_form(load_form_source(path))
    except RecursionError:
        raise FormError(f"form definition {path} is nested too deeply") from None
    except FormError as exc:
        message = _one_line(exc)
        if str(path) in message or Path(path).resolve().as_uri() in message:
            raise
        if message.startswith("the form's "):
            message = f": its {message[len('the form' + chr(39) + 's '):]}"
        elif message.startswith("the form "):
            message = f" {message[len('the form '):]}"
        else:
            message = f": {message}"
        raise FormError(f"form definition {path}{message}") from None


def _fail(stdout: TextIO | None, message: str) -> None:
    """Say on stderr, in one line, why nothing can be checked; for ``check``
    also write ``{"valid": false, "error": reason}`` on stdout (the shape of a
    batch's unreadable line), so stdout is valid JSON whatever happens
    (DESIGN, "The CLI contract")."""
    reason = _one_line(message)
    print(f"formwerk: {reason}", file=sys.stderr)
    if stdout is not None:
        try:
            _dump({"valid": False, "error": reason}, stdout)
        except BrokenPipeError:
            pass


def _dump(obj, stdout: TextIO) -> None:
    stdout.write(dumps(obj) + "\n")


def _read_stdin(stdin: TextIO) -> bytes | str:
    """Standard input as bytes (decoded strictly later), text when it has no buffer."""
    buffer = getattr(stdin, "buffer", None)
    return buffer.read() if buffer is not None else stdin.read()


def _check(args, stdin: TextIO, stdout: TextIO) -> int:
    if (args.answers is None) == (args.batch is None):
        raise AnswersError("give either ANSWERS (a file or -) or --batch ANSWERS.jsonl")
    form = _form(args.form)
    options = {"lang": args.lang, "as_of": args.as_of, "section": args.section,
               "confirmations": _confirmations(args.confirmations)}
    if args.section is not None:
        try:
            form.section(args.section)
        except KeyError:
            raise AnswersError(f"the form has no section {args.section!r}") from None
    if args.batch is not None:
        return _batch(form, args.batch, options, stdin, stdout)
    answers = parse_answers(_read_stdin(stdin), "answers on standard input") if args.answers == "-" \
        else load_answers(args.answers)
    outcome = form.check(answers, **options)
    _lines(stdout)(outcome_bytes(outcome))
    return EXIT_OK if outcome.valid else EXIT_ERRORS


def _lines(stdout: TextIO):
    """A function that writes one line of UTF-8 JSON (bytes) and flushes it: straight
    to a UTF-8 stdout's binary buffer (no decoding and encoding again of a 20 kB
    result; what the text layer holds is flushed first, so the order stays), else as
    text (a StringIO, another encoding)."""
    buffer = getattr(stdout, "buffer", None)
    encoding = getattr(stdout, "encoding", None) or ""
    if buffer is not None and encoding.lower().replace("-", "").replace("_", "") == "utf8" \
            and getattr(stdout, "errors", "strict") in ("strict", "surrogateescape"):  # the same bytes
        stdout.flush()
        write = buffer.write

        def line(data: bytes) -> None:
            write(data)
            write(b"\n")
            buffer.flush()
        return line

    def text_line(data: bytes) -> None:
        stdout.write(data.decode())
        stdout.write("\n")
        stdout.flush()
    return text_line


def _confirmations(path: str | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    from ._loading import parse_json

    try:
        with open(path, "rb") as stream:
            text = stream.read().decode("utf-8")
    except OSError as exc:
        raise AnswersError(f"confirmations file cannot be read: {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise AnswersError(f"confirmations file {path} is not valid UTF-8 (byte {exc.start})") from None
    tokens = parse_json(text, AnswersError, f"confirmations file {path}")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise AnswersError(f"confirmations file {path} must be a JSON array of strings")
    return frozenset(tokens)


def _batch(form: CompiledForm, path: str, options: dict, stdin: TextIO, stdout: TextIO) -> int:
    """One result per input line, streamed. A line that cannot be read (bad
    JSON, bad UTF-8, NaN, nesting too deep, ...) yields ``{"line": n,
    "valid": false, "error": reason}`` and exit status 2 at the end; the other
    lines are still checked. Lines are read as bytes and decoded one by one."""
    status = EXIT_OK
    line_out = _lines(stdout)
    try:
        stream = (getattr(stdin, "buffer", None) or stdin) if path == "-" else open(path, "rb")
    except OSError as exc:
        raise AnswersError(f"batch file cannot be read: {path}: {exc.strerror}") from None
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line or line.isspace():  # what strip() leaves empty, without a copy of the line
                continue
            try:
                outcome = form.check(parse_answers(line, f"line {number}"), **options)
                data = outcome_bytes(outcome, {"line": number})  # = dumps(to_json(exact=True) + line), no copy
            except FormwerkError as exc:
                line_out(dumps({"line": number, "valid": False, "error": _one_line(exc)}).encode())
                status = EXIT_UNREADABLE
                continue
            except RecursionError:
                line_out(dumps({"line": number, "valid": False, "error": f"line {number} is nested too deeply"}).encode())
                status = EXIT_UNREADABLE
                continue
            line_out(data)
            if not outcome.valid and status == EXIT_OK:
                status = EXIT_ERRORS
    return status


def _lint(args, stdout: TextIO) -> int:
    from .lint import lint_path

    findings = lint_path(args.form)
    if args.json:
        _dump([f.to_json() for f in findings], stdout)
    else:
        for f in findings:
            stdout.write(f"{f.severity:7} {f.path or '/'}: {f.message} [{f.code}]\n")
        errors = sum(f.severity == "error" for f in findings)
        stdout.write(f"{errors} error(s), {len(findings) - errors} warning(s)\n")
    return EXIT_ERRORS if any(f.severity == "error" for f in findings) else EXIT_OK


def _test(args, stdout: TextIO) -> int:
    from .cases import run_cases_with_coverage

    form = _form(args.form)
    results, missed, total = run_cases_with_coverage(form.source, form)
    if not results:
        stdout.write(f"no example cases in {args.form} (expected cases/*.json in a form folder)\n")
        return EXIT_ERRORS
    failed = 0
    for result in results:
        stdout.write(f"{'PASS' if result.ok else 'FAIL'} {result.name}\n")
        for problem in result.problems:
            stdout.write(f"     {problem}\n")
        failed += not result.ok
    stdout.write(f"{len(results) - failed} of {len(results)} cases pass\n")
    stdout.write(f"branches exercised: {total - len(missed)} of {total}\n")
    for pointer in missed:
        stdout.write(f"     never taken: {pointer}\n")
    return EXIT_ERRORS if failed else EXIT_OK


def _explain(args, stdout: TextIO) -> int:
    from .explain import explain

    explanation = explain(_form(args.form), args.lang)
    if args.json:
        _dump(explanation.to_json(), stdout)
    else:
        stdout.write(explanation.text())
    return EXIT_OK


def _diff(args, stdout: TextIO) -> int:
    """Exit 0 when the versions do not differ, 1 when they do (like diff(1))."""
    from .diff import diff

    changes = diff(_form(args.old), _form(args.new), args.lang)
    if args.json:
        _dump(changes.to_json(), stdout)
    else:
        stdout.write(changes.text())
    return EXIT_ERRORS if changes.changes else EXIT_OK
