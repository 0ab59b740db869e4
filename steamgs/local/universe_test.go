package local_test

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewUniverseErrors(t *testing.T) {
	tests := []struct {
		name string
		opts local.Options
		want error
		text string
	}{
		{"short key", local.Options{Key: make([]byte, 16)}, steamgs.ErrOutOfRange, "key is 16 bytes, want 32"},
		{"negative latency", local.Options{Latency: -time.Second}, steamgs.ErrOutOfRange, "latency is -1s"},
		{"negative lifetime", local.Options{TicketLifetime: -1}, steamgs.ErrOutOfRange, "ticket lifetime"},
		{"negative retry", local.Options{RetryInterval: -1}, steamgs.ErrOutOfRange, "retry interval"},
		{"IPv6 public IP", local.Options{PublicIP: netip.IPv6Loopback()}, steamgs.ErrInvalidAddress, "::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := local.NewUniverse(tt.opts)
			assert.True(t, u == nil)
			assert.True(t, errors.Is(err, tt.want), "%v", err)
			assert.True(t, err != nil && strings.Contains(err.Error(), tt.text), "%v", err)
		})
	}
}

func TestKeyFromPassphrase(t *testing.T) {
	a := local.KeyFromPassphrase("one")
	assert.Len(t, a, local.KeySize)
	assert.True(t, bytes.Equal(a, local.KeyFromPassphrase("one")))
	assert.False(t, bytes.Equal(a, local.KeyFromPassphrase("two")))
	_, err := local.NewUniverse(local.Options{Key: a})
	require.NoError(t, err)
}

func TestCapabilities(t *testing.T) {
	u, err := local.NewUniverse(local.Options{})
	require.NoError(t, err)
	assert.Equal(t, steamgs.Capabilities{SteamConnection: true, MultipleServers: true, Queries: true}, u.Capabilities())
}

func TestAccounts(t *testing.T) {
	key := local.KeyFromPassphrase("accounts")
	u, err := local.NewUniverse(local.Options{Key: key})
	require.NoError(t, err)
	v, err := local.NewUniverse(local.Options{Key: key})
	require.NoError(t, err)

	alice := u.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{dlc, app, dlc, 0}})
	assert.True(t, alice.IsValid())
	assert.Equal(t, steamgs.AccountTypeIndividual, alice.Type())
	assert.Equal(t, alice, v.AddUser(local.User{Name: "alice"}), "same key, same name, same Steam ID")
	again := u.AddUser(local.User{Name: "alice"})
	assert.NotEqual(t, alice, again, "a second account of one name gets another number")
	got, ok := u.User(alice)
	assert.True(t, ok)
	assert.Equal(t, local.User{Name: "alice", Apps: []steamgs.AppID{app, dlc}}, got, "licences sorted, without duplicates or zero")
	_, ok = u.User(steamgs.IndividualID(1))
	assert.False(t, ok)

	require.NoError(t, u.GrantLicense(alice, 999, 482))
	require.NoError(t, u.RevokeLicense(alice, dlc))
	require.NoError(t, u.RevokeLicense(alice, 12345))
	got, _ = u.User(alice)
	assert.Equal(t, []steamgs.AppID{app, 482, 999}, got.Apps)
	u.BanUser(alice)
	got, _ = u.User(alice)
	assert.True(t, got.VACBanned)

	group := u.AddGroup("group")
	assert.Equal(t, steamgs.AccountTypeClan, group.Type())
	assert.True(t, group.IsValid())
	assert.Equal(t, group, v.AddGroup("group"))

	stranger := steamgs.IndividualID(424242)
	many := make([]steamgs.AppID, local.MaxTicketLicenses+1)
	for i := range many {
		many[i] = steamgs.AppID(i + 1)
	}
	errs := []struct {
		name string
		err  error
		want error
	}{
		{"grant to a stranger", u.GrantLicense(stranger, app), local.ErrUnknownAccount},
		{"grant to a group", u.GrantLicense(group, app), steamgs.ErrInvalidSteamID},
		{"grant app 0", u.GrantLicense(alice, app, 0), steamgs.ErrOutOfRange},
		{"grant too many", u.GrantLicense(alice, many...), steamgs.ErrTooLarge},
		{"revoke of a stranger", u.RevokeLicense(stranger, app), local.ErrUnknownAccount},
		{"member of an unknown group", u.SetGroupMember(alice, steamgs.ClanID(5), true, false), local.ErrUnknownAccount},
		{"stranger as a member", u.SetGroupMember(stranger, group, true, false), local.ErrUnknownAccount},
		{"recommend against a stranger", u.SetRecommendsAgainst(alice, stranger), local.ErrUnknownAccount},
		{"recommend against oneself", u.SetRecommendsAgainst(alice, alice), steamgs.ErrInvalidSteamID},
	}
	for _, e := range errs {
		assert.True(t, errors.Is(e.err, e.want), "%s: %v", e.name, e.err)
	}
}

func TestUniverseGetAuthSessionTicket(t *testing.T) {
	clock := local.NewManualClock(start)
	u, err := local.NewUniverse(local.Options{Clock: clock, TicketLifetime: time.Minute})
	require.NoError(t, err)
	alice := u.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{dlc, app}, PublisherBanned: true})
	forID := steamgs.Identity{Addr: netip.MustParseAddrPort("192.0.2.1:27015")}
	h1, b, err := u.GetAuthSessionTicket(alice, app, forID)
	require.NoError(t, err)
	tk, err := local.ParseTicket(b)
	require.NoError(t, err)
	assert.Equal(t, local.Ticket{
		User: alice, App: app, Handle: h1, Issued: tk.Issued, Expires: tk.Issued.Add(time.Minute), For: forID,
		PublisherBanned: true, Licenses: []steamgs.AppID{app, dlc}, Signature: tk.Signature,
	}, tk)
	assert.True(t, tk.Issued.Equal(start))
	h2, _, err := u.GetAuthSessionTicket(alice, app, steamgs.Identity{})
	require.NoError(t, err)
	assert.NotEqual(t, h1, h2, "every ticket has its own handle")

	errs := []struct {
		name string
		user steamgs.SteamID
		app  steamgs.AppID
		id   steamgs.Identity
		want error
	}{
		{"stranger", steamgs.IndividualID(99), app, steamgs.Identity{}, local.ErrUnknownAccount},
		{"app 0", alice, 0, steamgs.Identity{}, steamgs.ErrOutOfRange},
		{"two identities", alice, app, steamgs.Identity{SteamID: alice, Generic: "x"}, steamgs.ErrOutOfRange},
		{"long generic", alice, app, steamgs.Identity{Generic: strings.Repeat("g", 32)}, steamgs.ErrTooLong},
		{"NUL in generic", alice, app, steamgs.Identity{Generic: "a\x00b"}, steamgs.ErrInvalidString},
		{"invalid Steam ID", alice, app, steamgs.Identity{SteamID: 1}, steamgs.ErrInvalidSteamID},
	}
	for _, e := range errs {
		h, b, err := u.GetAuthSessionTicket(e.user, e.app, e.id)
		assert.True(t, errors.Is(err, e.want), "%s: %v", e.name, err)
		assert.Zero(t, h, e.name)
		assert.Empty(t, b, e.name)
	}
}

func TestManualClock(t *testing.T) {
	c := local.NewManualClock(start)
	assert.Equal(t, start, c.Now())
	c.Advance(time.Second)
	c.Advance(-time.Hour)
	assert.Equal(t, start.Add(time.Second), c.Now(), "negative steps are ignored")
	assert.False(t, local.WallClock().Now().IsZero())
}

func TestShutdownEndsServer(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthentication)
	require.NoError(t, h.srv.LogOnAnonymous())
	h.u.RequestRestart()
	require.NoError(t, h.srv.Shutdown())
	require.NoError(t, h.srv.Init(steamgs.Config{IP: loopback, GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1", AppID: app}))
	h.clock.Advance(time.Hour)
	assert.Empty(t, h.run(), "nothing of the old server reaches the new one")
	assert.False(t, h.srv.WasRestartRequested())
	h.u.RequestRestart()
	assert.True(t, h.srv.WasRestartRequested(), "the new server is on the universe")
}
