# R's survey package on the CSV files tests/support/rsurvey.py writes: the references of
# tests/unit/test_design_r.py. Usage: Rscript survey_reference.R DIR (reads DIR/*.csv and
# DIR/spec.csv, writes DIR/r_*.csv).
suppressMessages(library(survey))
options(survey.lonely.psu = "fail")
dir <- commandArgs(trailingOnly = TRUE)[1]
d <- read.csv(file.path(dir, "wave.csv"), stringsAsFactors = FALSE)
spec <- read.csv(file.path(dir, "spec.csv"), stringsAsFactors = FALSE)  # column, question, kind
des <- svydesign(ids = ~design_cluster, strata = ~design_stratum, weights = ~design_weight, data = d, nest = TRUE)

opts <- spec[spec$kind == "option", ]

# percent of cases (domain: answered the question), logit interval, deff against SRS with replacement
option_row <- function(design, s) {
  sub <- subset(design, design$variables[[paste0("answered_", s$question)]] == 1)
  f <- as.formula(paste0("~I(", s$column, " == 1)"))
  m <- svymean(f, sub, deff = "replace")
  ci <- svyciprop(f, sub, method = "logit")
  data.frame(column = s$column, est = as.numeric(coef(m)[2]), se = as.numeric(SE(m)[2]),
             deff = as.numeric(deff(m)[2]), lci = as.numeric(confint(ci)[1]), uci = as.numeric(confint(ci)[2]))
}
rows <- list()
for (i in seq_len(nrow(spec))) {
  s <- spec[i, ]
  if (s$kind == "option") {
    rows[[i]] <- option_row(des, s)
  } else {
    sub <- subset(des, ranking_valid == 1)
    m <- svymean(as.formula(paste0("~", s$column)), sub, deff = "replace")
    ci <- confint(m, df = degf(des))
    rows[[i]] <- data.frame(column = s$column, est = as.numeric(coef(m)), se = as.numeric(SE(m)),
                            deff = as.numeric(deff(m)), lci = as.numeric(ci[1]), uci = as.numeric(ci[2]))
  }
}
write.csv(do.call(rbind, rows), file.path(dir, "r_estimates.csv"), row.names = FALSE)

# Rao-Scott (F form) of gender by each option, over the respondents who answered and have a gender
tests <- list()
for (i in seq_len(nrow(opts))) {
  s <- opts[i, ]
  sub <- subset(des, d[[paste0("answered_", s$question)]] == 1 & !is.na(gender))
  x <- svychisq(as.formula(paste0("~gender + ", s$column)), sub)
  tests[[i]] <- data.frame(column = s$column, F = unname(x$statistic), ndf = unname(x$parameter[1]),
                           ddf = unname(x$parameter[2]), p = x$p.value)
}
write.csv(do.call(rbind, tests), file.path(dir, "r_raoscott.csv"), row.names = FALSE)

# raking of equal weights to the margins in rake.csv (attribute, value, share)
targets <- read.csv(file.path(dir, "rake.csv"), stringsAsFactors = FALSE)
d$one <- 1
flat <- svydesign(ids = ~1, weights = ~one, data = d)
margins <- lapply(unique(targets$attribute), function(a) as.formula(paste0("~", a)))
totals <- lapply(unique(targets$attribute), function(a) {
  t <- targets[targets$attribute == a, ]
  out <- data.frame(t$value, Freq = nrow(d) * t$share)
  names(out)[1] <- a
  out
})
raked <- rake(flat, margins, totals, control = list(maxit = 200, epsilon = 1e-10))
write.csv(data.frame(weight = weights(raked)), file.path(dir, "r_raked.csv"), row.names = FALSE)

# the raked wave's percents of cases under its final weights, taken as fixed (as rule design does)
d$raked_w <- weights(raked)
fixed <- svydesign(ids = ~1, weights = ~raked_w, data = d)
rk <- lapply(seq_len(nrow(opts)), function(i) option_row(fixed, opts[i, ]))
write.csv(do.call(rbind, rk), file.path(dir, "r_raked_estimates.csv"), row.names = FALSE)

# design-based trend over stacked waves (stacked.csv: wave strata and clusters, _x the wave's score)
st <- read.csv(file.path(dir, "stacked.csv"), stringsAsFactors = FALSE)
sdes <- svydesign(ids = ~design_cluster, strata = ~design_stratum, weights = ~design_weight, data = st, nest = TRUE)
tr <- list()
for (i in seq_len(nrow(opts))) {
  s <- opts[i, ]
  sub <- subset(sdes, st[[paste0("answered_", s$question)]] == 1)
  fit <- svyglm(as.formula(paste0(s$column, " ~ wave_x")), sub, family = quasibinomial())
  co <- summary(fit)$coefficients
  tr[[i]] <- data.frame(column = s$column, estimate = co[2, 1], se = co[2, 2], p = co[2, 4])
}
write.csv(do.call(rbind, tr), file.path(dir, "r_trends.csv"), row.names = FALSE)
