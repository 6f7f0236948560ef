"""Realistic, made-up demo data: regions, municipalities, businesses and people."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoMunicipality:
    kommunenummer: str
    name: str
    maalform: str


@dataclass(frozen=True)
class DemoRegion:
    slug: str
    name: str
    municipalities: tuple[DemoMunicipality, ...]


@dataclass(frozen=True)
class DemoOrganisation:
    organisasjonsnummer: str
    name: str
    kommunenummer: str


@dataclass(frozen=True)
class DemoMembership:
    scope: str
    role: str
    # kommunenummer, region slug or organisasjonsnummer; empty for the platform
    target: str = ""


@dataclass(frozen=True)
class DemoPerson:
    pid: str  # made up: eleven digits, never a real person's number
    name: str
    email: str
    language: str
    description: str  # shown on the dev ID-porten login page
    memberships: tuple[DemoMembership, ...] = field(default_factory=tuple)


def _m(nr: str, name: str, maalform: str = "nb") -> DemoMunicipality:
    return DemoMunicipality(nr, name, maalform)


REGIONS = (
    DemoRegion(
        "vaernesregionen",
        "Værnesregionen",
        (
            _m("5035", "Stjørdal"),
            _m("5034", "Meråker"),
            _m("5036", "Frosta"),
            _m("5032", "Selbu"),
            _m("5033", "Tydal"),
        ),
    ),
    DemoRegion(
        "sunnhordland",
        "Sunnhordland",
        (
            _m("4611", "Etne", "nn"),
            _m("4612", "Sveio", "nn"),
            _m("4613", "Bømlo", "nn"),
            _m("4614", "Stord", "nn"),
            _m("4615", "Fitjar", "nn"),
            _m("4616", "Tysnes", "nn"),
            _m("4617", "Kvinnherad", "nn"),
        ),
    ),
    DemoRegion(
        "indre-namdal",
        "Indre Namdal",
        (
            _m("5045", "Grong", "nn"),
            _m("5044", "Namsskogan", "nn"),
            _m("5043", "Røyrvik", "nn"),
            _m("5042", "Lierne", "nn"),
        ),
    ),
)

ORGANISATIONS = (
    DemoOrganisation("915543219", "Stjørdal Utviklingsrådgiving AS", "5035"),
    DemoOrganisation("922817340", "Namdal Næringshage AS", "5007"),
    DemoOrganisation("931782258", "Fossli Rådgjeving", "5045"),
)

PERSONS = (
    DemoPerson(
        "05817397463",
        "Ingrid Støen",
        "ingrid.stoen@meraker.example",
        "nb",
        "Case officer, Meråker",
        (DemoMembership("municipality", "case_officer", "5034"),),
    ),
    DemoPerson(
        "12076512345",
        "Arne Lyngstad",
        "arne.lyngstad@grong.example",
        "nn",
        "Kommunedirektør, Grong (project owner)",
        (DemoMembership("municipality", "admin", "5045"),),
    ),
    DemoPerson(
        "23098823456",
        "Siri Devik",
        "siri.devik@grong.example",
        "nn",
        "Evaluator, Grong",
        (DemoMembership("municipality", "evaluator", "5045"),),
    ),
    DemoPerson(
        "30117034567",
        "Marit Aune",
        "marit.aune@indrenamdal.example",
        "nn",
        "Council member, Indre Namdal",
        (DemoMembership("region", "council_member", "indre-namdal"),),
    ),
    DemoPerson(
        "14028545678",
        "Jonas Hegre",
        "jonas@stjordal-utvikling.example",
        "nb",
        "Admin, Stjørdal Utviklingsrådgiving AS",
        (DemoMembership("organisation", "admin", "915543219"),),
    ),
    DemoPerson(
        "02039156789",
        "Lise Berg",
        "lise@namdal-naeringshage.example",
        "nb",
        "Admin, Namdal Næringshage AS",
        (DemoMembership("organisation", "admin", "922817340"),),
    ),
    DemoPerson(
        "19047867890",
        "Mette Fossli",
        "mette@fossli.example",
        "nn",
        "Admin, Fossli Rådgjeving",
        (DemoMembership("organisation", "admin", "931782258"),),
    ),
    DemoPerson(
        "07058078901",
        "Henrik Solberg",
        "drift@samspel.example",
        "en",
        "Platform operator",
        (DemoMembership("platform", "operator"),),
    ),
    DemoPerson(
        "25068289012",
        "Kjersti Moen",
        "kjersti.moen@vaernes.example",
        "nb",
        "Case officer in Stjørdal and Frosta",
        (
            DemoMembership("municipality", "case_officer", "5035"),
            DemoMembership("municipality", "case_officer", "5036"),
        ),
    ),
)
