// A program that links no crypto package at all.
package main

import (
	"os"

	"example.com/helper"
)

func main() {
	os.Stdout.WriteString(helper.Greeting + "\n")
}
