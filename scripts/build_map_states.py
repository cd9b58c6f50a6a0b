"""Match core's res.country.state to the map's state shapes, for scripts/build_map_shapes.sh.

By country and ISO 3166-2 code, then by name without accents, then by the committed alias table. Writes, per core
country code and state code, the shape's key and its centre (Natural Earth's label point), and per country the
mean of its states' centres; prints what matched how.
"""

import argparse
import csv
import json
import unicodedata


def plain(name):
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("-", " ").replace(".", " ").split())


def country_of(row):
    """The country code of a row of core's states (``mx`` or ``base.ec``)."""
    return row["country_id:id"].removeprefix("base.").upper()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shapes", required=True)
    parser.add_argument("--core-states", required=True)
    parser.add_argument("--aliases", required=True)
    parser.add_argument("--countries", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    countries = {code.strip().upper() for code in args.countries.split(",")}
    with open(args.shapes, encoding="utf-8") as file:
        shapes = [feature["properties"] for feature in json.load(file)["features"]]
    by_key = {shape["key"]: shape for shape in shapes if shape.get("key")}
    by_name = {(shape["country"], plain(shape["name"])): shape for shape in shapes}
    with open(args.aliases, encoding="utf-8") as file:
        aliases = {(row["country"].upper(), row["state_code"]): row["shape_key"] for row in csv.DictReader(file)}
    with open(args.core_states, encoding="utf-8") as file:
        core_states = [row for row in csv.DictReader(file) if country_of(row) in countries]

    states, figures, missing = {}, {}, []
    for row in core_states:
        country, code = country_of(row), row["code"]
        counts = figures.setdefault(country, {"code": 0, "name": 0, "alias": 0, "none": 0, "total": 0})
        counts["total"] += 1
        shape, how = by_key.get(f"{country}-{code}"), "code"
        if not shape:
            shape, how = by_name.get((country, plain(row["name"]))), "name"
        if not shape:
            shape, how = by_key.get(aliases.get((country, code))), "alias"
        if not shape:
            counts["none"] += 1
            missing.append(f"{country} {code} {row['name']}")
            continue
        counts[how] += 1
        states.setdefault(country, {})[code] = [shape["key"], shape["latitude"], shape["longitude"]]
    centres = {
        country: [
            round(sum(value[1] for value in values.values()) / len(values), 4),
            round(sum(value[2] for value in values.values()) / len(values), 4),
        ]
        for country, values in states.items()
    }
    with open(args.output, "w", encoding="utf-8") as file:
        json.dump({"states": states, "countries": centres}, file, indent=0, sort_keys=True)
        file.write("\n")
    for country, counts in sorted(figures.items()):
        print(country, " ".join(f"{key}={value}" for key, value in counts.items()))
    for line in missing:
        print("unmatched:", line)


if __name__ == "__main__":
    main()
