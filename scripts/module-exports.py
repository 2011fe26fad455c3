#!/usr/bin/env python3
"""module-exports.py NM DYNAMIC_LIST LINKER_SCRIPT --modules A.a ... --program B.a ...

The symbols missive's modules (src/base/module.h) take from the program:
every symbol a module's static library leaves undefined that one of the
program's static libraries defines. Writes them as a dynamic list (the
program exports exactly these, nothing else: an exported name could
interpose on a shared library's own) and as a linker script of EXTERNs
(the program links the objects defining them even when only a module
calls them)."""
import subprocess
import sys


def symbols(nm, libs, defined):
    args = [nm, "--format=posix", "--defined-only" if defined else "--undefined-only"]
    out = subprocess.run(args + libs, check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        # "name type [value size]"; archive members print "lib.a[x.o]:".
        if len(parts) < 2 or parts[0].endswith(":"):
            continue
        # Defined: global symbols only (upper-case types).
        if not defined or parts[1].isupper():
            names.add(parts[0])
    return names


nm, dynamic_list, linker_script = sys.argv[1:4]
rest = sys.argv[4:]
split = rest.index("--program")
modules, program = rest[1:split], rest[split + 1:]
wanted = sorted(symbols(nm, modules, False) & symbols(nm, program, True))
with open(dynamic_list, "w") as f:
    f.write("{\n" + "".join(f"  {name};\n" for name in wanted) + "};\n")
with open(linker_script, "w") as f:
    f.write("EXTERN(\n" + "".join(f"  {name}\n" for name in wanted) + ")\n")
