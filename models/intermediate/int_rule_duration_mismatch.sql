{#
    Policy D.I (3): the code must fit the total duration. Applies only when
    documented minutes are supplied (extension column
    administration_minutes). An infusion code needs more than 15 minutes
    (15 or less is a push) and hydration at least 31 (seed column
    min_minutes). For an each-additional-hour add-on the minutes are the
    infusion's total; an additional hour counts only when more than 30
    minutes run past the previous hour, so the units allowed are the whole
    hours past the first plus one for a remainder over 30 minutes.
#}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line and administration_minutes is not null

),

measured as (

    select
        *,
        administration_minutes - 60 as minutes_past_first_hour

    from lines

),

allowed as (

    select
        *,
        case
            when minutes_past_first_hour <= 30 then 0
            else
                floor(minutes_past_first_hour / 60.0)
                + case
                    when
                        minutes_past_first_hour
                        - 60 * floor(minutes_past_first_hour / 60.0) > 30
                        then 1
                    else 0
                end
        end as additional_hours_allowed

    from measured

),

short_hits as (

    select
        claim_line_id,
        'DURATION_MISMATCH' as rule_id,
        concat(
            hcpcs_code, ' needs at least ', {{ as_text('min_minutes') }},
            ' minutes and ', {{ number_text('administration_minutes') }},
            ' are documented'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from allowed
    where min_minutes > 0 and administration_minutes < min_minutes

),

extra_hour_hits as (

    select
        claim_line_id,
        'DURATION_MISMATCH' as rule_id,
        concat(
            {{ number_text('service_unit_quantity') }},
            ' additional hour(s) of ', hcpcs_code, ' billed, but ',
            {{ number_text('administration_minutes') }},
            ' documented minutes support ',
            {{ number_text('additional_hours_allowed') }},
            ' (an hour counts only past 30 minutes)'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from allowed
    where
        is_additional_hour
        and coalesce(service_unit_quantity, 0) > additional_hours_allowed

),

final as (

    select * from short_hits
    union all
    select * from extra_hour_hits

)

select * from final
