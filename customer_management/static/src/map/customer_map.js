import {
    Component,
    onMounted,
    onWillStart,
    onWillUnmount,
    onWillUpdateProps,
    useRef,
    useState,
} from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { SearchBar } from "@web/search/search_bar/search_bar";
import { WithSearch } from "@web/search/with_search/with_search";

const SHAPES_URL = "/customer_management/static/map/shapes";
// From light to dark: the higher the figure, the darker the region or the marker.
const COLOURS = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"];

/** The colour of ``value`` on the scale of 0 to ``max``. */
export function scaleColour(value, max) {
    if (!max || !value || value <= 0) {
        return COLOURS[0];
    }
    const step = Math.min(COLOURS.length - 1, Math.floor((value / max) * COLOURS.length));
    return COLOURS[step];
}

/**
 * The customer map of the customers of ``domain``: clustered markers coloured by a measure, over a choropleth of their
 * states or countries, with Leaflet and the shapes of static/map/shapes. Everything comes from one call,
 * res.partner.get_customer_map_data; a tile server only where customer_management.map_tile_url says.
 */
export class CustomerMapView extends Component {
    static template = "customer_management.CustomerMapView";
    static props = { domain: { type: Array, optional: true } };
    static defaultProps = { domain: [] };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.mapRef = useRef("map");
        this.state = useState({
            measure: "sales",
            level: "states",
            zoneId: false,
            loadedZoneId: false,
            data: null,
            zones: [],
        });
        this.shapes = {};
        onWillStart(() =>
            Promise.all([
                loadBundle("customer_management.leaflet_lib"),
                this.loadShapes(),
                this.loadZones(),
                this.loadData(),
            ]),
        );
        // The search bar's filters changed: the customers they keep.
        onWillUpdateProps(async (nextProps) => {
            if (JSON.stringify(nextProps.domain) !== JSON.stringify(this.props.domain)) {
                await this.loadData(nextProps.domain);
                this.renderLayers();
            }
        });
        onMounted(() => this.renderMap());
        onWillUnmount(() => {
            this.resizeObserver?.disconnect();
            this.map?.remove();
        });
    }

    async loadShapes() {
        const [states, countries] = await Promise.all(
            ["states", "countries"].map((name) =>
                fetch(`${SHAPES_URL}/${name}.json`).then((response) => response.json()),
            ),
        );
        this.shapes = { states, countries };
    }

    async loadZones() {
        this.state.zones = await this.orm.searchRead("customer.zone", [], ["display_name"], {
            order: "complete_name",
        });
    }

    async loadData(searchDomain = this.props.domain) {
        const zone = this.state.zoneId ? [["customer_zone_id", "child_of", this.state.zoneId]] : [];
        const domain = [...(zone.length && searchDomain.length ? ["&"] : []), ...zone, ...searchDomain];
        const zoneId = this.state.zoneId;
        this.state.data = await this.orm.call("res.partner", "get_customer_map_data", [domain, this.state.measure]);
        this.state.loadedZoneId = zoneId;
    }

    get measureLabel() {
        return this.state.data?.measures.find((measure) => measure.key === this.state.measure)?.label || "";
    }

    get regionFigures() {
        return {
            customers: _t("Customers"),
            sales: _t("Sales 12 Months"),
            overdue: _t("Overdue"),
        };
    }

    /** The region figure the choropleth shows: the measure where regions have it, else their customers. */
    get regionFigure() {
        const regions = this.state.data?.[this.state.level] || [];
        return regions.length && this.state.measure in regions[0] ? this.state.measure : "customers";
    }

    async onMeasureChange(measure) {
        this.state.measure = measure;
        await this.loadData();
        this.renderLayers();
    }

    async onZoneChange(ev) {
        this.state.zoneId = ev.target.value ? Number(ev.target.value) : false;
        await this.loadData();
        this.renderLayers();
    }

    onLevelChange(level) {
        this.state.level = level;
        this.renderLayers();
    }

    renderMap() {
        this.map = L.map(this.mapRef.el, { worldCopyJump: true, minZoom: 2, maxZoom: 18 });
        const markers = this.state.data.markers.map((marker) => [marker.lat, marker.lng]);
        if (markers.length) {
            this.map.fitBounds(L.latLngBounds(markers), { maxZoom: 7, padding: [20, 20] });
        } else {
            this.map.setView([23.6, -102.5], 4);
        }
        if (this.state.data.tile_url) {
            L.tileLayer(this.state.data.tile_url, { maxZoom: 18 }).addTo(this.map);
        }
        // The action's layout may give the map its height after it is drawn: Leaflet must know its real size.
        this.resizeObserver = new ResizeObserver(() => this.map.invalidateSize());
        this.resizeObserver.observe(this.mapRef.el);
        this.renderLayers();
    }

    renderLayers() {
        if (!this.map) {
            return;
        }
        this.regionLayer?.remove();
        this.markerLayer?.remove();
        const data = this.state.data;
        const figure = this.regionFigure;
        const regions = Object.fromEntries(data[this.state.level].map((region) => [region.key, region]));
        const maxRegion = Math.max(0, ...data[this.state.level].map((region) => region[figure] || 0));
        const keyOf = (feature) =>
            this.state.level === "states" ? feature.properties.key : feature.properties.country;
        this.regionLayer = L.geoJSON(this.shapes[this.state.level], {
            style: (feature) => ({
                color: "#666",
                weight: 0.5,
                fillOpacity: regions[keyOf(feature)] ? 0.7 : 0.15,
                fillColor: scaleColour(regions[keyOf(feature)]?.[figure], maxRegion),
            }),
            onEachFeature: (feature, layer) => {
                const region = regions[keyOf(feature)];
                const lines = [`<strong>${escapeHtml(feature.properties.name)}</strong>`];
                if (region) {
                    for (const [key, label] of Object.entries(this.regionFigures)) {
                        if (key in region) {
                            lines.push(
                                `${escapeHtml(label)}: ${formatFloat(region[key], { digits: [16, key === "customers" ? 0 : 2] })}`,
                            );
                        }
                    }
                }
                layer.bindTooltip(lines.join("<br/>"), { sticky: true });
            },
        }).addTo(this.map);
        const maxMarker = Math.max(0, ...data.markers.map((marker) => marker.value));
        this.markerLayer = L.markerClusterGroup({ maxClusterRadius: 40 });
        for (const marker of data.markers) {
            const circle = L.circleMarker([marker.lat, marker.lng], {
                radius: 7,
                color: marker.located ? "#333" : "#999",
                dashArray: marker.located ? null : "2",
                weight: 1,
                fillOpacity: 0.9,
                fillColor: scaleColour(marker.value, maxMarker),
            });
            const where = marker.located ? "" : `<br/><em>${escapeHtml(_t("Placed at its state's centre"))}</em>`;
            circle.bindPopup(
                `<strong>${escapeHtml(marker.name)}</strong><br/>${escapeHtml(this.measureLabel)}: ` +
                    `${formatFloat(marker.value, { digits: [16, 2] })}${where}`,
            );
            circle.on("dblclick", () => this.openCustomer(marker.id));
            this.markerLayer.addLayer(circle);
        }
        this.markerLayer.addTo(this.map);
    }

    openCustomer(partnerId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: partnerId,
            views: [[false, "form"]],
        });
    }
}

function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text ?? "";
    return div.innerHTML;
}

/**
 * The customer map action (Sales > Customers > Analysis > Map): the customers' search bar, with the filters and
 * favorites of the customers' list, above the map of the customers it keeps.
 */
export class CustomerMap extends Component {
    static template = "customer_management.CustomerMap";
    static components = { WithSearch, SearchBar, CustomerMapView };
    static props = ["*"];

    setup() {
        this.withSearchProps = {
            resModel: "res.partner",
            searchViewId: false,
            searchMenuTypes: ["filter", "favorite"],
            context: this.props.action?.context || {},
            loadIrFilters: true,
        };
    }
}

registry.category("actions").add("customer_management.customer_map", CustomerMap);
