{#
    Section D.II.A: no separate payment for an administration given during
    an office visit or with another service that has an E/M element. An
    administration line on a professional claim is bundled when the same
    person has an E/M-element service on the same date from the same
    billing provider, on this claim or another one. Modifiers listed in the
    var em_unbundling_modifiers on the E/M line lift the bundling.
#}

with

administrations as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line and claim_type = 'professional'

),

em_services as (

    select * from {{ ref('int_claim_lines_classified') }}
    where
        is_em_element
        and not {{ has_any_modifier('', var('em_unbundling_modifiers')) }}

),

matches as (

    select
        administrations.claim_line_id,
        em_services.hcpcs_code as em_hcpcs_code,
        em_services.em_group,
        em_services.claim_id as em_claim_id,
        em_services.claim_line_number as em_claim_line_number,
        administrations.service_date,
        administrations.billing_provider_key_source,
        row_number() over (
            partition by administrations.claim_line_id
            order by {{ same_claim_first('em_services', 'administrations') }}
        ) as match_rank,
        count(*) over (
            partition by administrations.claim_line_id
        ) as match_count

    from administrations
    inner join em_services
        on
            administrations.person_id = em_services.person_id
            and administrations.service_date = em_services.service_date
            and administrations.billing_provider_key
            = em_services.billing_provider_key
            and administrations.claim_line_id != em_services.claim_line_id

),

final as (

    select
        claim_line_id,
        'EM_BUNDLED' as rule_id,
        concat(
            'E/M-element service ', em_hcpcs_code,
            ' (', em_group, ') on claim ', em_claim_id,
            ' line ', {{ as_text('em_claim_line_number') }},
            ', same person, same date (', {{ as_text('service_date') }},
            ') and same billing provider (by ',
            replace(billing_provider_key_source, '_', ' '), ')',
            case
                when match_count > 1
                    then concat(
                        '; ',
                        {{ as_text('match_count - 1') }},
                        ' more E/M line(s) that day'
                    )
                else ''
            end
        ) as evidence,
        em_claim_id as evidence_claim_id,
        em_claim_line_number as evidence_claim_line_number

    from matches
    where match_rank = 1

)

select * from final
