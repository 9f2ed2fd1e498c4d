"""Turning what a learner sent into stored answers, with a clear message for anything refused.

Answers are plain text: they are stored exactly as typed and escaped wherever shown. The only
text refused is text that cannot be stored at all (NUL characters, broken surrogates) or that is
longer than the limits, and each refusal names its question, so nothing else the learner wrote
is lost.

Drafts and hand-ins apply the same rules. A reflection longer than its question's limit is kept
in the draft (up to ``DRAFT_TEXT_LIMIT``), so a learner who pastes too much loses nothing, but the
draft save reports it as a warning with the same figures that the hand-in refuses it with.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

# Hard limits that apply to drafts too; a question's own max_length applies on submission.
DRAFT_TEXT_LIMIT = 100_000
TIMELINE_MAX_ROWS = 100
PERIOD_LIMIT = 100
EVENT_LIMIT = 2_000


@dataclass
class Question:
    id: str
    type: str
    prompt: str
    value: dict

    @property
    def required(self) -> bool:
        return bool(self.value.get("required"))

    def snapshot(self) -> dict:
        data = {"id": self.id, "type": self.type, "prompt": self.prompt}
        if self.type == "choice":
            data["options"] = list(self.value["options"])
            data["multiple"] = bool(self.value["multiple"])
        if self.type == "scale":
            data.update(
                min=self.value["min_value"],
                max=self.value["max_value"],
                min_label=self.value["min_label"],
                max_label=self.value["max_label"],
            )
        return data


@dataclass
class Cleaned:
    answers: dict[str, Any] = field(default_factory=dict)
    # Refused: not stored, the stored answer (if any) kept.
    errors: dict[str, str] = field(default_factory=dict)
    # Stored, but it could not be handed in as it is (a reflection over its question's limit).
    warnings: dict[str, str] = field(default_factory=dict)


def questions_of(page) -> list[Question]:
    return [
        Question(
            id=block.id, type=block.block_type, prompt=block.value["prompt"], value=block.value
        )
        for block in page.questions
        if getattr(block.block, "answerable", False)
    ]


def grouped(number: int) -> str:
    """3500 → "3 500", as the limits are written on the page and in the messages."""
    return f"{number:,}".replace(",", " ")


def _too_long(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return _("Svaret får vara högst %(limit)s tecken (nu %(count)s).") % {
            "limit": grouped(limit),
            "count": grouped(len(text)),
        }
    return None


def _text_problem(text: str, limit: int) -> str | None:
    if "\x00" in text:
        return _("Texten innehåller ett osynligt tecken (NUL) som inte kan sparas. Ta bort det.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("Texten innehåller tecken som inte kan sparas.")
    return _too_long(text, limit)


def over_limit(question: Question, value: Any) -> str | None:
    """The warning for a stored reflection that is longer than its question allows."""
    if question.type != "reflection" or not isinstance(value, str):
        return None
    problem = _too_long(value, question.value["max_length"])
    if problem is None:
        return None
    return "{} {}".format(
        problem,
        _("Det är sparat som utkast, men du behöver korta det innan du kan lämna in."),
    )


def _clean_value(question: Question, raw: Any, submitting: bool) -> tuple[Any, str | None]:
    """Returns (value to store, error). An empty answer is stored as "" or []."""
    kind = question.type
    if kind == "reflection":
        text = "" if raw is None else raw
        if not isinstance(text, str):
            return None, _("Svaret måste vara text.")
        # A draft keeps up to the hard limit; clean_answers warns above the question's own.
        limit = question.value["max_length"] if submitting else DRAFT_TEXT_LIMIT
        return text, _text_problem(text, min(limit, DRAFT_TEXT_LIMIT))
    if kind == "scale":
        if raw in (None, ""):
            return "", None
        try:
            number = int(str(raw))
        except ValueError:
            return None, _("Välj ett värde på skalan.")
        low, high = question.value["min_value"], question.value["max_value"]
        if not low <= number <= high:
            return None, _("Välj ett värde mellan %(low)s och %(high)s.") % {
                "low": low,
                "high": high,
            }
        return number, None
    if kind == "choice":
        options = list(question.value["options"])
        chosen = raw if isinstance(raw, list) else ([] if raw in (None, "") else [raw])
        if not all(isinstance(c, str) and c in options for c in chosen):
            return None, _("Välj bland alternativen.")
        if not question.value["multiple"]:
            if len(chosen) > 1:
                return None, _("Välj ett alternativ.")
            return (chosen[0] if chosen else ""), None
        return [o for o in options if o in chosen], None
    if kind == "timeline":
        rows = raw if isinstance(raw, list) else []
        if raw not in (None, "") and not isinstance(raw, list):
            return None, _("Tidslinjen kunde inte läsas.")
        if len(rows) > TIMELINE_MAX_ROWS:
            return None, _("Tidslinjen får ha högst %(n)s rader.") % {"n": TIMELINE_MAX_ROWS}
        cleaned = []
        for row in rows:
            if not isinstance(row, dict):
                return None, _("Tidslinjen kunde inte läsas.")
            period, event = row.get("period", ""), row.get("event", "")
            if not isinstance(period, str) or not isinstance(event, str):
                return None, _("Tidslinjen kunde inte läsas.")
            problem = _text_problem(period, PERIOD_LIMIT) or _text_problem(event, EVENT_LIMIT)
            if problem:
                return None, problem
            if period.strip() or event.strip():
                cleaned.append({"period": period, "event": event})
        return cleaned, None
    return None, None


def is_empty(value: Any) -> bool:
    return value in (None, "", []) or (isinstance(value, str) and not value.strip())


def clean_answers(page, raw: dict, stored: dict, submitting: bool = False) -> Cleaned:
    """Merge ``raw`` (question id → value) into ``stored``; answers to removed questions stay.

    A question missing from ``raw`` keeps its stored answer, so an autosave of one field never
    erases the others. A refused value keeps the stored one and reports an error for it.
    """
    result = Cleaned(answers=dict(stored))
    for question in questions_of(page):
        if question.id in raw:
            value, error = _clean_value(question, raw[question.id], submitting)
            if error:
                result.errors[question.id] = error
                continue
            result.answers[question.id] = {
                "value": value,
                "prompt": question.prompt,
                "type": question.type,
            }
            if not submitting and (warning := over_limit(question, value)):
                result.warnings[question.id] = warning
        if submitting and question.required:
            entry = result.answers.get(question.id)
            if question.id not in result.errors and (entry is None or is_empty(entry["value"])):
                result.errors[question.id] = _("Besvara frågan innan du lämnar in.")
    return result


def stored_values(answers: dict) -> dict[str, Any]:
    """Question id → the answer's value, without the wording kept beside it."""
    return {key: entry["value"] for key, entry in answers.items() if isinstance(entry, dict)}


def raw_from_form(page, data: QueryDict) -> dict:
    """The plain form (no JavaScript) names fields q-<id>; timelines send parallel lists.

    A browser sends a textarea's line breaks as CR LF, while the page's script (and so the
    autosave) reads them as LF: they are stored as LF, so a line break counts as one character
    against the limit whichever way the answer arrives, and the same text is the same answer.
    """
    raw: dict[str, Any] = {}
    for question in questions_of(page):
        name = f"q-{question.id}"
        if question.type == "timeline":
            periods = data.getlist(f"{name}-period")
            events = data.getlist(f"{name}-event")
            if periods or events:
                size = max(len(periods), len(events))
                periods += [""] * (size - len(periods))
                events += [""] * (size - len(events))
                raw[question.id] = [
                    {"period": p, "event": e} for p, e in zip(periods, events, strict=True)
                ]
        elif question.type == "choice" and question.value["multiple"]:
            if f"{name}-present" in data:
                raw[question.id] = data.getlist(name)
        elif question.type == "reflection" and name in data:
            raw[question.id] = data.get(name).replace("\r\n", "\n").replace("\r", "\n")
        elif name in data:
            raw[question.id] = data.get(name)
    return raw


def answered_view(page, answers: dict) -> tuple[list[dict], list[dict]]:
    """(current questions with their answers, answers to questions no longer on the worksheet)."""
    current = []
    ids = set()
    for question in questions_of(page):
        ids.add(question.id)
        entry = answers.get(question.id)
        item = {
            "question": question,
            "value": entry["value"] if entry else None,
            "answered": bool(entry) and not is_empty(entry["value"]),
        }
        if question.type == "scale":
            item["scale"] = range(question.value["min_value"], question.value["max_value"] + 1)
        if question.type == "reflection":
            item["max_length"] = grouped(question.value["max_length"])
        if question.type == "timeline":
            filled = len(item["value"]) if isinstance(item["value"], list) else 0
            item["blank_rows"] = range(max(question.value["min_rows"] - filled, 1))
        item["display"] = display_value(item["value"])
        item["warning"] = over_limit(question, item["value"])
        current.append(item)
    removed = [
        {**entry, "id": key, "display": display_value(entry.get("value"))}
        for key, entry in answers.items()
        if key not in ids and isinstance(entry, dict) and not is_empty(entry.get("value"))
    ]
    return current, removed


def display_value(value: Any) -> str:
    """An answer as one line of text (timelines are shown row by row by the templates)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if not isinstance(v, dict))
    return str(value)
