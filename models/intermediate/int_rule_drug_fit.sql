{#
    Policy D.I (1) and (2), and D.II.A: the administration code must fit the
    substance and the route of the drugs billed with it (same person,
    service date and billing provider), and an injection has two
    components, so a drug is expected with it. These checks send the line
    to review: ROUTE_MISMATCH (no drug of the encounter has a usual route
    that fits the code; drugs of unknown route are given the benefit of the
    doubt), SUBSTANCE_MISMATCH (see int_admin_encounters), NO_DRUG_BILLED.
#}

with

encounters as (

    select * from {{ ref('int_admin_encounters') }}

),

route_hits as (

    select
        claim_line_id,
        'ROUTE_MISMATCH' as rule_id,
        concat(
            hcpcs_code, ' is given by ',
            case admin_route
                when 'iv_infusion' then 'IV infusion'
                when 'iv_push' then 'IV push'
                when 'sc_im_injection' then 'SC or IM injection'
                when 'sc_infusion' then 'SC infusion'
                when 'sc_on_body' then 'an SC on-body injector'
                when 'intra_arterial' then 'intra-arterial route'
                else admin_route
            end,
            ', and no drug billed with it (',
            first_drug_code,
            case
                when drug_lines > 1 then concat(' .. ', last_drug_code)
                else ''
            end,
            ') is usually given by that route'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from encounters
    where
        is_route_checked
        and drug_lines > 0
        and unknown_route_drug_lines = 0
        and fitting_route_drug_lines = 0

),

substance_hits as (

    select
        claim_line_id,
        'SUBSTANCE_MISMATCH' as rule_id,
        concat(
            hcpcs_code, ' is ', substance_mismatch, ' (drugs billed: ',
            first_drug_code,
            case
                when drug_lines > 1 then concat(' .. ', last_drug_code)
                else ''
            end,
            ')'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from encounters
    where substance_mismatch is not null

),

no_drug_hits as (

    select
        claim_line_id,
        'NO_DRUG_BILLED' as rule_id,
        concat(
            'no drug line for the same person, date and billing provider',
            ' accompanies ', hcpcs_code
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from encounters
    where requires_drug_line and drug_lines = 0

),

final as (

    select * from route_hits
    union all
    select * from substance_hits
    union all
    select * from no_drug_hits

)

select * from final
