#!/usr/bin/env bash
# install.sh — `meson install --destdir`, then the installed missive, moved
# away from the source tree, makes a workspace with `init` and renders and
# issues its example letter there with the installed fonts and templates;
# the installed manual pages render without warnings; the installed bash
# completion completes commands, options and letter files.
source "$(dirname "$0")/lib.sh"
BUILD=${BUILD:?set BUILD to the build folder}

meson install -C "$BUILD" --no-rebuild --destdir "$TMP/dest" >"$TMP/install.log" 2>&1
check "meson install exits 0" "$?" "0"
prefix=$(meson introspect "$BUILD" --buildoptions | python3 -c \
  'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
# Moved elsewhere, the installed tree must still find its data beside the
# binary: nothing may come from the build or source tree.
mv "$TMP/dest$prefix" "$TMP/inst"
bin=$TMP/inst/bin/missive
data=$TMP/inst/share/missive
check "installed data" "$(cd "$data" && find . -type f | sort | tr '\n' ' ')" \
  "./fonts/DejaVuSerif-Bold.ttf ./fonts/DejaVuSerif-BoldItalic.ttf ./fonts/DejaVuSerif-Italic.ttf ./fonts/DejaVuSerif.ttf ./fonts/LICENSE-DejaVu.txt ./fonts/LICENSE-Liberation.txt ./fonts/LiberationSerif-Bold.ttf ./fonts/LiberationSerif-BoldItalic.ttf ./fonts/LiberationSerif-Italic.ttf ./fonts/LiberationSerif-Regular.ttf ./fonts/README.md ./skeleton/letters/example.xml ./skeleton/letters/organisations.ini ./skeleton/letters/recipients.ini ./skeleton/letters/signatories.ini ./skeleton/missive.ini ./templates/petition/en.xml ./templates/protocol.ini ./templates/solidarity/de.xml ./templates/solidarity/en.xml ./templates/solidarity/es.xml ./templates/solidarity/fr.xml ./templates/solidarity/ru.xml "

cd "$TMP"
out=$("$bin" init ws --organisation TEST)
check "init exits 0" "$?" "0"
check "init says what to do next" "$out" "a missive workspace for TEST is in ws (12 files); try:
  cd ws && missive render letters/example.xml"
check "init's files" "$(cd ws && find . -type f | sort | tr '\n' ' ')" \
  "./letters/example.xml ./letters/organisations.ini ./letters/recipients.ini ./letters/signatories.ini ./missive.ini ./templates/petition/en.xml ./templates/protocol.ini ./templates/solidarity/de.xml ./templates/solidarity/en.xml ./templates/solidarity/es.xml ./templates/solidarity/fr.xml ./templates/solidarity/ru.xml "
check "the prefix is in missive.ini" "$(grep '^organisation' ws/missive.ini)" "organisation = TEST"
today=$(date +%Y-%m-%d)
check "the example letter is dated today" "$(grep -c "<date>$today</date>" ws/letters/example.xml)" "1"

cd ws
out=$("$bin" render letters/example.xml)
check "render of the example exits 0" "$?" "0"
check "render prints the files" "$out" "out/example.pdf
out/example.txt"
check "the text names the recipient" "$(grep -c '^Dear Minister,$' out/example.txt)" "1"
check "the PDF's text" "$(pdftotext out/example.pdf - | grep -c 'Example Workers’ Union')" "2"
check "the installed fonts are embedded" \
  "$(pdffonts out/example.pdf | awk 'NR > 2 {print $1}' | sed 's/^[A-Z]*+//' | sort -u | tr '\n' ' ')" \
  "LiberationSerif LiberationSerif-Bold "
out=$("$bin" issue letters/example.xml)
check "issue of the example exits 0" "$?" "0"
ref="TEST$(date +%y)/EN LT/1"
check "issue prints the reference" "$out" "$ref"
check "the register lists it" "$("$bin" register list | grep -c "$ref")" "1"
"$bin" register verify -q
check "the register verifies" "$?" "0"
# The optional parts are modules beside the binary (src/base/module.h):
# the installed serve loads the installed web server.
check "installed modules" "$(cd "$TMP/inst" && find . -name 'missive-*.so' -printf '%f\n' | sort | tr '\n' ' ')" \
  "missive-pg.so missive-sign.so missive-tsa.so missive-web.so "
"$bin" serve --port 0 >"$TMP/serve.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q 'http://127.0.0.1:' "$TMP/serve.out" && break; sleep 0.1; done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "the installed serve starts" "$(grep -c '^  http://127.0.0.1:[0-9]*/?token=' "$TMP/serve.out")" "1"
# Without its module, serve says what is missing; render never needs one.
web=$(cd "$TMP/inst" && find . -name missive-web.so)
mv "$TMP/inst/$web" "$TMP/web.so"
"$bin" serve --port 0 >"$TMP/serve.out" 2>"$TMP/err"
check "serve without its module exits 1" "$?" "1"
# (it then looks in the configured prefix, as for the data)
check "serve without its module says so" "$(sed 's|load /.*/missive-web.so (.*)|load DIR/missive-web.so (...)|' "$TMP/err")" \
  "missive: error: the web server cannot start: cannot load DIR/missive-web.so (...)"
"$bin" render -q letters/example.xml
check "render needs no module" "$?" "0"
mv "$TMP/web.so" "$TMP/inst/$web"
cd "$TMP"

# A folder that is not empty is refused, and nothing is written into it.
mkdir full && echo keep > full/notes.txt
"$bin" init full --organisation TEST 2>"$TMP/err"
check "init into a folder not empty exits 1" "$?" "1"
check "init into a folder not empty says why" "$(cat "$TMP/err")" \
  "full: error: the folder is not empty (--force adds the workspace's files to it, keeping every file already there)"
check "nothing written into it" "$(ls full)" "notes.txt"
out=$("$bin" init full --organisation TEST --force -q)
check "init --force exits 0" "$?" "0"
check "init --force keeps what was there" "$(cat full/notes.txt)" "keep"
check "init --force writes the workspace" "$(ls full | tr '\n' ' ')" "letters missive.ini notes.txt templates "
echo 'organisation = MINE' > full/missive.ini
out=$("$bin" init full --organisation TEST --force)
check "init --force again lists what it kept" "$(echo "$out" | head -2)" "kept full/letters/example.xml (already there)
kept full/letters/organisations.ini (already there)"
check "init --force never overwrites" "$(cat full/missive.ini)" "organisation = MINE"
"$bin" init bad --organisation 'A;B' 2>"$TMP/err"
check "a prefix missive.ini cannot hold exits 1" "$?" "1"
check "and leaves no folder" "$(ls -d bad 2>&1)" "ls: cannot access 'bad': No such file or directory"

# The manual pages, as installed.
for page in "$TMP/inst/share/man/man1/missive.1" "$TMP/inst/share/man/man5/missive-workspace.5"; do
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >"$TMP/page.txt")
  check "man --warnings -l $(basename "$page") is clean" "$warnings" ""
  check "$(basename "$page") renders" "$(head -1 "$TMP/page.txt" | awk '{print $1}')" \
    "$(basename "$page" | sed 's/\.[0-9]$//' | tr a-z A-Z)($(basename "$page" | sed 's/.*\.//'))"
done

# The completion, as installed: sourced into bash, asked what compgen says.
completion=$TMP/inst/share/bash-completion/completions/missive
complete_words() { # the replies for the words "$@" (the last one being completed)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _missive
           printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" missive "$@"
}
check "completes commands" "$(complete_words r | sort | tr '\n' ' ')" "register render reprint "
check "completes register's subcommands" "$(complete_words register v | sort | tr '\n' ' ')" "verify void "
check "completes options" "$(complete_words render --f | tr '\n' ' ')" "--format "
check "completes a subcommand's options" "$(complete_words register list --y | tr '\n' ' ')" "--year "
check "completes formats" "$(complete_words render -f p | tr '\n' ' ')" "pdf pdf,txt pdf,txt,eml "
cd ws
check "completes letter files" "$(complete_words check letters/ex | tr '\n' ' ')" "letters/example.xml "
finish
