{#
    One decision per administration line and per drug line: the deciding
    rule (strongest decision class first, then the catalog's precedence),
    every rule that fired, the remittance codes and a sentence an auditor
    can defend.
    In a daily run only the claims in stg_claims__daily_scope are decided
    again; their old rows are deleted first, the others stay.
#}

{{ config(
    materialized=mart_materialization(),
    incremental_strategy='append',
    pre_hook=["{{ delete_daily_scope() }}"],
) }}

-- depends_on: {{ ref('stg_claims__daily_scope') }}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line or is_drug_line

),

-- Every classified line, narrow: only the claim files are read from it.
line_files as (

    select
        person_id,
        claim_id,
        data_source,
        file_date

    from {{ ref('int_claim_lines_classified') }}

),

hits as (

    select * from {{ ref('int_rule_hits') }}

),

catalog as (

    select * from {{ ref('rule_catalog') }}
    where action != 'off'

),

policy as (

    select * from {{ ref('policy') }}

),

rejected as (

    {#- In a daily run the mart keeps every claim's rows: only the claims
        in scope are decided again here. #}
    select * from {{ ref('rejected_claim_lines') }}
    where
        line_status = 'rejected'
        and line_kind != 'other'
        and {{ in_scope_of_run() }}

),

invalid_catalog as (

    select * from catalog
    where rule_id = 'INVALID_INPUT'

),

claim_files as (

    {#- Evidence names a claim id of the same person, not its data source:
        the latest file of that id among the person's claims. #}
    select
        person_id,
        claim_id,
        data_source,
        max(file_date) as claim_file_date,
        max(max(file_date)) over (
            partition by person_id, claim_id
        ) as person_claim_file_date

    from line_files
    group by person_id, claim_id, data_source

),

evidence_files as (

    select distinct
        person_id,
        claim_id,
        person_claim_file_date as claim_file_date

    from claim_files

),

other_claim_evidence as (

    select distinct
        hits.claim_line_id,
        hits.evidence_claim_id

    from hits
    inner join lines
        on hits.claim_line_id = lines.claim_line_id
    where hits.evidence_claim_id != lines.claim_id

),

evidence_claim_lists as (

    select
        claim_line_id,
        {{ dbt.listagg(
            'evidence_claim_id', "','", 'order by evidence_claim_id'
        ) }} as decided_with_claim_ids

    from other_claim_evidence
    group by claim_line_id

),

ranked_hits as (

    select
        hits.claim_line_id,
        hits.rule_id,
        hits.evidence,
        hits.evidence_claim_id,
        hits.evidence_claim_line_number,
        catalog.action,
        catalog.policy_section,
        catalog.group_code,
        catalog.carc,
        catalog.rarc,
        replace(catalog.message_template, '{evidence}', hits.evidence)
            as explanation,
        case catalog.action
            when 'not_applied' then 1
            when 'deny' then 2
            when 'review' then 3
        end as action_rank,
        catalog.precedence

    from hits
    inner join catalog
        on hits.rule_id = catalog.rule_id

),

ordered_hits as (

    select
        *,
        row_number() over (
            partition by claim_line_id
            order by action_rank asc nulls last, precedence asc nulls last
        ) as hit_order

    from ranked_hits

),

rule_lists as (

    select
        claim_line_id,
        {{ dbt.listagg(
            'rule_id', "','", 'order by action_rank asc, precedence asc'
        ) }} as rule_ids,
        count(*) as rule_count

    from ordered_hits
    group by claim_line_id

),

deciding_hits as (

    select * from ordered_hits
    where hit_order = 1

),

decided as (

    select
        lines.*,
        coalesce(deciding_hits.action, 'pay') as decision,
        deciding_hits.rule_id,
        rule_lists.rule_ids,
        coalesce(rule_lists.rule_count, 0) as rule_count,
        evidence_claim_lists.decided_with_claim_ids,
        coalesce(
            deciding_hits.evidence_claim_id != lines.claim_id
            and evidence_files.claim_file_date > own_files.claim_file_date,
            false
        ) as is_decided_by_later_claim,
        deciding_hits.group_code,
        deciding_hits.carc,
        deciding_hits.rarc,
        deciding_hits.policy_section,
        deciding_hits.evidence_claim_id,
        deciding_hits.evidence_claim_line_number,
        case
            when deciding_hits.rule_id is not null
                then deciding_hits.explanation
            when lines.is_drug_line and lines.requires_prior_auth
                then concat(
                    'Payable under MP-PY-1771: an approved authorization',
                    ' covers ', lines.hcpcs_code, ' on this date within',
                    ' its units, and no exclusion applies.'
                )
            when lines.is_drug_line
                then concat(
                    'Payable under MP-PY-1771: ', lines.hcpcs_code,
                    ' needs no prior authorization and no exclusion',
                    ' applies.'
                )
            when lines.claim_type = 'institutional'
                then concat(
                    'Payable under section D.II.B: the infusion or',
                    ' injection is the primary reason for the facility',
                    ' visit (no E/M, emergency, clinic or observation',
                    ' line that day) and no exclusion or authorization',
                    ' issue applies.'
                )
            else concat(
                'Payable under section D.II: no service with an E/M',
                ' element from this billing provider on this date, and',
                ' no exclusion or authorization issue applies.'
            )
        end as decision_explanation

    from lines
    left join deciding_hits
        on lines.claim_line_id = deciding_hits.claim_line_id
    left join rule_lists
        on lines.claim_line_id = rule_lists.claim_line_id
    left join evidence_claim_lists
        on lines.claim_line_id = evidence_claim_lists.claim_line_id
    left join claim_files as own_files
        on
            lines.person_id = own_files.person_id
            and lines.claim_id = own_files.claim_id
            and lines.data_source = own_files.data_source
    left join evidence_files
        on
            lines.person_id = evidence_files.person_id
            and deciding_hits.evidence_claim_id = evidence_files.claim_id

),

evaluated as (

    select
        -- ids
        decided.claim_line_id,
        decided.claim_id,
        decided.claim_line_number,
        decided.data_source,
        decided.person_id,

        -- line
        decided.claim_type,
        decided.line_kind,
        decided.service_date,
        decided.hcpcs_code,
        decided.hcpcs_modifier_1,
        decided.hcpcs_modifier_2,
        decided.hcpcs_modifier_3,
        decided.hcpcs_modifier_4,
        decided.hcpcs_modifier_5,
        decided.service_unit_quantity,
        decided.ndc_code,
        decided.billing_npi,
        decided.billing_provider_key,
        decided.facility_npi,
        decided.payer,
        decided.plan_name,

        -- amounts
        decided.allowed_amount,
        decided.paid_amount,
        case
            when decided.decision = 'deny'
                then coalesce(decided.allowed_amount, 0)
            else 0
        end as amount_at_risk,

        -- decision
        decided.decision,
        decided.rule_id,
        decided.rule_ids,
        decided.rule_count,
        decided.group_code,
        decided.carc,
        decided.rarc,
        decided.policy_section,
        concat(
            decided.decision_explanation,
            case
                when
                    decided.line_kind = 'administration'
                    and decided.ndc_code_raw is not null
                    then concat(
                        ' Note: NDC ', decided.ndc_code_raw,
                        ' sent on this administration line was ignored',
                        ' (an NDC belongs on the drug line).'
                    )
                else ''
            end
        ) as explanation,
        decided.evidence_claim_id,
        decided.evidence_claim_line_number,
        decided.decided_with_claim_ids,
        decided.is_decided_by_later_claim,

        -- policy
        policy.policy_id,
        policy.policy_version,
        {{ timestamp_literal(var('run_started_at')) }} as evaluated_at

    from decided
    cross join policy

),

not_evaluable as (

    {#- Administration and drug lines the input contract rejected. -#}
    select
        -- ids
        rejected.rejected_line_id as claim_line_id,
        rejected.claim_id,
        rejected.claim_line_number,
        rejected.data_source,
        rejected.person_id,

        -- line
        cast(null as {{ dbt.type_string() }}) as claim_type,
        rejected.line_kind,
        rejected.service_date,
        rejected.code_as_read as hcpcs_code,
        cast(null as {{ dbt.type_string() }}) as hcpcs_modifier_1,
        cast(null as {{ dbt.type_string() }}) as hcpcs_modifier_2,
        cast(null as {{ dbt.type_string() }}) as hcpcs_modifier_3,
        cast(null as {{ dbt.type_string() }}) as hcpcs_modifier_4,
        cast(null as {{ dbt.type_string() }}) as hcpcs_modifier_5,
        cast(null as decimal(18, 4)) as service_unit_quantity,
        cast(null as {{ dbt.type_string() }}) as ndc_code,
        cast(null as {{ dbt.type_string() }}) as billing_npi,
        cast(null as {{ dbt.type_string() }}) as billing_provider_key,
        cast(null as {{ dbt.type_string() }}) as facility_npi,
        cast(null as {{ dbt.type_string() }}) as payer,
        cast(null as {{ dbt.type_string() }}) as plan_name,

        -- amounts
        rejected.allowed_amount,
        rejected.paid_amount,
        0 as amount_at_risk,

        -- decision
        invalid_catalog.action as decision,
        invalid_catalog.rule_id,
        invalid_catalog.rule_id as rule_ids,
        1 as rule_count,
        invalid_catalog.group_code,
        invalid_catalog.carc,
        invalid_catalog.rarc,
        invalid_catalog.policy_section,
        replace(
            invalid_catalog.message_template,
            '{evidence}',
            concat(
                rejected.reason,
                ' (row ',
                coalesce({{ as_text('rejected.source_row_number') }}, '?'),
                ' of ', coalesce(rejected.file_name, 'the input'),
                '; code as sent "', coalesce(rejected.raw_hcpcs_code, ''),
                '", units "',
                coalesce(rejected.raw_service_unit_quantity, ''),
                '", line date "',
                coalesce(rejected.raw_claim_line_start_date, ''),
                '", claim date "',
                coalesce(rejected.raw_claim_start_date, ''), '")'
            )
        ) as explanation,
        cast(null as {{ dbt.type_string() }}) as evidence_claim_id,
        cast(null as {{ dbt.type_int() }}) as evidence_claim_line_number,
        cast(null as {{ dbt.type_string() }}) as decided_with_claim_ids,
        false as is_decided_by_later_claim,

        -- policy
        policy.policy_id,
        policy.policy_version,
        {{ timestamp_literal(var('run_started_at')) }} as evaluated_at

    from rejected
    cross join invalid_catalog
    cross join policy

),

final as (

    select * from evaluated
    union all
    select * from not_evaluable

)

select * from final
