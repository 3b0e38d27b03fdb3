# Score an assessment from R through the myoresponse command, with jsonlite.
library(jsonlite)

assessment <- fromJSON("visit.json", simplifyVector = FALSE)
out <- suppressWarnings(system2(
  "myoresponse", c("score", "--compact", "-"),
  input = toJSON(assessment, auto_unbox = TRUE, digits = NA),
  stdout = TRUE, stderr = FALSE
))
status <- attr(out, "status")           # NULL when the exit status is 0
if (!is.null(status) && status == 2) stop("myoresponse could not read the input")
result <- fromJSON(paste(out, collapse = "\n"))
if (!is.null(result$error)) {
  cat(result$error$field, result$error$message, "\n")
} else {
  cat(result$total_improvement_score, result$category, "\n")
}
