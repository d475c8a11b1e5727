/// The capability table: what ClawGuard knows about programs agents run — which ones run other programs,
/// which options take code or commands, which arguments are paths, hosts or URLs. Adding a program or an
/// exec-style option is one entry here; the analyzer interprets the table.
public enum ProgramTable {
    /// The spec for a program name (already normalized to a basename), or nil for unknown programs.
    public static func spec(for program: String) -> ProgramSpec? {
        if let spec = index[program] { return spec }
        // python3.12, pip3.11, node18…
        var trimmed = Substring(program)
        while let last = trimmed.last, last.isNumber || last == "." { trimmed = trimmed.dropLast() }
        if trimmed.count != program.count, let spec = index[String(trimmed)] { return spec }
        if program.hasPrefix("mkfs") { return index["mkfs"] }
        return nil
    }

    /// Every row.
    public static let all: [ProgramSpec] =
        wrappers + shells + interpreters + readers + writers + network + vcs + packageManagers + testRunners + system + misc

    static let index: [String: ProgramSpec] = {
        var index: [String: ProgramSpec] = [:]
        for spec in all {
            for name in spec.names { index[name] = spec }
        }
        return index
    }()

    // MARK: Programs that run other programs

    static let wrappers: [ProgramSpec] = [
        ProgramSpec(["env"], custom: Custom.env),
        ProgramSpec(["command", "builtin"], wrapper: .afterOptions(skip: 0), custom: Custom.command),
        ProgramSpec(["exec"], values: "-a", wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["nohup", "setsid", "time", "unbuffer", "rlwrap", "catchsegv", "torsocks", "caffeinate", "chpst"],
                    values: "-f -o", effects: ["-o": .write], wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["nice"], values: "-n --adjustment", wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["ionice"], values: "-c -n -p -P -u --class --classdata", wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["timeout"], values: "-s -k --signal --kill-after", wrapper: .afterOptions(skip: 1)),
        ProgramSpec(["stdbuf"], values: "-i -o -e --input --output --error", wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["flock"], values: "-w -E --timeout --conflict-exit-code -c --command",
                    effects: ["-c": .command, "--command": .command], wrapper: .afterOptions(skip: 1), custom: Custom.flock),
        ProgramSpec(["chrt"], values: "-T -P -D", wrapper: .afterOptions(skip: 1)),
        ProgramSpec(["taskset"], values: "-c --cpu-list", wrapper: .afterOptions(skip: 1)),
        ProgramSpec(["xargs"], values: "-I -i -n -P -L -l -d -E -e -s -a --arg-file --max-args --max-procs --delimiter --replace --max-lines --process-slot-var",
                    effects: ["-a": .read, "--arg-file": .read], wrapper: .afterOptions(skip: 0), custom: Custom.xargs),
        ProgramSpec(["watch"], values: "-n -d --interval --differences", wrapper: .joinedShell),
        ProgramSpec(["eval"], wrapper: .joinedShell),
        ProgramSpec(["strace", "ltrace"], values: "-e -o -p -s -u -a -b -I -O -P -S -X", effects: ["-o": .write],
                    wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["valgrind"], wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["xvfb-run"], values: "-n -s -e -f -p --server-num --server-args --error-file --auth-file",
                    wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["proxychains", "proxychains4"], values: "-f", wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["busybox"], wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["entr"], values: "-s", effects: ["-s": .command], wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["script"], values: "-c --command -E -T -t -I -O -B", effects: ["-c": .command, "--command": .command],
                    positional: .write),
        ProgramSpec(["parallel"], custom: Custom.parallel),
        ProgramSpec(["gdb"], values: "-ex -x -p --eval-command --command", effects: ["-ex": .code("gdb"), "--eval-command": .code("gdb"), "-x": .code("gdb")],
                    custom: Custom.gdb),
        ProgramSpec(["sudo"], values: "-u -g -p -C -h -r -t -T -U -D --user --group --prompt --close-from --host --role --type --command-timeout --other-user --chdir",
                    base: [CommandFinding(.privilege, "runs a command as another user (sudo)")],
                    wrapper: .afterOptions(skip: 0), custom: Custom.sudo),
        ProgramSpec(["doas"], values: "-u -C", base: [CommandFinding(.privilege, "runs a command as another user (doas)")],
                    wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["pkexec"], values: "--user", base: [CommandFinding(.privilege, "runs a command as another user (pkexec)")],
                    wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["su", "runuser"], values: "-c --command -s --shell -g --group -G --supp-group -u --user -w --whitelist-environment",
                    effects: ["-c": .command, "--command": .command],
                    positional: .text, base: [CommandFinding(.privilege, "switches to another user")]),
        ProgramSpec(["sg"], values: "-c", effects: ["-c": .command], positional: .text),
        ProgramSpec(["chroot"], values: "--userspec --groups", base: [CommandFinding(.privilege, "changes the root directory (chroot)")],
                    wrapper: .afterOptions(skip: 1)),
        ProgramSpec(["unshare", "nsenter", "setpriv", "capsh", "firejail", "bwrap"],
                    values: "-t --target -S -G --setuid --setgid --inh-caps --bounding-set --ambient-caps --bind --ro-bind --chdir",
                    base: [CommandFinding(.privilege, "changes namespaces, capabilities or privileges")],
                    wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["systemd-run"], values: "--unit -p --property --uid --gid --slice -E --setenv --working-directory -M --machine",
                    base: [CommandFinding(.exec, "starts a command as a systemd unit, outside this process tree")],
                    wrapper: .afterOptions(skip: 0)),
        ProgramSpec(["at", "batch"], values: "-f -q -t", effects: ["-f": .read],
                    positional: .text, base: [CommandFinding(.exec, "schedules commands to run later (at)")]),
        ProgramSpec(["source", "."], positional: .script,
                    base: [CommandFinding(.exec, "runs shell code from a file in the current shell")]),
    ]

    // MARK: Shells and interpreters

    static let shells: [ProgramSpec] = [
        ProgramSpec(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "tcsh", "csh", "rbash", "yash"],
                    custom: Custom.shell),
    ]

    static let interpreters: [ProgramSpec] = [
        interpreter(["python", "python2", "python3", "pypy", "pypy3"], code: ["-c"], values: "-m -W -X -Q"),
        interpreter(["node", "nodejs", "bun", "deno"], code: ["-e", "--eval", "-p", "--print"],
                    values: "-r --require --import --loader --experimental-loader"),
        interpreter(["perl"], code: ["-e", "-E"], values: "-I -M -m -x"),
        interpreter(["ruby", "irb"], code: ["-e"], values: "-I -r -C -E"),
        interpreter(["php"], code: ["-r"], values: "-c -d -f -z -t", effects: ["-f": .read]),
        interpreter(["lua", "luajit"], code: ["-e"], values: "-l"),
        interpreter(["Rscript"], code: ["-e"], values: ""),
        interpreter(["pwsh", "powershell"], code: ["-c", "-Command", "-command", "-EncodedCommand", "-e"], values: "-f -File"),
        interpreter(["osascript"], code: ["-e"], values: ""),
        interpreter(["tclsh", "wish", "expect"], code: ["-c"], values: ""),
        interpreter(["groovy", "jshell", "scala"], code: ["-e"], values: ""),
        interpreter(["java"], code: [], values: "-cp -classpath --class-path -jar -D"),
        ProgramSpec(["awk", "gawk", "mawk", "nawk"], values: "-f -v -F --file --assign --field-separator -i --include -l --load -e --source",
                    custom: Custom.awk),
        ProgramSpec(["sed", "gsed"], values: "-e -f -l --expression --file --line-length", custom: Custom.sed),
        ProgramSpec(["vim", "vi", "nvim", "view", "ex", "vimdiff", "gvim"], values: "-c --cmd -S -u -U -i -T -w -W -s -o -O -p",
                    effects: ["-c": .code("vim"), "--cmd": .code("vim"), "-S": .code("vim"), "-u": .code("vim"), "-s": .read],
                    positional: .write, custom: Custom.plusCommands),
        ProgramSpec(["emacs", "nano", "pico", "micro", "code", "subl"], values: "--eval -l --load -f --funcall",
                    effects: ["--eval": .code("elisp"), "-l": .code("elisp"), "--load": .code("elisp"), "-f": .code("elisp"), "--funcall": .code("elisp")],
                    positional: .write),
        ProgramSpec(["less", "more", "most", "pg"], values: "-o -O -x -y -b -h -j -k -p -P -t -T -z",
                    effects: ["-o": .write, "-O": .write, "-k": .read], positional: .read, custom: Custom.plusCommands),
        ProgramSpec(["man"], values: "-P --pager -H --html -C --config-file -M --manpath -L -S -s -e -m -p --preprocessor",
                    effects: ["-P": .command, "--pager": .command, "-H": .command, "--html": .command, "-p": .ignored,
                              "--preprocessor": .ignored],
                    positional: .text),
    ]

    // MARK: Programs that read, write and delete files

    static let readers: [ProgramSpec] = [
        ProgramSpec(["cat", "tac", "nl", "head", "tail", "wc", "cut", "paste", "fold", "fmt", "column", "rev",
                     "strings", "xxd", "od", "hexdump", "hd", "base64", "base32", "basenc", "md5sum", "sha1sum",
                     "sha256sum", "sha512sum", "sha224sum", "sha384sum", "b2sum", "cksum", "sum", "file", "iconv", "uniq",
                     "expand", "unexpand", "tr", "comm", "join", "diff", "diff3", "cmp", "sdiff", "jq", "yq", "gojq",
                     "bat", "batcat", "pr", "look", "shuf", "tsort", "csplit", "split", "ptx", "numfmt", "colordiff",
                     "xmllint", "sqlite3", "zcat", "bzcat", "xzcat", "zstdcat", "lz4cat", "gunzip", "bunzip2", "unxz",
                     "zless", "zmore", "pdftotext", "json_pp", "dos2unix", "unix2dos"],
                    values: "-n -c -b -d -f -s -w -o -t -l -i -e -C -F -D -x -j -k --lines --bytes --from-code --to-code --output -I -L -S --arg --argjson --slurpfile --rawfile --indent",
                    effects: ["-o": .write, "--output": .write, "--slurpfile": .read, "--rawfile": .read],
                    positional: .read, custom: Custom.readerExtras),
        ProgramSpec(["grep", "egrep", "fgrep", "rg", "ag", "ack", "ugrep", "zgrep", "pcregrep", "git-grep"],
                    values: "-e -f -m -A -B -C -d -D --regexp --file --max-count --context --after-context --before-context --include --exclude --exclude-dir --include-dir --color --colour -g --glob --type -t -T --type-not --pre --pre-glob --ignore-file -E --encoding -M --max-columns --label --hostname-bin",
                    effects: ["-f": .read, "--file": .read, "--pre": .command, "--ignore-file": .read, "--hostname-bin": .command,
                              "--search-zip": .finding(.exec, "rg --search-zip runs decompression programs", .allow)],
                    positional: .patternThenRead, custom: Custom.grep),
        ProgramSpec(["sort"], values: "-o -k -t -S -T --output --key --field-separator --buffer-size --temporary-directory --compress-program --files0-from --parallel",
                    effects: ["-o": .write, "--output": .write, "--compress-program": .command, "--files0-from": .read],
                    positional: .read),
        ProgramSpec(["ls", "dir", "vdir", "tree", "du", "stat", "realpath", "readlink", "dirname", "basename", "df",
                     "lsattr", "getfacl", "namei", "exa", "eza", "test", "[", "pwd", "fd", "fdfind", "locate"],
                    values: "-I -L -P --ignore --hide -w --width -T --tabsize --block-size -B --format -c --printf --max-depth -d -t -e -E --exclude",
                    positional: .list),
        ProgramSpec(["find"], wordOptions: true, custom: Custom.find),
        ProgramSpec(["dd"], custom: Custom.dd),
    ]

    static let writers: [ProgramSpec] = [
        ProgramSpec(["tee"], values: "", positional: .write),
        ProgramSpec(["touch", "mkdir", "mkfifo", "mknod", "truncate"], values: "-m -s -r -d -t --mode --size --reference --date",
                    effects: ["-r": .read, "--reference": .read], positional: .write),
        ProgramSpec(["cp", "install"], values: "-t -S -m -o -g --target-directory --suffix --mode --owner --group --backup",
                    effects: ["-t": .write, "--target-directory": .write], positional: .copy),
        ProgramSpec(["mv"], values: "-t -S --target-directory --suffix --backup", effects: ["-t": .write, "--target-directory": .write],
                    positional: .move),
        ProgramSpec(["ln", "link"], values: "-t -S --target-directory --suffix", effects: ["-t": .write], custom: Custom.ln),
        ProgramSpec(["rm", "unlink", "rmdir", "shred", "srm", "wipe"], values: "-n -s --iterations --size --interactive",
                    positional: .delete, custom: Custom.rm),
        ProgramSpec(["chmod"], values: "--reference", effects: ["--reference": .read], custom: Custom.chmod),
        ProgramSpec(["chown", "chgrp", "chattr", "setfacl", "chcon"], values: "--reference -m -x -M -X --from",
                    effects: ["--reference": .read], custom: Custom.chown),
        ProgramSpec(["tar", "bsdtar", "gtar"], custom: Custom.tar),
        ProgramSpec(["zip"], values: "-TT --unzip-command -b -n -t -tt -x -i -P --password -Z -O --output-file",
                    effects: ["-TT": .command, "--unzip-command": .command, "-O": .write, "--output-file": .write],
                    wordOptions: true, custom: Custom.zip),
        ProgramSpec(["unzip", "7z", "7za", "unrar", "gzip", "bzip2", "xz", "zstd", "lz4", "cpio", "ar"],
                    values: "-d -x -P -o -p -S --suffix -T", effects: ["-d": .write], positional: .read),
        ProgramSpec(["patch"], values: "-i -o -d -p -r -B --input --output --directory --reject-file",
                    effects: ["-i": .read, "--input": .read, "-o": .write, "--output": .write, "-d": .directory], positional: .write),
    ]

    // MARK: Network

    static let network: [ProgramSpec] = [
        ProgramSpec(["curl"],
                    values: "-d --data --data-binary --data-raw --data-ascii --data-urlencode -F --form --form-string -T --upload-file -o --output -K --config -x --proxy -H --header -u --user -A --user-agent -e --referer -X --request -b --cookie -c --cookie-jar -w --write-out --url -m --max-time --connect-timeout --retry -r --range -E --cert --key --cacert --capath --netrc-file --resolve --connect-to -U --proxy-user --json -D --dump-header --trace --trace-ascii --stderr -z --time-cond --limit-rate -Y -y --interface --dns-servers --output-dir",
                    effects: ["-d": .readIfAt, "--data": .readIfAt, "--data-binary": .readIfAt, "--data-ascii": .readIfAt,
                              "--data-urlencode": .readIfAt, "-F": .readIfAt, "--form": .readIfAt, "--json": .readIfAt,
                              "-T": .read, "--upload-file": .read, "-o": .write, "--output": .write, "-K": .read,
                              "--config": .read, "-x": .url, "--proxy": .url, "--url": .url, "-c": .write,
                              "--resolve": .finding(.network, "curl --resolve pins a host name to another address", .ask),
                              "--cookie-jar": .write, "--netrc-file": .read, "-D": .write, "--dump-header": .write,
                              "--trace": .write, "--trace-ascii": .write, "--stderr": .write, "-E": .read, "--cert": .read,
                              "--key": .read, "--connect-to": .finding(.network, "curl --connect-to sends the request to another host", .ask),
                              "--output-dir": .write],
                    positional: .url, custom: Custom.curl),
        ProgramSpec(["wget"],
                    values: "-O --output-document -o --output-file -a --append-output -i --input-file --post-data --post-file --body-file -e --execute -P --directory-prefix -U --user-agent --header --user --password -t --tries -T --timeout -Q --quota --load-cookies --save-cookies --ca-certificate --certificate --private-key -e --execute",
                    effects: ["-O": .write, "--output-document": .write, "-o": .write, "--output-file": .write,
                              "-a": .write, "--append-output": .write, "-i": .read, "--input-file": .read,
                              "--post-file": .read, "--body-file": .read, "-P": .write, "--directory-prefix": .write,
                              "--load-cookies": .read, "--save-cookies": .write, "--private-key": .read,
                              "--certificate": .read,
                              "-e": .finding(.exec, "wget -e runs wgetrc commands (can set proxies and output files)", .ask),
                              "--execute": .finding(.exec, "wget --execute runs wgetrc commands", .ask)],
                    positional: .url),
        ProgramSpec(["nc", "ncat", "netcat", "nc.openbsd", "nc.traditional", "telnet"],
                    values: "-e -c -p -s -w -i -q -x -X -I -O -T -V --exec --sh-exec --lua-exec -o --output",
                    effects: ["-e": .command, "-c": .command, "--exec": .command, "--sh-exec": .command,
                              "--lua-exec": .code("lua"), "-o": .write, "--output": .write],
                    base: [CommandFinding(.network, "opens raw network connections (netcat)")], custom: Custom.netcat),
        ProgramSpec(["socat"], base: [CommandFinding(.network, "relays data between arbitrary addresses (socat)")], custom: Custom.socat),
        ProgramSpec(["ssh", "autossh", "mosh"],
                    values: "-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B -M",
                    effects: ["-F": .read, "-i": .read, "-E": .write, "-J": .host],
                    positional: .hostThenCommand, custom: Custom.ssh),
        ProgramSpec(["scp", "sftp"], values: "-c -F -i -J -l -o -P -S -D -X -B -s",
                    effects: ["-F": .read, "-i": .read, "-S": .command, "-J": .host, "-B": .read, "-s": .command],
                    custom: Custom.remoteCopy),
        ProgramSpec(["rsync"],
                    values: "-e --rsh --rsync-path --exclude --include --exclude-from --include-from --files-from -f --filter --log-file --password-file --backup-dir --suffix --chmod --chown --timeout --port --bwlimit -T --temp-dir --partial-dir --link-dest --compare-dest --copy-dest -M --remote-option --usermap --groupmap",
                    effects: ["-e": .command, "--rsh": .command, "--rsync-path": .command, "--exclude-from": .read,
                              "--include-from": .read, "--files-from": .read, "--log-file": .write,
                              "--password-file": .read],
                    custom: Custom.remoteCopy),
        ProgramSpec(["dig", "nslookup", "host", "ping", "ping6", "traceroute", "tracepath", "mtr", "whois", "drill",
                     "nmap", "arping", "fping", "hping3", "tcptraceroute"],
                    values: "-p -t -c -i -W -w -s -q -x -f -b -k -y -4 -6 -I -m -P -n -T -S -g -o -oN -oX -oG -iL -e",
                    effects: ["-f": .read, "-k": .read, "-iL": .read], positional: .url,
                    base: [CommandFinding(.network, "sends network or DNS queries")]),
        ProgramSpec(["ftp", "tftp", "lftp", "smbclient", "ldapsearch", "mysql", "psql", "mongo", "mongosh", "redis-cli",
                     "openssl", "aria2c", "axel", "httpie", "http", "https", "xh", "websocat", "grpcurl", "aws", "gcloud",
                     "az", "gsutil", "s3cmd", "rclone", "gh", "hub", "glab", "heroku", "vercel", "netlify", "flyctl",
                     "wrangler", "doctl", "terraform", "pulumi", "ansible", "ansible-playbook", "helm", "skopeo"],
                    values: "-h -H -p -P -U -u -d -c -o --host --port --user --output -connect -in -out -servername -proxy -e --command --profile --region -f --file --data -F --form",
                    effects: ["-connect": .host, "-in": .read, "-out": .write, "-o": .write, "--output": .write, "--host": .host,
                              "-proxy": .host],
                    positional: .url,
                    base: [CommandFinding(.network, "talks to a remote service", floor: .allow)],
                    custom: Custom.clientTools),
    ]

    // MARK: Version control

    static let vcs: [ProgramSpec] = [
        ProgramSpec(["git"], custom: Git.analyze),
        ProgramSpec(["hg", "svn", "fossil"], values: "--config -R --repository --cwd", positional: .text, custom: Custom.otherVCS),
    ]

    // MARK: Package managers and build tools

    static let packageManagers: [ProgramSpec] = [
        ProgramSpec(["npm", "pnpm", "yarn"], values: "--prefix -w --workspace --registry --cache --userconfig -C --dir --filter",
                    effects: ["--userconfig": .read], positional: .text, custom: Custom.npm),
        ProgramSpec(["npx", "pnpx", "bunx", "uvx", "pipx"], values: "-p --package -c --call",
                    effects: ["-c": .command, "--call": .command], positional: .text,
                    base: [CommandFinding(.exec, "downloads and runs a package's code")]),
        ProgramSpec(["pip", "pip3", "uv", "poetry", "pipenv", "conda", "mamba", "gem", "bundle", "bundler", "cargo",
                     "go", "composer", "mvn", "gradle", "gradlew", "dotnet", "nuget", "swift", "rustup", "brew",
                     "apt", "apt-get", "dnf", "yum", "apk", "pacman", "zypper", "snap", "flatpak", "port", "nix",
                     "nix-env", "opam", "cabal", "stack", "mix", "hex", "rebar3", "sbt", "lein", "ant"],
                    values: "-r --requirement -c --constraint -e --editable -t --target --prefix --root -i --index-url --extra-index-url -f --find-links --manifest-path -C --directory -p --package --registry --config-file -m -q -o",
                    effects: ["-r": .read, "--requirement": .read, "-c": .read, "--constraint": .read,
                              "--manifest-path": .read, "-C": .directory, "--directory": .directory],
                    positional: .text, custom: Custom.packageManager),
        ProgramSpec(["make", "gmake", "cmake", "ninja", "meson", "bazel", "bazelisk", "buck", "pants", "just", "task",
                     "rake", "tox", "nox", "invoke", "scons", "mage", "jest", "vitest", "mocha",
                     "tsc", "eslint", "prettier", "ruff", "black", "isort", "flake8", "pylint", "mypy", "pyright",
                     "rubocop", "golangci-lint", "shellcheck", "swiftlint", "swift-format", "clang-format", "gofmt",
                     "rustfmt", "clippy-driver", "gcc", "g++", "cc", "c++", "clang", "clang++", "rustc", "javac",
                     "kotlinc", "swiftc", "ld", "as", "strip", "objdump", "nm", "readelf", "ldd", "webpack",
                     "vite", "esbuild", "rollup", "parcel", "turbo", "nx", "lerna", "storybook", "playwright",
                     "cypress", "hyperfine", "perf", "bats", "ctest", "coverage", "nyc", "c8"],
                    values: "-f --file --makefile -C --directory -j --jobs -l -o -I -L -D -c --config --rootdir -p -k -m -x --eval -B --build -S --source -G -T",
                    effects: ["-f": .read, "--file": .read, "--makefile": .read, "-C": .directory, "--directory": .directory,
                              "-o": .write, "--eval": .code("make")],
                    positional: .text),
    ]

    static let testRunners: [ProgramSpec] = [
        ProgramSpec(["pytest", "py.test"], values: "-p -k -m -c --rootdir --confcutdir --basetemp -o --override-ini --junitxml --junit-xml --log-file --cov --cov-report",
                    effects: ["-c": .read, "--junitxml": .write, "--junit-xml": .write, "--log-file": .write, "--basetemp": .write],
                    positional: .text, custom: Custom.pytest),
    ]

    // MARK: System administration

    static let system: [ProgramSpec] = [
        ProgramSpec(["mkfs", "mke2fs", "mkswap", "fdisk", "sfdisk", "cfdisk", "parted", "gdisk", "sgdisk", "wipefs",
                     "blkdiscard", "hdparm", "badblocks", "cryptsetup", "lvremove", "vgremove", "pvremove", "zpool", "zfs",
                     "losetup", "dmsetup"],
                    positional: .write,
                    base: [CommandFinding(.destructive, "formats, partitions or wipes storage devices")]),
        ProgramSpec(["mount", "umount", "swapon", "swapoff", "insmod", "rmmod", "modprobe", "sysctl", "iptables",
                     "ip6tables", "nft", "ufw", "firewall-cmd", "setcap", "useradd", "userdel", "usermod", "groupadd",
                     "groupdel", "passwd", "chpasswd", "visudo", "adduser", "deluser", "vipw", "setenforce",
                     "update-alternatives", "ldconfig", "kexec", "grub-install", "update-grub", "efibootmgr", "dmesg"],
                    positional: .text,
                    base: [CommandFinding(.privilege, "changes system configuration (mounts, modules, users, firewall)")]),
        ProgramSpec(["reboot", "shutdown", "halt", "poweroff", "init", "telinit"], positional: .text,
                    base: [CommandFinding(.destructive, "stops or restarts the machine")]),
        ProgramSpec(["kill", "pkill", "killall", "skill", "xkill"], values: "-s -n -u -U -g -G -P -t --signal",
                    positional: .text, custom: Custom.kill),
        ProgramSpec(["systemctl", "service", "launchctl", "rc-service", "initctl", "loginctl"], values: "-H --host -M --machine -t --type -p --property",
                    positional: .text, custom: Custom.systemctl),
        ProgramSpec(["crontab"], values: "-u", custom: Custom.crontab),
        ProgramSpec(["docker", "podman", "nerdctl"], custom: Containers.docker),
        ProgramSpec(["kubectl", "oc", "k3s"], custom: Containers.kubectl),
        ProgramSpec(["printenv"], positional: .text,
                    base: [CommandFinding(.secretRead, "prints environment variables, which often hold credentials")]),
        ProgramSpec(["history", "fc"], values: "-e", effects: ["-e": .command], positional: .text),
    ]

    // MARK: Harmless builtins and text tools

    static let misc: [ProgramSpec] = [
        ProgramSpec(["echo", "printf", "true", "false", ":", "yes", "seq", "date", "cal", "whoami", "id", "uname",
                     "hostname", "uptime", "nproc", "arch", "sleep", "wait", "read", "export", "unset", "set",
                     "shift", "return", "exit", "break", "continue", "local", "declare", "typeset", "readonly",
                     "let", "cd", "pushd", "popd", "dirs", "type", "which", "whereis", "hash", "alias", "unalias",
                     "shopt", "umask", "ulimit", "trap", "jobs", "fg", "bg", "disown", "getopts", "times", "expr",
                     "bc", "dc", "factor", "tty", "stty", "clear", "reset", "tput", "groups", "users", "who", "w",
                     "last", "lsb_release", "free", "vmstat", "iostat", "top", "htop", "ps", "pgrep", "pidof", "lsof",
                     "lscpu", "lsblk", "lsusb", "lspci", "env_parallel", "mktemp", "uuidgen", "logname",
                     "getconf", "locale", "sync", "help", "caller", "complete", "compgen", "mapfile",
                     "readarray", "enable", "logout", "suspend", "ss", "netstat", "ip", "ifconfig", "route"],
                    values: "-v -f -d -n -u -p -t -a -o", positional: .text, custom: Custom.builtins),
    ]

    static func interpreter(
        _ names: [String], code: [String], values: String, effects: [String: OptionEffect] = [:]
    ) -> ProgramSpec {
        var allEffects = effects
        for flag in code { allEffects[flag] = .code(names[0]) }
        let allValues = values + " " + code.joined(separator: " ")
        return ProgramSpec(names, values: allValues, effects: allEffects, positional: .script, custom: Custom.interpreter)
    }
}
