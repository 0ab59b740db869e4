// Package shottest helps the example's screenshot tests: it re-runs the
// test binary as a child process that plays the windowed program (Ebiten
// must own the process's main thread, which a test function does not), and
// counts colours in the PNG the child writes. It imports no Ebiten itself.
package shottest

import (
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/testio"
)

// envArgs carries the child's arguments, JSON-encoded.
const envArgs = "STEAMGS_SHOTTEST_ARGS"

// ChildArgs returns the arguments a child process was started with, and
// whether this process is such a child. Call it first thing in TestMain:
//
//	if args, ok := shottest.ChildArgs(); ok {
//		os.Exit(run(args, os.Stderr))
//	}
func ChildArgs() ([]string, bool) {
	v, ok := os.LookupEnv(envArgs)
	if !ok {
		return nil, false
	}
	var args []string
	if err := json.Unmarshal([]byte(v), &args); err != nil {
		return []string{"-invalid-child-arguments"}, true
	}
	return args, true
}

// RunChild runs the test binary again as a child with args (see ChildArgs)
// and fails the test unless it exits 0 within timeout. It returns the
// child's combined output.
func RunChild(t testing.TB, timeout time.Duration, args ...string) string {
	t.Helper()
	code, out := RunChildCode(t, timeout, args...)
	if code != 0 {
		t.Fatalf("child %q exited %d (it needs a display: run under xvfb-run -a)\n%s", args, code, out)
	}
	return out
}

// RunChildCode runs the test binary again as a child with args (see
// ChildArgs) and returns its exit code and combined output. It fails the
// test when the child cannot start or outlives timeout.
func RunChildCode(t testing.TB, timeout time.Duration, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envArgs+"="+childEnv(t, args))
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("child %q did not exit within %v\n%s", args, timeout, out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	case err != nil:
		t.Fatalf("child %q: %v\n%s", args, err, out)
	}
	return 0, string(out)
}

// Child is a child process started by StartChild.
type Child struct {
	Cmd *exec.Cmd
	// Out is the child's combined output so far.
	Out *testio.SyncBuffer
	// Done is closed when the child has exited; then Err is Wait's error.
	Done chan struct{}
	Err  error
}

// StartChild starts the test binary again as a child with args (see
// ChildArgs) and returns at once; the child is killed when the test ends if
// it is still running.
func StartChild(t testing.TB, args ...string) *Child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envArgs+"="+childEnv(t, args))
	c := &Child{Cmd: cmd, Out: &testio.SyncBuffer{}, Done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = c.Out, c.Out
	if err := cmd.Start(); err != nil {
		t.Fatalf("child %q: %v", args, err)
	}
	go func() {
		c.Err = cmd.Wait()
		close(c.Done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.Done:
		default:
			_ = cmd.Process.Kill()
			<-c.Done
		}
	})
	return c
}

// childEnv encodes args for the child's environment.
func childEnv(t testing.TB, args []string) string {
	t.Helper()
	enc, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	return string(enc)
}

// EnvScreenshotDir names the folder ScreenshotPath writes to; `make test`
// sets it to bin/screenshots.
const EnvScreenshotDir = "STEAMGS_SCREENSHOT_DIR"

// ScreenshotPath returns the path of the screenshot name: in the folder
// STEAMGS_SCREENSHOT_DIR names (created if need be), where the file stays
// for a person to look at, or else in the test's temporary folder. Tests
// never write into the source tree.
func ScreenshotPath(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv(EnvScreenshotDir)
	if dir == "" {
		return filepath.Join(t.TempDir(), name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// Load decodes the PNG at path.
func Load(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Count returns the number of pixels of img inside r whose colour is within
// tol of c in each of red, green and blue.
func Count(img image.Image, r image.Rectangle, c color.RGBA, tol int) int {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr>>8, c.R, tol) && near(pg>>8, c.G, tol) && near(pb>>8, c.B, tol) {
				n++
			}
		}
	}
	return n
}

func near(v uint32, want uint8, tol int) bool {
	d := int(v) - int(want)
	return d >= -tol && d <= tol
}

// Colors returns the number of distinct colours in img.
func Colors(img image.Image) int {
	seen := map[color.RGBA]struct{}{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}] = struct{}{}
		}
	}
	return len(seen)
}
