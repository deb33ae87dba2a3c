{#
    Exclusions of section D.III: chemotherapy and hydration (by the
    administration code, and drug lines of chemotherapy drugs or hydration
    fluids), and home health visits (any home health sign on the claim).
#}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}

),

decided_lines as (

    select * from lines
    where is_admin_line or is_drug_line

),

chemo_hits as (

    select
        claim_line_id,
        'EXCLUDED_CHEMO' as rule_id,
        case
            when is_admin_line
                then concat(
                    hcpcs_code,
                    ' is a chemotherapy or complex drug administration code'
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
    where admin_category = 'chemotherapy' or is_chemotherapy_drug

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
    where admin_category = 'hydration' or is_hydration_fluid

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

    from lines
    where home_health_indicator is not null

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
