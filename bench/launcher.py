"""A tiny fork server that runs one command at a time and reports its rusage.

Why: Linux charges a child's ``ru_maxrss`` with the resident size of the address space
it replaced at ``exec``. A child spawned straight from the benchmark (which may hold a
large input) would report at least the benchmark's own peak memory. This process is
started first, with ``python -S -I`` and nothing but ``os`` and ``time`` imported, so the
floor under every reported peak is its own few MB (see ``floor`` in the results).

Protocol, one line each way: the request is NUL-separated fields
``cwd, stdin, stdout, stderr, argv...``; the answer is
``exit_code user_s sys_s maxrss_kb wall_s``. Started by ``measure.Launcher``.
"""

import os
import sys
import time


def run(fields: list[str]) -> str:
    cwd, stdin, stdout, stderr, argv = fields[0], fields[1], fields[2], fields[3], fields[4:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: redirect, then become the command
        try:
            os.chdir(cwd)
            for fd, path, flags in ((0, stdin, os.O_RDONLY), (1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                    (2, stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
                opened = os.open(path, flags, 0o644)
                os.dup2(opened, fd)
                os.close(opened)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return f"{code} {usage.ru_utime:.6f} {usage.ru_stime:.6f} {usage.ru_maxrss} {wall:.6f}\n"


def main() -> None:
    for line in sys.stdin:
        sys.stdout.write(run(line.rstrip("\n").split("\0")))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
