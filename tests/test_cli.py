import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from seop_tui.cli import main

SEOP = Path(sys.executable).with_name("seop")


def test_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "demo", "check", "backup"):
        assert f"  {command} " in result.output


def test_installed_command_finds_its_data_from_any_folder(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "SEOP_DB": str(tmp_path / "none.db")}
    env.pop("SEOP_DATA_DIR", None)
    out = subprocess.run([str(SEOP), "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Data files OK" in out.stdout and "13 clusters" in out.stdout


def test_demo_prints_sign_ins_and_refuses_to_overwrite(tmp_path):
    db = tmp_path / "demo.db"
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db), "demo", "--students", "60", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "student9" in result.output and "counselor" in result.output
    again = runner.invoke(main, ["--db", str(db), "demo"])
    assert again.exit_code != 0 and "already exists" in again.output
    checked = runner.invoke(main, ["--db", str(db), "check"])
    assert "integrity ok" in checked.output


def test_broken_district_file_is_named(tmp_path):
    (tmp_path / "district.yaml").write_text("name: Test\ngrade_bands: nope\n")
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "--db", str(tmp_path / "x.db"), "check"])
    assert result.exit_code != 0
    assert "district.yaml" in result.output and "grade_bands" in result.output


def test_backup_command(tmp_path):
    db = tmp_path / "demo.db"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "demo", "--students", "60"]).exit_code == 0
    result = runner.invoke(main, ["--db", str(db), "backup", str(tmp_path / "copy.db")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "copy.db").stat().st_size > 0
