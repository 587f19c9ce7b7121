"""Small-number suppression: no count under 10 is shown, and none can be worked out by
subtracting what is shown (checked by brute force, the way a reader would attack it)."""

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.insight.suppress import HIDDEN, SMALL, exposed, protect, rate

CAP = 60  # brute force: a "hidden" value is tried up to this


def possible_values(shown):
    """Every value each hidden cell can take, given all a reader can see: the shown cells
    and total, "<10" is 0-9, "hidden" is 10 or more and no bigger than the smallest shown."""
    keys = list(shown.cells)
    numbers = [v for v in shown.cells.values() if isinstance(v, int)]
    ceiling = min(numbers) if numbers else CAP
    ranges = []
    for key in keys:
        mark = shown.cells[key]
        ranges.append([mark] if isinstance(mark, int) else range(10) if mark == SMALL else range(10, ceiling + 1))
    totals = [shown.total] if isinstance(shown.total, int) else range(10) if shown.total == SMALL else range(10, 10**9)
    seen = {key: set() for key in keys}
    for values in product(*ranges):
        total = sum(values)
        if isinstance(shown.total, int) and total != shown.total:
            continue
        if not isinstance(shown.total, int) and not (totals.start <= total < totals.stop):
            continue
        for key, value in zip(keys, values):
            seen[key].add(value)
    return seen


def assert_safe(counts, shown):
    assert all(
        (isinstance(shown.cells[k], int) and shown.cells[k] == v and v >= 10) or shown.cells[k] in (SMALL, HIDDEN)
        for k, v in counts.items()
    )
    assert all(shown.cells[k] == SMALL for k, v in counts.items() if v < 10)
    total = sum(counts.values())
    assert shown.total == total and total >= 10 or shown.total in (SMALL, HIDDEN)
    for key, values in possible_values(shown).items():
        if not isinstance(shown.cells[key], int):
            assert len(values) >= 2, (counts, shown, key, values)
            assert counts[key] in values


def test_the_subtraction_attack_on_one_small_cell_fails():
    counts = {"sextortion": 4, "consent": 30, "grooming": 25}
    shown = protect(counts)
    assert shown.total == 59 and shown.cells["sextortion"] == SMALL
    assert shown.cells["grooming"] == HIDDEN  # without it, 59 - 30 - 25 = 4
    assert shown.cells["consent"] == 30
    assert_safe(counts, shown)


def test_two_small_cells_that_would_both_be_zero_are_not_left_alone():
    counts = {"a": 0, "b": 0, "c": 12, "d": 40}
    shown = protect(counts)
    assert shown.cells["c"] == HIDDEN
    assert_safe(counts, shown)


def test_a_hidden_cell_next_to_an_equal_shown_cell_is_not_given_away():
    counts = {"a": 5, "b": 10, "c": 10, "d": 50}
    shown = protect(counts)
    assert_safe(counts, shown)
    assert [k for k, v in shown.cells.items() if v == HIDDEN] == ["b", "c"]


def test_a_small_total_is_small_and_a_row_of_nines_hides_its_total():
    assert protect({"a": 3, "b": 4}).total == SMALL
    shown = protect({"a": 9, "b": 9})
    assert shown.total == HIDDEN and set(shown.cells.values()) == {SMALL}


def test_every_partition_of_up_to_three_cells_below_25_is_safe():
    for n in (1, 2, 3):
        for values in product(range(0, 25, 2 if n == 3 else 1), repeat=n):
            counts = dict(zip("abc", values))
            assert_safe(counts, protect(counts))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=5))
def test_random_partitions_are_safe(values):
    counts = {f"k{i}": v for i, v in enumerate(values)}
    shown = protect(counts)
    assert not exposed(shown.cells, shown.total)
    assert_safe(counts, shown)


def test_a_forced_hidden_total_stays_hidden_and_large_counts_stay_shown():
    shown = protect({"a": 40, "b": 50}, hide_total=True)
    assert shown.total == HIDDEN and shown.cells == {"a": 40, "b": 50}


def test_a_rate_needs_both_of_its_counts_shown():
    assert rate(20, 40) == 0.5
    assert rate(SMALL, 40) is None and rate(20, HIDDEN) is None and rate(0, 0) is None
