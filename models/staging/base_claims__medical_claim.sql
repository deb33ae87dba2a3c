{#
    Every input claim line, cleaned and cast safely, with its raw values
    and its status: accepted, rejected (it cannot be evaluated: the reason
    says why) or superseded (an older copy of the line, or a claim that a
    void or a replacement took the place of). stg_claims__medical_claim
    keeps the accepted lines; rejected_claim_lines reports the others.
    A table, not a view: both read it. Copies are ranked and voids and
    replacements found on narrow reads of the source, so that at volume
    no window or repeated CTE holds every wide line (they spill to disk).
    In a daily run it holds only the claims in stg_claims__daily_scope.
#}

-- The daily-run CTE is a whole CTE, not an indented block.
-- sqlfluff:indentation:template_blocks_indent:false

{{ config(materialized='table') }}

{#- The claim lines to read: every line, or in a daily run the lines of the
    claims in scope (a CTE, read three times: DuckDB keeps its few rows
    as a temporary table rather than scanning the history three times). #}
{%- set claim_lines = 'scoped_lines' if is_daily_run()
    else source('claims', 'medical_claim') %}

with

{% if is_daily_run() -%}
-- The lines of the claims in scope, found by their claim id and data
-- source as loaded (a join, without cleaning every line of the history),
-- and every line with no claim id (rejected on its own, whatever came).
scoped_lines as (

    select history.*
    from {{ source('claims', 'medical_claim') }} as history
    inner join {{ ref('stg_claims__daily_scope') }} as scope
        on
            history.claim_id = scope.source_claim_id
            and {{ as_loaded('history.data_source') }}
            = scope.source_data_source

    union all

    select * from {{ source('claims', 'medical_claim') }}
    where
        {#- Cheap test first: trim removes only space characters (ASCII and
            Unicode ones such as the no-break space), none of them a letter
            or digit, so an id that cleans to nothing is null or starts
            before '0' or from '{' on in byte order (ASCII spaces and
            controls, and every non-ASCII character). #}
        (claim_id is null or claim_id < '0' or claim_id >= '{')
        and {{ clean_text('claim_id') }} is null

),

{% endif -%}
-- Narrow: the cleaned key and versioning columns of every line.
versions as (

    select {{ claim_line_version_columns() }}
    from {{ claim_lines }}

),

copied_lines as (

    select
        claim_id,
        claim_line_number,
        data_source

    from versions
    where claim_id is not null and claim_line_number is not null
    group by claim_id, claim_line_number, data_source
    having count(*) > 1

),

ranked_versions as (

    select
        versions.*,
        row_number() over (
            partition by
                versions.claim_id,
                versions.claim_line_number,
                versions.data_source
            order by {{ copy_order('versions') }}
        ) as copy_rank

    from versions
    inner join copied_lines
        on
            versions.claim_id = copied_lines.claim_id
            and versions.claim_line_number = copied_lines.claim_line_number
            and versions.data_source = copied_lines.data_source

),

-- The latest copy of each line that voids or replaces another claim
-- (a line sent once, or without a usable key, is its own latest copy).
superseding_versions as (

    select
        claim_id,
        data_source,
        original_claim_id,
        claim_frequency_code

    from versions
    where
        claim_frequency_code in ('7', '8')
        and original_claim_id is not null
        and original_claim_id != claim_id
        and not exists (
            select 1 from copied_lines
            where
                versions.claim_id = copied_lines.claim_id
                and versions.claim_line_number
                = copied_lines.claim_line_number
                and versions.data_source = copied_lines.data_source
        )

    union all

    select
        claim_id,
        data_source,
        original_claim_id,
        claim_frequency_code

    from ranked_versions
    where
        copy_rank = 1
        and claim_frequency_code in ('7', '8')
        and original_claim_id is not null
        and original_claim_id != claim_id

),

superseding_claims as (

    select
        original_claim_id,
        data_source,
        min(claim_id) as superseded_by_claim_id,
        max(
            case when claim_frequency_code = '8' then 1 else 0 end
        ) as is_voided

    from superseding_versions
    group by original_claim_id, data_source

),

-- Wide: every column. A line sent once is its own latest copy; the copies
-- of a line sent more than once are ranked, the latest first, by a window
-- over those lines only.
single_copy_source as (

    select
        raw_lines.*,
        1 as copy_rank

    from {{ claim_lines }} as raw_lines
    left join copied_lines
        on {{ copy_key_matches('raw_lines', 'copied_lines') }}
    where copied_lines.claim_id is null

),

multi_copy_source as (

    select
        raw_lines.*,
        row_number() over (
            partition by
                copied_lines.claim_id,
                copied_lines.claim_line_number,
                copied_lines.data_source
            order by {{ copy_order('raw_lines', raw=true) }}
        ) as copy_rank

    from {{ claim_lines }} as raw_lines
    inner join copied_lines
        on {{ copy_key_matches('raw_lines', 'copied_lines') }}

),

ranked_source as (

    select * from single_copy_source
    union all
    select * from multi_copy_source

),

cleaned as (

    select
        -- ids, copies and versions
        {{ claim_line_version_columns() }},
        copy_rank,
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

        -- amounts
        {{ safe_numeric('paid_amount') }} as paid_amount,
        {{ safe_numeric('allowed_amount') }} as allowed_amount,
        {{ safe_numeric('charge_amount') }} as charge_amount,

        -- diagnosis
        upper({{ clean_text('diagnosis_code_1') }}) as diagnosis_code_1,

        -- versions and loads (optional extension columns)
        {{ clean_text('claim_frequency_code') }} as claim_frequency_sent,
        {{ clean_text('file_name') }} as file_name,

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

    from ranked_source

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
        coalesce(facility_npi, billing_npi, billing_tin) as facility_key

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

statused as (

    select
        validated.*,
        case
            when validated.copy_rank > 1 then 'older_copy'
            when superseding_claims.is_voided = 1 then 'voided_claim'
            when superseding_claims.original_claim_id is not null
                then 'replaced_claim'
            when validated.claim_frequency_code = '8' then 'void_claim'
        end as superseded_reason,
        superseding_claims.superseded_by_claim_id

    from validated
    left join superseding_claims
        on
            validated.claim_id = superseding_claims.original_claim_id
            and validated.data_source = superseding_claims.data_source

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
