// Package greet holds the text the server answers with.
package greet

import "example.com/e2e/banner"

// Message is the body of GET /.
func Message() string {
	return banner.Wrap("hello from go-cmd e2e-v2\n")
}
