"""Ctrl-C while the command starts ends it with one line (lingkaran.interrupted_while_starting); a program that
imports lingkaran keeps its own Ctrl-C."""

import signal

import lingkaran
from lingkaran.cli.interrupt import hand_ctrl_c_to_the_command


def test_importing_lingkaran_leaves_ctrl_c_to_the_program():
    assert signal.getsignal(signal.SIGINT) is not lingkaran.interrupted_while_starting


def test_the_command_takes_ctrl_c_back_once_it_is_loaded(monkeypatch):
    monkeypatch.setattr(signal, "getsignal", lambda number: lingkaran.interrupted_while_starting)
    installed = []
    monkeypatch.setattr(signal, "signal", lambda number, handler: installed.append((number, handler)))
    hand_ctrl_c_to_the_command()
    assert installed == [(signal.SIGINT, signal.default_int_handler)]
