package steamgs_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

func TestRaw(t *testing.T) {
	t.Run("not running", func(t *testing.T) {
		s := steamgs.NewServer(&fakeBackend{conn: &fakeConn{}})
		called := false
		err := s.Raw(func(any) error { called = true; return nil })
		require.ErrorIs(t, err, steamgs.ErrNotInitialized)
		assert.EqualError(t, err, "steamgs: Raw called on a server that is not running; call Init first")
		assert.False(t, called, "Raw ran f on a server that is not running")
	})
	t.Run("runs f with the Conn", func(t *testing.T) {
		c := &fakeConn{status: steamgs.Status{QueryPort: 4242}}
		s := steamgs.NewServer(&fakeBackend{conn: c})
		require.NoError(t, s.Init(goodConfig))
		runs := 0
		err := s.Raw(func(conn any) error {
			runs++
			assert.Same(t, c, conn, "Raw must hand f the back end's Conn")
			// What only this back end offers is a type assertion away.
			fc, ok := conn.(*fakeConn)
			require.True(t, ok)
			assert.Equal(t, uint16(4242), fc.Status().QueryPort)
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, 1, runs, "times Raw ran f")
	})
	t.Run("returns f's error", func(t *testing.T) {
		s, _ := running(t)
		want := errors.New("from f")
		assert.Same(t, want, s.Raw(func(any) error { return want }), "Raw must return f's error as it is")
		wrapped := s.Raw(func(any) error { return steamgs.ErrUnsupported })
		assert.ErrorIs(t, wrapped, steamgs.ErrUnsupported)
	})
	t.Run("after Shutdown", func(t *testing.T) {
		s, f := running(t)
		require.NoError(t, s.Shutdown())
		f.rec.Reset()
		called := false
		require.ErrorIs(t, s.Raw(func(any) error { called = true; return nil }), steamgs.ErrNotInitialized)
		assert.False(t, called, "Raw ran f after Shutdown")
		assert.Empty(t, f.rec.Calls())
	})
}

// optionalConns are Conns with each combination of the optional
// interfaces.
func optionalConns() []struct {
	name                 string
	conn                 steamgs.Conn
	packets, userConnect bool
} {
	return []struct {
		name                 string
		conn                 steamgs.Conn
		packets, userConnect bool
	}{
		{"core only", &fakeConn{}, false, false},
		{"PacketConn", struct {
			*fakeConn
			*packets
		}{&fakeConn{}, &packets{handled: true}}, true, false},
		{"UserConnectConn", struct {
			*fakeConn
			*userConnect
		}{&fakeConn{}, &userConnect{connectID: user, connectOK: true}}, false, true},
		{"both", fullConn{&fakeConn{}, &packets{handled: true}, &userConnect{connectID: user, connectOK: true}}, true, true},
	}
}

// TestOptionalInterfaces checks that the calls of an optional interface
// the Conn lacks return ErrUnsupported, reach nothing, and that the others
// work.
func TestOptionalInterfaces(t *testing.T) {
	pkt := []byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}
	from := netip.MustParseAddrPort("10.0.0.1:5000")
	methods := []struct {
		name     string
		packets  bool // of PacketConn; else of UserConnectConn
		call     func(s *steamgs.Server) (err error, zero bool)
		mentions string
	}{
		{"HandleIncomingPacket", true, func(s *steamgs.Server) (error, bool) {
			ok, err := s.HandleIncomingPacket(pkt, from)
			return err, !ok
		}, "does not share the game socket"},
		{"HandleIncomingPacket of a game packet", true, func(s *steamgs.Server) (error, bool) {
			ok, err := s.HandleIncomingPacket([]byte{1, 2, 3, 4, 5}, from)
			return err, !ok
		}, "does not share the game socket"},
		{"GetNextOutgoingPacket", true, func(s *steamgs.Server) (error, bool) {
			n, to, err := s.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer))
			return err, n == 0 && !to.IsValid()
		}, "does not share the game socket"},
		{"SendUserConnectAndAuthenticate", false, func(s *steamgs.Server) (error, bool) {
			id, ok, err := s.SendUserConnectAndAuthenticate(netip.MustParseAddr("10.0.0.3"), []byte("ticket"))
			return err, id == 0 && !ok
		}, "no deprecated user-connect flow"},
		{"SendUserDisconnect", false, func(s *steamgs.Server) (error, bool) {
			return s.SendUserDisconnect(user), true
		}, "no deprecated user-connect flow"},
	}
	for _, c := range optionalConns() {
		for _, m := range methods {
			t.Run(c.name+"/"+m.name, func(t *testing.T) {
				s, rec := runningOver(t, c.conn)
				err, zero := m.call(s)
				if has := m.packets && c.packets || !m.packets && c.userConnect; has {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, steamgs.ErrUnsupported)
				assert.Regexp(t, `^steamgs: `+strings.Fields(m.name)[0]+`: the back end `, err.Error())
				assert.ErrorContains(t, err, m.mentions)
				assert.True(t, zero, "%s returned a value with ErrUnsupported", m.name)
				assert.Empty(t, rec.Calls(), "an unsupported call reached the back end")
			})
		}
	}
}

// TestCapabilitiesFromConn checks that SharedSocket and UserConnect come
// from the optional interfaces of the running server's Conn, whatever the
// Backend declares, and the other capabilities from the Backend.
func TestCapabilitiesFromConn(t *testing.T) {
	declared := steamgs.Capabilities{SteamConnection: true, MultipleServers: true, Queries: true}
	for _, c := range optionalConns() {
		for _, claims := range []bool{false, true} {
			name := c.name
			if claims {
				name += "/Backend claims both"
			}
			t.Run(name, func(t *testing.T) {
				caps := declared
				caps.SharedSocket, caps.UserConnect = claims, claims
				s := steamgs.NewServer(&fakeBackend{caps: caps, conn: c.conn})
				if !claims {
					assert.Equal(t, declared, s.Capabilities(), "Capabilities() before Init")
				}
				require.NoError(t, s.Init(goodConfig))
				want := declared
				want.SharedSocket, want.UserConnect = c.packets, c.userConnect
				assert.Equal(t, want, s.Capabilities(), "Capabilities() of a running server")
				require.NoError(t, s.Shutdown())
				if !claims {
					assert.Equal(t, declared, s.Capabilities(), "Capabilities() after Shutdown")
				}
			})
		}
	}
	t.Run("through a Recorder", func(t *testing.T) {
		s, _ := running(t)
		assert.True(t, s.Capabilities().SharedSocket, "a Recorder keeps PacketConn")
		assert.True(t, s.Capabilities().UserConnect, "a Recorder keeps UserConnectConn")
		s, _ = runningOver(t, steamgstest.NopConn{})
		assert.Equal(t, steamgs.Capabilities{}, s.Capabilities(), "a NopConn has no optional interface")
	})
}

func TestIdentityValidate(t *testing.T) {
	tests := []struct {
		name     string
		id       steamgs.Identity
		err      error
		mentions []string
	}{
		{"zero", steamgs.Identity{}, nil, nil},
		{"individual", steamgs.Identity{SteamID: user}, nil, nil},
		{"anonymous user", steamgs.Identity{SteamID: anonUser}, nil, nil},
		{"clan", steamgs.Identity{SteamID: clan}, nil, nil},
		{"game server", steamgs.Identity{SteamID: gameSrv}, nil, nil},
		{"anonymous game server account 0", steamgs.Identity{SteamID: anonSrv0}, nil, nil},
		{"IPv4 address", steamgs.Identity{Addr: netip.MustParseAddrPort("10.0.0.1:27015")}, nil, nil},
		{"IPv6 address", steamgs.Identity{Addr: netip.MustParseAddrPort("[2001:db8::1]:27015")}, nil, nil},
		{"address port 0", steamgs.Identity{Addr: netip.MustParseAddrPort("10.0.0.1:0")}, nil, nil},
		{"generic", steamgs.Identity{Generic: "lobby-7"}, nil, nil},
		{"generic at limit", steamgs.Identity{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen)}, nil, nil},
		{"generic too long", steamgs.Identity{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen+1)},
			steamgs.ErrTooLong, []string{"generic identity is 32 bytes, limit 31"}},
		{"generic in multi-byte runes", steamgs.Identity{Generic: strings.Repeat("é", 16)},
			steamgs.ErrTooLong, []string{"generic identity is 32 bytes, limit 31"}},
		{"generic with NUL", steamgs.Identity{Generic: "a\x00b"}, steamgs.ErrInvalidString,
			[]string{"generic identity", "NUL", "at 1"}},
		{"no account", steamgs.Identity{SteamID: noAccount}, steamgs.ErrInvalidSteamID,
			[]string{"identity Steam ID " + noAccount.String(), "not a valid Steam ID"}},
		{"individual instance 0", steamgs.Identity{SteamID: user0}, steamgs.ErrInvalidSteamID, []string{user0.String()}},
		{"individual instance 2", steamgs.Identity{SteamID: user2}, steamgs.ErrInvalidSteamID, []string{user2.String()}},
		{"clan instance 1", steamgs.Identity{SteamID: clan1}, steamgs.ErrInvalidSteamID, []string{clan1.String()}},
		{"Steam ID and address", steamgs.Identity{SteamID: user, Addr: netip.MustParseAddrPort("10.0.0.1:1")},
			steamgs.ErrOutOfRange, []string{"identity sets 2 of SteamID, Addr and Generic, want at most 1"}},
		{"address and generic", steamgs.Identity{Addr: netip.MustParseAddrPort("10.0.0.1:1"), Generic: "g"},
			steamgs.ErrOutOfRange, []string{"sets 2 of"}},
		{"all three", steamgs.Identity{SteamID: user, Addr: netip.MustParseAddrPort("10.0.0.1:1"), Generic: "g"},
			steamgs.ErrOutOfRange, []string{"sets 3 of"}},
		// A bad field is reported before the count.
		{"bad Steam ID and generic", steamgs.Identity{SteamID: noAccount, Generic: "g"}, steamgs.ErrInvalidSteamID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.id.Validate()
			s, f := running(t)
			f.ticketHandle, f.ticket = 1, []byte{1}
			_, _, ticketErr := s.GetAuthSessionTicket(tt.id)
			if tt.err == nil {
				require.NoError(t, err)
				require.NoError(t, ticketErr, "GetAuthSessionTicket of an identity Validate takes")
				return
			}
			require.ErrorIs(t, err, tt.err)
			assert.Regexp(t, `^steamgs: `, err.Error())
			for _, m := range tt.mentions {
				assert.ErrorContains(t, err, m)
			}
			assert.EqualError(t, ticketErr, err.Error(), "GetAuthSessionTicket refuses as Validate does")
			assert.Empty(t, f.rec.Calls())
		})
	}
}

// TestWasRestartRequested checks that WasRestartRequested reports each
// restart request that the Status().Restarts counter counts once: none is
// lost and none is reported twice, however the reads fall.
func TestWasRestartRequested(t *testing.T) {
	s, f := running(t)
	reads := func(n int) []bool {
		got := make([]bool, n)
		for i := range got {
			got[i] = s.WasRestartRequested()
		}
		return got
	}
	assert.Equal(t, []bool{false, false}, reads(2), "no request")
	f.status.Restarts = 1
	assert.Equal(t, []bool{true, false, false}, reads(3), "one request")
	f.status.Restarts = 3
	assert.Equal(t, []bool{true, true, false}, reads(3), "two requests: two trues")
	f.status.Restarts++
	assert.Equal(t, []bool{true}, reads(1))
	f.status.Restarts++ // a request arrives between two reads
	f.status.Restarts++ // and another before the next read
	assert.Equal(t, []bool{true, true, false}, reads(3), "requests between reads are not lost")
	// Other readers of Status consume nothing.
	f.status.Restarts++
	s.LoggedOn()
	s.SteamID()
	s.QueryPort()
	assert.Equal(t, []bool{true, false}, reads(2), "a request read by other getters first")
	f.rec.Reset()
	reads(4)
	assert.Equal(t, 4, f.rec.Count("Status"), "each WasRestartRequested reads Status once")
	assert.Len(t, f.rec.Calls(), 4, "WasRestartRequested calls only Status")

	t.Run("counted per Conn", func(t *testing.T) {
		c := &fakeConn{status: steamgs.Status{Restarts: 2}}
		b := &fakeBackend{conn: c}
		s := steamgs.NewServer(b)
		require.NoError(t, s.Init(goodConfig))
		assert.Equal(t, []bool{true, true, false}, []bool{s.WasRestartRequested(), s.WasRestartRequested(),
			s.WasRestartRequested()})
		require.NoError(t, s.Shutdown())
		assert.False(t, s.WasRestartRequested(), "WasRestartRequested after Shutdown")
		// A new Conn counts from zero.
		b.conn = &fakeConn{status: steamgs.Status{Restarts: 1}}
		require.NoError(t, s.Init(goodConfig))
		assert.Equal(t, []bool{true, false}, []bool{s.WasRestartRequested(), s.WasRestartRequested()},
			"after a new Init")
	})
}

// TestRequests checks the Request each request method hands the back end
// and how it answers when the back end makes no request.
func TestRequests(t *testing.T) {
	tests := []struct {
		name string
		do   func(s *steamgs.Server) (got any)
		req  steamgs.Request
		made any // the answer when the back end makes the request, with APICall 31
		not  any // the answer when it makes none (APICall 0, false)
	}{
		{"AssociateWithClan", func(s *steamgs.Server) any {
			h, err := s.AssociateWithClan(clan)
			return [2]any{h, err}
		}, steamgs.Request{Kind: steamgs.RequestAssociateWithClan, Group: clan},
			[2]any{steamgs.APICall(31), nil}, [2]any{steamgs.APICall(0), nil}},
		{"ComputeNewPlayerCompatibility", func(s *steamgs.Server) any {
			h, err := s.ComputeNewPlayerCompatibility(anonUser)
			return [2]any{h, err}
		}, steamgs.Request{Kind: steamgs.RequestPlayerCompatibility, User: anonUser},
			[2]any{steamgs.APICall(31), nil}, [2]any{steamgs.APICall(0), nil}},
		{"GetServerReputation", func(s *steamgs.Server) any {
			h, err := s.GetServerReputation()
			return [2]any{h, err}
		}, steamgs.Request{Kind: steamgs.RequestServerReputation},
			[2]any{steamgs.APICall(31), nil}, [2]any{steamgs.APICall(0), nil}},
		{"RequestUserGroupStatus", func(s *steamgs.Server) any {
			ok, err := s.RequestUserGroupStatus(user, clan)
			return [2]any{ok, err}
		}, steamgs.Request{Kind: steamgs.RequestUserGroupStatus, User: user, Group: clan},
			[2]any{true, nil}, [2]any{false, nil}},
		{"GetGameplayStats", func(s *steamgs.Server) any {
			return s.GetGameplayStats()
		}, steamgs.Request{Kind: steamgs.RequestGameplayStats}, nil, nil},
	}
	for _, tt := range tests {
		for _, made := range []bool{true, false} {
			name := tt.name + "/made"
			if !made {
				name = tt.name + "/not made"
			}
			t.Run(name, func(t *testing.T) {
				s, f := running(t)
				want := tt.not
				if made {
					f.apiCall, f.requested, want = 31, true, tt.made
				}
				assert.Equal(t, want, tt.do(s))
				assert.Equal(t, calls(op("Request", tt.req)), f.rec.Calls())
			})
		}
	}
}
