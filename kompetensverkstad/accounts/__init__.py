"""People: the municipality they work for and their profile, signing in and out, passwords, the
second factor for staff, and importing staff accounts from a CSV file.

May import: the rest of the platform (``kompetensverkstad``); no app built on it.
"""
