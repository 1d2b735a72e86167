"""The browser front end: `diligence serve`, an ASGI app (Starlette) over the same engine.

A thin layer: routes turn requests into calls on the engine (`assessment/`), the class
aggregation (`trainer/`) and the report renderers (`report/`), and render server-side
Jinja2 pages that work with JavaScript off. State lives in files only: the students'
answers files, and one small session file in the folder (`workspace.py`), so a server
killed at any moment starts again with everything there.
"""
