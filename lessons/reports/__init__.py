"""Completion reports in the Wagtail admin: per municipality, county or job title and module,
over a period, with a chart and spreadsheet export; a drill-down to one municipality's learners
of one module (their state per step and completion date, never their answers).

Sits at the top of ``lessons`` (it reads the learning path and workshop attendance) and may
import every part of it and the platform. Who may see which municipality is the platform's
rule (``kompetensverkstad.accounts.coordinators``): administrators all, coordinators their own.
"""
