{#
    Reconciliation: every administration and drug line of the staged input
    has exactly one row in the decision mart, and the mart has no other
    line. Returns the lines that break this.
#}

with

decidable as (

    select claim_line_id from {{ ref('int_claim_lines_classified') }}
    where is_admin_line or is_drug_line

),

staged as (

    select claim_line_id from {{ ref('stg_claims__medical_claim') }}

),

decisions as (

    select
        claim_line_id,
        count(*) as decision_rows

    from {{ ref('admin_line_decisions') }}
    group by claim_line_id

),

missing as (

    select
        decidable.claim_line_id,
        'no decision' as problem

    from decidable
    left join decisions
        on decidable.claim_line_id = decisions.claim_line_id
    where decisions.claim_line_id is null

),

doubled as (

    select
        claim_line_id,
        'more than one decision' as problem

    from decisions
    where decision_rows > 1

),

unexpected as (

    select
        decisions.claim_line_id,
        'decision for a line that is not an administration or drug line'
            as problem

    from decisions
    left join decidable
        on decisions.claim_line_id = decidable.claim_line_id
    where decidable.claim_line_id is null

),

lost as (

    select
        staged.claim_line_id,
        'staged line missing from classification' as problem

    from staged
    left join {{ ref('int_claim_lines_classified') }} as classified
        on staged.claim_line_id = classified.claim_line_id
    where classified.claim_line_id is null

),

final as (

    select * from missing
    union all
    select * from doubled
    union all
    select * from unexpected
    union all
    select * from lost

)

select * from final
