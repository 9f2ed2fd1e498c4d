"""The learning content's page types, one module for each: modules (with their steps and the
home page's featured modules), lectures, lessons-learned articles and the project register.

May import: ``worksheets`` and the platform; not ``lessons.learning`` or ``lessons.workshops``
(the templates ask for a learner's progress through ``lessons_tags``).
"""
