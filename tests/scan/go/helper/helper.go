// Package helper is a local dependency, so that the build information of every subject
// has a `dep` line with a `=>` replacement, without fetching anything.
package helper

// Greeting is printed by the subjects.
const Greeting = "fips scan subject"
