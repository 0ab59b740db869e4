package steamworks

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sdk161Versions is the interface version list of SDK 1.61's
// SteamGameServer_InitEx, rendered as the fake logs it.
const sdk161Versions = `["SteamUtils010" "SteamNetworkingUtils004" "SteamGameServer015" "SteamGameServerStats001" ` +
	`"STEAMHTTP_INTERFACE_VERSION003" "STEAMINVENTORY_INTERFACE_V003" "SteamNetworking006" ` +
	`"SteamNetworkingMessages002" "SteamNetworkingSockets012" "STEAMUGC_INTERFACE_VERSION020"]`

// TestInit checks the arguments of SteamInternal_GameServer_Init_V2 as the C
// side sees them, the app ID in its environment, and the calls that follow
// a successful init.
func TestInit(t *testing.T) {
	cases := []struct {
		name   string
		env    string // SteamAppId and SteamGameId before Init
		cfg    func(*steamgs.Config)
		want   string
		queryP uint16
	}{
		{name: "defaults", env: "", cfg: func(*steamgs.Config) {},
			want:   `SteamInternal_GameServer_Init_V2(0, 27015, 27016, 2, "1.0.0.0", ` + sdk161Versions + `, SteamAppId="", SteamGameId="")`,
			queryP: 27016},
		{name: "app ID set in the environment", env: "1", cfg: func(c *steamgs.Config) {
			c.AppID = 480
			c.IP = netip.MustParseAddr("192.168.1.2")
			c.GamePort, c.QueryPort = 65535, steamgs.QueryPortShared
			c.Mode = steamgs.ModeAuthenticationAndSecure
			c.Version = "v2 \u00e9"
		}, want: `SteamInternal_GameServer_Init_V2(3232235778, 65535, 65535, 3, "v2 \xc3\xa9", ` + sdk161Versions +
			`, SteamAppId="480", SteamGameId="480")`, queryP: steamgs.QueryPortShared},
		{name: "app ID left to the environment", env: "730", cfg: func(c *steamgs.Config) {
			c.IP = netip.MustParseAddr("::ffff:255.255.255.255")
			c.GamePort, c.QueryPort = 0, 0
			c.Mode = steamgs.ModeNoAuthentication
		}, want: `SteamInternal_GameServer_Init_V2(4294967295, 0, 0, 1, "1.0.0.0", ` + sdk161Versions +
			`, SteamAppId="730", SteamGameId="730")`, queryP: 0},
		{name: "max app ID", env: "", cfg: func(c *steamgs.Config) { c.AppID = 4294967295 },
			want: `SteamInternal_GameServer_Init_V2(0, 27015, 27016, 2, "1.0.0.0", ` + sdk161Versions +
				`, SteamAppId="4294967295", SteamGameId="4294967295")`, queryP: 27016},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SteamAppId", tc.env)
			t.Setenv("SteamGameId", tc.env)
			lib, err := Open(fakeLibrary(t))
			require.NoError(t, err)
			f := openFake(t, lib.Path())
			f.reset(false)
			cfg := baseConfig()
			tc.cfg(&cfg)
			srv := steamgs.NewServer(lib)
			require.NoError(t, srv.Init(cfg))
			calls := f.calls()
			require.GreaterOrEqual(t, len(calls), 3, "calls %q", calls)
			assert.Equal(t, tc.want, calls[0])
			assert.Equal(t, "SteamAPI_SteamGameServer_v015()", calls[1])
			assert.Equal(t, "SteamGameServer_GetHSteamPipe()", calls[2])
			assert.Equal(t, tc.queryP, srv.QueryPort())
			f.clearLog()
			require.NoError(t, srv.Shutdown())
			assert.Equal(t, []string{"SteamGameServer_Shutdown()"}, f.calls())
			assert.Equal(t, "", f.protocolErrors())
		})
	}
}

// TestInitFailure checks that a refused init is an *steamgs.InitError with
// Steam's result and message, and that it leaves no server behind.
func TestInitFailure(t *testing.T) {
	cases := []struct {
		name   string
		result int
		msg    string
		null   bool
		want   steamgs.InitError
	}{
		{"FailedGeneric", 1, "Failed to load module '/home/x/.steam/sdk64/steamclient.so'", false,
			steamgs.InitError{Result: steamgs.InitFailedGeneric, Message: "Failed to load module '/home/x/.steam/sdk64/steamclient.so'"}},
		{"NoSteamClient", 2, "Steam is not running\n", false,
			steamgs.InitError{Result: steamgs.InitNoSteamClient, Message: "Steam is not running"}},
		{"VersionMismatch", 3, "", false, steamgs.InitError{Result: steamgs.InitVersionMismatch}},
		{"unknown result", -7, "odd", false, steamgs.InitError{Result: -7, Message: "odd"}},
		{"message of 1023 bytes", 1, strings.Repeat("m", 1023), false,
			steamgs.InitError{Result: steamgs.InitFailedGeneric, Message: strings.Repeat("m", 1023)}},
		{"no interface after init", 0, "", true, steamgs.InitError{Result: steamgs.InitFailedGeneric,
			Message: "SteamAPI_SteamGameServer_v015 returned NULL after a successful init"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lib, err := Open(fakeLibrary(t))
			require.NoError(t, err)
			f := openFake(t, lib.Path())
			f.reset(false)
			f.setInit(tc.result, tc.msg)
			if tc.null {
				f.setReturn("nullserver", 1)
			}
			srv := steamgs.NewServer(lib)
			err = srv.Init(baseConfig())
			var ie *steamgs.InitError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, steamgs.ErrInitFailed)
			assert.Equal(t, tc.want, *ie)
			assert.False(t, srv.Running(), "running after a failed init")
			if tc.null {
				assert.Equal(t, "SteamGameServer_Shutdown()", f.lastCall(), "the half-made server is shut down")
			}
			// The process may start a server afterwards.
			f.reset(false)
			require.NoError(t, srv.Init(baseConfig()))
			require.NoError(t, srv.Shutdown())
			assert.Equal(t, "", f.protocolErrors())
		})
	}
}

// TestOneServerPerProcess checks the process-wide guard: while a server of
// any Library runs, Init fails with steamgs.ErrInUse and leaves the running
// server alone; after Shutdown another may start.
func TestOneServerPerProcess(t *testing.T) {
	fx := newFixture(t, Options{})
	other, err := OpenWith(fakeLibrary(t), Options{Offline: true})
	require.NoError(t, err)
	fx.fake.clearLog()
	for _, b := range []steamgs.Backend{fx.lib, other} {
		srv := steamgs.NewServer(b)
		err := srv.Init(baseConfig())
		assert.ErrorIs(t, err, steamgs.ErrInUse)
		assert.ErrorContains(t, err, "already runs")
		_, err = b.Open(baseConfig())
		assert.ErrorIs(t, err, steamgs.ErrInUse)
	}
	assert.Equal(t, []string(nil), fx.fake.calls(), "a refused Init reaches libsteam_api")
	assert.True(t, fx.srv.Running())
	require.NoError(t, fx.srv.SetMapName("still here"))

	require.NoError(t, fx.srv.Shutdown())
	srv := steamgs.NewServer(other)
	require.NoError(t, srv.Init(baseConfig()))
	require.NoError(t, srv.Shutdown())
	// Manual dispatch was switched on once for the loaded library, however
	// many servers and Library values used it.
	n := 0
	for _, c := range strings.Split(fx.fake.text("fake_log"), "\n") {
		if c == "SteamAPI_ManualDispatch_Init()" {
			n++
		}
	}
	assert.Equal(t, 0, n, "SteamAPI_ManualDispatch_Init calls after the first server")
}

// TestOpenErrors checks the errors of loading a file that is not a usable
// libsteam_api: they name the file (and the symbol) and match the
// package's sentinels.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "libsteam_api.so")
	require.NoError(t, os.WriteFile(text, []byte("not a library"), 0o644))
	noRegion := buildFakeVariant(t, "FAKE_NO_SETREGION")
	cases := []struct {
		name   string
		path   string
		target error
		parts  []string
	}{
		{"missing file", filepath.Join(dir, "nothing.so"), ErrLoad, []string{"nothing.so"}},
		{"not a library", text, ErrLoad, []string{text}},
		{"missing symbol", noRegion, ErrMissingSymbol, []string{noRegion, "SteamAPI_ISteamGameServer_SetRegion"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lib, err := Open(tc.path)
			assert.Nil(t, lib, "a Library for a bad file")
			assert.ErrorIs(t, err, tc.target)
			for _, p := range tc.parts {
				assert.ErrorContains(t, err, p)
			}
		})
	}
}

// TestInterfaceVersions checks that the version list follows the SDK of
// the library: UGC 020 for SDK 1.61, UGC 021 for SDK 1.64.
func TestInterfaceVersions(t *testing.T) {
	cases := []struct {
		name string
		path string
		ugc  string
	}{
		{"SDK 1.61", fakeLibrary(t), "STEAMUGC_INTERFACE_VERSION020"},
		{"SDK 1.64", buildFakeVariant(t, "FAKE_UGC021"), "STEAMUGC_INTERFACE_VERSION021"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lib, err := Open(tc.path)
			require.NoError(t, err)
			v := lib.InterfaceVersions()
			assert.Equal(t, 10, len(v))
			assert.Equal(t, "SteamGameServer015", v[2])
			assert.Equal(t, tc.ugc, v[len(v)-1])
			assert.Equal(t, []byte(strings.Join(v, "\x00")+"\x00\x00"), lib.versionList)
		})
	}
	assert.Equal(t, []string{"SteamUtils010", "STEAMUGC_INTERFACE_VERSION021"},
		[]string{interfaceVersions(func(string) bool { return false })[0], interfaceVersions(func(string) bool { return false })[9]},
		"a library with no accessor gets the newest versions")
}

// TestLocate checks the search for the library: STEAM_API_LIB as a file or
// a directory, then the working directory.
func TestLocate(t *testing.T) {
	dir := filepath.Dir(fakeLibrary(t))
	empty := t.TempDir()
	cases := []struct {
		name string
		env  string
		wd   string
		want string
		err  error
	}{
		{"env names the file", fakeLibrary(t), empty, fakeLibrary(t), nil},
		{"env names the directory", dir, empty, fakeLibrary(t), nil},
		{"env names nothing", filepath.Join(empty, "gone.so"), dir, "", ErrNotFound},
		{"env names an empty directory", empty, dir, "", ErrNotFound},
		{"working directory", "", dir, fakeLibrary(t), nil},
		{"nowhere", "", empty, "", ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvLibrary, tc.env)
			t.Chdir(tc.wd)
			got, err := Locate()
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				assert.ErrorContains(t, err, EnvLibrary)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			lib, err := Open("")
			require.NoError(t, err)
			assert.Equal(t, tc.want, lib.Path())
		})
	}
}

// TestCapabilities checks what a Library declares.
func TestCapabilities(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want steamgs.Capabilities
	}{
		{Options{}, steamgs.Capabilities{SteamConnection: true, Queries: true, ThreadMemory: true}},
		{Options{Offline: true}, steamgs.Capabilities{ThreadMemory: true}},
	} {
		lib, err := OpenWith(fakeLibrary(t), tc.opts)
		require.NoError(t, err)
		assert.Equal(t, tc.want, lib.Capabilities(), "%+v", tc.opts)
	}
}

// TestSupportedPlatform checks which platforms Open accepts.
func TestSupportedPlatform(t *testing.T) {
	for _, tc := range []struct {
		goos, goarch string
		want         bool
	}{
		{"linux", "amd64", true}, {"linux", "arm64", true}, {"darwin", "arm64", true}, {"darwin", "amd64", true},
		{"windows", "amd64", true}, {"windows", "arm64", true},
		{"linux", "386", false}, {"windows", "386", false}, {"freebsd", "amd64", false}, {"linux", "riscv64", false},
	} {
		assert.Equal(t, tc.want, supportedPlatform(tc.goos, tc.goarch), "%s/%s", tc.goos, tc.goarch)
	}
}

// TestCallbackMsgLayout checks callbackMsg against CallbackMsg_t as the C
// compiler lays it out, packed like the platform's callbacks and packed by
// 4 and by 8.
func TestCallbackMsgLayout(t *testing.T) {
	compare := func(t *testing.T, path string) {
		f := openFake(t, path)
		var out [5]int32
		purego.SyscallN(f.fn["fake_callbackmsg_layout"], uintptr(unsafe.Pointer(&out[0])))
		var m callbackMsg
		assert.Equal(t, [4]int32{int32(unsafe.Offsetof(m.user)), int32(unsafe.Offsetof(m.id)), int32(unsafe.Offsetof(m.param)),
			int32(unsafe.Offsetof(m.size))}, [4]int32(out[:4]))
		assert.LessOrEqual(t, int(out[4]), int(unsafe.Sizeof(m)), "CallbackMsg_t is %d bytes, callbackMsg %d", out[4], unsafe.Sizeof(m))
	}
	compare(t, fakeLibrary(t))
	for _, pack := range packs {
		t.Run(fmt.Sprintf("pack%d", pack), func(t *testing.T) { compare(t, fakePackLibrary(t, pack)) })
	}
}
