"""bot/rasa/launcher.py: the server runs one OpenMP thread per encoder thread."""

from bot.rasa.launcher import serving_threads


def test_the_server_gets_as_many_openmp_threads_as_the_encoder(monkeypatch):
    monkeypatch.setenv("HARBOUR_ENCODER_THREADS", "1")
    environ = {}
    serving_threads(["run", "--model", "m.tar.gz"], environ)
    assert environ == {"OMP_NUM_THREADS": "1"}


def test_an_operators_setting_and_training_are_left_alone():
    environ = {"OMP_NUM_THREADS": "4"}
    serving_threads(["run"], environ)
    assert environ == {"OMP_NUM_THREADS": "4"}
    environ = {}
    serving_threads(["train", "--config", "config.yml"], environ)
    assert environ == {}
