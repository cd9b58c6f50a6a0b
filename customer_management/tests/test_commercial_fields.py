"""The classification shared by a company and its contacts: the commercial fields they keep in step."""

from odoo.tests import tagged

from .common import CustomerManagementCase


@tagged("post_install", "-at_install")
class TestCommercialFields(CustomerManagementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(
            state_id=cls.nuevo_leon.id,
            customer_segment="wholesale",
            payment_mode="credit",
            customer_channel_id=cls.channel_shop.id,
        )

    def _create_child(self, **values):
        return self.env["res.partner"].create({"name": "Laura Garza", "parent_id": self.customer.id, **values})

    def test_new_contact_inherits_classification(self):
        """A new contact or address takes its company's segment, payment mode, zone and channel."""
        for partner_type in ("contact", "delivery", "invoice"):
            child = self._create_child(type=partner_type)
            self.assertRecordValues(
                child,
                [
                    {
                        "customer_segment": "wholesale",
                        "payment_mode": "credit",
                        "customer_zone_id": self.zone_north.id,
                        "customer_channel_id": self.channel_shop.id,
                    }
                ],
            )

    def test_company_change_propagates_to_contacts(self):
        """Changing the company's classification changes its contacts' and addresses'."""
        contact = self._create_child()
        address = self._create_child(type="delivery", state_id=self.jalisco.id, zip="44600")
        self.customer.write(
            {"customer_segment": "retail", "payment_mode": "cash", "customer_channel_id": self.channel_horeca.id}
        )
        self.customer.customer_zone_id = self.zone_west
        for child in contact | address:
            self.assertRecordValues(
                child,
                [
                    {
                        "customer_segment": "retail",
                        "payment_mode": "cash",
                        "customer_zone_id": self.zone_west.id,
                        "customer_channel_id": self.channel_horeca.id,
                    }
                ],
            )

    def test_delivery_address_elsewhere_keeps_customer_zone(self):
        """A delivery address in another state stays in its customer's zone: the zone classifies the customer."""
        address = self._create_child(type="delivery", state_id=self.jalisco.id, zip="44600")
        self.assertEqual(address.customer_zone_id, self.zone_north)

    def test_address_move_of_company_moves_contacts_zone(self):
        """When the company's address proposes a new zone, its contacts follow."""
        contact = self._create_child()
        self.customer.state_id = self.jalisco
        self.assertEqual(contact.customer_zone_id, self.zone_west)
