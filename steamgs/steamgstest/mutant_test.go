package steamgstest_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

// localSteam gives the suite the powers of a local universe on a manual
// clock.
type localSteam struct {
	u     *local.Universe
	clock *local.ManualClock
	names int
}

func (c *localSteam) name() string { c.names++; return fmt.Sprintf("mutant %d", c.names) }

func (c *localSteam) NewUser(u steamgstest.User) (steamgs.SteamID, error) {
	return c.u.AddUser(local.User{Name: c.name(), Apps: u.Apps, VACBanned: u.VACBanned, PublisherBanned: u.PublisherBanned}), nil
}
func (c *localSteam) NewGroup() (steamgs.SteamID, error) { return c.u.AddGroup(c.name()), nil }
func (c *localSteam) SetGroupMember(user, group steamgs.SteamID, member, officer bool) error {
	return c.u.SetGroupMember(user, group, member, officer)
}
func (c *localSteam) Ticket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error) {
	return c.u.GetAuthSessionTicket(user, app, forID)
}
func (c *localSteam) CancelTicket(user steamgs.SteamID, h steamgs.AuthTicket) error {
	c.u.CancelAuthTicket(user, h)
	return nil
}
func (c *localSteam) Ban(user steamgs.SteamID) error { c.u.BanUser(user); return nil }
func (c *localSteam) NewToken() (string, error) {
	token := c.name()
	c.u.AddToken(token, local.TokenValid)
	return token, nil
}
func (c *localSteam) TicketLifetime() time.Duration { return local.DefaultTicketLifetime }
func (c *localSteam) Advance(d time.Duration)       { c.clock.Advance(d) }

// mutant is a local universe with one behaviour broken, to show that the
// suite notices.
type mutant struct {
	*local.Universe
	m string
}

func (b mutant) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	c, err := b.Universe.Open(cfg)
	if err != nil {
		return nil, err
	}
	return &mutantConn{Server: c.(*local.Server), m: b.m}, nil
}

// mutantConn is a local server with the mutant's behaviour broken; it keeps
// the server's optional interfaces.
type mutantConn struct {
	*local.Server
	m string
}

func (c *mutantConn) RunCallbacks(emit func(steamgs.Callback)) {
	c.Server.RunCallbacks(func(cb steamgs.Callback) {
		switch v := cb.(type) {
		case steamgs.ValidateAuthTicketResponse:
			switch c.m {
			case "verdicts OK":
				v.Response = steamgs.AuthOK
			case "no owner":
				v.Owner = 0
			}
			cb = v
		case steamgs.PolicyResponse:
			switch c.m {
			case "no policy":
				return
			case "always secure":
				cb = steamgs.PolicyResponse{Secure: true}
			}
		}
		emit(cb)
	})
}

func (c *mutantConn) BeginAuthSession(ticket []byte, user steamgs.SteamID) steamgs.BeginAuthSessionResult {
	r := c.Server.BeginAuthSession(ticket, user)
	if c.m == "mismatch is invalid" && r == steamgs.BeginAuthGameMismatch {
		r = steamgs.BeginAuthInvalidTicket
	}
	return r
}

func (c *mutantConn) UserHasLicenseForApp(user steamgs.SteamID, app steamgs.AppID) steamgs.LicenseResult {
	if c.m == "always licensed" {
		return steamgs.HasLicense
	}
	return c.Server.UserHasLicenseForApp(user, app)
}

func (c *mutantConn) UpdateUserData(user steamgs.SteamID, name string, score uint32) bool {
	return c.Server.UpdateUserData(user, name, score) || c.m == "everyone plays"
}

func (c *mutantConn) Request(r steamgs.Request) (steamgs.APICall, bool) {
	call, ok := c.Server.Request(r)
	if c.m == "wrong call" && r.Kind == steamgs.RequestAssociateWithClan {
		call++
	}
	return call, ok
}

func (c *mutantConn) Apply(st *steamgs.Settings, changed steamgs.Field) {
	if c.m == "name cut" && changed&steamgs.FieldServerName != 0 {
		cut := *st
		cut.ServerName = cut.ServerName[:len(cut.ServerName)/2]
		st = &cut
	}
	c.Server.Apply(st, changed)
}

// mutantEnv names the mutant TestMutantBackEnd runs when the test binary
// runs itself.
const mutantEnv = "STEAMGSTEST_MUTANT"

// TestMutantBackEnd is the helper process of TestSuiteCatchesMutants: when
// mutantEnv is set it runs the suite against a local universe with that
// behaviour broken, and must fail. Otherwise it checks nothing.
func TestMutantBackEnd(t *testing.T) {
	m := os.Getenv(mutantEnv)
	if m == "" {
		return
	}
	steamgstest.Run(t, steamgstest.Harness{New: func(t *testing.T) (steamgs.Backend, steamgstest.Steam) {
		clock := local.NewManualClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
		u, err := local.NewUniverse(local.Options{Clock: clock, Latency: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return mutant{Universe: u, m: m}, &localSteam{u: u, clock: clock}
	}})
}

// TestSuiteCatchesMutants checks that the suite's cases for back ends with a
// Steam connection fail a back end that breaks them.
func TestSuiteCatchesMutants(t *testing.T) {
	tests := []struct {
		mutant string
		run    string // the case that must fail
		want   string
	}{
		{"verdicts OK", "Auth/Verdicts", "ValidateAuthTicketResponse OK, want NoLicenseOrExpired"},
		{"no owner", "Auth/Verdicts", "Owner [I:0:0] is not a valid Steam ID of an individual, game server or anonymous user"},
		{"mismatch is invalid", "Auth/Verdicts", "other app: BeginAuthSession = InvalidTicket, want GameMismatch"},
		{"always licensed", "Auth/Licenses", "before BeginAuthSession: UserHasLicenseForApp"},
		{"everyone plays", "Auth/UpdateUserData", "for a user with no session"},
		{"wrong call", "Calls/AssociateWithClan", "which no call of this server returned"},
		{"no policy", "LogOn/Anonymous", "no PolicyResponse arrived"},
		{"always secure", "LogOn/Secure", "want false"},
		{"name cut", "Queries/Info", "A2S_INFO reports"},
	}
	for _, tt := range tests {
		t.Run(tt.mutant, func(t *testing.T) {
			group, c, _ := strings.Cut(tt.run, "/")
			cmd := exec.Command(os.Args[0], "-test.run=^TestMutantBackEnd$/^"+group+"$/^"+c+"$", "-test.v")
			cmd.Env = append(os.Environ(), mutantEnv+"="+tt.mutant)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the suite passed the mutant %q (%v):\n%s", tt.mutant, err, out)
			}
			for _, w := range []string{"--- FAIL: TestMutantBackEnd/" + tt.run, tt.want} {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
