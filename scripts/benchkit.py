"""What every benchmark script shares: one row of the table that `make bench` prints."""

from dataclasses import dataclass


@dataclass
class Row:
    metric: str  # what was measured, e.g. "tracking: step events recorded per second"
    target: str  # the target in words, e.g. ">= 2x get_or_create in atomic"
    reference: str  # the reference measured in the same run, with its unit ("" if none)
    measured: str  # the measured value with its unit
    ratio: float | None  # measured / reference (or the ratio the target is stated in)
    passed: bool | None  # None where the metric has no target
