#!/usr/bin/env python3
"""Generate the holiday test oracle for hubnet's hand-written FI/SE holiday rules.

Purpose
-------
hubnet implements Finnish and Swedish public holidays in Rust by hand (Easter
computus, fixed dates, "Saturday between" rules). This script dumps an
independent reference, the PyPI ``holidays`` package, pinned to
``holidays==0.109``, into

    crates/domain/testdata/holidays_oracle.tsv

which the Rust tests compare against.

Output format
-------------
Tab-separated, no quoting, LF line endings, header
``country<TAB>date<TAB>category<TAB>name``; one row per holiday for the years
1990..=2100 inclusive, sorted by (country, date, category, name).

* ``country``  -- ``FI`` or ``SE``.
* ``date``     -- ISO ``YYYY-MM-DD``.
* ``category`` -- the library's category string (``public``, ``de_facto``).
* ``name``     -- English name from the library (``language="en_US"``).

Contents:

* FI, category ``public``. In holidays 0.109 Finland's ``public`` category
  already contains Midsummer Eve (Juhannusaatto) and Christmas Eve
  (Jouluaatto), so no other Finnish category is needed. (Finland's other
  categories, ``unofficial`` and ``workday``, are flag days only and are not
  dumped.) No subdivision is selected, so Aland's Autonomy Day (subdivision
  01, June 9) is not included.
* SE, categories ``public`` and ``de_facto`` (``de_facto`` = Midsummer Eve,
  Christmas Eve, New Year's Eve).
* Sundays-as-holidays are EXCLUDED. The library's Sweden class adds every
  Sunday as "Söndag"/"Sunday" only when ``include_sundays=True``; we build it
  with ``include_sundays=False`` and also assert that no "Sunday" row slips
  through. Named holidays that fall on a Sunday (Easter Sunday, Pentecost,
  Dec 25 in some years, ...) are of course kept.
* When two holidays of the same country and category fall on the same date
  (e.g. May Day and Ascension Day on 2008-05-01, Pentecost and Swedish
  National Day on 2049-06-06), the library joins their names with "; "; this
  script splits them back into one row per holiday.

Rerun
-----
From the repository root::

    python3 tools/holidays/oracle.py

The script bootstraps itself: if ``holidays==0.109`` is not importable by the
running interpreter, it creates a virtualenv in
``${XDG_CACHE_HOME:-~/.cache}/hubnet/holidays-oracle-venv-0.109`` (outside the
repo), runs ``pip install holidays==0.109`` into it (needs PyPI access) and
re-executes itself with that venv's Python. Equivalently, by hand::

    python3 -m venv /tmp/hv && /tmp/hv/bin/pip install holidays==0.109
    /tmp/hv/bin/python tools/holidays/oracle.py

Options: ``--out PATH`` to write elsewhere, ``--check`` to only compare the
regenerated content with the existing file (exit 1 if it differs).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HOLIDAYS_VERSION = "0.109"
FIRST_YEAR = 1990
LAST_YEAR = 2100  # inclusive
LANGUAGE = "en_US"
# (country, categories) to dump, in output order.
SPEC = (
    ("FI", ("public",)),
    ("SE", ("public", "de_facto")),
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "crates" / "domain" / "testdata" / "holidays_oracle.tsv"
_REEXEC_ENV = "HUBNET_HOLIDAYS_ORACLE_REEXEC"


def _holidays_ok() -> bool:
    try:
        import holidays  # noqa: F401
    except ImportError:
        return False
    return holidays.__version__ == HOLIDAYS_VERSION


def _bootstrap() -> None:
    """Re-exec inside a private venv that has the pinned holidays version."""
    if _holidays_ok():
        return
    if os.environ.get(_REEXEC_ENV):
        sys.exit(f"holidays=={HOLIDAYS_VERSION} still not importable after bootstrap")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = cache / "hubnet" / f"holidays-oracle-venv-{HOLIDAYS_VERSION}"
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not py.exists():
        print(f"creating venv {venv}", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", str(venv)])
    subprocess.check_call(
        [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         f"holidays=={HOLIDAYS_VERSION}"]
    )
    env = dict(os.environ, **{_REEXEC_ENV: "1"})
    os.execve(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]], env)


def build_rows() -> list[tuple[str, str, str, str]]:
    import holidays

    years = range(FIRST_YEAR, LAST_YEAR + 1)
    rows = []
    for country, categories in SPEC:
        for category in categories:
            kwargs = {"include_sundays": False} if country == "SE" else {}
            hs = holidays.country_holidays(
                country, years=years, categories=(category,), language=LANGUAGE, **kwargs
            )
            for day in sorted(hs):
                for name in hs.get_list(day):
                    if "\t" in name or "\n" in name:
                        raise ValueError(f"unexpected whitespace in {name!r}")
                    if name in ("Sunday", "Söndag"):
                        continue  # Sundays-as-holidays are excluded on purpose
                    rows.append((country, day.isoformat(), category, name))
    rows.sort()
    if len(set(rows)) != len(rows):
        raise ValueError("duplicate rows")
    return rows


def render(rows) -> str:
    lines = ["country\tdate\tcategory\tname"]
    lines += ["\t".join(r) for r in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="compare only, do not write")
    args = ap.parse_args()
    _bootstrap()
    text = render(build_rows())
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            print(f"{args.out} is out of date", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {args.out}: {text.count(chr(10)) - 1} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
