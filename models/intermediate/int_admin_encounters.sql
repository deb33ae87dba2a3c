{#
    Each administration line with what its encounter holds: the drug lines
    billed with it (same person, service date and billing provider), how
    many are chemotherapy or complex drugs, hydration fluids, of unknown
    route, or fit the administration's route. The exclusions and the
    substance, route and no-drug checks all read this one model.
#}

with

route_map as (

    select * from {{ ref('admin_route_drug_routes') }}

),

administrations as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line

),

drugs as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_drug_line

),

encounter_drugs as (

    select
        person_id,
        service_date,
        billing_provider_key,
        count(*) as drug_lines,
        sum(
            case
                when is_chemotherapy_drug or is_complex_biologic then 1
                else 0
            end
        ) as chemo_or_complex_drug_lines,
        sum(case when is_chemotherapy_drug then 1 else 0 end)
            as chemo_drug_lines,
        sum(case when is_hydration_fluid then 0 else 1 end)
            as non_fluid_drug_lines,
        sum(
            case
                when coalesce(drug_usual_routes, '') = '' then 1
                else 0
            end
        ) as unknown_route_drug_lines,
        min(hcpcs_code) as first_drug_code,
        max(hcpcs_code) as last_drug_code

    from drugs
    group by person_id, service_date, billing_provider_key

),

encounter_administrations as (

    select
        person_id,
        service_date,
        billing_provider_key,
        sum(case when admin_category = 'hydration' then 0 else 1 end)
            as non_hydration_admin_lines

    from administrations
    group by person_id, service_date, billing_provider_key

),

route_checked as (

    select distinct admin_route from route_map

),

fitting_drugs as (

    select
        administrations.claim_line_id,
        count(distinct drugs.claim_line_id) as fitting_route_drug_lines

    from administrations
    inner join route_map
        on administrations.admin_route = route_map.admin_route
    inner join drugs
        on
            administrations.person_id = drugs.person_id
            and administrations.service_date = drugs.service_date
            and administrations.billing_provider_key
            = drugs.billing_provider_key
            and concat('|', coalesce(drugs.drug_usual_routes, ''), '|')
            like concat('%|', route_map.drug_route, '|%')
    group by administrations.claim_line_id

),

joined as (

    select
        administrations.claim_line_id,
        administrations.claim_id,
        administrations.claim_line_number,
        administrations.hcpcs_code,
        administrations.admin_category,
        administrations.admin_route,
        administrations.requires_drug_line,
        coalesce(encounter_drugs.drug_lines, 0) as drug_lines,
        coalesce(encounter_drugs.chemo_or_complex_drug_lines, 0)
            as chemo_or_complex_drug_lines,
        coalesce(encounter_drugs.chemo_drug_lines, 0) as chemo_drug_lines,
        coalesce(encounter_drugs.non_fluid_drug_lines, 0)
            as non_fluid_drug_lines,
        coalesce(encounter_drugs.unknown_route_drug_lines, 0)
            as unknown_route_drug_lines,
        encounter_drugs.first_drug_code,
        encounter_drugs.last_drug_code,
        coalesce(encounter_administrations.non_hydration_admin_lines, 0)
            as non_hydration_admin_lines,
        route_checked.admin_route is not null as is_route_checked,
        coalesce(fitting_drugs.fitting_route_drug_lines, 0)
            as fitting_route_drug_lines

    from administrations
    left join encounter_drugs
        on
            administrations.person_id = encounter_drugs.person_id
            and administrations.service_date = encounter_drugs.service_date
            and administrations.billing_provider_key
            = encounter_drugs.billing_provider_key
    left join encounter_administrations
        on
            administrations.person_id = encounter_administrations.person_id
            and administrations.service_date
            = encounter_administrations.service_date
            and administrations.billing_provider_key
            = encounter_administrations.billing_provider_key
    left join route_checked
        on administrations.admin_route = route_checked.admin_route
    left join fitting_drugs
        on administrations.claim_line_id = fitting_drugs.claim_line_id

),

final as (

    select
        *,
        case
            when drug_lines = 0 then null
            when
                admin_category = 'chemotherapy'
                and requires_drug_line
                and chemo_or_complex_drug_lines = 0
                then concat(
                    'a chemotherapy administration code billed with no',
                    ' chemotherapy or complex biologic drug'
                )
            when
                admin_category = 'therapeutic'
                and chemo_drug_lines = drug_lines
                then concat(
                    'a therapeutic administration code billed with only',
                    ' chemotherapy drugs'
                )
            when
                admin_category = 'hydration'
                and non_fluid_drug_lines > 0
                and non_hydration_admin_lines = 0
                then concat(
                    'a hydration code billed with a drug other than fluids',
                    ' and no other administration code'
                )
        end as substance_mismatch

    from joined

)

select * from final
