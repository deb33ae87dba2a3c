{#
    Daily runs. The runner sets the var daily_after_batch to the last load
    batch that is already decided; the build then re-decides only the
    claims that the newer batches can change (stg_claims__daily_scope) and
    replaces their rows in the marts. The default, -1, is a full build.
#}

{% macro is_daily_run() -%}
    {{- return((var('daily_after_batch') | int) >= 0) -}}
{%- endmacro %}


{% macro claim_scope_key(claim_id, data_source) -%}
    {#- A claim as the scope names it: its id and its data source; null
        without an id (concat would make an empty id into a key). -#}
    case
        when {{ clean_text(claim_id) }} is not null
            then concat(
                {{ clean_text(claim_id) }},
                '|',
                coalesce({{ clean_text(data_source) }}, 'unknown')
            )
    end
{%- endmacro %}


{% macro as_loaded(column) -%}
    {#- A claim id or data source as the input has it, as text, with ''
        for null (so that it can be joined on): the daily key tables keep
        it so that the lines of a claim are found without cleaning every
        line again. Two lines with the same value have the same claim
        key. -#}
    coalesce(cast({{ column }} as {{ dbt.type_string() }}), '')
{%- endmacro %}


{% macro loaded_service_date(relation='') -%}
    {#- A line's service date from the columns as loaded: its start date,
        else its claim's; base_claims__medical_claim's service_date, for
        the daily models that read the input without it. -#}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    coalesce(
        {{ safe_date(prefix ~ 'claim_line_start_date') }},
        {{ safe_date(prefix ~ 'claim_start_date') }}
    )
{%- endmacro %}


{% macro key_hash(expression) -%}
    {#-
        A number for a claim key or link (null for null), so that the
        daily scope joins numbers, not long strings, as it follows the
        links. The hash must spread keys that differ in a few characters:
        DuckDB's own hash() gives the same number to thousands of
        person-day pairs such as P00231069|2026-12-02 and
        P00131069|2026-12-09, so DuckDB takes md5 as a 128-bit number.
        Two keys that hash alike would only put one claim too many in
        scope, which decides it again the same way.
    -#}
    {{ return(adapter.dispatch('key_hash', 'infusion_edits')(expression)) }}
{%- endmacro %}

{% macro default__key_hash(expression) -%}
    {#- Any other warehouse: the key's md5 text (slower joins, same scope). -#}
    {{ dbt.hash(expression) }}
{%- endmacro %}

{% macro duckdb__key_hash(expression) -%}
    md5_number({{ expression }})
{%- endmacro %}

{% macro postgres__key_hash(expression) -%}
    hashtextextended({{ expression }}, 0)
{%- endmacro %}

{% macro spark__key_hash(expression) -%}
    case
        when ({{ expression }}) is not null then xxhash64({{ expression }})
    end
{%- endmacro %}


{% macro in_daily_scope(claim_id, data_source) -%}
    {#-
        True for a line whose claim is in the daily scope, and for a line
        with no claim id (it is rejected on its own, whatever else came).
    -#}
    (
        {{ clean_text(claim_id) }} is null
        or (
            {#- The claim id alone first: a cheap test that drops almost
                every line before the key is built. #}
            {{ clean_text(claim_id) }} in (
                select claim_id from {{ ref('stg_claims__daily_scope') }}
            )
            and {{ claim_scope_key(claim_id, data_source) }} in (
                select claim_key from {{ ref('stg_claims__daily_scope') }}
            )
        )
    )
{%- endmacro %}


{% macro mart_materialization() -%}
    {#- Marts are tables; in a daily run they keep their rows and take
        the re-decided claims' rows in place of the old ones. -#}
    {{- return('incremental' if is_daily_run() else 'table') -}}
{%- endmacro %}


{% macro delete_daily_scope() -%}
    {#- Pre-hook of a mart in a daily run: drop the rows of the claims in
        scope, which the run decides again. -#}
    {%- if is_daily_run() and is_incremental() -%}
        delete from {{ this }}
        where {{ in_daily_scope('claim_id', 'data_source') }}
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{%- endmacro %}


{% macro in_scope_of_run(claim_id='claim_id', data_source='data_source') -%}
    {#- For checks that compare a mart with this run's staging: every line
        in a full build, the claims in scope in a daily run. -#}
    {%- if is_daily_run() -%}
        {{ in_daily_scope(claim_id, data_source) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{% macro daily_key_batch() -%}
    {#- The load batch of a line in the daily key tables: its own in a
        daily run, 0 in a full run (every line is decided by it). -#}
    {%- if is_daily_run() -%}
        {{ safe_integer('load_batch_number') }}
    {%- else -%}
        0
    {%- endif -%}
{%- endmacro %}


{% macro is_newer_batch(batch) -%}
    {#- True for a load batch that this daily run brings: newer than the
        last decided one (the var daily_after_batch). -#}
    {{ batch }} > {{ var('daily_after_batch') | int }}
{%- endmacro %}


{% macro delete_newer_batches() -%}
    {#- Pre-hook of a daily key table: drop the rows of batches newer than
        the last decided one, which the run appends again (a daily run
        that failed may have appended them already). -#}
    {%- if is_daily_run() and is_incremental() -%}
        delete from {{ this }}
        where {{ is_newer_batch('load_batch_number') }}
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{%- endmacro %}
