"""Copy on write for a walk that fills in computed values.

A check must not change the answers it is given, but computed properties
(``x-compute``) are written into the answers as the walk visits them. Before,
the whole application was copied first (some 140 dicts and lists for a
complete Bürgergeld application); only a few objects ever change: those that
get a computed property, and the objects and lists on the way to them.

So the walk copies a container only where its plan says a computed property
may lie at or below it (``Plan.may_compute``, from :func:`computing_nodes`):
the parent, itself already a copy, gets the copy in place of the original
before the child is visited. Everything else is shared with the answers
passed in, which is what a form without computed values has always returned
(the very answers object). Pruning deletes answers anywhere, so a walk that
finds something to prune is done again on a full copy (``CompiledForm.walk``).
"""

from __future__ import annotations

from typing import Any

from plausibility.expressions import copy_containers


def computing_nodes(root, computations: dict) -> frozenset[int]:
    """The ids of the nodes from which a computed property's node can be
    reached, through any keyword the walk follows (properties, items,
    prefixItems, patternProperties, additionalProperties,
    unevaluatedProperties, $ref and allOf, if/then/else, dependentSchemas,
    oneOf/anyOf). A location none of whose nodes is among them never gets
    a computed value, at it or below it."""
    if not computations:
        return frozenset()
    reverse: dict[int, list] = {}
    seen: dict[int, Any] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        for target in _edges(node):
            reverse.setdefault(id(target), []).append(node)
            stack.append(target)
    found: set[int] = set()
    stack = [seen[i] for i in computations if i in seen]
    while stack:
        node = stack.pop()
        if id(node) in found:
            continue
        found.add(id(node))
        stack.extend(reverse.get(id(node), ()))
    return frozenset(found)


def _edges(node) -> list:
    targets = [*node.static, *node.properties.values(), *node.prefix_items]
    if node.items is not None:
        targets.append(node.items)
    for c in node.conditionals:
        targets.extend(b for b in (c.then, c.otherwise) if b is not None)
    targets.extend(sub for _, sub in node.dependents)
    for choice in node.choices:
        targets.extend(m.node for m in choice.members)
    targets.extend(sub for _, sub in node.pattern_properties)
    targets.extend(sub for sub in (node.additional, node.unevaluated) if sub is not None)
    return targets


#: a copy of every dict and list of a JSON value, scalars shared (the one in plausibility)
deep_copy = copy_containers