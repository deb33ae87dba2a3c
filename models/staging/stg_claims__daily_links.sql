{#
    The links that tie one claim's decisions to another's and that the
    claim lines alone decide: a person and service date (same-day rules:
    E/M, duplicates, add-ons, second initial, prior authorization reaching
    the administration) and a claim id (copies, and a replacement or void
    naming the claim it replaces). One row per claim, link and load batch.
    A full run builds it from every line (batch 0); a daily run appends the
    links of the batches it brings, so the history's links are not built
    again each day. Links through an authorization period depend on the
    authorization file of the day: stg_claims__daily_scope adds them.
#}

{{ config(
    materialized=mart_materialization(),
    incremental_strategy='append',
    pre_hook=["{{ delete_newer_batches() }}"],
) }}

with

claim_days as (

    select * from {{ ref('stg_claims__daily_claim_days') }}
    {%- if is_daily_run() and is_incremental() %}
        where load_batch_number > {{ var('daily_after_batch') | int }}
    {%- endif %}

),

links as (

    select
        claim_key,
        concat('claim|', claim_key) as link_key,
        load_batch_number
    from claim_days

    union all

    select
        claim_key,
        concat('claim|', original_claim_key) as link_key,
        load_batch_number
    from claim_days
    where original_claim_key is not null

    union all

    select
        claim_key,
        concat(
            'day|', person_id, '|', {{ as_text('service_date') }}
        ) as link_key,
        load_batch_number
    from claim_days
    where person_id is not null and service_date is not null

),

final as (

    select distinct
        claim_key,
        link_key,
        load_batch_number

    from links

)

select * from final
