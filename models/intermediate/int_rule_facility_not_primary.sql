{#
    Section D.II.B: a facility is paid for the administration only when the
    infusion or injection is the primary reason for the visit. A visit is
    the same person, facility and date. An institutional outpatient
    administration line is denied when the visit has a line that shows
    another primary reason: an E/M element, or an emergency, clinic or
    observation line (seed facility_primary_reason_indicators), including
    the administration line's own revenue code. An E/M line carrying a
    modifier of the var em_unbundling_modifiers (25 for the Medicare
    reading: a separately identifiable visit) does not count.
#}

with

administrations as (

    select * from {{ ref('int_claim_lines_classified') }}
    where is_admin_line and is_institutional_outpatient

),

other_reasons as (

    select * from {{ ref('int_claim_lines_classified') }}
    where
        claim_type = 'institutional'
        and primary_reason_indicator is not null
        and not (
            is_em_element
            and {{ has_any_modifier('', var('em_unbundling_modifiers')) }}
        )

),

matches as (

    select
        administrations.claim_line_id,
        administrations.service_date,
        other_reasons.primary_reason_indicator,
        other_reasons.hcpcs_code as reason_hcpcs_code,
        other_reasons.revenue_center_code as reason_revenue_code,
        other_reasons.claim_id as reason_claim_id,
        other_reasons.claim_line_number as reason_claim_line_number,
        row_number() over (
            partition by administrations.claim_line_id
            order by {{ same_claim_first('other_reasons', 'administrations') }}
        ) as match_rank

    from administrations
    inner join other_reasons
        on
            administrations.person_id = other_reasons.person_id
            and administrations.facility_key = other_reasons.facility_key
            and administrations.service_date = other_reasons.service_date

),

final as (

    select
        claim_line_id,
        'FACILITY_NOT_PRIMARY' as rule_id,
        concat(
            'the facility visit on ', {{ as_text('service_date') }},
            ' has another primary reason: ', primary_reason_indicator,
            ' (code ', coalesce(reason_hcpcs_code, 'none'),
            ', revenue code ', coalesce(reason_revenue_code, 'none'),
            ') on claim ', reason_claim_id,
            ' line ', {{ as_text('reason_claim_line_number') }}
        ) as evidence,
        reason_claim_id as evidence_claim_id,
        reason_claim_line_number as evidence_claim_line_number

    from matches
    where match_rank = 1

)

select * from final
