// Package steamlibtest finds Valve's libsteam_api for the tests that load
// the real library. It looks where `make steam-lib` puts it when
// STEAM_API_LIB is unset, so that `go test ./...` works without make.
package steamlibtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Environment variables that Path reads.
const (
	// EnvLibrary names the library; when set, it must be right.
	EnvLibrary = "STEAM_API_LIB"
	// EnvRequire, set to 1 (as `make test` and CI do), turns a missing
	// library from a skip into a failure.
	EnvRequire = "STEAMGS_REQUIRE_STEAM_LIB"
)

// CachePath returns where `make steam-lib` puts the library:
// ~/.cache/steamgs/steam-lib/libsteam_api.so, or "" when there is no home
// directory.
func CachePath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "steamgs", "steam-lib", "libsteam_api.so")
}

// Path returns the path of the real libsteam_api: STEAM_API_LIB when it is
// set, which must name a file (else tb fails), otherwise CachePath when the
// file is there. When neither is there it skips tb with a message naming
// `make steam-lib`, or fails it when STEAMGS_REQUIRE_STEAM_LIB=1.
func Path(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(EnvLibrary); p != "" {
		fi, err := os.Stat(p)
		if err != nil {
			tb.Fatalf("%s=%s: %v (run `make steam-lib`, which fetches Valve's redistributable libsteam_api, or unset %s)", EnvLibrary, p, err, EnvLibrary)
		}
		if fi.IsDir() {
			tb.Fatalf("%s=%s is a directory, not the library (run `make steam-lib`)", EnvLibrary, p)
		}
		return p
	}
	if p := CachePath(); p != "" {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	msg := "Valve's libsteam_api is not at " + CachePath() + " and " + EnvLibrary + " is unset: run `make steam-lib`, " +
		"which fetches it there, to run the tests of the real library"
	if os.Getenv(EnvRequire) == "1" {
		tb.Fatal(msg + " (" + EnvRequire + "=1 requires it)")
	}
	tb.Skip(msg)
	return ""
}
