#!/usr/bin/env bash
# commands.sh — the one command table and parser: every command and
# subcommand answers --help (its own usage) and --version with exit 0;
# `missive help COMMAND` is the same text; a usage error is one line and
# "Try 'missive COMMAND --help'"; option forms (--name=value, -oDIR, -qv,
# --); the bash completion knows exactly the options each --help lists.
source "$(dirname "$0")/lib.sh"

commands=$("$MISSIVE" help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
check "help lists the commands" "$(echo $commands)" "init render check issue import register status set reprint serve sign verify-pdf help"
subcommands=$("$MISSIVE" help register | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
check "help register lists its commands" "$(echo $subcommands)" "list show verify void import migrate"

every=""
for c in $commands; do
  if [ "$c" = register ]; then
    for s in $subcommands; do every="$every register:$s"; done
  fi
  every="$every $c"
done
for name in $every; do
  words=${name/:/ }
  "$MISSIVE" $words --help >"$TMP/help" 2>"$TMP/err"
  check "$words --help exits 0" "$?" "0"
  check "$words --help is its own usage" "$(head -1 "$TMP/help" | cut -d' ' -f1-3 | sed 's/ \[.*//')" \
    "$(echo "usage: missive $words" | cut -d' ' -f1-3)"
  check "$words --help prints nothing on stderr" "$(cat "$TMP/err")" ""
  "$MISSIVE" help $words >"$TMP/help2"
  check "help $words is $words --help" "$(cmp -s "$TMP/help" "$TMP/help2" && echo same)" "same"
  out=$("$MISSIVE" $words --version); check "$words --version exits 0" "$?" "0"
  check "$words --version" "$out" "missive 0.1.0"
done
check "render --help is render's" "$(head -1 < <("$MISSIVE" render --help))" \
  "usage: missive render LETTER.xml... [options]"
check "init --help shows the required option" "$(head -1 < <("$MISSIVE" init --help))" \
  "usage: missive init [DIR] --organisation PREFIX [options]"
check "register list --help names its filters" \
  "$("$MISSIVE" register list --help | grep -c -- '--year\|--country\|--json')" "3"

# Usage errors: one line, then where to look.
usage() { # usage EXPECTED-STATUS ARGS...: stderr of missive ARGS, after checking the status
  local want=$1; shift
  "$MISSIVE" "$@" >/dev/null 2>"$TMP/err"
  check "missive $* exits $want" "$?" "$want"
  cat "$TMP/err"
}
check "unknown option" "$(usage 2 render --bogus letters/kazakhstan-2011.xml)" \
  "missive: error: unknown option '--bogus'
Try 'missive render --help'"
check "unknown short option" "$(usage 2 check -x letters/kazakhstan-2011.xml)" \
  "missive: error: unknown option '-x'
Try 'missive check --help'"
check "a mistyped command" "$(usage 2 rendr letters/kazakhstan-2011.xml)" \
  "missive: error: unknown command 'rendr' (did you mean 'render'?)
Try 'missive --help'"
check "a mistyped subcommand" "$(usage 2 register lst)" \
  "missive: error: unknown register command 'lst' (did you mean 'list'?)
Try 'missive register --help'"
check "a missing value" "$(usage 2 render letters/kazakhstan-2011.xml -o)" \
  "missive: error: option '-o' needs a value (-o DIR)
Try 'missive render --help'"
check "a flag given a value" "$(usage 2 check --quiet=yes letters/kazakhstan-2011.xml)" \
  "missive: error: option '--quiet' takes no value
Try 'missive check --help'"
check "an option of another command" "$(usage 2 check -o out letters/kazakhstan-2011.xml)" \
  "missive: error: -o does not apply to 'check'
Try 'missive check --help'"
check "init without its prefix" "$(usage 2 init "$TMP/w")" \
  "missive: error: 'init' needs --organisation PREFIX (the prefix of the workspace's reference numbers)
Try 'missive init --help'"
check "too many operands" "$(usage 2 register show A B)" \
  "missive: error: 'register show' takes one reference
Try 'missive register show --help'"
check "a bad --jobs" "$(usage 2 render -j 0 letters/kazakhstan-2011.xml)" \
  "missive: error: --jobs takes a number of threads from 1 to 1024, not '0'
Try 'missive render --help'"
check "help of an unknown command" "$(usage 2 help frob)" \
  "missive: error: unknown command 'frob' (commands: init, render, check, issue, import, register, status, set, reprint, serve, sign, verify-pdf, help)
Try 'missive help --help'"
check "no command" "$(usage 2)" "missive: error: no command given
Try 'missive --help'"

# Option forms.
out=$("$MISSIVE" render --format=txt -o"$TMP/o1" -q letters/kazakhstan-2011.xml)
check "--name=value, -oDIR and -q" "$?:$out:$(ls "$TMP/o1")" "0::ICEM-IMF11-EN-LT-107.txt"
out=$("$MISSIVE" check -qw . letters/kazakhstan-2011.xml)
check "-qw DIR clustered" "$?:$out" "0:"
"$MISSIVE" check -w . -- --bogus.xml 2>"$TMP/err"
check "-- ends the options" "$(cat "$TMP/err")" "--bogus.xml: error: cannot read file: No such file or directory"

# The completion offers exactly the options --help lists, for every command.
source completion/missive.bash
for name in $every; do
  words=${name/:/ }
  [ "$words" = register ] && continue
  listed=$("$MISSIVE" $words --help | sed -n '/^options:/,$p' | grep -o -- '--[a-z-]*\|^  -[a-zA-Z]' |
    sed 's/^  //' | sort | tr '\n' ' ')
  offered=$(_missive_options "$words" | tr ' ' '\n' | sort | tr '\n' ' ')
  check "completion of $words offers what --help lists" "$offered" "$listed"
done
finish
