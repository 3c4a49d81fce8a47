"""Answers model questions with Python's packaging library, for the differential test.

Usage: python packaging_oracle.py CASES OUTPUT
Each case line is "<kind>\t<hex of UTF-8 input>[\t<hex>]"; each answer line is tab-separated,
with backslash, tab, CR and LF escaped, in the same order as the cases.
"""
import re
import sys

import packaging
from packaging.metadata import parse_email
from packaging.tags import InvalidTag, parse_tag
from packaging.utils import (
    InvalidName,
    InvalidWheelFilename,
    canonicalize_name,
    is_normalized_name,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version


def esc(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def opt(value):
    return "-" if value is None else str(value)


def version_answer(text):
    try:
        v = Version(text)
    except InvalidVersion:
        return ["invalid"]
    return [
        "ok",
        str(v),
        str(v.epoch),
        ".".join(map(str, v.release)),
        "-" if v.pre is None else "%s%d" % v.pre,
        opt(v.post),
        opt(v.dev),
        opt(v.local),
        str(v.is_prerelease).lower(),
        str(v.is_postrelease).lower(),
        str(v.is_devrelease).lower(),
        v.public,
        v.base_version,
    ]


def name_answer(text):
    try:
        canonicalize_name(text, validate=True)
        valid = True
    except InvalidName:
        valid = False
    return [
        canonicalize_name(text),
        re.sub(r"[-_.]+", "_", text).lower(),
        str(valid).lower(),
        str(is_normalized_name(text)).lower(),
    ]


FILENAME_ERRORS = [
    ("extension must be", "EXTENSION"),
    ("wrong number of parts", "PARTS"),
    ("Invalid project name", "NAME"),
    ("invalid version", "VERSION"),
    ("Invalid build number", "BUILD_TAG"),
    ("invalid tag component", "TAGS"),
]


def filename_answer(text):
    try:
        name, version, build, tags = parse_wheel_filename(text)
    except InvalidWheelFilename as e:
        for needle, reason in FILENAME_ERRORS:
            if needle in str(e):
                return ["error", reason]
        return ["error", "UNKNOWN " + str(e)]
    return [
        "ok",
        name,
        str(version),
        "%d|%s" % build if build else "-",
        ",".join(sorted(str(t) for t in tags)),
    ]


def tag_answer(text):
    try:
        tags = parse_tag(text)
    except InvalidTag:
        return ["error"]
    return ["ok", ",".join(sorted(str(t) for t in tags))]


def metadata_answer(text, with_description):
    raw, _unparsed = parse_email(text)
    listed = lambda key: "\x1f".join(raw.get(key, []))
    return [
        raw.get("metadata_version", "-"),
        raw.get("name", "-"),
        raw.get("version", "-"),
        raw.get("summary", "-"),
        listed("classifiers"),
        listed("requires_dist"),
        listed("provides_extra"),
        listed("license_files"),
        listed("dynamic"),
        "\x1f".join("%s, %s" % item for item in raw.get("project_urls", {}).items()),
        raw.get("description", "-") if with_description == "1" else "skip",
    ]


def compare_answer(a, b):
    va, vb = Version(a), Version(b)
    return [str((va > vb) - (va < vb))]


def sort_answer(texts):
    versions = [Version(t) for t in texts]
    order = sorted(range(len(versions)), key=lambda i: versions[i])
    steps = [str((versions[j] > versions[i]) - (versions[j] < versions[i])) for i, j in zip(order, order[1:])]
    return [",".join(map(str, order)), ",".join(steps)]


def main():
    cases_path, output_path = sys.argv[1], sys.argv[2]
    answers = []
    with open(cases_path, encoding="utf-8") as cases:
        for line in cases:
            fields = line.rstrip("\n").split("\t")
            kind = fields[0]
            args = [bytes.fromhex(f).decode("utf-8") for f in fields[1:]]
            if kind == "version":
                answer = version_answer(args[0])
            elif kind == "name":
                answer = name_answer(args[0])
            elif kind == "filename":
                answer = filename_answer(args[0])
            elif kind == "tag":
                answer = tag_answer(args[0])
            elif kind == "metadata":
                answer = metadata_answer(args[0], args[1])
            elif kind == "compare":
                answer = compare_answer(args[0], args[1])
            elif kind == "sort":
                answer = sort_answer(args[0].split("\n"))
            else:
                raise SystemExit("unknown case kind " + kind)
            answers.append("\t".join(esc(a) for a in answer))
    with open(output_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("packaging " + packaging.__version__ + "\n")
        for answer in answers:
            out.write(answer + "\n")


if __name__ == "__main__":
    main()
