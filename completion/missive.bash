# bash completion for missive(1): commands, register's subcommands, each
# command's options, letter files (*.xml) and folders. Installed as
# share/bash-completion/completions/missive; source it to try it.

_missive_options() { # the options of command $1 (register's: "register SUB"), as --help lists them
  local always="--help -h --version -V" ws="--workspace -w" ar="--archive -a"
  case $1 in
    init) echo "--organisation --force --quiet -q $always" ;;
    render) echo "$ws --output -o --format -f --combined --only --lang --strict --jobs -j --skip-invalid-signers --layout-report --json --quiet -q --verbose -v $always" ;;
    check) echo "$ws --format -f --only --lang --strict --jobs -j --skip-invalid-signers --layout-report --json --quiet -q --verbose -v $always" ;;
    issue) echo "$ws $ar --output -o --format -f --combined --ref --dry-run -n --only --lang --strict --jobs -j --skip-invalid-signers --json --quiet -q --verbose -v $always" ;;
    import) echo "$ws $always" ;;
    status) echo "$ws $ar --json --quiet -q $always" ;;
    set) echo "$ws --quiet -q $always" ;;
    reprint) echo "$ws $ar --output -o --quiet -q --original $always" ;;
    "register list") echo "$ws $ar --year --country --language --recipient --signatory --search --series --office --json $always" ;;
    "register show") echo "$ws $ar --json $always" ;;
    "register verify") echo "$ws $ar --quiet -q --expect --json $always" ;;
    "register void") echo "$ws $ar --reason $always" ;;
    "register import") echo "$ws $ar --quiet -q $always" ;;
    "register migrate") echo "$ws $ar --quiet -q --to $always" ;;
    serve) echo "$ws --port -p $always" ;;
    sign) echo "$ws $ar --quiet -q $always" ;;
    verify-pdf) echo "$ws --trust $always" ;;
    register | help) echo "$always" ;;
  esac
}

_missive() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="init render check issue import register status set reprint serve sign verify-pdf help"
  local subcommands="list show verify void import migrate"
  local command="" sub="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -*) ;;
      *)
        if [ -z "$command" ]; then command=${COMP_WORDS[i]}
        elif [ "$command" = register ] && [ -z "$sub" ]; then sub=${COMP_WORDS[i]}
        fi ;;
    esac
  done
  case $prev in
    -w | --workspace | -a | --archive | -o | --output)
      COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --layout-report | --trust) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -f | --format) COMPREPLY=($(compgen -W "pdf txt eml pdf,txt pdf,txt,eml" -- "$cur")); return ;;
    --organisation | --port | -p | --only | --lang | --jobs | -j | --ref | --reason | --year | --country | \
      --language | --recipient | --signatory | --search | --expect) COMPREPLY=(); return ;;
  esac
  if [ -z "$command" ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur")); return
  fi
  if [ "$command" = register ] && [ -z "$sub" ] && [[ $cur != -* ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur")); return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_missive_options "$command${sub:+ $sub}")" -- "$cur")); return
  fi
  case $command in
    render | check | issue) COMPREPLY=($(compgen -f -X '!*.xml' -- "$cur") $(compgen -d -- "$cur")) ;;
    verify-pdf) COMPREPLY=($(compgen -f -X '!*.pdf' -- "$cur") $(compgen -d -- "$cur")) ;;
    help) COMPREPLY=($(compgen -W "${commands% help}" -- "$cur")) ;;
    init) COMPREPLY=($(compgen -d -- "$cur")) ;;
    register) [ "$sub" = import ] && COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -- "$cur")) ;;
  esac
}
complete -o filenames -F _missive missive
