"""engine.explain: when each section and question is asked, in words, for
every keyword that decides relevance, and on the bundled forms."""

import json
from pathlib import Path

import pytest

from engine import compile_form, load_form
from engine.cli import main
from engine.diff import template
from engine.explain import explain

FORMS = Path(__file__).resolve().parents[2] / "forms"
BUNDLED = sorted(p.name for p in FORMS.iterdir() if (p / "form.json").is_file())


def form(properties: dict, **root) -> object:
    return compile_form({"type": "object", "properties": properties, **root})


def asked(schema_form, pointer: str, lang: str = "de") -> str:
    item = explain(schema_form, lang).item(pointer)
    assert item is not None, f"{pointer} not explained"
    return item.asked


YES_NO = {"type": "boolean", "title": "Haben Sie Kinder?"}


def test_unconditional_question_is_always_asked():
    f = form({"a": {"type": "object", "title": "A", "properties": {"name": {"type": "string", "title": "Name"}}}})
    assert asked(f, "/a") == "wird immer gefragt"
    assert asked(f, "/a/name") == "wird immer gefragt"
    assert asked(f, "/a/name", "en") == "always asked"


def test_if_then_else_with_const():
    f = form({"a": {"type": "object", "properties": {"kinder": YES_NO},
                    "if": {"properties": {"kinder": {"const": True}}, "required": ["kinder"]},
                    "then": {"properties": {"anzahl": {"type": "integer", "title": "Wie viele?"}}},
                    "else": {"properties": {"grund": {"type": "string", "title": "Warum nicht?"}}}}})
    assert asked(f, "/a/anzahl") == "wird gefragt, wenn „Haben Sie Kinder?“ = Ja"
    assert asked(f, "/a/grund") == "wird gefragt, wenn „Haben Sie Kinder?“ ≠ Ja"
    assert asked(f, "/a/anzahl", "en") == "asked when “Haben Sie Kinder?” = Yes"


def test_enum_and_option_labels():
    f = form({"a": {"type": "object", "properties": {
        "kanal": {"enum": ["tel", "video", "vor_ort"], "title": "Kanal",
                  "x-options": {"tel": "Telefon", "video": "Video", "vor_ort": "Vor Ort"}}},
        "if": {"properties": {"kanal": {"enum": ["tel", "video"]}}, "required": ["kanal"]},
        "then": {"properties": {"nummer": {"type": "string", "title": "Nummer"}}}}})
    assert asked(f, "/a/nummer") == "wird gefragt, wenn „Kanal“ eine von „Telefon“, „Video“ ist"


@pytest.mark.parametrize("keyword,op", [("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">"),
                                        ("exclusiveMaximum", "<")])
def test_numeric_bounds(keyword, op):
    f = form({"a": {"type": "object", "properties": {"alter": {"type": "integer", "title": "Alter"}},
                    "if": {"properties": {"alter": {keyword: 15}}, "required": ["alter"]},
                    "then": {"properties": {"schule": {"type": "string", "title": "Schule"}}}}})
    assert asked(f, "/a/schule") == f"wird gefragt, wenn „Alter“ {op} 15"


def test_required_only_means_answered():
    f = form({"a": {"type": "object", "properties": {"iban": {"type": "string", "title": "IBAN"}},
                    "if": {"required": ["iban"]},
                    "then": {"properties": {"bank": {"type": "string", "title": "Bank"}}}}})
    assert asked(f, "/a/bank") == "wird gefragt, wenn „IBAN“ beantwortet ist"


def test_dependent_schemas():
    f = form({"a": {"type": "object", "properties": {"email": {"type": "string", "title": "E-Mail"}},
                    "dependentSchemas": {"email": {"properties": {"newsletter": {"type": "boolean", "title": "NL"}}}}}})
    assert asked(f, "/a/newsletter") == "wird gefragt, wenn „E-Mail“ beantwortet ist"


def test_discriminated_one_of():
    f = form({"a": {"type": "object", "properties": {"art": {"enum": ["miete", "eigentum"], "title": "Wohnform"}},
                    "oneOf": [{"properties": {"art": {"const": "miete"}, "miete": {"type": "number", "title": "Miete"}}},
                              {"properties": {"art": {"const": "eigentum"},
                                              "zinsen": {"type": "number", "title": "Zinsen"}}}]}})
    assert asked(f, "/a/miete") == "wird gefragt, wenn „Wohnform“ = „miete“"
    assert asked(f, "/a/zinsen") == "wird gefragt, wenn „Wohnform“ = „eigentum“"


def test_non_discriminated_any_of_names_the_variant():
    f = form({"a": {"type": "object", "anyOf": [
        {"title": "Mit Telefon", "properties": {"telefon": {"type": "string", "title": "Telefon"}}, "required": ["telefon"]},
        {"properties": {"post": {"type": "string", "title": "Post"}}, "required": ["post"]}]}})
    assert asked(f, "/a/telefon") == ("wird gefragt, wenn die Angaben zu „A“ zur Variante „Mit Telefon“ passen "
                                      "oder noch zu keiner Variante passen")
    assert asked(f, "/a/post") == "wird gefragt, wenn die Angaben zu „A“ zur Variante 2 passen oder noch zu keiner Variante passen"
    assert asked(f, "/a/post", "en") == "asked when the answers to “A” fit variant 2 or do not fit any variant yet"


def test_non_discriminated_one_of_at_the_root_reads_plainly():
    """Rule 2: an untitled member at the root; oneOf also applies while several fit."""
    f = compile_form({"type": "object", "title": "T", "oneOf": [
        {"properties": {"lorem": {"type": "string", "title": "Lorem"}}, "required": ["lorem"]},
        {"properties": {"ipsum": {"type": "string", "title": "Ipsum"}}, "required": ["ipsum"]}]})
    assert asked(f, "/lorem") == ("wird gefragt, wenn die Angaben zur Variante 1 passen oder noch nicht eindeutig "
                                  "zu einer Variante passen")
    assert asked(f, "/ipsum", "en") == "asked when the answers fit variant 2 or do not yet fit exactly one variant"
    for lang in ("de", "en"):
        text = explain(f, lang).text()
        assert "zu die" not in text and "to the answers" not in text and "Variante Variante" not in text
        assert text.startswith("T\n\n")


def test_false_property_hides_a_question():
    f = form({"a": {"type": "object", "properties": {"ledig": {"type": "boolean", "title": "Ledig?"},
                                                     "partner": {"type": "string", "title": "Partner"}},
                    "if": {"properties": {"ledig": {"const": True}}, "required": ["ledig"]},
                    "then": {"properties": {"partner": False}}}})
    item = explain(f, "de").item("/a/partner")
    assert item.asked == "wird gefragt, außer wenn „Ledig?“ = Ja"
    assert item.hidden_when == "„Ledig?“ = Ja" and item.condition is not None
    assert explain(f, "en").item("/a/partner").asked == "asked unless “Ledig?” = Yes"
    text = explain(f, "de").text()
    assert "wird immer gefragt\n" not in text.split("(/a/partner)")[1].split("\n")[0]


def test_false_property_under_a_condition_and_always_hidden():
    f = form({"a": {"type": "object", "properties": {
        "ledig": {"type": "boolean", "title": "Ledig?"}, "kinder": {"type": "boolean", "title": "Kinder?"},
        "nie": {"type": "string", "title": "Nie"}},
        "allOf": [{"properties": {"nie": False}},
                  {"if": {"properties": {"kinder": {"const": True}}, "required": ["kinder"]},
                   "then": {"properties": {"anzahl": {"type": "integer", "title": "Anzahl"}}}},
                  {"if": {"properties": {"ledig": {"const": True}}, "required": ["ledig"]},
                   "then": {"properties": {"anzahl": False}}}]}})
    assert asked(f, "/a/nie") == "wird nie gefragt"
    assert asked(f, "/a/nie", "en") == "never asked"
    assert asked(f, "/a/anzahl") == "wird gefragt, wenn „Kinder?“ = Ja, außer wenn „Ledig?“ = Ja"
    assert asked(f, "/a/anzahl", "en") == "asked when “Kinder?” = Yes, unless “Ledig?” = Yes"


def test_untitled_form_text_has_no_leading_blank_lines():
    f = form({"a": {"type": "string", "title": "A"}})
    assert not explain(f, "de").text().startswith("\n")


def test_ref_and_all_of_always_apply_and_keep_conditions():
    f = compile_form({"type": "object", "$defs": {
        "adresse": {"type": "object", "properties": {"ort": {"type": "string", "title": "Ort"}}}},
        "properties": {"a": {"type": "object", "properties": {"umzug": {"type": "boolean", "title": "Umzug?"}},
                             "allOf": [{"if": {"properties": {"umzug": {"const": True}}, "required": ["umzug"]},
                                        "then": {"properties": {"neu": {"$ref": "#/$defs/adresse", "title": "Neue Adresse"}}}}]}}})
    assert asked(f, "/a/neu") == "wird gefragt, wenn „Umzug?“ = Ja"
    assert asked(f, "/a/neu/ort") == "wird gefragt, wenn „Umzug?“ = Ja"


def test_items_conditions_per_entry_and_computed_values():
    f = form({"h": {"type": "object", "properties": {"kinder": {"type": "array", "title": "Kinder", "items": {
        "type": "object", "properties": {"geboren": {"type": "string", "format": "date", "title": "Geburtsdatum"},
                                         "alter": {"type": "integer", "readOnly": True, "title": "Alter",
                                                   "x-compute": "age(self.geboren)"}},
        "if": {"properties": {"alter": {"minimum": 15}}, "required": ["alter"]},
        "then": {"properties": {"schule": {"type": "string", "title": "Schule"}}}}}}}})
    explanation = explain(f, "de")
    assert explanation.item("/h/kinder").kind == "list"
    assert explanation.item("/h/kinder/*/schule").asked == "wird gefragt, wenn „Alter“ ≥ 15"
    assert explanation.item("/h/kinder/*/alter") is None  # computed values are not questions


def test_prefix_items_and_contains_and_not():
    f = form({"a": {"type": "object", "properties": {
        "paar": {"type": "array", "prefixItems": [{"type": "string", "title": "Erster"}], "title": "Paar"},
        "arten": {"type": "array", "title": "Hilfen", "items": {"enum": ["dolmetschen", "rollstuhl"]}},
        "land": {"type": "string", "title": "Land"}},
        "allOf": [
            {"if": {"properties": {"arten": {"contains": {"const": "dolmetschen"}}}, "required": ["arten"]},
             "then": {"properties": {"sprache": {"type": "string", "title": "Sprache"}}}},
            {"if": {"properties": {"land": {"not": {"const": "DE"}}}, "required": ["land"]},
             "then": {"properties": {"seit": {"type": "string", "title": "Seit"}}}}]}})
    explanation = explain(f, "de")
    assert explanation.item("/a/paar").kind == "list"
    assert explanation.item("/a/sprache").asked == "wird gefragt, wenn „Hilfen“ „dolmetschen“ enthält"
    assert explanation.item("/a/seit").asked == "wird gefragt, wenn „Land“ ≠ „DE“"


def test_recursive_schema_is_explained_once_per_path():
    f = compile_form({"type": "object", "$defs": {"person": {"type": "object", "properties": {
        "name": {"type": "string", "title": "Name"}, "vertreter": {"$ref": "#/$defs/person", "title": "Vertreter"}}}},
        "properties": {"antragsteller": {"$ref": "#/$defs/person", "title": "Antragsteller"}}})
    pointers = {i.pointer for i in explain(f, "de").items()}
    assert {"/antragsteller/name", "/antragsteller/vertreter"} <= pointers
    assert all(p.count("vertreter") <= 1 for p in pointers)


def test_rules_and_documents_that_depend_on_a_question():
    f = form({"a": {"type": "object", "properties": {
        "miete": {"type": "number", "title": "Miete"}, "nebenkosten": {"type": "number", "title": "NK"}},
        "x-rules": [{"id": "nk-hoch", "rule": "self.nebenkosten <= self.miete", "severity": "warning",
                     "message": {"de": "hoch"}, "fields": ["/nebenkosten"]}],
        "x-documents": [{"id": "mietvertrag", "when": "self.miete > 0.0", "title": {"de": "Mietvertrag"}}]}})
    explanation = explain(f, "de")
    assert explanation.item("/a/miete").rules == ["nk-hoch (warning)"]
    assert explanation.item("/a/miete").documents == ["mietvertrag"]
    assert explanation.item("/a/nebenkosten").documents == []


def test_nested_conditions_accumulate():
    f = form({"a": {"type": "object", "properties": {"kinder": YES_NO},
                    "if": {"properties": {"kinder": {"const": True}}, "required": ["kinder"]},
                    "then": {"properties": {"alter": {"type": "integer", "title": "Alter des Kindes"}},
                             "if": {"properties": {"alter": {"exclusiveMaximum": 15}}, "required": ["alter"]},
                             "then": {"properties": {"kita": {"type": "boolean", "title": "Kita?"}}}}}})
    assert asked(f, "/a/kita") == "wird gefragt, wenn „Haben Sie Kinder?“ = Ja und „Alter des Kindes“ < 15"


@pytest.mark.parametrize("slug", BUNDLED)
def test_bundled_forms_explain_every_relevant_question_of_every_case(slug):
    """Each pointer a case finds relevant is explained, and a question that
    is asked only sometimes says when."""
    compiled = load_form(FORMS / slug)
    explanation = explain(compiled, "de")
    known = {i.pointer for i in explanation.items()}
    for path in sorted((FORMS / slug / "cases").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        outcome = compiled.check(case["answers"])
        for pointer in outcome.relevant:
            assert template(pointer) in known, f"{path.name}: {pointer} is not explained"
    conditional = [i for i in explanation.items() if i.condition is not None]
    assert conditional, "every bundled form has conditional questions"
    assert all(i.asked.startswith(("wird gefragt, wenn ", "wird gefragt, außer wenn ")) for i in conditional)
    english = explain(compiled, "en")
    assert all(i.asked.startswith(("asked when ", "asked unless ")) for i in english.items() if i.condition is not None)


def test_buergergeld_child_questions_name_their_condition():
    explanation = explain(load_form(FORMS / "buergergeld"), "de")
    child = [i for i in explanation.items() if "/kinder" in i.pointer and i.condition is not None]
    assert child and all("wenn" in i.asked for i in child)


def test_cli_explain_text_and_json(capsys):
    assert main(["explain", str(FORMS / "terminanfrage")]) == 0
    out = capsys.readouterr().out
    assert "wird gefragt, wenn „Wie möchten Sie mit uns sprechen?“" in out
    assert main(["explain", str(FORMS / "terminanfrage"), "--lang", "en", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "en" and data["sections"][0]["questions"]


def test_cli_explain_unreadable_form_exits_2(tmp_path, capsys):
    bad = tmp_path / "form.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["explain", str(bad)]) == 2
    assert capsys.readouterr().err.startswith("formwerk: ")


def test_object_and_array_constants_and_nested_keywords_in_conditions():
    f = form({"a": {"type": "object", "properties": {
        "ort": {"type": "object", "title": "Ort", "properties": {"plz": {"type": "string"}}},
        "tage": {"type": "array", "title": "Tage", "items": {"type": "string"}},
        "art": {"type": ["string", "null"], "title": "Art"}},
        "allOf": [
            {"if": {"properties": {"ort": {"const": {"plz": "10115"}}}, "required": ["ort"]},
             "then": {"properties": {"bezirk": {"type": "string", "title": "Bezirk"}}}},
            {"if": {"properties": {"tage": {"enum": [["mo"], ["di", "mi"]]}}, "required": ["tage"]},
             "then": {"properties": {"uhrzeit": {"type": "string", "title": "Uhrzeit"}}}},
            {"if": {"properties": {"art": {"type": ["string", "null"],
                                           "if": {"const": "x"}, "then": {"minLength": 1}}}, "required": ["art"]},
             "then": {"properties": {"grund": {"type": "string", "title": "Grund"}}}},
        ],
        "oneOf": [{"properties": {"modus": {"const": [1, 2]}, "k": {"type": "string", "title": "K"}}}]}})
    explanation = explain(f, "de")
    assert explanation.item("/a/bezirk").asked == 'wird gefragt, wenn „Ort“ = {"plz": "10115"}'
    assert explanation.item("/a/uhrzeit").asked == 'wird gefragt, wenn „Tage“ eine von ["mo"], ["di", "mi"] ist'
    assert "„Art“ vom Typ string/null ist" in explanation.item("/a/grund").asked
    assert explanation.item("/a/k").asked == "wird gefragt, wenn „Modus“ = [1, 2]"
    assert explain(f, "en").item("/a/bezirk").asked == 'asked when “Ort” = {"plz": "10115"}'


def test_a_variant_under_a_condition_keeps_its_or_apart():
    f = form({"a": {"type": "object", "properties": {"k": {"type": "boolean", "title": "K"}},
                    "if": {"properties": {"k": {"const": True}}, "required": ["k"]},
                    "then": {"anyOf": [{"properties": {"x": {"type": "string", "title": "X"}}, "required": ["x"]},
                                       {"properties": {"y": {"type": "string", "title": "Y"}}, "required": ["y"]}]}}})
    assert asked(f, "/a/x") == ("wird gefragt, wenn „K“ = Ja und (die Angaben zu „A“ zur Variante 1 passen "
                                "oder noch zu keiner Variante passen)")
    assert asked(f, "/a/y", "en") == "asked when “K” = Yes and (the answers to “A” fit variant 2 or do not fit any variant yet)"


def test_a_condition_without_required_also_holds_while_unanswered():
    """``properties`` in an ``if`` holds for an absent answer: explain must say
    what relevance does (the then-question is asked before the answer is given)."""
    f = form({"a": {"type": "object", "properties": {"kinder": YES_NO},
                    "if": {"properties": {"kinder": {"const": True}}},
                    "then": {"properties": {"anzahl": {"type": "integer", "title": "Wie viele?"}}},
                    "else": {"properties": {"grund": {"type": "string", "title": "Warum nicht?"}}}}})
    assert "/a/anzahl" in f.check({"a": {}}).relevant and "/a/grund" not in f.check({"a": {}}).relevant
    assert asked(f, "/a/anzahl") == "wird gefragt, wenn „Haben Sie Kinder?“ = Ja oder „Haben Sie Kinder?“ nicht beantwortet ist"
    assert asked(f, "/a/grund", "en") == "asked when “Haben Sie Kinder?” ≠ Yes and “Haben Sie Kinder?” is answered"
