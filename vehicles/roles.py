"""What each role may do with vehicles (registered with the roles, so ``sync_roles`` grants
them after every migrate and flush). A custodian's users see only the vehicles in their own
company's custody, and a police liaison or partner system only its own sightings: see
``vehicles.selectors``."""

from __future__ import annotations

from courtexec.roles import Role

VIEWABLE = [
    "vehicle",
    "surveillance",
    "sighting",
    "custodian",
    "custodyagreement",
    "agreementrate",
    "lot",
    "impound",
    "custodyevent",
    "custodyphoto",
    "stockcheck",
    "stockcheckline",
    "custodyinvoice",
    "custodyinvoiceline",
    "feeposting",
]


def _perms(action: str, *models: str) -> list[str]:
    return [f"vehicles.{action}_{model}" for model in models]


# Case officers register vehicles, put them under surveillance, seize, tow and dispose of them
# and post custody costs; chiefs also approve towing; the bureau chief keeps the custodians,
# their agreements and lots and issues the monthly invoices.
_CASE_WORK = (
    _perms("add", "vehicle", "surveillance", "sighting", "impound", "custodyevent", "custodyphoto")
    + _perms("change", "vehicle", "surveillance", "impound")
    + _perms("add", "feeposting", "stockcheck")
)
_APPROVE = ["vehicles.approve_tow"]
_KEEP_CUSTODIANS = _perms("add", "custodian", "custodyagreement", "agreementrate", "lot") + _perms(
    "change", "custodian", "custodyagreement", "agreementrate", "lot"
)
_CUSTODIAN_SEES = _perms(
    "view",
    "vehicle",
    "impound",
    "custodyevent",
    "custodyphoto",
    "custodian",
    "custodyagreement",
    "agreementrate",
    "lot",
    "stockcheck",
    "stockcheckline",
    "custodyinvoice",
    "custodyinvoiceline",
)

VEHICLES_GRANTS: dict[Role, list[str]] = {
    Role.JUDGE: _perms("view", *VIEWABLE) + _CASE_WORK,
    Role.CLERK: _perms("view", *VIEWABLE) + _CASE_WORK,
    Role.JUDICIAL_POLICE: _perms("view", *VIEWABLE) + _CASE_WORK,
    Role.SECTION_CHIEF: _perms("view", *VIEWABLE) + _CASE_WORK + _APPROVE,
    Role.BUREAU_CHIEF: _perms("view", *VIEWABLE)
    + _CASE_WORK
    + _APPROVE
    + _KEEP_CUSTODIANS
    + _perms("add", "custodyinvoice"),
    Role.PRESIDENT: _perms("view", *VIEWABLE),
    Role.FINANCE: _perms("view", *VIEWABLE) + _perms("add", "custodyinvoice"),
    Role.SYSADMIN: _perms("view", *VIEWABLE) + _KEEP_CUSTODIANS,
    Role.CUSTODIAN: _CUSTODIAN_SEES
    + _perms("add", "custodyevent", "custodyphoto", "stockcheck")
    + _perms("change", "impound"),
    Role.POLICE_LIAISON: _perms("view", "vehicle", "surveillance", "sighting")
    + _perms("add", "sighting"),
    Role.SIGHTING_PARTNER: _perms("view", "sighting") + _perms("add", "sighting"),
}
