"""From measurements (the workers' JSON) to the table's checks: pure functions."""

from __future__ import annotations

from .stats import Check, ms, p50, ratio


def merge_rounds(rounds: list[dict]) -> dict:
    """Page timings of several rounds (worker runs) as one: the times put together and
    their medians taken again; the queries of the last round."""
    merged: dict = {}
    for result in rounds:
        for key, page in result.items():
            into = merged.setdefault(
                key, {**page, "times": [], "floor_times": [], "cold_times": []}
            )
            into["times"] += page["times"]
            into["floor_times"] += page.get("floor_times", [])
            into["cold_times"] += page.get("cold_times", [])
            into["queries"] = page["queries"]
            into["cold_queries"] = page.get("cold_queries", page["queries"])
    for page in merged.values():
        page["p50"] = p50(page["times"])
        page["cold_p50"] = p50(page["cold_times"]) if page["cold_times"] else page["p50"]
        if page["floor_times"]:
            page["floor_p50"] = p50(page["floor_times"])
        else:
            page.pop("floor_p50", None)
    return merged


def page_checks(single: dict, national: dict | None) -> tuple[list[Check], list[list]]:
    """Each page ÷ the floor (single-bloc database; the floor blocks timed around the page
    when there are some), each page national ÷ single, and the rows of the raw
    timings table."""
    checks, scale, rows = [], [], []
    for key, page in single.items():
        other = (national or {}).get(key)
        rows.append(
            [
                page["label"],
                ms(page["p50"]),
                page["queries"],
                ms(page.get("cold_p50", page["p50"])),
                page.get("cold_queries", page["queries"]),
                ms(other.get("cold_p50", other["p50"])) if other else "–",
                other.get("cold_queries", other["queries"]) if other else "–",
            ]
        )
        if key == "floor":
            continue
        floor = page.get("floor_p50", single["floor"]["p50"])
        checks.append(
            Check(
                "pages",
                page["label"],
                ratio(page["p50"], floor),
                page["target"],
                f"{ms(page['p50'])} ÷ floor {ms(floor)}; {page['queries']} queries"
                f" (cold: {ms(page.get('cold_p50', page['p50']))},"
                f" {page.get('cold_queries', page['queries'])} queries)",
            )
        )
        if other:
            scale.append(scale_check(page, other))
    return checks + scale, rows


def scale_check(single: dict, national: dict) -> Check:
    """A page on the national database ÷ on the single-bloc one.

    Each database's times are first divided by the floor blocks timed around them
    (the floor reads a session and a user by primary key: the amount of data does not
    change it), so the ratio compares the page's own work in the two databases even when
    the machine was busier while one of them was measured. Without floor times, the raw
    medians are divided.
    """
    cold = "cold_p50"  # the database's work: the warm page reads the cached fragments
    if cold not in single or cold not in national:
        cold = "p50"
    raw = ratio(national[cold], single[cold])
    detail = f"cold {ms(national[cold])} ÷ {ms(single[cold])}"
    value = raw
    if "floor_p50" in single and "floor_p50" in national:
        value = ratio(
            ratio(national[cold], national["floor_p50"]),
            ratio(single[cold], single["floor_p50"]),
        )
        detail += (
            f" (floors {ms(national['floor_p50'])}, {ms(single['floor_p50'])}; raw {raw:.2f}×)"
        )
    queries = "cold_queries" if cold == "cold_p50" else "queries"
    detail += f"; queries {single.get(queries)} → {national.get(queries)}"
    return Check("scale", single["label"], value, "scale", detail)


def pdf_check(result: dict) -> Check:
    return Check(
        "pdf",
        "Year-end dossier build ÷ WeasyPrint alone",
        ratio(result["build_p50"], result["floor_p50"]),
        "pdf",
        f"{result['documents']} PDFs: build {ms(result['build_p50'])} ÷ WeasyPrint "
        f"{ms(result['floor_p50'])}; cached download {ms(result['cached_p50'])}",
    )


def ballot_check(result: dict) -> Check:
    errors = "; ".join(result["errors"][:3])
    return Check(
        "ballots",
        f"{result['voters']} ballots at once: errors",
        float(result["error_count"]),
        "ballot_errors",
        f"p95 {ms(result['p95'])}" + (f"; {errors}" if errors else ""),
    )


def load_check(result: dict) -> Check:
    floor, overview = result["floor"], result["overview"]
    problems = sum(page["non_2xx"] + page["socket_errors"] for page in (floor, overview))
    return Check(
        "load",
        "Bloc overview req/s ÷ floor req/s (gunicorn, wrk)",
        ratio(overview["rps"], floor["rps"]) if not problems else float("nan"),
        "throughput",
        f"{overview['rps']:.0f} ÷ {floor['rps']:.0f} req/s over {overview['seconds']} s"
        + (f"; {problems} failed requests" if problems else ""),
    )
