"""Small-number suppression for every figure insight shows (page, JSON and CSV).

The rule:
1. Primary: a count below 10 is shown as "<10" (zero too).
2. Every published table is a *partition* of one total: the cells of one measure split
   by one thing (topic, day, service, school...) with the measure's total shown. Knowing
   the total and the shown cells, a reader knows the sum of the hidden cells, and that
   each "<10" cell is 0-9 and each "hidden" cell is 10 or more. A hidden cell is
   *exposed* when those facts leave it only one possible value (one hidden cell on its
   own; two "<10" cells that must both be 0, or both 9; ...).
3. Complementary: while some hidden cell is exposed, the smallest shown cell is hidden
   too (shown as "hidden"); when every cell is hidden and one is still exposed, the
   total is hidden as well.
4. A rate (helpful share, click-through, fallback rate) is shown only when each count it
   is made of is shown.

`exposed` is the reader's arithmetic; `protect` applies the rule; tests/unit/insight
checks by brute force that no hidden cell has a single possible value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Hashable, List, Optional, Tuple

THRESHOLD = 10
SMALL = "<10"
HIDDEN = "hidden"
INFINITY = float("inf")


@dataclass(frozen=True)
class Shown:
    """A published partition: each cell and the total, as a number or a mark."""

    cells: Dict[Hashable, object]
    total: object

    def value(self, key: Hashable) -> object:
        return self.cells[key]


def _bounds(mark: object, ceiling: float = INFINITY) -> Tuple[float, float]:
    return (0, THRESHOLD - 1) if mark == SMALL else (THRESHOLD, ceiling)


def exposed(cells: Dict[Hashable, object], total: object) -> List[Hashable]:
    """The hidden cells a reader can work out exactly from what is shown. The reader also
    knows a "hidden" cell is no bigger than the smallest shown cell (the rule hides the
    smallest first)."""
    shown = [v for v in cells.values() if v not in (SMALL, HIDDEN)]
    ceiling = min(shown) if shown else INFINITY
    hidden = {k: _bounds(v, ceiling) for k, v in cells.items() if v in (SMALL, HIDDEN)}
    if not hidden:
        return []
    shown_sum = sum(shown)
    if total in (SMALL, HIDDEN):
        total_lo, total_hi = _bounds(total)
    else:
        total_lo = total_hi = total
    sum_lo = max(0, total_lo - shown_sum)  # the hidden cells add up to this much at least
    sum_hi = total_hi - shown_sum
    low_all = sum(lo for lo, _ in hidden.values())
    high_all = sum(hi for _, hi in hidden.values())
    found = []
    for key, (lo, hi) in hidden.items():
        others_lo, others_hi = low_all - lo, high_all - hi
        least = max(lo, sum_lo - others_hi)
        most = min(hi, sum_hi - others_lo)
        if least >= most:
            found.append(key)
    return found


def primary(value: int) -> object:
    return SMALL if value < THRESHOLD else value


def protect(counts: Dict[Hashable, int], total: Optional[int] = None, hide_total: bool = False) -> Shown:
    """The partition `counts` (with `total`, default their sum) as it may be shown;
    `hide_total` when another partition of the same total had to hide it."""
    total = sum(counts.values()) if total is None else total
    cells: Dict[Hashable, object] = {k: primary(v) for k, v in counts.items()}
    shown_total: object = primary(total)
    if hide_total and shown_total != SMALL:
        shown_total = HIDDEN
    while exposed(cells, shown_total):
        visible = [k for k, v in cells.items() if v not in (SMALL, HIDDEN)]
        if visible:
            smallest = min(visible, key=lambda k: (counts[k], str(k)))
            cells[smallest] = HIDDEN
        elif shown_total not in (SMALL, HIDDEN):
            shown_total = HIDDEN
        else:  # every cell and the total hidden: nothing more can be shown
            break
    return Shown(cells, shown_total)


def rate(numerator: object, denominator: object) -> Optional[float]:
    """numerator / denominator, only when both are shown numbers (else None)."""
    if isinstance(numerator, int) and isinstance(denominator, int) and denominator > 0:
        return numerator / denominator
    return None
