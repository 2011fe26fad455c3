#!/usr/bin/env python3
"""pdfa.py FILE.pdf

Reads FILE.pdf with qpdf (--check and --json), never with missive, and
prints one line per PDF/A-3 clause missive claims, stating what was found:
the header, the XMP claims and their agreement with the Info dictionary,
the output intent, the transparency groups of soft-masked pages, the /ID,
embedded fonts, what PDF/A forbids. pdfa.sh compares the lines exactly."""
import base64
import hashlib
import json
import re
import subprocess
import sys
import xml.dom.minidom

SRGB = "/usr/share/color/icc/sRGB.icc"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}

path = sys.argv[1]
raw = open(path, "rb").read()
out = []

check = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
out.append("qpdf --check " + ("clean" if check.returncode == 0 and not check.stderr else
                              "FAILED " + check.stderr.strip()))
doc = json.loads(subprocess.run(["qpdf", "--json", "--json-stream-data=inline", path],
                                capture_output=True, check=True).stdout)
objects = doc["qpdf"][1]


def resolve(value):
    while isinstance(value, str) and re.fullmatch(r"\d+ \d+ R", value):
        value = objects["obj:" + value]
        value = value.get("value", value.get("stream"))
    return value


def stream_data(ref):
    return base64.b64decode(objects["obj:" + ref]["stream"]["data"])


def text(value):
    value = resolve(value)
    if value.startswith("u:"):
        return value[2:]
    if value.startswith("b:"):
        data = bytes.fromhex(value[2:])
        return data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode("latin-1")
    return value


head = raw[:16]
binary = len(head) > 13 and head[9:10] == b"%" and all(c >= 128 for c in head[10:14])
out.append("header " + head[:8].decode("latin-1") + (" binary-comment" if binary else " NO-BINARY-COMMENT"))

trailer = objects["trailer"]["value"]
catalog = resolve(trailer["/Root"])
info = resolve(trailer.get("/Info", {}))

# The XMP packet and the Info dictionary, value by value.
meta = resolve(catalog["/Metadata"])
meta_dict = meta["dict"]
packet = stream_data(catalog["/Metadata"])
dom = xml.dom.minidom.parseString(packet)


def xmp(ns, name):
    nodes = dom.getElementsByTagNameNS(NS[ns], name)
    if not nodes:
        return None
    items = nodes[0].getElementsByTagNameNS(RDF, "li")
    values = [("".join(c.data for c in li.childNodes if c.nodeType == c.TEXT_NODE)) for li in items]
    if items:
        return values[0] if len(values) == 1 else values
    return "".join(c.data for c in nodes[0].childNodes if c.nodeType == c.TEXT_NODE)


def iso(pdf_date):
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'?", pdf_date)
    return m and "%s-%s-%sT%s:%s:%s%s%s:%s" % m.groups()


out.append("metadata stream /Type %s /Subtype %s %s" % (
    meta_dict.get("/Type"), meta_dict.get("/Subtype"),
    "unfiltered" if "/Filter" not in meta_dict else "FILTERED"))
claims = "pdfaid:part=%s pdfaid:conformance=%s" % (xmp("pdfaid", "part"), xmp("pdfaid", "conformance"))
if xmp("pdfuaid", "part"):
    claims += " pdfuaid:part=" + xmp("pdfuaid", "part")
out.append(claims)
pairs = [("/Title", "dc", "title", text), ("/Author", "dc", "creator", text),
         ("/Subject", "dc", "description", text), ("/Creator", "xmp", "CreatorTool", text),
         ("/Producer", "pdf", "Producer", text), ("/CreationDate", "xmp", "CreateDate", lambda v: iso(text(v))),
         ("/ModDate", "xmp", "ModifyDate", lambda v: iso(text(v)))]
agree, differ = [], []
for key, ns, name, convert in pairs:
    if key not in info and xmp(ns, name) is None:
        continue
    (agree if key in info and convert(info[key]) == xmp(ns, name) else differ).append(key[1:])
out.append("info = xmp: " + " ".join(agree) + (" DIFFER: " + " ".join(differ) if differ else ""))

# The output intent and its profile.
intents = resolve(catalog.get("/OutputIntents", []))
for intent in intents:
    intent = resolve(intent)
    profile = stream_data(intent["/DestOutputProfile"])
    ok = hashlib.sha256(profile).digest() == hashlib.sha256(open(SRGB, "rb").read()).digest()
    out.append("output intent %s %s, profile %s /N %s" % (
        intent.get("/S"), text(intent["/OutputConditionIdentifier"]),
        "= icc-profiles-free sRGB.icc" if ok else "OTHER",
        resolve(objects["obj:" + intent["/DestOutputProfile"]]["stream"]["dict"]["/N"])))
if not intents:
    out.append("NO OUTPUT INTENT")

# Pages drawing soft-masked images and their transparency groups.
masked = grouped = 0
for page in doc["pages"]:
    page_obj = resolve(page["object"])
    xobjects = resolve(resolve(page_obj.get("/Resources", {})).get("/XObject", {}))
    if any("/SMask" in resolve(x)["dict"] for x in xobjects.values()):
        masked += 1
        group = resolve(page_obj.get("/Group", {}))
        grouped += group.get("/S") == "/Transparency" and group.get("/CS") == "/DeviceRGB"
out.append("pages %d, with soft masks %d, of them with an RGB transparency group %d" % (
    len(doc["pages"]), masked, grouped))

# The /ID: the MD5 of the file with the /ID zeroed. A file signed later
# (an incremental update) keeps the /ID of the revision it updates, as PDF
# requires of the first element: then it is the MD5 of that revision (the
# bytes up to its %%EOF), each of its /ID strings zeroed.
ids = [v[2:] for v in trailer.get("/ID", [])]
def md5_zeroed(data):
    for value in set(ids):
        data = data.replace(b"<" + value.upper().encode() + b">", b"<" + b"0" * 32 + b">")
    return hashlib.md5(data).hexdigest()
ends = [m.end() for m in re.finditer(rb"%%EOF\r?\n?", raw)]
revisions = [raw[:e] for e in ends[:-1]] + [raw]
matched = None
if len(ids) == 2 and ids[0] == ids[1]:
    matched = next((k for k, r in enumerate(revisions) if md5_zeroed(r) == ids[0]), None)
if matched == len(revisions) - 1:
    out.append("/ID = MD5 of the file")
elif matched is not None:
    out.append("/ID = MD5 of revision %d of %d, kept by the later updates" % (
        matched + 1, len(revisions)))
else:
    out.append("/ID NOT FROM CONTENT " + str(ids))

# Fonts embedded; nothing PDF/A forbids.
fonts = embedded = 0
forbidden = set()
for key, obj in objects.items():
    value = obj.get("value", obj.get("stream", {}).get("dict"))
    if isinstance(value, dict):
        if value.get("/Type") == "/FontDescriptor":
            fonts += 1
            embedded += any(k in value for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for bad in ("/JS", "/JavaScript", "/Launch", "/GoToR", "/URI", "/Encrypt", "/AA", "/OpenAction"):
            if bad in value or value.get("/S") == bad:
                forbidden.add(bad)
if "/Encrypt" in trailer:
    forbidden.add("/Encrypt")
out.append("font descriptors %d, embedded %d" % (fonts, embedded))

# Associated files (PDF/A-3 6.8): in the catalog's /AF and its
# /EmbeddedFiles name tree, each with /AFRelationship and a MIME type.
associated = []
tree = resolve(resolve(resolve(catalog.get("/Names", {})).get("/EmbeddedFiles", {})).get("/Names", []))
named = {resolve(tree[i + 1]) is not None and tree[i + 1]: text(tree[i]) for i in range(0, len(tree), 2)}
for ref in resolve(catalog.get("/AF", [])):
    spec = resolve(ref)
    stream = objects["obj:" + resolve(spec["/EF"])["/F"]]["stream"]["dict"]
    associated.append("%s (%s, %s%s)" % (text(spec["/UF"]), spec.get("/AFRelationship"),
                                        stream.get("/Subtype", "/NO-MIME-TYPE")[1:].replace("#2f", "/"),
                                        "" if named.get(ref) == text(spec["/UF"]) else ", NOT IN /EmbeddedFiles"))
out.append("associated files: " + ("; ".join(associated) if associated else "none"))

# Tagged PDF (PDF/UA-1): the catalog's entries, the structure tree, and
# every drawing operator of every page inside marked content that the
# parent tree maps back to the element holding its MCID.
mark_info = resolve(catalog.get("/MarkInfo", {}))
preferences = resolve(catalog.get("/ViewerPreferences", {}))
out.append("/MarkInfo /Marked %s, /Lang %s, DisplayDocTitle %s" % (
    str(mark_info.get("/Marked")).lower(), text(catalog["/Lang"]) if "/Lang" in catalog else "NONE",
    str(preferences.get("/DisplayDocTitle")).lower()))
tree_root = resolve(catalog.get("/StructTreeRoot", {}))
types, alts, langs, owner = {}, [], [], {}


def walk(ref, parent_ref):
    element = resolve(ref)
    kind = element["/S"][1:]
    types[kind] = types.get(kind, 0) + 1
    if resolve(element.get("/P")) is not resolve(parent_ref):
        types["BAD-PARENT"] = types.get("BAD-PARENT", 0) + 1
    if kind == "Figure":
        alts.append(text(element["/Alt"]) if "/Alt" in element else "NO ALT")
    if "/Lang" in element:
        langs.append(text(element["/Lang"]))
    if kind == "TH" and resolve(resolve(element.get("/A", {})).get("/Scope")) != "/Column":
        types["TH-WITHOUT-SCOPE"] = 1
    page = element.get("/Pg")
    for kid in resolve(element.get("/K", [])):
        kid_value = resolve(kid)
        if isinstance(kid, int):
            owner[(page, kid)] = ref
        elif isinstance(kid_value, dict) and kid_value.get("/Type") == "/MCR":
            owner[(kid_value["/Pg"], kid_value["/MCID"])] = ref
        else:
            walk(kid, ref)


for top in resolve(tree_root.get("/K", [])):
    element = resolve(top)
    types["Document"] = types.get("Document", 0) + (element["/S"] == "/Document")
    for kid in resolve(element.get("/K", [])):
        walk(kid, top)
out.append("structure: " + " ".join("%s %d" % kv for kv in sorted(types.items())))
out.append("alternative texts: " + "; ".join(alts))
out.append("languages of elements: " + (" ".join(sorted(set(langs))) or "none"))



def number_tree(node):
    """The pairs of a number tree: its /Nums, or its /Kids' in order."""
    node = resolve(node)
    nums = resolve(node.get("/Nums", []))
    pairs = [(nums[i], resolve(nums[i + 1])) for i in range(0, len(nums), 2)]
    for kid in resolve(node.get("/Kids", [])):
        pairs += number_tree(kid)
    return pairs


parents = dict(number_tree(tree_root.get("/ParentTree", {})))
unmarked = mapped = unmapped = artifacts = 0
for page in doc["pages"]:
    page_ref = page["object"]
    page_obj = resolve(page_ref)
    contents = page_obj["/Contents"]
    data = b"".join(stream_data(c) for c in (contents if isinstance(contents, list) else [contents]))
    depth, marks = 0, []
    for token in re.finditer(rb"/(\w+) <</MCID (\d+)>> BDC|/Artifact BMC|BDC|BMC|EMC|\bBT\b|\bDo\b|\bS\b",
                             data):
        word = token.group(0)
        if token.group(1):
            marks.append(int(token.group(2)))
            depth += 1
        elif word == b"/Artifact BMC":
            artifacts += 1
            marks.append(None)
            depth += 1
        elif word in (b"BDC", b"BMC"):
            depth += 1
            marks.append(None)
        elif word == b"EMC":
            depth -= 1
            marks.pop()
        elif depth == 0:
            unmarked += 1
    key = page_obj.get("/StructParents")
    for mcid in set(re.findall(rb"<</MCID (\d+)>>", data)):
        mcid = int(mcid)
        element = parents.get(key, [None] * (mcid + 1))
        ref = element[mcid] if mcid < len(element) else None
        if ref is not None and owner.get((page_ref, mcid)) == ref:
            mapped += 1
        else:
            unmapped += 1
out.append("marked content: %d MCIDs, %d mapped to their element, %d not; %d artifacts; "
           "%d drawing operators outside marked content" % (mapped + unmapped, mapped, unmapped,
                                                            artifacts, unmarked))
out.append("forbidden: " + (" ".join(sorted(forbidden)) if forbidden else "none"))
print("\n".join(out))
