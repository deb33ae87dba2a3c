{#
    Every staged claim line, joined once to the code-list seeds: is it an
    administration line, a drug line, a service with an E/M element, a home
    health indicator, a sign of another primary reason for a facility visit?
#}

with

lines as (

    select * from {{ ref('stg_claims__medical_claim') }}

),

-- The code columns again, narrow: the distinct combinations come from here,
-- so the wide lines are read once and never held (a CTE read twice is
-- materialized by DuckDB, which spills every wide line at volume).
line_codes as (

    select
        place_of_service_code,
        bill_type_code,
        revenue_center_code,
        hcpcs_code

    from {{ ref('stg_claims__medical_claim') }}

),

admin_codes as (

    select * from {{ ref('drug_administration_codes') }}

),

em_services as (

    select * from {{ ref('em_element_services') }}
    where {{ not_in_list('em_group', var('em_groups_disabled')) }}

),

drug_codes as (

    select * from {{ ref('drug_hcpcs_codes') }}

),

home_health as (

    select * from {{ ref('home_health_indicators') }}

),

primary_reasons as (

    select * from {{ ref('facility_primary_reason_indicators') }}

),

-- The seed lookups below use ranges and prefixes (inequality joins), so
-- they run on the distinct codes and code combinations, a few thousand
-- rows, and the results are joined back to the lines on equality.
line_features as (

    select
        *,
        {{ line_feature_key() }} as feature_key

    from lines

),

features as (

    select distinct
        {{ line_feature_key() }} as feature_key,
        place_of_service_code,
        bill_type_code,
        revenue_center_code,
        hcpcs_code

    from line_codes

),

codes as (

    select distinct hcpcs_code from features
    where hcpcs_code is not null

),

drug_matches as (

    select
        codes.hcpcs_code,
        drug_codes.label as drug_label,
        drug_codes.usual_routes as drug_usual_routes,
        drug_codes.is_chemotherapy,
        drug_codes.is_hydration_fluid,
        drug_codes.is_complex_biologic,
        drug_codes.requires_prior_auth,
        row_number() over (
            partition by codes.hcpcs_code
            order by
                drug_codes.hcpcs_code_from desc nulls last,
                drug_codes.hcpcs_code_to asc nulls last
        ) as match_rank

    from codes
    inner join drug_codes
        on
            codes.hcpcs_code >= drug_codes.hcpcs_code_from
            and codes.hcpcs_code <= drug_codes.hcpcs_code_to
            and length(codes.hcpcs_code) = length(drug_codes.hcpcs_code_from)

),

best_drug_match as (

    select * from drug_matches
    where match_rank = 1

),

home_health_matches as (

    select
        features.feature_key,
        min(home_health.label) as home_health_indicator

    from features
    inner join home_health
        on {{ indicator_matches('home_health', 'features') }}
    group by features.feature_key

),

primary_reason_matches as (

    select
        features.feature_key,
        min(primary_reasons.label) as primary_reason_indicator

    from features
    inner join primary_reasons
        on {{ indicator_matches('primary_reasons', 'features') }}
    group by features.feature_key

),

classified as (

    select
        line_features.*,

        -- administration
        admin_codes.hcpcs_code is not null as is_admin_line,
        admin_codes.admin_category,
        admin_codes.admin_route,
        admin_codes.admin_technique,
        admin_codes.admin_role,
        admin_codes.hierarchy_rank,
        coalesce(admin_codes.is_one_per_encounter, false)
            as is_one_per_encounter,
        coalesce(admin_codes.is_facility_only, false) as is_facility_only,
        coalesce(admin_codes.requires_drug_line, false)
            as requires_drug_line,
        admin_codes.min_minutes,
        coalesce(admin_codes.is_additional_hour, false)
            as is_additional_hour,

        -- drug
        admin_codes.hcpcs_code is null
        and (
            best_drug_match.hcpcs_code is not null
            or {{ in_list(
                'substr(line_features.hcpcs_code, 1, 1)',
                var('drug_code_prefixes'),
                case_insensitive=true
            ) }}
        ) as is_drug_line,
        best_drug_match.drug_label,
        best_drug_match.drug_usual_routes,
        coalesce(best_drug_match.is_chemotherapy, false)
            as is_chemotherapy_drug,
        coalesce(best_drug_match.is_hydration_fluid, false)
            as is_hydration_fluid,
        coalesce(best_drug_match.is_complex_biologic, false)
            as is_complex_biologic,
        coalesce(best_drug_match.requires_prior_auth, false)
            as requires_prior_auth,

        -- services with an E/M element
        em_services.hcpcs_code is not null as is_em_element,
        em_services.em_group,

        -- claim features
        home_health_matches.home_health_indicator,
        coalesce(
            primary_reason_matches.primary_reason_indicator,
            case
                when em_services.hcpcs_code is not null
                    then concat('E/M element (', em_services.em_group, ')')
            end
        ) as primary_reason_indicator,
        coalesce(
            line_features.claim_type = 'institutional'
            and {{ not_in_list(
                "substr(coalesce(line_features.bill_type_code, ''), 1, 3)",
                var('inpatient_bill_type_prefixes')
            ) }}
            and line_features.drg_code is null,
            false
        ) as is_institutional_outpatient

    from line_features
    left join admin_codes
        on line_features.hcpcs_code = admin_codes.hcpcs_code
    left join em_services
        on line_features.hcpcs_code = em_services.hcpcs_code
    left join best_drug_match
        on line_features.hcpcs_code = best_drug_match.hcpcs_code
    left join home_health_matches
        on line_features.feature_key = home_health_matches.feature_key
    left join primary_reason_matches
        on line_features.feature_key = primary_reason_matches.feature_key

),

final as (

    select
        *,
        case
            when is_admin_line then 'administration'
            when is_drug_line then 'drug'
            when is_em_element then 'em_element'
            else 'other'
        end as line_kind

    from classified

)

-- Every staged column passes through, so the column count comes from the
-- staging model.
select * from final  -- noqa: AM04
