{#
    Seed loading on Spark. dbt-spark's session method puts every seed value
    into the insert as '{value}' with no escaping, so a value holding a
    quote (lactated Ringer's) breaks the statement, and an empty cell is
    loaded as the text 'None'. This override writes each value as a quoted,
    escaped literal, and an empty cell as null, then casts it to the
    column's type like dbt-spark does. Used on spark only (dispatch picks
    spark__load_csv_rows of the root project before the adapter's).
#}

{% macro spark_literal(value) -%}
    {#- A seed cell as a Spark literal: null, or escaped quoted text. -#}
    {%- if value is none -%}
        null
    {%- else -%}
        {%- set text = (value | string) if value is not sameas true
            and value is not sameas false else (value | string | lower) -%}
        '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}


{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(
                        agate_table, loop.index0
                    ) -%}
                    {%- set type = column_override.get(
                        col_name, inferred_type
                    ) -%}
                    cast({{ spark_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
