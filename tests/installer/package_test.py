#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Debian packages and the tarball, built by CPack into a scratch directory, as a user gets them:
`sluice` (the command, no graphical libraries) and `sluice-studio` (the desktop app, depending on
`sluice`), each checked alone (control fields, the files it owns) and then unpacked with dpkg -x
into one root as apt would install both, their binaries run from there (stripped, no RPATH, only system
libraries), a sample validated, the desktop entry, AppStream metainfo, man pages and bash
completion checked with the tools that read them, and the man pages and completion compared with
the options the binaries' --help lists. Prints "N passed, N failed"; exits 1 when anything failed.

usage: package_test.py CPACK CPACK_CONFIG VERSION GUI(ON|OFF) BUILD_DIR SOURCE_DIR
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import cli_docs  # noqa: E402

# The Debian package each tool comes from (all in the Makefile's PACKAGES).
TOOLS = {'dpkg-deb': 'dpkg', 'dpkg-shlibdeps': 'dpkg-dev', 'readelf': 'binutils', 'ldd': 'libc-bin',
         'desktop-file-validate': 'desktop-file-utils', 'appstreamcli': 'appstream', 'groff': 'groff-base',
         'bash': 'bash', 'gzip': 'gzip'}


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, name, ok, detail=''):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f'FAIL {name}' + (f': {detail}' if detail else ''))
        return ok


def run(argv, **kwargs):
    kwargs.setdefault('timeout', 120)
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


def build_packages(cpack, config, out):
    proc = run([cpack, '-G', 'DEB;TGZ', '--config', config, '-B', out], timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f'cpack exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}')
    debs = {}
    for f in os.listdir(out):
        if f.endswith('.deb'):
            debs[run(['dpkg-deb', '-f', os.path.join(out, f), 'Package']).stdout.strip()] = os.path.join(out, f)
    tarballs = [os.path.join(out, f) for f in os.listdir(out) if f.endswith('.tar.gz')]
    if len(tarballs) != 1:
        raise RuntimeError(f'cpack made {os.listdir(out)}')
    return debs, tarballs[0]


# What each package owns, by path prefix in its data (and what it must not hold).
OWNS = {
    'sluice': ['./usr/bin/sluice', './usr/share/man/man1/sluice.1.gz', './usr/share/bash-completion/',
               './usr/share/sluice/samples/', './usr/share/doc/sluice/', './usr/share/lintian/overrides/sluice'],
    'sluice-studio': ['./usr/bin/sluice-studio', './usr/share/man/man1/sluice-studio.1.gz',
                      './usr/share/applications/', './usr/share/metainfo/', './usr/share/icons/',
                      './usr/share/doc/sluice-studio/', './usr/share/lintian/overrides/sluice-studio'],
}


def check_control(c, package, deb, version):
    fields = run(['dpkg-deb', '-f', deb, 'Package', 'Version', 'Architecture', 'Depends', 'Maintainer']).stdout
    control = dict(line.split(': ', 1) for line in fields.splitlines() if ': ' in line)
    c.check(f'{package} control: Version', control.get('Version') == version, control.get('Version'))
    c.check(f'{package} control: Architecture',
            control.get('Architecture') == run(['dpkg', '--print-architecture']).stdout.strip())
    depends = control.get('Depends', '')
    c.check(f'{package} control: Depends computed (dpkg-shlibdeps)', re.search(r'\blibc6 \(>= ', depends), depends)
    c.check(f'{package} control: no Depends on -dev packages', '-dev' not in depends, depends)
    listing = run(['dpkg-deb', '-c', deb]).stdout.splitlines()
    c.check(f'{package} data: every entry owned by root/root',
            listing and all(' root/root ' in line for line in listing),
            next((line for line in listing if ' root/root ' not in line), 'empty'))
    c.check(f'{package} data: nothing group- or world-writable',
            not any(line[5] == 'w' or line[8] == 'w' for line in listing if not line.startswith('l')))
    paths = [line.split()[5] for line in listing if not line.split()[5].endswith('/')]
    mine = OWNS[package]
    c.check(f'{package} data: only its own files', all(any(p.startswith(o) for o in mine) for p in paths),
            [p for p in paths if not any(p.startswith(o) for o in mine)])
    c.check(f'{package} data: all of its files', all(any(p.startswith(o) for p in paths) for o in mine),
            [o for o in mine if not any(p.startswith(o) for p in paths)])
    return depends, {re.split(r'[ (:]', d.strip())[0] for alt in depends.split(',') for d in alt.split('|')}


def library_packages(path):
    """{soname: Debian package or None} for the libraries `path` needs directly (its DT_NEEDED)."""
    needed = re.findall(r'\(NEEDED\).*\[(.+)\]', run(['readelf', '-d', '-W', path]).stdout)
    listing = run(['ldd', path]).stdout
    resolved = dict(re.findall(r'^\s*(\S+) => (\S+)', listing, re.M))
    # The dynamic loader is listed by its path alone ("/lib64/ld-linux-x86-64.so.2 (0x...)"); a
    # binary that uses its symbols (TLS, _dl_find_object) has it in DT_NEEDED too.
    for loader in re.findall(r'^\s*(/\S+) \(0x', listing, re.M):
        resolved.setdefault(os.path.basename(loader), loader)
    # ldd may name /lib/... or /usr/lib/... (merged /usr); dpkg knows one of them. One dpkg -S for all.
    candidates = {}
    for soname in needed:
        where = resolved.get(soname, '')
        if where:
            for p in (where, where[4:] if where.startswith('/usr/') else '/usr' + where):
                candidates[p] = soname
    owners = dict.fromkeys(needed)
    for line in run(['dpkg', '-S', *candidates]).stdout.splitlines() if candidates else []:
        package, _, where = line.partition(': ')
        if where in candidates:
            owners[candidates[where]] = package.split(':')[0]
    return owners


def check_binary(c, path, build_dir, source_dir, depends):
    name = os.path.basename(path)
    sections = run(['readelf', '-S', '-W', path]).stdout
    c.check(f'{name}: stripped (no .symtab, .debug_*, .comment)',
            not any(s in sections for s in ('.symtab', '.debug_', '.comment ')), sections)
    dynamic = run(['readelf', '-d', '-W', path]).stdout
    c.check(f'{name}: no RPATH/RUNPATH', 'RPATH' not in dynamic and 'RUNPATH' not in dynamic,
            '\n'.join(line for line in dynamic.splitlines() if 'PATH' in line))
    libs = run(['ldd', path]).stdout
    c.check(f'{name}: every library found', 'not found' not in libs, libs)
    c.check(f'{name}: links only system libraries (nothing from the build or source tree)',
            build_dir not in libs and source_dir not in libs, libs)
    for soname, package in library_packages(path).items():
        c.check(f'{name}: Depends names the package of {soname}', package in depends, f'{package} not in {depends}')


def check_cli(c, root, version, scratch):
    sluice = os.path.join(root, 'usr/bin/sluice')
    proc = run([sluice, '--version'], cwd=scratch)
    c.check('sluice --version prints the project version', proc.returncode == 0 and proc.stdout.strip() == f'sluice {version}',
            f'{proc.returncode} {proc.stdout!r} {proc.stderr!r}')
    samples = os.path.join(root, 'usr/share/sluice/samples')
    proc = run([sluice, 'validate', os.path.join(samples, 'bookinfo')], cwd=scratch)
    c.check('sluice validate on the installed bookinfo sample: clean', proc.returncode == 0 and 'No validation issues' in proc.stderr,
            f'{proc.returncode} {proc.stdout} {proc.stderr}')
    proc = run([sluice, 'validate', os.path.join(samples, 'broken', 'missing-subset.yaml')], cwd=scratch)
    c.check('sluice validate on an installed broken sample: IST0101, exit 1',
            proc.returncode == 1 and 'IST0101' in proc.stdout, f'{proc.returncode} {proc.stdout} {proc.stderr}')


def check_studio(c, root, version, scratch):
    studio = os.path.join(root, 'usr/bin/sluice-studio')
    env = dict(os.environ, QT_QPA_PLATFORM='offscreen', XDG_RUNTIME_DIR=scratch, XDG_CONFIG_HOME=scratch)
    proc = run([studio, '--version'], cwd=scratch, env=env)
    c.check('sluice-studio --version prints the project version', proc.returncode == 0 and version in proc.stdout,
            f'{proc.returncode} {proc.stdout!r} {proc.stderr!r}')
    desktop = os.path.join(root, 'usr/share/applications/sluice-studio.desktop')
    proc = run(['desktop-file-validate', desktop])
    c.check('desktop-file-validate: no error, warning or hint', proc.returncode == 0 and not proc.stdout.strip(),
            proc.stdout + proc.stderr)
    entry = open(desktop, encoding='utf-8').read()
    exec_name = re.search(r'^Exec=(\S+)', entry, re.M).group(1)
    icon_name = re.search(r'^Icon=(\S+)', entry, re.M).group(1)
    c.check('desktop entry: Exec names an installed binary', os.path.exists(os.path.join(root, 'usr/bin', exec_name)))
    c.check('desktop entry: Icon is the installed scalable icon',
            os.path.exists(os.path.join(root, f'usr/share/icons/hicolor/scalable/apps/{icon_name}.svg')))
    metainfo = os.path.join(root, 'usr/share/metainfo/dev.sluice.Studio.metainfo.xml')
    proc = run(['appstreamcli', 'validate', '--no-net', '--no-color', metainfo], env=dict(os.environ, HOME=scratch))
    c.check('appstreamcli validate --no-net: passes', proc.returncode == 0, proc.stdout + proc.stderr)
    text = open(metainfo, encoding='utf-8').read()
    c.check('metainfo: the release is this version', f'<release version="{version}"' in text)
    c.check('metainfo: launches the installed desktop entry',
            '<launchable type="desktop-id">sluice-studio.desktop</launchable>' in text)


def check_man_pages(c, root, version, names):
    sources = {}
    for name in names:
        path = os.path.join(root, f'usr/share/man/man1/{name}.1.gz')
        if not c.check(f'man page {name}(1) installed', os.path.exists(path)):
            continue
        with gzip.open(path, 'rt', encoding='utf-8') as f:
            source = f.read()
        sources[name] = source
        c.check(f'{name}(1): names this version', f'"Sluice {version}"' in source and '@SLUICE_VERSION@' not in source)
        header = open(path, 'rb').read(10)
        c.check(f'{name}(1): gzip -n (no name, no timestamp)', header[3] & 0x08 == 0 and header[4:8] == b'\0\0\0\0')
        proc = run(['groff', '-man', '-Tutf8', '-ww', '-z'], input=source)
        c.check(f'{name}(1): renders with groff without a warning', proc.returncode == 0 and not proc.stderr,
                proc.stderr)
    return sources


def check_docs_match_help(c, root, sources, completion, gui, scratch):
    """Every subcommand and option the binaries accept is in the man pages and the completion, and
    nothing else is."""
    sluice = os.path.join(root, 'usr/bin/sluice')
    commands = cli_docs.help_subcommands(cli_docs.help_text([sluice, '--help']))
    c.check('sluice --help lists the subcommands', len(commands) >= 10, commands)
    sections = cli_docs.man_sections(sources.get('sluice', ''))
    global_options = cli_docs.help_options(cli_docs.help_text([sluice, '--help']))
    c.check('sluice(1) GLOBAL OPTIONS = sluice --help', sections.get('GLOBAL OPTIONS') == global_options,
            f'{sections.get("GLOBAL OPTIONS")} vs {global_options}')
    c.check('sluice(1) has a section per subcommand, in --help order',
            [s for s in sections if not s.endswith('OPTIONS')] == commands, f'{list(sections)} vs {commands}')
    c.check('completion: subcommands', cli_docs.complete(completion, ['sluice', '']) == commands,
            cli_docs.complete(completion, ['sluice', '']))
    for command in commands:
        accepted = cli_docs.help_options(cli_docs.help_text([sluice, command, '--help'])) - {'-h', '--help'}
        documented = sections.get(command, set())
        c.check(f'sluice(1) {command}: documents exactly its options', documented == accepted,
                f'missing {sorted(accepted - documented)}, extra {sorted(documented - accepted)}')
        offered = cli_docs.completion_options(completion, command) - {'-h', '--help'}
        c.check(f'completion: sluice {command} - offers exactly its options', offered == accepted,
                f'missing {sorted(accepted - offered)}, extra {sorted(offered - accepted)}')
    if gui:
        env = dict(os.environ, QT_QPA_PLATFORM='offscreen', XDG_RUNTIME_DIR=scratch)
        accepted = cli_docs.help_options(cli_docs.help_text([os.path.join(root, 'usr/bin/sluice-studio'), '--help'], env))
        documented = cli_docs.man_sections(sources.get('sluice-studio', '')).get('OPTIONS', set())
        c.check('sluice-studio(1) OPTIONS = sluice-studio --help', documented == accepted,
                f'missing {sorted(accepted - documented)}, extra {sorted(documented - accepted)}')


def check_completion(c, completion):
    c.check('completion installed', os.path.exists(completion))
    proc = run(['bash', '--norc', '--noprofile', '-c', 'set -eu; source "$1"; complete -p sluice', 'bash', completion])
    c.check('completion sources cleanly and registers for sluice', proc.returncode == 0 and not proc.stderr,
            proc.stdout + proc.stderr)
    cases = [(['sluice', 'val'], ['validate']), (['sluice', 'validate', '--fa'], ['--fail-on']),
             (['sluice', 'validate', '--fail-on', 'w'], ['warning']), (['sluice', 'graph', '-f', 'j'], ['json']),
             (['sluice', 'route', '-X', 'PO'], ['POST'])]
    for words, expected in cases:
        got = cli_docs.complete(completion, words)
        c.check(f'completion: {" ".join(words)} -> {" ".join(expected)}', got == expected, got)
    samples = os.path.join(os.path.dirname(completion), '../../sluice/samples/bo')
    got = cli_docs.complete(completion, ['sluice', 'load', '-f', samples])
    c.check('completion: files after -f', [os.path.basename(g) for g in got] == ['bookinfo'], got)


def check_tarball(c, tarball, gui):
    with tarfile.open(tarball) as t:
        names = {n.split('/', 1)[1] for n in t.getnames() if '/' in n}
    expected = ['bin/sluice', 'share/man/man1/sluice.1.gz', 'share/bash-completion/completions/sluice',
                'share/sluice/samples/bookinfo/gateway.yaml', 'share/doc/sluice/copyright']
    if gui:
        expected += ['bin/sluice-studio', 'share/applications/sluice-studio.desktop']
    for path in expected:
        c.check(f'tarball holds {path}', path in names)


def main(cpack, config, version, gui, build_dir, source_dir):
    gui = gui.upper() in ('ON', '1', 'TRUE', 'YES')
    missing = [f'{tool} ({package})' for tool, package in TOOLS.items() if not shutil.which(tool)]
    if missing:
        print('missing tools, install the packages (make deps does): ' + ', '.join(missing))
        return 1
    c = Checks()
    with tempfile.TemporaryDirectory(prefix='sluice-package-') as scratch:
        debs, tarball = build_packages(cpack, config, os.path.join(scratch, 'out'))
        binaries = ['sluice'] + (['sluice-studio'] if gui else [])
        if not c.check('one Debian package per program', sorted(debs) == binaries, sorted(debs)):
            return 1
        depends = {}
        for package, deb in debs.items():
            text, depends[package] = check_control(c, package, deb, version)
            if package == 'sluice':
                c.check('sluice control: no Qt or X libraries (a CI runner needs none)',
                        not re.search(r'\blibqt|\blibx11|\blibgl', text, re.I), text)
            else:
                c.check('sluice-studio control: Depends on sluice of this version', f'sluice (= {version})' in text,
                        text)
        root = os.path.join(scratch, 'root')
        for package, deb in debs.items():
            proc = run(['dpkg', '-x', deb, root])
            if not c.check(f'dpkg -x unpacks {package}', proc.returncode == 0, proc.stderr):
                return 1
        for name in binaries:
            check_binary(c, os.path.join(root, 'usr/bin', name), os.path.realpath(build_dir),
                         os.path.realpath(source_dir), depends[name])
        check_cli(c, root, version, scratch)
        if gui:
            check_studio(c, root, version, scratch)
        sources = check_man_pages(c, root, version, binaries)
        completion = os.path.join(root, 'usr/share/bash-completion/completions/sluice')
        check_completion(c, completion)
        check_docs_match_help(c, root, sources, completion, gui, scratch)
        for package in binaries:
            doc = os.path.join(root, 'usr/share/doc', package)
            c.check(f'copyright in /usr/share/doc/{package}, machine-readable',
                    open(os.path.join(doc, 'copyright')).read().startswith('Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/'))
            with gzip.open(os.path.join(doc, 'changelog.gz'), 'rt') as f:  # the source package's
                c.check(f'{package} changelog names this version', f.readline().startswith(f'sluice ({version})'))
        check_tarball(c, tarball, gui)
    print(f'{c.passed} passed, {c.failed} failed')
    return 1 if c.failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 7:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
