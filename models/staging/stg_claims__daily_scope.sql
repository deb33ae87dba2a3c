{#
    Daily runs only (empty in a full build): the claims to decide again.
    It starts from the claims with a newly loaded line or a line whose
    person and code have an authorization that was added, changed or
    removed since the last decided load, and adds, until nothing more is
    added, every claim that shares a link with a claim already in. The
    links of stg_claims__daily_claim_days: a person and service date, a
    claim that a replacement or void names, a person and claim id (the
    same id in another data source: evidence names a claim by its id
    only); and an authorization period of the day's authorization file
    (built here, as it changes with the file).
    The links are followed as numbers (key_hash). The result is closed: a
    claim outside it shares no link with a claim inside it, so its
    decisions cannot change, and every claim inside it brings all the
    lines its rules read. One row per claim and claim id and data source
    as loaded.
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

{#- Every link as a claim and link number, read where it is used: a CTE
    read twice would be copied whole by DuckDB. A claim that a replacement
    or void names is linked to it by the named claim's own number. -#}
{%- set claim_links -%}
    (
        select
            claim_hash,
            day_hash as link_hash
        from {{ ref('stg_claims__daily_claim_days') }}
        where day_hash is not null

        union all

        select
            claim_hash,
            original_claim_hash as link_hash
        from {{ ref('stg_claims__daily_claim_days') }}
        where original_claim_hash is not null

        union all

        select
            original_claim_hash as claim_hash,
            original_claim_hash as link_hash
        from {{ ref('stg_claims__daily_claim_days') }}
        where original_claim_hash is not null

        union all

        select
            claim_hash,
            person_claim_id_hash as link_hash
        from {{ ref('stg_claims__daily_claim_days') }}
        where person_claim_id_hash is not null

        union all

        select
            claim_hash,
            link_hash
        from authorization_links
    )
{%- endset %}

with recursive

new_claims as (

    select claim_hash from {{ ref('stg_claims__daily_claim_days') }}
    where {{ is_newer_batch('load_batch_number') }}

),

code_spellings as (

    select distinct hcpcs_code from {{ source('claims', 'medical_claim') }}

),

claim_lines as (

    select * from {{ source('claims', 'medical_claim') }}

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

authorized_spellings as (

    {#- The codes as the lines spell them that clean to an authorized
        code: the lines are then picked by their code as loaded, without
        cleaning every line's code. #}
    select code_spellings.hcpcs_code
    from code_spellings
    inner join authorized_codes
        on
            upper({{ clean_text('code_spellings.hcpcs_code') }})
            = authorized_codes.hcpcs_code

),

coded_lines as (

    {#- The lines of a code that has an authorization on file (now or
        before): only these can share an authorization period. #}
    select distinct
        {{ key_hash(claim_scope_key(
            'claim_lines.claim_id', 'claim_lines.data_source'
        )) }} as claim_hash,
        {{ clean_text('claim_lines.person_id') }} as person_id,
        {{ loaded_service_date('claim_lines') }} as service_date,
        upper({{ clean_text('claim_lines.hcpcs_code') }}) as hcpcs_code

    from claim_lines
    {#- A semi join: DuckDB builds its hash table on the few spellings
        (an inner join may build it on every line instead). #}
    where
        claim_lines.hcpcs_code in (
            select authorized_spellings.hcpcs_code from authorized_spellings
        )

),

authorization_periods as (

    select distinct
        {{ clean_text('person_id') }} as person_id,
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code,
        {{ safe_date('start_date') }} as start_date,
        {{ safe_date('end_date') }} as end_date

    from all_authorizations

),

numbered_periods as (

    {#- The link of an authorization period: its person, code and dates. #}
    {%- set period_link -%}
        concat(
            'authorization|', person_id, '|', hcpcs_code, '|',
            {{ as_text('start_date') }}, '|', {{ as_text('end_date') }}
        )
    {%- endset %}
    select
        person_id,
        hcpcs_code,
        start_date,
        end_date,
        {{ key_hash(period_link) }} as link_hash

    from authorization_periods

),

authorization_links as (

    select distinct
        coded_lines.claim_hash,
        numbered_periods.link_hash

    from coded_lines
    inner join numbered_periods
        on {{ authorization_covers('coded_lines', 'numbered_periods') }}

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

    select claim_hash from new_claims

    union

    select coded_lines.claim_hash
    from coded_lines
    inner join changed_authorizations
        on
            coded_lines.person_id = changed_authorizations.person_id
            and coded_lines.hcpcs_code = changed_authorizations.hcpcs_code

),

reached (claim_hash) as (

    select claim_hash from starting_claims

    union

    select other_links.claim_hash
    from reached
    inner join {{ claim_links }} as own_links
        on reached.claim_hash = own_links.claim_hash
    inner join {{ claim_links }} as other_links
        on own_links.link_hash = other_links.link_hash

),

final as (

    select distinct
        claim_days.claim_key,
        claim_days.claim_id,
        claim_days.source_claim_id,
        claim_days.source_data_source

    from reached
    inner join claim_days
        on reached.claim_hash = claim_days.claim_hash

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
