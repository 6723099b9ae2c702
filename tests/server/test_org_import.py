"""`bianmin server import-org`: a blank server gets the county's own divisions, then the
first admin and enrolment codes work; re-import updates by code; bad files name every problem."""

from __future__ import annotations

import io

from sqlalchemy import select

from bianmin.cli import main

GOOD = """county_code,county_name,township_code,township_name,village_code,village_name,township_kind,village_kind
150222,固阳县,150222100,金山镇,150222100001,东河村,,
150222,固阳县,150222101,银号镇,150222101001,红泥井嘎查,sumu,gacha
150222,固阳县,150222101,银号镇,150222101002,公益民村,sumu,village
"""


def test_blank_server_gets_its_divisions_then_admin_and_enrolment(tmp_path, monkeypatch, capsys):
    db = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    monkeypatch.setenv("BIANMIN_HOME", str(tmp_path))
    org = tmp_path / "org.csv"
    org.write_text(GOOD, encoding="utf-8-sig")  # Excel saves "CSV UTF-8" with a BOM
    assert main(["server", "--db", db, "import-org", str(org)]) == 0
    assert "1 county, 2 townships, 3 villages new" in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-Passw0rd-2026\n"))
    assert main(["server", "--db", db, "create-user", "admin", "--role", "county_admin", "--scope", "150222",
                 "--password-stdin"]) == 0
    assert main(["server", "--db", db, "enrol-code", "150222101001"]) == 0
    assert "登记码" in capsys.readouterr().out

    # again, with a renamed village: updated in place, nothing duplicated
    org.write_text(GOOD.replace("东河村", "东河新村"), encoding="utf-8")
    assert main(["server", "--db", db, "import-org", str(org)]) == 0
    assert "0 county, 0 townships, 0 villages new; 1 updated" in capsys.readouterr().out

    from server.db import make_engine, make_sessionmaker
    from server.models import ServiceRoom, Township, Village

    with make_sessionmaker(make_engine(db))() as session:
        villages = {v.code: (v.name, v.kind) for v in session.execute(select(Village)).scalars()}
        assert villages == {"150222100001": ("东河新村", "village"), "150222101001": ("红泥井嘎查", "gacha"),
                            "150222101002": ("公益民村", "village")}
        assert session.execute(select(Township).where(Township.code == "150222101")).scalar_one().kind == "sumu"
        assert len(session.execute(select(ServiceRoom)).scalars().all()) == 3


def test_bad_file_lists_every_problem_and_imports_nothing(tmp_path, monkeypatch, capsys):
    db = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    monkeypatch.setenv("BIANMIN_HOME", str(tmp_path))
    org = tmp_path / "org.csv"
    org.write_text(GOOD + "150222,固阳县,150999101,X镇,150999101001,Y村,,\n"
                   "150222,固阳县,150222101,银号镇,15022210100,短码村,town,\n", encoding="utf-8")
    assert main(["server", "--db", db, "import-org", str(org)]) == 2
    err = capsys.readouterr().err
    assert "第 5 行" in err and "township code must be the county code" in err
    assert "第 6 行" in err and "village code must be the township code" in err and "township_kind" in err
    assert not (tmp_path / "server.sqlite3").exists()  # checked before the database is touched

    org.write_text("code,name\n1,2\n", encoding="utf-8")
    assert main(["server", "--db", db, "import-org", str(org)]) == 2
    assert "missing columns" in capsys.readouterr().err

    org.write_text(GOOD + "150222,固阳县,150222101,银号镇,150222101003,新村,,\n", encoding="utf-8")
    assert main(["server", "--db", db, "import-org", str(org)]) == 2
    assert "第 5 行" in (err := capsys.readouterr().err) and "150222101" in err and "differs" in err
