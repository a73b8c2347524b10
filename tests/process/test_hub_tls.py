"""A hub that demands TLS: a plain connection is refused; TLS with the server's certificate verified and a
password from a password file gets in. A server of its own, on 127.0.0.1 only, with a self-signed certificate."""

import shutil
import socket
import subprocess

import pytest

from lingkaran.errors import DatabaseUnusable
from lingkaran.store.hub import connection, migrations, sync, workers
from tests.postgres_server import PostgresServer, find_binaries

HBA = """local all all trust
hostssl all all 127.0.0.1/32 scram-sha-256
hostnossl all all 127.0.0.1/32 reject
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def tls_hub(tmp_path_factory):
    binaries = find_binaries()
    if binaries is None or shutil.which("openssl") is None:
        pytest.skip("needs the PostgreSQL server programs and openssl")
    port = free_port()
    server = PostgresServer(binaries, hba=HBA)
    certificate, key = server.folder / "server.crt", server.folder / "server.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-new",
            "-x509",
            "-days",
            "1",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    key.chmod(0o600)
    if server.as_root:
        for path in (certificate, key):
            shutil.chown(path, "postgres", "postgres")
    server.settings = {
        "listen_addresses": "'127.0.0.1'",
        "port": str(port),
        "ssl": "on",
        "ssl_cert_file": f"'{certificate}'",
        "ssl_key_file": f"'{key}'",
    }
    server.start()
    try:
        import psycopg

        with psycopg.connect(server.conninfo(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE hub")
        with psycopg.connect(server.conninfo("hub")) as conn:
            migrations.init(conn)
            password = workers.worker_add(conn, "tls_ana")
        passfile = tmp_path_factory.mktemp("pgpass") / "pgpass"
        passfile.write_text(f"127.0.0.1:{port}:hub:tls_ana:{password}\n")
        passfile.chmod(0o600)
        yield {"base": f"host=127.0.0.1 port={port} dbname=hub user=tls_ana passfile={passfile}", "root": certificate}
    finally:
        server.stop()


def test_a_plain_connection_to_a_hub_that_demands_tls_is_refused(tls_hub, lingkaran):
    with pytest.raises(DatabaseUnusable, match="no encryption|rejects connection"):
        connection.connect(tls_hub["base"] + " sslmode=disable")
    result = lingkaran("hub", "status", "--hub", tls_hub["base"] + " sslmode=disable")
    assert result.returncode == 5 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("lingkaran: cannot connect to the hub 127.0.0.1:")


def test_tls_with_the_servers_certificate_verified_and_a_password_file_gets_in(tls_hub, device):
    url = tls_hub["base"] + f" sslmode=verify-full sslrootcert={tls_hub['root']}"
    with connection.connect(url) as conn:
        assert conn.info.pgconn.ssl_in_use
        _, events = device.new_case()
        assert sync.push(conn, events) == 3


def test_a_certificate_that_is_not_the_hubs_is_refused(tls_hub, tmp_path):
    stranger = tmp_path / "stranger.crt"
    subprocess.run(
        [
            "openssl",
            "req",
            "-new",
            "-x509",
            "-days",
            "1",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(tmp_path / "stranger.key"),
            "-out",
            str(stranger),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with pytest.raises(DatabaseUnusable, match="certificate"):
        connection.connect(tls_hub["base"] + f" sslmode=verify-full sslrootcert={stranger}")
