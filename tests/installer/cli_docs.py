# SPDX-License-Identifier: Apache-2.0
"""What the installed binaries say about their command line (--help), what their man pages
document and what the bash completion offers, as sets that package_test.py compares.
"""
import re
import subprocess

# An option in a help line's first column: -o,--output  or  -h, --help  or  --screenshot <FILE>.
_HELP_OPTION = re.compile(r'(?<![\w-])(--?[A-Za-z][\w-]*)')
# An option written in man(7) source: \-o, \-\-fail\-on.
_MAN_OPTION = re.compile(r'(?<![\w\\-])((?:\\-){1,2}[A-Za-z][\w]*(?:\\-[\w]+)*)')


def help_text(argv, env=None):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f'{" ".join(argv)} exited {proc.returncode}: {proc.stderr.strip()}')
    return proc.stdout


def help_options(text):
    """Options defined in a --help text: the first column of each indented line starting with -."""
    options = set()
    for line in text.splitlines():
        if not re.match(r'^\s+-', line):
            continue
        first_column = re.split(r'\s{2,}', line.strip())[0]
        first_column = re.sub(r'<[^>]*>|\s+[A-Z]+\b.*$', '', first_column)  # <FILE>, TEXT:{...}=x
        options.update(_HELP_OPTION.findall(first_column))
    return options


def help_subcommands(text):
    """Subcommand names listed under CLI11's "Subcommands:" heading."""
    names, inside = [], False
    for line in text.splitlines():
        if line.rstrip().endswith(':') and not line.startswith(' '):
            inside = line.strip().lower() == 'subcommands:'
            continue
        match = re.match(r'^\s+([a-z][\w-]*)\s', line + ' ')
        if inside and match:
            names.append(match.group(1))
    return names


def man_sections(source):
    """{name: set of options} for each .SS of a man page (its first word names it) and each .SH
    named *OPTIONS: the options its .TP items document."""
    sections, current, tagged = {}, None, False
    for line in source.splitlines():
        if line.startswith('.SH'):
            name = line[3:].strip().strip('"')
            current = name if name.endswith('OPTIONS') else None
            if current:
                sections.setdefault(current, set())
        elif line.startswith('.SS'):
            current = line[3:].strip().strip('"').split()[0]
            sections.setdefault(current, set())
        elif line.startswith('.TP'):
            tagged = True
            continue
        elif tagged and current:
            sections[current].update(o.replace('\\-', '-') for o in _MAN_OPTION.findall(line))
        tagged = False
    return sections


def completion_options(completion_file, command):
    """What the completion script offers after `sluice COMMAND -`."""
    return set(complete(completion_file, ['sluice', command, '-']))


def complete(completion_file, words):
    """COMPREPLY after the last of `words`, as bash fills it for the function `sluice` is bound to."""
    script = r'''
set -u
source "$1" || exit 3
shift
spec=$(complete -p sluice) || exit 4
fn=$(sed -n 's/.*-F \([^ ]*\).*/\1/p' <<<"$spec")
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$fn" sluice "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
'''
    proc = subprocess.run(['bash', '--norc', '--noprofile', '-c', script, 'bash', completion_file, *words],
                          capture_output=True, text=True, timeout=30)
    if proc.returncode != 0 or proc.stderr:
        raise RuntimeError(f'completing {words}: exit {proc.returncode}: {proc.stderr.strip()}')
    return [w for w in proc.stdout.splitlines() if w]
