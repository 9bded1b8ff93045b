#!/usr/bin/python3
"""The cluster test's checks (checks.py) on made-up histories: a correct one passes, and a lost
update, a duplicated version, a 2xx without its line, a line for a 409 and an accepted stale
version are each found."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checks import check_measure  # noqa: E402
from edit_load import Edit  # noqa: E402


def line(version, before_text, after_text):
    return {"action": "update", "version": version,
            "before": {"version": version - 1, "text": before_text},
            "after": {"version": version, "text": after_text}}


def edit(marker, sent, outcome, version=0, deliberate=False, actual=0):
    result = Edit(0, 7, sent, deliberate, marker, 0.0, 1.0, outcome, 200, version)
    if outcome == "conflict":
        result.status, result.expected, result.actual = 409, sent, actual
    return result


INITIAL = {"version": 1, "text": "start"}


class ChecksTest(unittest.TestCase):
    def good(self):
        lines = [line(2, "start", "a"), line(3, "a", "b"), line(4, "b", "c")]
        edits = [edit("a", 1, "ok", 2), edit("b", 2, "ok", 3), edit("x", 2, "conflict", actual=3),
                 edit("c", 3, "error"), edit("y", 1, "conflict", deliberate=True, actual=4)]
        return lines, edits

    def test_a_consistent_history_passes(self):
        lines, edits = self.good()
        problems, unanswered = check_measure(7, INITIAL, 4, lines, edits)
        self.assertEqual(problems, [])
        self.assertEqual(unanswered, 1)

    def test_a_lost_update_is_found(self):
        lines, edits = self.good()
        lines[1] = line(3, "start", "b")  # written over version 1: a's change is lost
        problems, _ = check_measure(7, INITIAL, 4, lines, edits)
        self.assertTrue(any("before" in p for p in problems), problems)

    def test_a_duplicated_version_is_found(self):
        lines, edits = self.good()
        lines.append(line(3, "a", "z"))
        edits.append(edit("z", 2, "ok", 3))
        problems, _ = check_measure(7, INITIAL, 4, lines, edits)
        self.assertTrue(any("duplicated [3]" in p for p in problems), problems)

    def test_a_2xx_without_its_line_is_found(self):
        lines, edits = self.good()
        edits.append(edit("w", 4, "ok", 5))
        problems, _ = check_measure(7, INITIAL, 4, lines, edits)
        self.assertTrue(any("'w' answered 200" in p for p in problems), problems)

    def test_a_written_409_is_found(self):
        lines, edits = self.good()
        edits[1] = edit("b", 2, "conflict", actual=3)
        problems, _ = check_measure(7, INITIAL, 4, lines, edits)
        self.assertTrue(any("answered 409 but is in the history" in p for p in problems),
                        problems)

    def test_an_accepted_stale_version_is_found(self):
        lines, edits = self.good()
        edits[1].deliberate = True
        problems, _ = check_measure(7, INITIAL, 4, lines, edits)
        self.assertTrue(any("stale for certain" in p for p in problems), problems)

    def test_a_final_version_past_the_history_is_found(self):
        lines, edits = self.good()
        problems, _ = check_measure(7, INITIAL, 5, lines, edits)
        self.assertTrue(any("missing [5]" in p for p in problems), problems)


if __name__ == "__main__":
    unittest.main()
