"""Casualty files and helpers the import tests share."""

from __future__ import annotations

import io

import pytest

from coalition.core.audit import Actor
from coalition.research.importing import fast
from coalition.research.importing.spec import Report
from coalition.research.importing.writer import casualties_import
from coalition.research.models import BREAKDOWN_FIELDS, Casualty, CasualtyTotal, RecordChange

CSV = """state,date,place,latitude,longitude,killed,injured,civilian_status,sex,age_group,activity,phase,source,name
LAO,2019-03-02,Ban Nong,16.5,106.1,1,0,civilian,male,child,Herding,remnant,UXO Lao 2019,Somchai K.
LAO,2019-07-11,Ban Kok,15.9,106.4,0,2,civilian,female,adult,Farming,remnant,UXO Lao 2019,
SYR,2016-10-05,Aleppo,36.2,37.15,3,5,unknown,unknown,unknown,,strike,SNHR,
"""
HXL = """Country,Date,Place,Lat,Lon,Killed,Injured,Status,Sex,Age,Source
#country+code,#date+occurred,#loc+name,#geo+lat,#geo+lon,#affected+killed,#affected+injured,#affected+type,#affected+sex,#affected+age,#meta+source
UKR,2022-04-08,Kramatorsk,48.72,37.56,4,10,civilian,unknown,unknown,HRMMU
UKR,2022-05-01,Kharkiv,49.99,36.23,1,0,civilian,female,adult,HRMMU
"""


def import_text(text: str, **options) -> Report:
    return casualties_import(handle=io.StringIO(text), **{"dry_run": False, "by": Actor.SYSTEM, **options})


def without_fast_path(patch: pytest.MonkeyPatch) -> None:
    """Every row takes the full checks."""
    patch.setattr(fast, "fast_rows", lambda *args, **kwargs: lambda cells: None)


# Rows the fast path takes and rows it must leave to the full checks: each gives the same records, problems and
# warnings either way.
MIXED = (
    "state,date,date_end,place,admin_area,latitude,longitude,location_precision,killed,injured,"
    "civilian_status,sex,age_group,activity,phase,source,id,name,address\n"
    + """\
LAO,2019-03-02,,Ban Nong,Savannakhet,16.5,106.1,,1,0,civilian,male,child,Herding,remnant,UXO Lao,a1,Somchai K.,Nong 4
lao, 2019-03-03 ,2019-03-09,  Ban Kok ,,16.6,106.2,Exact,0,2,Civilian,FEMALE,adult,,Remnant,,a2,,
LA,2019-03-04,,Ban Kok,,,,exact,1500,0,unknown,unknown,unknown,,,Other source,,,
SYR,2016-10-05,,Aleppo,,59.9,10.7,,3,5,unknown,unknown,unknown,,strike,SNHR,,,
UKR,2022-04-08,,Kramatorsk,,,,approximate, 4 ,10,civilian,unknown,unknown,,,HRMMU,,,
,,,,,,,,,,,,,,,,,,
UKR,2022-04-09,,Kramatorsk,,48.7,,approximate,4,10,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-10,2022-04-01,Kramatorsk,,,,,4,10,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-11,,Kramatorsk,,,,,0,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-12,,Kramatorsk,,,,,1,0,civilian,nobody,unknown,,,HRMMU,,,
UKR,2022-04-13,,Kramatorsk,,,,,1,0,civilian,unknown,unknown,,,HRMMU,,,extra cell
UKR,2022-04-14,,Kramatorsk,,91,10,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-14,,Kramatorsk,,nan,nan,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,1939-12-31,,Kramatorsk,,,,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-15,,Kramatorsk,,,,,1,0,civilian,unknown,unknown,,,HRMMU,,,
UKR,2022-04-16,,Kramatorsk
"""
)


def saved_records():
    fields = [
        f.attname
        for f in Casualty._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at", "submitted_at", "reviewed_at"}
    ]
    fields.remove("import_job_id")
    return sorted((tuple(map(str, row)) for row in Casualty.objects.values_list(*fields)), key=str)


# As humanitarian datasets publish casualty figures on HDX: a header row of the source's own names, then the HXL
# hashtag row, then data; counts broken down by sex, age, both, and status in separate columns (attributes in any
# order, `+num` as some add it), identifiers in #meta+id, empty cells where a breakdown is unknown.
HDX = """\
Incident ID,Country,Date,Location,Admin 1,Latitude,Longitude,Killed,Injured,Killed (female),Killed (male),\
Killed (children),Killed (adults),Killed girls,Killed boys,Injured (female),Injured (male),Injured (children),\
Injured civilians,Killed civilians,Killed military,Killed deminers,Source
#meta+id,#country+code,#date+occurred,#loc+name,#adm1+name,#geo+lat,#geo+lon,#affected+killed+num,\
#affected+injured,#affected+killed+f,#affected+killed+m,#affected+killed+children,#affected+killed+adults,\
#affected+killed+f+children,#affected+children+killed+m,#affected+injured+f,#affected+injured+m,\
#affected+injured+children,#affected+injured+civilians,#affected+killed+civilians,#affected+killed+military,\
#affected+killed+deminers,#meta+source
UKR-0001,UKR,2022-04-08,Kramatorsk,Donetsk,48.72,37.56,61,121,,,5,,,,,,,121,61,,,HRMMU
UKR-0002,UKR,2022-05-01,Kharkiv,Kharkiv,49.99,36.23,3,2,2,1,1,2,1,0,1,1,2,2,3,0,0,HRMMU
LAO-2019-17,LAO,2019-03-02,Ban Nong,Savannakhet,16.5,106.1,1,0,0,1,1,0,0,1,,,,,1,,,UXO Lao
LAO-2019-18,LA,2019-07-11,Ban Kok,Savannakhet,15.9,106.4,0,4,,,,,,,3,1,4,4,,,,UXO Lao
SYR-17,SYR,2016-10-05,Aleppo,Aleppo,36.2,37.15,2,0,,,,,,,,,,,,,2,Monitor
"""


def state_of_everything():
    fields = [f.attname for f in Casualty._meta.concrete_fields if f.attname not in {"import_job_id"}]
    records = sorted(Casualty.objects.values_list(*fields))
    totals = sorted(CasualtyTotal.objects.values_list("state_id", "year", "killed", "injured", *BREAKDOWN_FIELDS))
    return records, totals, RecordChange.objects.count()
