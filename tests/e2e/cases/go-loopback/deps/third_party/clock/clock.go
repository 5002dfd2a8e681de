// Package clock formats the time the status board shows.
package clock

import "time"

// Stamp is the current time in RFC 3339.
func Stamp() string {
	return time.Now().UTC().Format(time.RFC3339)
}
