package steamgs_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

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
			if got := tt.id.Universe(); got != tt.universe {
				t.Errorf("Universe() = %v, want %v", got, tt.universe)
			}
			if got := tt.id.Type(); got != tt.typ {
				t.Errorf("Type() = %v, want %v", got, tt.typ)
			}
			if got := tt.id.Instance(); got != tt.instance {
				t.Errorf("Instance() = %d, want %d", got, tt.instance)
			}
			if got := tt.id.AccountID(); got != tt.account {
				t.Errorf("AccountID() = %d, want %d", got, tt.account)
			}
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
			if got := tt.id.String(); got != tt.want {
				t.Errorf("SteamID(%d).String() = %q, want %q", uint64(tt.id), got, tt.want)
			}
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
			if err != nil {
				t.Fatalf("ParseSteamID(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseSteamID(%q) = %d %s, want %d %s", tt.in, uint64(got), got, uint64(tt.want), tt.want)
			}
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
			if err == nil {
				t.Fatalf("ParseSteamID(%q) = %s, want an error", tt.in, id)
			}
			if !errors.Is(err, steamgs.ErrInvalidSteamID) {
				t.Errorf("error %v does not match ErrInvalidSteamID", err)
			}
			if id != 0 {
				t.Errorf("ParseSteamID(%q) returned %d with its error, want 0", tt.in, uint64(id))
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "steamgs: ") || !strings.Contains(msg, tt.mention) {
				t.Errorf("error %q: want prefix \"steamgs: \" and a mention of %q", msg, tt.mention)
			}
			if len(msg) > 300 {
				t.Errorf("error message is %d bytes; hostile input must be clipped", len(msg))
			}
		})
	}
}

// validIDs are valid Steam IDs of every account type that has a letter of its own.
var validIDs = []steamgs.SteamID{
	gaben,
	steamgs.IndividualID(1),
	steamgs.IndividualID(1<<32 - 1),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeIndividual, 0, 5),
	steamgs.NewSteamID(steamgs.UniverseBeta, steamgs.AccountTypeIndividual, 4, 5),
	steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeMultiseat, 0, 5),
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
}

func TestSteamIDRoundTrip(t *testing.T) {
	for _, id := range validIDs {
		t.Run(id.String(), func(t *testing.T) {
			if !id.IsValid() {
				t.Fatalf("%s is not valid", id)
			}
			got, err := steamgs.ParseSteamID(id.String())
			if err != nil || got != id {
				t.Errorf("ParseSteamID(%q) = %d, %v; want %d", id.String(), uint64(got), err, uint64(id))
			}
			dec := strconv.FormatUint(uint64(id), 10)
			got, err = steamgs.ParseSteamID(dec)
			if err != nil || got != id {
				t.Errorf("ParseSteamID(%q) = %d, %v; want %d", dec, uint64(got), err, uint64(id))
			}
		})
	}
}

func TestSteamIDIsValid(t *testing.T) {
	pub := steamgs.UniversePublic
	tests := []struct {
		name string
		id   steamgs.SteamID
		want bool
	}{
		{"zero", 0, false},
		{"individual", gaben, true},
		{"individual instance 0", steamgs.NewSteamID(pub, steamgs.AccountTypeIndividual, 0, 5), true},
		{"individual instance 4", steamgs.NewSteamID(pub, steamgs.AccountTypeIndividual, 4, 5), true},
		{"individual instance 5", steamgs.NewSteamID(pub, steamgs.AccountTypeIndividual, 5, 5), false},
		{"individual account 0", steamgs.IndividualID(0), false},
		{"universe invalid", steamgs.NewSteamID(steamgs.UniverseInvalid, steamgs.AccountTypeIndividual, 1, 5), false},
		{"universe dev", steamgs.NewSteamID(steamgs.UniverseDev, steamgs.AccountTypeIndividual, 1, 5), true},
		{"universe 5", steamgs.NewSteamID(5, steamgs.AccountTypeIndividual, 1, 5), false},
		{"type invalid", steamgs.NewSteamID(pub, steamgs.AccountTypeInvalid, 0, 5), false},
		{"type 11", steamgs.NewSteamID(pub, 11, 0, 5), false},
		{"anon user", steamgs.NewSteamID(pub, steamgs.AccountTypeAnonUser, 0, 5), true},
		{"game server", steamgs.NewSteamID(pub, steamgs.AccountTypeGameServer, 0, 5), true},
		{"game server account 0", steamgs.NewSteamID(pub, steamgs.AccountTypeGameServer, 0, 0), false},
		{"anon game server account 0", steamgs.NewSteamID(pub, steamgs.AccountTypeAnonGameServer, 3, 0), true},
		{"clan", steamgs.ClanID(5), true},
		{"clan account 0", steamgs.ClanID(0), false},
		{"clan any instance", steamgs.NewSteamID(pub, steamgs.AccountTypeClan, 1000, 5), true},
		{"all ones", steamgs.SteamID(1<<64 - 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.id.IsValid(); got != tt.want {
				t.Errorf("%s.IsValid() = %v, want %v", tt.id, got, tt.want)
			}
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
			if got := tt.v.String(); got != tt.want {
				t.Errorf("%T(%v).String() = %q, want %q", tt.v, tt.v, got, tt.want)
			}
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
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
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
			if !errors.Is(err, steamgs.ErrInvalidSteamID) {
				t.Fatalf("ParseSteamID(%q): error %v does not match ErrInvalidSteamID", s, err)
			}
			if id != 0 {
				t.Fatalf("ParseSteamID(%q) returned %d with an error", s, uint64(id))
			}
			return
		}
		if strings.HasPrefix(s, "[") {
			if id.IsValid() {
				back, err := steamgs.ParseSteamID(id.String())
				if err != nil || back != id {
					t.Fatalf("ParseSteamID(%q) = %s (%d), whose String parses as %d, %v", s, id, uint64(id), uint64(back), err)
				}
			}
			return
		}
		dec := strconv.FormatUint(uint64(id), 10)
		if back, err := steamgs.ParseSteamID(dec); err != nil || back != id {
			t.Fatalf("ParseSteamID(%q) = %d, but ParseSteamID(%q) = %d, %v", s, uint64(id), dec, uint64(back), err)
		}
	})
}

func BenchmarkSteamIDString(b *testing.B) {
	id := steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 12345, 4000000000)
	b.ReportAllocs()
	for b.Loop() {
		if id.String() == "" {
			b.Fatal("empty")
		}
	}
}

func BenchmarkParseSteamID(b *testing.B) {
	for _, s := range []string{"[A:1:4000000000:12345]", "76561197960287930"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := steamgs.ParseSteamID(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
