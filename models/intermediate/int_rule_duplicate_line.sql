{#
    NCCI (policy D.I.A): the same service billed twice. Lines with the same
    person, service date, code, modifiers, units and billing provider on
    different claims are duplicates; the first by paid date, then file date,
    then claim id and line is kept, and lines on any other claim are denied.
    Repeated lines inside one claim are left to the units checks.
#}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where
        (is_admin_line or is_drug_line)
        and person_id is not null
        and service_date is not null

),

keyed as (

    select
        *,
        concat_ws(
            '|',
            person_id,
            {{ as_text('service_date') }},
            hcpcs_code,
            coalesce(hcpcs_modifier_1, ''),
            coalesce(hcpcs_modifier_2, ''),
            coalesce(hcpcs_modifier_3, ''),
            coalesce(hcpcs_modifier_4, ''),
            coalesce(hcpcs_modifier_5, ''),
            coalesce({{ as_text('service_unit_quantity') }}, ''),
            coalesce(billing_provider_key, '')
        ) as duplicate_key

    from lines

),

ranked as (

    select
        *,
        row_number() over (
            partition by duplicate_key
            order by
                paid_date asc nulls last,
                file_date asc nulls last,
                claim_id asc nulls last,
                claim_line_number asc nulls last,
                data_source asc nulls last
        ) as line_order

    from keyed

),

kept as (

    select * from ranked
    where line_order = 1

),

ordered as (

    select
        ranked.*,
        kept.claim_id as kept_claim_id,
        kept.claim_line_number as kept_claim_line_number

    from ranked
    inner join kept
        on ranked.duplicate_key = kept.duplicate_key

),

final as (

    select
        claim_line_id,
        'DUPLICATE_LINE' as rule_id,
        concat(
            'the same ', hcpcs_code, ' (same person, date, modifiers, units',
            ' and billing provider) is on claim ', kept_claim_id,
            ' line ', {{ as_text('kept_claim_line_number') }},
            ', which is kept'
        ) as evidence,
        kept_claim_id as evidence_claim_id,
        kept_claim_line_number as evidence_claim_line_number

    from ordered
    where claim_id != kept_claim_id

)

select * from final
