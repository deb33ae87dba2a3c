{#
    stg_claims__daily_line_keys without the code: one row per claim,
    person, service date and load batch (a claim's lines mostly share a
    date, so the links are built from this smaller set). Appended like
    the line keys in a daily run.
#}

{{ config(
    materialized=mart_materialization(),
    incremental_strategy='append',
    pre_hook=["{{ delete_newer_batches() }}"],
) }}

with

line_keys as (

    select * from {{ ref('stg_claims__daily_line_keys') }}
    {%- if is_daily_run() and is_incremental() %}
        where load_batch_number > {{ var('daily_after_batch') | int }}
    {%- endif %}

),

final as (

    select distinct
        claim_key,
        claim_id,
        source_claim_id,
        source_data_source,
        original_claim_key,
        person_id,
        service_date,
        load_batch_number

    from line_keys

)

select * from final
