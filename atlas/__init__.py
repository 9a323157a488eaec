"""DPI Atlas: the dashboard's own modules, in layers that import one way.

    pages/ -> frame, mapview, present.slides -> figures -> tables, charts, maps, preview
           -> selection -> queries -> db -> paths, categories (and etl.vocabulary)

tests/unit/test_layers.py parses every import and fails on an upward one.
"""
