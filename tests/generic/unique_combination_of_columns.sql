{#
    Fails for every combination of the given columns that occurs on more
    than one row (rows where any of them is null are left out).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences

    from {{ model }}
    where
        {% for column in combination_of_columns -%}
            {{ column }} is not null
            {%- if not loop.last %} and {% endif %}
        {% endfor %}
    group by {{ combination_of_columns | join(', ') }}

),

final as (

    select * from grouped
    where occurrences > 1

)

select * from final

{% endtest %}
