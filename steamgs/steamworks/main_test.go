package steamworks

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// fakePath is the fake libsteam_api that TestMain compiles for the tests of
// this process.
var fakePath string

// fakeLibrary returns the path of the compiled fake.
func fakeLibrary(t testing.TB) string {
	t.Helper()
	if fakePath == "" {
		t.Fatal("the fake libsteam_api was not built (TestMain)")
	}
	return fakePath
}

func TestMain(m *testing.M) {
	if os.Getenv(realChildEnv) != "" {
		// A child process of a TestRealLibrary test: Valve's library only.
		goleak.VerifyTestMain(m)
		return
	}
	dir, err := os.MkdirTemp("", "steamworks-fake-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "steamworks tests:", err)
		os.Exit(1)
	}
	fakePath, err = buildFake(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "steamworks tests: building the fake libsteam_api failed:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		os.RemoveAll(dir)
		os.Exit(code)
	}))
}
