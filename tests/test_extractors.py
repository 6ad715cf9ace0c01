"""Each extractor on small documents written the way Norwegian minutes, protocols and case
documents are written (invented people and cases)."""
from __future__ import annotations

from extractors.dates import find_dates
from extractors.nlp import nlp, theme_hits
from extractors.regions import fuzzy_council
from tests.helpers import analyse_text

PROTOCOL = """\
Møteprotokoll

Utvalg: Formannskapet
Møtested: Kommunehuset, møterom 1
Dato: 12.02.2026
Tid: kl. 09.00 - 14.30

Til stede: Kari Nordmann (Ap), Per Hansen (H), Ingrid Berg (Sp)
Forfall: Ole Johansen (FrP)
Fra administrasjonen møtte: Rådmann Lise Moen

Saksliste
PS 10/26 Godkjenning av protokoll
PS 11/26 Budsjettjustering 2026

PS 10/26 Godkjenning av protokoll

Vedtak:
Protokollen godkjennes.

PS 11/26 Budsjettjustering 2026

Rådmannens innstilling:
1. Formannskapet vedtar budsjettjustering som beskrevet i saken.
2. Økte utgifter til skoleskyss dekkes av disposisjonsfondet.

Vedtak:
Innstillingen vedtas.

Saksbehandler: Anne Lie
"""

CASE = """\
Saksframlegg

Arkivsak: 24/01234-3
Saksbehandler: Morten Vik

Høring av regional plan for areal og transport

Behandlet av\tMøtedato\tSaknr
Regionrådet\t14.03.2024\t7/24

Forslag til vedtak:
Regionrådet slutter seg til høringsuttalelsen fra Hallingdal IPR.

Bakgrunn for saken
Regionrådet behandlet saken i møte 12.03.2019, sak 15/19, og fattet slikt vedtak:

Regionrådet ber om at regional plan legger vekt på kollektivtransport.

Vurdering
Arealplanen er viktig for vekst og for samferdsel i regionen.
"""


def test_protocol_metadata() -> None:
    r = analyse_text(PROTOCOL)
    assert r.document.doc_type == "protocol"
    assert r.document.meeting_date == "2026-02-12"
    assert r.document.body == "Formannskapet"


def test_protocol_agenda_items_once_each() -> None:
    r = analyse_text(PROTOCOL)
    assert [(a.number, a.title) for a in r.agenda_items] == [
        ("10/26", "Godkjenning av protokoll"), ("11/26", "Budsjettjustering 2026")]


def test_protocol_decisions_keep_points_together_and_item_numbers() -> None:
    r = analyse_text(PROTOCOL)
    got = [(d.item, d.kind, d.status, d.text) for d in r.decisions]
    assert got == [
        ("10/26", "vedtak", "adopted", "Protokollen godkjennes."),
        ("11/26", "innstilling", "proposed",
         "1. Formannskapet vedtar budsjettjustering som beskrevet i saken. "
         "2. Økte utgifter til skoleskyss dekkes av disposisjonsfondet."),
        ("11/26", "vedtak", "adopted",
         "1. Formannskapet vedtar budsjettjustering som beskrevet i saken. "
         "2. Økte utgifter til skoleskyss dekkes av disposisjonsfondet."),
    ]
    assert r.decisions[2].outcome == "adopted as recommended"


MIXED_SERIES = """MØTEPROTOKOLL Kommunestyret
Møtedato: 25.03.2026

Saksliste
PS 4/26 Godkjenning av protokoll
RS 4/26 Referatsaker
FO 1/26 Interpellasjon om skolevei

PS 4/26 Godkjenning av protokoll
Vedtak:
Protokollen godkjennes.

RS 4/26 Referatsaker
Vedtak:
Referatsakene tas til orientering.
"""


def test_items_of_several_series_keep_the_name_of_the_plain_series() -> None:
    """PS 4/26 and RS 4/26 are two items: the plain series keeps its name in a document that has
    others, in the agenda and in its decisions' item (alone, PS 10/26 is item 10/26, as above)."""
    r = analyse_text(MIXED_SERIES)
    assert [a.number for a in r.agenda_items] == ["PS 4/26", "RS 4/26", "FO 1/26"]
    assert [(d.item, d.text) for d in r.decisions] == [
        ("PS 4/26", "Protokollen godkjennes."), ("RS 4/26", "Referatsakene tas til orientering.")]


ONE_CASE = """Formannskapets behandling av sak 24/2026 i møte den 02.09.2026:

Behandling
Kari Nordmann (SV) fremmet følgende alternative forslag:

Formannskapet avgir følgende høringssvar:

1. Kommunen støtter formålet
Kommunen er positiv til tiltaket, men ikke til stedet.
2. Lukt og nærhet til boliger
Søknaden gir ikke grunnlag for å vurdere ulempen.
3. Vilkår
Ingen tillatelse før vannhåndteringen er dokumentert.

Votering
Alternativt forslag falt mot 3 stemmer.
"""


def test_the_numbered_parts_of_a_proposal_in_a_saksprotokoll_are_not_an_agenda() -> None:
    """The record of one case's treatment has no agenda: its numbered headings are parts of the
    proposal, which runs across them, and every decision belongs to the case treated."""
    r = analyse_text(ONE_CASE)
    assert r.agenda_items == ()
    proposal = next(d for d in r.decisions if d.text.startswith("Formannskapet avgir"))
    assert "3. Vilkår" in proposal.text and proposal.text.endswith("vannhåndteringen er dokumentert.")
    assert {d.item for d in r.decisions} == {"24/2026"}


def test_minutes_that_refer_to_an_earlier_treatment_keep_their_agenda() -> None:
    """Only a saksprotokoll opens with the treatment of its case: minutes that mention one in a
    paragraph before their numbered agenda keep the agenda."""
    text = """REFERAT
Regionrådet
Møtedato: 3. mars 2025
Til stede: Kari Nordmann, Ola Hansen
Forfall: Per Olsen
Møtet fulgte opp formannskapets behandling av sak 12/2024 i møte 1. februar.

1. Godkjenning av innkalling og saksliste
Innkalling og saksliste godkjent.
2. Samferdsel i regionen
Regionrådet ga sin tilslutning til uttalelsen.
3. Eventuelt
"""
    r = analyse_text(text)
    assert [a.number for a in r.agenda_items] == ["1", "2", "3"]


def test_vote_counts_and_unanimity_from_the_treatment() -> None:
    text = ("Møteprotokoll\n\nPS 5/25 Ny barnehage\n\nKommunedirektørens innstilling:\nBarnehagen bygges.\n\n"
            "Votering:\nInnstillingen ble vedtatt med 7 mot 2 stemmer.\n\nVedtak:\nBarnehagen bygges.\n\n"
            "PS 6/25 Referatsaker\n\nVedtak:\nSaken tas til orientering.\n\nEnstemmig vedtatt.\n")
    r = analyse_text(text)
    adopted = [d for d in r.decisions if d.status == "adopted"]
    assert [(d.item, d.outcome, d.unanimous, d.votes_for, d.votes_against) for d in adopted] == [
        ("5/25", "adopted after vote", False, 7, 2), ("6/25", "noted", True, None, None)]


def test_proposal_made_in_the_meeting_is_its_own_row() -> None:
    text = ("Møteprotokoll\n\nPS 7/25 Skolestruktur\n\nInnstilling:\nSkolen legges ned.\n\n"
            "Kari Dahl (Sp) fremmet følgende alternative forslag:\n\"Skolen opprettholdes.\"\n\nVedtak:\nSkolen legges ned.\n")
    r = analyse_text(text)
    assert [(d.kind, d.status, d.text) for d in r.decisions] == [
        ("innstilling", "proposed", "Skolen legges ned."), ("other", "proposed", "Skolen opprettholdes."),
        ("vedtak", "adopted", "Skolen legges ned.")]


def test_protocol_participants_with_attendance_party_and_role() -> None:
    r = analyse_text(PROTOCOL)
    people = {p.name: (p.attendance, p.organisation, p.role) for p in r.participants}
    parties = {p.name: p.party for p in r.participants}
    # a party is whom a person represents, never their organisation (issue 16)
    assert people["Kari Nordmann"] == ("present", "", "") and parties["Kari Nordmann"] == "Ap"
    assert people["Ole Johansen"] == ("absent", "", "") and parties["Ole Johansen"] == "FrP"
    assert people["Lise Moen"][0] == "present" and people["Lise Moen"][2].lower() == "rådmann"
    assert people["Anne Lie"] == ("mentioned", "", "saksbehandler")


def test_case_document_proposal_and_quoted_decision() -> None:
    r = analyse_text(CASE)
    assert r.document.doc_type == "case"
    assert r.document.meeting_date == "2024-03-14"
    assert r.document.body == "Regionrådet"
    got = [(d.item, d.kind, d.status, d.quoted) for d in r.decisions]
    assert got == [("", "forslag til vedtak", "proposed", False), ("15/19", "vedtak", "adopted", True)]
    assert r.decisions[1].text == "Regionrådet ber om at regional plan legger vekt på kollektivtransport."
    assert r.agenda_items == ()


def test_case_document_regions_and_topics() -> None:
    r = analyse_text(CASE)
    assert {g.region for g in r.regions} == {"Regionrådet for Hallingdal"}
    assert r.document.region == "Regionrådet for Hallingdal"  # the council's own case: its owner
    themes = {t.theme for t in r.topics if t.region == "Regionrådet for Hallingdal"}
    assert {"plan_areal", "samferdsel"} <= themes and all(t.region for t in r.topics)
    assert all(t.evidence for t in r.topics)


def test_participant_table_with_columns_and_remote() -> None:
    text = ("Referat fra møte i regionrådet\n\nDeltakere:\n\n"
            "Fornavn\tEtternavn\tOrganisasjon\n"
            "Kari\tNordmann\tValdres IPR\n"
            "Per Arne\tHansen\tHallingdal IPR (deltok på Teams)\n"
            "Innovasjon\tNorge\tgjest\n")
    r = analyse_text(text)
    people = {p.name: (p.attendance, p.organisation) for p in r.participants}
    assert people == {"Kari Nordmann": ("present", "Valdres IPR"), "Per Arne Hansen": ("remote", "Hallingdal IPR")}


def test_signature_and_role_mentions() -> None:
    text = ("Forslag til vedtak:\nSaken tas til orientering.\n\n01.10.2020\nKari Nordmann\nfylkesrådsleder\n\n"
            "Orienteringen ble gitt av spesialrådgiver Per Olav Hansen og daglig leder Eva Lund.\n")
    r = analyse_text(text)
    people = {p.name: (p.attendance, p.role) for p in r.participants}
    assert people == {"Kari Nordmann": ("mentioned", "fylkesrådsleder"),
                      "Per Olav Hansen": ("mentioned", "spesialrådgiver"),
                      "Eva Lund": ("mentioned", "daglig leder")}


def test_organisations_are_not_people() -> None:
    doc = nlp()("Prosjektet er et samarbeid med Innovasjon Norge, Østre Toten og Thon Hotell Arendal.")
    assert list(doc.spans["persons"]) == []


def test_minutes_unlabelled_conclusion_under_an_item() -> None:
    text = ("Referat fra styremøte\n\nTid: 4. mars 2025\n\n1. Godkjenning av innkalling\nGodkjent.\n\n"
            "2. Orientering om økonomi\nDaglig leder orienterte om regnskapet.\n")
    r = analyse_text(text)
    assert r.document.doc_type == "minutes"
    assert r.document.meeting_date == "2025-03-04"
    assert [(d.item, d.kind, d.status, d.text) for d in r.decisions] == [("1", "konklusjon", "adopted", "Godkjent.")]


def test_round_table_sections_give_themes_per_region() -> None:
    text = ("Referat\n\n3. Runde rundt bordet\n\nValdres IPR\n\n- Arbeider med ny strategi for reiseliv\n"
            "- Bekymret for sykehus og helsetilbud\n\nHallingdal IPR\n\n- Kraftlinjer og nettkapasitet\n")
    r = analyse_text(text)
    pairs = {(t.region, t.theme) for t in r.topics if t.region}
    assert ("Regionrådet i Valdres", "helse") in pairs
    assert ("Regionrådet for Hallingdal", "energi") in pairs
    assert ("Regionrådet for Hallingdal", "helse") not in pairs


def test_bare_municipality_is_not_an_actor_but_x_kommune_is() -> None:
    r = analyse_text("Saksframlegg\n\nMøtet ble holdt på Gran. Lunner kommune har sendt innspill.\n")
    assert [g.region for g in r.regions] == ["Lunner kommune"]


def test_misspelt_council_heading_is_matched() -> None:
    assert fuzzy_council("Gardermoreregionen IPR") is not None
    assert fuzzy_council("Budsjett og økonomiplan") is None


def test_dates_in_every_usual_form() -> None:
    found = [d for d, _ in find_dates("8. januar 2009, 08.01.09, 2009-01-08, 19. nov. 2024")]
    assert found == ["2009-01-08", "2009-01-08", "2009-01-08", "2024-11-19"]


def test_theme_keywords_match_inflected_and_compound_forms() -> None:
    themes = {t for t, _, _ in theme_hits("Kraftmarkedet, kommuneøkonomien, skolestruktur og boligbygging")}
    assert themes == {"energi", "kommuneokonomi", "kompetanse_utdanning", "bolig"}


def test_named_votes_are_rows_and_the_voters_were_present() -> None:
    text = ("Møteprotokoll\n\nPS 8/25 Kulturhus\n\nInnstilling:\nKulturhuset bygges.\n\n"
            "Innstillingen ble vedtatt med 2 mot 1 stemmer.\n\n"
            "For innstillingen stemte 2: Kari Nordmann (AP), Per Hansen (H)\n"
            "Imot innstillingen stemte 1: Ola Dahl (FrP)\n\nVedtak:\nKulturhuset bygges.\n")
    r = analyse_text(text)
    assert [(v.item, v.proposal, v.name, v.party, v.vote) for v in r.votes] == [
        ("8/25", "innstillingen", "Kari Nordmann", "AP", "for"), ("8/25", "innstillingen", "Per Hansen", "H", "for"),
        ("8/25", "innstillingen", "Ola Dahl", "FrP", "against")]
    people = {p.name: (p.attendance, p.party) for p in r.participants}
    assert people["Ola Dahl"] == ("present", "FrP")


def test_body_place_and_organisation_from_a_protocol_head() -> None:
    text = ("NOME KOMMUNE\n\nMØTEPROTOKOLL\n\nKommunestyret\n\nMøtedato:\t22.09.2022\nMøtested:\tNome rådhus\n\n"
            "PS 1/22 Godkjenning av protokoll\n\nVedtak:\nGodkjent.\n")
    d = analyse_text(text).document
    assert (d.organisation, d.body, d.meeting_date, d.place) == ("Nome kommune", "Kommunestyret", "2022-09-22",
                                                                  "Nome rådhus")


def test_case_document_meeting_date_is_the_treatment_not_the_letter() -> None:
    text = ("Saksframlegg\n\nDato:\t30.05.2023\nSaksbehandler:\tKari Nordmann\n\n"
            "Utvalg\tMøtedato\tUtvalgssak\nRegionrådet\t16.06.2023\t12/23\n\nForslag til vedtak:\nPlanen vedtas.\n")
    d = analyse_text(text).document
    assert (d.doc_type, d.meeting_date, d.body) == ("case", "2023-06-16", "Regionrådet")


def test_substitutes_and_unlisted_first_names_in_attendance_lists() -> None:
    text = ("Møteprotokoll\n\nMøtende varamedlemmer:\nPer Olsen (H) for Kari Hansen (H)\n"
            "Aslakur Rønnevik (Sp) for Ola Dahl (Sp)\n\nDeltok på Teams:\nEva Lund (V)\n")
    people = {p.name: (p.attendance, p.role) for p in analyse_text(text).participants}
    assert people["Per Olsen"] == ("present", "varamedlem")
    assert people["Kari Hansen"] == ("absent", "")
    assert people["Aslakur Rønnevik"] == ("present", "varamedlem")
    assert people["Ola Dahl"] == ("absent", "")
    assert people["Eva Lund"][0] == "remote"


def test_vote_outcome_lines_are_not_decision_text() -> None:
    text = "Møteprotokoll\n\nPS 1/25 Budsjett\n\nVedtak:\nBudsjettet vedtas.\nVedtaket var samrøystes.\n"
    assert [d.text for d in analyse_text(text).decisions] == ["Budsjettet vedtas."]


def test_a_common_word_after_a_name_starts_the_next_column_not_a_surname() -> None:
    """A flattened table runs a name into the next column's first word ("Teknisk sjef"); a common
    word that closes a name in a list ("Hus (SV)") and a party code stay as they were."""
    def names(text: str) -> list[str]:
        doc = nlp()(text)
        return [span.text for span in doc.spans["persons"]]

    assert names("Ola Hansen Teknisk sjef") == ["Ola Hansen"]
    assert names("Kari Olsen Presentasjon av planen") == ["Kari Olsen"]
    assert names("Kari Lid Hus (SV), Ola Berg (H)") == ["Kari Lid Hus", "Ola Berg"]
    assert names("Per Olsen Lund rådgiver") == ["Per Olsen Lund"]
