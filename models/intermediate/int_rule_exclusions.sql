{#
    Exclusions of section D.III: chemotherapy and hydration, and home health
    visits (any home health sign on the claim). A chemotherapy
    administration code is excluded when its encounter has a chemotherapy
    or complex biologic drug, and a hydration code unless it was used for a
    drug (the substance check decides those instead); with the var
    exclude_by_code_only every such code is excluded. Drug lines of
    chemotherapy drugs and hydration fluids are excluded too.
#}

{%- set by_code_only = var_flag('exclude_by_code_only') -%}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line or is_drug_line

),

-- Read again, narrow, rather than from `lines`: a CTE read twice is
-- materialized by DuckDB, every line of it.
home_health_signs as (

    select
        claim_id,
        data_source,
        claim_line_number,
        home_health_indicator

    from {{ ref('int_claim_lines_classified') }}
    where home_health_indicator is not null

),

encounters as (

    select * from {{ ref('int_admin_encounters') }}

),

decided_lines as (

    select
        lines.*,
        encounters.chemo_or_complex_drug_lines,
        encounters.substance_mismatch

    from lines
    left join encounters
        on lines.claim_line_id = encounters.claim_line_id

),

chemo_hits as (

    select
        claim_line_id,
        'EXCLUDED_CHEMO' as rule_id,
        case
            when is_admin_line
                then concat(
                    hcpcs_code,
                    ' is a chemotherapy or complex drug administration code',
                    {% if not by_code_only -%}
                        ' billed with a chemotherapy or complex biologic drug'
                    {%- else -%}
                        ''
                    {%- endif %}
                )
            else concat(
                hcpcs_code,
                ' (', coalesce(drug_label, 'drug'), ')',
                ' is a chemotherapy drug'
            )
        end as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from decided_lines
    where
        is_chemotherapy_drug
        or (
            admin_category = 'chemotherapy'
            {% if not by_code_only -%}
                and chemo_or_complex_drug_lines > 0
            {%- endif %}
        )

),

hydration_hits as (

    select
        claim_line_id,
        'EXCLUDED_HYDRATION' as rule_id,
        case
            when is_admin_line
                then concat(hcpcs_code, ' is a hydration administration code')
            else concat(
                hcpcs_code,
                ' (', coalesce(drug_label, 'fluid'), ')',
                ' is a hydration fluid'
            )
        end as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from decided_lines
    where
        is_hydration_fluid
        or (
            admin_category = 'hydration'
            {% if not by_code_only -%}
                and substance_mismatch is null
            {%- endif %}
        )

),

home_health_lines as (

    select
        claim_id,
        data_source,
        claim_line_number,
        home_health_indicator,
        row_number() over (
            partition by claim_id, data_source
            order by claim_line_number asc nulls last
        ) as indicator_rank

    from home_health_signs

),

home_health_claims as (

    select * from home_health_lines
    where indicator_rank = 1

),

home_health_hits as (

    select
        decided_lines.claim_line_id,
        'EXCLUDED_HOME_HEALTH' as rule_id,
        concat(
            'line ',
            {{ as_text('home_health_claims.claim_line_number') }},
            ' of the claim shows a home health visit (',
            home_health_claims.home_health_indicator,
            ')'
        ) as evidence,
        home_health_claims.claim_id as evidence_claim_id,
        home_health_claims.claim_line_number as evidence_claim_line_number

    from decided_lines
    inner join home_health_claims
        on
            decided_lines.claim_id = home_health_claims.claim_id
            and decided_lines.data_source = home_health_claims.data_source

),

final as (

    select * from chemo_hits
    union all
    select * from hydration_hits
    union all
    select * from home_health_hits

)

select * from final
