{#
    Section D.II.C: high-cost medications and complex infusions may need
    prior authorization. A drug line whose code needs one is denied when no
    approved authorization for the person and code covers the service date
    (PA_MISSING); the administration lines of the same person, date and
    billing provider are denied with it. Units billed against an
    authorization are added up across claims in date order; the line that
    passes the authorized units, and every later one, is denied
    (PA_UNITS_EXCEEDED).
#}

with

pa_drugs as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_drug_line and requires_prior_auth

),

administrations as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line and admin_category != 'hydration'

),

authorizations as (

    select * from {{ ref('stg_claims__prior_authorization') }}

),

approved_authorizations as (

    select * from authorizations
    where {{ in_list('status', var('pa_approved_statuses'), true) }}

),

route_map as (

    select * from {{ ref('admin_route_drug_routes') }}

),

checked_routes as (

    select distinct admin_route from route_map

),

covering as (

    select
        pa_drugs.claim_line_id,
        pa_drugs.claim_id,
        pa_drugs.claim_line_number,
        pa_drugs.data_source,
        pa_drugs.service_date,
        pa_drugs.hcpcs_code,
        pa_drugs.service_unit_quantity,
        approved_authorizations.authorization_id,
        approved_authorizations.person_id,
        approved_authorizations.start_date,
        approved_authorizations.authorized_units,
        row_number() over (
            partition by pa_drugs.claim_line_id
            order by
                approved_authorizations.start_date desc nulls last,
                approved_authorizations.authorization_id asc nulls last,
                -- two rows of one authorization: every column breaks the
                -- tie, so the file's row order never decides
                approved_authorizations.end_date desc nulls last,
                approved_authorizations.authorized_units desc nulls last,
                approved_authorizations.status asc nulls last
        ) as authorization_rank

    from pa_drugs
    inner join approved_authorizations
        on {{ authorization_covers('pa_drugs', 'approved_authorizations') }}

),

covered_lines as (

    select * from covering
    where authorization_rank = 1

),

nearest_other_authorization as (

    select
        pa_drugs.claim_line_id,
        concat(
            '; authorization ', coalesce(authorizations.authorization_id, '?'),
            ' for this person and code is ',
            coalesce(authorizations.status, 'without status'),
            ' and runs ',
            coalesce({{ as_text('authorizations.start_date') }}, '?'),
            ' to ',
            coalesce({{ as_text('authorizations.end_date') }}, '?')
        ) as note,
        row_number() over (
            partition by pa_drugs.claim_line_id
            order by
                authorizations.end_date desc nulls last,
                authorizations.authorization_id asc nulls last,
                authorizations.start_date desc nulls last,
                authorizations.status asc nulls last
        ) as note_rank

    from pa_drugs
    inner join authorizations
        on
            pa_drugs.person_id = authorizations.person_id
            and pa_drugs.hcpcs_code = authorizations.hcpcs_code

),

unreadable_authorizations as (

    {#-
        An approved authorization for the person and code whose dates do
        not parse: it may cover the line, so the check cannot be made and
        the line goes to review (INVALID_INPUT) instead of a denial.
    -#}
    select
        pa_drugs.claim_line_id,
        pa_drugs.claim_id,
        pa_drugs.claim_line_number,
        concat(
            'authorization ', coalesce(approved.authorization_id, '?'),
            ' for ', pa_drugs.hcpcs_code, ' has a date that does not',
            ' parse (start "', coalesce(approved.raw_start_date, ''),
            '", end "', coalesce(approved.raw_end_date, ''),
            '"), so whether it covers this line cannot be checked'
        ) as evidence,
        row_number() over (
            partition by pa_drugs.claim_line_id
            order by
                approved.authorization_id asc nulls last,
                approved.raw_start_date asc nulls last,
                approved.raw_end_date asc nulls last
        ) as unreadable_rank

    from pa_drugs
    inner join approved_authorizations as approved
        on
            pa_drugs.person_id = approved.person_id
            and pa_drugs.hcpcs_code = approved.hcpcs_code
    where approved.start_date is null or approved.end_date is null

),

uncovered_lines as (

    select pa_drugs.*

    from pa_drugs
    left join covered_lines
        on pa_drugs.claim_line_id = covered_lines.claim_line_id
    where covered_lines.claim_line_id is null

),

unverifiable_hits as (

    select
        unreadable_authorizations.claim_line_id,
        'INVALID_INPUT' as rule_id,
        unreadable_authorizations.evidence,
        unreadable_authorizations.claim_id as evidence_claim_id,
        unreadable_authorizations.claim_line_number
            as evidence_claim_line_number

    from unreadable_authorizations
    inner join uncovered_lines
        on
            unreadable_authorizations.claim_line_id
            = uncovered_lines.claim_line_id
    where unreadable_authorizations.unreadable_rank = 1

),

missing_drug_lines as (

    select
        uncovered_lines.*,
        coalesce(nearest_other_authorization.note, '') as note

    from uncovered_lines
    left join nearest_other_authorization
        on
            uncovered_lines.claim_line_id
            = nearest_other_authorization.claim_line_id
            and nearest_other_authorization.note_rank = 1
    left join unverifiable_hits
        on uncovered_lines.claim_line_id = unverifiable_hits.claim_line_id
    where unverifiable_hits.claim_line_id is null

),

missing_drug_hits as (

    select
        claim_line_id,
        'PA_MISSING' as rule_id,
        concat(
            hcpcs_code, ' (', coalesce(drug_label, 'drug'), ')',
            ' needs prior authorization and no approved authorization',
            ' for this person covers ', {{ as_text('service_date') }},
            note
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from missing_drug_lines

),

propagating_drug_lines as (

    {#-
        A drug the policy excludes (chemotherapy, hydration fluid) is not
        decided here, so its missing authorization does not reach the
        administration lines either.
    -#}
    select * from missing_drug_lines
    where not is_chemotherapy_drug and not is_hydration_fluid

),

administration_matches as (

    select
        administrations.claim_line_id,
        propagating_drug_lines.hcpcs_code as drug_hcpcs_code,
        propagating_drug_lines.claim_id as drug_claim_id,
        propagating_drug_lines.claim_line_number as drug_claim_line_number,
        row_number() over (
            partition by administrations.claim_line_id
            order by {{ same_claim_first(
                'propagating_drug_lines', 'administrations'
            ) }}
        ) as match_rank

    from administrations
    inner join propagating_drug_lines
        on
            administrations.person_id = propagating_drug_lines.person_id
            and administrations.service_date
            = propagating_drug_lines.service_date
            and administrations.billing_provider_key
            = propagating_drug_lines.billing_provider_key
    left join route_map
        on
            administrations.admin_route = route_map.admin_route
            and concat(
                '|', coalesce(propagating_drug_lines.drug_usual_routes, ''),
                '|'
            )
            like concat('%|', route_map.drug_route, '|%')
    where
        (
            {#- the administration's route fits the drug, or one of the
                two routes is unknown -#}
            route_map.admin_route is not null
            or coalesce(propagating_drug_lines.drug_usual_routes, '') = ''
            or administrations.admin_route not in (
                select checked_routes.admin_route from checked_routes
            )
        )

),

missing_administration_hits as (

    select
        claim_line_id,
        'PA_MISSING' as rule_id,
        concat(
            'drug ', drug_hcpcs_code,
            ' on claim ', drug_claim_id,
            ' line ', {{ as_text('drug_claim_line_number') }},
            ', billed for the same person, date and provider by a route',
            ' this administration fits, needs prior authorization and has',
            ' none on file'
        ) as evidence,
        drug_claim_id as evidence_claim_id,
        drug_claim_line_number as evidence_claim_line_number

    from administration_matches
    where match_rank = 1

),

running_units as (

    select
        *,
        sum(coalesce(service_unit_quantity, 0)) over (
            partition by authorization_id, person_id, hcpcs_code, start_date
            order by
                service_date asc nulls last,
                claim_id asc nulls last,
                claim_line_number asc nulls last,
                data_source asc nulls last
            rows between unbounded preceding and current row
        ) as units_to_date

    from covered_lines

),

units_hits as (

    select
        claim_line_id,
        'PA_UNITS_EXCEEDED' as rule_id,
        concat(
            'authorization ', authorization_id, ' allows ',
            {{ number_text('authorized_units') }}, ' units of ', hcpcs_code,
            '; ', {{ number_text('units_to_date') }},
            ' units billed against it up to and including this line'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from running_units
    where authorized_units is not null and units_to_date > authorized_units

),

final as (

    select * from unverifiable_hits
    union all
    select * from missing_drug_hits
    union all
    select * from missing_administration_hits
    union all
    select * from units_hits

)

select * from final
