package steamgs_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs"
)

// gaben is a well-known individual account: [U:1:22202].
const gaben steamgs.SteamID = 76561197960287930

func TestSteamIDParts(t *testing.T) {
	tests := []struct {
		name     string
		id       steamgs.SteamID
		universe steamgs.Universe
		typ      steamgs.AccountType
		instance uint32
		account  uint32
	}{
		{"zero", 0, steamgs.UniverseInvalid, steamgs.AccountTypeInvalid, 0, 0},
		{"decimal individual", gaben, steamgs.UniversePublic, steamgs.AccountTypeIndividual, 1, 22202},
		{"IndividualID", steamgs.IndividualID(22202), steamgs.UniversePublic, steamgs.AccountTypeIndividual, 1, 22202},
		{"ClanID", steamgs.ClanID(4), steamgs.UniversePublic, steamgs.AccountTypeClan, 0, 4},
		{"clan decimal", 103582791429521412, steamgs.UniversePublic, steamgs.AccountTypeClan, 0, 4},
		{"anon game server", steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 77, 9),
			steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 77, 9},
		{"max fields", steamgs.NewSteamID(255, 15, 1<<20-1, 1<<32-1), 255, 15, 1<<20 - 1, 1<<32 - 1},
		{"all ones", steamgs.SteamID(1<<64 - 1), 255, 15, 1<<20 - 1, 1<<32 - 1},
		{"instance truncated to 20 bits", steamgs.NewSteamID(steamgs.UniverseBeta, steamgs.AccountTypeGameServer, 1<<20|5, 3),
			steamgs.UniverseBeta, steamgs.AccountTypeGameServer, 5, 3},
		{"type truncated to 4 bits", steamgs.NewSteamID(steamgs.UniverseDev, 16+steamgs.AccountTypeClan, 0, 3),
			steamgs.UniverseDev, steamgs.AccountTypeClan, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.universe, tt.id.Universe(), "Universe()")
			assert.Equal(t, tt.typ, tt.id.Type(), "Type()")
			assert.Equal(t, tt.instance, tt.id.Instance(), "Instance()")
			assert.Equal(t, tt.account, tt.id.AccountID(), "AccountID()")
		})
	}
}

func TestSteamIDString(t *testing.T) {
	pub := steamgs.UniversePublic
	tests := []struct {
		id   steamgs.SteamID
		want string
	}{
		{gaben, "[U:1:22202]"},
		{steamgs.IndividualID(1), "[U:1:1]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeIndividual, 0, 5), "[U:1:5:0]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeIndividual, 4, 5), "[U:1:5:4]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeGameServer, 0, 1234), "[G:1:1234]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeGameServer, 1, 1234), "[G:1:1234:1]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeAnonGameServer, 0, 99), "[A:1:99:0]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeAnonGameServer, 7, 99), "[A:1:99:7]"},
		{steamgs.ClanID(103), "[g:1:103]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeMultiseat, 0, 8), "[M:1:8]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypePending, 0, 8), "[P:1:8]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeContentServer, 0, 8), "[C:1:8]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeChat, 0, 8), "[T:1:8]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeAnonUser, 0, 8), "[a:1:8]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeAnonUser, 3, 8), "[a:1:8:3]"},
		{steamgs.NewSteamID(steamgs.UniverseDev, steamgs.AccountTypeIndividual, 1, 8), "[U:4:8]"},
		{steamgs.NewSteamID(pub, steamgs.AccountTypeConsoleUser, 0, 8), "112589990684262408"},
		{0, "[I:0:0]"},
		{steamgs.NewSteamID(pub, 11, 0, 8), "121597189939003400"},
		{steamgs.NewSteamID(pub, 15, 2, 8), "139611597038419976"},
		{steamgs.SteamID(1<<64 - 1), "18446744073709551615"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.id.String(), "SteamID(%d).String()", uint64(tt.id))
		})
	}
}

func TestParseSteamID(t *testing.T) {
	pub := steamgs.UniversePublic
	tests := []struct {
		in   string
		want steamgs.SteamID
	}{
		{"76561197960287930", gaben},
		{"0", 0},
		{"18446744073709551615", steamgs.SteamID(1<<64 - 1)},
		{"[U:1:22202]", gaben},
		{"[U:1:22202:1]", gaben},
		{"[U:1:5:0]", steamgs.NewSteamID(pub, steamgs.AccountTypeIndividual, 0, 5)},
		{"[U:1:4294967295]", steamgs.IndividualID(1<<32 - 1)},
		{"[G:1:1234]", steamgs.NewSteamID(pub, steamgs.AccountTypeGameServer, 0, 1234)},
		{"[A:1:99:7]", steamgs.NewSteamID(pub, steamgs.AccountTypeAnonGameServer, 7, 99)},
		{"[A:1:99]", steamgs.NewSteamID(pub, steamgs.AccountTypeAnonGameServer, 0, 99)},
		{"[A:1:99:1048575]", steamgs.NewSteamID(pub, steamgs.AccountTypeAnonGameServer, 1<<20-1, 99)},
		{"[g:1:103]", steamgs.ClanID(103)},
		{"[M:1:8]", steamgs.NewSteamID(pub, steamgs.AccountTypeMultiseat, 0, 8)},
		{"[P:1:8]", steamgs.NewSteamID(pub, steamgs.AccountTypePending, 0, 8)},
		{"[C:1:8]", steamgs.NewSteamID(pub, steamgs.AccountTypeContentServer, 0, 8)},
		{"[T:1:8]", steamgs.NewSteamID(pub, steamgs.AccountTypeChat, 0, 8)},
		{"[a:1:8:3]", steamgs.NewSteamID(pub, steamgs.AccountTypeAnonUser, 3, 8)},
		{"[I:0:0]", 0},
		{"[U:4:8]", steamgs.NewSteamID(steamgs.UniverseDev, steamgs.AccountTypeIndividual, 1, 8)},
		{"[U:255:8]", steamgs.NewSteamID(255, steamgs.AccountTypeIndividual, 1, 8)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := steamgs.ParseSteamID(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "ParseSteamID(%q) = %d, want %d", tt.in, uint64(got), uint64(tt.want))
		})
	}
}

func TestParseSteamIDErrors(t *testing.T) {
	tests := []struct {
		in      string
		mention string // a part of the message naming what is wrong
	}{
		{"", "empty"},
		{"abc", `"abc"`},
		{"-1", `"-1"`},
		{"+5", `"+5"`},
		{"18446744073709551616", "18446744073709551616"},
		{" 76561197960287930", "76561197960287930"},
		{"[U:1:5", "[T:U:N]"},
		{"[U:1:]", "[T:U:N]"},
		{"[U1:55]", "[T:U:N]"},
		{"[]", "[T:U:N]"},
		{"[X:1:5]", `'X'`},
		{"[u:1:5]", `'u'`},
		{"[U:12345]", "want 2 or 3"},
		{"[U:1:2:3:4]", "want 2 or 3"},
		{"[U:256:5]", "universe"},
		{"[U:-1:5]", "universe"},
		{"[U::5:1]", "universe"},
		{"[U:1:4294967296]", "account"},
		{"[U:1:x]", "account"},
		{"[U:1:5:1048576]", "instance"},
		{"[U:1:5:]", "instance"},
		{"[U:1:5:-1]", "instance"},
		{"[U:1:5]x", "[T:U:N]"},
		{"[" + strings.Repeat("9", 500) + "]", "..."},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			id, err := steamgs.ParseSteamID(tt.in)
			require.ErrorIs(t, err, steamgs.ErrInvalidSteamID)
			assert.Zero(t, id, "the Steam ID returned with the error")
			assert.Regexp(t, `^steamgs: `, err.Error())
			assert.ErrorContains(t, err, tt.mention)
			assert.LessOrEqual(t, len(err.Error()), 300, "hostile input must be clipped")
		})
	}
}

// validIDs are valid Steam IDs of every account type that has a letter of its
// own, and a console user, which prints in the decimal form.
var validIDs = []steamgs.SteamID{
	gaben,
	steamgs.IndividualID(1),
	steamgs.IndividualID(1<<32 - 1),
	steamgs.NewSteamID(steamgs.UniverseBeta, steamgs.AccountTypeIndividual, steamgs.InstanceDesktop, 5),
	steamgs.NewSteamID(steamgs.UniverseDev, steamgs.AccountTypeIndividual, steamgs.InstanceDesktop, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeMultiseat, 0, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeMultiseat, 0, 0),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 5),
	steamgs.NewSteamID(steamgs.UniverseInternal, steamgs.AccountTypeGameServer, 12, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 0, 0),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 1<<20-1, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypePending, 0, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeContentServer, 0, 5),
	steamgs.ClanID(5),
	steamgs.NewSteamID(steamgs.UniverseDev, steamgs.AccountTypeClan, 0, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeChat, 1<<19, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 9, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, 0),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeConsoleUser, 0, 5),
}

func TestSteamIDRoundTrip(t *testing.T) {
	for _, id := range validIDs {
		t.Run(id.String(), func(t *testing.T) {
			require.True(t, id.IsValid(), "%s is not valid", id)
			got, err := steamgs.ParseSteamID(id.String())
			require.NoError(t, err)
			assert.Equal(t, id, got, "ParseSteamID(%q)", id.String())
			dec := strconv.FormatUint(uint64(id), 10)
			got, err = steamgs.ParseSteamID(dec)
			require.NoError(t, err)
			assert.Equal(t, id, got, "ParseSteamID(%q)", dec)
		})
	}
}

// TestSteamIDIsValid pins the SDK's CSteamID::IsValid: universe Public to
// Dev, account type Individual to AnonUser; an individual needs a non-zero
// account and instance 1, a clan a non-zero account and instance 0, a game
// server a non-zero account; the other types have no further rule.
func TestSteamIDIsValid(t *testing.T) {
	pub := steamgs.UniversePublic
	id := func(typ steamgs.AccountType, instance, account uint32) steamgs.SteamID {
		return steamgs.NewSteamID(pub, typ, instance, account)
	}
	tests := []struct {
		name string
		id   steamgs.SteamID
		want bool
	}{
		{"zero", 0, false},
		{"all ones", steamgs.SteamID(1<<64 - 1), false},

		// Universe.
		{"universe invalid", steamgs.NewSteamID(steamgs.UniverseInvalid, steamgs.AccountTypeIndividual, 1, 5), false},
		{"universe public", steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeIndividual, 1, 5), true},
		{"universe beta", steamgs.NewSteamID(steamgs.UniverseBeta, steamgs.AccountTypeIndividual, 1, 5), true},
		{"universe internal", steamgs.NewSteamID(steamgs.UniverseInternal, steamgs.AccountTypeIndividual, 1, 5), true},
		{"universe dev", steamgs.NewSteamID(steamgs.UniverseDev, steamgs.AccountTypeIndividual, 1, 5), true},
		{"universe 5", steamgs.NewSteamID(5, steamgs.AccountTypeIndividual, 1, 5), false},
		{"universe 255", steamgs.NewSteamID(255, steamgs.AccountTypeIndividual, 1, 5), false},
		{"universe 0 anon game server", steamgs.NewSteamID(0, steamgs.AccountTypeAnonGameServer, 0, 0), false},
		{"universe 5 anon game server", steamgs.NewSteamID(5, steamgs.AccountTypeAnonGameServer, 0, 0), false},

		// Account type.
		{"type invalid", id(steamgs.AccountTypeInvalid, 0, 5), false},
		{"type 0 instance 1", id(steamgs.AccountTypeInvalid, 1, 5), false},
		{"type 11", id(11, 0, 5), false},
		{"type 12", id(12, 0, 5), false},
		{"type 13", id(13, 0, 5), false},
		{"type 14", id(14, 0, 5), false},
		{"type 15", id(15, 0, 5), false},
		{"type 11 instance 1", id(11, 1, 5), false},

		// Individual: account not 0, instance 1 (desktop).
		{"individual", gaben, true},
		{"individual instance 0", id(steamgs.AccountTypeIndividual, 0, 5), false},
		{"individual instance 1", id(steamgs.AccountTypeIndividual, 1, 5), true},
		{"individual instance 2", id(steamgs.AccountTypeIndividual, 2, 5), false},
		{"individual instance 3", id(steamgs.AccountTypeIndividual, 3, 5), false},
		{"individual instance 4", id(steamgs.AccountTypeIndividual, 4, 5), false},
		{"individual instance 5", id(steamgs.AccountTypeIndividual, 5, 5), false},
		{"individual largest instance", id(steamgs.AccountTypeIndividual, 1<<20-1, 5), false},
		{"individual account 0", steamgs.IndividualID(0), false},
		{"individual account 0 instance 0", id(steamgs.AccountTypeIndividual, 0, 0), false},
		{"individual largest account", steamgs.IndividualID(1<<32 - 1), true},

		// Clan: account not 0, instance 0.
		{"clan", steamgs.ClanID(5), true},
		{"clan account 0", steamgs.ClanID(0), false},
		{"clan instance 1", id(steamgs.AccountTypeClan, 1, 5), false},
		{"clan any instance", id(steamgs.AccountTypeClan, 1000, 5), false},

		// Game server: account not 0, any instance.
		{"game server", id(steamgs.AccountTypeGameServer, 0, 5), true},
		{"game server instance 12", id(steamgs.AccountTypeGameServer, 12, 5), true},
		{"game server account 0", id(steamgs.AccountTypeGameServer, 0, 0), false},
		{"game server account 0 instance 1", id(steamgs.AccountTypeGameServer, 1, 0), false},

		// The other types have no further rule: account 0 and any instance pass.
		{"anon game server", id(steamgs.AccountTypeAnonGameServer, 3, 1234), true},
		{"anon game server account 0", id(steamgs.AccountTypeAnonGameServer, 3, 0), true},
		{"anon game server account 0 instance 0", id(steamgs.AccountTypeAnonGameServer, 0, 0), true},
		{"anon user", id(steamgs.AccountTypeAnonUser, 0, 5), true},
		{"anon user account 0", id(steamgs.AccountTypeAnonUser, 0, 0), true},
		{"anon user instance 9", id(steamgs.AccountTypeAnonUser, 9, 5), true},
		{"multiseat account 0", id(steamgs.AccountTypeMultiseat, 0, 0), true},
		{"pending account 0", id(steamgs.AccountTypePending, 0, 0), true},
		{"content server account 0", id(steamgs.AccountTypeContentServer, 0, 0), true},
		{"chat", id(steamgs.AccountTypeChat, 1<<19, 5), true},
		{"chat account 0", id(steamgs.AccountTypeChat, 0, 0), true},
		{"console user account 0", id(steamgs.AccountTypeConsoleUser, 0, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.id.IsValid(), "%s (%d).IsValid()", tt.id, uint64(tt.id))
		})
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct {
		v    interface{ String() string }
		want string
	}{
		{steamgs.ModeInvalid, "Invalid"},
		{steamgs.ModeNoAuthentication, "NoAuthentication"},
		{steamgs.ModeAuthentication, "Authentication"},
		{steamgs.ModeAuthenticationAndSecure, "AuthenticationAndSecure"},
		{steamgs.ServerMode(4), "ServerMode(4)"},
		{steamgs.ServerMode(-1), "ServerMode(-1)"},

		{steamgs.InitOK, "OK"},
		{steamgs.InitFailedGeneric, "FailedGeneric"},
		{steamgs.InitNoSteamClient, "NoSteamClient"},
		{steamgs.InitVersionMismatch, "VersionMismatch"},
		{steamgs.InitResult(4), "InitResult(4)"},
		{steamgs.InitResult(-7), "InitResult(-7)"},

		{steamgs.BeginAuthOK, "OK"},
		{steamgs.BeginAuthInvalidTicket, "InvalidTicket"},
		{steamgs.BeginAuthDuplicateRequest, "DuplicateRequest"},
		{steamgs.BeginAuthInvalidVersion, "InvalidVersion"},
		{steamgs.BeginAuthGameMismatch, "GameMismatch"},
		{steamgs.BeginAuthExpiredTicket, "ExpiredTicket"},
		{steamgs.BeginAuthSessionResult(6), "BeginAuthSessionResult(6)"},

		{steamgs.AuthOK, "OK"},
		{steamgs.AuthUserNotConnectedToSteam, "UserNotConnectedToSteam"},
		{steamgs.AuthNoLicenseOrExpired, "NoLicenseOrExpired"},
		{steamgs.AuthVACBanned, "VACBanned"},
		{steamgs.AuthLoggedInElseWhere, "LoggedInElseWhere"},
		{steamgs.AuthVACCheckTimedOut, "VACCheckTimedOut"},
		{steamgs.AuthTicketCanceled, "AuthTicketCanceled"},
		{steamgs.AuthTicketInvalidAlreadyUsed, "AuthTicketInvalidAlreadyUsed"},
		{steamgs.AuthTicketInvalid, "AuthTicketInvalid"},
		{steamgs.AuthPublisherIssuedBan, "PublisherIssuedBan"},
		{steamgs.AuthTicketNetworkIdentityFailure, "AuthTicketNetworkIdentityFailure"},
		{steamgs.AuthSessionResponse(11), "AuthSessionResponse(11)"},

		{steamgs.DenyInvalid, "Invalid"},
		{steamgs.DenyNoLicense, "NoLicense"},
		{steamgs.DenyCheater, "Cheater"},
		{steamgs.DenySteamOwnerLeftGuestUser, "SteamOwnerLeftGuestUser"},
		{steamgs.DenyReason(16), "DenyReason(16)"},

		{steamgs.HasLicense, "HasLicense"},
		{steamgs.DoesNotHaveLicense, "DoesNotHaveLicense"},
		{steamgs.NoAuth, "NoAuth"},
		{steamgs.LicenseResult(3), "LicenseResult(3)"},

		{steamgs.IPv4, "IPv4"},
		{steamgs.IPv6, "IPv6"},
		{steamgs.IPType(2), "IPType(2)"},

		{steamgs.AccountTypeInvalid, "Invalid"},
		{steamgs.AccountTypeIndividual, "Individual"},
		{steamgs.AccountTypeGameServer, "GameServer"},
		{steamgs.AccountTypeAnonGameServer, "AnonGameServer"},
		{steamgs.AccountTypeClan, "Clan"},
		{steamgs.AccountTypeConsoleUser, "ConsoleUser"},
		{steamgs.AccountTypeAnonUser, "AnonUser"},
		{steamgs.AccountType(11), "AccountType(11)"},
		{steamgs.AccountType(255), "AccountType(255)"},

		{steamgs.UniverseInvalid, "Invalid"},
		{steamgs.UniversePublic, "Public"},
		{steamgs.UniverseBeta, "Beta"},
		{steamgs.UniverseInternal, "Internal"},
		{steamgs.UniverseDev, "Dev"},
		{steamgs.Universe(5), "Universe(5)"},

		{steamgs.ResultNone, "None"},
		{steamgs.ResultOK, "OK"},
		{steamgs.ResultNoConnection, "NoConnection"},
		{steamgs.ResultRemoteDisconnect, "RemoteDisconnect"},
		{steamgs.ResultGSLTDenied, "GSLTDenied"},
		{steamgs.ResultGSLTExpired, "GSLTExpired"},
		{steamgs.Result(4), "Result(4)"},
		{steamgs.Result(-1), "Result(-1)"},
		{steamgs.Result(1000), "Result(1000)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.v.String(), "%T.String()", tt.v)
		})
	}
}

// TestEnumValues pins the SDK's numeric values, which the steamworks back end
// passes to and from the C library unchanged.
func TestEnumValues(t *testing.T) {
	tests := []struct {
		name      string
		got, want int64
	}{
		{"ModeAuthenticationAndSecure", int64(steamgs.ModeAuthenticationAndSecure), 3},
		{"InitVersionMismatch", int64(steamgs.InitVersionMismatch), 3},
		{"BeginAuthExpiredTicket", int64(steamgs.BeginAuthExpiredTicket), 5},
		{"AuthTicketNetworkIdentityFailure", int64(steamgs.AuthTicketNetworkIdentityFailure), 10},
		{"DenySteamOwnerLeftGuestUser", int64(steamgs.DenySteamOwnerLeftGuestUser), 15},
		{"NoAuth", int64(steamgs.NoAuth), 2},
		{"IPv6", int64(steamgs.IPv6), 1},
		{"AccountTypeAnonUser", int64(steamgs.AccountTypeAnonUser), 10},
		{"ResultGSLTExpired", int64(steamgs.ResultGSLTExpired), 106},
		{"QueryPortShared", int64(steamgs.QueryPortShared), 0xFFFF},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got, tt.name)
	}
}

func FuzzParseSteamID(f *testing.F) {
	for _, s := range []string{
		"[U:1:22202]", "[U:1:5:0]", "[A:1:99:7]", "[g:1:103]", "[G:1:1234]", "[a:1:8:3]",
		"76561197960287930", "0", "[I:0:0]", "[U:256:5]", "[U:1:5:1048576]", "[", "[U:1:5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := steamgs.ParseSteamID(s)
		if err != nil {
			require.ErrorIs(t, err, steamgs.ErrInvalidSteamID, "ParseSteamID(%q)", s)
			require.Zero(t, id, "ParseSteamID(%q) returned an ID with its error", s)
			return
		}
		// Whatever parses, valid or not, reads back from its text form.
		text, _ := id.MarshalText()
		var read steamgs.SteamID
		require.NoError(t, read.UnmarshalText(text), "ParseSteamID(%q) = %d, whose MarshalText %q does not read back", s, uint64(id), text)
		require.Equal(t, id, read, "ParseSteamID(%q): MarshalText %q reads back as another ID", s, text)
		if strings.HasPrefix(s, "[") {
			if id.IsValid() {
				back, err := steamgs.ParseSteamID(id.String())
				require.NoError(t, err, "ParseSteamID(%q) = %s, whose String does not parse", s, id)
				require.Equal(t, id, back, "ParseSteamID(%q) = %s, whose String parses to another ID", s, id)
			}
			return
		}
		dec := strconv.FormatUint(uint64(id), 10)
		back, err := steamgs.ParseSteamID(dec)
		require.NoError(t, err, "ParseSteamID(%q)", dec)
		require.Equal(t, id, back, "ParseSteamID(%q) against ParseSteamID(%q)", s, dec)
	})
}

func BenchmarkSteamIDString(b *testing.B) {
	id := steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 12345, 4000000000)
	var got string
	b.ReportAllocs()
	for b.Loop() {
		got = id.String()
	}
	require.Equal(b, "[A:1:4000000000:12345]", got)
}

func BenchmarkParseSteamID(b *testing.B) {
	for _, s := range []string{"[A:1:4000000000:12345]", "76561197960287930"} {
		b.Run(s, func(b *testing.B) {
			var err error
			b.ReportAllocs()
			for b.Loop() {
				_, err = steamgs.ParseSteamID(s)
			}
			require.NoError(b, err)
		})
	}
}
