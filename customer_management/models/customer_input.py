"""Input checks shared by the module's models: what a caller sends is checked before it is stored, with clear errors."""

import reprlib
from datetime import date, datetime

from odoo import api, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.models import parse_read_group_spec, regex_order

MODULE = "customer_management"
# A refused value as the message quotes it, shortened.
_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 40
_quote = _repr.repr
NUMBER_TYPES = ("float", "monetary")
TEXT_TYPES = ("char", "text", "html")
X2MANY_TYPES = ("one2many", "many2many")
# The first item of each x2many command (Command.CREATE ... Command.SET).
COMMANDS = range(7)


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


class CustomerInputMixin(models.AbstractModel):
    """What a caller sends to the module's models is checked before it is stored: the values of the module's fields
    by their type, the ids of the records acted on, the fields searched and sorted by.

    Over RPC a caller sends any value; the ORM's generic conversions answer a wrong one with a server error
    (``TypeError``, ``ValueError``, a PostgreSQL error), or store it, or clear the field. The refusals here name the
    field, in the caller's language.
    """

    _name = "customer.input.mixin"
    _description = "Customer Input Checks"
    # Core fields the module's own code compares or computes with, checked as the module's fields are.
    _customer_input_extra_fields = ()

    @api.model
    @tools.ormcache()
    def _get_customer_input_fields(self):
        """The names of the fields whose values :meth:`_check_customer_input` checks: the module's own fields (not
        Odoo's automatic ones) and :attr:`_customer_input_extra_fields`."""
        return frozenset(
            fname
            for fname, field in self._fields.items()
            if (MODULE in (field._modules or ()) and not field.automatic) or fname in self._customer_input_extra_fields
        )

    @api.model
    def _check_customer_input(self, vals_list):
        """Refuse ``vals_list`` (of ``create``, or ``[vals]`` of ``write``) when a value of one of the module's fields
        is not of its field's type, or names a record that does not exist, or writes a computed field that cannot be
        written.

        No query but one ``exists()`` per comodel for the whole batch, of the many2one ids given.
        """
        checked = self._get_customer_input_fields()
        ids_by_field = {}
        for vals in vals_list:
            for fname in checked.intersection(vals):
                field = self._fields[fname]
                value = vals[fname]
                if field.compute and field.readonly and not field.inverse:
                    raise UserError(
                        self.env._(
                            "%(field)s is computed and cannot be written.", field=field._description_string(self.env)
                        )
                    )
                if field.type == "many2one" and _is_id(value):
                    ids_by_field.setdefault(field, set()).add(value)
                elif not self._is_customer_input_valid(field, value):
                    raise ValidationError(self._get_customer_input_error(field, value))
        for field, ids in ids_by_field.items():
            # sudo: whether the record exists, not whether the caller may read it (the access rules judge that).
            missing = ids - set(self.env[field.comodel_name].sudo().browse(ids).exists().ids)
            if missing:
                raise ValidationError(
                    self.env._(
                        "%(field)s: there is no record with the id %(ids)s.",
                        field=field._description_string(self.env),
                        ids=", ".join(str(id_) for id_ in sorted(missing)),
                    )
                )

    @api.model
    def _is_customer_input_valid(self, field, value):
        """Whether ``value`` is one ``field`` stores as given; False/None empties any field."""
        if value is False or value is None:
            return True
        if field.type in NUMBER_TYPES:
            return _is_number(value)
        if field.type == "integer":
            return _is_id(value) or (isinstance(value, float) and value.is_integer())
        if field.type == "boolean":
            return isinstance(value, bool)
        if field.type in TEXT_TYPES:
            return isinstance(value, str)
        if field.type == "selection":
            return value in field.get_values(self.env)
        if field.type in ("date", "datetime"):
            return self._is_customer_date_valid(field, value)
        if field.type == "many2one":
            return isinstance(value, models.BaseModel) and value._name == field.comodel_name and len(value) <= 1
        if field.type in X2MANY_TYPES:
            return isinstance(value, models.BaseModel) or (
                isinstance(value, list | tuple) and all(self._is_customer_command_valid(command) for command in value)
            )
        return True

    @api.model
    def _is_customer_date_valid(self, field, value):
        if isinstance(value, datetime) or (isinstance(value, date) and field.type == "date"):
            return True
        if not isinstance(value, str | date):
            return False
        try:
            field.to_date(value) if field.type == "date" else field.to_datetime(value)
        except ValueError:
            return False
        return True

    @api.model
    def _is_customer_command_valid(self, command):
        """Whether ``command`` is an x2many command (``Command.create(...)``, ``Command.set(ids)``...) or an id."""
        if _is_id(command):
            return True
        if not isinstance(command, list | tuple) or not command or command[0] not in COMMANDS:
            return False
        if command[0] == 5:
            return True
        if len(command) < 2 or (command[0] != 0 and not _is_id(command[1])):
            return False
        if command[0] in (0, 1):
            return len(command) == 3 and isinstance(command[2], dict)
        if command[0] == 6:
            return len(command) == 3 and isinstance(command[2], list | tuple) and all(map(_is_id, command[2]))
        return True

    @api.model
    def _get_customer_input_error(self, field, value):
        """The message refusing ``value`` for ``field``, naming the field and what it expects."""
        label = field._description_string(self.env)
        shown = _quote(value)
        if field.type in NUMBER_TYPES:
            return self.env._("%(field)s must be a number, not %(value)s.", field=label, value=shown)
        if field.type == "integer":
            return self.env._("%(field)s must be a whole number, not %(value)s.", field=label, value=shown)
        if field.type == "boolean":
            return self.env._("%(field)s must be true or false, not %(value)s.", field=label, value=shown)
        if field.type in TEXT_TYPES:
            return self.env._("%(field)s must be a text, not %(value)s.", field=label, value=shown)
        if field.type == "selection":
            return self.env._(
                "%(value)s is not a value of %(field)s; its values are: %(values)s.",
                field=label,
                value=shown,
                values=", ".join(str(key) for key in field.get_values(self.env)),
            )
        if field.type == "date":
            return self.env._("%(field)s must be a date (YYYY-MM-DD), not %(value)s.", field=label, value=shown)
        if field.type == "datetime":
            return self.env._(
                "%(field)s must be a date and time (YYYY-MM-DD HH:MM:SS), not %(value)s.", field=label, value=shown
            )
        if field.type == "many2one":
            return self.env._("%(field)s must be the id of a record, not %(value)s.", field=label, value=shown)
        return self.env._("%(field)s must be a list of commands, not %(value)s.", field=label, value=shown)

    def _check_customer_ids(self):
        """Refuse records whose ids are not whole numbers, as a caller over RPC may give them."""
        wrong = [id_ for id_ in self._ids if not _is_id(id_) and not isinstance(id_, models.NewId)]
        if wrong:
            raise UserError(
                self.env._("Records are given by their ids, whole numbers, not %(ids)s.", ids=_quote(wrong))
            )

    def _ensure_one_for_action(self):
        """``ensure_one()`` for the public actions: a caller giving another number of records is told so."""
        if len(self) != 1:
            raise UserError(
                self.env._("This action applies to one record at a time, and %(count)s were given.", count=len(self))
            )

    @api.model
    def _get_dialog_action(self, model, name, context):
        """A new record of ``model`` in a dialog titled ``name``, with ``context``: the module's wizards and quick
        entries, opened from one record (which the caller checks with :meth:`_ensure_one_for_action` before it
        reads the record for ``context``)."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Odoo ignores, with an error in the log only, a condition on a field it cannot search: the search would
        # return every record.
        for leaf in domain or ():
            if isinstance(leaf, list | tuple) and len(leaf) == 3 and isinstance(leaf[0], str):
                field = self._fields.get(leaf[0].split(".", 1)[0])
                if field and field.name in self._get_customer_input_fields() and not field._description_searchable:
                    raise UserError(
                        self.env._(
                            "%(model)s cannot be searched by %(field)s: it is computed when read, not stored.",
                            model=self.env["ir.model"]._get(self._name).name,
                            field=field._description_string(self.env),
                        )
                    )
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _order_to_sql(self, order, query, alias=None, reverse=False):
        # Odoo refuses to sort by a field that is not stored with a ValueError, which a caller sees as a server error.
        checked = self._get_customer_input_fields()
        for order_part in (order or "").split(","):
            match = regex_order.match(order_part)
            field = match and self._fields.get(match["field"])
            if field and field.name in checked and not (field.store and field.column_type):
                # A figure the caller may not read is an access error before it is anything else.
                self.check_field_access_rights("read", [field.name])
            if (
                field
                and field.name in checked
                and not (field.store and field.column_type)
                and not field._description_sortable(self.env)
            ):
                raise UserError(
                    self.env._(
                        "%(model)s cannot be sorted by %(field)s: it is computed when read, not stored.",
                        model=self.env["ir.model"]._get(self._name).name,
                        field=field._description_string(self.env),
                    )
                )
        return super()._order_to_sql(order, query, alias=alias, reverse=reverse)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        # Odoo refuses to group or total by a field that is not stored with a ValueError, a server error to a caller
        # (fields_get asks the lower methods whether a field can be grouped, and expects that ValueError).
        for spec in (*groupby, *aggregates):
            if spec != "__count":
                self._check_customer_read_group_field(spec)
        return super()._read_group(
            domain, groupby=groupby, aggregates=aggregates, having=having, offset=offset, limit=limit, order=order
        )

    @api.model
    def _check_customer_read_group_field(self, spec):
        """Refuse to group or total by a module figure computed when read (Odoo's ``ValueError`` is a server error to
        a caller), or by one the caller may not read."""
        field = self._fields.get(parse_read_group_spec(spec)[0])
        if not field or field.name not in self._get_customer_input_fields() or field.store:
            return
        self.check_field_access_rights("read", [field.name])
        if not (field.related and field.related_field.store):
            raise UserError(
                self.env._(
                    "%(model)s cannot be grouped or totalled by %(field)s: it is computed when read, not stored.",
                    model=self.env["ir.model"]._get(self._name).name,
                    field=field._description_string(self.env),
                )
            )


class CustomerInputCheckedMixin(models.AbstractModel):
    """The module's models whose create and write do nothing before their values are checked: the check is theirs
    by inheritance. A model whose own create or write reads the values first calls the check itself, at its top."""

    _name = "customer.input.checked.mixin"
    _inherit = ["customer.input.mixin"]
    _description = "Customer Input Checked on Create and Write"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_customer_input(vals_list)
        return super().create(self._prepare_checked_vals_list(vals_list))

    def write(self, vals):
        self._check_customer_input([vals])
        return super().write(vals)

    @api.model
    def _prepare_checked_vals_list(self, vals_list):
        """The values to create, once checked: a model completes them here."""
        return vals_list
