with

source as (

    select * from {{ source('claims', 'medical_claim') }}

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
        upper({{ clean_text('diagnosis_code_1') }}) as diagnosis_code_1

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
        coalesce(facility_npi, billing_npi, billing_tin) as facility_key

    from cleaned

),

final as (

    select
        concat(
            coalesce(claim_id, ''),
            '|',
            coalesce(cast(claim_line_number as {{ dbt.type_string() }}), ''),
            '|',
            data_source
        ) as claim_line_id,
        claim_id,
        claim_line_number,
        data_source,
        person_id,
        member_id,
        payer,
        plan_name,
        claim_type,
        place_of_service_code,
        bill_type_code,
        revenue_center_code,
        drg_code,
        hcpcs_code,
        hcpcs_modifier_1,
        hcpcs_modifier_2,
        hcpcs_modifier_3,
        hcpcs_modifier_4,
        hcpcs_modifier_5,
        service_unit_quantity,
        ndc_code_raw,
        ndc_code,
        ndc_quantity,
        ndc_unit,
        administration_minutes,
        rendering_npi,
        rendering_tin,
        billing_npi,
        billing_tin,
        facility_npi,
        billing_provider_key,
        billing_provider_key_source,
        facility_key,
        claim_start_date,
        claim_end_date,
        claim_line_start_date,
        claim_line_end_date,
        service_date,
        service_end_date,
        paid_date,
        file_date,
        paid_amount,
        allowed_amount,
        charge_amount,
        diagnosis_code_1

    from derived

)

select * from final
