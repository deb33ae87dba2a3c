{#
    Line-level checks of the code itself (policy D.I, CPT and modifiers):
    FACILITY_ONLY_CODE, a code reportable by facilities only (96376) on a
    professional claim; MODIFIER_INVALID, a modifier valid only on an E/M
    line (var em_only_modifiers, 25 and 57) on an administration line.
#}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line

),

facility_only_hits as (

    select
        claim_line_id,
        'FACILITY_ONLY_CODE' as rule_id,
        concat(
            hcpcs_code,
            ' is reported by facilities only and is billed on a',
            ' professional claim'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from lines
    where is_facility_only and claim_type = 'professional'

),

modifier_hits as (

    select
        claim_line_id,
        'MODIFIER_INVALID' as rule_id,
        concat(
            'modifier ',
            {{ matching_modifiers('', var('em_only_modifiers')) }},
            ' belongs on an E/M line, not on administration code ',
            hcpcs_code
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from lines
    where {{ has_any_modifier('', var('em_only_modifiers')) }}

),

final as (

    select * from facility_only_hits
    union all
    select * from modifier_hits

)

select * from final
