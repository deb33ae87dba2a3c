{#
    Copies and versions of claim lines. base_claims__medical_claim reads
    the claims source twice: narrow (the key and versioning columns of
    every line) and wide (every column); these macros keep the cleaning
    and the order of copies the same in both reads.
#}

{% macro column_of(relation, column) -%}
    {{- relation ~ '.' ~ column if relation else column -}}
{%- endmacro %}


{% macro claim_frequency_code(relation=none) -%}
    {#- The frequency code sent, else the last digit of a 4-digit bill
        type (UB-04 form locator 4). -#}
    {%- set bill_type = pad_code(column_of(relation, 'bill_type_code'), 4) %}
    coalesce(
        {{ clean_text(column_of(relation, 'claim_frequency_code')) }},
        case
            when length({{ bill_type }}) = 4
                then substr({{ bill_type }}, 4, 1)
        end
    )
{%- endmacro %}


{% macro claim_line_version_columns(relation=none) -%}
    {#- The cleaned claim key and versioning columns of a raw line. -#}
    {{ clean_text(column_of(relation, 'claim_id')) }} as claim_id,
    {{ safe_integer(column_of(relation, 'claim_line_number')) }}
        as claim_line_number,
    coalesce({{ clean_text(column_of(relation, 'data_source')) }}, 'unknown')
        as data_source,
    {{ safe_date(column_of(relation, 'file_date')) }} as file_date,
    {{ safe_timestamp(column_of(relation, 'ingest_datetime')) }}
        as ingest_datetime,
    {{ safe_integer(column_of(relation, 'source_row_number')) }}
        as source_row_number,
    {{ claim_frequency_code(relation) }} as claim_frequency_code,
    {{ clean_text(column_of(relation, 'original_claim_id')) }}
        as original_claim_id
{%- endmacro %}


{% macro copy_key_matches(raw, keys) -%}
    {#- A raw line (alias raw) belongs to a cleaned claim line key (alias
        keys: claim_id, claim_line_number, data_source). -#}
    {{ clean_text(raw ~ '.claim_id') }} = {{ keys }}.claim_id
    and {{ safe_integer(raw ~ '.claim_line_number') }}
    = {{ keys }}.claim_line_number
    and coalesce({{ clean_text(raw ~ '.data_source') }}, 'unknown')
    = {{ keys }}.data_source
{%- endmacro %}


{% macro copy_order(relation=none, raw=false) -%}
    {#- Copies of a line, the latest first: file date, ingest time, row
        number; the frequency code and original claim id then break ties,
        so the narrow and the wide ranking pick a latest copy with the
        same versioning values. raw: the relation holds the raw text
        columns, which are cleaned here. -#}
    {%- if raw -%}
        {%- set columns = [
            safe_date(column_of(relation, 'file_date')),
            safe_timestamp(column_of(relation, 'ingest_datetime')),
            safe_integer(column_of(relation, 'source_row_number')),
            claim_frequency_code(relation),
            clean_text(column_of(relation, 'original_claim_id')),
        ] -%}
    {%- else -%}
        {%- set columns = [
            column_of(relation, 'file_date'),
            column_of(relation, 'ingest_datetime'),
            column_of(relation, 'source_row_number'),
            column_of(relation, 'claim_frequency_code'),
            column_of(relation, 'original_claim_id'),
        ] -%}
    {%- endif -%}
    {%- for column in columns %}
        {{ column }} desc nulls last{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
