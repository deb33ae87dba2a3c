with

source as (

    select * from {{ source('claims', 'prior_authorization') }}

),

final as (

    select
        {{ clean_text('authorization_id') }} as authorization_id,
        {{ clean_text('person_id') }} as person_id,
        upper({{ clean_text('hcpcs_code') }}) as hcpcs_code,
        {{ safe_date('start_date') }} as start_date,
        {{ safe_date('end_date') }} as end_date,
        {{ clean_text('start_date') }} as raw_start_date,
        {{ clean_text('end_date') }} as raw_end_date,
        {{ safe_numeric('authorized_units') }} as authorized_units,
        lower({{ clean_text('status') }}) as status

    from source

)

select * from final
