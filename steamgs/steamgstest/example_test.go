package steamgstest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

// newBackEnd stands for a back end's constructor.
func newBackEnd(t *testing.T) (steamgs.Backend, steamgstest.Steam) {
	return &nullBackend{}, nil
}

// A back end runs the suite from a test of its own. This example is
// compiled, not run: it needs the *testing.T of a test.
func ExampleRun() {
	conformance := func(t *testing.T) {
		steamgstest.Run(t, steamgstest.Harness{New: newBackEnd})
	}
	_ = conformance // in a _test.go file: func TestConformance(t *testing.T) { ... }
}

// The cases a back end without a Steam connection that runs one server at a
// time passes, counted by group.
func ExampleCases() {
	cases := steamgstest.Cases(steamgs.Capabilities{})
	count := map[string]int{}
	var groups []string
	for _, name := range cases {
		g, _, _ := strings.Cut(name, "/")
		if count[g] == 0 {
			groups = append(groups, g)
		}
		count[g]++
	}
	for _, g := range groups {
		fmt.Println(g, count[g])
	}
	fmt.Println(cases[len(cases)-1])
	// Output:
	// Rules 15
	// Lifecycle 7
	// Callbacks 2
	// LogOn 1
	// LogOn/NoConnection
}
