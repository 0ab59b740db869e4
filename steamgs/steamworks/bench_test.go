package steamworks

import (
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callBench is a server on the fake with its log off, and the same two C
// functions prepared for calling through purego alone.
type callBench struct {
	srv    *steamgs.Server
	user   steamgs.SteamID
	self   uintptr
	setMax uintptr
	update uintptr
	name   []byte
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
	c := srv.Conn().(*conn)
	return &callBench{srv: srv, user: steamgs.IndividualID(42), self: c.self,
		setMax: lib.sym.setMaxPlayerCount, update: lib.sym.bUpdateUserData, name: cstring("player")}
}

// wrapper makes one setter call and one UpdateUserData call through
// steamgs.Server.
func (cb *callBench) wrapper() {
	_ = cb.srv.SetMaxPlayerCount(16)
	_, _ = cb.srv.UpdateUserData(cb.user, "player", 100)
}

// raw makes the same two C calls through purego.SyscallN with prepared
// arguments.
func (cb *callBench) raw() {
	purego.SyscallN(cb.setMax, cb.self, 16)
	purego.SyscallN(cb.update, cb.self, uintptr(cb.user), uintptr(unsafe.Pointer(&cb.name[0])), 100)
}

// BenchmarkCall compares the public steamgs.Server methods over the fake
// library with the bare purego calls they come down to.
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

// TestCallAllocs checks that the wrapper allocates no more than the bare
// purego calls: strings go through reusable buffers, out values live in the
// Conn.
func TestCallAllocs(t *testing.T) {
	cb := newCallBench(t)
	raw := testing.AllocsPerRun(200, cb.raw)
	wrapped := testing.AllocsPerRun(200, cb.wrapper)
	assert.LessOrEqual(t, wrapped, raw, "wrapper makes %v allocations per op, raw purego %v", wrapped, raw)
	c := cb.srv.Conn().(*conn)
	buf := make([]byte, 64)
	for name, fn := range map[string]func(){
		"LoggedOn":    func() { c.LoggedOn() },
		"SetKeyValue": func() { c.SetKeyValue("mode", "ctf") },
		"GetNextOutgoingPacket": func() {
			c.GetNextOutgoingPacket(buf)
		},
		"BeginAuthSession": func() { c.BeginAuthSession(buf, cb.user) },
		"RunCallbacks":     func() { c.RunCallbacks(func(steamgs.Callback) {}) },
	} {
		// One SyscallN allocation per C call at most.
		perCall := raw / 2
		calls := 1.0
		if name == "RunCallbacks" {
			calls = 2 // RunFrame and an empty GetNextCallback
		}
		got := testing.AllocsPerRun(100, fn)
		assert.LessOrEqual(t, got, perCall*calls, "%s makes %v allocations, purego %v per call", name, got, perCall)
	}
}
