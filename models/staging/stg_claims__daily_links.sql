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

-- depends_on: {{ ref('stg_claims__daily_line_keys') }}
-- depends_on: {{ ref('stg_claims__daily_claim_days') }}

{% if is_daily_run() %}

{#- The columns of an authorization row as the input has them. -#}
{%- set authorization_columns = (
    'authorization_id, person_id, hcpcs_code, start_date, end_date, '
    ~ 'status, authorized_units'
) %}

with

line_keys as (

    select * from {{ ref('stg_claims__daily_line_keys') }}

),

claim_day_rows as (

    select * from {{ ref('stg_claims__daily_claim_days') }}

),

authorizations_now as (

    select * from {{ source('claims', 'prior_authorization') }}

),

authorizations_before as (

    select * from {{ source('claims', 'prior_authorization_previous') }}

),

claim_days as (

    select distinct
        claim_key,
        claim_id,
        original_claim_key,
        person_id,
        service_date,
        case
            when load_batch_number > {{ var('daily_after_batch') | int }}
                then 1
            else 0
        end as is_new

    from claim_day_rows

),

all_authorizations as (

    select {{ authorization_columns }}
    from authorizations_now

    union all

    select {{ authorization_columns }}
    from authorizations_before

),

authorized_codes as (

    select distinct upper({{ clean_text('hcpcs_code') }}) as hcpcs_code
    from all_authorizations

),

coded_lines as (

    {#- The lines of a code that has an authorization on file (now or
        before): only these can share an authorization period. #}
    select distinct
        line_keys.claim_key,
        line_keys.person_id,
        line_keys.service_date,
        line_keys.hcpcs_code

    from line_keys
    inner join authorized_codes
        on line_keys.hcpcs_code = authorized_codes.hcpcs_code

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
        select {{ authorization_columns }}
        from authorizations_now
        except
        select {{ authorization_columns }}
        from authorizations_before
    )

    union all

    (
        select {{ authorization_columns }}
        from authorizations_before
        except
        select {{ authorization_columns }}
        from authorizations_now
    )

),

changed_authorizations as (

    {#- After a daily run that did not finish, every authorization counts
        as changed: the marts may hold decisions made with a file that the
        comparison no longer has. #}
    select distinct
        {{ clean_text('person_id') }} as person_id,
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code

    from {{ 'all_authorizations'
        if var_flag('daily_recheck_authorizations')
        else 'changed_rows' }}

),

changed_lines as (

    select distinct coded_lines.claim_key
    from coded_lines
    inner join changed_authorizations
        on
            coded_lines.person_id = changed_authorizations.person_id
            and coded_lines.hcpcs_code = changed_authorizations.hcpcs_code

),

claim_flags as (

    select
        claim_days.claim_key,
        max(claim_days.claim_id) as claim_id,
        max(claim_days.is_new) as is_new,
        max(
            case
                when changed_lines.claim_key is not null then 1
                else 0
            end
        ) as pa_changed

    from claim_days
    left join changed_lines
        on claim_days.claim_key = changed_lines.claim_key
    group by claim_days.claim_key

),

links as (

    select
        claim_key,
        concat('claim|', claim_key) as link_key
    from claim_days

    union all

    select
        claim_key,
        concat('claim|', original_claim_key) as link_key
    from claim_days
    where original_claim_key is not null

    union all

    select
        claim_key,
        concat(
            'day|', person_id, '|', {{ as_text('service_date') }}
        ) as link_key
    from claim_days
    where person_id is not null and service_date is not null

    union all

    select
        coded_lines.claim_key,
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
    from coded_lines
    inner join authorization_periods
        on
            coded_lines.person_id = authorization_periods.person_id
            and coded_lines.hcpcs_code = authorization_periods.hcpcs_code
            and coded_lines.service_date >= authorization_periods.start_date
            and coded_lines.service_date <= authorization_periods.end_date

),

distinct_links as (

    select distinct
        claim_key,
        link_key

    from links

),

final as (

    select
        distinct_links.claim_key,
        claim_flags.claim_id,
        distinct_links.link_key,
        claim_flags.is_new,
        claim_flags.pa_changed

    from distinct_links
    inner join claim_flags
        on distinct_links.claim_key = claim_flags.claim_key

)

select * from final

{% else %}

select
    cast(null as {{ dbt.type_string() }}) as claim_key,
    cast(null as {{ dbt.type_string() }}) as claim_id,
    cast(null as {{ dbt.type_string() }}) as link_key,
    cast(null as {{ dbt.type_int() }}) as is_new,
    cast(null as {{ dbt.type_int() }}) as pa_changed
where 1 = 0

{% endif %}
