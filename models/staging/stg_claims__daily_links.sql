{#
    Daily runs only (empty in a full build): what ties one claim's decisions
    to another's. Two claims are tied when they share a link: a person and
    a service date (same-day rules: E/M, duplicates, add-ons, second
    initial, prior authorization reaching the administration), a claim id
    (copies, and a replacement or void naming the claim it replaces), or an
    authorization period (prior-authorized units add up across claims).
    One row per claim and link; is_new marks claims with a line loaded after
    the last decided batch; pa_changed marks claims with a line whose
    person and code have an authorization that was added, changed or
    removed since the last decided load.
#}

-- The two branches are whole queries, not indented blocks.
-- sqlfluff:indentation:template_blocks_indent:false

{{ config(materialized='table') }}

{% if is_daily_run() %}

with

source as (

    select * from {{ source('claims', 'medical_claim') }}

),

authorizations_now as (

    select * from {{ source('claims', 'prior_authorization') }}

),

authorizations_before as (

    select * from {{ source('claims', 'prior_authorization_previous') }}

),

line_keys as (

    select
        {{ claim_scope_key('claim_id', 'data_source') }} as claim_key,
        {{ claim_scope_key('original_claim_id', 'data_source') }}
            as original_claim_key,
        {{ clean_text('person_id') }} as person_id,
        coalesce(
            {{ safe_date('claim_line_start_date') }},
            {{ safe_date('claim_start_date') }}
        ) as service_date,
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code,
        case
            when
                {{ safe_integer('load_batch_number') }}
                > {{ var('daily_after_batch') | int }}
                then 1
            else 0
        end as is_new

    from source
    where {{ clean_text('claim_id') }} is not null

),

all_authorizations as (

    select
        authorization_id,
        person_id,
        hcpcs_code,
        start_date,
        end_date,
        status,
        authorized_units
    from authorizations_now

    union all

    select
        authorization_id,
        person_id,
        hcpcs_code,
        start_date,
        end_date,
        status,
        authorized_units
    from authorizations_before

),

authorization_periods as (

    select distinct
        {{ clean_text('person_id') }} as person_id,
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code,
        {{ safe_date('start_date') }} as start_date,
        {{ safe_date('end_date') }} as end_date

    from all_authorizations

),

changed_rows as (

    (
        select
            authorization_id,
            person_id,
            hcpcs_code,
            start_date,
            end_date,
            status,
            authorized_units
        from authorizations_now
        except
        select
            authorization_id,
            person_id,
            hcpcs_code,
            start_date,
            end_date,
            status,
            authorized_units
        from authorizations_before
    )

    union all

    (
        select
            authorization_id,
            person_id,
            hcpcs_code,
            start_date,
            end_date,
            status,
            authorized_units
        from authorizations_before
        except
        select
            authorization_id,
            person_id,
            hcpcs_code,
            start_date,
            end_date,
            status,
            authorized_units
        from authorizations_now
    )

),

changed_authorizations as (

    select distinct
        {{ clean_text('person_id') }} as person_id,
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code

    from changed_rows

),

claim_flags as (

    select
        line_keys.claim_key,
        max(line_keys.is_new) as is_new,
        max(
            case
                when changed_authorizations.person_id is not null then 1
                else 0
            end
        ) as pa_changed

    from line_keys
    left join changed_authorizations
        on
            line_keys.person_id = changed_authorizations.person_id
            and line_keys.hcpcs_code = changed_authorizations.hcpcs_code
    group by line_keys.claim_key

),

links as (

    select
        claim_key,
        concat('claim|', claim_key) as link_key
    from line_keys

    union

    select
        claim_key,
        concat('claim|', original_claim_key) as link_key
    from line_keys
    where original_claim_key is not null

    union

    select
        claim_key,
        concat(
            'day|', person_id, '|', {{ as_text('service_date') }}
        ) as link_key
    from line_keys
    where person_id is not null and service_date is not null

    union

    select
        line_keys.claim_key,
        concat(
            'authorization|',
            authorization_periods.person_id,
            '|',
            authorization_periods.hcpcs_code,
            '|',
            {{ as_text('authorization_periods.start_date') }},
            '|',
            {{ as_text('authorization_periods.end_date') }}
        ) as link_key
    from line_keys
    inner join authorization_periods
        on
            line_keys.person_id = authorization_periods.person_id
            and line_keys.hcpcs_code = authorization_periods.hcpcs_code
            and line_keys.service_date >= authorization_periods.start_date
            and line_keys.service_date <= authorization_periods.end_date

),

final as (

    select
        links.claim_key,
        links.link_key,
        claim_flags.is_new,
        claim_flags.pa_changed

    from links
    inner join claim_flags
        on links.claim_key = claim_flags.claim_key

)

select * from final

{% else %}

select
    cast(null as {{ dbt.type_string() }}) as claim_key,
    cast(null as {{ dbt.type_string() }}) as link_key,
    cast(null as {{ dbt.type_int() }}) as is_new,
    cast(null as {{ dbt.type_int() }}) as pa_changed
where 1 = 0

{% endif %}
