"""The workflow's own fields, refused from callers, and its writes of them in batches."""

from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError


class CustomerWorkflowMixin(models.AbstractModel):
    """Fields that only a record's workflow writes (states, approvers, figures it records), refused from callers.

    A caller over RPC sends any values it likes, on create as on write: a model lists in ``_workflow_fields`` the
    fields its actions and crons write, and in ``_workflow_values`` the values of a field that only they may set
    (the other values stay the user's). The workflow writes them as superuser, after checking the user's rights
    itself; any other caller that gives them is refused, and nothing is written. On create, a field's default is
    accepted, so that a client sending the defaults it read is not refused.
    """

    _name = "customer.workflow.mixin"
    _description = "Customer Management Workflow Fields"

    # Field names written by the workflow only.
    _workflow_fields = ()
    # {field name: values that only the workflow sets}.
    _workflow_values = {}

    @api.model_create_multi
    def create(self, vals_list):
        records = self
        if not self.env.su:
            # A default given in the context is a value given too: the fields' own defaults apply, never a caller's.
            reserved = {f"default_{fname}" for fname in (*self._workflow_fields, *self._workflow_values)}
            if reserved & self.env.context.keys():
                # A new context without those keys (keyword arguments could only add to it).
                context = {key: value for key, value in self.env.context.items() if key not in reserved}
                records = self.with_context(context)  # pylint: disable=context-overridden
        records._check_workflow_vals(vals_list, creating=True)
        return super(CustomerWorkflowMixin, records).create(vals_list)

    def write(self, vals):
        self._check_workflow_vals([vals])
        return super().write(vals)

    @api.model
    def _check_workflow_vals(self, vals_list, creating=False):
        """Refuse, unless in the workflow's own superuser code, values of the workflow's fields in ``vals_list``."""
        if self.env.su:
            return
        reserved = set(self._workflow_fields) | set(self._workflow_values)
        given = {fname for vals in vals_list for fname in vals} & reserved
        if not given:
            return
        defaults = self.default_get(list(given)) if creating else {}
        for vals in vals_list:
            for fname in given & vals.keys():
                value = vals[fname]
                if fname in self._workflow_values:
                    refused = value in self._workflow_values[fname]
                else:
                    refused = not (
                        creating and (value == defaults.get(fname) or (not value and not defaults.get(fname)))
                    )
                if refused:
                    raise UserError(
                        self.env._(
                            "%(field)s of %(model)s is set by its workflow (its buttons and scheduled actions) and "
                            "cannot be given.",
                            field=self._fields[fname].get_description(self.env)["string"],
                            model=self.env["ir.model"].sudo()._get(self._name).name,
                        )
                    )

    def _write_grouped(self, vals_by_record):
        """Write ``{record: vals}`` once per distinct ``vals``, whatever the number of records: a workflow moves
        records in batches (the records are written in the environment of ``self``)."""
        batches = defaultdict(list)
        for record, vals in vals_by_record.items():
            if vals:
                batches[tuple(sorted(vals.items()))].append(record.id)
        for vals, ids in batches.items():
            self.browse(ids).write(dict(vals))
