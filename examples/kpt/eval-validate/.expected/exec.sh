# kpt's e2e runner runs this with bash in the copy of the package. The function is
# found on PATH. ../results is the results directory the runner compares with
# results.yaml (kpt pkg/test/runner/runner.go: <tmp>/results beside <tmp>/<package>).
kpt fn eval . --exec fix-kserve-probes --results-dir ../results -- mode=validate
