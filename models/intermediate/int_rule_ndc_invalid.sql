{#
    Policy D.I.F (National Drug Codes): a drug line must carry a valid NDC in
    the 11-digit 5-4-2 claim form (hyphenated 4-4-2, 5-3-2 and 5-4-1 label
    forms are padded in staging), and its NDC quantity, when given, must be
    positive. The var require_ndc: false switches the check off.
#}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_drug_line

),

final as (

    select
        claim_line_id,
        'NDC_INVALID' as rule_id,
        case
            when ndc_code_raw is null
                then concat('drug line ', hcpcs_code, ' carries no NDC')
            when ndc_code is null
                then concat(
                    'NDC "', ndc_code_raw, '" on drug line ', hcpcs_code,
                    ' cannot be read as 11 digits (5-4-2)'
                )
            else concat(
                'NDC quantity ', {{ number_text('ndc_quantity') }},
                ' on drug line ', hcpcs_code, ' is not positive'
            )
        end as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from lines
    where
        {{ 'true' if var_flag('require_ndc') else 'false' }}
        and (ndc_code is null or ndc_quantity <= 0)

)

select * from final
