"""The unit registry, `units.yaml`: its model, the YAML read with every key's line, the
builder and its checks, the cache of large registries, a new office's template, and
adding units from a spreadsheet.

May import: base.
"""
