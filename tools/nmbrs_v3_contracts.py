#!/usr/bin/env python3
"""Writes the Nmbrs v3 contracts in wsdl/nmbrs/v3/ from the structure of the real v2.1 WSDLs.

    python3 tools/nmbrs_v3_contracts.py [--reference DIR] [--check]

For each service it reads, from the reference WSDL in ../shared/reference/nmbrs-v2.1/ (read in
place, never copied): the operations in port-type order, whether each takes a header, and the
schema items (elements, complex and simple types). It then writes a v3 contract in the ASMX
shape docs/contracts.md describes:

- the namespace https://api.nmbrs.nl/soap/v3/<Service> (tns, SOAPActions, addresses);
- AuthHeaderWithDomain wherever the reference operation takes a header (AuthHeader or
  AuthHeaderWithDomain), unless tools/nmbrs_v3/<Service>.tsv names another header;
- SOAP 1.1 and 1.2 bindings and their two ports;
- the schema items the operations use (a transitive closure; unused reference types are left out),
  with the items of tools/nmbrs_v3/<Service>.overlay.xsd put in place of the reference item of
  the same kind and name, or appended: these are v3's own facts (Environment_Get,
  List_GetByCompany, GetTokenWithDomain, the ReportService);
- operations named only in the .tsv (v3's own) are appended after the reference's;
- each operation's wsdl:documentation from the .tsv, or else a sentence of ours derived from the
  operation name (verb and noun). No text of the reference is carried over.

ReportService has no reference file: its contract is the overlay and the .tsv alone.
--check writes nothing and exits 1 when a contract would change (for CI or a test).
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "tools" / "nmbrs_v3"
OUTPUT = ROOT / "wsdl" / "nmbrs" / "v3"

WSDL = "http://schemas.xmlsoap.org/wsdl/"
XSD = "http://www.w3.org/2001/XMLSchema"
SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
GUID_NS = "http://microsoft.com/wsdl/types/"
PREFIX = {XSD: "s", WSDL: "wsdl", SOAP11: "soap", SOAP12: "soap12"}

# Service -> reference file (None: no reference, the overlay is the whole schema).
SERVICES = {
    "DebtorService": "DebtorService-2016.wsdl",
    "CompanyService": "CompanyService.wsdl",
    "EmployeeService": "EmployeeService.wsdl",
    "ReportService": None,
    "SingleSignOn": "SingleSignOn-2016.wsdl",
}

HEADERS = {
    "AuthHeader": ["Username", "Token"],
    "AuthHeaderWithDomain": ["Username", "Token", "Domain"],
}

GUID_SCHEMA = """    <s:schema elementFormDefault="qualified" targetNamespace="http://microsoft.com/wsdl/types/">
      <s:simpleType name="guid">
        <s:restriction base="s:string">
          <s:pattern value="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" />
        </s:restriction>
      </s:simpleType>
    </s:schema>"""


def q(ns, tag):
    return f"{{{ns}}}{tag}"


def namespace(service):
    return f"https://api.nmbrs.nl/soap/v3/{service}"


# ----------------------------------------------------------------------------------------------
# Reading


class Operation:
    def __init__(self, name, header, doc=None):
        self.name = name
        self.header = header  # "AuthHeader", "AuthHeaderWithDomain" or None
        self.doc = doc


def read_reference(path):
    """(operations, schema items) of a reference WSDL: items as (kind, name, element)."""
    root = ET.parse(path).getroot()
    port_type = root.find(q(WSDL, "portType"))
    binding = root.find(q(WSDL, "binding"))
    takes_header = {}
    for op in binding.findall(q(WSDL, "operation")):
        header = op.find(f"{q(WSDL, 'input')}/{q(SOAP11, 'header')}")
        takes_header[op.get("name")] = header is not None
    ops = [
        Operation(op.get("name"), "AuthHeaderWithDomain" if takes_header[op.get("name")] else None)
        for op in port_type.findall(q(WSDL, "operation"))
    ]
    schema = next(
        s for s in root.find(q(WSDL, "types")).findall(q(XSD, "schema")) if s.get("targetNamespace") != GUID_NS
    )
    return ops, schema_items(schema)


def schema_items(schema):
    items = []
    for child in schema:
        kind = child.tag.split("}")[1]
        if kind == "import":
            continue
        name = child.get("name")
        if name in HEADERS:
            continue  # the headers are written by this tool
        items.append((kind, name, child))
    return items


def read_table(path):
    """Rows of a .tsv: operation -> (header or "", documentation or ""), in file order."""
    rows = {}
    if not path.exists():
        return rows
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            sys.exit(f"{path}:{number}: expected 3 tab-separated cells (operation, header, documentation)")
        op, header, doc = (c.strip() for c in cells)
        if header not in ("", "none", *HEADERS):
            sys.exit(f"{path}:{number}: unknown header {header!r}")
        rows[op] = (header, doc)
    return rows


# ----------------------------------------------------------------------------------------------
# Documentation derived from the operation name


def words(camel):
    """'WageComponentVar' -> 'wage component var'; keeps acronyms and digits together."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+", camel)
    return " ".join(p if p.isupper() and len(p) > 1 else p.lower() for p in parts)


NOUN_FIXES = {
    "var": "(variable)",
    "fixed": "(fixed)",
    "list": "",
}


def noun_phrase(noun):
    text = " ".join(NOUN_FIXES.get(w, w) for w in words(noun).split())
    return " ".join(text.split()) or "records"


def derived_doc(name):
    """One sentence of ours saying what the operation reads or changes, from its name."""
    parts = name.split("_")
    noun = noun_phrase(parts[0])
    verb = parts[1] if len(parts) > 1 else parts[0]
    rest = " ".join(words(p) for p in parts[2:])
    tail = f" ({rest})" if rest else ""
    background = name.endswith("_Background")
    if background:
        return (
            f"Starts the {words(verb.removeprefix('Get'))} report as a background task and returns its task id; "
            "Reports_BackgroundTask_Result fetches the report."
        )
    by = re.match(r"(Get|Update|Delete|Insert)(All|List|Current)?(By|For|With)?(\w*)", verb)
    action, scope, link, what = by.groups() if by else (None, None, None, "")
    what = words(what) if what else ""
    if parts[0] == "List":
        noun = "items"
    if action == "Get":
        if what and not link and not scope:
            text = f"Reads the {what} of the {noun}"
        elif scope == "Current":
            text = f"Reads the {noun} valid in the current period"
        elif scope in ("All", "List"):
            text = f"Lists the {noun} records"
        else:
            text = f"Reads the {noun}"
    elif action == "Insert":
        text = f"Adds {noun} data"
    elif action == "Update":
        text = f"Changes the {noun}" + (" from the current period on" if scope == "Current" else "")
    elif action == "Delete":
        text = f"Removes {noun} data"
    else:
        text = f"Performs '{words(verb)}' on the {noun}"
    if what and link in ("By", "For"):
        text += f", selected by {what}"
    elif what and link == "With":
        text += f", with {what}"
    elif what and action != "Get":
        text += f" ({what})"
    return text + tail + "."


# ----------------------------------------------------------------------------------------------
# Writing


def serialize(element, indent):
    """An element of the XSD or WSDL namespace as indented text with the fixed prefixes."""
    ns, tag = element.tag[1:].split("}")
    name = f"{PREFIX[ns]}:{tag}"
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in element.attrib.items())
    pad = "  " * indent
    children = list(element)
    text = (element.text or "").strip()
    if not children and not text:
        return f"{pad}<{name}{attrs} />"
    if not children:
        return f"{pad}<{name}{attrs}>{escape(text)}</{name}>"
    inner = "\n".join(serialize(c, indent + 1) for c in children)
    return f"{pad}<{name}{attrs}>\n{inner}\n{pad}</{name}>"


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def referenced_names(element):
    """tns: names referenced by type/base/ref attributes anywhere in the element."""
    found = set()
    for node in element.iter():
        for attr in ("type", "base", "ref"):
            value = node.get(attr, "")
            if value.startswith("tns:"):
                found.add(value[4:])
    return found


def used_items(items, ops):
    """The items reachable from the operations' wrapper elements, in schema order."""
    by_name = {}
    for kind, name, element in items:
        by_name.setdefault(name, []).append((kind, element))
    wanted = set()
    todo = [n for op in ops for n in (op.name, op.name + "Response")]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in by_name:
            sys.exit(f"the schema has no item named {name!r}")
        wanted.add(name)
        for _, element in by_name[name]:
            todo.extend(referenced_names(element) - wanted)
    return [item for item in items if item[1] in wanted]


def merge(reference_items, overlay_items):
    """The reference items with the overlay's in place (same kind and name) or appended."""
    overlay = {(kind, name): element for kind, name, element in overlay_items}
    merged = []
    for kind, name, element in reference_items:
        merged.append((kind, name, overlay.pop((kind, name), element)))
    merged.extend((k, n, e) for k, n, e in overlay_items if (k, n) in overlay)
    return merged


def header_items(headers):
    out = []
    for header in ("AuthHeader", "AuthHeaderWithDomain"):
        if header not in headers:
            continue
        fields = "\n".join(
            f'          <s:element minOccurs="0" maxOccurs="1" name="{f}" type="s:string" />' for f in HEADERS[header]
        )
        out.append(
            f'      <s:element name="{header}" type="tns:{header}" />\n'
            f'      <s:complexType name="{header}">\n        <s:sequence>\n{fields}\n        </s:sequence>\n'
            f"        <s:anyAttribute />\n      </s:complexType>"
        )
    return out


def binding(service, ops, version):
    soap = "soap" if version == 11 else "soap12"
    suffix = "Soap" if version == 11 else "Soap12"
    ns = namespace(service)
    lines = [f'  <wsdl:binding name="{service}{suffix}" type="tns:{service}Soap">']
    lines.append(f'    <{soap}:binding transport="http://schemas.xmlsoap.org/soap/http" />')
    for op in ops:
        lines.append(f'    <wsdl:operation name="{op.name}">')
        lines.append(f'      <{soap}:operation soapAction="{ns}/{op.name}" style="document" />')
        lines.append("      <wsdl:input>")
        lines.append(f'        <{soap}:body use="literal" />')
        if op.header:
            lines.append(
                f'        <{soap}:header message="tns:{op.name}{op.header}" part="{op.header}" use="literal" />'
            )
        lines.append("      </wsdl:input>")
        lines.append("      <wsdl:output>")
        lines.append(f'        <{soap}:body use="literal" />')
        lines.append("      </wsdl:output>")
        lines.append("    </wsdl:operation>")
    lines.append("  </wsdl:binding>")
    return lines


def contract(service, reference_dir):
    reference = SERVICES[service]
    table = read_table(INPUTS / f"{service}.tsv")
    overlay_path = INPUTS / f"{service}.overlay.xsd"
    overlay = schema_items(ET.parse(overlay_path).getroot()) if overlay_path.exists() else []
    if reference:
        ops, items = read_reference(reference_dir / reference)
    else:
        ops, items = [], []
    known = {op.name for op in ops}
    for name, (header, _) in table.items():
        if name not in known:
            if not header:
                sys.exit(f"{service}.tsv: {name} is not in the reference, so its header must be given")
            ops.append(Operation(name, None))
    for op in ops:
        header, doc = table.get(op.name, ("", ""))
        if header:
            op.header = None if header == "none" else header
        op.doc = doc or derived_doc(op.name)
    items = used_items(merge(items, overlay), ops)
    body = [serialize(element, 3) for _, _, element in items]
    uses_guid = any('"s1:guid"' in text for text in body)
    ns = namespace(service)
    headers = {op.header for op in ops if op.header}

    out = ['<?xml version="1.0" encoding="utf-8"?>']
    s1 = f' xmlns:s1="{GUID_NS}"' if uses_guid else ""
    out.append(
        f'<wsdl:definitions xmlns:s="{XSD}" xmlns:soap12="{SOAP12}" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"'
        f' xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/" xmlns:tns="{ns}"{s1} xmlns:soap="{SOAP11}"'
        ' xmlns:tm="http://microsoft.com/wsdl/mime/textMatching/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"'
        f' targetNamespace="{ns}" xmlns:wsdl="{WSDL}">'
    )
    source = f"the structure of the Nmbrs v2.1 {reference}" if reference else "the v3 facts"
    out.append(
        f'  <wsdl:documentation xmlns:wsdl="{WSDL}">Nmbrs SOAP API v3, {service}: {len(ops)} operations. Written for this'
        f" crate by tools/nmbrs_v3_contracts.py from {source} and the v3 facts listed in docs/contracts.md"
        f' (section "Nmbrs v3"); not the file Nmbrs serves at https://api.nmbrs.nl/soap/v3/{service}.asmx?WSDL.'
        " Edit the tool's inputs and rerun it instead of editing this file.</wsdl:documentation>"
    )
    out.append("  <wsdl:types>")
    out.append(f'    <s:schema elementFormDefault="qualified" targetNamespace="{ns}">')
    if uses_guid:
        out.append(f'      <s:import namespace="{GUID_NS}" />')
    out.extend(header_items(headers))
    out.extend(body)
    out.append("    </s:schema>")
    if uses_guid:
        out.append(GUID_SCHEMA)
    out.append("  </wsdl:types>")
    for op in ops:
        out.append(f'  <wsdl:message name="{op.name}SoapIn">')
        out.append(f'    <wsdl:part name="parameters" element="tns:{op.name}" />')
        out.append("  </wsdl:message>")
        out.append(f'  <wsdl:message name="{op.name}SoapOut">')
        out.append(f'    <wsdl:part name="parameters" element="tns:{op.name}Response" />')
        out.append("  </wsdl:message>")
        if op.header:
            out.append(f'  <wsdl:message name="{op.name}{op.header}">')
            out.append(f'    <wsdl:part name="{op.header}" element="tns:{op.header}" />')
            out.append("  </wsdl:message>")
    out.append(f'  <wsdl:portType name="{service}Soap">')
    for op in ops:
        out.append(f'    <wsdl:operation name="{op.name}">')
        out.append(f'      <wsdl:documentation xmlns:wsdl="{WSDL}">{escape(op.doc)}</wsdl:documentation>')
        out.append(f'      <wsdl:input message="tns:{op.name}SoapIn" />')
        out.append(f'      <wsdl:output message="tns:{op.name}SoapOut" />')
        out.append("    </wsdl:operation>")
    out.append("  </wsdl:portType>")
    out.extend(binding(service, ops, 11))
    out.extend(binding(service, ops, 12))
    address = f"https://api.nmbrs.nl/soap/v3/{service}.asmx"
    out.append(f'  <wsdl:service name="{service}">')
    out.append(f'    <wsdl:port name="{service}Soap" binding="tns:{service}Soap">')
    out.append(f'      <soap:address location="{address}" />')
    out.append("    </wsdl:port>")
    out.append(f'    <wsdl:port name="{service}Soap12" binding="tns:{service}Soap12">')
    out.append(f'      <soap12:address location="{address}" />')
    out.append("    </wsdl:port>")
    out.append("  </wsdl:service>")
    out.append("</wsdl:definitions>")
    return "\n".join(out) + "\n", len(ops)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference" / "nmbrs-v2.1")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a contract would change")
    args = parser.parse_args()
    if not args.reference.is_dir():
        sys.exit(f"the reference folder {args.reference} does not exist (pass --reference DIR)")
    stale = []
    for service in SERVICES:
        text, count = contract(service, args.reference)
        path = OUTPUT / f"{service}.wsdl"
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.name)
            if not args.check:
                path.write_text(text, encoding="utf-8")
        print(f"{service}: {count} operations{'' if current == text else ' (changed)'}")
    if args.check and stale:
        sys.exit(f"out of date: {', '.join(stale)}: run python3 tools/nmbrs_v3_contracts.py")


if __name__ == "__main__":
    main()
