"""Writing a page's answers into the draft's answers, by JSON pointer."""

from __future__ import annotations

from typing import Any

from engine.form import split_pointer, value_at


def set_at(answers: dict, pointer: str, value: Any) -> None:
    """Set (or, for None, remove) the answer at ``pointer``, creating parents."""
    tokens = split_pointer(pointer)
    target: Any = answers
    for i, token in enumerate(tokens[:-1]):
        following = tokens[i + 1]
        if isinstance(target, list):
            index = int(token)
            while len(target) <= index:
                target.append({})
            if not isinstance(target[index], (dict, list)):
                target[index] = {}
            target = target[index]
            continue
        child = target.get(token)
        if not isinstance(child, (dict, list)):
            if value is None:
                return
            child = [] if following.isdigit() else {}
            target[token] = child
        target = child
    last = tokens[-1]
    if isinstance(target, list):
        index = int(last)
        if value is None:
            if index < len(target):
                target[index] = {}
            return
        while len(target) <= index:
            target.append({})
        target[index] = value
    elif value is None:
        target.pop(last, None)
    else:
        target[last] = value


get_at = value_at


def append_item(answers: dict, pointer: str) -> int:
    """Add an empty entry to the list at ``pointer``; returns its index."""
    current = get_at(answers, pointer)
    items = current if isinstance(current, list) else []
    items.append({})
    set_at(answers, pointer, items)
    return len(items) - 1


def remove_item(answers: dict, pointer: str) -> None:
    parent_pointer, _, index = pointer.rpartition("/")
    items = get_at(answers, parent_pointer)
    if isinstance(items, list) and index.isdigit() and int(index) < len(items):
        del items[int(index)]


def in_stored_order(value: Any) -> Any:
    """A copy of the answers with every object's keys sorted, as a draft is
    stored (``json.dumps(sort_keys=True)``) and read back by the next
    request; lists keep their order and the values their types. A page
    built from it is the page the next request builds from the stored draft."""
    if type(value) is dict:
        return {k: in_stored_order(value[k]) for k in sorted(value)}
    if type(value) is list:
        return [in_stored_order(v) for v in value]
    return value
