import { registry } from "@web/core/registry";

// Opens the customer map (Sales > Customers > Analysis > Map), switches the measure, searches the customers, filters a
// zone and shows the countries.
registry.category("web_tour.tours").add("customer_management_map_tour", {
    steps: () => {
        const countOnMap = () => parseInt(document.querySelector(".o_customer_map_count").textContent);
        let allCustomers = 0;
        return [
            {
                content: "The map draws the states",
                trigger: ".o_customer_map .leaflet-container path.leaflet-interactive",
                run() {
                    const canvas = document.querySelector(".o_customer_map_canvas");
                    if (canvas.getBoundingClientRect().height < 200) {
                        throw new Error("The map has no room");
                    }
                    allCustomers = countOnMap();
                    if (!allCustomers) {
                        throw new Error("No customer on the map");
                    }
                },
            },
            {
                content: "The map places the customers",
                trigger:
                    ".o_customer_map .leaflet-container .marker-cluster, .o_customer_map .leaflet-container path.leaflet-interactive[stroke='#333']",
            },
            {
                content: "Colour the markers by OTIF",
                trigger: ".o_customer_map_measure[data-measure='otif']",
                run: "click",
            },
            {
                trigger: ".o_customer_map_measure.active[data-measure='otif']",
            },
            {
                content: "Search the customers by name in the customers' search bar",
                trigger: ".o_customer_map .o_searchview_input",
                run: "edit Comercializadora",
            },
            {
                trigger: ".o_customer_map .o_searchview_input",
                run: "press Enter",
            },
            {
                content: "The map keeps the customers the search finds",
                trigger: ".o_customer_map .o_searchview_facet:contains(Comercializadora)",
                run() {
                    const count = countOnMap();
                    if (!(count > 0 && count < allCustomers)) {
                        throw new Error(`${count} customers found, ${allCustomers} in all`);
                    }
                },
            },
            {
                content: "Keep the customers of the North zone",
                trigger: "select.o_customer_map_zone",
                run: "selectByLabel Zona Norte",
            },
            {
                content: "The map shows the zone's customers only",
                trigger: ".o_customer_map_count:not([data-zone='0'])",
                run() {
                    const count = countOnMap();
                    if (!(count > 0 && count < allCustomers)) {
                        throw new Error(`${count} customers in the zone, ${allCustomers} in all`);
                    }
                },
            },
            {
                content: "Show the countries",
                trigger: ".o_customer_map_level[data-level='countries']",
                run: "click",
            },
            {
                trigger: ".o_customer_map_level.active[data-level='countries']",
            },
        ];
    },
});
