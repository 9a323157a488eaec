"""`make serve`: DPI Atlas for a crowd, in one command, on one machine.

    python scripts/serve.py [--port 8080] [--host 0.0.0.0] [--replicas N] [--db data/dpi.duckdb]

    visitors --> nginx on HOST:PORT --+--> streamlit run atlas/server.py on 127.0.0.1:<free>
                                      +--> ... REPLICAS of them (default: one per core),
                                      |    all reading the same warehouse (DPI_DB)
                                      +--> /static/: Streamlit's own JavaScript and CSS,
                                           from disk, gzipped once at start

- One Python process runs a Streamlit app on one core at a time (the GIL); replicas use them
  all. Each replica holds its visitors' sessions (their websocket, their media and download
  URLs), so a visitor must keep talking to the same one: nginx hashes a cookie it sets on the
  first response (`atlas_replica`). Not the client's IP: a conference audience shares one.
- Websockets are proxied (Upgrade), `/_stcore/health` answers through nginx (any replica),
  `/_stcore/metrics` does not (404). nginx stops sending to a replica that refuses (max_fails)
  and this supervisor restarts a replica that exits.
- A rebuilt warehouse (`python -m etl build` renames a new file over DPI_DB) is picked up by
  every replica on its next visit (atlas/db.py); this supervisor also warms each replica
  with one visit of the Overview, at start and after each rebuild, so the crowd does not pay
  for the first queries.
- Everything it writes (nginx's config, pid, temp files, the gzipped static files) goes into
  a temporary directory, removed on exit. Nothing is written into the checkout.
- Ctrl-C (SIGINT) or SIGTERM stops nginx and the replicas, then exits. The children get
  SIGTERM too should this process die without cleaning up (PR_SET_PDEATHSIG).
"""

import argparse
import ctypes
import gzip
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.localrun import free_port, is_healthy, visit  # noqa: E402

STREAMLIT_STATIC = None  # set in main(): the installed Streamlit's static folder
COMPRESSIBLE = {".js", ".css", ".json", ".svg", ".html", ".txt"}
HEALTH_TIMEOUT_S = 120
STOP_TIMEOUT_S = 10
MAX_RESTARTS = 5  # a replica that exits this often within RESTART_WINDOW_S stops the service
RESTART_WINDOW_S = 60


def log(message: str) -> None:
    print(f"serve: {message}", flush=True)


# ------------------------------------------------------------------ the nginx configuration
NGINX_CONF = """\
# Written by scripts/serve.py for one run; everything it names lives in {tmp}.
daemon off;
worker_processes auto;
pid {tmp}/nginx.pid;
error_log stderr warn;
{user}
events {{ worker_connections 4096; }}

http {{
    types {{
        text/html html; text/css css; text/javascript js; application/json json map;
        image/svg+xml svg; image/png png; image/gif gif; image/x-icon ico;
        font/woff2 woff2; font/woff woff; font/ttf ttf; text/plain txt;
        application/wasm wasm;
    }}
    default_type application/octet-stream;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # The map's files (atlas/server.py) are immutable per warehouse build: kept here once.
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=atlas_assets:1m max_size=64m inactive=1d;

    # Sticky sessions: the replica is a hash of the `atlas_replica` cookie, which the first
    # response sets to that request's id (the request that chose the replica).
    map $cookie_atlas_replica $atlas_sticky {{
        ""      $request_id;
        default $cookie_atlas_replica;
    }}
    map $cookie_atlas_replica $atlas_set_cookie {{
        ""      "atlas_replica=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}

    upstream atlas {{
        hash $atlas_sticky;
{servers}
        keepalive 32;
    }}

    log_format atlas '$remote_addr "$request" $status $body_bytes_sent '
                     'upstream=$upstream_addr sticky=$atlas_sticky';
    {access_log}

    server {{
        listen {listen};
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_next_upstream error timeout http_502 http_503;
        add_header Set-Cookie $atlas_set_cookie always;

        # Streamlit's metrics are for the operator, never the public.
        location ~ /_stcore/metrics {{
            return 404;
        }}
        location /_stcore/stream {{
            proxy_pass http://atlas;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
            proxy_buffering off;
        }}
        location ^~ /map-assets/ {{
            proxy_pass http://atlas;
            proxy_set_header Connection "";
            proxy_cache atlas_assets;
            proxy_cache_valid 200 1d;
            proxy_cache_lock on;
        }}
        # Streamlit's own bundles (content-hashed, 23 MB of JavaScript), gzipped at start.
        location ^~ /static/ {{
            root {tmp}/www;
            gzip_static on;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}
        location / {{
            proxy_pass http://atlas;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def nginx_conf(
    tmp: Path, listen: str, ports: list[int], access_log: str | None, as_root: bool
) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
    )
    # As root, nginx's workers drop to an unprivileged user; they read only {tmp} (made
    # world-readable) and Streamlit's static files (installed world-readable).
    user = "user nobody nogroup;" if as_root else ""
    logging = f"access_log {access_log} atlas;" if access_log else "access_log off;"
    return NGINX_CONF.format(tmp=tmp, listen=listen, servers=servers, access_log=logging, user=user)


def gzip_static(source: Path, target: Path) -> None:
    """Mirror Streamlit's static files into target/static (links), with a .gz beside each
    compressible one, for nginx's gzip_static: no compression per request."""
    for path in source.rglob("*"):
        if not path.is_file():
            continue
        mirrored = target / "static" / path.relative_to(source)
        mirrored.parent.mkdir(parents=True, exist_ok=True)
        mirrored.symlink_to(path)
        if path.suffix in COMPRESSIBLE and path.stat().st_size > 1024:
            Path(f"{mirrored}.gz").write_bytes(gzip.compress(path.read_bytes(), 6, mtime=0))


# ------------------------------------------------------------------ children
def die_with_parent() -> None:
    """In a child, before exec: SIGTERM when this supervisor dies (Linux prctl)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def pump(stream, prefix: str) -> None:
    """Copy a child's output to ours, line by line, each line prefixed with its name."""
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{prefix} {line.decode(errors='replace')}")
        sys.stdout.flush()


def start(command: list[str], name: str, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches this supervisor, which stops them in order
        preexec_fn=die_with_parent,
    )
    threading.Thread(target=pump, args=(process.stdout, f"[{name}]"), daemon=True).start()
    return process


@dataclass
class Replica:
    index: int
    port: int
    process: subprocess.Popen | None = None
    restarts: list[float] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def name(self) -> str:
        return f"replica {self.index} :{self.port}"


def replica_command(port: int) -> list[str]:
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "atlas" / "server.py")]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--server.fileWatcherType", "none"]
    return command + ["--browser.gatherUsageStats", "false"]


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def build_key(db: Path) -> str | None:
    try:
        stat = db.stat()
    except OSError:
        return None
    return f"{stat.st_ino}-{stat.st_mtime_ns}"


def warm(replicas: list[Replica]) -> None:
    """One visit of the Overview on each replica: its caches filled before the crowd's."""
    for replica in replicas:
        try:
            run = visit(replica.url, "", timeout_s=120)
            problem = run.error or (run.exceptions and f"exceptions {run.exceptions}")
            if problem:
                log(f"{replica.name}: warm-up visit: {problem}")
        except Exception as exc:  # a replica that cannot be visited is reported, not fatal
            log(f"{replica.name}: warm-up visit failed: {type(exc).__name__}: {exc}")


# ------------------------------------------------------------------ the supervisor
class Supervisor:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.stopping = threading.Event()
        self.replicas = [Replica(i + 1, free_port(), restarts=[]) for i in range(args.replicas)]
        self.nginx: subprocess.Popen | None = None
        remove_stale_folders()
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-"))
        self.tmp.chmod(0o755)  # nginx's workers (an unprivileged user) read static files here
        self.static = threading.Thread(
            target=gzip_static, args=(STREAMLIT_STATIC, self.tmp / "www")
        )
        self.env = {k: v for k, v in os.environ.items() if k not in {"DPI_DB", "DPI_MIRROR"}}
        self.env |= {
            "DPI_DB": str(args.db),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",  # nothing written into the checkout, not even .pyc
            # One secret for all replicas: a session's cookies stay valid on any of them.
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        }

    def run(self) -> int:
        try:
            return self._run()
        finally:
            self.shutdown()

    def _run(self) -> int:
        args = self.args
        static = self.static
        static.start()
        for replica in self.replicas:
            replica.process = start(replica_command(replica.port), replica.name, self.env)
        listen = f"{args.host}:{args.port}"
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            nginx_conf(
                self.tmp,
                listen,
                [r.port for r in self.replicas],
                args.access_log,
                os.geteuid() == 0,
            )
        )
        nginx = [args.nginx, "-p", str(self.tmp), "-c", str(conf), "-e", "stderr"]
        test = subprocess.run([*nginx, "-t", "-q"], capture_output=True, text=True)
        if test.returncode != 0:
            log(f"nginx refuses its configuration ({conf}):\n{test.stderr}")
            return 1
        if not self.wait_healthy():
            return 1
        static.join()
        self.nginx = start(nginx, "nginx", self.env)
        time.sleep(0.5)
        if self.nginx.poll() is not None:
            log(f"nginx could not start on {listen} (is the port in use?)")
            return 1
        warm(self.replicas)
        key = build_key(args.db)
        ports = ", ".join(str(r.port) for r in self.replicas)
        shown = "localhost" if args.host in ("0.0.0.0", "127.0.0.1") else args.host
        log(
            f"DPI Atlas on http://{shown}:{args.port} (nginx on {listen}; replicas on "
            f"127.0.0.1:{ports}; warehouse {args.db}): {len(self.replicas)} replicas ready. "
            "Ctrl-C stops everything."
        )
        while not self.stopping.wait(1.0):
            if self.nginx.poll() is not None:
                log(f"nginx exited with {self.nginx.returncode}: stopping")
                return 1
            for replica in self.replicas:
                if replica.process.poll() is not None and not self.restart(replica):
                    return 1
            new_key = build_key(args.db)
            if new_key is not None and new_key != key:
                key = new_key
                log("the warehouse was rebuilt: warming each replica with the new build")
                warm(self.replicas)
        return 0

    def wait_healthy(self) -> bool:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        waiting = list(self.replicas)
        while waiting:
            if self.stopping.is_set():
                return False
            for replica in list(waiting):
                if replica.process.poll() is not None:
                    log(f"{replica.name} exited with {replica.process.returncode} at start")
                    return False
                if is_healthy(replica.url):
                    waiting.remove(replica)
            if time.monotonic() > deadline:
                names = ", ".join(r.name for r in waiting)
                log(f"not healthy after {HEALTH_TIMEOUT_S} s: {names}")
                return False
            time.sleep(0.25)
        return True

    def restart(self, replica: Replica) -> bool:
        now = time.monotonic()
        replica.restarts = [t for t in replica.restarts if now - t < RESTART_WINDOW_S] + [now]
        code = replica.process.returncode
        if len(replica.restarts) > MAX_RESTARTS:
            log(f"{replica.name} exited {MAX_RESTARTS} times within {RESTART_WINDOW_S} s: stopping")
            return False
        log(f"{replica.name} exited with {code}: restarting it")
        replica.process = start(replica_command(replica.port), replica.name, self.env)
        return True

    def shutdown(self) -> None:
        stop(self.nginx)  # first: no new visitors reach a replica going down
        for replica in self.replicas:
            if replica.process is not None and replica.process.poll() is None:
                replica.process.terminate()
        for replica in self.replicas:
            stop(replica.process)
        if self.static.is_alive():
            self.static.join()
        shutil.rmtree(self.tmp, ignore_errors=True)
        log("stopped")


TMP_PREFIX = "dpi-atlas-serve-"


def remove_stale_folders() -> None:
    """Temporary folders of earlier runs that could not clean up (killed with SIGKILL): each
    is named after its supervisor's pid, removed once no such process is alive."""
    for folder in Path(tempfile.gettempdir()).glob(f"{TMP_PREFIX}*-*"):
        pid = folder.name[len(TMP_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists() and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def default_replicas() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def main() -> int:
    global STREAMLIT_STATIC
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8080)))
    parser.add_argument(
        "--host",
        default=os.environ.get("HOST", "0.0.0.0"),
        help="address nginx listens on (0.0.0.0: every interface)",
    )
    parser.add_argument(
        "--replicas", type=int, default=None, help="streamlit processes (default: one per core)"
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="the warehouse (default: DPI_DB, else data/dpi.duckdb)",
    )
    parser.add_argument(
        "--nginx", default=os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
    )
    parser.add_argument(
        "--access-log", default=None, help="where nginx logs each request (default: nowhere)"
    )
    args = parser.parse_args()  # fmt: skip
    args.replicas = args.replicas or int(os.environ.get("REPLICAS") or 0) or default_replicas()
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    from atlas import paths

    args.db = paths.database_path(args.db).resolve()
    if not args.db.is_file():
        parser.error(f"no warehouse at {args.db}: build it first (make data, or make serve)")
    if not os.access(args.nginx, os.X_OK):
        parser.error(f"no nginx at {args.nginx}: run `make nginx` (Debian's package) or --nginx")
    import streamlit

    STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static" / "static"
    supervisor = Supervisor(args)

    def on_signal(number, _frame) -> None:
        if not supervisor.stopping.is_set():
            log(f"{signal.Signals(number).name}: stopping nginx and the replicas")
        supervisor.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
