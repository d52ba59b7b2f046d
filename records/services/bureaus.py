"""Loading the bureau tree from the division data file (records/data/divisions.json, derived
from GB/T 2260 by scripts/derive_divisions.py)."""

import re
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from records.models import Bureau
from records.models.bureaus import NATIONAL_CODE, BureauLevel

CODE_RE = re.compile(r"[0-9]{6}")
# Creating level by level, top down, puts every parent before its children.
TOP_DOWN = (BureauLevel.NATIONAL, BureauLevel.PROVINCE, BureauLevel.CITY, BureauLevel.COUNTY)
# Counties hang under a city, or directly under the province in the municipalities and for
# county-level units the province administers itself (省直辖县级行政区划).
PARENT_LEVELS = {
    BureauLevel.NATIONAL: set(),
    BureauLevel.PROVINCE: {BureauLevel.NATIONAL},
    BureauLevel.CITY: {BureauLevel.PROVINCE},
    BureauLevel.COUNTY: {BureauLevel.PROVINCE, BureauLevel.CITY},
}
NAME_MAX_LENGTH = cast(int, Bureau._meta.get_field("name").max_length)  # a CharField's


@dataclass(frozen=True)
class BureausLoadResult:
    created: int
    updated: int
    unchanged: int


def _entry_errors(entry: Any, index: int, seen: set[str]) -> list[str]:
    if not isinstance(entry, dict):
        return [_("Division #%(index)d is not an object.") % {"index": index}]
    code = entry.get("code")
    if not (isinstance(code, str) and CODE_RE.fullmatch(code)):
        return [
            _("Division #%(index)d: the code %(code)r is not 6 digits.")
            % {"index": index, "code": code}
        ]
    errors = []
    if code in seen:
        errors.append(_("%(code)s: the code appears twice.") % {"code": code})
    name = entry.get("name")
    if not (isinstance(name, str) and name.strip()) or len(name) > NAME_MAX_LENGTH:
        errors.append(_("%(code)s: the name is missing or too long.") % {"code": code})
    level = entry.get("level")
    if level not in BureauLevel.values:
        errors.append(_("%(code)s: unknown level %(level)r.") % {"code": code, "level": level})
    elif (level == BureauLevel.NATIONAL) != (code == NATIONAL_CODE):
        errors.append(
            _("%(code)s: only %(national)s is the national level.")
            % {"code": code, "national": NATIONAL_CODE}
        )
    return errors


def _parent_errors(
    entry: dict[str, Any], levels: dict[str, str], existing: dict[str, Bureau]
) -> list[str]:
    code, level, parent = entry["code"], entry["level"], entry.get("parent")
    if level == BureauLevel.NATIONAL:
        if parent is None:
            return []
        return [_("%(code)s: the national level has no parent.") % {"code": code}]
    if not isinstance(parent, str) or parent not in levels:
        return [
            _("%(code)s: the parent %(parent)r is neither in the file nor in the database.")
            % {"code": code, "parent": parent}
        ]
    if levels[parent] not in PARENT_LEVELS[level]:
        return [
            _("%(code)s: a %(level)s bureau cannot be under a %(parent_level)s one.")
            % {
                "code": code,
                "level": str(BureauLevel(level).label).lower(),
                "parent_level": str(BureauLevel(levels[parent]).label).lower(),
            }
        ]
    current, parent_bureau = existing.get(code), existing.get(parent)
    if current and (
        current.level != level or parent_bureau is None or current.parent_id != parent_bureau.pk
    ):
        # Moving a bureau changes what its staff and supervisors may see: a deliberate act
        # in the admin, not a side effect of reloading the data.
        return [
            _(
                "%(code)s: the bureau exists with another level or parent; move it in the "
                "admin first."
            )
            % {"code": code}
        ]
    return []


def _validate(divisions: list[dict[str, Any]], existing: dict[str, Bureau]) -> None:
    errors: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(divisions, start=1):
        errors += _entry_errors(entry, index, seen)
        if isinstance(entry, dict) and isinstance(entry.get("code"), str):
            seen.add(entry["code"])
    if errors:
        raise ValidationError(errors)
    levels = {bureau.code: bureau.level for bureau in existing.values()}
    levels |= {entry["code"]: entry["level"] for entry in divisions}
    for entry in divisions:
        errors += _parent_errors(entry, levels, existing)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def bureaus_load(*, divisions: list[dict[str, Any]]) -> BureausLoadResult:
    """Create or rename the bureaus listed in `divisions`, keyed by code; bureaus missing
    from the list are left alone, since records point to them. Nothing is written unless
    every entry is valid."""
    existing = {bureau.code: bureau for bureau in Bureau.objects.select_for_update()}
    _validate(divisions, existing)

    renamed = []
    for entry in divisions:
        bureau = existing.get(entry["code"])
        if bureau and bureau.name != entry["name"]:
            bureau.name = entry["name"]
            renamed.append(bureau)
    Bureau.objects.bulk_update(renamed, ["name"], batch_size=500)

    new = [entry for entry in divisions if entry["code"] not in existing]
    for level in TOP_DOWN:
        batch = [entry for entry in new if entry["level"] == level]
        if not batch:
            continue
        Bureau.objects.bulk_create(
            [_new_bureau(entry, existing) for entry in batch], batch_size=500
        )
        # Fetched back rather than relying on bulk_create returning keys on every backend.
        existing |= {
            bureau.code: bureau
            for bureau in Bureau.objects.filter(code__in=[entry["code"] for entry in batch])
        }
    return BureausLoadResult(
        created=len(new),
        updated=len(renamed),
        unchanged=len(divisions) - len(new) - len(renamed),
    )


def _new_bureau(entry: dict[str, Any], existing: dict[str, Bureau]) -> Bureau:
    parent = existing[entry["parent"]] if entry.get("parent") else None
    return Bureau(
        code=entry["code"],
        name=entry["name"],
        level=entry["level"],
        parent=parent,
        path=f"{parent.path if parent else ''}{entry['code']}/",
    )


@transaction.atomic
def bureau_rename(*, bureau: Bureau, by: Any, name: str) -> Bureau:
    """The one change the admin allows on a bureau: its name. Codes, levels and parents come
    from the division data file (load_bureaus), since they decide jurisdiction."""
    from kernel.audit import audit_log

    name = name.strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    before = Bureau.objects.get(pk=bureau.pk).name
    if name == before:
        return bureau
    Bureau.objects.filter(pk=bureau.pk).update(name=name)
    bureau.name = name
    audit_log(
        actor=by, action="bureau_rename", obj=bureau, before={"name": before}, after={"name": name}
    )
    return bureau
