"""Specification of measures.catalogue: the shipped YAML is valid and honest, and the loader names mistakes."""

from __future__ import annotations

import textwrap

import pytest

from measures.catalogue import DOMAINS, METHODS, POLARITIES, CatalogueError, load_catalogue

NEW_MEASURE = """
  - id: interpreter_needed_pct
    title: Interpreter needed (%)
    definition: People who needed an interpreter.
    numerator: Referrals with an interpreter needed.
    denominator: All referrals.
    unit: "%"
    method: proportion
    polarity: neutral
    reference_group: White British
    source: Local.
    caveats: []
    domain: access
    status: local
"""


def write(tmp_path, text, name="extra.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class TestShippedCatalogue:
    def test_loads_and_every_entry_uses_allowed_values(self):
        catalogue = load_catalogue()
        assert len(catalogue) >= 25
        for measure in catalogue:
            assert measure.polarity in POLARITIES
            assert measure.domain in DOMAINS
            assert measure.method in METHODS

    def test_covers_the_measures_the_issue_asks_for(self):
        ids = set(load_catalogue().ids)
        expected = {
            "mha_detentions_crude_rate",
            "mha_detentions_standardised_rate",
            "cto_crude_rate",
            "s136_crude_rate",
            "feedback_positive_pct",
            "talking_therapies_recovery_pct",
            "talking_therapies_reliable_improvement_pct",
            "talking_therapies_reliable_deterioration_pct",
            "referrals_rate",
            "referral_route_police_pct",
            "seen_within_standard_pct",
            "dna_rate_pct",
            "wres_1_bme_share_by_band",
            "wres_2_shortlisting_relative_likelihood",
            "wres_3_disciplinary_relative_likelihood",
            "wres_4_training_relative_likelihood",
            "wres_9_board_difference",
            "bme_share_vs_local_population",
        }
        for kind in (
            "restraint_physical",
            "restraint_prone",
            "restraint_mechanical",
            "seclusion",
            "segregation",
        ):
            expected |= {f"{kind}_rate", f"{kind}_per_obd"}
        expected |= {"rapid_tranquillisation_rate", "rapid_tranquillisation_per_obd"}
        assert expected <= ids

    def test_no_pcref_measure_claims_to_be_official(self):
        catalogue = load_catalogue()
        assert all(m.status == "pcref_candidate" for m in catalogue.by_domain("pcref"))
        assert "unconfirmed" in catalogue["mha_detentions_crude_rate"].status_label

    def test_wres_indicators_are_official_wres_and_in_the_workforce_domain(self):
        catalogue = load_catalogue()
        wres = [m for m in catalogue if m.id.startswith("wres_")]
        assert {m.status for m in wres} == {"wres_official"}
        assert {m.domain for m in wres} == {"workforce"}

    def test_polarity_gives_the_spc_improvement_direction(self):
        catalogue = load_catalogue()
        assert catalogue["talking_therapies_recovery_pct"].improvement == "increase"
        assert catalogue["mha_detentions_crude_rate"].improvement == "decrease"
        assert catalogue["referrals_rate"].improvement == "neutral"

    def test_to_frame_has_one_row_per_measure(self):
        catalogue = load_catalogue()
        assert len(catalogue.to_frame()) == len(catalogue)


class TestLoadCatalogueMerging:
    def test_an_extra_file_renames_a_measure_by_overriding_only_given_fields(self, tmp_path):
        extra = write(tmp_path, "measures:\n  - id: dna_rate_pct\n    title: Missed appointments (%)\n")
        measure = load_catalogue(extra)["dna_rate_pct"]
        assert measure.title == "Missed appointments (%)"
        assert measure.method == "proportion"

    def test_an_extra_file_adds_and_removes_measures(self, tmp_path):
        extra = write(tmp_path, "measures:" + NEW_MEASURE + "remove: [restraint_mechanical_per_obd]\n")
        catalogue = load_catalogue(extra)
        assert catalogue.ids[-1] == "interpreter_needed_pct"
        assert "restraint_mechanical_per_obd" not in catalogue

    def test_a_trusts_own_fields_go_under_local(self, tmp_path):
        extra = write(tmp_path, "measures:\n  - id: dna_rate_pct\n    local: {owner: Access team}\n")
        assert load_catalogue(extra)["dna_rate_pct"].local == {"owner": "Access team"}


class TestLoadCatalogueValidation:
    def test_duplicate_ids_in_a_file_are_rejected(self, tmp_path):
        path = write(tmp_path, "measures:" + NEW_MEASURE + NEW_MEASURE, name="base.yaml")
        with pytest.raises(CatalogueError, match="duplicate id 'interpreter_needed_pct'"):
            load_catalogue(path=path)

    def test_a_new_measure_must_have_every_required_field(self, tmp_path):
        extra = write(tmp_path, "measures:\n  - id: brand_new\n    title: Something\n")
        with pytest.raises(CatalogueError, match=r"brand_new.*missing required field"):
            load_catalogue(extra)

    def test_polarity_must_be_one_of_the_allowed_values(self, tmp_path):
        extra = write(tmp_path, "measures:\n  - id: dna_rate_pct\n    polarity: good\n")
        with pytest.raises(CatalogueError, match="polarity must be one of"):
            load_catalogue(extra)

    def test_unknown_fields_are_named(self, tmp_path):
        extra = write(tmp_path, "measures:\n  - id: dna_rate_pct\n    polarty: neutral\n")
        with pytest.raises(CatalogueError, match=r"unknown field\(s\) \['polarty'\]"):
            load_catalogue(extra)

    def test_domain_and_method_are_checked(self, tmp_path):
        with pytest.raises(CatalogueError, match="domain must be one of"):
            load_catalogue(write(tmp_path, "measures:\n  - id: dna_rate_pct\n    domain: finance\n"))
        with pytest.raises(CatalogueError, match="method must be one of"):
            load_catalogue(write(tmp_path, "measures:\n  - id: dna_rate_pct\n    method: median\n", "b.yaml"))

    def test_caveats_must_be_a_list_of_text(self, tmp_path):
        extra = write(tmp_path, "measures:\n  - id: dna_rate_pct\n    caveats: just one\n")
        with pytest.raises(CatalogueError, match="caveats"):
            load_catalogue(extra)

    def test_removing_an_unknown_id_is_an_error(self, tmp_path):
        with pytest.raises(CatalogueError, match="cannot remove 'nope'"):
            load_catalogue(write(tmp_path, "remove: [nope]\n"))

    def test_invalid_yaml_names_the_file(self, tmp_path):
        extra = write(tmp_path, "measures: [\n")
        with pytest.raises(CatalogueError, match=r"extra\.yaml: not valid YAML"):
            load_catalogue(extra)

    def test_a_missing_file_names_the_file(self, tmp_path):
        with pytest.raises(CatalogueError, match="cannot read"):
            load_catalogue(tmp_path / "absent.yaml")
