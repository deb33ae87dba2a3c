{#
    dbt.listagg on Spark. dbt-spark ignores the order_by_clause (it warns
    and joins collect_list in whatever order the rows arrive), so lists
    such as rule_ids would come out in a different order than on DuckDB
    and Postgres. Spark 4 has listagg ... within group (order by ...),
    which keeps the order the model asks for. Dispatch finds this root
    project macro before dbt-spark's own spark__listagg.
#}

{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num)
    -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error(
            "infusion_edits: listagg with limit_num is not supported on "
            ~ target.type
        ) }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
