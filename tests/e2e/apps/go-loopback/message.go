package main

// message is the body of GET /.
func message() string {
	return "statusboard: all green e2e-v1\n"
}
