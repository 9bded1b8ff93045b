"""The processes of the slow cluster test (cluster_test.py): a throw-away PostgreSQL cluster
(tests/postgres/cluster.sh), several `halsonav serve` processes on one database, and Debian's
nginx in front of them, all on loopback in one temporary directory."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time



def stop_process(process, log, stop_signal):
    """Sends `stop_signal`, waits 15 s, then kills; closes the process's log."""
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log.close()

class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, stdin=None, timeout=900):
    """Runs a command that must succeed; returns its standard output."""
    process = subprocess.run(args, input=stdin, capture_output=True, timeout=timeout)
    if process.returncode != 0:
        raise Failure(f"`{' '.join(args)}` exited {process.returncode}\n"
                      f"  stdout: {process.stdout.decode(errors='replace')[-2000:]}\n"
                      f"  stderr: {process.stderr.decode(errors='replace')[-3000:]}")
    return process.stdout.decode("utf-8", "replace")


class Postgres:
    """A cluster started by cluster.sh, and one new database in it for the test."""

    def __init__(self, cluster_script, state_dir):
        self.script = cluster_script
        self.state = state_dir
        self.maintenance_uri = None
        self.uri = None

    def start(self, database):
        run([self.script, "start", self.state], timeout=120)
        with open(os.path.join(self.state, "uri"), encoding="utf-8") as f:
            self.maintenance_uri = f.read().strip()
        self.psql(f"CREATE DATABASE {database}", uri=self.maintenance_uri)
        self.uri = self.maintenance_uri.replace("/postgres?", f"/{database}?", 1)
        if self.uri == self.maintenance_uri:
            raise Failure(f"cannot name a database in the URI {self.maintenance_uri}")

    def stop(self):
        subprocess.run([self.script, "stop", self.state], capture_output=True, timeout=120)

    def psql(self, sql, uri=None):
        """Runs SQL through psql; returns the rows as lists of strings."""
        out = run(["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                   "-d", uri or self.uri, "-c", sql], timeout=120)
        return [line.split("\t") for line in out.splitlines() if line]

    def scalar(self, sql):
        rows = self.psql(sql)
        return rows[0][0] if rows else None


class Server:
    """One `halsonav serve` process on 127.0.0.1:port."""

    def __init__(self, binary, db_uri, port, public_url, log_path):
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [binary, "serve", "--db", db_uri, "--listen", f"127.0.0.1:{port}",
             "--trusted-proxy", "127.0.0.1", "--public-url", public_url],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def kill(self):
        """kill -9: no shutdown, no closing of connections or transactions."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        stop_process(self.process, self.log, signal.SIGTERM)

    def tail(self, size=3000):
        with open(self.log_path, "rb") as f:
            return f.read()[-size:].decode("utf-8", "replace")


def wait_healthy(port, what, seconds=120, process=None):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise Failure(f"{what} exited {process.returncode} while starting")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            body = response.read()
            connection.close()
            if response.status == 200 and json.loads(body).get("status") == "ok":
                return
            last = f"{response.status} {body[:200]!r}"
        except (OSError, http.client.HTTPException, ValueError) as error:
            last = repr(error)
        time.sleep(0.2)
    raise Failure(f"{what} on port {port} did not become healthy in {seconds} s: {last}")


NGINX_CONF = """\
{user}worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/client_body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  upstream halsonav {{
{servers}
{keepalive}  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 64m;
    keepalive_requests 100000;
    location / {{
      proxy_pass http://halsonav;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # As deploy/nginx-halsonav.conf: a server that refuses the connection, cannot be written
      # to or answers 502/503: the next one. A PATCH or POST already sent is not sent again
      # (nginx's rule for non-idempotent methods).
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 300s;
      proxy_send_timeout 300s;
    }}
  }}
}}
"""


class Nginx:
    """Debian's nginx in the foreground with a generated configuration: an upstream of the
    servers, round robin, the next one on a connection error; `keepalive` idle connections to
    them kept per nginx worker (deploy/nginx-halsonav.conf has 32), 0 for none."""

    def __init__(self, work_dir, port, backend_ports, keepalive):
        self.port = port
        self.dir = work_dir
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;"
                            for p in backend_ports)
        # As root nginx's workers would run as nobody, who cannot enter the temporary directory.
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.conf = os.path.join(work_dir, "nginx.conf")
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write(NGINX_CONF.format(user=user, dir=work_dir, servers=servers, port=port,
                                      keepalive=f"    keepalive {keepalive};\n" if keepalive
                                      else ""))
        self.log = open(os.path.join(work_dir, "nginx.out"), "wb")
        try:
            self.process = subprocess.Popen(
                ["nginx", "-c", self.conf, "-p", work_dir, "-e", f"{work_dir}/nginx-error.log",
                 "-g", "daemon off;"], stdin=subprocess.DEVNULL, stdout=self.log,
                stderr=subprocess.STDOUT)
        except FileNotFoundError as error:
            self.log.close()
            raise Failure("nginx is not installed (scripts/install-deps installs it)") from error

    def stop(self):
        stop_process(self.process, self.log, signal.SIGQUIT)  # nginx's graceful stop

    def error_log(self, size=3000):
        try:
            with open(os.path.join(self.dir, "nginx-error.log"), "rb") as f:
                return f.read()[-size:].decode("utf-8", "replace")
        except OSError:
            return ""


def create_token(binary, db_uri, user, password):
    """Adds `user` as an admin with `password` and creates a personal API token for it."""
    run([binary, "user", "add", user, "--email", f"{user}@slow.example", "--role", "admin",
         "--password-stdin", "--db", db_uri], stdin=(password + "\n").encode())
    out = run([binary, "token", "create", "--user", user, "--name", "slow test", "--db", db_uri])
    token = re.search(r"token \(shown once\): (\S+)", out)
    if token is None:
        raise Failure(f"`token create` printed no token:\n{out}")
    return token.group(1)
