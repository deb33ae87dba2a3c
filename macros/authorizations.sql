{% macro authorization_covers(line, authorization) -%}
    {#- Join condition: the authorization is for the line's person and
        code and its period holds the line's service date. The prior
        authorization rule and the daily scope's authorization links use
        the same test, so the scope follows what the rule reads. -#}
    {{ line }}.person_id = {{ authorization }}.person_id
    and {{ line }}.hcpcs_code = {{ authorization }}.hcpcs_code
    and {{ line }}.service_date >= {{ authorization }}.start_date
    and {{ line }}.service_date <= {{ authorization }}.end_date
{%- endmacro %}
