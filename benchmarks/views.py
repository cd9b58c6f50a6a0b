"""What the web client asks the server for: ``web_search_read``/``web_read`` specifications built from views.

The specification is read from the views ``get_views`` returns, as the web client does, so that a column or a
field added to a view is benchmarked without touching the cases.
"""

import ast
import contextlib

from lxml import etree

# Fields of the record that the web client's activity widgets read besides the field itself.
WIDGET_DEPENDENCIES = {
    "list_activity": (
        "activity_exception_decoration",
        "activity_exception_icon",
        "activity_state",
        "activity_summary",
        "activity_type_icon",
        "activity_type_id",
    ),
}
SUBVIEW_TAGS = ("list", "kanban", "form")
X2MANY_LIMIT = 40


def view_specification(env, model, view_type, without_module=None):
    """The specification of ``model``'s default ``view_type`` view, as the web client builds it.

    With ``without_module``, the view as it is without that module's inherited views: core's own fields.
    """
    with _without_views(env, model, without_module) if without_module else contextlib.nullcontext():
        result = env[model].get_views([[False, view_type]])
    arch = etree.fromstring(result["views"][view_type]["arch"])
    return _specification(env, arch, model, result["models"])


def search_filter_domain(env, model, filter_name):
    """The domain of a filter of ``model``'s default search view (the action's ``search_default_*``)."""
    result = env[model].get_views([[False, "search"]])
    arch = etree.fromstring(result["views"]["search"]["arch"])
    node = arch.find(f".//filter[@name='{filter_name}']")
    return ast.literal_eval(node.get("domain")) if node is not None else []


def _specification(env, view, model, models):
    fields_info = models[model]["fields"]
    spec = {}
    for node in _field_nodes(view):
        name = node.get("name")
        info = fields_info.get(name)
        if info is None:
            continue
        if info["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif info["type"] in ("one2many", "many2many"):
            spec[name] = _x2many_specification(env, node, info, models)
        else:
            spec.setdefault(name, {})
        for dependency in WIDGET_DEPENDENCIES.get(node.get("widget"), ()):
            if dependency in env[model]._fields:
                spec.setdefault(dependency, {"fields": {"display_name": {}}} if dependency.endswith("_id") else {})
    return spec


def _x2many_specification(env, node, info, models):
    subview = next((child for child in node if child.tag in SUBVIEW_TAGS), None)
    if subview is not None and info["relation"] in models:
        return {"fields": _specification(env, subview, info["relation"], models), "limit": X2MANY_LIMIT}
    related = {"display_name": {}}
    options = ast.literal_eval(node.get("options") or "{}")
    if options.get("color_field"):
        related[options["color_field"]] = {}
    return {"fields": related}


def _field_nodes(node):
    """The view's own ``<field>`` nodes, not those of the x2many sub-views they hold."""
    for child in node:
        if child.tag == "field":
            yield child
        elif isinstance(child.tag, str):
            yield from _field_nodes(child)


@contextlib.contextmanager
def _without_views(env, model, module):
    """``module``'s inherited views of ``model`` switched off, for the time of the block only."""
    view_ids = env["ir.model.data"].search([("module", "=", module), ("model", "=", "ir.ui.view")]).mapped("res_id")
    views = env["ir.ui.view"].browse(view_ids).filtered(lambda view: view.model == model and view.inherit_id)
    savepoint = env.cr.savepoint()
    try:
        views.active = False
        yield
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all(flush=False)
        env.registry.clear_cache("templates")
