"""push and sparql --endpoint against a real SPARQL server (Oxigraph, from PyPI) on loopback."""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner
from gold import load_gold

from plankg.cli import cli
from plankg.errors import ExportError
from plankg.exports import export_graph
from plankg.exports.remote import push, remote_query
from plankg.graph.workspace import load_graph
from plankg.normalize import fold

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _oxigraph() -> str | None:
    sibling = Path(sys.executable).with_name("oxigraph")
    return str(sibling) if sibling.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = _oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]' installs it)")
    port = _free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                output = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"oxigraph exited: {output}") from None
            time.sleep(0.1)
    else:
        process.kill()
        process.wait(timeout=10)
        raise RuntimeError("oxigraph did not start within 30 s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def _count(server: str, graph: str | None = "https://w3id.org/plankg/graph") -> int:
    return int(remote_query(f"{server}/query", COUNT, graph=graph).column("n")[0])


def test_push_query_and_repush_never_duplicates(server: str, seed_workspace: Path, runner: CliRunner) -> None:
    local = export_graph(load_graph(seed_workspace), "nt").count(b"\n")
    pushed = runner.invoke(cli, ["push", "--endpoint", f"{server}/store", "--workspace", str(seed_workspace)])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stdout == f"Pushed {local} triples to graph <https://w3id.org/plankg/graph> at {server}/store\n"
    assert _count(server) == local
    again = runner.invoke(cli, ["push", "--endpoint", f"{server}/store", "--workspace", str(seed_workspace)])
    assert again.exit_code == 0
    assert _count(server) == local  # replaced, not appended
    assert _count(server, graph=None) == 0  # nothing leaked into the server's default graph
    report = runner.invoke(cli, ["push", "--endpoint", f"{server}/store", "--json", "--workspace", str(seed_workspace)])
    assert report.exit_code == 0 and json.loads(report.stdout)["triples"] == local


def test_named_lineage_query_over_the_server(server: str, seed_workspace: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["push", "--endpoint", f"{server}/store", "--workspace", str(seed_workspace)])
    G = load_graph(seed_workspace)
    pair = load_gold()["lineage"]["pairs"][14]  # "Thực hiện tốt quy chế quản lý chất thải…"
    task = next(n for n, d in G.nodes(data=True)
                if d["kind"] == "task" and "phuong-doan-ket" in n and fold(pair["child"]) in fold(d["text"]))
    result = runner.invoke(cli, ["sparql", "lineage", "--param", f"task={task}", "--format", "json",
                                 "--endpoint", f"{server}/query", "--workspace", str(seed_workspace)])
    assert result.exit_code == 0, result.output
    assert fold(pair["parent"][:40]) in fold(result.stdout)


def test_parameters_cannot_change_a_remote_query(server: str, seed_workspace: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["push", "--endpoint", f"{server}/store", "--workspace", str(seed_workspace)])
    before = _count(server)
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    result = remote_query(f"{server}/query", "SELECT ?d WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?n }",
                          {"n": hostile})
    assert result.rows == ()
    assert _count(server) == before


def test_unreachable_server_is_one_error_line(runner: CliRunner, seed_workspace: Path) -> None:
    port = _free_port()
    result = runner.invoke(cli, ["push", "--endpoint", f"http://127.0.0.1:{port}/store",
                                 "--workspace", str(seed_workspace)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot reach http://127.0.0.1:{port}/store: ")
    assert "Traceback" not in result.output


class _AuthHandler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str | None]] = []

    def do_PUT(self) -> None:
        header = self.headers.get("Authorization")
        type(self).seen.append(header)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        expected = "Basic " + base64.b64encode(b"planner:s3cret-pw").decode()
        self.send_response(204 if header == expected else 401)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def auth_server() -> Iterator[str]:
    _AuthHandler.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AuthHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_credentials_from_the_environment_are_sent_and_never_printed(
        auth_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    monkeypatch.setenv("PLANKG_SPARQL_USER", "planner")
    monkeypatch.setenv("PLANKG_SPARQL_PASSWORD", "s3cret-pw")
    assert push(b"<a:x> <a:y> <a:z> .\n", auth_server).status == 204
    monkeypatch.setenv("PLANKG_SPARQL_PASSWORD", "wrong-pw")
    with pytest.raises(ExportError) as info:
        push(b"<a:x> <a:y> <a:z> .\n", auth_server)
    assert "401" in str(info.value) and "wrong-pw" not in str(info.value) and "planner" not in str(info.value)


def test_credentials_from_netrc(auth_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLANKG_SPARQL_USER", raising=False)
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine 127.0.0.1 login planner password s3cret-pw\n", encoding="utf-8")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc_file))
    assert push(b"<a:x> <a:y> <a:z> .\n", auth_server).status == 204


def test_user_information_in_the_url_is_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    with pytest.raises(ExportError) as info:
        push(b"", f"http://me:topsecret@127.0.0.1:{port}/store")
    assert "topsecret" not in str(info.value) and "me:" not in str(info.value)


class _EchoHandler(http.server.BaseHTTPRequestHandler):
    """A server that echoes the request's Authorization header and URL in its error body,
    or answers a query with a malformed SPARQL JSON body."""

    body: ClassVar[bytes] = b""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if type(self).body:
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(type(self).body)
            return
        self.send_response(401)
        self.end_headers()
        self.wfile.write(f"denied {self.headers.get('Authorization')} for {self.path}".encode())

    do_PUT = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def echo_server() -> Iterator[str]:
    _EchoHandler.body = b""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_credentials_a_server_echoes_are_redacted(echo_server: str, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    monkeypatch.delenv("PLANKG_SPARQL_USER", raising=False)
    with pytest.raises(ExportError) as info:
        push(b"<a:x> <a:y> <a:z> .\n", f"http://planner:s3cret-pw@{echo_server}/store?token=tok-12345")
    message = str(info.value)
    token = base64.b64encode(b"planner:s3cret-pw").decode()
    assert "401" in message and "denied" in message
    assert "s3cret-pw" not in message and token not in message and "tok-12345" not in message


@pytest.mark.parametrize("body", [b"[]", b'{"results": {"bindings": []}}',
                                  b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"value": "1"}}]}}'])
def test_malformed_sparql_answers_are_one_error(echo_server: str, body: bytes) -> None:
    from plankg.errors import QueryError

    _EchoHandler.body = body
    with pytest.raises(QueryError, match="malformed SPARQL JSON results"):
        remote_query(f"http://{echo_server}/query", "SELECT ?x WHERE { ?x ?p ?o }")


@pytest.mark.parametrize("url", ["http://[::1/q", "http://127.0.0.1:abc/q", "ftp://example/q"])
def test_invalid_endpoint_urls_are_refused_clearly(url: str, runner: CliRunner, seed_workspace: Path) -> None:
    result = runner.invoke(cli, ["sparql", "lineage", "--param", "task=x", "--endpoint", url,
                                 "--workspace", str(seed_workspace)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: not a") and "Traceback" not in result.output
