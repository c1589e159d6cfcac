#!/usr/bin/python3
"""Dev-only cross-check of schemas/ and corpus/responses/ against the official OpenAPI document.

Needs Debian's python3-jsonschema (4.x; tools/bootstrap installs it); run with /usr/bin/python3:

    /usr/bin/python3 tools/corpus_check.py [--openapi PATH] [--repo PATH] [-v]

ctest runs it as the `corpus_check` test (label contract) when python3-jsonschema is installed.
The official document is the repository's copy, schemas/reference/openai-certificates.openapi.json
(its source commit in schemas/reference/README.md), unless --openapi names another.

What it checks
  * schemas/*.json: exactly the 15 expected components; each is valid JSON, pretty-printed with a
    2-space indent and a trailing newline, a valid draft-07 schema that uses only the allowed
    keywords, has "$schema" draft-07 and "title" = file name, no "$id", no
    "additionalProperties", and is structurally equal to the official component once
    descriptions/titles/$schema (and the OpenAPI-only keys) are ignored and "X.json" refs are
    mapped back to "#/components/schemas/X". Official descriptions must be kept (a schema's
    description must start with the official text).
  * corpus/responses/<Schema>/{valid,invalid}/*.json: the label in the file name is checked with
    the OFFICIAL component schemas, translated to JSON Schema 2020-12 ($refs rewritten to
    "#/$defs/X"), and strict RFC 8259 parsing:
      valid/...                 parses strictly, no duplicate key, schema-valid
      invalid/json.syntax--...  strict parsing fails
      invalid/json.duplicate_key--...  parses, has a duplicate key, and is schema-valid both with
                                first-wins and last-wins semantics (it breaks exactly one rule)
      invalid/schema--...       parses, no duplicate key, schema-invalid
    Every parsed document is also run through schemas/<Schema>.json (draft-07, refs resolved by
    file name) and must get the same verdict as with the official document.
    Integers follow JSON Schema 2020-12: any number with a zero fractional part (1.0, 1e3, -0,
    2^64, 1e400) is an integer; numbers are parsed as exact decimals, never as doubles.
  * the corpus minimum counts (corpus/minimums.conf, which contract_tests/corpus_test.cpp reads
    too) and that the official examples are present verbatim.

Prints one line per mismatch and a summary "N passed, M failed"; exits 1 on any mismatch.
"""
import argparse
import collections
import decimal
import json
import pathlib
import re
import sys

try:
    import jsonschema
    from jsonschema import Draft7Validator, Draft202012Validator, RefResolver
except ImportError:  # pragma: no cover
    sys.exit("corpus_check.py needs python3-jsonschema: apt-get install -y --no-install-recommends "
             "python3-jsonschema, and run it with /usr/bin/python3")

OPENAPI_IN_REPO = pathlib.Path("schemas") / "reference" / "openai-certificates.openapi.json"

COMPONENTS = [
    "Certificate", "OrganizationCertificate", "ListCertificatesResponse", "UploadCertificateRequest",
    "OrganizationProjectCertificate", "ListProjectCertificatesResponse", "DeleteCertificateResponse",
    "ModifyCertificateRequest", "ToggleCertificatesRequest", "OrganizationCertificateActivationResponse",
    "OrganizationCertificateDeactivationResponse", "OrganizationProjectCertificateActivationResponse",
    "OrganizationProjectCertificateDeactivationResponse", "ErrorResponse", "Error",
]


def read_minimums(repo):
    """schema -> (min valid, min invalid, min json.syntax, min json.duplicate_key), for every
    component but Error, from corpus/minimums.conf (its "*" row for schemas it does not list)."""
    rows = {}
    for line in (repo / "corpus" / "minimums.conf").read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            if len(fields) != 5:
                sys.exit("corpus/minimums.conf: want 5 columns: %r" % line)
            rows[fields[0]] = tuple(int(n) for n in fields[1:])
    unknown = set(rows) - set(COMPONENTS) - {"*"}
    if unknown or "*" not in rows:
        sys.exit("corpus/minimums.conf: unknown schemas %s, or no \"*\" row" % sorted(unknown))
    return {name: rows.get(name, rows["*"]) for name in COMPONENTS if name != "Error"}

ALLOWED_KEYWORDS = {"$schema", "title", "description", "type", "properties", "required", "enum", "anyOf",
                    "items", "minItems", "maxItems", "$ref"}
OPENAPI_ONLY = {"x-stainless-const", "x-oaiMeta", "example", "format"}
DOC_KEYS = {"description", "title", "$schema"}
DRAFT7 = "http://json-schema.org/draft-07/schema#"
OFFICIAL_PREFIX = "#/components/schemas/"
FILE_BASE = "https://certharness.invalid/schemas/"

VALID_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*\.json$")
INVALID_NAME = re.compile(r"^(schema|json\.syntax|json\.duplicate_key)--[a-z0-9][a-z0-9.-]*\.json$")


# ---------------------------------------------------------------------------------------------
# Strict RFC 8259 parsing


class StrictError(ValueError):
    pass


def _check_str(s):
    for ch in s:
        if "\ud800" <= ch <= "\udfff":
            raise StrictError("unpaired surrogate escape U+%04X" % ord(ch))


def _walk_strings(v):
    if isinstance(v, str):
        _check_str(v)
    elif isinstance(v, list):
        for x in v:
            _walk_strings(x)
    elif isinstance(v, dict):
        for x in v.values():  # keys were checked by the hook
            _walk_strings(x)


def _reject_constant(name):
    raise StrictError("non-RFC 8259 literal %s" % name)


def strict_parse(data, first_wins=False):
    """Returns (value, duplicate_keys). Raises StrictError/ValueError if not RFC 8259 JSON."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise StrictError("UTF-8 byte order mark")
    text = data.decode("utf-8", "strict")  # rejects invalid, overlong and surrogate encodings
    dups = []

    def hook(pairs):
        d = {}
        for k, v in pairs:
            _check_str(k)
            if k in d:
                dups.append(k)
                if first_wins:
                    continue
            d[k] = v
        return d

    value = json.loads(text, object_pairs_hook=hook, parse_constant=_reject_constant,
                       parse_float=decimal.Decimal, parse_int=int)
    _walk_strings(value)
    return value, dups


# ---------------------------------------------------------------------------------------------
# Validators with JSON Schema 2020-12 integer semantics over exact decimals


def _is_integer(checker, instance):
    if isinstance(instance, bool):
        return False
    if isinstance(instance, int):
        return True
    if isinstance(instance, decimal.Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return False


def _is_number(checker, instance):
    return not isinstance(instance, bool) and isinstance(instance, (int, decimal.Decimal))


def _with_types(cls):
    checker = cls.TYPE_CHECKER.redefine("integer", _is_integer).redefine("number", _is_number)
    return jsonschema.validators.extend(cls, type_checker=checker)


Official202012 = _with_types(Draft202012Validator)
Local7 = _with_types(Draft7Validator)


def _rewrite_refs(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith(OFFICIAL_PREFIX):
                out[k] = "#/$defs/" + v[len(OFFICIAL_PREFIX):]
            else:
                out[k] = _rewrite_refs(v)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(x) for x in node]
    return node


def official_validator(components, name):
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": _rewrite_refs(components),
        "$ref": "#/$defs/" + name,
    }
    Official202012.check_schema(root)
    return Official202012(root)


def local_validator(local_schemas, name):
    # "$schema" is dropped from the copies: jsonschema would otherwise switch a $ref'd document to
    # the stock Draft7Validator (validator_for), losing the exact-decimal integer type checker.
    # The $schema value itself is checked in check_schemas.
    bare = {n: {k: v for k, v in s.items() if k != "$schema"} for n, s in local_schemas.items()}
    store = {FILE_BASE + n + ".json": s for n, s in bare.items()}
    resolver = RefResolver(base_uri=FILE_BASE + name + ".json", referrer=bare[name], store=store)
    return Local7(bare[name], resolver=resolver)


def first_error(validator, value):
    errs = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    return errs[0] if errs else None


def describe(err):
    ptr = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in err.absolute_path)
    return "%s (%s): %s" % (ptr or "/", err.validator, err.message[:160])


# ---------------------------------------------------------------------------------------------
# Schema faithfulness


def normalize_official(node, in_properties=False):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if not in_properties and (k in OPENAPI_ONLY or k in DOC_KEYS):
                continue
            out[k] = normalize_official(v, in_properties=(not in_properties and k == "properties"))
        return out
    if isinstance(node, list):
        return [normalize_official(x) for x in node]
    return node


def normalize_local(node, in_properties=False):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if not in_properties and k in DOC_KEYS:
                continue
            if not in_properties and k == "$ref" and isinstance(v, str) and v.endswith(".json"):
                out[k] = OFFICIAL_PREFIX + v[: -len(".json")]
                continue
            out[k] = normalize_local(v, in_properties=(not in_properties and k == "properties"))
        return out
    if isinstance(node, list):
        return [normalize_local(x) for x in node]
    return node


def canon(node, in_properties=False):
    """Hashable form: property maps keep their order, other objects are order-insensitive."""
    if isinstance(node, dict):
        items = [(k, canon(v, in_properties=(not in_properties and k == "properties"))) for k, v in node.items()]
        return ("props", tuple(items)) if in_properties else ("obj", tuple(sorted(items)))
    if isinstance(node, list):
        return ("list", tuple(canon(x) for x in node))
    return ("atom", type(node).__name__, node)


def schema_problems(local, official, path=""):
    """Keyword rules on every local schema node; official descriptions (walked in parallel) kept."""
    where = path or "/"
    if not isinstance(local, dict):
        return ["%s: schema node is not an object" % where]
    official = official if isinstance(official, dict) else {}
    probs = ["%s: keyword %r not allowed" % (where, k) for k in local if k not in ALLOWED_KEYWORDS]
    if path and ("$schema" in local or "title" in local):
        probs.append("%s: $schema/title belong only at the root" % where)
    if "description" in official and not str(local.get("description", "")).startswith(official["description"]):
        probs.append("%s: official description not kept" % where)
    if isinstance(local.get("properties"), dict):
        for pn, ps in local["properties"].items():
            probs += schema_problems(ps, official.get("properties", {}).get(pn), path + "/properties/" + pn)
    if "items" in local:
        probs += schema_problems(local["items"], official.get("items"), path + "/items")
    if isinstance(local.get("anyOf"), list):
        theirs = official.get("anyOf", [])
        for i, sub in enumerate(local["anyOf"]):
            probs += schema_problems(sub, theirs[i] if i < len(theirs) else None, "%s/anyOf/%d" % (path, i))
    return probs


def check_schemas(repo, components, report):
    """Returns ([(file, ok)], {name: parsed local schema})."""
    sdir = repo / "schemas"
    results, local = [], {}
    present = sorted(p.stem for p in sdir.glob("*.json"))
    for extra in sorted(set(present) - set(COMPONENTS)):
        report("schemas/%s.json: unexpected schema file" % extra)
        results.append((extra, False))
    for name in COMPONENTS:
        p = sdir / (name + ".json")
        rel = "schemas/%s.json" % name
        if not p.exists():
            report("%s: missing" % rel)
            results.append((rel, False))
            continue
        probs = []
        data = p.read_bytes()
        try:
            doc, dups = strict_parse(data)
            if dups:
                probs.append("duplicate keys %s" % dups)
        except (ValueError, UnicodeDecodeError) as e:
            report("%s: not valid JSON: %s" % (rel, e))
            results.append((rel, False))
            continue
        local[name] = doc
        pretty = json.dumps(json.loads(data, object_pairs_hook=collections.OrderedDict), indent=2,
                            ensure_ascii=False) + "\n"
        if data.decode("utf-8") != pretty:
            probs.append("not pretty-printed with a 2-space indent and a trailing newline")
        if doc.get("$schema") != DRAFT7:
            probs.append("$schema is not %s" % DRAFT7)
        if doc.get("title") != name:
            probs.append("title is not %r" % name)
        try:
            Draft7Validator.check_schema(doc)
        except jsonschema.exceptions.SchemaError as e:
            probs.append("not a valid draft-07 schema: %s" % e.message)
        probs += schema_problems(doc, components[name])
        mine, theirs = normalize_local(doc), normalize_official(components[name])
        if canon(mine) != canon(theirs):
            probs.append("differs from the official component:\n    local:    %s\n    official: %s"
                         % (json.dumps(mine, sort_keys=True), json.dumps(theirs, sort_keys=True)))
        for pr in probs:
            report("%s: %s" % (rel, pr))
        results.append((rel, not probs))
    return results, local


# ---------------------------------------------------------------------------------------------
# Corpus


def verdict(validator, value):
    err = first_error(validator, value)
    return (err is None), err


def check_file(path, label, v_official, v_local):
    """Returns a list of problems (empty when the label is right)."""
    data = path.read_bytes()
    try:
        value, dups = strict_parse(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        if label == "json.syntax":
            return []
        return ["does not parse as strict JSON: %s" % str(e)[:200]]
    if label == "json.syntax":
        return ["expected a strict-parse failure, but it parses"]

    probs = []
    if label == "json.duplicate_key":
        if not dups:
            return ["expected a duplicate key, found none"]
        first_value, _ = strict_parse(data, first_wins=True)
        for what, v in (("last-wins", value), ("first-wins", first_value)):
            ok, err = verdict(v_official, v)
            if not ok:
                probs.append("breaks more than the duplicate-key rule (%s is schema-invalid: %s)" % (what, describe(err)))
        return probs
    if dups:
        return ["unexpected duplicate keys %s" % dups]

    ok_off, err_off = verdict(v_official, value)
    ok_loc, err_loc = verdict(v_local, value) if v_local else (ok_off, None)
    want = label == "valid"
    if ok_off != want:
        probs.append("official schema says %s%s" % ("valid" if ok_off else "invalid",
                                                    "" if ok_off else ": " + describe(err_off)))
    if ok_loc != ok_off:
        probs.append("schemas/ disagrees with the official document (local says %s%s)"
                     % ("valid" if ok_loc else "invalid", "" if ok_loc else ": " + describe(err_loc)))
    return probs


def official_examples(doc):
    """(schema, kind, file name) -> exact text expected verbatim."""
    paths = doc["paths"]

    def resp(path, method):
        return paths[path][method]["x-oaiMeta"]["examples"]["response"]

    cert = "/organization/certificates/{certificate_id}"
    return {
        ("Certificate", "valid", "official-example-certificate-object.json"):
            doc["components"]["schemas"]["Certificate"]["x-oaiMeta"]["example"],
        ("Certificate", "valid", "official-example-get.json"): resp(cert, "get"),
        ("Certificate", "valid", "official-example-upload.json"): resp("/organization/certificates", "post"),
        ("Certificate", "valid", "official-example-modify.json"): resp(cert, "post"),
        ("DeleteCertificateResponse", "valid", "official-example-delete.json"): resp(cert, "delete"),
        ("ListCertificatesResponse", "invalid", "json.syntax--official-list-example-trailing-comma.json"):
            resp("/organization/certificates", "get"),
        ("ListProjectCertificatesResponse", "invalid", "json.syntax--official-list-example-trailing-comma.json"):
            resp("/organization/projects/{project_id}/certificates", "get"),
        ("OrganizationCertificateActivationResponse", "invalid",
         "json.syntax--official-activation-example-trailing-commas.json"):
            resp("/organization/certificates/activate", "post"),
        ("OrganizationCertificateDeactivationResponse", "invalid",
         "json.syntax--official-deactivation-example-trailing-commas.json"):
            resp("/organization/certificates/deactivate", "post"),
        ("OrganizationProjectCertificateActivationResponse", "invalid",
         "json.syntax--official-activation-example-trailing-commas.json"):
            resp("/organization/projects/{project_id}/certificates/activate", "post"),
        ("OrganizationProjectCertificateDeactivationResponse", "invalid",
         "json.syntax--official-deactivation-example-trailing-commas.json"):
            resp("/organization/projects/{project_id}/certificates/deactivate", "post"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--openapi", help="official OpenAPI document (default: the repository's %s)" % OPENAPI_IN_REPO)
    ap.add_argument("--repo", default=str(pathlib.Path(__file__).resolve().parent.parent),
                    help="repository root (default: %(default)s)")
    ap.add_argument("-v", "--verbose", action="store_true", help="also print each invalid file's first error")
    args = ap.parse_args()
    repo = pathlib.Path(args.repo)
    openapi = pathlib.Path(args.openapi) if args.openapi else repo / OPENAPI_IN_REPO
    doc = json.loads(openapi.read_text(encoding="utf-8"))
    minimums = read_minimums(repo)
    components = doc["components"]["schemas"]

    passed = failed = 0

    def tally(ok):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1

    # 1. schemas/
    results, local = check_schemas(repo, components, print)
    for _, ok in results:
        tally(ok)

    # 2. corpus/responses/
    croot = repo / "corpus" / "responses"
    dirs = sorted(p.name for p in croot.iterdir() if p.is_dir()) if croot.is_dir() else []
    for d in sorted(set(dirs) - set(minimums)):
        print("corpus/responses/%s: no such top-level schema" % d)
        tally(False)
    for name in sorted(minimums):
        v_off = official_validator(components, name)
        v_loc = local_validator(local, name) if set(COMPONENTS) <= set(local) else None
        counts = collections.Counter()
        for kind in ("valid", "invalid"):
            kdir = croot / name / kind
            for p in sorted(kdir.glob("*")) if kdir.is_dir() else []:
                rel = p.relative_to(repo)
                pattern = VALID_NAME if kind == "valid" else INVALID_NAME
                m = pattern.match(p.name)
                if not p.is_file() or not m:
                    print("%s: bad file name (want %s)" % (rel, "valid/<kebab>.json" if kind == "valid"
                                                           else "invalid/<check>--<kebab-rule>.json"))
                    tally(False)
                    continue
                label = "valid" if kind == "valid" else m.group(1)
                counts[kind] += 1
                if kind == "invalid":  # a valid file's label is "valid": counted once, above
                    counts[label] += 1
                probs = check_file(p, label, v_off, v_loc)
                for pr in probs:
                    print("%s: %s" % (rel, pr))
                if args.verbose and label == "schema" and not probs:
                    value, _ = strict_parse(p.read_bytes())
                    print("  %s -> %s" % (rel, describe(first_error(v_off, value))))
                tally(not probs)
        mv, mi, ms, md = minimums[name]
        have = (counts["valid"], counts["invalid"], counts["json.syntax"], counts["json.duplicate_key"])
        ok = all(h >= m for h, m in zip(have, (mv, mi, ms, md)))
        if not ok:
            print("corpus/responses/%s: counts valid/invalid/json.syntax/json.duplicate_key = %s, need at least %s"
                  % (name, "/".join(map(str, have)), "/".join(map(str, (mv, mi, ms, md)))))
        tally(ok)

    # 3. official examples verbatim
    for (schema, kind, fname), text in official_examples(doc).items():
        p = croot / schema / kind / fname
        ok = p.is_file() and p.read_bytes() == text.encode("utf-8")
        if not ok:
            print("%s: official example missing or not verbatim" % p.relative_to(repo))
        tally(ok)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
