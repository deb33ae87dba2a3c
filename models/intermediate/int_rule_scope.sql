{#
    Scope of MP-PY-1771: service dates from its effective date, the plans
    it covers, and claims outside inpatient stays paid by DRG. A line out
    of scope is not decided under this policy (decision not_applied).
#}

{%- set payers = var('in_scope_payers') -%}
{%- set plans = var('in_scope_plans') -%}
{#- An empty list means every payer (plan) is in scope. -#}
{%- set payer_outside = not_in_list("coalesce(payer, '')", payers, true)
    if payers | length > 0 else 'false' -%}
{%- set plan_outside = not_in_list("coalesce(plan_name, '')", plans, true)
    if plans | length > 0 else 'false' -%}

with

lines as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line or is_drug_line

),

policy as (

    select * from {{ ref('policy') }}

),

date_hits as (

    select
        lines.claim_line_id,
        'OUT_OF_SCOPE_DATE' as rule_id,
        concat(
            'the service date ',
            {{ as_text('lines.service_date') }},
            ' is before the policy effective date ',
            {{ as_text('policy.effective_date') }}
        ) as evidence,
        lines.claim_id as evidence_claim_id,
        lines.claim_line_number as evidence_claim_line_number

    from lines
    cross join policy
    where
        {{ 'false' if var_flag('apply_policy_to_all_dates') else 'true' }}
        and lines.service_date < policy.effective_date

),

plan_hits as (

    select
        claim_line_id,
        'OUT_OF_SCOPE_PLAN' as rule_id,
        concat(
            'payer "', coalesce(payer, '(none)'),
            '" and plan "', coalesce(plan_name, '(none)'),
            '" are not among the plans the policy is applied to'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from lines
    where {{ payer_outside }} or {{ plan_outside }}

),

setting_hits as (

    select
        claim_line_id,
        'OUT_OF_SCOPE_SETTING' as rule_id,
        concat(
            'the claim is an inpatient stay paid by DRG (bill type ',
            coalesce(bill_type_code, 'none'),
            ', DRG ',
            coalesce(drg_code, 'none'),
            ')'
        ) as evidence,
        claim_id as evidence_claim_id,
        claim_line_number as evidence_claim_line_number

    from lines
    where
        claim_type = 'institutional'
        and not is_institutional_outpatient

),

final as (

    select * from date_hits
    union all
    select * from plan_hits
    union all
    select * from setting_hits

)

select * from final
