{#
    Every input line the policy does not evaluate, with the reason and the
    values as sent: rejected lines (they cannot be evaluated) and
    superseded lines (older copies, voided or replaced claims, with the
    claim that took their place). Input lines = staged lines + these.
    In a daily run only the claims in stg_claims__daily_scope are decided
    again; their old rows are deleted first, the others stay.
#}

{{ config(
    materialized=mart_materialization(),
    incremental_strategy='append',
    pre_hook=["{{ delete_daily_scope() }}"],
) }}

-- depends_on: {{ ref('stg_claims__daily_scope') }}

with

base as (

    select * from {{ ref('base_claims__medical_claim') }}
    where line_status != 'accepted'

),

reasons as (

    select * from {{ ref('rejection_reasons') }}

),

admin_codes as (

    select * from {{ ref('drug_administration_codes') }}

),

drug_codes as (

    select * from {{ ref('drug_hcpcs_codes') }}

),

compacted as (

    select
        *,
        concat(
            claim_line_id,
            '|row ',
            coalesce({{ as_text('source_row_number') }}, '?'),
            '|copy ',
            {{ as_text('copy_rank') }}
        ) as rejected_line_id,
        upper(replace(coalesce(raw_hcpcs_code, ''), ' ', '')) as code_as_read

    from base

),

codes as (

    select distinct code_as_read from compacted

),

drug_like as (

    select distinct codes.code_as_read

    from codes
    inner join drug_codes
        on
            codes.code_as_read >= drug_codes.hcpcs_code_from
            and codes.code_as_read <= drug_codes.hcpcs_code_to
            and length(codes.code_as_read)
            = length(drug_codes.hcpcs_code_from)

),

final as (

    select
        compacted.rejected_line_id,
        compacted.claim_line_id,
        compacted.claim_id,
        compacted.claim_line_number,
        compacted.data_source,
        compacted.person_id,
        compacted.line_status,
        compacted.status_reason as reason_code,
        reasons.description as reason,
        compacted.superseded_by_claim_id,
        compacted.code_as_read,
        case
            when admin_codes.hcpcs_code is not null then 'administration'
            when
                drug_like.code_as_read is not null
                or {{ in_list(
                    'substr(compacted.code_as_read, 1, 1)',
                    var('drug_code_prefixes'),
                    case_insensitive=true
                ) }}
                then 'drug'
            else 'other'
        end as line_kind,
        compacted.service_date,
        compacted.allowed_amount,
        compacted.paid_amount,
        compacted.source_row_number,
        compacted.file_name,
        compacted.file_date,
        compacted.raw_claim_id,
        compacted.raw_claim_line_number,
        compacted.raw_claim_type,
        compacted.raw_claim_start_date,
        compacted.raw_claim_line_start_date,
        compacted.raw_service_unit_quantity,
        compacted.raw_hcpcs_code,
        compacted.raw_bill_type_code,
        compacted.raw_place_of_service_code

    from compacted
    left join reasons
        on compacted.status_reason = reasons.reason_code
    left join admin_codes
        on compacted.code_as_read = admin_codes.hcpcs_code
    left join drug_like
        on compacted.code_as_read = drug_like.code_as_read

)

select * from final
