{#
    What daily runs link claims by, for every claim and day it has a line
    on: the claim (with its id and data source as loaded, by which
    base_claims__medical_claim finds its lines without cleaning the
    history), the claim a replacement or void names, the person and the
    service date, with the load batch, and the links as numbers
    (key_hash): the claim, the person-day, the named claim, and the
    person and claim id without the data source (the decisions mart dates
    the evidence claim by its id among the person's claims). A full run
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
        where {{ is_newer_batch(safe_integer('load_batch_number')) }}
    {%- endif %}

),

claim_days as (

    select distinct
        {{ claim_scope_key('claim_id', 'data_source') }} as claim_key,
        {{ clean_text('claim_id') }} as claim_id,
        {{ as_loaded('claim_id') }} as source_claim_id,
        {{ as_loaded('data_source') }} as source_data_source,
        {{ claim_scope_key('original_claim_id', 'data_source') }}
            as original_claim_key,
        {{ clean_text('person_id') }} as person_id,
        {{ loaded_service_date() }} as service_date,
        {{ daily_key_batch() }} as load_batch_number

    from source
    where {{ clean_text('claim_id') }} is not null

),

final as (

    select
        claim_key,
        claim_id,
        source_claim_id,
        source_data_source,
        original_claim_key,
        person_id,
        service_date,
        load_batch_number,
        {{ key_hash('claim_key') }} as claim_hash,
        case
            when person_id is not null and service_date is not null
                then {{ key_hash(
                    "concat('day|', person_id, '|', "
                    ~ as_text('service_date') ~ ")"
                ) }}
        end as day_hash,
        {{ key_hash('original_claim_key') }} as original_claim_hash,
        case
            when person_id is not null
                then {{ key_hash("concat('id|', person_id, '|', claim_id)") }}
        end as person_claim_id_hash

    from claim_days

)

select * from final
