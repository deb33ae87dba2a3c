{#
    CPT and NCCI (policy D.I): units of a code per person per service date
    above the cap in seed unit_caps (one initial per encounter, 96368 once,
    96369 and 96371 once; a plan adds its MUE values). Units are added up
    across lines in claim and line order, and the line that passes the cap
    is denied, with every later one. A line carrying a modifier of the var
    distinct_service_modifiers (a separate encounter) is checked alone.
#}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line or is_drug_line

),

caps as (

    select * from {{ ref('unit_caps') }}

),

capped as (

    select
        lines.claim_line_id,
        lines.claim_id,
        lines.claim_line_number,
        lines.data_source,
        lines.person_id,
        lines.service_date,
        lines.hcpcs_code,
        coalesce(lines.service_unit_quantity, 0) as units,
        caps.max_units_per_day,
        {{ has_any_modifier('lines', var('distinct_service_modifiers')) }}
            as is_distinct_service

    from lines
    inner join caps
        on lines.hcpcs_code = caps.hcpcs_code

),

counted as (

    select
        *,
        case
            when is_distinct_service then units
            else sum(case when is_distinct_service then 0 else units end)
                over (
                    partition by person_id, service_date, hcpcs_code
                    order by
                        claim_id asc nulls last,
                        claim_line_number asc nulls last,
                        data_source asc nulls last
                    rows between unbounded preceding and current row
                )
        end as units_to_date

    from capped

),

final as (

    select
        claim_line_id,
        'UNITS_OVER_MAX' as rule_id,
        concat(
            {{ number_text('units_to_date') }}, ' units of ', hcpcs_code,
            ' billed for this person on ', {{ as_text('service_date') }},
            ' up to and including this line; the most allowed is ',
            {{ as_text('max_units_per_day') }}
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from counted
    where units_to_date > max_units_per_day

)

select * from final
