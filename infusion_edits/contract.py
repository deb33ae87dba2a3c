"""The input contract: which tables and columns the project reads.

Column names follow The Tuva Project's input layer (`medical_claim`), plus
optional extension columns for the drug product on a claim line.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTRACT_DOC = "README.md#input-contract"


@dataclass(frozen=True)
class TableContract:
    """Columns of one input table: those a build cannot run without, and
    those it reads when present (absent ones are loaded as empty)."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    required_table: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


MEDICAL_CLAIM = TableContract(
    name="medical_claim",
    required=(
        "claim_id",
        "claim_line_number",
        "person_id",
        "claim_start_date",
        "hcpcs_code",
    ),
    optional=(
        "claim_type",
        "member_id",
        "payer",
        "plan",
        "claim_end_date",
        "claim_line_start_date",
        "claim_line_end_date",
        "place_of_service_code",
        "bill_type_code",
        "drg_code",
        "revenue_center_code",
        "service_unit_quantity",
        "hcpcs_modifier_1",
        "hcpcs_modifier_2",
        "hcpcs_modifier_3",
        "hcpcs_modifier_4",
        "hcpcs_modifier_5",
        "rendering_npi",
        "rendering_tin",
        "billing_npi",
        "billing_tin",
        "facility_npi",
        "paid_date",
        "paid_amount",
        "allowed_amount",
        "charge_amount",
        "diagnosis_code_1",
        "data_source",
        "file_date",
        "ndc_code",
        "ndc_quantity",
        "ndc_unit",
        "administration_minutes",
        "claim_frequency_code",
        "original_claim_id",
        "file_name",
        "ingest_datetime",
        "source_row_number",
    ),
)

# Filled by the DuckDB loader with the row's position in its file when the
# file has no such column, so that a rejected line can be found again.
ROW_NUMBER_COLUMN = "source_row_number"

PRIOR_AUTHORIZATION = TableContract(
    name="prior_authorization",
    required=(
        "authorization_id",
        "person_id",
        "hcpcs_code",
        "start_date",
        "end_date",
        "status",
    ),
    optional=("authorized_units",),
    required_table=False,
)

TABLES: tuple[TableContract, ...] = (MEDICAL_CLAIM, PRIOR_AUTHORIZATION)
