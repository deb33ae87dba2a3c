{#
    Casts that give null instead of failing on a value that does not parse.
    dbt's own safe_cast is a plain cast on DuckDB and Postgres, so each
    warehouse gets its own form here. Supported: duckdb, postgres, spark,
    databricks; anything else stops the compile with a clear message.
#}

{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}


{% macro safe_date(expression) -%}
    {{ return(adapter.dispatch('safe_date', 'infusion_edits')(expression)) }}
{%- endmacro %}

{% macro default__safe_date(expression) -%}
    {{ exceptions.raise_compiler_error(
        "infusion_edits has no safe date cast for adapter " ~ target.type
    ) }}
{%- endmacro %}

{% macro duckdb__safe_date(expression) -%}
    try_cast({{ clean_text(expression) }} as date)
{%- endmacro %}

{% macro spark__safe_date(expression) -%}
    {#- Spark alone would read 2026 or 2026-01 as January 1st: ISO only. -#}
    case
        when {{ clean_text(expression) }}
            rlike '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
            then try_cast({{ clean_text(expression) }} as date)
    end
{%- endmacro %}

{% macro postgres__safe_date(expression) -%}
    case
        when {{ clean_text(expression) }}
            ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
            then cast({{ clean_text(expression) }} as date)
    end
{%- endmacro %}


{% macro safe_numeric(expression) -%}
    {{ return(adapter.dispatch('safe_numeric', 'infusion_edits')(expression)) }}
{%- endmacro %}

{% macro default__safe_numeric(expression) -%}
    {{ exceptions.raise_compiler_error(
        "infusion_edits has no safe numeric cast for adapter " ~ target.type
    ) }}
{%- endmacro %}

{% macro duckdb__safe_numeric(expression) -%}
    try_cast({{ clean_text(expression) }} as decimal(18, 4))
{%- endmacro %}

{% macro spark__safe_numeric(expression) -%}
    {#- Plain decimals only, as on Postgres (no 1e3). -#}
    case
        when {{ clean_text(expression) }}
            rlike '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$'
            then try_cast({{ clean_text(expression) }} as decimal(18, 4))
    end
{%- endmacro %}

{% macro postgres__safe_numeric(expression) -%}
    case
        when {{ clean_text(expression) }}
            ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$'
            then cast({{ clean_text(expression) }} as decimal(18, 4))
    end
{%- endmacro %}


{% macro safe_integer(expression) -%}
    {#- A whole number, or null: "3", "3.0" give 3; "3.5", "x" give null. -#}
    case
        when {{ safe_numeric(expression) }}
            = floor({{ safe_numeric(expression) }})
            then cast({{ safe_numeric(expression) }} as {{ dbt.type_int() }})
    end
{%- endmacro %}


{% macro safe_timestamp(expression) -%}
    {{ return(
        adapter.dispatch('safe_timestamp', 'infusion_edits')(expression)
    ) }}
{%- endmacro %}

{% macro default__safe_timestamp(expression) -%}
    {{ exceptions.raise_compiler_error(
        "infusion_edits has no safe timestamp cast for adapter " ~ target.type
    ) }}
{%- endmacro %}

{% macro duckdb__safe_timestamp(expression) -%}
    try_cast({{ clean_text(expression) }} as timestamp)
{%- endmacro %}

{% macro spark__safe_timestamp(expression) -%}
    {#- ISO date and optional time only, as on Postgres (no 2026-01). -#}
    case
        when {{ clean_text(expression) }}
            rlike concat('^[0-9]{4}-[0-9]{2}-[0-9]{2}',
            '([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?$')
            then try_cast({{ clean_text(expression) }} as timestamp)
    end
{%- endmacro %}

{% macro postgres__safe_timestamp(expression) -%}
    case
        when {{ clean_text(expression) }}
            ~ ('^[0-9]{4}-[0-9]{2}-[0-9]{2}'
            || '([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?$')
            then cast({{ clean_text(expression) }} as timestamp)
    end
{%- endmacro %}
