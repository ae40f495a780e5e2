#!/usr/bin/env python3
"""Write a man page (roff, section 1) per logrx command from the binary's own help.

Usage: scripts/manpages.py LOGRX_BINARY OUTDIR

Reads `logrx --experimental-dump-help` (swift-argument-parser's JSON of every command, the
input its generate-manual plugin uses; that plugin is not available offline) and writes
logrx.1, logrx-explain.1, logrx-rules-list.1, ... into OUTDIR."""
import json
import pathlib
import subprocess
import sys

binary, outdir = sys.argv[1], pathlib.Path(sys.argv[2])
outdir.mkdir(parents=True, exist_ok=True)
help_json = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip() or "unknown"


def esc(text):
    """Escape text for roff: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line[:1] in (".", "'") else line for line in text.split("\n"))


def names(argument):
    parts = []
    for name in argument.get("names", []):
        parts.append(("-" if name["kind"] == "short" else "--") + name["name"])
    return ", ".join(parts)


def page(command, path):
    title = "-".join(path)
    lines = [f'.TH "{title.upper()}" "1" "" "logrx {esc(version)}" "logrx manual"', ".SH NAME",
             f"{esc(title)} \\- {esc(command.get('abstract', ''))}", ".SH SYNOPSIS"]
    synopsis = [f"\\fB{esc(' '.join(path))}\\fR"]
    subcommands = [c for c in command.get("subcommands", []) if c.get("shouldDisplay", True) and c["commandName"] != "help"]
    if subcommands:
        synopsis.append("\\fIcommand\\fR")
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True):
            continue
        if argument["kind"] == "positional":
            word = f"\\fI{esc(argument.get('valueName', 'arg'))}\\fR" + ("..." if argument.get("isRepeating") else "")
        else:
            preferred = argument.get("preferredName") or argument["names"][0]
            word = ("-" if preferred["kind"] == "short" else "--") + preferred["name"]
            word = "\\fB" + esc(word) + "\\fR"
            if argument["kind"] == "option":
                word += f" \\fI{esc(argument.get('valueName', 'value'))}\\fR"
        synopsis.append(f"[{word}]" if argument.get("isOptional") else word)
    lines.append(" ".join(synopsis))
    if command.get("discussion"):
        lines.append(".SH DESCRIPTION")
        for number, paragraph in enumerate(command["discussion"].split("\n\n")):
            if number:
                lines.append(".PP")
            # Indented lines (examples) keep their lines; prose is filled.
            if any(line.startswith("  ") for line in paragraph.split("\n")):
                lines += [".nf", esc(paragraph), ".fi"]
            else:
                lines.append(esc(paragraph))
    if subcommands:
        lines.append(".SH COMMANDS")
        for sub in subcommands:
            lines += [".TP", f"\\fB{esc(sub['commandName'])}\\fR", esc(sub.get("abstract", "")),
                      f"See \\fB{esc('-'.join(path + [sub['commandName']]))}\\fR(1)."]
    arguments = [a for a in command.get("arguments", []) if a.get("shouldDisplay", True)]
    if arguments:
        lines.append(".SH OPTIONS")
        for argument in arguments:
            if argument["kind"] == "positional":
                head = f"\\fI{esc(argument.get('valueName', 'arg'))}\\fR"
            else:
                head = f"\\fB{esc(names(argument))}\\fR"
                if argument["kind"] == "option":
                    head += f" \\fI{esc(argument.get('valueName', 'value'))}\\fR"
            text = argument.get("abstract", "")
            if argument.get("defaultValue") not in (None, ""):
                text += f" (default: {argument['defaultValue']})"
            lines += [".TP", head, esc(text)]
    lines += [".SH SEE ALSO", "The README of logrx: the commands, the rule format, the output formats."]
    (outdir / f"{title}.1").write_text("\n".join(lines) + "\n")
    for sub in subcommands:
        page(sub, path + [sub["commandName"]])


page(help_json["command"], ["logrx"])
