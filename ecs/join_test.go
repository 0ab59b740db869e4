package ecs_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answersQueries offers an A2S_INFO request to h's server, runs a tick and
// reports whether Steam answered it (with a challenge or the reply).
func answersQueries(t *testing.T, h *ecstest.Harness) bool {
	t.Helper()
	h.Sent()
	info := append([]byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}, "Source Engine Query\x00"...)
	require.True(t, h.Offer(info, netip.MustParseAddrPort("127.0.0.1:40000")))
	h.Step(1)
	return len(h.Sent()) > 0
}

// TestNotAdvertisedWhileLoggedOff checks that a server the game wants
// advertised is not advertised (no A2S answers) before it logs on, while
// its connection is lost, and is again once Steam logs it back on.
func TestNotAdvertisedWhileLoggedOff(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true,
		Configure: func(s *components.SettingsData) { s.SetAdvertiseServerActive(true) }})
	st := h.Status()
	h.Step(2)
	assert.False(t, st.Advertised, "advertised before the log-on")
	assert.False(t, answersQueries(t, h), "A2S answered before the log-on")

	h.Settings().LogOnAnonymous()
	h.Step(2)
	require.True(t, st.LoggedOn)
	assert.True(t, st.Advertised, "logged on: advertised")
	assert.True(t, answersQueries(t, h), "A2S answered once logged on")

	h.Universe.DropConnection(5 * time.Second)
	h.Step(1)
	require.False(t, st.LoggedOn)
	assert.False(t, st.Advertised, "connection lost: advertised")
	assert.False(t, answersQueries(t, h), "A2S answered while the connection is lost")
	assert.True(t, h.Settings().Advertise(), "the game's setting is kept")

	h.Step(int(6 * time.Second / ecstest.DefaultTick))
	require.True(t, st.LoggedOn, "logged back on")
	assert.True(t, st.Advertised, "logged back on: advertised")
	assert.True(t, answersQueries(t, h), "A2S answered once logged back on")

	h.Settings().SetAdvertiseServerActive(false)
	h.Step(1)
	assert.False(t, st.Advertised, "the game turned advertising off")
	assert.False(t, answersQueries(t, h), "A2S answered with advertising off")
}

// TestLANServerAdvertises checks that a server in ModeNoAuthentication,
// which never logs on, advertises as its settings say.
func TestLANServerAdvertises(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true, Mode: steamgs.ModeNoAuthentication,
		Configure: func(s *components.SettingsData) { s.SetAdvertiseServerActive(true) }})
	h.Step(1)
	assert.False(t, h.Status().LoggedOn)
	assert.True(t, h.Status().Advertised)
	assert.True(t, answersQueries(t, h), "A2S answered by a LAN server")
}

// TestPendingPlayersTakeNoSlot runs the plugin over the embedded Steam with
// Steam's verdicts slowed down: players waiting for theirs do not fill the
// server; the approved ones do.
func TestPendingPlayersTakeNoSlot(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{Latency: time.Second,
		Configure: func(s *components.SettingsData) { s.SetMaxPlayerCount(2) }})
	h.Step(int(2 * time.Second / ecstest.DefaultTick)) // logged on, through the latency
	require.True(t, h.Status().LoggedOn)
	var ids []steamgs.SteamID
	for _, name := range []string{"alice", "bob", "carol"} {
		id := h.AddUser(name)
		require.NoError(t, h.Plugin.CheckJoin(id), "%s while the others wait", name)
		ticket, err := h.Ticket(id)
		require.NoError(t, err)
		h.Plugin.Join(id, name, ticket)
		ids = append(ids, id)
	}
	h.Step(1)
	st := h.Status()
	assert.Equal(t, 3, st.Pending, "waiting for Steam")
	assert.Equal(t, 0, st.Players)
	assert.ErrorIs(t, h.Plugin.CheckJoin(ids[0]), systems.ErrAlreadyJoined)

	h.Step(int(2 * time.Second / ecstest.DefaultTick))
	assert.Equal(t, 0, st.Pending)
	assert.Equal(t, 2, st.Players, "two approved; the third found the server full")
	assert.Equal(t, 2, h.Plugin.Sessions(), "the third's session ended")
	assert.ErrorIs(t, h.Plugin.CheckJoin(h.AddUser("dave")), systems.ErrServerFull)
}
