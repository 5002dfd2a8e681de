package main

import "example.com/e2e/clock"

// message is the body of GET /.
func message() string {
	return "statusboard: all green e2e-v2 at " + clock.Stamp() + "\n"
}
