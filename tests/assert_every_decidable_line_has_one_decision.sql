{#
    Reconciliation, line by line: every input line is staged or reported in
    rejected_claim_lines, never both and never neither (counted on the raw
    source); every administration and drug line that was staged, or
    rejected as not evaluable, has exactly one row in the decision mart;
    the mart has no other row. Returns the lines or counts that break this.
    A daily run checks the claims it decided again (the marts keep the
    others from earlier runs, the staging models hold only these).
#}

with

source_rows as (

    select count(*) as row_count
    from {{ source('claims', 'medical_claim') }}
    where {{ in_scope_of_run() }}

),

staged_rows as (

    select count(*) as row_count
    from {{ ref('stg_claims__medical_claim') }}

),

rejected_rows as (

    select count(*) as row_count
    from {{ ref('rejected_claim_lines') }}
    where {{ in_scope_of_run() }}

),

decidable as (

    select claim_line_id from {{ ref('int_claim_lines_classified') }}
    where is_admin_line or is_drug_line

    union all

    select rejected_line_id as claim_line_id
    from {{ ref('rejected_claim_lines') }}
    where
        line_status = 'rejected'
        and line_kind != 'other'
        and {{ in_scope_of_run() }}

),

decisions as (

    select
        claim_line_id,
        count(*) as decision_rows

    from {{ ref('admin_line_decisions') }}
    where {{ in_scope_of_run() }}
    group by claim_line_id

),

count_mismatch as (

    select
        'input rows != staged rows + rejected rows' as claim_line_id,
        'counts' as problem

    from source_rows
    cross join staged_rows
    cross join rejected_rows
    where
        source_rows.row_count
        != staged_rows.row_count + rejected_rows.row_count

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

final as (

    select * from count_mismatch
    union all
    select * from missing
    union all
    select * from doubled
    union all
    select * from unexpected

)

select * from final
