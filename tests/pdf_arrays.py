#!/usr/bin/env python3
"""pdf_arrays.py FILE.pdf

Reads FILE.pdf with qpdf --json and prints the largest array of each tree
libharu's array limit (32,767 items) splits: the structure elements' /K,
the parent tree's /Nums and /Kids, the page tree's /Kids; then how deep the
parent tree and the page tree go. An element's /K may hold one more than
the limit: its NonStruct continuation. petition.sh lowers the limit in a test
build (MISSIVE_TEST_ARRAY_MAX) and checks that no array passes it."""
import json
import re
import subprocess
import sys

doc = json.loads(subprocess.run(["qpdf", "--json", sys.argv[1]], capture_output=True,
                                check=True).stdout)
objects = doc["qpdf"][1]


def resolve(value):
    while isinstance(value, str) and re.fullmatch(r"\d+ \d+ R", value):
        value = objects["obj:" + value]
        value = value.get("value", value.get("stream"))
    return value


catalog = resolve(doc["qpdf"][0]["trailer"]["/Root"]) if "trailer" in doc["qpdf"][0] else None
if catalog is None:
    catalog = resolve(objects["trailer"]["value"]["/Root"])
largest = {"K": 0, "Nums": 0, "ParentTree Kids": 0, "Pages Kids": 0}


def elements(ref):
    element = resolve(ref)
    kids = resolve(element.get("/K", []))
    kids = kids if isinstance(kids, list) else [kids]
    # A cell holds one signer's marks and spans, never near the limit.
    if element["/S"] != "/TD":
        largest["K"] = max(largest["K"], len(kids))
    for kid in kids:
        value = resolve(kid)
        if isinstance(value, dict) and "/S" in value:
            elements(kid)


def number_tree(ref):
    node = resolve(ref)
    largest["Nums"] = max(largest["Nums"], len(resolve(node.get("/Nums", []))))
    kids = resolve(node.get("/Kids", []))
    largest["ParentTree Kids"] = max(largest["ParentTree Kids"], len(kids))
    return 1 + max((number_tree(kid) for kid in kids), default=0)


def page_tree(ref):
    node = resolve(ref)
    if node.get("/Type") != "/Pages":
        return 0
    kids = resolve(node["/Kids"])
    largest["Pages Kids"] = max(largest["Pages Kids"], len(kids))
    return 1 + max(page_tree(kid) for kid in kids)


root = resolve(catalog["/StructTreeRoot"])
for top in resolve(root["/K"]) if isinstance(resolve(root["/K"]), list) else [root["/K"]]:
    elements(top)
depth = number_tree(root["/ParentTree"])
pages = page_tree(catalog["/Pages"])
print(", ".join("%s %d" % kv for kv in largest.items()) +
      "; parent tree %d levels, page tree %d levels" % (depth, pages))
