"""Whether SGB II applies at all, asked before any estimate (§7, §7a, §8 SGB II).

Someone who is not entitled gets a kind explanation and where to go instead,
never a full Bürgergeld estimate. Input (both forms map onto it)::

    {"erwerbsfaehig": true,          # can work at least 3 hours a day (§8 Abs. 1)
     "altersrente": false,           # draws an old-age pension (§7 Abs. 4 S. 1)
     "rentengrenze": false,          # reached the age limit of §7a
     "aufenthalt": "dauerhaft",      # | "erste_drei_monate" | "arbeitsuche" | "asylblg"
     "ausbildung_foerderfaehig": false,  # training/study eligible for BAföG/BAB (§7 Abs. 5)
     "stationaer": "nein",           # | "krankenhaus" (> 6 months) | "haft"
     "partner": false,               # a partner able to work lives in the household
     "bei_eltern": false}            # under 25, unmarried, lives with a parent (§7 Abs. 3 Nr. 2, 4)

Missing keys count as "no obstacle".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    key: str
    de: str
    en: str


_REASONS = {
    "erwerbsfaehig": Reason(
        "erwerbsfaehig",
        "Sie können nach Ihren Angaben weniger als 3 Stunden am Tag arbeiten. Bürgergeld bekommt nur, wer "
        "erwerbsfähig ist (§ 8 SGB II). Für Sie ist das Sozialamt zuständig: Grundsicherung bei Erwerbsminderung "
        "oder Hilfe zum Lebensunterhalt (SGB XII). Lebt eine erwerbsfähige Partnerin oder ein erwerbsfähiger "
        "Partner mit Ihnen, stellt sie oder er den Antrag beim Jobcenter, und Sie gehören dazu.",
        "You said you can work fewer than 3 hours a day. Bürgergeld is only for people able to work (§8 SGB II). "
        "The social welfare office (Sozialamt) is responsible for you: basic income support for reduced earning "
        "capacity or subsistence assistance (SGB XII). If a partner able to work lives with you, they apply at "
        "the Jobcenter and you are included."),
    "altersrente": Reason(
        "altersrente",
        "Wer eine Altersrente bekommt, erhält kein Bürgergeld (§ 7 Abs. 4 SGB II). Reicht die Rente nicht, "
        "hilft das Sozialamt mit der Grundsicherung im Alter (SGB XII); auch Wohngeld kann passen.",
        "People who draw an old-age pension do not get Bürgergeld (§7(4) SGB II). If the pension is not enough, "
        "the social welfare office helps with basic income support in old age (SGB XII); housing benefit may fit too."),
    "rentengrenze": Reason(
        "rentengrenze",
        "Sie haben die Altersgrenze nach § 7a SGB II erreicht. Bürgergeld ist für Menschen vor dieser Grenze. "
        "Wenden Sie sich an das Sozialamt (Grundsicherung im Alter, SGB XII) und an die Rentenversicherung.",
        "You have reached the age limit of §7a SGB II. Bürgergeld is for people below it. Please turn to the "
        "social welfare office (basic income support in old age, SGB XII) and the pension insurance."),
    "asylblg": Reason(
        "asylblg",
        "Mit einer Aufenthaltsgestattung oder Duldung bekommen Sie Leistungen nach dem Asylbewerberleistungsgesetz, "
        "nicht Bürgergeld (§ 7 Abs. 1 S. 2 Nr. 3 SGB II). Zuständig ist die Leistungsbehörde Ihrer Stadt oder "
        "Ihres Landkreises (meist das Sozialamt).",
        "With an Aufenthaltsgestattung or a Duldung you receive benefits under the Asylum Seekers' Benefits Act, "
        "not Bürgergeld (§7(1) sentence 2 no. 3 SGB II). Your town's or district's benefits office (usually the "
        "Sozialamt) is responsible."),
    "erste_drei_monate": Reason(
        "erste_drei_monate",
        "In den ersten drei Monaten in Deutschland bekommen Ausländerinnen und Ausländer, die hier nicht arbeiten, "
        "kein Bürgergeld (§ 7 Abs. 1 S. 2 Nr. 1 SGB II). Arbeiten Sie oder sind Sie selbstständig, gilt das nicht: "
        "Dann ändern Sie Ihre Angabe. Sonst kann das Sozialamt in einer Notlage helfen (Überbrückungsleistungen, § 23 SGB XII).",
        "Foreign nationals who do not work here get no Bürgergeld in their first three months in Germany "
        "(§7(1) sentence 2 no. 1 SGB II). If you work or are self-employed, this does not apply: change your answer. "
        "Otherwise the social welfare office can help in an emergency (bridging benefits, §23 SGB XII)."),
    "arbeitsuche": Reason(
        "arbeitsuche",
        "Wer nur zur Arbeitsuche in Deutschland ist, bekommt kein Bürgergeld (§ 7 Abs. 1 S. 2 Nr. 2 SGB II). "
        "Sobald Sie arbeiten (auch in Teilzeit), kann sich das ändern. Beratung gibt die Agentur für Arbeit; "
        "in einer Notlage hilft das Sozialamt (§ 23 SGB XII).",
        "People whose right of residence is only to seek work get no Bürgergeld (§7(1) sentence 2 no. 2 SGB II). "
        "Once you work (part-time too) this can change. The employment agency advises; in an emergency the social "
        "welfare office helps (§23 SGB XII)."),
    "ausbildung": Reason(
        "ausbildung",
        "Wer ein Studium oder eine Ausbildung macht, die mit BAföG oder Berufsausbildungsbeihilfe gefördert werden "
        "kann, bekommt in der Regel kein Bürgergeld (§ 7 Abs. 5 SGB II). Beantragen Sie BAföG beim Studierendenwerk "
        "oder BAföG-Amt, Berufsausbildungsbeihilfe bei der Agentur für Arbeit. Für Mehrbedarfe und Wohnkosten kann "
        "das Jobcenter trotzdem einen Zuschuss zahlen (§ 27 SGB II); Ausnahmen gelten z. B. für Schülerinnen und "
        "Schüler, die bei den Eltern wohnen (§ 7 Abs. 6).",
        "People in a course of study or training that BAföG or vocational training assistance can fund usually get "
        "no Bürgergeld (§7(5) SGB II). Apply for BAföG at the student services or BAföG office, for training "
        "assistance at the employment agency. The Jobcenter can still pay a subsidy for extra needs and housing "
        "(§27 SGB II); exceptions apply e.g. to pupils living with their parents (§7(6))."),
    "krankenhaus": Reason(
        "krankenhaus",
        "Wer voraussichtlich länger als sechs Monate im Krankenhaus ist, bekommt kein Bürgergeld (§ 7 Abs. 4 "
        "S. 3 Nr. 1 SGB II). Zuständig ist das Sozialamt (SGB XII); der Sozialdienst des Krankenhauses hilft beim Antrag.",
        "People expected to stay in hospital for more than six months get no Bürgergeld (§7(4) sentence 3 no. 1 "
        "SGB II). The social welfare office (SGB XII) is responsible; the hospital's social service helps you apply."),
    "haft": Reason(
        "haft",
        "Während einer Haft oder einer anderen richterlich angeordneten Freiheitsentziehung gibt es kein Bürgergeld "
        "(§ 7 Abs. 4 S. 2 SGB II). Vor der Entlassung hilft der Sozialdienst der Anstalt, den Antrag rechtzeitig "
        "zu stellen; Ihre Angehörigen können weiter Bürgergeld bekommen.",
        "There is no Bürgergeld during imprisonment or other detention ordered by a court (§7(4) sentence 2 SGB II). "
        "Before release, the prison's social service helps you apply in time; your family can still receive Bürgergeld."),
    "eltern": Reason(
        "eltern",
        "Sie sind unter 25, leben ohne Partnerin oder Partner und wohnen bei Ihren Eltern. Dann gehören Ihre Eltern "
        "zu Ihrer Bedarfsgemeinschaft (§ 7 Abs. 3 Nr. 2 SGB II): Ihr Regelbedarf ist Stufe 3 (§ 20 Abs. 2 S. 2 Nr. 1), "
        "und das Einkommen Ihrer Eltern zählt mit (§ 9 Abs. 2 S. 2; nicht, wenn Sie schwanger sind oder ein eigenes Kind "
        "unter 6 betreuen, § 9 Abs. 3). Für Sie allein lässt sich das nicht schätzen: Rechnen Sie mit Ihren Eltern "
        "zusammen, ein Elternteil gibt Sie als Kind an. Den Antrag können Sie trotzdem stellen; das Jobcenter entscheidet.",
        "You are under 25, have no partner and live with your parents. Then your parents belong to your household's "
        "claim (§7(3) no. 2 SGB II): your standard need is level 3 (§20(2) sentence 2 no. 1), and your parents' income "
        "counts (§9(2) sentence 2; not if you are pregnant or care for your own child under 6, §9(3)). This cannot be "
        "estimated for you alone: do the calculation together with your parents, with a parent entering you as a "
        "child. You can still apply; the Jobcenter decides."),
}


def reasons(gates: dict) -> list[Reason]:
    """Every reason why SGB II does not apply to the applicant (empty: it may)."""
    found = []
    if gates.get("erwerbsfaehig") is False and not gates.get("partner"):
        found.append(_REASONS["erwerbsfaehig"])
    if gates.get("altersrente") is True:
        found.append(_REASONS["altersrente"])
    if gates.get("rentengrenze") is True:
        found.append(_REASONS["rentengrenze"])
    stay = gates.get("aufenthalt")
    if stay in ("asylblg", "erste_drei_monate", "arbeitsuche"):
        found.append(_REASONS[stay])
    if gates.get("ausbildung_foerderfaehig") is True:
        found.append(_REASONS["ausbildung"])
    if gates.get("stationaer") in ("krankenhaus", "haft"):
        found.append(_REASONS[gates["stationaer"]])
    if gates.get("bei_eltern") is True and not gates.get("partner"):
        # not an exclusion from SGB II: the estimate cannot be made for this person alone
        found.append(_REASONS["eltern"])
    return found
