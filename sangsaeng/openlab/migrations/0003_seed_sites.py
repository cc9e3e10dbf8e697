"""The two labs (우면 R&D centre since 2018-09, 판교 since 2019) with zones, hours and a few resources."""

import datetime as dt

from django.db import migrations

SITES = [
    ("umyeon", "우면 R&D센터", "서울 서초구 태봉로 151"),
    ("pangyo", "판교 오픈랩", "경기 성남시 분당구 판교로"),
]
ZONES = [("infra", "Infra"), ("media", "Media"), ("smart_x", "Smart-X"), ("showroom", "Showroom")]
RESOURCES = [
    ("infra", "shielded_room", "RF 차폐실 A", 6, "RF shielding, 3.5GHz, 28GHz"),
    ("infra", "testbed", "5G 기지국 테스트베드 1", 1, "SA, NSA, 3.5GHz"),
    ("infra", "mec_server", "MEC 서버 1", 1, "GPU, Kubernetes"),
    ("media", "project_room", "프로젝트룸 1", 8, "Display, video conference"),
    ("smart_x", "test_room", "Smart-X 시험실", 10, "Private 5G, robot arm"),
    ("smart_x", "loan_device", "5G 단말 (대여)", 1, "5G SA handset"),
    ("infra", "instrument", "스펙트럼 분석기", 1, "Up to 44GHz"),
]


def seed(apps, schema_editor):
    Site = apps.get_model("openlab", "Site")
    Zone = apps.get_model("openlab", "Zone")
    Resource = apps.get_model("openlab", "Resource")
    OpeningHours = apps.get_model("openlab", "OpeningHours")
    for code, name, address in SITES:
        site, created = Site.objects.get_or_create(code=code, defaults={"name": name, "address": address})
        if not created:
            continue
        for weekday in range(5):
            OpeningHours.objects.create(site=site, weekday=weekday, opens=dt.time(9), closes=dt.time(18))
        zones = {kind: Zone.objects.create(site=site, kind=kind, name=label) for kind, label in ZONES}
        for zone_kind, kind, resource_name, capacity, features in RESOURCES:
            Resource.objects.create(
                zone=zones[zone_kind],
                kind=kind,
                name=f"{resource_name} ({name})",
                capacity=capacity,
                features=features,
                needs_approval=kind in ("shielded_room", "testbed"),
                monthly_quota_hours=40 if kind in ("shielded_room", "testbed") else None,
            )


class Migration(migrations.Migration):
    dependencies = [("openlab", "0002_overlap_guard")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
