package steamworks

import (
	"fmt"
	"math"
	"net/netip"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxUser is the largest individual Steam ID steamgs accepts: universe Dev,
// the desktop instance (the only one CSteamID::IsValid lets an individual
// have), account 0xFFFFFFFF.
var maxUser = steamgs.NewSteamID(steamgs.UniverseDev, steamgs.AccountTypeIndividual, steamgs.InstanceDesktop, math.MaxUint32)

// gsCase is one call through steamgs.Server (or the Conn under it) and the
// C calls the fake must have seen: want alone, or calls when it is set.
type gsCase struct {
	name  string
	prep  func(t *testing.T, fx *fixture)
	rets  map[string]uint64
	call  func(t *testing.T, fx *fixture) any
	want  string   // the C call, as the fake renders it
	calls []string // the C calls, for a call that makes several
	res   any      // what call returns
}

// statusCalls are the C calls of Conn.Status, in order, as the fake
// renders them.
var statusCalls = []string{"BLoggedOn(self)", "BSecure(self)", "GetSteamID(self)", "GetPublicIP(self)",
	"WasRestartRequested(self)"}

// errAny returns err as an any that is nil when err is.
func errAny(err error) any {
	if err != nil {
		return err
	}
	return nil
}

// u renders a uint64 as the fake prints it.
func u(v uint64) string { return fmt.Sprint(v) }

func gameServerCases() []gsCase {
	user := steamgs.IndividualID(42)
	name63 := strings.Repeat("n", steamgs.MaxServerNameLen)
	data2047 := strings.Repeat("d", steamgs.MaxGameDataLen)
	ready := func(t *testing.T, fx *fixture) { logOnReady(t, fx.srv) }
	loggedOn := func(t *testing.T, fx *fixture) {
		logOnReady(t, fx.srv)
		require.NoError(t, fx.srv.LogOnAnonymous())
	}
	return []gsCase{
		{name: "SetProduct", call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.SetProduct("480")) },
			want: `SetProduct(self, "480")`},
		{name: "SetGameDescription/UTF-8", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetGameDescription("Spacewar \u2713"))
		}, want: `SetGameDescription(self, "Spacewar \xe2\x9c\x93")`},
		{name: "SetModDir", call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.SetModDir("spacewar")) },
			want: `SetModDir(self, "spacewar")`},
		{name: "SetDedicatedServer/true", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetDedicatedServer(true))
		}, want: `SetDedicatedServer(self, true)`},
		{name: "SetDedicatedServer/false", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetDedicatedServer(false))
		}, want: `SetDedicatedServer(self, false)`},
		{name: "LogOn", prep: ready, call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.LogOn("0123456789ABCDEF0123456789ABCDEF"))
		}, want: `LogOn(self, "0123456789ABCDEF0123456789ABCDEF")`},
		{name: "LogOnAnonymous", prep: ready, call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.LogOnAnonymous())
		}, want: `LogOnAnonymous(self)`},
		{name: "LogOff", prep: loggedOn, call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.LogOff()) },
			want: `LogOff(self)`},
		{name: "BLoggedOn/true", rets: map[string]uint64{"BLoggedOn": 1},
			call: func(t *testing.T, fx *fixture) any { return fx.srv.LoggedOn() }, calls: statusCalls, res: true},
		{name: "BLoggedOn/false", call: func(t *testing.T, fx *fixture) any { return fx.srv.LoggedOn() },
			calls: statusCalls, res: false},
		{name: "BSecure", rets: map[string]uint64{"BSecure": 1},
			call: func(t *testing.T, fx *fixture) any { return fx.srv.Secure() }, calls: statusCalls, res: true},
		{name: "GetSteamID/max", rets: map[string]uint64{"GetSteamID": math.MaxUint64},
			call: func(t *testing.T, fx *fixture) any { return fx.srv.SteamID() }, calls: statusCalls,
			res: steamgs.SteamID(math.MaxUint64)},
		{name: "WasRestartRequested", rets: map[string]uint64{"WasRestartRequested": 1},
			call:  func(t *testing.T, fx *fixture) any { return fx.srv.WasRestartRequested() },
			calls: statusCalls, res: true},
		{name: "SetMaxPlayerCount", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetMaxPlayerCount(steamgs.MaxPlayerCount))
		}, want: `SetMaxPlayerCount(self, 2147483647)`},
		{name: "SetBotPlayerCount", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetBotPlayerCount(17))
		}, want: `SetBotPlayerCount(self, 17)`},
		{name: "SetServerName/63 bytes", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetServerName(name63))
		}, want: `SetServerName(self, "` + name63 + `")`},
		{name: "SetMapName", call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.SetMapName("de_dust")) },
			want: `SetMapName(self, "de_dust")`},
		{name: "SetPasswordProtected", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetPasswordProtected(true))
		}, want: `SetPasswordProtected(self, true)`},
		{name: "SetSpectatorPort", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetSpectatorPort(65535))
		}, want: `SetSpectatorPort(self, 65535)`},
		{name: "SetSpectatorServerName", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetSpectatorServerName("spec \"tv\""))
		}, want: `SetSpectatorServerName(self, "spec \x22tv\x22")`},
		{name: "ClearAllKeyValues", prep: func(t *testing.T, fx *fixture) { require.NoError(t, fx.srv.SetKeyValue("k", "v")) },
			call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.ClearAllKeyValues()) },
			want: `ClearAllKeyValues(self)`},
		{name: "SetKeyValue", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetKeyValue("mode", "capture the flag"))
		}, want: `SetKeyValue(self, "mode", "capture the flag")`},
		{name: "SetKeyValue/empty value", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetKeyValue("k", ""))
		}, want: `SetKeyValue(self, "k", "")`},
		{name: "SetGameTags", call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.SetGameTags("a,b;c")) },
			want: `SetGameTags(self, "a,b;c")`},
		{name: "SetGameData/2047 bytes", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetGameData(data2047))
		}, want: `SetGameData(self, "` + data2047 + `")`},
		{name: "SetRegion/empty", call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.SetRegion("")) },
			want: `SetRegion(self, "")`},
		{name: "SetAdvertiseServerActive", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.SetAdvertiseServerActive(true))
		}, want: `SetAdvertiseServerActive(self, true)`},
		{name: "GetAuthSessionTicket/no identity", rets: map[string]uint64{"GetAuthSessionTicket": math.MaxUint32},
			prep: func(t *testing.T, fx *fixture) { fx.fake.setTicket([]byte{1, 2, 0, 0xFF, 5}) },
			call: func(t *testing.T, fx *fixture) any {
				h, b, err := fx.srv.GetAuthSessionTicket(steamgs.Identity{})
				require.NoError(t, err)
				return fmt.Sprint(h, b)
			}, want: `GetAuthSessionTicket(self, 4096, NULL)`, res: "4294967295 [1 2 0 255 5]"},
		{name: "BeginAuthSession", rets: map[string]uint64{"BeginAuthSession": 5},
			call: func(t *testing.T, fx *fixture) any {
				r, err := fx.srv.BeginAuthSession([]byte{0x14, 0, 0xAB}, maxUser)
				require.NoError(t, err)
				return r
			}, want: `BeginAuthSession(self, 1400ab, 3, ` + u(uint64(maxUser)) + `)`, res: steamgs.BeginAuthExpiredTicket},
		{name: "BeginAuthSession/negative result", rets: map[string]uint64{"BeginAuthSession": math.MaxUint32},
			call: func(t *testing.T, fx *fixture) any {
				r, err := fx.srv.BeginAuthSession([]byte{1}, user)
				require.NoError(t, err)
				return r
			}, want: `BeginAuthSession(self, 01, 1, ` + u(uint64(user)) + `)`, res: steamgs.BeginAuthSessionResult(-1)},
		{name: "EndAuthSession", call: func(t *testing.T, fx *fixture) any { return errAny(fx.srv.EndAuthSession(maxUser)) },
			want: `EndAuthSession(self, ` + u(uint64(maxUser)) + `)`},
		{name: "EndAuthSession/max uint64 through Conn", call: func(t *testing.T, fx *fixture) any {
			fx.conn(t).EndAuthSession(steamgs.SteamID(math.MaxUint64))
			return nil
		}, want: `EndAuthSession(self, 18446744073709551615)`},
		{name: "CancelAuthTicket", call: func(t *testing.T, fx *fixture) any {
			return errAny(fx.srv.CancelAuthTicket(math.MaxUint32))
		}, want: `CancelAuthTicket(self, 4294967295)`},
		{name: "UserHasLicenseForApp", rets: map[string]uint64{"UserHasLicenseForApp": 1},
			call: func(t *testing.T, fx *fixture) any {
				r, err := fx.srv.UserHasLicenseForApp(user, math.MaxUint32)
				require.NoError(t, err)
				return r
			}, want: `UserHasLicenseForApp(self, ` + u(uint64(user)) + `, 4294967295)`, res: steamgs.DoesNotHaveLicense},
		{name: "RequestUserGroupStatus", rets: map[string]uint64{"RequestUserGroupStatus": 1},
			call: func(t *testing.T, fx *fixture) any {
				ok, err := fx.srv.RequestUserGroupStatus(user, steamgs.ClanID(math.MaxUint32))
				require.NoError(t, err)
				return ok
			}, want: `RequestUserGroupStatus(self, ` + u(uint64(user)) + `, ` + u(uint64(steamgs.ClanID(math.MaxUint32))) + `)`,
			res: true},
		{name: "RequestUserGroupStatus/max uint64 through Conn", call: func(t *testing.T, fx *fixture) any {
			return fmt.Sprint(fx.conn(t).Request(steamgs.Request{Kind: steamgs.RequestUserGroupStatus,
				User: math.MaxUint64, Group: math.MaxUint64 - 1}))
		}, want: `RequestUserGroupStatus(self, 18446744073709551615, 18446744073709551614)`, res: "0 false"},
		{name: "GetGameplayStats", call: func(t *testing.T, fx *fixture) any {
			//lint:ignore SA1019 the deprecated call is what is tested
			return errAny(fx.srv.GetGameplayStats())
		}, want: `GetGameplayStats(self)`},
		{name: "GetServerReputation", rets: map[string]uint64{"GetServerReputation": math.MaxUint64},
			call: func(t *testing.T, fx *fixture) any {
				//lint:ignore SA1019 the deprecated call is what is tested
				c, err := fx.srv.GetServerReputation()
				require.NoError(t, err)
				return c
			}, want: `GetServerReputation(self)`, res: steamgs.APICall(math.MaxUint64)},
		{name: "GetPublicIP", prep: func(t *testing.T, fx *fixture) {
			fx.fake.setPublicIP([16]byte{4, 3, 2, 1}, 0)
		}, call: func(t *testing.T, fx *fixture) any { return fx.srv.PublicIP() },
			calls: statusCalls, res: netip.MustParseAddr("1.2.3.4")},
		{name: "HandleIncomingPacket", rets: map[string]uint64{"HandleIncomingPacket": 1},
			call: func(t *testing.T, fx *fixture) any {
				ok, err := fx.srv.HandleIncomingPacket([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0x54, 0x00},
					netip.MustParseAddrPort("10.0.0.1:27005"))
				require.NoError(t, err)
				return ok
			}, want: `HandleIncomingPacket(self, ffffffff5400, 6, 167772161, 27005)`, res: true},
		{name: "GetNextOutgoingPacket", rets: map[string]uint64{"packet_ip": 0xC0A80102, "packet_port": 65535},
			prep: func(t *testing.T, fx *fixture) { fx.fake.setPacket([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0x49}) },
			call: func(t *testing.T, fx *fixture) any {
				buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
				n, to, err := fx.srv.GetNextOutgoingPacket(buf)
				require.NoError(t, err)
				return fmt.Sprintf("%x %s", buf[:n], to)
			}, want: fmt.Sprintf(`GetNextOutgoingPacket(self, %d)`, steamgs.MinOutgoingPacketBuffer), res: "ffffffff49 192.168.1.2:65535"},
		{name: "GetNextOutgoingPacket/none", call: func(t *testing.T, fx *fixture) any {
			buf := make([]byte, steamgs.MinOutgoingPacketBuffer+100)
			n, to, err := fx.srv.GetNextOutgoingPacket(buf)
			require.NoError(t, err)
			return fmt.Sprint(n, to.IsValid())
		}, want: fmt.Sprintf(`GetNextOutgoingPacket(self, %d)`, steamgs.MinOutgoingPacketBuffer+100), res: "0 false"},
		{name: "AssociateWithClan", rets: map[string]uint64{"AssociateWithClan": 1<<63 + 1},
			call: func(t *testing.T, fx *fixture) any {
				c, err := fx.srv.AssociateWithClan(steamgs.ClanID(7))
				require.NoError(t, err)
				return c
			}, want: `AssociateWithClan(self, ` + u(uint64(steamgs.ClanID(7))) + `)`, res: steamgs.APICall(1<<63 + 1)},
		{name: "ComputeNewPlayerCompatibility", rets: map[string]uint64{"ComputeNewPlayerCompatibility": 123},
			call: func(t *testing.T, fx *fixture) any {
				c, err := fx.srv.ComputeNewPlayerCompatibility(maxUser)
				require.NoError(t, err)
				return c
			}, want: `ComputeNewPlayerCompatibility(self, ` + u(uint64(maxUser)) + `)`, res: steamgs.APICall(123)},
		{name: "SendUserConnectAndAuthenticate",
			rets: map[string]uint64{"SendUserConnectAndAuthenticate_DEPRECATED": 1, "connect_steamid": math.MaxUint64},
			call: func(t *testing.T, fx *fixture) any {
				//lint:ignore SA1019 the deprecated call is what is tested
				id, ok, err := fx.srv.SendUserConnectAndAuthenticate(netip.MustParseAddr("255.1.2.3"), []byte{9, 8})
				require.NoError(t, err)
				return fmt.Sprint(uint64(id), ok)
			}, want: `SendUserConnectAndAuthenticate_DEPRECATED(self, 4278256131, 0908, 2)`, res: "18446744073709551615 true"},
		{name: "SendUserConnectAndAuthenticate/refused", rets: map[string]uint64{"connect_steamid": 5},
			call: func(t *testing.T, fx *fixture) any {
				//lint:ignore SA1019 the deprecated call is what is tested
				id, ok, err := fx.srv.SendUserConnectAndAuthenticate(netip.MustParseAddr("::ffff:1.2.3.4"), []byte{1})
				require.NoError(t, err)
				return fmt.Sprint(uint64(id), ok)
			}, want: `SendUserConnectAndAuthenticate_DEPRECATED(self, 16909060, 01, 1)`, res: "0 false"},
		{name: "CreateUnauthenticatedUserConnection",
			rets: map[string]uint64{"CreateUnauthenticatedUserConnection": uint64(steamgs.NewSteamID(1, steamgs.AccountTypeAnonUser, 0, 77))},
			call: func(t *testing.T, fx *fixture) any {
				id, err := fx.srv.CreateUnauthenticatedUserConnection()
				require.NoError(t, err)
				return id
			}, want: `CreateUnauthenticatedUserConnection(self)`, res: steamgs.NewSteamID(1, steamgs.AccountTypeAnonUser, 0, 77)},
		{name: "SendUserDisconnect", call: func(t *testing.T, fx *fixture) any {
			//lint:ignore SA1019 the deprecated call is what is tested
			return errAny(fx.srv.SendUserDisconnect(maxUser))
		}, want: `SendUserDisconnect_DEPRECATED(self, ` + u(uint64(maxUser)) + `)`},
		{name: "BUpdateUserData", rets: map[string]uint64{"BUpdateUserData": 1},
			call: func(t *testing.T, fx *fixture) any {
				ok, err := fx.srv.UpdateUserData(user, "J\u00f6rg \"\\\"", math.MaxUint32)
				require.NoError(t, err)
				return ok
			}, want: `BUpdateUserData(self, ` + u(uint64(user)) + `, "J\xc3\xb6rg \x22\x5c\x22", 4294967295)`, res: true},
		{name: "BUpdateUserData/not a player", call: func(t *testing.T, fx *fixture) any {
			ok, err := fx.srv.UpdateUserData(user, "", 0)
			require.NoError(t, err)
			return ok
		}, want: `BUpdateUserData(self, ` + u(uint64(user)) + `, "", 0)`, res: false},
		{name: "LogOn/empty token through Conn", call: func(t *testing.T, fx *fixture) any {
			fx.conn(t).LogOn("")
			return nil
		}, want: `LogOnAnonymous(self)`},
		{name: "SetMaxPlayerCount/negative through Conn", call: func(t *testing.T, fx *fixture) any {
			fx.conn(t).Apply(&steamgs.Settings{MaxPlayers: -1}, steamgs.FieldMaxPlayers)
			return nil
		}, want: `SetMaxPlayerCount(self, -1)`},
		{name: "SetBotPlayerCount/past int32 through Conn", call: func(t *testing.T, fx *fixture) any {
			fx.conn(t).Apply(&steamgs.Settings{Bots: 1<<32 + 5}, steamgs.FieldBots)
			return nil
		}, want: `SetBotPlayerCount(self, 5)`},
		{name: "SetProduct/empty through Conn", call: func(t *testing.T, fx *fixture) any {
			fx.conn(t).Apply(&steamgs.Settings{}, steamgs.FieldProduct)
			return nil
		}, want: `SetProduct(self, "")`},
		{name: "AssociateWithClan/invalid call through Conn", call: func(t *testing.T, fx *fixture) any {
			return fmt.Sprint(fx.conn(t).Request(steamgs.Request{Kind: steamgs.RequestAssociateWithClan, Group: math.MaxUint64}))
		}, want: `AssociateWithClan(self, 18446744073709551615)`, res: "0 false"},
		{name: "ComputeNewPlayerCompatibility through Conn", rets: map[string]uint64{"ComputeNewPlayerCompatibility": 9},
			call: func(t *testing.T, fx *fixture) any {
				return fmt.Sprint(fx.conn(t).Request(steamgs.Request{Kind: steamgs.RequestPlayerCompatibility, User: math.MaxUint64}))
			}, want: `ComputeNewPlayerCompatibility(self, 18446744073709551615)`, res: "9 true"},
		{name: "GetServerReputation through Conn", rets: map[string]uint64{"GetServerReputation": 3},
			call: func(t *testing.T, fx *fixture) any {
				return fmt.Sprint(fx.conn(t).Request(steamgs.Request{Kind: steamgs.RequestServerReputation}))
			}, want: `GetServerReputation(self)`, res: "3 true"},
		{name: "GetGameplayStats through Conn", call: func(t *testing.T, fx *fixture) any {
			return fmt.Sprint(fx.conn(t).Request(steamgs.Request{Kind: steamgs.RequestGameplayStats}))
		}, want: `GetGameplayStats(self)`, res: "0 true"},
	}
}

// TestGameServerFunctions calls each of the 41 ISteamGameServer functions of
// the fake through steamgs.Server (setters through Server's setters, which
// Conn.Apply turns into C calls; getters through Conn.Status) and a few
// through the Conn with values Server would refuse, and checks the
// arguments the C side received, the value Go got back and that no other C
// call happened.
func TestGameServerFunctions(t *testing.T) {
	seen := make(map[string]bool)
	for _, tc := range gameServerCases() {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, Options{})
			if tc.prep != nil {
				tc.prep(t, fx)
			}
			for k, v := range tc.rets {
				fx.fake.setReturn(k, v)
			}
			fx.fake.clearLog()
			got := tc.call(t, fx)
			assert.Equal(t, tc.res, got)
			want := tc.calls
			if want == nil {
				want = []string{tc.want}
			}
			calls := fx.fake.calls()
			require.Equal(t, want, calls)
			for _, c := range calls {
				seen[gameServerPrefix+c[:strings.IndexByte(c, '(')]] = true
			}
		})
	}
	var missing []string
	var lib symbols
	for _, s := range lib.table() {
		if strings.HasPrefix(s.name, gameServerPrefix) && !seen[s.name] {
			missing = append(missing, s.name)
		}
	}
	assert.Equal(t, []string(nil), missing, "ISteamGameServer functions without an ABI case")
	assert.Equal(t, 41, len(seen), "ISteamGameServer functions called")
}

// TestIdentity checks the SteamNetworkingIdentity that GetAuthSessionTicket
// passes for each kind of steamgs.Identity, against the SDK's setters'
// layout.
func TestIdentity(t *testing.T) {
	cases := []struct {
		name string
		id   steamgs.Identity
		want string
	}{
		{"none", steamgs.Identity{}, "NULL"},
		{"SteamID", steamgs.Identity{SteamID: steamgs.SteamID(0x0110000100000042)},
			"identity(type=16, size=8, 4200000001001001)"},
		{"IPv4", steamgs.Identity{Addr: netip.MustParseAddrPort("1.2.3.4:27015")},
			"identity(type=1, size=18, 00000000000000000000ffff010203048769)"},
		{"IPv6", steamgs.Identity{Addr: netip.MustParseAddrPort("[2001:db8::1]:1")},
			"identity(type=1, size=18, 20010db80000000000000000000000010100)"},
		{"generic", steamgs.Identity{Generic: "lobby-7"},
			"identity(type=2, size=8, 6c6f6262792d3700)"},
		{"generic 31 bytes", steamgs.Identity{Generic: strings.Repeat("g", 31)},
			"identity(type=2, size=32, " + strings.Repeat("67", 31) + "00)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, Options{})
			fx.fake.setTicket([]byte{7})
			fx.fake.setReturn("GetAuthSessionTicket", 9)
			fx.fake.clearLog()
			h, ticket, err := fx.srv.GetAuthSessionTicket(tc.id)
			require.NoError(t, err)
			assert.Equal(t, steamgs.AuthTicket(9), h)
			assert.Equal(t, []byte{7}, ticket)
			assert.Equal(t, []string{"GetAuthSessionTicket(self, 4096, " + tc.want + ")"}, fx.fake.calls())
		})
	}
	t.Run("SteamID max through Conn", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.clearLog()
		fx.conn(t).GetAuthSessionTicket(make([]byte, 8), steamgs.Identity{SteamID: math.MaxUint64})
		assert.Equal(t, []string{"GetAuthSessionTicket(self, 8, identity(type=16, size=8, ffffffffffffffff))"}, fx.fake.calls())
	})
}

// TestPublicIP checks the SteamIPAddress_t that GetPublicIP returns by
// value, for each address type, as Status reads it and as purego's typed
// function reads it.
func TestPublicIP(t *testing.T) {
	v6 := netip.MustParseAddr("2001:db8::42")
	cases := []struct {
		name string
		addr [16]byte
		typ  int32
		want netip.Addr
	}{
		{"IPv4", [16]byte{0x04, 0x03, 0x02, 0x01, 0xEE, 0xEE}, 0, netip.MustParseAddr("1.2.3.4")},
		{"IPv4 broadcast", [16]byte{0xFF, 0xFF, 0xFF, 0xFF}, 0, netip.MustParseAddr("255.255.255.255")},
		{"IPv4 unknown", [16]byte{}, 0, netip.Addr{}},
		{"IPv6", v6.As16(), 1, v6},
		{"IPv6 unknown", [16]byte{}, 1, netip.Addr{}},
		{"unknown type", [16]byte{1, 2, 3, 4}, -1, netip.Addr{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, Options{})
			fx.fake.setPublicIP(tc.addr, tc.typ)
			assert.Equal(t, tc.want, fx.srv.PublicIP())
			// The SyscallN path of amd64 and purego's typed function agree.
			c := fx.conn(t)
			want := steamIPAddress{Addr: tc.addr, Type: tc.typ}
			assert.Equal(t, want, c.getPublicIP())
			assert.Equal(t, want, c.lib.publicIP(c.self))
		})
	}
}

// TestStatus checks the C calls of Conn.Status, in order, and what it
// makes of their results.
func TestStatus(t *testing.T) {
	fx := newFixture(t, Options{})
	id := steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 99)
	for k, v := range map[string]uint64{"BLoggedOn": 1, "BSecure": 1, "GetSteamID": uint64(id), "WasRestartRequested": 1} {
		fx.fake.setReturn(k, v)
	}
	v6 := netip.MustParseAddr("2001:db8::7")
	fx.fake.setPublicIP(v6.As16(), 1)
	fx.fake.clearLog()
	c := fx.conn(t)
	assert.Equal(t, steamgs.Status{LoggedOn: true, Secure: true, SteamID: id, PublicIP: v6,
		QueryPort: baseConfig().QueryPort, Restarts: 1}, c.Status())
	assert.Equal(t, statusCalls, fx.fake.calls())

	fx.fake.reset(false)
	assert.Equal(t, steamgs.Status{QueryPort: baseConfig().QueryPort, Restarts: 1}, c.Status(),
		"the restart count does not go down")
}

// TestRestartRequests checks that restart requests are counted whichever
// call polls WasRestartRequested: a request that a getter of
// steamgs.Server saw through Status is still reported by
// Server.WasRestartRequested, once per request.
func TestRestartRequests(t *testing.T) {
	fx := newFixture(t, Options{})
	fx.fake.setReturn("WasRestartRequested", 1) // a request in each of the next two polls
	assert.False(t, fx.srv.LoggedOn())
	assert.False(t, fx.srv.Secure())
	fx.fake.setReturn("WasRestartRequested", 0)
	assert.True(t, fx.srv.WasRestartRequested(), "the first request, seen by LoggedOn")
	assert.True(t, fx.srv.WasRestartRequested(), "the second request, seen by Secure")
	assert.False(t, fx.srv.WasRestartRequested())
	assert.Equal(t, uint64(2), fx.conn(t).Status().Restarts)

	// A new server counts from zero.
	require.NoError(t, fx.srv.Shutdown())
	require.NoError(t, fx.srv.Init(baseConfig()))
	assert.Equal(t, uint64(0), fx.conn(t).Status().Restarts)
	assert.False(t, fx.srv.WasRestartRequested())
}

// TestShutDownConnDoesNothing checks that a Conn used after Close makes no
// C call (ISteamGameServer is gone) and returns zero values; Status keeps
// the query port and the restart count.
func TestShutDownConnDoesNothing(t *testing.T) {
	fx := newFixture(t, Options{})
	fx.fake.setReturn("WasRestartRequested", 1)
	c := fx.conn(t)
	assert.Equal(t, uint64(1), c.Status().Restarts)
	require.NoError(t, fx.srv.Shutdown())
	fx.fake.clearLog()
	all := steamgs.Settings{Product: "x", ServerName: "x", MaxPlayers: 3, KeyValues: map[string]string{"k": "v"}, Advertise: true}
	c.Apply(&all, steamgs.AllFields)
	c.LogOn("")
	c.LogOn("token")
	c.LogOff()
	assert.Equal(t, steamgs.Status{QueryPort: baseConfig().QueryPort, Restarts: 1}, c.Status())
	h, n := c.GetAuthSessionTicket(make([]byte, 16), steamgs.Identity{})
	assert.Equal(t, steamgs.AuthTicket(0), h)
	assert.Equal(t, 0, n)
	c.CancelAuthTicket(1)
	assert.Equal(t, steamgs.BeginAuthInvalidTicket, c.BeginAuthSession([]byte{1}, 1))
	c.EndAuthSession(1)
	assert.Equal(t, steamgs.NoAuth, c.UserHasLicenseForApp(1, 480))
	assert.Equal(t, steamgs.SteamID(0), c.CreateUnauthenticatedUserConnection())
	for kind := steamgs.RequestAssociateWithClan; kind <= steamgs.RequestGameplayStats; kind++ {
		call, ok := c.Request(steamgs.Request{Kind: kind, User: 1, Group: 2})
		assert.Equal(t, steamgs.APICall(0), call, "request %d", kind)
		assert.False(t, ok, "request %d", kind)
	}
	assert.False(t, c.HandleIncomingPacket([]byte{1}, netip.MustParseAddrPort("1.2.3.4:5")))
	n, _ = c.GetNextOutgoingPacket(make([]byte, 16))
	assert.Equal(t, 0, n)
	id, ok := c.SendUserConnectAndAuthenticate(netip.MustParseAddr("1.2.3.4"), []byte{1})
	assert.Equal(t, steamgs.SteamID(0), id)
	assert.False(t, ok)
	c.SendUserDisconnect(1)
	assert.False(t, c.UpdateUserData(1, "x", 1))
	c.RunCallbacks(func(cb steamgs.Callback) { assert.Fail(t, "a callback after shutdown", "%T", cb) })
	require.NoError(t, c.Close(), "a second Close")
	assert.Equal(t, []string(nil), fx.fake.calls())
}
