package local_test

import (
	"net/netip"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// start is the time every test's manual clock starts at.
var start = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// The app the test servers run, and a DLC of it.
const (
	app steamgs.AppID = 480
	dlc steamgs.AppID = 481
)

var loopback = netip.MustParseAddr("127.0.0.1")

// harness is a universe on a manual clock with one server.
type harness struct {
	t       *testing.T
	latency time.Duration
	clock   *local.ManualClock
	u       *local.Universe
	srv     *steamgs.Server
}

// newHarness makes a universe from opts (its clock replaced by a manual one
// unless set) and an initialized server in mode, sharing the game socket.
func newHarness(t *testing.T, opts local.Options, mode steamgs.ServerMode) *harness {
	t.Helper()
	h := &harness{t: t, latency: opts.Latency}
	if opts.Clock == nil {
		h.clock = local.NewManualClock(start)
		opts.Clock = h.clock
	} else {
		h.clock, _ = opts.Clock.(*local.ManualClock)
	}
	u, err := local.NewUniverse(opts)
	require.NoError(t, err)
	h.u = u
	h.srv = h.server(mode, steamgs.QueryPortShared)
	return h
}

// server initializes another server of the universe, shut down when the
// test ends.
func (h *harness) server(mode steamgs.ServerMode, queryPort uint16) *steamgs.Server {
	h.t.Helper()
	srv := steamgs.NewServer(h.u)
	require.NoError(h.t, srv.Init(steamgs.Config{IP: loopback, GamePort: 27015, QueryPort: queryPort,
		Mode: mode, Version: "1.2.3.4", AppID: app}))
	h.t.Cleanup(func() {
		if srv.Running() {
			require.NoError(h.t, srv.Shutdown())
		}
	})
	require.NoError(h.t, srv.SetProduct("480"))
	require.NoError(h.t, srv.SetGameDescription("Spacewar"))
	require.NoError(h.t, srv.SetModDir("spacewar"))
	return srv
}

// raw calls f with the *local.Server of srv, reached through
// steamgs.Server.Raw.
func raw(t *testing.T, srv *steamgs.Server, f func(ls *local.Server)) {
	t.Helper()
	require.NoError(t, srv.Raw(func(c any) error {
		ls, ok := c.(*local.Server)
		require.True(t, ok, "the connection is a %T, want a *local.Server", c)
		f(ls)
		return nil
	}))
}

// collect runs srv's callbacks and returns them.
func collect(srv *steamgs.Server) []steamgs.Callback {
	var cbs []steamgs.Callback
	srv.RunCallbacks(func(cb steamgs.Callback) { cbs = append(cbs, cb) })
	return cbs
}

// run runs the harness server's callbacks.
func (h *harness) run() []steamgs.Callback { return collect(h.srv) }

// logOn logs srv on anonymously, waiting for the latency, and checks that it
// connected.
func (h *harness) logOn(srv *steamgs.Server) {
	h.t.Helper()
	require.NoError(h.t, srv.LogOnAnonymous())
	h.clock.Advance(h.latency)
	cbs := collect(srv)
	require.Contains(h.t, cbs, steamgs.ServerConnected{})
	require.True(h.t, srv.LoggedOn())
}

// user adds a user owning the app and its DLC.
func (h *harness) user(name string) steamgs.SteamID {
	return h.u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{app, dlc}})
}

// ticket makes a ticket of user for the app.
func (h *harness) ticket(user steamgs.SteamID, forID steamgs.Identity) []byte {
	h.t.Helper()
	_, b, err := h.u.GetAuthSessionTicket(user, app, forID)
	require.NoError(h.t, err)
	return b
}

// verdicts returns the ValidateAuthTicketResponses among cbs.
func verdicts(cbs []steamgs.Callback) []steamgs.ValidateAuthTicketResponse {
	var out []steamgs.ValidateAuthTicketResponse
	for _, cb := range cbs {
		if v, ok := cb.(steamgs.ValidateAuthTicketResponse); ok {
			out = append(out, v)
		}
	}
	return out
}

// verdict is the ValidateAuthTicketResponse of user with resp.
func verdict(user steamgs.SteamID, resp steamgs.AuthSessionResponse) steamgs.ValidateAuthTicketResponse {
	return steamgs.ValidateAuthTicketResponse{SteamID: user, Response: resp, Owner: user}
}

// netip4 returns the IPv4 address a.b.c.d.
func netip4(a, b, c, d byte) netip.Addr { return netip.AddrFrom4([4]byte{a, b, c, d}) }
