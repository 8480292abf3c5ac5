"""cli/key: ``key init`` refuses an existing file, add and show round trip, the pool, export and
import (a conflict writes nothing), forget needs a reason (click's runner, and real processes
for the one-line refusals)."""

from __future__ import annotations

import json

from anonymiser.keys import format as kf
from tests.unit.keying import PASSPHRASE

from .invoking import ENGLISH, FRENCH, NBSP, invoke, run_process


def test_cli_key_init_refuses_overwrite(tmp_path) -> None:
    key = tmp_path / "k.key"
    kf.create(key, PASSPHRASE)
    result = run_process("key", "init", str(key), env_extra={"ANONYMISER_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 3 and "already exists" in result.stderr


def test_cli_key_pool_add(tmp_path) -> None:
    key = tmp_path / "k.key"
    kf.create(key, PASSPHRASE)
    names = tmp_path / "noms.txt"
    names.write_text("# pseudonymes de l'équipe\nZoé Quillet\nMarc Aubry\n\nZoé Quillet\n", encoding="utf-8")
    env = {"ANONYMISER_PASSPHRASE": PASSPHRASE}
    result = run_process("key", "pool", "add", str(key), "--label", "PERSON", "--file", str(names), env_extra=env)
    assert result.returncode == 0, result.stderr
    assert "added 2" in result.stdout
    assert kf.load(key, PASSPHRASE).pools == {"PERSON": ("Zoé Quillet", "Marc Aubry")}
    missing = run_process("key", "pool", "add", str(key), "--label", "PERSON", "--file", str(tmp_path / "none.txt"),
                          env_extra=env)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "pool file not found" in missing.stderr


def test_cli_key_forget_erases_a_person(tmp_path) -> None:
    """Right to erasure: refused without a reason (3); then the person's originals are gone from
    the key file and its .bak, the erasure is in the (verifiable) access log, and the pseudonym
    is never given again."""
    key = tmp_path / "projet.key"
    assert invoke("key", "init", str(key), env=ENGLISH).exit_code == 0
    for name, pseudonym in (("Isabelle Marchal", "Sophie Lambert"), ("Bruno Kerleau", "Yves Morin")):
        assert invoke("key", "add", str(key), name, "--label", "PERSON", "--pseudonym", pseudonym,
                      env=ENGLISH).exit_code == 0
    assert invoke("key", "forget", str(key), "PER-0001", env=ENGLISH).exit_code == 3
    result = invoke("key", "forget", str(key), "PER-0001", "--reason", "demande art. 17", env=FRENCH)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"PER-0001 effacée{NBSP}: ses formes d'origine et ses empreintes à clé sont supprimées",
        f"effacement consigné dans {key}.access.jsonl"]
    for version in (key, tmp_path / "projet.key.bak"):
        opened = kf.load(version, PASSPHRASE, need_private=True)
        assert opened.originals("PER-0001") == [] and opened.originals("PER-0002") == ["Bruno Kerleau"]
    shown = invoke("key", "show", str(key), env=ENGLISH).stdout
    assert "Isabelle" not in shown and "Marchal" not in shown and "Bruno Kerleau" in shown
    assert invoke("key", "forget", str(key), "PER-0001", "--reason", "again", env=ENGLISH).exit_code == 3
    verified = invoke("audit", f"{key}.access.jsonl", "--verify", "--key", str(key), env=ENGLISH)
    assert verified.exit_code == 0 and "1 record, chain intact" in verified.stdout
    again = invoke("key", "add", str(key), "Isabelle Marchal", "--label", "PERSON", env=ENGLISH)
    assert again.stdout.strip() == "added PER-0003"
    assert kf.load(key, PASSPHRASE).entities["PER-0003"].pseudonym != "Sophie Lambert"


def test_cli_key_init_refuses_an_existing_file_in_process(tmp_path) -> None:
    key = tmp_path / "k.key"
    assert invoke("key", "init", str(key), env=ENGLISH).exit_code == 0
    assert invoke("key", "show", str(key), env=ENGLISH).exit_code == 0
    before = key.read_bytes()
    result = invoke("key", "init", str(key), env=ENGLISH, passphrase="une autre phrase de passe")
    assert result.exit_code == 3 and "already exists" in result.stderr and result.stderr.count("\n") == 1
    assert key.read_bytes() == before
    kf.load(key, PASSPHRASE)  # still the first passphrase's


def test_cli_key_add_show_round_trip(tmp_path) -> None:
    key = tmp_path / "k.key"
    assert invoke("key", "init", str(key), env=ENGLISH).exit_code == 0
    added = invoke("key", "add", str(key), "Gwenaëlle Quéméner", "--label", "PERSON", "--pseudonym", "Claire Morel",
                   "--variant", "Mme Quéméner", env=ENGLISH)
    assert added.exit_code == 0 and added.stdout.strip() == "added PER-0001"
    commune = invoke("key", "add", str(key), "Plougastel", "--label", "MUNICIPALITY", env=ENGLISH)
    assert commune.exit_code == 0 and commune.stdout.strip() == "added COM-0001"
    shown = invoke("key", "show", str(key), "--format", "jsonl", env=ENGLISH)
    assert shown.exit_code == 0 and shown.stderr.strip() == "2 entities"
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    assert rows[0] == {"id": "PER-0001", "label": "PERSON", "canonical": "Gwenaëlle Quéméner",
                       "variants": ["Gwenaëlle Quéméner", "Mme Quéméner"], "pseudonym": "Claire Morel",
                       "origin": "manual", "first_document": ""}
    assert (rows[1]["id"], rows[1]["label"], rows[1]["canonical"]) == ("COM-0001", "MUNICIPALITY", "Plougastel")
    assert rows[1]["pseudonym"] and rows[1]["pseudonym"] != "Plougastel"
    table = invoke("key", "show", str(key), env=ENGLISH).stdout.splitlines()
    assert table[0].startswith("PER-0001\t") and "Gwenaëlle Quéméner\t-> Claire Morel" in table[0]
    assert table[0].endswith("(Mme Quéméner)")
    french = invoke("key", "show", str(key), env=FRENCH)
    assert french.stderr.strip() == "2 entités"
    assert kf.load(key, PASSPHRASE).entities["PER-0001"].pseudonym == "Claire Morel"


def test_cli_key_add_refuses_a_form_known_under_another_pseudonym(tmp_path) -> None:
    key = tmp_path / "k.key"
    invoke("key", "init", str(key), env=ENGLISH)
    assert invoke("key", "add", str(key), "Gwenaëlle Quéméner", "--label", "PERSON", "--pseudonym", "Claire Morel",
                  env=ENGLISH).exit_code == 0
    before = key.read_bytes()
    again = invoke("key", "add", str(key), "Gwenaëlle Quéméner", "--label", "PERSON", "--pseudonym", "Autre Nom",
                   env=ENGLISH)
    assert again.exit_code != 0 and "Quéméner" not in again.stderr
    assert key.read_bytes() == before


def test_cli_key_pool_add_in_process(tmp_path) -> None:
    key = tmp_path / "k.key"
    invoke("key", "init", str(key), env=ENGLISH)
    names = tmp_path / "noms.txt"
    names.write_text("Léon Abgrall\n# un commentaire\nMaëlys Corre\n", encoding="utf-8")
    result = invoke("key", "pool", "add", str(key), "--label", "PERSON", "--file", str(names), env=ENGLISH)
    assert result.exit_code == 0 and result.stdout.strip() == "added 2 pseudonyms to the PERSON pool (2 in all)"
    empty = tmp_path / "vide.txt"
    empty.write_text("# rien\n", encoding="utf-8")
    refused = invoke("key", "pool", "add", str(key), "--label", "PERSON", "--file", str(empty), env=ENGLISH)
    assert refused.exit_code == 2 and "pool file has no names" in refused.stderr
    assert kf.load(key, PASSPHRASE).pools == {"PERSON": ("Léon Abgrall", "Maëlys Corre")}


def test_cli_key_export_import_refuses_a_conflict(tmp_path) -> None:
    key = tmp_path / "k.key"
    invoke("key", "init", str(key), env=ENGLISH)
    invoke("key", "add", str(key), "Gwenaëlle Quéméner", "--label", "PERSON", "--pseudonym", "Claire Morel",
           env=ENGLISH)
    exported = tmp_path / "k.csv"
    result = invoke("key", "export", str(key), "--csv", str(exported), env=ENGLISH)
    assert result.exit_code == 0 and result.stdout.strip() == f"exported 1 entity to {exported}"
    assert "WARNING" in result.stderr and exported.stat().st_mode & 0o777 == 0o600
    content = exported.read_text(encoding="utf-8")
    assert "Gwenaëlle Quéméner" in content and "Claire Morel" in content
    # the same file imported back: no new entity (a row of a known entity counts as extended)
    same = invoke("key", "import", str(key), "--csv", str(exported), env=ENGLISH)
    assert same.exit_code == 0 and same.stdout.strip() == "imported: 0 new entities, 1 entity extended"
    again = invoke("key", "import", str(key), "--csv", str(exported), env=FRENCH)
    assert again.exit_code == 0 and again.stdout.strip() == f"import{NBSP}: 0 nouvelle entité, 1 entité complétée"
    assert list(kf.load(key, PASSPHRASE).entities) == ["PER-0001"]
    # another pseudonym for the same entity: a conflict, named by line and id only; nothing is written
    before = key.read_bytes()
    exported.write_text(content.replace("Claire Morel", "Autre Nom"), encoding="utf-8")
    conflict = invoke("key", "import", str(key), "--csv", str(exported), env=ENGLISH)
    assert conflict.exit_code == 3
    assert "conflict: line 2: PER-0001 would get another label or pseudonym" in conflict.stderr
    assert "1 conflict; nothing imported" in conflict.stderr
    assert "Quéméner" not in conflict.stderr and "Autre Nom" not in conflict.stderr
    assert key.read_bytes() == before


def test_cli_key_forget_needs_a_reason(tmp_path) -> None:
    key = tmp_path / "k.key"
    invoke("key", "init", str(key), env=ENGLISH)
    invoke("key", "add", str(key), "Gwenaëlle Quéméner", "--label", "PERSON", env=ENGLISH)
    before = key.read_bytes()
    for reason in ([], ["--reason", "  "]):
        result = invoke("key", "forget", str(key), "PER-0001", *reason, env=ENGLISH)
        assert result.exit_code == 3 and "erasure needs --reason" in result.stderr
    assert key.read_bytes() == before and not (tmp_path / "k.key.access.jsonl").exists()
    assert kf.load(key, PASSPHRASE, need_private=True).originals("PER-0001") == ["Gwenaëlle Quéméner"]
    french = invoke("key", "forget", str(key), "PER-0001", env=FRENCH)
    assert french.exit_code == 3 and f"erreur{NBSP}:" in french.stderr
    process = run_process("key", "forget", str(key), "PER-0001", env_extra={"ANONYMISER_PASSPHRASE": PASSPHRASE})
    assert process.returncode == 3 and process.stderr.count("\n") == 1 and "Traceback" not in process.stderr


def test_cli_key_apply_review_counts_take_their_plural_forms(tmp_path) -> None:
    key = tmp_path / "k.key"
    invoke("key", "init", str(key), env=ENGLISH)
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"format": "anonymiser-review-decisions", "version": 1, "report": "", "decisions": [
        {"action": "reject", "scope": "everywhere", "form": form, "label": "LOCATION"}
        for form in ("Belvédère", "Grand Pré")] + [
        {"action": "mark", "form": "Kerjean", "label": "PERSON", "document": "e1", "start": 0, "end": 7}]}),
        encoding="utf-8")
    english = invoke("key", "apply-review", str(decisions), "--key", str(key), env=ENGLISH)
    assert english.exit_code == 0 and english.stdout.strip() == f"applied: 1 mark, 2 rejections -> {key}"
    french = invoke("key", "apply-review", str(decisions), "--key", str(key), env=FRENCH)
    assert french.exit_code == 0 and french.stdout.strip() == f"appliqué{NBSP}: 1 marquage, 2 rejets -> {key}"
