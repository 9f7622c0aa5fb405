"""Domain law that forms call as CEL functions, one package per domain.

Each domain registers a provider in the ``formwerk.cel_functions`` entry-point
group (see ``pyproject.toml``): a callable ``provider(today) -> {name: function}``
that :mod:`plausibility.functions` merges into every check's function table.
The engine and the plausibility package know no benefit law; another office
adds its own calculations the same way, in its own package.
"""
