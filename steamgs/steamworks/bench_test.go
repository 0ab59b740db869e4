package steamworks

import (
	"fmt"
	"runtime"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callBench is a server on the fake with its log off, its Conn, and the
// same C functions prepared for calling through purego alone.
type callBench struct {
	srv      *steamgs.Server
	conn     *conn
	settings steamgs.Settings
	user     steamgs.SteamID
	ticket   []byte
	self     uintptr
	setMax   uintptr
	update   uintptr
	begin    uintptr
	name     []byte
}

func newCallBench(tb testing.TB) *callBench {
	lib, err := Open(fakeLibrary(tb))
	require.NoError(tb, err)
	f := openFake(tb, lib.Path())
	f.reset(false)
	f.setLogging(false)
	srv := steamgs.NewServer(lib)
	require.NoError(tb, srv.Init(baseConfig()))
	tb.Cleanup(func() {
		require.NoError(tb, srv.Shutdown())
		f.setLogging(true)
	})
	c := rawConn(tb, srv)
	return &callBench{srv: srv, conn: c, settings: steamgs.Settings{MaxPlayers: 16}, user: steamgs.IndividualID(42),
		ticket: make([]byte, 240), self: c.self, setMax: lib.sym.setMaxPlayerCount, update: lib.sym.bUpdateUserData,
		begin: lib.sym.beginAuthSession, name: cstring("player")}
}

// wrapper makes what a tick of a game server makes through the Conn that
// steamgs.Server calls: one setting applied, one UpdateUserData and one
// BeginAuthSession.
func (cb *callBench) wrapper() {
	cb.conn.Apply(&cb.settings, steamgs.FieldMaxPlayers)
	cb.conn.UpdateUserData(cb.user, "player", 100)
	cb.conn.BeginAuthSession(cb.ticket, cb.user)
}

// raw makes the same three C calls through purego.SyscallN with prepared
// arguments.
func (cb *callBench) raw() {
	purego.SyscallN(cb.setMax, cb.self, 16)
	purego.SyscallN(cb.update, cb.self, uintptr(cb.user), uintptr(unsafe.Pointer(&cb.name[0])), 100)
	purego.SyscallN(cb.begin, cb.self, uintptr(unsafe.Pointer(&cb.ticket[0])), uintptr(len(cb.ticket)), uintptr(cb.user))
}

// BenchmarkCall compares the Conn's calls over the fake library with the
// bare purego calls they come down to (internal/benchratio holds the ratio
// to 1.5).
func BenchmarkCall(b *testing.B) {
	cb := newCallBench(b)
	b.Run("wrapper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cb.wrapper()
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cb.raw()
		}
	})
}

// BenchmarkStatus measures Conn.Status: five C calls, GetPublicIP's struct
// return among them.
func BenchmarkStatus(b *testing.B) {
	cb := newCallBench(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = cb.conn.Status()
	}
}

// BenchmarkSetKeyValue measures steamgs.Server.SetKeyValue on a server
// holding n key/values: one changed pair, so one C call whatever n.
func BenchmarkSetKeyValue(b *testing.B) {
	for _, n := range []int{1, 64} {
		b.Run(fmt.Sprint("keys=", n), func(b *testing.B) {
			cb := newCallBench(b)
			for i := range n {
				require.NoError(b, cb.srv.SetKeyValue(fmt.Sprint("key", i), "v"))
			}
			values := [2]string{"a", "b"}
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i ^= 1
				_ = cb.srv.SetKeyValue("key0", values[i])
			}
		})
	}
}

// TestCallAllocs checks that the Conn allocates no more than the bare
// purego calls: strings go through reusable buffers, out values live in the
// Conn.
func TestCallAllocs(t *testing.T) {
	cb := newCallBench(t)
	raw := testing.AllocsPerRun(1000, cb.raw)
	wrapped := testing.AllocsPerRun(1000, cb.wrapper)
	assert.LessOrEqual(t, wrapped, raw, "wrapper makes %v allocations per op, raw purego %v", wrapped, raw)
	c := cb.conn
	buf := make([]byte, 64)
	kv := steamgs.Settings{KeyValues: map[string]string{"mode": "ctf"}}
	c.Apply(&kv, steamgs.FieldKeyValues)
	values := [2]string{"ctf", "dm"}
	flip := 0
	// The C calls each makes: it may allocate what as many bare purego
	// calls allocate, and no more.
	cases := map[string]struct {
		calls int
		fn    func()
	}{
		"Apply/SetServerName": {1, func() { c.Apply(&steamgs.Settings{ServerName: "name"}, steamgs.FieldServerName) }},
		"Apply/SetKeyValue": {1, func() {
			flip ^= 1
			kv.KeyValues["mode"] = values[flip]
			c.Apply(&kv, steamgs.FieldKeyValues)
		}},
		"Apply/unchanged key/values": {0, func() { c.Apply(&kv, steamgs.FieldKeyValues) }},
		"GetNextOutgoingPacket":      {1, func() { c.GetNextOutgoingPacket(buf) }},
		"BeginAuthSession":           {1, func() { c.BeginAuthSession(buf, cb.user) }},
		"Request/RequestUserGroupStatus": {1, func() {
			c.Request(steamgs.Request{Kind: steamgs.RequestUserGroupStatus, User: cb.user, Group: steamgs.ClanID(1)})
		}},
		"RunCallbacks": {2, func() { c.RunCallbacks(func(steamgs.Callback) {}) }}, // RunFrame, an empty GetNextCallback
	}
	if runtime.GOARCH == "amd64" {
		// BLoggedOn, BSecure, GetSteamID, GetPublicIP, WasRestartRequested.
		// Elsewhere GetPublicIP goes through purego's typed function, which
		// allocates more.
		cases["Status"] = struct {
			calls int
			fn    func()
		}{5, func() { c.Status() }}
	}
	for name, tc := range cases {
		got := testing.AllocsPerRun(1000, tc.fn)
		want := testing.AllocsPerRun(1000, cb.rawCalls(tc.calls))
		assert.LessOrEqual(t, got, want, "%s makes %v allocations, %v bare purego calls %v", name, got, tc.calls, want)
	}
}

// rawCalls returns a function that makes n bare purego calls of a C
// function without arguments beyond self: the allocations purego itself
// makes for n calls, which vary under the race detector (its sync.Pool
// drops items at random).
func (cb *callBench) rawCalls(n int) func() {
	fn := cb.conn.sym.bLoggedOn
	return func() {
		for range n {
			purego.SyscallN(fn, cb.self)
		}
	}
}
