"""The checks of the slow cluster test on the edits' records against the change history
(GET /api/v1/history) and the measures' final versions."""

from collections import Counter, defaultdict


def history_lines(api, measure):
    """Every history line of one measure, through the API, page by page."""
    lines = []
    offset = 0
    while True:
        status, _, body = api.request(
            "GET", f"/api/v1/history?entity=measure&id={measure}&limit=1000&offset={offset}")
        if status != 200:
            raise RuntimeError(f"history of measure {measure}: {status} {body!r:.300}")
        lines.extend(body["items"])
        offset += len(body["items"])
        if not body["items"] or offset >= body["total"]:
            return lines


def check_measure(measure, initial, final, lines, edits):
    """Problems of one measure: its update lines since the start must carry the versions
    initial+1 … final once each, in a chain (each line's `before` is the previous `after`), each
    line written by exactly one edit that was answered 2xx or whose answer was lost."""
    problems = []
    updates = sorted((line for line in lines
                      if line["action"] == "update" and line["version"] > initial["version"]),
                     key=lambda line: line["version"])
    versions = [line["version"] for line in updates]
    if versions != list(range(initial["version"] + 1, final + 1)):
        duplicates = [v for v, n in Counter(versions).items() if n > 1]
        missing = sorted(set(range(initial["version"] + 1, final + 1)) - set(versions))
        problems.append(f"measure {measure}: history versions are not {initial['version'] + 1}"
                        f"…{final} once each ({len(versions)} lines; duplicated {duplicates[:10]}, "
                        f"missing {missing[:10]})")
    previous_text = initial["text"]
    for line in updates:
        before, after = line.get("before") or {}, line.get("after") or {}
        if before.get("text") != previous_text or before.get("version") != line["version"] - 1:
            problems.append(f"measure {measure}: the line of version {line['version']} has before "
                            f"= {before.get('text')!r} v{before.get('version')}, the previous "
                            f"after was {previous_text!r}")
        if after.get("version") != line["version"]:
            problems.append(f"measure {measure}: the line of version {line['version']} shows "
                            f"after.version {after.get('version')}")
        previous_text = after.get("text")
    by_marker = defaultdict(list)
    for line in updates:
        by_marker[(line.get("after") or {}).get("text")].append(line)
    answered = {}
    for edit in edits:
        if edit.outcome in ("ok", "conflict", "error"):
            answered[edit.marker] = edit
    committed_unanswered = 0
    for marker, found in by_marker.items():
        edit = answered.get(marker)
        if edit is None:
            problems.append(f"measure {measure}: history lines {[l['version'] for l in found]} "
                            f"with text {marker!r} that no edit of this test sent")
        elif len(found) != 1:
            problems.append(f"measure {measure}: {marker!r} is in the history {len(found)} times")
        elif edit.outcome == "conflict":
            problems.append(f"measure {measure}: {marker!r} was answered 409 but is in the "
                            f"history as version {found[0]['version']}")
        elif edit.outcome == "error":
            committed_unanswered += 1
    problems += check_edits(measure, edits, by_marker, final)
    return problems, committed_unanswered


def check_edits(measure, edits, by_marker, final):
    problems = []
    for edit in edits:
        found = by_marker.get(edit.marker, [])
        if edit.outcome == "ok":
            if edit.deliberate:
                problems.append(f"measure {measure}: version {edit.sent}, stale for certain, was "
                                f"accepted ({edit.status}, now version {edit.version})")
            if edit.detail:
                problems.append(f"measure {measure}: {edit.marker!r}: {edit.detail}")
            if edit.version != edit.sent + 1:
                problems.append(f"measure {measure}: {edit.marker!r} sent version {edit.sent} "
                                f"and got version {edit.version}")
            if len(found) != 1 or found[0]["version"] != edit.version:
                problems.append(f"measure {measure}: {edit.marker!r} answered {edit.status} with "
                                f"version {edit.version}; in the history "
                                f"{[l['version'] for l in found]}")
        elif edit.outcome == "conflict":
            if edit.expected != edit.sent or not edit.sent < edit.actual <= final:
                problems.append(f"measure {measure}: 409 for version {edit.sent} says expected "
                                f"{edit.expected}, actual {edit.actual} (final {final})")
    return problems


def summarise(edits, kill_at):
    """Counts by outcome, and the errors before and after the kill."""
    final = [edit for edit in edits if edit.outcome != "unavailable"]
    counts = Counter(edit.outcome for edit in final)
    counts["unavailable"] = sum(1 for edit in edits if edit.outcome == "unavailable")
    counts["deliberate"] = sum(1 for edit in final if edit.deliberate)
    counts["deliberate_conflict"] = sum(1 for edit in final
                                        if edit.deliberate and edit.outcome == "conflict")
    errors = [edit for edit in final if edit.outcome == "error"]
    before = [edit for edit in errors if kill_at is None or edit.ended < kill_at]
    return counts, errors, before


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]
