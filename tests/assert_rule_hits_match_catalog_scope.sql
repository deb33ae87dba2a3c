{#
    Every rule hit is on a kind of line its catalog row says the rule
    applies to (admin, drug or both). Returns the hits that break this.
#}

with

hits as (

    select * from {{ ref('int_rule_hits') }}

),

lines as (

    select * from {{ ref('int_claim_lines_classified') }}

),

catalog as (

    select * from {{ ref('rule_catalog') }}

),

final as (

    select
        hits.rule_hit_id,
        lines.line_kind,
        catalog.applies_to

    from hits
    inner join lines
        on hits.claim_line_id = lines.claim_line_id
    inner join catalog
        on hits.rule_id = catalog.rule_id
    where
        not (
            catalog.applies_to = 'both'
            or (
                catalog.applies_to = 'admin'
                and lines.line_kind = 'administration'
            )
            or (catalog.applies_to = 'drug' and lines.line_kind = 'drug')
        )

)

select * from final
