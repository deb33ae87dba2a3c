{#
    Amount at risk and line counts by month, decision and rule: the query
    a payment-integrity dashboard starts from. Compile with dbt compile.
#}

with

decisions as (

    select * from {{ ref('admin_line_decisions') }}

),

final as (

    select
        decision,
        rule_id,
        {{ dbt.date_trunc('month', 'service_date') }} as service_month,
        count(*) as line_count,
        sum(amount_at_risk) as amount_at_risk

    from decisions
    group by
        decision,
        rule_id,
        {{ dbt.date_trunc('month', 'service_date') }}

)

select * from final
