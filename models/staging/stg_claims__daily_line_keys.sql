{#
    The keys that daily runs link claims by, for every claim line: its
    claim, the claim a replacement or void names, the person, the service
    date and the code, with the load batch, and the claim id and data
    source as loaded (base_claims__medical_claim finds the lines of the
    claims in scope by them, without cleaning the history). A full run
    builds it from every line (batch 0); a daily run appends the rows of
    the batches it brings, so the history is not cleaned again each day.
#}

{{ config(
    materialized=mart_materialization(),
    incremental_strategy='append',
    pre_hook=["{{ delete_newer_batches() }}"],
) }}

with

source as (

    select * from {{ source('claims', 'medical_claim') }}
    {%- if is_daily_run() and is_incremental() %}
        where
            {{ safe_integer('load_batch_number') }}
            > {{ var('daily_after_batch') | int }}
    {%- endif %}

),

final as (

    select distinct
        {{ claim_scope_key('claim_id', 'data_source') }} as claim_key,
        {{ clean_text('claim_id') }} as claim_id,
        {{ as_loaded('claim_id') }} as source_claim_id,
        {{ as_loaded('data_source') }} as source_data_source,
        {{ claim_scope_key('original_claim_id', 'data_source') }}
            as original_claim_key,
        {{ clean_text('person_id') }} as person_id,
        coalesce(
            {{ safe_date('claim_line_start_date') }},
            {{ safe_date('claim_start_date') }}
        ) as service_date,
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code,
        {{ daily_key_batch() }} as load_batch_number

    from source
    where {{ clean_text('claim_id') }} is not null

)

select * from final
