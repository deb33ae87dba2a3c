{#
    CPT and NCCI (policy D.I.A, D.I.B): one initial infusion or push per
    encounter. When an encounter (same person, service date and billing
    provider) has more than one line of an initial code reported once per
    encounter, the line highest in the hierarchy is kept (chemotherapy over
    therapeutic over hydration, infusion over push, then the earliest line)
    and the others are denied, unless they carry a modifier of the var
    distinct_service_modifiers (separate access site or encounter).
#}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}

),

initials as (

    select
        *,
        row_number() over (
            partition by person_id, service_date, billing_provider_key
            order by
                hierarchy_rank asc nulls last,
                claim_id asc nulls last,
                claim_line_number asc nulls last,
                data_source asc nulls last
        ) as initial_order

    from lines
    where is_admin_line and is_one_per_encounter

),

kept as (

    select * from initials
    where initial_order = 1

),

final as (

    select
        initials.claim_line_id,
        'SECOND_INITIAL' as rule_id,
        concat(
            'the encounter already has initial service ', kept.hcpcs_code,
            ' on claim ', kept.claim_id,
            ' line ', {{ as_text('kept.claim_line_number') }},
            ', which ranks first; a second initial ', initials.hcpcs_code,
            ' needs a modifier for a separate access site or encounter'
        ) as evidence,
        kept.claim_id as evidence_claim_id,
        kept.claim_line_number as evidence_claim_line_number

    from initials
    inner join kept
        on
            initials.person_id = kept.person_id
            and initials.service_date = kept.service_date
            and initials.billing_provider_key = kept.billing_provider_key
    where
        initials.initial_order > 1
        and not {{ has_any_modifier(
            'initials', var('distinct_service_modifiers')
        ) }}

)

select * from final
