"""Document type, owner region, meeting date, regions and topics on short invented snippets: each
test is one cause seen in several real documents (see tests/test_real_corpus_meta.py for the
figures on the real corpus)."""
from __future__ import annotations

import pytest

from extractors.dates import meeting_date_in, years_in
from extractors.nlp import organisation_spans, party_spans, theme_hits
from extractors.owner import body_kind, is_body_word
from tests.helpers import analyse_text

# --------------------------------------------------------------------------- document type

SAKSPROTOKOLL = """Formannskapets behandling av sak 12/2031 i møte den 14.03.2031:

Behandling
Per Olsen (Senterpartiet) fremmet følgende endringsforslag:
Punkt 2 strykes.

Avstemning:
Endringsforslaget ble satt opp mot innstillingen. Innstillingen ble vedtatt med 7 mot 2 stemmer.

Kommunedirektørens forslag til vedtak:
1. Planen vedtas.
2. Kostnadene dekkes av fond.

Vedtak:
Planen vedtas.
"""


def test_a_saksprotokoll_is_a_protocol_though_it_repeats_the_proposal() -> None:
    doc = analyse_text(SAKSPROTOKOLL).document
    assert doc.doc_type == "protocol"
    assert doc.body == "Formannskapet"
    assert doc.meeting_date == "2031-03-14"


def test_an_approved_protocol_in_the_agenda_does_not_make_a_protocol() -> None:
    text = ("14.1.2031\n\nMøte 1-2031 i Tindrådet\n\n1-31 Godkjenning av innkalling og saksliste\n\n"
            "2-31 Godkjenning av protokoll fra møte 5-2030\n\n3-31 Orientering om vegprosjektet\n")
    assert analyse_text(text).document.doc_type == "other"


def test_a_notice_with_proposals_is_a_case_and_without_them_other() -> None:
    with_proposal = ("Innkalling til møte i arbeidsutvalget\n\nTid: Onsdag 5. mars 2031 kl. 10.00\n\n"
                     "Sak 3/31 Referatsaker\nReferat a godkjennes. Referat b tas til orientering.\n")
    without = "Innkalling til møte i arbeidsutvalget\n\nTid: Onsdag 5. mars 2031 kl. 10.00\n\nSak 3/31 Referatsaker\n"
    assert analyse_text(with_proposal).document.doc_type == "case"
    assert analyse_text(without).document.doc_type == "other"


def test_a_web_page_that_opens_with_a_sentence_is_no_slide_deck() -> None:
    lines = ["Tysdag 12. mars hadde rådet felles møte med naborådet, og kvelden før var det felles middag på hotellet."]
    lines += [f"• Punkt {k} i programmet" for k in range(20)]
    assert analyse_text("\n\n".join(lines)).document.doc_type != "presentation"


def test_a_protocol_of_name_lists_is_no_slide_deck() -> None:
    lines = ["Møteprotokoll", "Utvalg: Kommunestyret", "Dato: 03.04.2031"] + [f"Navn{k} Etternavn{k}" for k in range(25)]
    assert analyse_text("\n\n".join(lines)).document.doc_type == "protocol"


# --------------------------------------------------------------------------- owner region


@pytest.mark.parametrize(("body", "kind"), [
    ("Kommunestyret", "municipality"), ("Formannskapet", "municipality"), ("Heradsstyret", "municipality"),
    ("Fylkesutvalet", "county"), ("Fylkestinget", "county"), ("Regionrådet", "council"),
    ("Arbeidsutvalget", "council"), ("Rådet", "council"), ("Ungdomsrådet", "municipality"),
])
def test_a_body_word_tells_whose_body_it_is(body: str, kind: str) -> None:
    assert body_kind(body) == kind


def test_a_body_word_is_a_whole_word_not_a_compound_or_plural() -> None:
    assert is_body_word("Kommunestyrets") and is_body_word("RÅDSMØTE")
    assert not is_body_word("Kommunestyresalen") and not is_body_word("Regionrådene")


def test_owner_from_the_body_name() -> None:
    text = "Møteprotokoll\n\nUtvalg: Hamar formannskap\nMøtested: Rådhuset\nDato: 02.02.2031\n"
    doc = analyse_text(text).document
    assert doc.region == "Hamar kommune"


def test_owner_of_a_municipal_committee_from_its_meeting_place() -> None:
    text = "Møteprotokoll\n\nUtvalg: Kommunestyret\nMøtested: Tynset rådhus\nDato: 02.02.2031\n"
    result = analyse_text(text)
    assert result.document.region == "Tynset kommune"
    assert "Tynset kommune" in {r.region for r in result.regions}  # the owner is an actor


def test_owner_of_a_county_committee_from_a_bare_county_name() -> None:
    text = ("Møteprotokoll\n\nUtval: Fylkesutvalet\nDato: 02.02.2031\n\n"
            "Fylkesordføraren orienterte. Nordland vil delta i arbeidet med ferjeavtalene.\n")
    assert analyse_text(text).document.region == "Nordland fylkeskommune"


def test_owner_is_not_a_surname_that_is_also_a_place() -> None:
    text = "Møteprotokoll for Kommunestyret\n\nMøtedato: 02.02.2031\n\nMedlemmer: Kari Lunde Tynset MEDL H, Ola Dal MEDL AP\n"
    assert analyse_text(text).document.region == ""


def test_owner_of_a_council_meeting_is_the_council_not_a_member_municipality() -> None:
    text = ("MØTEREFERAT RÅDSMØTE\n\nTid: Fredag 7. mars 2031 kl. 10\n"
            "Forfall: Ola Dal, Tynset kommune\n\nHallingdal IPR la fram budsjettet for 2032.\n")
    assert analyse_text(text).document.region == "Regionrådet for Hallingdal"


def test_topics_belong_to_the_owner_and_a_region_section_to_its_region() -> None:
    text = ("Referat fra møte i Regionrådet for Hallingdal\n\nTid: 3. mars 2031\n\n"
            "Sak 1/31 Samferdsel og kollektivtransport i regionen\n"
            "Rådet drøftet kollektivtransport og vegvedlikehold.\n\n"
            "Gol\n\nNy skole er under bygging, og barnehagen utvides.\n\n"
            "Hol\n\nHyttebygging og nye boliger i sentrum.\n")
    result = analyse_text(text)
    pairs = {(t.region, t.theme) for t in result.topics}
    assert ("Regionrådet for Hallingdal", "samferdsel") in pairs
    assert ("Gol kommune", "kompetanse_utdanning") in pairs and ("Hol kommune", "bolig") in pairs
    assert ("Regionrådet for Hallingdal", "bolig") not in pairs  # a section's theme is its region's
    assert all(t.region for t in result.topics)


def test_topics_without_an_owner_have_an_empty_region() -> None:
    text = "Notat\n\nVi drøftet kollektivtransport og nye veger, og samferdsel i hele landet.\n"
    topics = analyse_text(text).topics
    assert topics and {t.region for t in topics} == {""}


# --------------------------------------------------------------------------- meeting date


def test_a_weekday_date_without_a_year_takes_the_year_its_weekday_fits() -> None:
    text = "Regionrådsmøte, fredag 14. desember Møtetid: kl. 10"
    assert meeting_date_in(text, years_in("Sak 048/12 og 049/12")) == "2012-12-14"
    assert meeting_date_in("Tid: Mandag 19. mars kl. 10", [2011]) == "2012-03-19"  # 2012, the year after, fits


def test_a_notice_gives_the_meeting_date_not_the_letter_date() -> None:
    text = "Møteinnkalling\n\nDato: 20.06.2031 kl. 17:00\nSted: Rådhuset\n\nSak 1/31 Referat\nForslag til vedtak: Godkjennes.\n"
    doc = analyse_text(text).document
    assert doc.doc_type == "case" and doc.meeting_date == "2031-06-20"


def test_an_earlier_meeting_and_an_e_mail_date_are_not_the_meeting_date() -> None:
    assert meeting_date_in("Godkjenning av referat fra møte 18.11.2030", []) == ""
    assert meeting_date_in("Sendt: fredag 10. februar 2023 14:32", []) == ""


def test_a_two_day_meeting_is_dated_by_its_first_day() -> None:
    doc = analyse_text("Protokoll\n\nUtvalg: Regionrådet\nDato: 8. - 9. oktober 2030\n").document
    assert doc.meeting_date == "2030-10-08"


# --------------------------------------------------------------------------- names that are not regions or themes


def test_a_party_name_is_no_theme_and_no_region() -> None:
    assert theme_hits("Kari Dal (Helsepartiet) og Ola Lie (Miljøpartiet De Grønne)") == []
    text = "Forslag fra Tverrpolitisk liste for Tynset ble nedstemt."
    assert [text[a:b] for a, b in party_spans(text)] == ["Tverrpolitisk liste for Tynset"]
    result = analyse_text("Protokoll\n\nStemte for: Kari Dal (Tverrpolitisk liste for Tynset)\n\nTynset\n\nNy skole.\n")
    assert "Tynset kommune" in {r.region for r in result.regions}  # the heading still names it
    assert all(r.mention != "Tverrpolitisk liste for Tynset" for r in result.regions)


def test_a_company_or_hotel_named_after_a_place_is_no_region() -> None:
    text = "Innledning ved Kari Dal, Destinasjon Lofoten, og Ola Lie, Tynset Kraft, på Rica Hotell Alta."
    assert {text[a:b] for a, b in organisation_spans(text)} >= {"Destinasjon Lofoten", "Tynset Kraft"}
    regions = analyse_text("Referat\n\nDeltakere:\n\n" + text + "\n").regions
    assert not {"Tynset kommune", "Alta kommune"} & {r.region for r in regions}


def test_names_of_people_places_and_roles_give_no_theme() -> None:
    text = ("Referat fra styremøte\n\nMøtested: Miljøbygget Tid: 3. mars 2031\n\n"
            "Til stede: Einar Strøm, Kari Strøm og Ola Dal\n\nInnledning ved Kari Strøm og Einar Strøm.\n\n"
            "Sak 1/31 Godkjenning av innkalling\nInnkallingen godkjennes.\n")
    themes = {t.theme for t in analyse_text(text).topics}
    assert "energi" not in themes and "klima_miljo" not in themes


# --------------------------------------------------------------------------- regions named as actors


def test_member_municipalities_in_a_list_are_regions() -> None:
    text = "Regionrådet\n\nMedlemmer er Gol, Hol, Ål og Hemsedal, som møtte med ordførarane.\n"
    assert {"Gol kommune", "Hol kommune", "Ål kommune", "Hemsedal kommune"} <= {r.region for r in analyse_text(text).regions}


def test_a_municipality_after_a_mayors_title_is_a_region() -> None:
    text = "Referat\n\nInnleiing ved ordførar i Tokke om vegsaka.\n"
    assert "Tokke kommune" in {r.region for r in analyse_text(text).regions}


def test_a_former_municipality_and_a_herad_are_regions() -> None:
    text = "Protokoll\n\nTil stades: ordførarane frå Lindås, Meland og Radøy kommune, og Ullensvang herad.\n"
    regions = {r.region for r in analyse_text(text).regions}
    assert {"Lindås kommune", "Meland kommune", "Radøy kommune", "Ullensvang kommune"} <= regions


def test_registry_runs_each_extractor_after_what_it_needs() -> None:
    from extractors.registry import EXTRACTORS, NEEDS, check_order

    assert set(NEEDS) == set(EXTRACTORS)
    assert check_order(list(EXTRACTORS), NEEDS) == []


def test_a_round_run_into_one_line_gives_each_region_its_topics() -> None:
    text = ("Protokoll fra møte i Regionrådet for Hallingdal\n\nTid: 3. mars 2031\n\n"
            "Nytt fra kommunene: Gol: Ny skole og barnehage. Hol: Nye boliger i sentrum og hyttebygging.\n")
    result = analyse_text(text)
    pairs = {(t.region, t.theme) for t in result.topics}
    assert ("Gol kommune", "kompetanse_utdanning") in pairs and ("Hol kommune", "bolig") in pairs
    assert ("Gol kommune", "bolig") not in pairs and ("Regionrådet for Hallingdal", "bolig") not in pairs
    assert {"Gol kommune", "Hol kommune"} <= {r.region for r in result.regions}


def test_an_election_boards_protocol_is_a_protocol_of_its_municipality() -> None:
    lines = ["Valgprotokoll for valgstyret i Tynset kommune", "Kommunestyrevalget 2031", "Valgstyrets medlemmer:"]
    lines += [f"Etternavn{k}, Fornavn{k}" for k in range(20)]
    doc = analyse_text("\n\n".join(lines)).document
    assert doc.doc_type == "protocol" and doc.region == "Tynset kommune"
    assert body_kind("Valgstyret") == "municipality" and body_kind("Fylkesvalgstyret") == "county"


def test_an_e_mails_addressees_are_not_the_body() -> None:
    text = ("Fra: Kari Dal <kari@example.no>\nSendt: fredag 10. mars 2031 14:32\n"
            "Til: Rådet - medlemmer; Rådmannsutvalget i Hallingdal\n"
            "Emne: Referat fra møte i Regionrådet for Hallingdal 8. mars 2031\n\nHei alle!\n")
    doc = analyse_text(text).document
    assert doc.body != "Rådmannsutvalget" and doc.region == "Regionrådet for Hallingdal"


def test_idioms_addresses_and_restructuring_of_an_organisation_give_no_theme() -> None:
    assert theme_hits("Hva er oppnådd, og veien videre") == []
    assert {t for t, _, _ in theme_hits("Omstilling av regionrådet")} == set()
    assert {t for t, _, _ in theme_hits("Økonomisk omstilling i kommunene")} == {"kommuneokonomi"}
    text = "Notat\n\nOpptak: https://example.no/nett-tv og e-post post@kraft.example.no\n"
    assert {t.theme for t in analyse_text(text).topics} == set()


def test_a_member_list_names_municipalities_not_councils_and_a_spaced_hyphen_is_read() -> None:
    regions = {r.region for r in analyse_text("Referat\n\nMedlemmer: Vennesla, Lindesnes og Iveland.\n").regions}
    assert "Lindesnes kommune" in regions and "Lindesnesrådet" not in regions
    text = "Referat\n\nDeltakere: Kari Dal, Sør - Trøndelag fylkeskommune\n"
    assert "Sør-Trøndelag fylkeskommune" in {r.region for r in analyse_text(text).regions}


def test_a_title_in_the_head_is_no_body() -> None:
    text = "Status for regionene\n\nFylkesråd for samferdsel Kari Dal og rådgiver Ola Lie\n\nVeien videre.\n"
    assert analyse_text(text).document.body == ""


def test_an_agreement_lists_members_to_describe_the_region_not_as_actors() -> None:
    text = ("Avtale om regionalt partnerskap\n\nAvtalen er mellom Vestland fylkeskommune og Regionrådet for "
            "Hallingdal.\n\nRegionen består av Gol, Hol, Ål og Hemsedal. Avtalepartene skal samarbeide om næring.\n\n"
            "Avtalen trer i kraft ved underskrift.\n")
    result = analyse_text(text)
    assert result.document.doc_type == "agreement"
    assert not {"Gol kommune", "Hol kommune"} & {r.region for r in result.regions}


def test_a_long_saksliste_does_not_make_a_notice_slides() -> None:
    items = "\n".join(f"Sak {n}/2013 Orientering om prosjekt nummer {n}" for n in range(40, 60))
    text = f"Innkalling til møte i rådet\n\nStad: Rådhuset\nDato: 26. november 2013\n\nSakliste\n{items}\n"
    assert analyse_text(text).document.doc_type != "presentation"
