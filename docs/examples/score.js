// Score an assessment from Node.js through the myoresponse command (no Python API needed).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");

const assessment = JSON.parse(fs.readFileSync("visit.json", "utf8"));
const run = spawnSync("myoresponse", ["score", "--compact", "-"], {
  input: JSON.stringify(assessment),
  encoding: "utf8",
});
if (run.status === 2 || run.stdout === "") {
  throw new Error(`myoresponse could not read the input: ${run.stderr}`);
}
const result = JSON.parse(run.stdout); // one result object, or {"error": {...}} (status 1)
if (result.error) {
  console.log(run.status, result.error.field, result.error.message);
} else {
  console.log(run.status, result.total_improvement_score, result.category);
}
