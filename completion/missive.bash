# bash completion for missive(1): commands, register's subcommands, each
# command's options, letter files (*.xml) and folders. Installed as
# share/bash-completion/completions/missive; source it to try it.

_missive_options() { # the options of command $1 (register's: "register SUB")
  local common="--workspace -w --quiet -q --help -h --version -V"
  case $1 in
    init) echo "--organisation --force --quiet -q --help -h --version -V" ;;
    render) echo "$common --output -o --format -f --verbose -v --only --lang --jobs -j --skip-invalid-signers --json" ;;
    check) echo "$common --only --lang --jobs -j --json" ;;
    issue) echo "$common --archive -a --ref --only --lang --jobs -j --verbose -v --json" ;;
    reprint) echo "$common --archive -a --output -o" ;;
    "register list") echo "$common --archive -a --year --country --language --recipient --signatory --search --json" ;;
    "register show") echo "$common --archive -a --json" ;;
    "register verify") echo "$common --archive -a --json" ;;
    "register void") echo "$common --archive -a --reason" ;;
    "register import") echo "$common --archive -a" ;;
    register) echo "--help -h --version -V" ;;
    help) echo "--help -h" ;;
  esac
}

_missive() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="init render check issue register reprint help"
  local subcommands="list show verify void import"
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
    -f | --format) COMPREPLY=($(compgen -W "pdf txt pdf,txt" -- "$cur")); return ;;
    --organisation | --only | --lang | --jobs | -j | --ref | --reason | --year | --country | \
      --language | --recipient | --signatory | --search) COMPREPLY=(); return ;;
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
    help) COMPREPLY=($(compgen -W "${commands% help}" -- "$cur")) ;;
    init) COMPREPLY=($(compgen -d -- "$cur")) ;;
    register) [ "$sub" = import ] && COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -- "$cur")) ;;
  esac
}
complete -o filenames -F _missive missive
