"""What bench/compare-ajv, bench/time-replay and bench/peak-memory share: the fake API as the
source of realistic documents, and timing a whole process."""
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import time

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEFAULT_BIN = os.path.join(REPO, "build", "default", "tools", "certharness")
# A placeholder key for the local fake, which takes any bearer token.
FAKE_KEY = "sk-admin-bench"


def fail(message):
    sys.exit(f"{os.path.basename(sys.argv[0])}: {message}")


def check_executables(paths):
    binaries = [os.path.abspath(p) for p in paths]
    for b in binaries:
        if not os.access(b, os.X_OK):
            fail(f"{b} is not an executable")
    return binaries


@contextlib.contextmanager
def fake_api(certharness, seed_certs):
    """`certharness serve` on 127.0.0.1 (a free port, seed 12); yields its base URL."""
    server = subprocess.Popen(
        [certharness, "serve", "--host", "127.0.0.1", "--port", "0", "--seed-certs",
         str(seed_certs), "--seed", "12", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = server.stdout.readline().strip()
        if not base.startswith("http://127.0.0.1:"):
            fail(f"serve printed {base!r}, not its base URL")
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def list_page(certharness, work):
    """The bytes of a 100-item ListCertificatesResponse page as the fake sends it (null and
    non-ASCII names, real-looking ids)."""
    page = os.path.join(work, "page.json")
    with fake_api(certharness, 100) as base:
        subprocess.run(
            ["curl", "-sS", "--fail", "-o", page, "-H", f"Authorization: Bearer {FAKE_KEY}",
             f"{base}/organization/certificates?limit=100"], check=True)
    with open(page, "rb") as f:
        body = f.read()
    if len(json.loads(body)["data"]) != 100:
        fail("the fake's page does not hold 100 items")
    return body


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command, capture=False):
    """(wall seconds, CPU seconds (user+sys), CompletedProcess) of one whole process; its
    stdout and stderr are captured (bytes) or thrown away."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    cpu = cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(command, stdout=out, stderr=out)
    return time.perf_counter() - start, cpu_of_children() - cpu, done


def has_option(certharness, subcommand, option):
    """Whether `certharness SUBCOMMAND --help` lists OPTION (older builds lack --engine)."""
    done = subprocess.run([certharness, subcommand, "--help"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return option in done.stdout


def variants(binaries, subcommand, engines):
    """(label, binary, extra arguments) for each build, and with `engines` (names for
    --engine) once per engine for each build that has the option; a build without it runs
    once, as it is."""
    out = []
    for b in binaries:
        if engines and has_option(b, subcommand, "--engine"):
            out += [(f"{b} --engine {e}", b, ["--engine", e]) for e in engines]
        else:
            out.append((b + (" (no --engine)" if engines else ""), b, []))
    return out
