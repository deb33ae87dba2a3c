{#
    Every input claim line, cleaned and cast safely, with its raw values
    and its status: accepted, rejected (it cannot be evaluated: the reason
    says why) or superseded (an older copy of the line, or a claim that a
    void or a replacement took the place of). stg_claims__medical_claim
    keeps the accepted lines; rejected_claim_lines reports the others.
    A table, not a view: both read it, and its windows run over every line.
    In a daily run it holds only the claims in stg_claims__daily_scope.
#}

{{ config(materialized='table') }}

with

source as (

    select * from {{ source('claims', 'medical_claim') }}
    {%- if is_daily_run() %}
        where {{ in_daily_scope('claim_id', 'data_source') }}
    {%- endif %}

),

cleaned as (

    select
        -- ids
        {{ clean_text('claim_id') }} as claim_id,
        {{ safe_integer('claim_line_number') }} as claim_line_number,
        coalesce({{ clean_text('data_source') }}, 'unknown') as data_source,
        {{ clean_text('person_id') }} as person_id,
        {{ clean_text('member_id') }} as member_id,
        {{ clean_text('payer') }} as payer,
        {{ clean_text('plan') }} as plan_name,
        lower({{ clean_text('claim_type') }}) as claim_type_raw,

        -- places and bill codes
        {{ pad_code('place_of_service_code', 2) }} as place_of_service_code,
        {{ pad_code('bill_type_code', 4) }} as bill_type_code,
        {{ pad_code('revenue_center_code', 4) }} as revenue_center_code,
        {{ clean_text('drg_code') }} as drg_code,

        -- procedure
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code,
        upper({{ clean_text('hcpcs_modifier_1') }}) as hcpcs_modifier_1,
        upper({{ clean_text('hcpcs_modifier_2') }}) as hcpcs_modifier_2,
        upper({{ clean_text('hcpcs_modifier_3') }}) as hcpcs_modifier_3,
        upper({{ clean_text('hcpcs_modifier_4') }}) as hcpcs_modifier_4,
        upper({{ clean_text('hcpcs_modifier_5') }}) as hcpcs_modifier_5,
        {{ safe_numeric('service_unit_quantity') }} as service_unit_quantity,

        -- drug product (optional extension columns)
        {{ clean_text('ndc_code') }} as ndc_code_raw,
        {{ normalize_ndc('ndc_code') }} as ndc_code,
        {{ safe_numeric('ndc_quantity') }} as ndc_quantity,
        upper({{ clean_text('ndc_unit') }}) as ndc_unit,
        {{ safe_numeric('administration_minutes') }} as administration_minutes,

        -- providers
        {{ clean_text('rendering_npi') }} as rendering_npi,
        {{ clean_text('rendering_tin') }} as rendering_tin,
        {{ clean_text('billing_npi') }} as billing_npi,
        {{ clean_text('billing_tin') }} as billing_tin,
        {{ clean_text('facility_npi') }} as facility_npi,

        -- dates
        {{ safe_date('claim_start_date') }} as claim_start_date,
        {{ safe_date('claim_end_date') }} as claim_end_date,
        {{ safe_date('claim_line_start_date') }} as claim_line_start_date,
        {{ safe_date('claim_line_end_date') }} as claim_line_end_date,
        {{ safe_date('paid_date') }} as paid_date,
        {{ safe_date('file_date') }} as file_date,

        -- amounts
        {{ safe_numeric('paid_amount') }} as paid_amount,
        {{ safe_numeric('allowed_amount') }} as allowed_amount,
        {{ safe_numeric('charge_amount') }} as charge_amount,

        -- diagnosis
        upper({{ clean_text('diagnosis_code_1') }}) as diagnosis_code_1,

        -- versions and loads (optional extension columns)
        {{ clean_text('claim_frequency_code') }} as claim_frequency_sent,
        {{ clean_text('original_claim_id') }} as original_claim_id,
        {{ clean_text('file_name') }} as file_name,
        {{ safe_timestamp('ingest_datetime') }} as ingest_datetime,
        {{ safe_integer('source_row_number') }} as source_row_number,

        -- raw values, kept for the rejected-lines report
        {{ clean_text('claim_id') }} as raw_claim_id,
        {{ clean_text('claim_line_number') }} as raw_claim_line_number,
        {{ clean_text('claim_type') }} as raw_claim_type,
        {{ clean_text('claim_start_date') }} as raw_claim_start_date,
        {{ clean_text('claim_line_start_date') }}
            as raw_claim_line_start_date,
        {{ clean_text('service_unit_quantity') }}
            as raw_service_unit_quantity,
        {{ clean_text('hcpcs_code') }} as raw_hcpcs_code,
        {{ clean_text('bill_type_code') }} as raw_bill_type_code,
        {{ clean_text('place_of_service_code') }}
            as raw_place_of_service_code

    from source

),

derived as (

    select
        *,
        case
            when claim_type_raw in ('professional', 'institutional')
                then claim_type_raw
            when bill_type_code is not null then 'institutional'
            when place_of_service_code is not null then 'professional'
            else 'undetermined'
        end as claim_type,
        coalesce(claim_line_start_date, claim_start_date) as service_date,
        coalesce(
            claim_line_end_date,
            claim_line_start_date,
            claim_end_date,
            claim_start_date
        ) as service_end_date,
        coalesce(billing_npi, billing_tin, rendering_npi)
            as billing_provider_key,
        case
            when billing_npi is not null then 'billing_npi'
            when billing_tin is not null then 'billing_tin'
            when rendering_npi is not null then 'rendering_npi'
        end as billing_provider_key_source,
        coalesce(facility_npi, billing_npi, billing_tin) as facility_key,
        coalesce(
            claim_frequency_sent,
            case
                when length(bill_type_code) = 4
                    then substr(bill_type_code, 4, 1)
            end
        ) as claim_frequency_code

    from cleaned

),

validated as (

    select
        *,
        concat(
            coalesce(claim_id, ''),
            '|',
            coalesce(cast(claim_line_number as {{ dbt.type_string() }}), ''),
            '|',
            data_source
        ) as claim_line_id,
        case
            when claim_id is null then 'missing_claim_id'
            when claim_line_number is null or claim_line_number < 1
                then 'bad_claim_line_number'
            when person_id is null then 'missing_person_id'
            when service_date is null then 'bad_service_date'
            when
                raw_service_unit_quantity is not null
                and (
                    service_unit_quantity is null
                    or service_unit_quantity < 0
                )
                then 'bad_units'
            when claim_type = 'undetermined' then 'undetermined_claim_type'
            when hcpcs_code is null and revenue_center_code is null
                then 'missing_code'
            when hcpcs_code is not null and length(hcpcs_code) != 5
                then 'bad_code_length'
            when billing_provider_key is null then 'missing_provider_id'
        end as invalid_reason

    from derived

),

copies as (

    select
        *,
        case
            when claim_id is null or claim_line_number is null then 1
            else row_number() over (
                partition by claim_id, claim_line_number, data_source
                order by
                    file_date desc nulls last,
                    ingest_datetime desc nulls last,
                    source_row_number desc nulls last
            )
        end as copy_rank

    from validated

),

latest_copies as (

    select * from copies
    where copy_rank = 1

),

superseding_claims as (

    select
        original_claim_id,
        data_source,
        min(claim_id) as superseded_by_claim_id,
        max(
            case when claim_frequency_code = '8' then 1 else 0 end
        ) as is_voided

    from latest_copies
    where
        claim_frequency_code in ('7', '8')
        and original_claim_id is not null
        and original_claim_id != claim_id
    group by original_claim_id, data_source

),

statused as (

    select
        copies.*,
        case
            when copies.copy_rank > 1 then 'older_copy'
            when superseding_claims.is_voided = 1 then 'voided_claim'
            when superseding_claims.original_claim_id is not null
                then 'replaced_claim'
            when copies.claim_frequency_code = '8' then 'void_claim'
        end as superseded_reason,
        superseding_claims.superseded_by_claim_id

    from copies
    left join superseding_claims
        on
            copies.claim_id = superseding_claims.original_claim_id
            and copies.data_source = superseding_claims.data_source

),

final as (

    select
        *,
        case
            when superseded_reason is not null then 'superseded'
            when invalid_reason is not null then 'rejected'
            else 'accepted'
        end as line_status,
        coalesce(superseded_reason, invalid_reason) as status_reason

    from statused

)

select * from final
