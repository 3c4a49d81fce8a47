#!/usr/bin/env python3
"""Writes docs/goals.md from the plugin descriptor that the build generates, so the goal reference
always lists every parameter with its property and default as the plugin itself declares them.

Usage: mvn -q -pl neuron-wheel-maven-plugin -am package -DskipTests && python3 docs/generate-goal-docs.py
"""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTOR = ROOT / "neuron-wheel-maven-plugin/target/classes/META-INF/maven/plugin.xml"
OUTPUT = ROOT / "docs/goals.md"


def plain(html):
    text = re.sub(r"<code>(.*?)</code>", r"`\1`", html or "", flags=re.S)
    text = re.sub(r"</?(p|a|br|ul|ol|li|pre|em|strong|b|i|tt|div|span)(\s[^>]*)?/?>", "", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&#64;", "@")
    return " ".join(text.split()).replace("|", "\\|")


def render(descriptor):
    root = ET.parse(descriptor).getroot()
    prefix = root.findtext("goalPrefix")
    out = ["# Goal reference", "",
           f"Generated from the plugin descriptor by `docs/generate-goal-docs.py`. Goal prefix: `{prefix}`.", ""]
    for mojo in sorted(root.iter("mojo"), key=lambda m: m.findtext("goal")):
        goal = mojo.findtext("goal")
        phase = mojo.findtext("phase") or "none"
        needs_pom = mojo.findtext("requiresProject") != "false"
        out += [f"## `{prefix}:{goal}`", "", plain(mojo.findtext("description")), "",
                f"Default phase: `{phase}`. Needs a pom: {'yes' if needs_pom else 'no'}.", ""]
        configuration = {c.tag: c for c in mojo.find("configuration") or []}
        rows = []
        for parameter in mojo.find("parameters") or []:
            if parameter.findtext("editable") == "false":
                continue
            name = parameter.findtext("name")
            conf = configuration.get(name)
            expression = conf.text if conf is not None and conf.text else ""
            prop = expression[2:-1] if expression.startswith("${") and expression.endswith("}") else ""
            default = conf.attrib.get("default-value", "") if conf is not None else ""
            rows.append(f"| `{name}` | {'`' + prop + '`' if prop else ''} | {'`' + default + '`' if default else ''} "
                        f"| {plain(parameter.findtext('description'))} |")
        if rows:
            out += ["| parameter | user property | default | meaning |", "| --- | --- | --- | --- |"] + rows + [""]
    return "\n".join(out)


if __name__ == "__main__":
    if not DESCRIPTOR.exists():
        sys.exit(f"{DESCRIPTOR} is missing: build the plugin module first")
    OUTPUT.write_text(render(DESCRIPTOR))
    print(f"wrote {OUTPUT}")
