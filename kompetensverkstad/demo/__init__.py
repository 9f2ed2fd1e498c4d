"""Demo content and demo users for ``manage.py load_demo``.

``content`` holds the Swedish text and figures as plain data; ``images``, ``pages`` and
``accounts`` turn that data into rows, each creating only what is not there yet.
"""
