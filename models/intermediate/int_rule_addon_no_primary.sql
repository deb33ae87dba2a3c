{#
    CPT and NCCI (policy D.I.A, D.I.B): an add-on code is reported only with
    its primary service. An add-on line is anchored when its encounter (same
    person, service date and billing provider) holds one of its allowed
    primaries (seed addon_primary_codes) that is an initial code, or an
    allowed primary that is itself an anchored add-on: chains such as
    96413 -> 96367 -> 96366 count. Every administration line counts as a
    primary, whatever its own decision. Chains are followed three steps
    deep, the longest chain the seed holds.
#}

{%- set chain_depth = 3 -%}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}

),

pairs as (

    select * from {{ ref('addon_primary_codes') }}

),

administrations as (

    select * from lines
    where is_admin_line

),

encounter_codes as (

    select distinct
        person_id,
        service_date,
        billing_provider_key,
        hcpcs_code,
        admin_role

    from administrations

),

anchored_0 as (

    select
        person_id,
        service_date,
        billing_provider_key,
        hcpcs_code

    from encounter_codes
    where admin_role = 'initial'

),

-- The loop below repeats one CTE per chain step; its indentation is that of
-- the rendered SQL, which SQLFluff cannot see through the loop.
-- noqa: disable=LT02
{% for depth in range(1, chain_depth + 1) %}
anchored_{{ depth }} as (

    select
        person_id,
        service_date,
        billing_provider_key,
        hcpcs_code
    from anchored_{{ depth - 1 }}

    union

    select
        addons.person_id,
        addons.service_date,
        addons.billing_provider_key,
        addons.hcpcs_code

    from encounter_codes as addons
    inner join pairs
        on addons.hcpcs_code = pairs.addon_code
    inner join anchored_{{ depth - 1 }} as anchors
        on
            addons.person_id = anchors.person_id
            and addons.service_date = anchors.service_date
            and addons.billing_provider_key = anchors.billing_provider_key
            and pairs.primary_code = anchors.hcpcs_code
    where addons.admin_role = 'add_on'

),

{% endfor %}
-- noqa: enable=LT02
allowed_primaries as (

    select
        addon_code,
        {{ dbt.listagg('primary_code', "', '", 'order by primary_code') }}
            as primary_codes

    from pairs
    group by addon_code

),

unanchored as (

    select
        administrations.claim_line_id,
        administrations.claim_id,
        administrations.claim_line_number,
        administrations.hcpcs_code,
        allowed_primaries.primary_codes

    from administrations
    left join anchored_{{ chain_depth }} as anchored
        on
            administrations.person_id = anchored.person_id
            and administrations.service_date = anchored.service_date
            and administrations.billing_provider_key
            = anchored.billing_provider_key
            and administrations.hcpcs_code = anchored.hcpcs_code
    left join allowed_primaries
        on administrations.hcpcs_code = allowed_primaries.addon_code
    where
        administrations.admin_role = 'add_on'
        and anchored.hcpcs_code is null

),

final as (

    select
        claim_line_id,
        'ADDON_NO_PRIMARY' as rule_id,
        concat(
            'add-on ', hcpcs_code, ' needs one of ',
            coalesce(primary_codes, '(no primary listed)'),
            ' (or an add-on anchored by one) for the same person, date',
            ' and billing provider, and none is billed'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from unanchored

)

select * from final
