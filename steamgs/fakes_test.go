package steamgs_test

import (
	"maps"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

// The test doubles. Each Conn embeds steamgstest.NopConn and writes only
// the methods its tests read answers from; a steamgstest.Recorder around
// the back end logs every call that reaches it.

// fakeBackend is a steamgs.Backend whose Open returns conn, or openErr. It
// keeps the configs it was asked to open.
type fakeBackend struct {
	caps    steamgs.Capabilities
	openErr error
	conn    steamgs.Conn
	opened  []steamgs.Config
}

func (b *fakeBackend) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	b.opened = append(b.opened, cfg)
	if b.openErr != nil {
		return nil, b.openErr
	}
	return b.conn, nil
}

func (b *fakeBackend) Capabilities() steamgs.Capabilities { return b.caps }

// fakeConn is a Conn with canned answers that keeps the settings Apply last
// gave it.
type fakeConn struct {
	steamgstest.NopConn
	closeErr     error
	callbacks    []steamgs.Callback
	status       steamgs.Status
	ticketHandle steamgs.AuthTicket
	ticket       []byte
	ticketLen    int // when non-zero, the length GetAuthSessionTicket reports instead of the bytes copied
	beginResult  steamgs.BeginAuthSessionResult
	license      steamgs.LicenseResult
	updated      bool
	unauthID     steamgs.SteamID
	apiCall      steamgs.APICall
	requested    bool // the second result of Request
	settings     steamgs.Settings
}

func (c *fakeConn) Close() error { return c.closeErr }

func (c *fakeConn) RunCallbacks(emit func(steamgs.Callback)) {
	for _, cb := range c.callbacks {
		emit(cb)
	}
}

// Apply copies s, key/values too: s is valid only during the call.
func (c *fakeConn) Apply(s *steamgs.Settings, _ steamgs.Field) {
	c.settings = *s
	c.settings.KeyValues = maps.Clone(s.KeyValues)
}

func (c *fakeConn) Status() steamgs.Status { return c.status }

func (c *fakeConn) GetAuthSessionTicket(buf []byte, _ steamgs.Identity) (steamgs.AuthTicket, int) {
	n := copy(buf, c.ticket)
	if c.ticketLen != 0 {
		n = c.ticketLen
	}
	return c.ticketHandle, n
}

func (c *fakeConn) BeginAuthSession([]byte, steamgs.SteamID) steamgs.BeginAuthSessionResult {
	return c.beginResult
}

func (c *fakeConn) UserHasLicenseForApp(steamgs.SteamID, steamgs.AppID) steamgs.LicenseResult {
	return c.license
}

func (c *fakeConn) UpdateUserData(steamgs.SteamID, string, uint32) bool  { return c.updated }
func (c *fakeConn) CreateUnauthenticatedUserConnection() steamgs.SteamID { return c.unauthID }
func (c *fakeConn) Request(steamgs.Request) (steamgs.APICall, bool)      { return c.apiCall, c.requested }

// packets gives a Conn that embeds it the methods of steamgs.PacketConn.
type packets struct {
	handled    bool
	outgoing   []byte
	outgoingTo netip.AddrPort
}

func (p *packets) HandleIncomingPacket([]byte, netip.AddrPort) bool { return p.handled }
func (p *packets) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	return copy(buf, p.outgoing), p.outgoingTo
}

// userConnect gives a Conn that embeds it the methods of
// steamgs.UserConnectConn.
type userConnect struct {
	connectID steamgs.SteamID
	connectOK bool
}

func (u *userConnect) SendUserConnectAndAuthenticate(netip.Addr, []byte) (steamgs.SteamID, bool) {
	return u.connectID, u.connectOK
}
func (*userConnect) SendUserDisconnect(steamgs.SteamID) {}

// fullConn is a fakeConn with both optional interfaces.
type fullConn struct {
	*fakeConn
	*packets
	*userConnect
}

// fake is what a test sees of a running server's back end: the answers of
// its Conn, and the Recorder of every call that reaches it.
type fake struct {
	fullConn
	rec *steamgstest.Recorder
}

// goodConfig is a Config that Init accepts.
var goodConfig = steamgs.Config{
	IP:        netip.MustParseAddr("127.0.0.1"),
	GamePort:  27015,
	QueryPort: 27016,
	Mode:      steamgs.ModeAuthentication,
	Version:   "1.0.0.0",
	AppID:     480,
}

// ticketBuffer is the size of the buffer GetAuthSessionTicket hands the back
// end (steamgs's unexported authTicketBuffer).
const ticketBuffer = 4096

// runningOver returns a server initialized with goodConfig over conn, with
// a Recorder of the calls that reach conn; its log starts empty.
func runningOver(t testing.TB, conn steamgs.Conn) (*steamgs.Server, *steamgstest.Recorder) {
	t.Helper()
	rec := steamgstest.NewRecorder(&fakeBackend{conn: conn})
	s := steamgs.NewServer(rec)
	require.NoError(t, s.Init(goodConfig))
	rec.Reset()
	return s, rec
}

// running returns a server initialized over a new fullConn.
func running(t testing.TB) (*steamgs.Server, fake) {
	t.Helper()
	c := fullConn{&fakeConn{}, &packets{}, &userConnect{}}
	s, rec := runningOver(t, c)
	return s, fake{c, rec}
}

// ready returns a running server whose required settings (product and game
// description, no more) are set, so that it may log on, with an empty call
// log.
func ready(t *testing.T) (*steamgs.Server, fake) {
	t.Helper()
	s, f := running(t)
	require.NoError(t, s.SetProduct("480"))
	require.NoError(t, s.SetGameDescription("Spacewar"))
	f.rec.Reset()
	return s, f
}

// op builds a call as a Recorder logs it.
func op(method string, args ...any) steamgstest.Call {
	return steamgstest.Call{Method: method, Args: args}
}

// calls builds a call log.
func calls(cs ...steamgstest.Call) []steamgstest.Call { return cs }

// benchConn does what the benchmarks call and allocates nothing, so that a
// benchmark measures Server alone.
type benchConn struct{ steamgstest.NopConn }

func (benchConn) HandleIncomingPacket([]byte, netip.AddrPort) bool    { return true }
func (benchConn) GetNextOutgoingPacket([]byte) (int, netip.AddrPort)  { return 0, netip.AddrPort{} }
func (benchConn) UpdateUserData(steamgs.SteamID, string, uint32) bool { return true }
func (benchConn) BeginAuthSession([]byte, steamgs.SteamID) steamgs.BeginAuthSessionResult {
	return steamgs.BeginAuthOK
}

// benchServer returns a running server over a benchConn.
func benchServer(b *testing.B) *steamgs.Server {
	b.Helper()
	s := steamgs.NewServer(&fakeBackend{conn: benchConn{}})
	require.NoError(b, s.Init(goodConfig))
	return s
}
