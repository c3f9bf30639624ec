package fips

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's example works as written: its go.mod lines (with the checkout's path) and its
// main.go, run with `go run` in a module of their own, print the README's output.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(\\w*)\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	var gomod, program, output string
	for _, b := range blocks {
		switch {
		case b[1] == "" && strings.Contains(b[2], "replace example.invalid/fips/go/fips"):
			gomod = b[2]
		case b[1] == "go" && strings.HasPrefix(b[2], "package main"):
			program = b[2]
		case b[1] == "text":
			output = b[2]
		}
	}
	if gomod == "" || program == "" || output == "" {
		t.Fatal("README has no go.mod lines, main.go or output block")
	}
	lines := strings.Count(program[strings.Index(program, "func main"):], "\n")
	if lines > 12 {
		t.Fatalf("the example's main is %d lines; keep it about ten", lines)
	}
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod := "module example.invalid/readme\n\ngo 1.22\n\n" + strings.ReplaceAll(gomod, "/path/to/fips/go/fips", here)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go tool is needed to run the README's example: ", err)
	}
	args := []string{"run"}
	if linkMode == "static" {
		args = append(args, "-tags", "fips_static")
	}
	cmd := exec.Command(goTool, append(args, ".")...)
	cmd.Dir = dir
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, got)
	}
	if string(got) != output {
		t.Fatalf("the example prints\n%s\nthe README says\n%s", got, output)
	}
}
