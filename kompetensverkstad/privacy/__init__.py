"""The learner's data and the law: retention by decision (``retention``) and the log of staff
access to personal data (``access``).

May import: the rest of the platform; nothing of ``worksheets`` or ``lessons``. The apps built
on it register what they hold (retention kinds, kinds of access) from their ``AppConfig.ready()``.
"""
