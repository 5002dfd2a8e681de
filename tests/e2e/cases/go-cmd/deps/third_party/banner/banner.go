// Package banner decorates a line of text.
package banner

import "strings"

// Wrap puts the text between two rules as wide as it is.
func Wrap(text string) string {
	line := strings.TrimRight(text, "\n")
	rule := strings.Repeat("-", len(line))
	return rule + "\n" + line + "\n" + rule + "\n"
}
