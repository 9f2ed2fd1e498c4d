"""Visitors' search words, made safe for every database search backend."""


def clean_query(text: str, max_length: int = 200) -> str:
    """Plain search words from what a visitor typed.

    SQLite's FTS5 fails on a double quote inside a term, and PostgreSQL refuses NUL characters;
    neither carries meaning in a plain word search, so both become spaces.
    """
    return " ".join(text.replace("\x00", " ").replace('"', " ").split())[:max_length]
