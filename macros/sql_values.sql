{#
    Turn a var (a list of strings) into a SQL list of quoted literals, so
    that a plan name holding a quote or a semicolon stays text. An empty
    list gives a single null, which matches nothing.
#}
{% macro string_list(values) -%}
    {%- if values is string -%}
        {%- set values = [values] -%}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append(
            "'" ~ (value | string | replace("'", "''")) ~ "'"
        ) -%}
    {%- endfor -%}
    ({{ quoted | join(', ') if quoted else 'null' }})
{%- endmacro %}


{% macro upper_string_list(values) -%}
    {%- if values is string -%}
        {%- set values = [values] -%}
    {%- endif -%}
    {%- set upper_values = [] -%}
    {%- for value in values -%}
        {%- do upper_values.append(value | string | trim | upper) -%}
    {%- endfor -%}
    {{ string_list(upper_values) }}
{%- endmacro %}


{% macro date_literal(value) -%}
    {#- Only an ISO date passes; anything else stops the compile. -#}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error(
            "Expected a date as YYYY-MM-DD, got: " ~ text
        ) }}
    {%- endif -%}
    cast('{{ text }}' as date)
{%- endmacro %}


{% macro var_flag(name) -%}
    {#- A boolean var given as true/false, yes/no, 1/0 (any case). -#}
    {%- set value = var(name) | string | trim | lower -%}
    {%- if value in ('true', 'yes', '1') -%}
        {{ return(true) }}
    {%- elif value in ('false', 'no', '0', 'none', '') -%}
        {{ return(false) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "Var " ~ name ~ " must be true or false, got: " ~ value
    ) }}
{%- endmacro %}


{% macro timestamp_literal(value) -%}
    {#- Only YYYY-MM-DD HH:MM:SS passes; anything else stops the compile. -#}
    {%- set text = value | string | trim -%}
    {%- set pattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
        ~ '[ T][0-9]{2}:[0-9]{2}:[0-9]{2}$' -%}
    {%- if not modules.re.match(pattern, text) -%}
        {{ exceptions.raise_compiler_error(
            "Expected a timestamp as YYYY-MM-DD HH:MM:SS, got: " ~ text
        ) }}
    {%- endif -%}
    cast('{{ text | replace("T", " ") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{% macro in_list(expression, values, case_insensitive=false) -%}
    {#-
        expression in (values), safe for an empty list: nothing is in an
        empty list, so the test is plain false (never "in (null)").
    -#}
    {%- if values is string -%}
        {%- set values = [values] -%}
    {%- endif -%}
    {%- if values | length == 0 -%}
        false
    {%- elif case_insensitive -%}
        coalesce(upper({{ expression }}) in {{ upper_string_list(values) }},
            false)
    {%- else -%}
        coalesce({{ expression }} in {{ string_list(values) }}, false)
    {%- endif -%}
{%- endmacro %}


{% macro not_in_list(expression, values, case_insensitive=false) -%}
    {#- The negation of in_list: true for every value of an empty list. -#}
    not {{ in_list(expression, values, case_insensitive) }}
{%- endmacro %}
