"""Date and number formats per language where Django's own do not fit (FORMAT_MODULE_PATH).

May import: nothing (Django reads the constants).
"""
