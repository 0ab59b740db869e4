package steamworks

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/internal/text"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSource is the C stand-in for libsteam_api that the ABI tests call.
const fakeSource = "testdata/fake_steam_api.c"

// buildFake compiles the fake libsteam_api into dir with the machine's C
// compiler ($CC, else cc) and returns the library's path. defines are
// extra -D flags that select a variant.
func buildFake(dir string, defines ...string) (string, error) {
	src, err := filepath.Abs(fakeSource)
	if err != nil {
		return "", err
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	if _, err := exec.LookPath(cc); err != nil {
		return "", fmt.Errorf("the ABI tests compile %s and need a C compiler: %w", fakeSource, err)
	}
	out := filepath.Join(dir, LibraryNames()[0])
	args := []string{"-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", out}
	for _, d := range defines {
		args = append(args, "-D"+d)
	}
	args = append(args, src)
	cmd := exec.Command(cc, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", cc, strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// buildFakeVariant compiles a variant of the fake for one test.
func buildFakeVariant(t *testing.T, defines ...string) string {
	t.Helper()
	p, err := buildFake(t.TempDir(), defines...)
	require.NoError(t, err)
	return p
}

// fake calls the test controls of the fake library.
type fake struct {
	t  testing.TB
	h  uintptr
	fn map[string]uintptr
}

// fakeControls are the test-only functions of fake_steam_api.c.
var fakeControls = []string{
	"fake_reset", "fake_set_logging", "fake_clear_log", "fake_last_call", "fake_log", "fake_errors",
	"fake_set_return", "fake_set_init", "fake_set_ticket", "fake_set_packet", "fake_set_public_ip",
	"fake_queue_callback", "fake_encode", "fake_queue_encoded", "fake_queue_call_result", "fake_store_call_result",
	"fake_callbackmsg_layout", "fake_pending", "fake_callback_pack", "fake_layout", "fake_layout_row",
}

// openFake loads the fake at path (the same handle a Library of that path
// holds) and resolves its controls.
func openFake(t testing.TB, path string) *fake {
	t.Helper()
	h, err := loadLibrary(path)
	require.NoError(t, err)
	f := &fake{t: t, h: h, fn: make(map[string]uintptr)}
	for _, name := range fakeControls {
		addr := lookup(h, name)
		require.NotZero(t, addr, "fake lacks %s", name)
		f.fn[name] = addr
	}
	return f
}

// call calls the control name. Pointers converted to uintptr in its
// arguments stay alive and in place until it returns, as for SyscallN.
//
//go:uintptrescapes
func (f *fake) call(name string, args ...uintptr) uintptr {
	r, _, _ := purego.SyscallN(f.fn[name], args...)
	return r
}

// cstring returns s as a NUL-terminated byte slice.
func cstring(s string) []byte { return append([]byte(s), 0) }

// reset clears the fake's state; offline turns on the canned behaviour of a
// server with no Steam connection.
func (f *fake) reset(offline bool) {
	f.call("fake_reset", cbool(offline))
}

// text reads one of the fake's text buffers through its control name.
func (f *fake) text(name string) string {
	n := int(int32(f.call(name, 0, 0)))
	buf := make([]byte, n+1)
	f.call(name, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	return string(buf[:n])
}

// lastCall returns the last call the fake recorded.
func (f *fake) lastCall() string { return f.text("fake_last_call") }

// calls returns the calls recorded since the last clearLog, one per line.
func (f *fake) calls() []string {
	s := strings.TrimSuffix(f.text("fake_log"), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// protocolErrors returns the protocol errors the fake saw.
func (f *fake) protocolErrors() string { return f.text("fake_errors") }

func (f *fake) clearLog() { f.call("fake_clear_log") }

func (f *fake) setLogging(on bool) { f.call("fake_set_logging", cbool(on)) }

func (f *fake) setReturn(name string, v uint64) {
	n := cstring(name)
	f.call("fake_set_return", uintptr(unsafe.Pointer(&n[0])), uintptr(v))
}

func (f *fake) setInit(result int, msg string) {
	m := cstring(msg)
	f.call("fake_set_init", uintptr(result), uintptr(unsafe.Pointer(&m[0])))
}

func (f *fake) setTicket(b []byte) {
	f.call("fake_set_ticket", uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
}

func (f *fake) setPacket(b []byte) {
	f.call("fake_set_packet", uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
}

func (f *fake) setPublicIP(addr [16]byte, typ int32) {
	f.call("fake_set_public_ip", uintptr(unsafe.Pointer(&addr[0])), uintptr(uint32(typ)))
}

// queueRaw queues a callback with a payload the test wrote byte by byte.
func (f *fake) queueRaw(id int, data []byte) {
	p := uintptr(0)
	if len(data) > 0 {
		p = uintptr(unsafe.Pointer(&data[0]))
	}
	f.call("fake_queue_callback", uintptr(id), p, uintptr(len(data)))
}

// fields returns a pointer-ready copy of the values of a struct's fields.
func fields(vals []uint64) []uint64 {
	return append(append([]uint64(nil), vals...), 0) // never empty
}

// encode fills the SDK struct of callback id with the C compiler's layout
// under the fake's callback packing and returns its bytes.
func (f *fake) encode(id int, vals []uint64, text []byte) []byte {
	fv := fields(vals)
	out := make([]byte, 512)
	tp, tl := uintptr(0), uintptr(len(text))
	if len(text) > 0 {
		tp = uintptr(unsafe.Pointer(&text[0]))
	}
	n := int(int32(f.call("fake_encode", uintptr(id), uintptr(unsafe.Pointer(&fv[0])), tp, tl,
		uintptr(unsafe.Pointer(&out[0])), uintptr(len(out)))))
	require.GreaterOrEqual(f.t, n, 0, "fake_encode(%d)", id)
	return out[:n]
}

// pack returns the fake's callback packing: 4 or 8.
func (f *fake) pack() int { return int(int32(f.call("fake_callback_pack"))) }

// cField is one field of a C struct as the compiler lays it out.
type cField struct {
	name   string // the SDK's name, such as "m_OwnerSteamID"
	offset int
	size   int
}

// cStruct is a callback struct as the compiler lays it out: its size and
// its fields in declaration order.
type cStruct struct {
	size   int
	fields []cField
}

// end returns the end of the struct's last field: the shortest payload
// that holds every field.
func (s cStruct) end() int {
	n := 0
	for _, f := range s.fields {
		n = max(n, f.offset+f.size)
	}
	return n
}

// layouts returns the fake's table of callback structs (fake_layout_row),
// by callback ID.
func (f *fake) layouts() map[int]cStruct {
	out := make(map[int]cStruct)
	name := make([]byte, 64)
	for i := 0; ; i++ {
		var id, off, size int32
		ok := f.call("fake_layout_row", uintptr(i), uintptr(unsafe.Pointer(&id)), uintptr(unsafe.Pointer(&name[0])),
			uintptr(len(name)), uintptr(unsafe.Pointer(&off)), uintptr(unsafe.Pointer(&size)))
		if int32(ok) == 0 {
			return out
		}
		s := out[int(id)]
		if n := text.CString(name, len(name)); n == "" {
			s.size = int(size)
		} else {
			s.fields = append(s.fields, cField{name: n, offset: int(off), size: int(size)})
		}
		out[int(id)] = s
	}
}

// layout returns fake_layout(id, field): the field's offset, or the
// struct's size for an empty field, or -1.
func (f *fake) layout(id int, field string) int {
	p := uintptr(0)
	if field != "" {
		n := cstring(field)
		p = uintptr(unsafe.Pointer(&n[0]))
	}
	return int(int32(f.call("fake_layout", uintptr(id), p)))
}

// queueEncoded queues callback id, filled by the C compiler's struct.
func (f *fake) queueEncoded(id int, vals []uint64, text []byte) {
	fv := fields(vals)
	tp := uintptr(0)
	if len(text) > 0 {
		tp = uintptr(unsafe.Pointer(&text[0]))
	}
	n := int(int32(f.call("fake_queue_encoded", uintptr(id), uintptr(unsafe.Pointer(&fv[0])), tp, uintptr(len(text)))))
	require.GreaterOrEqual(f.t, n, 0, "fake_queue_encoded(%d)", id)
}

// queueCallResult stores the result of call and queues its
// SteamAPICallCompleted.
func (f *fake) queueCallResult(call uint64, id int, vals []uint64, text []byte, failed bool) {
	fv := fields(vals)
	tp := uintptr(0)
	if len(text) > 0 {
		tp = uintptr(unsafe.Pointer(&text[0]))
	}
	n := int(int32(f.call("fake_queue_call_result", uintptr(call), uintptr(id), uintptr(unsafe.Pointer(&fv[0])), tp,
		uintptr(len(text)), cbool(failed))))
	require.GreaterOrEqual(f.t, n, 0, "fake_queue_call_result(%d)", id)
}

// storeCallResult stores data as the result of call (callback id) without
// announcing it; the test queues the SteamAPICallCompleted itself.
func (f *fake) storeCallResult(call uint64, id int, data []byte, failed bool) {
	p := uintptr(0)
	if len(data) > 0 {
		p = uintptr(unsafe.Pointer(&data[0]))
	}
	f.call("fake_store_call_result", uintptr(call), uintptr(id), p, uintptr(len(data)), cbool(failed))
}

func (f *fake) pending() int { return int(int32(f.call("fake_pending"))) }

// fixture is a Library over the fake and a steamgs.Server on it.
type fixture struct {
	lib  *Library
	fake *fake
	srv  *steamgs.Server
}

// baseConfig is a valid configuration for tests.
func baseConfig() steamgs.Config {
	return steamgs.Config{GamePort: 27015, QueryPort: 27016, Mode: steamgs.ModeAuthentication, Version: "1.0.0.0"}
}

// newFixture opens the shared fake, resets it and initializes a server;
// the server is shut down and the fake checked for protocol errors when
// the test ends.
func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	return newFixtureOf(t, fakeLibrary(t), 0, opts)
}

// newPackFixture is newFixture over the fake built with callback packing
// pack, with the Library told to decode that packing whatever the
// platform's.
func newPackFixture(t *testing.T, pack int, opts Options) *fixture {
	t.Helper()
	return newFixtureOf(t, fakePackLibrary(t, pack), pack, opts)
}

// newFixtureOf is newFixture over the fake at path; a pack other than 0
// replaces the platform's packing.
func newFixtureOf(t *testing.T, path string, pack int, opts Options) *fixture {
	t.Helper()
	lib, err := OpenWith(path, opts)
	require.NoError(t, err)
	if pack != 0 {
		lib.pack = pack
	}
	fx := &fixture{lib: lib, fake: openFake(t, lib.Path()), srv: steamgs.NewServer(lib)}
	fx.fake.reset(opts.Offline)
	require.NoError(t, fx.srv.Init(baseConfig()))
	t.Cleanup(func() {
		if fx.srv.Running() {
			require.NoError(t, fx.srv.Shutdown())
		}
		assert.Empty(t, fx.fake.protocolErrors(), "the fake saw protocol errors")
	})
	return fx
}

// conn returns the fixture's steamgs.Conn as this package's type, reached
// through steamgs.Server.Raw.
func (fx *fixture) conn(t *testing.T) *conn {
	t.Helper()
	return rawConn(t, fx.srv)
}

// rawConn returns the *conn under a running srv, through steamgs.Server.Raw.
func rawConn(t testing.TB, srv *steamgs.Server) *conn {
	t.Helper()
	var c *conn
	require.NoError(t, srv.Raw(func(raw any) error {
		var ok bool
		c, ok = raw.(*conn)
		require.True(t, ok, "the Conn is %T", raw)
		return nil
	}))
	return c
}

// drops returns the fixture's dropped callbacks, through the optional
// interface steamgs.CallbackDropCounter.
func (fx *fixture) drops(t *testing.T) []steamgs.CallbackDrop {
	t.Helper()
	return dropCounter(t, fx.srv).DroppedCallbacks()
}

// dropCounter returns the Conn under a running srv as the optional
// interface steamgs.CallbackDropCounter.
func dropCounter(t *testing.T, srv *steamgs.Server) steamgs.CallbackDropCounter {
	t.Helper()
	var dc steamgs.CallbackDropCounter
	require.NoError(t, srv.Raw(func(raw any) error {
		var ok bool
		dc, ok = raw.(steamgs.CallbackDropCounter)
		require.True(t, ok, "%T does not implement steamgs.CallbackDropCounter", raw)
		return nil
	}))
	return dc
}

// logOnReady sets what LogOn needs.
func logOnReady(t *testing.T, srv *steamgs.Server) {
	t.Helper()
	require.NoError(t, srv.SetProduct("480"))
	require.NoError(t, srv.SetGameDescription("Spacewar"))
	require.NoError(t, srv.SetModDir("spacewar"))
}

// collect runs the server's callbacks and returns them.
func collect(srv *steamgs.Server) []steamgs.Callback {
	var got []steamgs.Callback
	srv.RunCallbacks(func(cb steamgs.Callback) { got = append(got, cb) })
	return got
}
