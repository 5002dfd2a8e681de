module example.com/e2e/gocmd

go 1.23

require example.com/e2e/banner v0.0.0

// A local module: no module proxy is reachable from the test machines.
replace example.com/e2e/banner => ./third_party/banner
