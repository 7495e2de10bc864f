#!/usr/bin/env python3
"""Run the README's ```sh blocks exactly as written, in order, in one bash process.

    python3 tests/readme/run.py --backend sqlite      # from the repository root
    python3 tests/readme/run.py --backend mariadb

Every ```sh block of README.md runs in one `bash` with `set -euo pipefail`, from the repository
root, so a variable set in one block is there in the next. Each command is printed with its
README line before it runs; the first command that fails stops the pass with `README.md:LINE`
and its output.

A directive, an HTML comment on the line right before a block's fence, controls the block:

    <!-- readme-test: skip: REASON -->     not run (the reason is printed)
    <!-- readme-test: server sqlite -->    run only in the sqlite pass, first of its blocks
    <!-- readme-test: server mariadb -->   run only in the mariadb pass, first of its blocks

Blocks without one run in both passes, in README order.

- `cargo run -p pos-app` (optionally after VAR=value assignments, with no arguments) starts the
  server: the runner starts it in the background, its output in a log file, waits up to 900 s
  for `GET http://127.0.0.1:8080/ready` to answer 200, and stops it at the end of the pass.
- `cargo test --workspace` is not run: CI runs exactly it as its own step.
- `CMD  # => TEXT`: the output of CMD (stdout and stderr) must contain TEXT literally.
- POS_README_BIN=/path/to/pos-app: `cargo run [-q] -p pos-app [--]` is replaced by that path
  (no build). Unset, the commands run verbatim.
- Fresh state: the sqlite pass refuses to start if data/pos.sqlite or .env exists, the mariadb
  pass if the database `pos` or .env exists, unless POS_README_RESET=1, which deletes data/
  (sqlite) or drops `pos` (mariadb) and removes .env first. At the end of a pass the server is
  stopped, the .env the README wrote removed and (mariadb) `pos` dropped.
- After the blocks, `pos-app check` must exit 0 on the same database.

Commands are split quote-aware: a newline ends a command unless it is inside single or double
quotes or `$(...)`, or follows a backslash; `#` at the start of a word outside quotes begins a
comment. Python 3 standard library only.
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = "README.md"
PORT = 8080
READY_URL = f"http://127.0.0.1:{PORT}/ready"
READY_TIMEOUT_SECS = 900
MYSQL = ["mysql", "-uroot", "-h127.0.0.1", "-N"]

DIRECTIVE = re.compile(r"^\s*<!--\s*readme-test:\s*(.*?)\s*-->\s*$")
FENCE_OPEN = re.compile(r"^```sh\s*$")
FENCE_CLOSE = re.compile(r"^```\s*$")
ASSIGN = r"[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|\"[^\"]*\"|[^\s'\"])*"
CARGO_APP = r"cargo\s+run(?:\s+(?:-q|--quiet|--release))*\s+-p\s+pos-app(?:\s+(?:-q|--quiet|--release))*"
SERVER = re.compile(rf"^\s*((?:{ASSIGN}\s+)*){CARGO_APP}\s*$")
CARGO_APP_PREFIX = re.compile(rf"{CARGO_APP}(?:\s+--(?=\s|$))?")
CARGO_TEST = re.compile(r"^\s*cargo\s+test\s+--workspace\s*$")
CHECK = re.compile(r"^=>\s?(.*?)\s*$")


class Command:
    def __init__(self, line, text, comment):
        self.line = line  # README line of its first character
        self.text = text  # the command without its trailing comment
        self.comment = comment  # the trailing comment, without '#', or None
        m = CHECK.match(comment) if comment is not None else None
        self.expect = m.group(1) if m else None
        if self.expect == "":
            raise SystemExit(f"README.md:{line}: an empty '# =>' check")


class Block:
    def __init__(self, line, directive, commands):
        self.line = line  # README line of the opening fence
        self.directive = directive  # text of the directive, or None
        self.commands = commands


def split_commands(lines, first_line):
    """Split a block's lines into commands (see the module's docstring)."""
    text = "\n".join(lines) + "\n"
    commands = []
    stack = []  # "'", '"', "$(", "(" or "`"
    start = None  # index where the current command starts
    start_line = None
    comment = None  # the current command's last top-level comment
    comment_at = None  # where that comment starts (the command text ends there)
    line = first_line
    i = 0
    n = len(text)

    def word_start(j):
        return j == 0 or text[j - 1] in " \t\n;&|()<>"

    while i < n:
        c = text[i]
        top = stack[-1] if stack else None
        if start is None and c not in " \t\n":
            start, start_line, comment, comment_at = i, line, None, None
        if top == "'":
            if c == "'":
                stack.pop()
        elif top == '"':
            if c == "\\":
                if i + 1 < n and text[i + 1] == "\n":
                    line += 1
                i += 2
                continue
            if c == '"':
                stack.pop()
            elif c == "$" and text.startswith("$(", i):
                stack.append("$(")
                i += 2
                continue
            elif c == "`":
                stack.append("`")
        elif top == "`":
            if c == "\\":
                i += 2
                continue
            if c == "`":
                stack.pop()
        else:  # top level, inside $(...) or inside (...)
            if c == "\\":
                if i + 1 < n and text[i + 1] == "\n":
                    line += 1
                i += 2
                continue
            if c == "#" and word_start(i):
                end = text.index("\n", i)
                if top is None:
                    if start == i:  # a line that is only a comment
                        start = None
                    else:
                        comment, comment_at = text[i + 1:end].strip(), i
                i = end
                continue
            if c == "'":
                stack.append("'")
            elif c == '"':
                stack.append('"')
            elif c == "`":
                stack.append("`")
            elif c == "$" and text.startswith("$(", i):
                stack.append("$(")
                i += 2
                continue
            elif c == "(":
                stack.append("(")
            elif c == ")" and top in ("$(", "("):
                stack.pop()
            elif c == "\n" and top is None and start is not None:
                end = comment_at if comment_at is not None else i
                body = text[start:end].rstrip()
                commands.append(Command(start_line, body, comment))
                start = None
        if c == "\n":
            line += 1
        i += 1
    if stack or start is not None:
        raise SystemExit(f"README.md:{start_line}: unterminated {stack[-1] if stack else 'command'}")
    return commands


def parse_readme(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        if FENCE_OPEN.match(lines[i]):
            fence = i
            j = i + 1
            while j < len(lines) and not FENCE_CLOSE.match(lines[j]):
                j += 1
            if j == len(lines):
                raise SystemExit(f"README.md:{fence + 1}: a ```sh block that never ends")
            m = DIRECTIVE.match(lines[fence - 1]) if fence > 0 else None
            directive = m.group(1) if m else None
            blocks.append(Block(fence + 1, directive, split_commands(lines[fence + 1:j], fence + 2)))
            i = j + 1
        else:
            m = DIRECTIVE.match(lines[i])
            if m and not (i + 1 < len(lines) and FENCE_OPEN.match(lines[i + 1])):
                raise SystemExit(f"README.md:{i + 1}: a readme-test directive not right before a ```sh fence")
            i += 1
    return blocks


def plan(blocks, backend):
    """The blocks of a pass in the order they run, and the skipped ones with their reasons."""
    first, rest, skipped = [], [], []
    for b in blocks:
        d = b.directive
        if d is None:
            rest.append(b)
        elif d.startswith("skip:") and d[5:].strip():
            skipped.append((b, d[5:].strip()))
        elif d in ("server sqlite", "server mariadb"):
            if d.split()[1] == backend:
                first.append(b)
            else:
                skipped.append((b, f"the {d.split()[1]} pass's server block"))
        else:
            raise SystemExit(f"README.md:{b.line - 1}: unknown directive {d!r}")
    return first + rest, skipped


def with_bin(text, binary):
    if not binary:
        return text
    return CARGO_APP_PREFIX.sub(lambda _: shlex.quote(binary), text)


def indent(text, prefix="    "):
    return "\n".join(prefix + l for l in text.split("\n"))


def bash_script(run_blocks, binary, work, setsid):
    """One bash script for the pass. Progress goes to files in `work` for the runner to report."""
    q = shlex.quote
    out = [
        "set -euo pipefail",
        f"__w={q(work)}",
        "__ready() {  # pid log",
        f"  local deadline=$((SECONDS + {READY_TIMEOUT_SECS})) code",
        "  while :; do",
        f"    code=$(curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 {READY_URL} || true)",
        "    [ \"$code\" = 200 ] && return 0",
        "    if ! kill -0 \"$1\" 2>/dev/null; then echo \"the server exited; its log ($2):\"; tail -n 40 \"$2\"; return 1; fi",
        f"    if [ $SECONDS -ge $deadline ]; then echo \"no 200 from {READY_URL} in {READY_TIMEOUT_SECS} s; the server's log ($2):\"; tail -n 40 \"$2\"; return 1; fi",
        "    sleep 1",
        "  done",
        "}",
    ]
    index = 0
    for b in run_blocks:
        out.append(f"printf '\\n--- README.md:{b.line}%s\\n' {q(' (' + b.directive + ')' if b.directive else '')}")
        for c in b.commands:
            index += 1
            shown = f"README.md:{c.line} $ " + c.text.replace("\n", "\n    ")
            run = with_bin(c.text, binary)
            if run != c.text:
                shown += "\n    (POS_README_BIN: " + run.replace("\n", "\n    ") + ")"
            if c.expect is not None:
                shown += f"\n    (expects: {c.expect})"
            out.append(f"printf '%s\\n' {q(shown)}")
            out.append(f"printf '%s\\n' {c.line} >\"$__w/line\"; printf '%s\\n' {index} >\"$__w/count\"")
            if CARGO_TEST.match(c.text):
                out.append("echo '    not run here: CI runs `cargo test --workspace` as its own step'")
                continue
            m = SERVER.match(c.text)
            if m:
                assigns = m.group(1)
                log = os.path.join(work, f"server-{c.line}.log")
                starter = "setsid " if setsid else ""
                # Started from a subshell, so the server is no job of this shell: a `wait` in the
                # README waits for the README's own background commands only.
                server = with_bin(c.text.strip()[len(assigns):], binary)
                out.append(f"( {assigns}{starter}{server} >{q(log)} 2>&1 &\n"
                           "  echo $! >\"$__w/server.pid\" )")
                out.append(f"__pid=$(cat \"$__w/server.pid\"); echo {q(log)} >\"$__w/server.log\"")
                out.append(f"echo \"    started in the background (pid $__pid, log {log}); waiting for {READY_URL}\"")
                out.append(f"__ready \"$__pid\" {q(log)}")
                out.append(f"echo '    ready; the end of its log:'; tail -n 5 {q(log)} | sed 's/^/    | /'")
                continue
            tmp = f"\"$__w/out-{index}\""
            out.append(f": >{tmp}")
            out.append("{ " + run + "\n} >" + tmp + " 2>&1")
            out.append(f"cat {tmp}; if [ -s {tmp} ] && [ -n \"$(tail -c 1 {tmp})\" ]; then echo; fi")
            if c.expect is not None:
                out.append(
                    f"grep -qF -- {q(c.expect)} {tmp} || {{ printf '%s' {q(c.expect)} >\"$__w/expected\"; exit 1; }}"
                )
                out.append(f"printf '    ok, it says: %s\\n' {q(c.expect)}")
    check = with_bin("cargo run -q -p pos-app -- check", binary)
    out.append("printf '\\n--- after the blocks\\n'")
    out.append(f"printf '%s\\n' {q('$ ' + check)}")
    out.append("echo check >\"$__w/line\"")
    out.append(f": >\"$__w/out-check\"; {{ {check}\n}} >\"$__w/out-check\" 2>&1; cat \"$__w/out-check\"")
    out.append("echo done >\"$__w/done\"")
    return "\n".join(out) + "\n", index


def read(path, default=None):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return default


def mysql(sql):
    return subprocess.run(MYSQL + ["-e", sql], capture_output=True, text=True)


def pos_database_exists():
    r = mysql("SHOW DATABASES LIKE 'pos'")
    if r.returncode != 0:
        raise SystemExit(f"cannot ask MariaDB whether the database pos exists: {r.stderr.strip()}")
    return r.stdout.strip() == "pos"


def drop_pos_database():
    r = mysql("DROP DATABASE IF EXISTS pos")
    if r.returncode != 0:
        print(f"could not drop the database pos: {r.stderr.strip()}")


def port_in_use():
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", PORT)) == 0


def fresh_state(backend, reset):
    """Refuse to run on state a pass did not create, or remove it with POS_README_RESET=1."""
    found = []
    if os.path.exists(".env"):
        found.append(".env")
    if backend == "sqlite":
        if os.path.exists("data/pos.sqlite"):
            found.append("data/pos.sqlite")
    elif pos_database_exists():
        found.append("the MariaDB database pos")
    if found and not reset:
        raise SystemExit(
            f"refusing to run: {', '.join(found)} exists. The README's walk-through needs a fresh database; "
            "POS_README_RESET=1 deletes "
            + ("data/ and .env" if backend == "sqlite" else "the database pos and .env")
            + " first."
        )
    if reset:
        if os.path.exists(".env"):
            os.remove(".env")
        if backend == "sqlite":
            shutil.rmtree("data", ignore_errors=True)
        else:
            drop_pos_database()
        if found:
            print(f"POS_README_RESET=1: removed {', '.join(found)}" + (" (all of data/)" if backend == "sqlite" else ""))
    if port_in_use():
        raise SystemExit(f"refusing to run: something already listens on 127.0.0.1:{PORT}; stop it first")


def stop_server(work):
    pid = read(os.path.join(work, "server.pid"))
    if not pid or not pid.strip().isdigit():
        return
    pid = int(pid)
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(pid, sig)  # the group: cargo and the server it started
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
        deadline = time.time() + wait
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser(description="Run the README's sh blocks as written.")
    ap.add_argument("--backend", choices=["sqlite", "mariadb"], required=True)
    args = ap.parse_args()
    os.chdir(ROOT)
    binary = os.environ.get("POS_README_BIN") or None
    if binary:
        binary = os.path.abspath(binary)
        if not os.access(binary, os.X_OK):
            raise SystemExit(f"POS_README_BIN={binary} is not an executable file")
    reset = os.environ.get("POS_README_RESET") == "1"

    blocks = parse_readme(README)
    run_blocks, skipped = plan(blocks, args.backend)
    fresh_state(args.backend, reset)

    # The README decides the configuration (a .env, or assignments on its commands): settings
    # of the caller's environment would override them, so they are not passed on.
    env = dict(os.environ)
    dropped = sorted(k for k in env if (k.startswith("POS_") and not k.startswith("POS_README_")) or k == "DATABASE_URL")
    for k in dropped:
        del env[k]
    if dropped:
        print(f"not passed on to the README's commands: {', '.join(dropped)}")

    work = tempfile.mkdtemp(prefix="readme-test-")
    script, total = bash_script(run_blocks, binary, work, shutil.which("setsid") is not None)
    with open(os.path.join(work, "script.sh"), "w", encoding="utf-8") as f:
        f.write(script)
    print(f"README.md, {args.backend} pass: {len(run_blocks)} blocks, {total} commands"
          + (f", POS_README_BIN={binary}" if binary else ", cargo as written"))
    for b, reason in skipped:
        print(f"--- README.md:{b.line} skipped: {reason}")

    env_existed = os.path.exists(".env")
    ok = False
    bash = None
    # A SIGTERM (a CI timeout, say) cleans up like a failure: the server is stopped, and so on.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.stdout.flush()
        bash = subprocess.Popen(["bash", os.path.join(work, "script.sh")], env=env, stdin=subprocess.DEVNULL)
        rc = bash.wait()
        line = (read(os.path.join(work, "line"), "") or "").strip()
        count = int((read(os.path.join(work, "count"), "0") or "0").strip() or 0)
        expected = read(os.path.join(work, "expected"))
        if rc == 0 and read(os.path.join(work, "done")):
            ok = True
        elif line == "check":
            print(f"\nFAILED: pos-app check exited {rc} on the {args.backend} database after the blocks:")
            print(indent(read(os.path.join(work, "out-check"), "").rstrip()))
        else:
            out = read(os.path.join(work, f"out-{count}"))
            if expected is not None:
                print(f"\nFAILED: README.md:{line}: the answer does not contain the expected text")
                print(f"  expected: {expected}")
            else:
                print(f"\nFAILED: README.md:{line}: the command exited {rc}")
            if out is not None:
                print("  its output:")
                print(indent(out.rstrip()) if out.strip() else "    (none)")
        checks = sum(1 for b in run_blocks for c in b.commands if c.expect is not None)
        cargo_tests = sum(1 for b in run_blocks for c in b.commands if CARGO_TEST.match(c.text))
        print(f"\n=== summary, {args.backend} pass: {'passed' if ok else 'FAILED'}")
        print(f"blocks {'run' if ok else 'of the pass'}: {len(run_blocks)} ("
              + ", ".join(f"README.md:{b.line}" for b in run_blocks) + ")")
        for b, reason in skipped:
            print(f"block skipped: README.md:{b.line}: {reason}")
        if ok:
            left = f" (`cargo test --workspace` left to CI's own step)" if cargo_tests else ""
            print(f"commands run: {total - cargo_tests} of {total}{left}, then pos-app check: exit 0")
            print(f"answers checked: {checks}")
        else:
            print(f"commands started before the stop: {count} of {total}")
    finally:
        if bash is not None and bash.poll() is None:
            bash.terminate()
            try:
                bash.wait(10)
            except subprocess.TimeoutExpired:
                bash.kill()
        stop_server(work)
        if os.path.exists(".env") and not env_existed:
            os.remove(".env")
            print("removed the .env the README wrote")
        if args.backend == "mariadb":
            drop_pos_database()
            print("dropped the database pos")
        log = read(os.path.join(work, "server.log"))
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"the pass's files (script, outputs, server log) are kept in {work}")
            if log:
                print(f"the server's log: {log.strip()}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
