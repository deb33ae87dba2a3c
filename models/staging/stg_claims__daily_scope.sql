{#
    Daily runs only (empty in a full build): the claims to decide again.
    It starts from the claims with a newly loaded line or a changed
    authorization and adds, until nothing more is added, every claim that
    shares a link with a claim already in (stg_claims__daily_links). The
    result is closed: a claim outside it shares no link with a claim inside
    it, so its decisions cannot change, and every claim inside it brings
    all the lines its rules read.
#}

-- The two branches are whole queries, not indented blocks.
-- sqlfluff:indentation:template_blocks_indent:false

{{ config(materialized='table') }}

{% if is_daily_run() %}

with recursive

links as (

    select * from {{ ref('stg_claims__daily_links') }}

),

starting_claims as (

    select distinct claim_key
    from links
    where is_new = 1 or pa_changed = 1

),

reached (claim_key) as (

    select claim_key from starting_claims

    union

    select other_links.claim_key
    from reached
    inner join links as own_links
        on reached.claim_key = own_links.claim_key
    inner join links as other_links
        on own_links.link_key = other_links.link_key

),

final as (

    select distinct
        links.claim_key,
        links.claim_id

    from reached
    inner join links
        on reached.claim_key = links.claim_key

)

select * from final

{% else %}

select
    cast(null as {{ dbt.type_string() }}) as claim_key,
    cast(null as {{ dbt.type_string() }}) as claim_id
where 1 = 0

{% endif %}
