"""Commercial conditions: the approval rules, who may put a version of a customer's terms in force."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_commercial_condition import MANAGER_GROUP
from .res_partner_credit import CREDIT_MANAGER_GROUP, get_credit_managers

APPROVAL_ACTIVITY_TYPE = "customer_management.mail_activity_type_condition_approval"


# One class per concern of the model, as the partner's (see the README's architecture).
class CustomerCommercialCondition(models.Model):
    _inherit = "customer.commercial.condition"  # pylint: disable=consider-merging-classes-inherited

    def _needs_approval(self, baselines):
        """Whether the current user may not put this version in force alone: it widens the customer's credit (see
        :meth:`_get_limit_approval` and :meth:`_get_payment_mode_approval`) against any of its ``baselines`` (see
        :meth:`_get_approval_baselines`)."""
        self.ensure_one()
        return any(
            self._get_limit_approval(self.company_id, limit, self.credit_limit)
            or (self.payment_mode and self._get_payment_mode_approval(payment_mode, self.payment_mode))
            for limit, payment_mode in baselines
        )

    def _needs_two_approvers(self, baselines):
        """Whether the version's limit is above the company's approval amount (no limit is above any) and widens
        the customer's against any of its ``baselines``, for a requester who is not a credit manager: then two
        credit managers must approve it."""
        self.ensure_one()
        return (
            self._is_above_approval_amount(self.company_id, self.credit_limit)
            and not self.requested_by_id.has_group(CREDIT_MANAGER_GROUP)
            and any(self._is_limit_raise(limit, self.credit_limit) for limit, _mode in baselines)
        )

    def _get_approval_baselines(self):
        """The terms ``(credit limit, payment mode)`` each version is judged against, ``{version: [terms]}``: those
        in force, and those the customer returns to when a temporary version that it would cut, replace or outlast
        ends (what the daily cron restores). A version that keeps a temporary raise beyond its end is a raise.

        The customers' histories are read in one query, whatever the number of versions.
        """
        history = self._get_history()
        temporary = self.browse(
            [
                other.id
                for versions in history.values()
                for other in versions
                if other.state in ("scheduled", "active") and other.date_to
            ]
        )
        previous = temporary._get_previous_versions(history)
        baselines = {}
        for version in self:
            # sudo: the terms are compared whoever asks; core reserves the limit to accountants.
            partner = version.partner_id.with_company(version.company_id).sudo()
            baselines[version] = [(partner.credit_limit, partner.payment_mode)] + [
                (previous[other].credit_limit, previous[other].payment_mode or partner.payment_mode)
                for other in history.get((version.partner_id, version.company_id), ())
                if other in previous and other != version and other.date_to >= version.date_from and previous[other]
            ]
        return baselines

    @api.model
    def _get_limit_approval(self, company, old_limit, new_limit):
        """The approval the current user needs to take a credit limit from ``old_limit`` to ``new_limit``.

        A limit of 0 means no limit, as in core: the largest limit of all. ``old_limit`` None is a new customer,
        which has no credit yet. Raising the credit limit (to no limit too) is a credit manager's decision
        (``credit_manager``), and above the company's approval amount (no limit is above any) a second credit
        manager's (``second_approval``); lowering it, or changing any other term, needs none (False).
        """
        if not self._is_limit_raise(old_limit, new_limit):
            return False
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return "credit_manager"
        return "second_approval" if self._is_above_approval_amount(company, new_limit) else False

    @api.model
    def _is_limit_raise(self, old_limit, new_limit):
        """Whether ``new_limit`` gives more credit than ``old_limit`` (0 is no limit; ``old_limit`` None, a new
        customer): a new customer's first limit is a raise, and from no limit nothing is."""
        new_limit = new_limit or 0.0
        if old_limit is None:
            return new_limit > 0
        return bool(old_limit) and (not new_limit or new_limit > old_limit)

    @api.model
    def _is_above_approval_amount(self, company, limit):
        """Whether ``limit`` (0: no limit, above any) is above ``company``'s credit limit needing approval."""
        amount = company.customer_credit_approval_amount
        return amount > 0 and (not limit or limit > amount)

    @api.model
    def _get_payment_mode_approval(self, old_mode, new_mode):
        """The approval the current user needs to move a customer from ``old_mode`` to ``new_mode``: a cash customer
        put on credit may owe up to its limit, a credit manager's decision (``credit_manager``); else False."""
        if old_mode == "cash" and new_mode != "cash" and not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return "credit_manager"
        return False

    def _check_approver(self, own_allowed=False):
        """Refuse a user who is not a credit manager, or who approves its own request (administrators may)."""
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            raise AccessError(self.env._("Only a credit manager can approve, refuse or cancel approved conditions."))
        if own_allowed or self.env.user.has_group(MANAGER_GROUP):
            return
        if any(version.requested_by_id == self.env.user for version in self):
            raise UserError(
                self.env._("You cannot approve your own request: another credit manager or an administrator must.")
            )

    def _schedule_approval_activities(self):
        """Give each credit manager of the versions' companies who may approve them (not their requester) an
        activity on each version waiting for approval: one batch, whatever the number of versions."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY_TYPE)
        approvers = {company: get_credit_managers(company) for company in self.company_id}
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        # In each approver's language, not the requester's: the summary is what the approver reads in its list.
        summaries = {
            lang: activity_type.with_context(lang=lang).summary
            for lang in set(self.env["res.users"].concat(*approvers.values()).mapped("lang"))
        }
        vals_list = [
            {
                "activity_type_id": activity_type.id,
                "summary": summaries[approver.lang],
                "automated": True,
                "date_deadline": today,
                "res_model_id": model_id,
                "res_id": version.id,
                "user_id": approver.id,
            }
            for version in self
            for approver in approvers[version.company_id] - version.requested_by_id
        ]
        # sudo: the activities are the workflow's, whoever submits; they show in each approver's activities, without
        # an email per version (a batch of requests would send one per version and approver).
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)

    def _close_approval_activities(self, user=None):
        """Remove the approval activities of these versions (only ``user``'s when given): nobody waits on them
        any more."""
        # sudo, and the context's automation skip ignored: the activities are the workflow's.
        self.sudo().with_context(mail_activity_automation_skip=False).activity_unlink(
            [APPROVAL_ACTIVITY_TYPE], user_id=user and user.id
        )

    def _notify_requesters(self, body):
        """Tell the requesters of these versions ``body`` and which versions, one notification per requester
        (unless they decided themselves)."""
        for requester, versions in self.grouped("requested_by_id").items():
            if not requester or requester == self.env.user:
                continue
            customers = ", ".join(versions.mapped("partner_id.display_name"))
            # sudo: the requester is told of its requests, whatever the approver's mail rights.
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=requester.partner_id.ids,
                subject=body,
                body=self.env._("%(decision)s Customers: %(customers)s.", decision=body, customers=customers),
            )

    @api.model
    def _get_conditions_action(self):
        """The commercial conditions, opened on those waiting for approval for a user who approves them."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_management.customer_commercial_condition_action"
        )
        if self.env.user.has_group(CREDIT_MANAGER_GROUP):
            action["context"] = {"search_default_filter_to_approve": 1}
        return action
