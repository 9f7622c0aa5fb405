"""The fast relevance walk against the walk as it was written before (issue 10).

The walk asks each conditional plan's decision trie (engine._walk_decisions)
instead of ``Relevance.decide``, records leaves in runs, uses const/enum tests
specialised to their constant, and copies on write only the containers that
get computed values (engine._walk_copy). ``reference_form_walk`` below is the
walk before that work, written against the interpreter (``decide`` and
``Plan.shape_for``) with a full copy of the answers; every result must be the
same: relevant/pruned/unknown pointers in the same order, choices, computed
values, sites and the settled answers; and the answers passed in unchanged."""

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import compile_form, load_form_source
from engine._graph import MISSING, _value_test, escape_token, json_equal
from engine._relevance import ARRAY, LEAF, OBJECT, Walk, _expanding, _outermost
from engine._walk_copy import computing_nodes, deep_copy
from engine._walk_decisions import MAX_LEAVES, Decisions
from engine.errors import FormError
from plausibility.rules import Evaluator, uncached

from .test_properties import FORMS, json_scalars, json_values, plausible_answers, random_forms

ROOT = Path(__file__).resolve().parents[2]
S = "https://json-schema.org/draft/2020-12/schema"
AS_OF = date(2026, 11, 25)


# -- the walk as written before (the reference) ---------------------------------------------

def _reference_visit(relevance, value, pointer, plan, out, prune, above):
    if value is MISSING and plan.recursion_key and _expanding(plan.recursion_key, above):
        out.relevant.append(pointer)
        return LEAF
    if plan.base_computations and out.evaluator is not None and type(value) is dict:
        for name, computation in plan.base_computations:
            relevance._compute(value, name, computation, pointer, out)
    if not plan.conditional:
        shape = plan.static_shape()
    else:
        probe = {} if value is MISSING and plan.may_be_object else value
        picks = []
        chosen = relevance.decide(plan, probe, picks)
        if picks:
            out.choices[pointer] = picks
        shape = plan.shape_for(chosen)
    kind = shape.kind
    if kind == OBJECT:
        obj = value if type(value) is dict else None
        if obj is not None and out.evaluator is not None:
            for name, computation in shape.computations.items():
                if not any(name == n for n, _ in plan.base_computations):
                    relevance._compute(obj, name, computation, pointer, out)
        if shape.extras:
            out.sites.append((pointer, obj if obj is not None else {}, shape.extras))
        admitted = None
        if obj and not shape.declared.issuperset(obj):
            for key in [k for k in obj if k not in shape.declared]:
                child_pointer = f"{pointer}/{escape_token(key)}"
                extra = shape.admit(key)
                if extra is not None:
                    (admitted := admitted or []).append((key, child_pointer, extra))
                elif key in plan.anywhere or (plan.allows_extra and plan.could_admit(key)):
                    if prune:
                        del obj[key]
                    out.pruned.append(child_pointer)
                else:
                    out.unknown.append(child_pointer)
        link = (plan.recursion_key, above)
        for name, token, child, computed in shape.children:
            if computed:
                continue
            if child.leaf:
                out.relevant.append(pointer + token)
            else:
                _reference_visit(relevance, obj.get(name, MISSING) if obj is not None else MISSING, pointer + token,
                                 child, out, prune, link)
        for key, child_pointer, child in admitted or ():
            if child.leaf:
                out.relevant.append(child_pointer)
            else:
                _reference_visit(relevance, obj[key], child_pointer, child, out, prune, link)
        return OBJECT
    out.relevant.append(pointer)
    if kind == ARRAY:
        if type(value) is list and value and (shape.items is not None or shape.prefix_items):
            for i, element in enumerate(value):
                element_plan = relevance.element_plan(shape, i)
                if element_plan is None:
                    continue
                if _reference_visit(relevance, element, f"{pointer}/{i}", element_plan, out, prune,
                                    (plan.recursion_key, above)) == LEAF:
                    out.relevant.pop()
    return kind


def reference_walk(relevance, answers, prune, evaluator=None):
    out = Walk(relevance, answers, evaluator=evaluator)
    _reference_visit(relevance, answers, "", relevance.root_plan, out, prune, None)
    return out


def _reference_copy(value):
    if type(value) is dict:
        return {k: _reference_copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_reference_copy(v) for v in value]
    return value


def reference_form_walk(form, answers, today=AS_OF):
    """``CompiledForm.walk`` as it was: a full copy, then rounds until nothing is pruned."""
    if not form.has_computations:
        walk = reference_walk(form.relevance, answers, prune=False)
        if not walk.pruned:
            return answers, walk
    work = _reference_copy(answers)
    pruned = []
    for _ in range(1000):
        evaluator = Evaluator(work, today) if form.has_computations else None
        walk = reference_walk(form.relevance, work, prune=True, evaluator=evaluator)
        if not walk.pruned:
            walk.pruned = _outermost(pruned)
            return work, walk
        pruned.extend(walk.pruned)
    raise FormError("does not settle")


def _site_view(walk):
    return [(pointer, obj, [id(e) for e in extras]) for pointer, obj, extras in walk.sites]


def _choices_view(walk):
    return {p: [(id(c), list(s)) for c, s in picks] for p, picks in walk.choices.items()}


def assert_same_walk(form, answers, today=AS_OF):
    before = copy.deepcopy(answers)
    with uncached():
        expected_answers, expected = reference_form_walk(form, copy.deepcopy(answers), today)
        got_answers, got = form.walk(answers, today)
    assert answers == before, "the answers passed in were changed"
    assert got.relevant == expected.relevant
    assert got.pruned == expected.pruned
    assert got.unknown == expected.unknown
    assert _choices_view(got) == _choices_view(expected)
    assert got.computed == expected.computed
    assert got.compute_failures == expected.compute_failures
    assert _site_view(got) == _site_view(expected)
    assert got_answers == expected_answers
    assert json.dumps(got_answers, default=str) == json.dumps(expected_answers, default=str)  # same key order
    for pointer, obj, _ in got.sites:  # a site's object is the one in the settled answers
        assert obj is _at(got_answers, pointer) or (obj == {} and type(_at(got_answers, pointer)) is not dict)
    return got_answers, got


def _at(value, pointer):
    for token in pointer.split("/")[1:] if pointer else ():
        token = token.replace("~1", "/").replace("~0", "~")
        if type(value) is dict:
            value = value.get(token)
        elif type(value) is list and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


# -- the bundled forms: every example case, and cases changed at random ------------------------

BUNDLED = {}
for folder in sorted((ROOT / "forms").iterdir()):
    if (folder / "form.json").exists():
        cases = [json.loads(p.read_text(), parse_float=Decimal)["answers"] for p in sorted((folder / "cases").glob("*.json"))]
        BUNDLED[folder.name] = (compile_form(load_form_source(folder)), cases)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_example_case_walks_as_before(name):
    form, cases = BUNDLED[name]
    for answers in cases:
        for _ in range(2):  # the second time from the decision tries
            assert_same_walk(form, answers)
        for today in (date(2020, 1, 1), date(2031, 6, 30)):  # other ages, other branches
            assert_same_walk(form, answers, today)


def _containers(value, pointer=""):
    yield pointer, value
    if type(value) is dict:
        for key, child in value.items():
            yield from _containers(child, f"{pointer}/{escape_token(key)}")
    elif type(value) is list:
        for i, child in enumerate(value):
            yield from _containers(child, f"{pointer}/{i}")


def _option_values(schema, found=None):
    """Every const and enum value of a schema: the answers that switch branches."""
    found = [] if found is None else found
    if isinstance(schema, dict):
        if "const" in schema and not isinstance(schema["const"], (dict, list)):
            found.append(schema["const"])
        for v in schema.get("enum") or () if isinstance(schema.get("enum"), list) else ():
            if not isinstance(v, (dict, list)):
                found.append(v)
        for v in schema.values():
            _option_values(v, found)
    elif isinstance(schema, list):
        for v in schema:
            _option_values(v, found)
    return found


@st.composite
def changed_case(draw, name):
    """An example case with a few answers replaced by another option, a
    scalar, or removed; or a key added that the form does not expect there."""
    form, cases = BUNDLED[name]
    answers = copy.deepcopy(draw(st.sampled_from(cases)))
    options = _option_values(form.schema) + [True, False, None, "", 0, 17, Decimal("2.5")]
    for _ in range(draw(st.integers(1, 5))):
        places = [(p, v) for p, v in _containers(answers) if type(v) is dict and v]
        if not places:
            break
        pointer, obj = draw(st.sampled_from(places))
        key = draw(st.sampled_from(sorted(obj)))
        action = draw(st.sampled_from(["option", "scalar", "remove", "add", "empty"]))
        if action == "option":
            obj[key] = draw(st.sampled_from(options))
        elif action == "scalar":
            obj[key] = draw(json_scalars)
        elif action == "remove":
            del obj[key]
        elif action == "empty":
            obj[key] = {} if type(obj[key]) is dict else [] if type(obj[key]) is list else obj[key]
        else:
            obj[draw(st.sampled_from(["zz_unbekannt", "geburtsdatum", "art", "vorhanden"]))] = draw(json_values)
    return answers


@pytest.mark.parametrize("name", sorted(BUNDLED))
@settings(max_examples=60)
@given(data=st.data())
def test_changed_cases_walk_as_before(name, data):
    form, _ = BUNDLED[name]
    answers = data.draw(changed_case(name))
    assert_same_walk(form, answers)
    assert_same_walk(form, answers)


@pytest.mark.parametrize("form, schema", FORMS, ids=["household", "terminanfrage"])
@given(data=st.data())
def test_arbitrary_answers_walk_as_before(form, schema, data):
    assert_same_walk(form, data.draw(plausible_answers(schema)))


@settings(max_examples=120)
@given(data=st.data())
def test_random_forms_walk_as_before(data):
    """Non-discriminated oneOf/anyOf members, hidden (`false`) properties,
    recursive schemas: the decision tries and the interpreter agree."""
    schema = data.draw(random_forms())
    form = compile_form(schema)
    for _ in range(3):
        answers = data.draw(st.one_of(plausible_answers(schema), st.dictionaries(st.text(max_size=4), json_values,
                                                                                 max_size=4)))
        assert_same_walk(form, answers)


# -- computed values: copy on write -----------------------------------------------------

COMPUTED = {
    "$schema": S, "type": "object",
    "properties": {
        "plain": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {
            "type": "object", "properties": {"c": {"type": "integer"}}}}}},
        "people": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "born": {"type": "string", "format": "date"},
                "age": {"type": "integer", "readOnly": True, "x-compute": "age(self.born)"},
                "extra": {"type": "object", "properties": {"n": {"type": "integer"},
                                                           "twice": {"type": "integer", "readOnly": True,
                                                                     "x-compute": "self.n * 2.0"}}},
            },
            "if": {"properties": {"age": {"maximum": 14}}, "required": ["age"]},
            "then": {"properties": {"school": {"type": "string"}}},
            "else": {"properties": {"job": {"type": "boolean"}}},
        }},
        "money": {
            "type": "object",
            "properties": {"rent": {"type": "integer"}, "heat": {"type": "integer"}, "kind": {"enum": ["x", "y"]}},
            "if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
            "then": {"properties": {"total": {"type": "integer", "readOnly": True, "x-compute": "self.rent + self.heat"}}},
            "patternProperties": {"^p_": {"type": "object", "properties": {
                "v": {"type": "integer"}, "w": {"type": "integer", "readOnly": True, "x-compute": "self.v + 1.0"}}}},
        },
        "count": {"type": "integer", "readOnly": True, "x-compute": "has(self.people) ? size(self.people) : 0"},
    },
}
COMPUTED_FORM = compile_form(COMPUTED)

_DATES = st.sampled_from(["2015-05-01", "1980-01-31", "2024-02-29", "not a date"])
_PERSON = st.fixed_dictionaries({}, optional={
    "born": _DATES, "age": st.integers(0, 99), "school": st.text(max_size=3), "job": st.booleans(),
    "extra": st.fixed_dictionaries({}, optional={"n": st.integers(-5, 5), "twice": st.integers()})})
_COMPUTED_ANSWERS = st.fixed_dictionaries({}, optional={
    "plain": st.fixed_dictionaries({}, optional={"a": st.text(max_size=3), "b": st.lists(
        st.fixed_dictionaries({}, optional={"c": st.integers()}), max_size=2)}),
    "people": st.lists(_PERSON | json_scalars, max_size=3),
    "money": st.fixed_dictionaries({}, optional={
        "rent": st.integers(0, 900), "heat": st.integers(0, 90), "kind": st.sampled_from(["x", "y"]),
        "total": st.integers(), "p_1": st.fixed_dictionaries({}, optional={"v": st.integers(0, 9)}),
        "other": json_scalars}),
    "count": st.integers(),
    "unknown": json_scalars,
})


@settings(max_examples=200)
@given(answers=_COMPUTED_ANSWERS)
def test_computed_values_walk_as_before_and_leave_the_answers_alone(answers):
    work, walk = assert_same_walk(COMPUTED_FORM, answers)
    if walk.pruned:
        return  # pruned: a copy of the whole, as before
    # copy on write: containers without computed values are shared, the others are copies
    assert work is not answers
    if "plain" in answers:
        assert work["plain"] is answers["plain"]
    for pointer in walk.computed:
        parent = pointer.rsplit("/", 1)[0]
        assert _at(work, parent) is not _at(answers, parent)


def test_copy_on_write_shares_what_gets_no_computed_value():
    answers = {"plain": {"a": "x", "b": [{"c": 1}]}, "people": [{"born": "2015-05-01"}, {"born": "1980-01-31"}],
               "money": {"rent": 500, "heat": 50, "kind": "x", "p_1": {"v": 3}}}
    before = copy.deepcopy(answers)
    work, walk = COMPUTED_FORM.walk(answers, AS_OF)
    assert answers == before
    assert work["plain"] is answers["plain"]
    assert work["people"] is not answers["people"] and work["people"][0] is not answers["people"][0]
    assert work["people"][0]["age"] == 11 and work["people"][1]["age"] == 46
    assert work["money"]["total"] == 550 and work["money"]["p_1"]["w"] == 4
    assert walk.computed == {"/people/0/age": 11, "/people/1/age": 46, "/money/total": 550, "/money/p_1/w": 4,
                             "/count": 2}
    assert walk.relevant == ["/plain/a", "/plain/b", "/plain/b/0/c", "/people", "/people/0/born", "/people/0/extra/n",
                             "/people/0/school", "/people/1/born", "/people/1/extra/n", "/people/1/job",
                             "/money/rent", "/money/heat", "/money/kind", "/money/p_1/v"]


def test_a_walk_that_prunes_copies_the_whole_answers():
    answers = {"plain": {"a": "x"}, "money": {"rent": 5, "heat": 5, "kind": "y", "total": 10}}
    work, walk = COMPUTED_FORM.walk(answers, AS_OF)
    assert walk.pruned == ["/money/total"]
    assert answers["money"]["total"] == 10  # untouched
    assert work["plain"] is not answers["plain"] and work["plain"] == answers["plain"]


def test_computing_nodes_are_those_that_lead_to_a_computed_property():
    graph = COMPUTED_FORM.graph
    computing = COMPUTED_FORM.relevance.computing
    root = graph.root
    assert id(root) in computing
    assert id(root.properties["plain"]) not in computing
    assert id(root.properties["people"]) in computing and id(root.properties["money"]) in computing
    assert computing_nodes(root, {}) == frozenset()
    plain_form = compile_form({"$schema": S, "type": "object", "properties": {"a": {"type": "string"}}})
    assert plain_form.relevance.computing == frozenset()


def test_deep_copy_copies_containers_and_shares_scalars():
    value = {"a": [1, {"b": Decimal("1.5")}], "c": "x"}
    copied = deep_copy(value)
    assert copied == value and copied is not value
    assert copied["a"] is not value["a"] and copied["a"][1] is not value["a"][1]
    assert copied["a"][1]["b"] is value["a"][1]["b"]


# -- the decision trie --------------------------------------------------------------------

def test_decisions_find_only_what_was_added():
    decisions = Decisions()
    is_x = lambda v: v == "x"  # noqa: E731
    is_y = lambda v: v == "y"  # noqa: E731
    assert decisions.find("x") is None
    decisions.add([(is_x, True)], "shape-x", ())
    assert decisions.find("x").shape == "shape-x"
    assert decisions.find("y") is None
    decisions.add([(is_x, False), (is_y, True)], "shape-y", (("choice", (0,)),))
    decisions.add([(is_x, False), (is_y, False)], "shape-other", ())
    assert decisions.find("y").shape == "shape-y" and decisions.find("y").picks == (("choice", (0,)),)
    assert decisions.find("z").shape == "shape-other"
    assert decisions.find("x").shape == "shape-x"
    assert decisions.leaves == 3
    decisions.add([(is_x, True)], "again", ())  # known already: kept as it was
    assert decisions.find("x").shape == "shape-x" and decisions.leaves == 3


def test_decisions_keep_at_most_max_leaves():
    decisions = Decisions()
    ask = lambda v: v  # noqa: E731
    for i in range(MAX_LEAVES + 10):
        decisions.add([(ask, i)], i, ())
    assert decisions.leaves == MAX_LEAVES
    assert decisions.find(MAX_LEAVES - 1).shape == MAX_LEAVES - 1
    assert decisions.find(MAX_LEAVES + 5) is None


def test_coverage_still_records_every_branch_taken():
    """`formwerk test` records branches: with coverage on, every visit decides afresh."""
    form, cases = BUNDLED["terminanfrage"]
    for answers in cases:
        form.walk(answers)  # fill the tries
    taken = set()
    form.relevance.coverage = taken
    try:
        for answers in cases:
            form.walk(answers)
    finally:
        form.relevance.coverage = None
    assert len(taken) >= 5


def test_oneof_picks_are_fresh_lists_each_walk():
    form = FORMS[0][0]
    answers = {"contact": {"channel": "post", "street": "A"}}
    first = form.walk(answers)[1].choices["/contact"]
    first[0][1].append(99)
    second = form.walk(answers)[1].choices["/contact"]
    assert [s for _, s in second] == [[0]]


# -- the specialised const/enum tests ----------------------------------------------------------

_CONSTANTS = st.sampled_from([True, False, None, "", "x", "ja", 0, 1, -1, 2, Decimal("1.0"), Decimal("0.5"), 1.0])
_PROBES = json_values | _CONSTANTS | st.just(MISSING)


@given(const=_CONSTANTS, values=st.lists(_PROBES, max_size=8))
def test_const_tests_agree_with_json_equal(const, values):
    test = _value_test({"const": const})
    for v in values:
        if v is not MISSING:
            assert test(v) == json_equal(v, const)


@given(options=st.lists(_CONSTANTS | st.text(max_size=3), min_size=1, max_size=4),
       values=st.lists(_PROBES | st.text(max_size=3), max_size=8))
def test_enum_tests_agree_with_json_equal(options, values):
    test = _value_test({"enum": options})
    for v in values:
        if v is not MISSING:
            assert test(v) == any(json_equal(v, o) for o in options)


@given(const=_CONSTANTS, typed=st.booleans(), value=_PROBES | st.dictionaries(st.sampled_from(["p", "q"]), _PROBES,
                                                                               max_size=2))
def test_single_property_conditions_agree_with_the_general_test(const, typed, value):
    from engine._graph import _fast_predicate

    schema = {"properties": {"p": {"const": const}}, "required": ["p"], **({"type": "object"} if typed else {})}
    fast = _fast_predicate(schema)
    # the general shape: the same schema with a second, optional property that never fails
    general = _fast_predicate({**schema, "properties": {**schema["properties"], "zz": {"enum": ["never"]}}})
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v is not MISSING}
    assert fast(value) == general(value)
