{#
    Every rule that fired on a line: the audit trail. One row per line and
    rule, with the evidence the rule found and the model that found it.
#}

{%- set rule_models = [
    'int_rule_scope',
    'int_rule_exclusions',
    'int_rule_em_bundled',
    'int_rule_facility_not_primary',
    'int_rule_prior_auth',
    'int_rule_duplicate_line',
    'int_rule_code_checks',
    'int_rule_addon_no_primary',
    'int_rule_second_initial',
    'int_rule_units_over_max',
    'int_rule_duration_mismatch',
    'int_rule_ndc_invalid',
    'int_rule_drug_fit',
] -%}

with

unioned as (

    {% for rule_model in rule_models -%}
        select
            claim_line_id,
            rule_id,
            evidence,
            evidence_claim_id,
            evidence_claim_line_number,
            '{{ rule_model }}' as source_model
        from {{ ref(rule_model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (

    select
        concat(claim_line_id, '|', rule_id) as rule_hit_id,
        claim_line_id,
        rule_id,
        evidence,
        evidence_claim_id,
        evidence_claim_line_number,
        source_model

    from unioned

)

select * from final
