package steamworks

import (
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/internal/steamlibtest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realChildEnv names the TestRealLibrary test a child process runs. Valve's
// library keeps process-wide state and prints to stderr, so each test that
// loads it runs in a child process of its own, apart from the fake.
const realChildEnv = "STEAMWORKS_TEST_REAL_CHILD"

// realLibrary returns the path of Valve's libsteam_api: STEAM_API_LIB, or
// where `make steam-lib` puts it. Without either the test is skipped (it
// fails under STEAMGS_REQUIRE_STEAM_LIB=1, which `make test` sets); a wrong
// STEAM_API_LIB fails it.
func realLibrary(t *testing.T) string {
	t.Helper()
	return steamlibtest.Path(t)
}

// inRealChild reports whether the caller is the child process that should
// run the test's body. In the parent it runs the test again in a child
// process, with HOME pointing at an empty directory so that no Steam client
// is found, and fails when the child fails.
func inRealChild(t *testing.T) bool {
	t.Helper()
	if os.Getenv(realChildEnv) == t.Name() {
		return true
	}
	path := realLibrary(t)
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), realChildEnv+"="+t.Name(), EnvLibrary+"="+path, "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	t.Logf("child process output:\n%s", out)
	require.NoError(t, err, "the child process failed")
	require.Contains(t, string(out), "--- PASS: "+t.Name(), "the child process did not pass %s", t.Name())
	return false
}

// TestRealLibrarySymbols loads Valve's library and checks that every
// function this package calls resolves and that the interface versions
// match its SDK (1.61: UGC 020).
func TestRealLibrarySymbols(t *testing.T) {
	if !inRealChild(t) {
		return
	}
	lib, err := Open(realLibrary(t))
	require.NoError(t, err)
	var sym symbols
	for _, s := range sym.table() {
		assert.NotZero(t, lookup(lib.handle, s.name), "symbol %s", s.name)
	}
	assert.Equal(t, []string{"SteamUtils010", "SteamNetworkingUtils004", "SteamGameServer015", "SteamGameServerStats001",
		"STEAMHTTP_INTERFACE_VERSION003", "STEAMINVENTORY_INTERFACE_V003", "SteamNetworking006",
		"SteamNetworkingMessages002", "SteamNetworkingSockets012", "STEAMUGC_INTERFACE_VERSION020"}, lib.InterfaceVersions())
	assert.Equal(t, steamgs.Capabilities{SteamConnection: true, Queries: true, ThreadMemory: true}, lib.Capabilities())
}

// TestRealLibraryInitWithoutSteam initializes a server with Valve's library
// and no Steam client: init fails with FailedGeneric and Steam's "Failed to
// load module" message, twice in a row, and shutting down and running
// callbacks afterwards are safe.
func TestRealLibraryInitWithoutSteam(t *testing.T) {
	if !inRealChild(t) {
		return
	}
	lib, err := Open(realLibrary(t))
	require.NoError(t, err)
	srv := steamgs.NewServer(lib)
	cfg := baseConfig()
	cfg.AppID = 480
	for range 2 {
		err = srv.Init(cfg)
		var ie *steamgs.InitError
		require.ErrorAs(t, err, &ie)
		assert.ErrorIs(t, err, steamgs.ErrInitFailed)
		for _, part := range []string{"FailedGeneric", "Failed to load module", "steamclient"} {
			assert.ErrorContains(t, err, part)
		}
		assert.Equal(t, steamgs.InitFailedGeneric, ie.Result)
		assert.False(t, srv.Running(), "server running after a failed init")
		srv.RunCallbacks(func(cb steamgs.Callback) { assert.Fail(t, "a callback after a failed init", "%T", cb) })
		assert.ErrorIs(t, srv.Shutdown(), steamgs.ErrNotInitialized)
	}
	self, _, _ := purego.SyscallN(lib.sym.gameServer)
	assert.Equal(t, uintptr(0), self, "SteamAPI_SteamGameServer_v015 after a failed init")
	purego.SyscallN(lookup(lib.handle, "SteamGameServer_RunCallbacks"))
	purego.SyscallN(lib.sym.shutdown)
	purego.SyscallN(lib.sym.releaseThreadMemory)
	// The process-wide guard was released by the failures.
	_, err = lib.Open(cfg)
	assert.ErrorIs(t, err, steamgs.ErrInitFailed)
}
