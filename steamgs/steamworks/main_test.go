package steamworks

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// fakePath is the fake libsteam_api that TestMain compiles for the tests of
// this process, with the platform's callback packing; fakePackPaths holds
// the fakes built with callback packing 4 (VALVE_CALLBACK_PACK_SMALL) and 8
// (VALVE_CALLBACK_PACK_LARGE), whatever the platform.
var (
	fakePath      string
	fakePackPaths = map[int]string{}
)

// fakePackDefines are the -D flags that select each callback packing.
var fakePackDefines = map[int]string{4: "VALVE_CALLBACK_PACK_SMALL", 8: "VALVE_CALLBACK_PACK_LARGE"}

// fakeLibrary returns the path of the compiled fake.
func fakeLibrary(t testing.TB) string {
	t.Helper()
	require.NotEmpty(t, fakePath, "the fake libsteam_api was not built (TestMain)")
	return fakePath
}

// fakePackLibrary returns the path of the fake built with callback
// packing pack (4 or 8).
func fakePackLibrary(t testing.TB, pack int) string {
	t.Helper()
	p, ok := fakePackPaths[pack]
	require.True(t, ok, "no fake libsteam_api built with callback pack %d (TestMain)", pack)
	return p
}

// buildFakes compiles the fake for the platform and for each packing
// into dir.
func buildFakes(dir string) error {
	var err error
	if fakePath, err = buildFake(dir); err != nil {
		return err
	}
	for pack, define := range fakePackDefines {
		sub := filepath.Join(dir, fmt.Sprint("pack", pack))
		if err := os.Mkdir(sub, 0o755); err != nil {
			return err
		}
		p, err := buildFake(sub, define)
		if err != nil {
			return err
		}
		fakePackPaths[pack] = p
	}
	return nil
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
	if err := buildFakes(dir); err != nil {
		fmt.Fprintln(os.Stderr, "steamworks tests: building the fake libsteam_api failed:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		os.RemoveAll(dir)
		os.Exit(code)
	}))
}
