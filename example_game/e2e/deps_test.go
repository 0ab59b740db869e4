package e2e_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHeadlessWithoutEbiten checks that the headless programs and the
// packages they are built from depend on no Ebiten package, directly or
// not: a binary that links Ebiten panics at start-up without a display.
func TestHeadlessWithoutEbiten(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed: %v", err)
	}
	pkgs := []string{
		"cmd/dedicated", "cmd/bot", "cmd/demo", "server", "client", "game", "proto", "internal/cli",
	}
	for _, p := range pkgs {
		t.Run(p, func(t *testing.T) {
			out, err := exec.Command(goTool, "list", "-deps", "github.com/steamgs/steamgs/example_game/"+p).CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			deps := strings.Fields(string(out))
			if len(deps) < 10 {
				t.Fatalf("go list -deps printed %d packages, want the whole graph", len(deps))
			}
			for _, d := range deps {
				if strings.Contains(d, "hajimehoshi/ebiten") {
					t.Errorf("%s depends on %s", p, d)
				}
			}
		})
	}
}
