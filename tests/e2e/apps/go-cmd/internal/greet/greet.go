// Package greet holds the text the server answers with.
package greet

// Message is the body of GET /.
func Message() string {
	return "hello from go-cmd e2e-v1\n"
}
