{#
    Helpers that normalize claim codes with plain, portable SQL (no regex).
#}

{% macro is_digits(expression) -%}
    ({{ expression }} is not null
    and {{ expression }} != ''
    and translate({{ expression }}, '0123456789', '') = '')
{%- endmacro %}


{% macro normalize_ndc(expression) -%}
    {#-
        An NDC in the 11-digit 5-4-2 claim form, or null. Hyphenated 10-digit
        label forms are padded where the hyphens say: 4-4-2 at the labeler,
        5-3-2 at the product, 5-4-1 at the package. Spaces are dropped.
    -#}
    {%- set raw = "replace(" ~ clean_text(expression) ~ ", ' ', '')" -%}
    {%- set part_1 = dbt.split_part(raw, "'-'", 1) -%}
    {%- set part_2 = dbt.split_part(raw, "'-'", 2) -%}
    {%- set part_3 = dbt.split_part(raw, "'-'", 3) -%}
    {%- set digits = "replace(" ~ raw ~ ", '-', '')" -%}
    case
        when {{ is_digits(raw) }} and length({{ raw }}) = 11
            then {{ raw }}
        when length({{ raw }}) - length({{ digits }}) != 2
            or not {{ is_digits(digits) }}
            then null
        when length({{ part_1 }}) = 5
            and length({{ part_2 }}) = 4
            and length({{ part_3 }}) = 2
            then {{ digits }}
        when length({{ part_1 }}) = 4
            and length({{ part_2 }}) = 4
            and length({{ part_3 }}) = 2
            then concat('0', {{ digits }})
        when length({{ part_1 }}) = 5
            and length({{ part_2 }}) = 3
            and length({{ part_3 }}) = 2
            then concat({{ part_1 }}, '0', {{ part_2 }}, {{ part_3 }})
        when length({{ part_1 }}) = 5
            and length({{ part_2 }}) = 4
            and length({{ part_3 }}) = 1
            then concat({{ part_1 }}, {{ part_2 }}, '0', {{ part_3 }})
    end
{%- endmacro %}


{% macro pad_code(expression, width) -%}
    {#- Upper-case, trim, and left-pad a numeric-looking code with zeros. -#}
    case
        when {{ is_digits(clean_text(expression)) }}
            and length({{ clean_text(expression) }}) < {{ width }}
            then lpad({{ clean_text(expression) }}, {{ width }}, '0')
        else upper({{ clean_text(expression) }})
    end
{%- endmacro %}


{% macro has_any_modifier(relation, modifiers) -%}
    {#-
        True when any of the five modifier columns is in the list. relation
        qualifies the columns; give '' for unqualified columns.
    -#}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- if modifiers | length == 0 -%}
        false
    {%- else -%}
        (
        {%- for position in range(1, 6) %}
            coalesce({{ prefix }}hcpcs_modifier_{{ position }}, '')
            in {{ upper_string_list(modifiers) }}
            {%- if not loop.last %} or{% endif %}
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}


{% macro as_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}


{% macro matching_modifiers(relation, modifiers) -%}
    {#- The modifiers of the line that are in the list, separated by spaces. -#}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    concat_ws(
        ' '
        {%- for position in range(1, 6) %},
        case
            when {{ prefix }}hcpcs_modifier_{{ position }}
                in {{ upper_string_list(modifiers) }}
                then {{ prefix }}hcpcs_modifier_{{ position }}
        end
        {%- endfor %}
    )
{%- endmacro %}


{% macro number_text(expression) -%}
    {#- A number as short text: 40 not 40.0000, 1.5 not 1.5000. -#}
    case
        when {{ expression }} = floor({{ expression }})
            then {{ as_text('cast(' ~ expression ~ ' as ' ~ dbt.type_bigint()
                ~ ')') }}
        else {{ fraction_text(expression) }}
    end
{%- endmacro %}


{% macro fraction_text(expression) -%}
    {#- A number with a fractional part as short text: 1.5, 0.0005. -#}
    {{ return(
        adapter.dispatch('fraction_text', 'infusion_edits')(expression)
    ) }}
{%- endmacro %}

{% macro default__fraction_text(expression) -%}
    {{ as_text('cast(' ~ expression ~ ' as ' ~ dbt.type_float() ~ ')') }}
{%- endmacro %}

{% macro duckdb__fraction_text(expression) -%}
    {#- DuckDB's float is 4 bytes (12345678.5 would read 12345678.0): a
        double keeps the digits, as Postgres's float does. -#}
    {{ as_text('cast(' ~ expression ~ ' as double)') }}
{%- endmacro %}

{% macro spark__fraction_text(expression) -%}
    {#-
        Spark writes a double below 0.001 or from 10 million up in
        scientific notation (5.0E-4, 1.23456781234E7). The decimal's own
        digits without the trailing zeros read as DuckDB and Postgres
        write the double. Only numbers with a fractional part get here,
        so a digit always follows the point.
    -#}
    regexp_replace(
        {{ as_text('cast(' ~ expression ~ ' as decimal(38, 4))') }},
        '0+$',
        ''
    )
{%- endmacro %}


{% macro indicator_matches(indicators, lines) -%}
    {#-
        True when a row of an indicator seed (indicator_type, value_from,
        value_to) matches the line: place_of_service exactly,
        bill_type_prefix and revenue_code_prefix by their leading
        characters, hcpcs_range between value_from and value_to (codes of
        the same length).
    -#}
    (
        (
            {{ indicators }}.indicator_type = 'place_of_service'
            and {{ lines }}.place_of_service_code = {{ indicators }}.value_from
        )
        or (
            {{ indicators }}.indicator_type = 'bill_type_prefix'
            and substr(
                {{ lines }}.bill_type_code,
                1,
                length({{ indicators }}.value_from)
            ) = {{ indicators }}.value_from
        )
        or (
            {{ indicators }}.indicator_type = 'revenue_code_prefix'
            and substr(
                {{ lines }}.revenue_center_code,
                1,
                length({{ indicators }}.value_from)
            ) = {{ indicators }}.value_from
        )
        or (
            {{ indicators }}.indicator_type = 'hcpcs_range'
            and {{ lines }}.hcpcs_code >= {{ indicators }}.value_from
            and {{ lines }}.hcpcs_code <= {{ indicators }}.value_to
            and length({{ lines }}.hcpcs_code)
            = length({{ indicators }}.value_from)
        )
    )
{%- endmacro %}


{% macro same_claim_first(candidate, line) -%}
    {#-
        Order-by terms that pick the evidence line for a line: one on the
        same claim first, then the lowest claim id and line number.
    -#}
    case
        when {{ candidate }}.claim_id = {{ line }}.claim_id then 0
        else 1
    end asc nulls last,
    {{ candidate }}.claim_id asc nulls last,
    {{ candidate }}.claim_line_number asc nulls last
{%- endmacro %}


{% macro line_feature_key() -%}
    {#- The code columns that the indicator seeds match on, as one key. -#}
    concat_ws(
        '|',
        coalesce(place_of_service_code, ''),
        coalesce(bill_type_code, ''),
        coalesce(revenue_center_code, ''),
        coalesce(hcpcs_code, '')
    )
{%- endmacro %}
