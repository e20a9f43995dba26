"""The per-wave figures and the results files each is drawn from, in the order the drawing
function takes them (rule figure; tests draw the same figures from the same files)."""

FIGURE_INPUTS = {
    "ranking_distribution": ["results/{wave}/score_distribution.csv"],
    "multiple_response": ["results/{wave}/inference/mr_intervals.csv"],
    "threshold": ["results/{wave}/inference/threshold.csv"],
    "worths": ["results/{wave}/inference/plackett_luce.csv", "results/{wave}/inference/first_choice.csv"],
    "coverage": ["results/{wave}/countermeasures/coverage.csv", "results/{wave}/countermeasures/risks.csv"],
    "priority": ["results/{wave}/countermeasures/risks.csv"],
}
# Figures of the whole build: what the printed shares identify, the reconstruction draws and the
# comparison of waves.
PRIORITY_RANGE_INPUTS = [
    "results/priorities.csv",
    "results/{wave}/countermeasures/risks.csv",
    "results/{wave}/countermeasures/countermeasures.csv",
]
IDENTIFIED_INPUTS = ["results/identification.csv", "results/{wave}/inference/mr_intervals.csv"]
SENSITIVITY_INPUTS = "results/sensitivity/chunk-{chunk}.csv"
TREND_INPUTS = ["results/waves/waves.csv", "results/waves/mr_changes.csv", "results/waves/ranking_changes.csv"]
