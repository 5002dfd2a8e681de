module example.com/e2e/statusboard

go 1.22

require example.com/e2e/clock v0.0.0

// A local module: no module proxy is reachable from the test machines.
replace example.com/e2e/clock => ./third_party/clock
