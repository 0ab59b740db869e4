// Package shottest helps the example's screenshot tests: it re-runs the
// test binary as a child process that plays the windowed program (Ebiten
// must own the process's main thread, which a test function does not), and
// counts colours in the PNG the child writes. It imports no Ebiten itself.
package shottest

import (
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
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
	enc, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envArgs+"="+string(enc))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child %q: %v (needs a display: run under xvfb-run -a)\n%s", args, err, out)
	}
	return string(out)
}

// ScreenshotPath returns name inside the repository's screenshots folder
// (ignored by git), creating the folder: the file stays for a person to
// look at.
func ScreenshotPath(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	shots := filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(shots, name)
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
