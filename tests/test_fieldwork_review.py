"""Found walking a week of field work in Bahasa Indonesia: numbers, words and screens that came out wrong."""


def test_log_prints_an_evaluations_t_score_with_two_decimals_like_evaluate(cli, active_case):
    for level in ("0", "+1"):  # T = 50 exactly, then 50 + 10·(3+1)/√(0.7·10 + 0.3·16)
        cli.ok("evaluate", active_case, "--score", f"1={level}", "--score", f"2={level}", "--decision", "continue")
    timeline = cli.ok("log", active_case).stdout
    assert "T-score 50.00 → continue" in timeline and "T-score 61.64 → continue" in timeline
    assert "T-score 50.0 " not in timeline


def test_the_indonesian_ecomap_key_stays_on_one_line_of_80_columns(cli, opened_case):
    cli.ok("ecomap", "add", opened_case, "SD Negeri 3", "--kind", "sekolah", "--tie", "renggang", "--flow", "both")
    lines = cli.ok("--lang", "id", "ecomap", opened_case).stdout.splitlines()
    key = next(line for line in lines if line.startswith("═══ kuat"))
    assert key.rstrip().endswith("▶ ◀ aliran energi dan sumber daya")  # not wrapped onto a line of its own
