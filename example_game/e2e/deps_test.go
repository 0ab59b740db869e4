package e2e_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHeadlessWithoutEbiten checks that the headless programs and the
// packages they are built from depend on no Ebiten package, directly or
// not: a binary that links Ebiten panics at start-up without a display.
func TestHeadlessWithoutEbiten(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go tool is needed")
	pkgs := []string{
		"cmd/dedicated", "cmd/bot", "cmd/demo", "server", "client", "game", "proto", "internal/cli",
	}
	for _, p := range pkgs {
		t.Run(p, func(t *testing.T) {
			out, err := exec.Command(goTool, "list", "-deps", "github.com/steamgs/steamgs/example_game/"+p).CombinedOutput()
			require.NoError(t, err, "go list:\n%s", out)
			deps := strings.Fields(string(out))
			require.GreaterOrEqual(t, len(deps), 10, "packages go list -deps printed: want the whole graph")
			for _, d := range deps {
				assert.NotContains(t, d, "hajimehoshi/ebiten", "%s depends on %s", p, d)
			}
		})
	}
}
