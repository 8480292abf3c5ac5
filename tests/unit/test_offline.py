"""Nothing touches the network at run time (tldextract, spaCy, Presidio)."""

import socket

import pytest

from anonymiser.keys.store import KeyFile
from anonymiser.model import Document

pytestmark = pytest.mark.slow


def test_offline_run_opens_no_connection(engine, monkeypatch) -> None:
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)  # libraries may swallow the error: record the attempt too
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    doc = Document("n", "Écrivez à n.haddad@exemple-poitiers.fr ou voyez www.velocite-angers.fr, Nadia.\n")
    result = engine.run([doc], KeyFile.create())[0]
    assert "exemple-poitiers.fr" not in result.output and "velocite-angers" not in result.output
    assert attempts == []


def test_offline_guard_catches_a_download(monkeypatch, tmp_path) -> None:
    """The guard above is real: tldextract's default extractor does try to download."""
    import tldextract

    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tldextract.TLDExtract(cache_dir=str(tmp_path))("exemple.fr")
    assert attempts
