{#
    Daily runs only (empty in a full build): the claims to decide again.
    It starts from the claims with a newly loaded line or a line whose
    person and code have an authorization that was added, changed or
    removed since the last decided load, and adds, until nothing more is
    added, every claim that shares a link with a claim already in: a
    person and service date or a claim id (stg_claims__daily_links), or an
    authorization period of the day's authorization file (built here, as
    it changes with the file). The result is closed: a claim outside it
    shares no link with a claim inside it, so its decisions cannot change,
    and every claim inside it brings all the lines its rules read. One row
    per claim and claim id and data source as loaded.
#}

-- The two branches are whole queries, not indented blocks.
-- sqlfluff:indentation:template_blocks_indent:false

{{ config(materialized='table') }}

{% if is_daily_run() %}

{#- The columns of an authorization row as the input has them. -#}
{%- set authorization_columns = (
    'authorization_id, person_id, hcpcs_code, start_date, end_date, '
    ~ 'status, authorized_units'
) %}

{#- Every link, read where it is used: a CTE read twice would be copied
    whole by DuckDB, and the claim-day links are the size of the history.
-#}
{%- set claim_links -%}
    (
        select
            claim_key,
            link_key
        from {{ ref('stg_claims__daily_links') }}

        union all

        select
            claim_key,
            link_key
        from authorization_links
    )
{%- endset %}

with recursive

new_claims as (

    select claim_key from {{ ref('stg_claims__daily_claim_days') }}
    where load_batch_number > {{ var('daily_after_batch') | int }}

),

line_keys as (

    select * from {{ ref('stg_claims__daily_line_keys') }}

),

claim_days as (

    select * from {{ ref('stg_claims__daily_claim_days') }}

),

authorizations_now as (

    select * from {{ source('claims', 'prior_authorization') }}

),

authorizations_before as (

    select * from {{ source('claims', 'prior_authorization_previous') }}

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

authorization_links as (

    select distinct
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

starting_claims as (

    select claim_key from new_claims

    union

    select coded_lines.claim_key
    from coded_lines
    inner join changed_authorizations
        on
            coded_lines.person_id = changed_authorizations.person_id
            and coded_lines.hcpcs_code = changed_authorizations.hcpcs_code

),

reached (claim_key) as (

    select claim_key from starting_claims

    union

    select other_links.claim_key
    from reached
    inner join {{ claim_links }} as own_links
        on reached.claim_key = own_links.claim_key
    inner join {{ claim_links }} as other_links
        on own_links.link_key = other_links.link_key

),

final as (

    select distinct
        claim_days.claim_key,
        claim_days.claim_id,
        claim_days.source_claim_id,
        claim_days.source_data_source

    from reached
    inner join claim_days
        on reached.claim_key = claim_days.claim_key

)

select * from final

{% else %}

select
    cast(null as {{ dbt.type_string() }}) as claim_key,
    cast(null as {{ dbt.type_string() }}) as claim_id,
    cast(null as {{ dbt.type_string() }}) as source_claim_id,
    cast(null as {{ dbt.type_string() }}) as source_data_source
where 1 = 0

{% endif %}
