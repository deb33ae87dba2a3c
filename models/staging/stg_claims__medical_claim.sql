{#
    The claim lines the policy evaluates: accepted lines only, one copy per
    line (the latest file), claims that were not voided or replaced.
#}

with

base as (

    select * from {{ ref('base_claims__medical_claim') }}
    where line_status = 'accepted'

),

final as (

    select
        claim_line_id,
        claim_id,
        claim_line_number,
        data_source,
        person_id,
        member_id,
        payer,
        plan_name,
        claim_type,
        claim_frequency_code,
        original_claim_id,
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

    from base

)

select * from final
