package local_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

// conformanceSteam gives the conformance suite the powers of a universe on a
// manual clock.
type conformanceSteam struct {
	u        *local.Universe
	clock    *local.ManualClock
	lifetime time.Duration
	// names numbers the users, groups and tokens made.
	names int
}

func (c *conformanceSteam) name(kind string) string {
	c.names++
	return fmt.Sprintf("steamgstest %s %d", kind, c.names)
}

func (c *conformanceSteam) NewUser(u steamgstest.User) (steamgs.SteamID, error) {
	return c.u.AddUser(local.User{Name: c.name("user"), Apps: u.Apps, VACBanned: u.VACBanned,
		PublisherBanned: u.PublisherBanned}), nil
}

func (c *conformanceSteam) NewGroup() (steamgs.SteamID, error) {
	return c.u.AddGroup(c.name("group")), nil
}

func (c *conformanceSteam) SetGroupMember(user, group steamgs.SteamID, member, officer bool) error {
	return c.u.SetGroupMember(user, group, member, officer)
}

func (c *conformanceSteam) Ticket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error) {
	return c.u.GetAuthSessionTicket(user, app, forID)
}

func (c *conformanceSteam) CancelTicket(user steamgs.SteamID, ticket steamgs.AuthTicket) error {
	c.u.CancelAuthTicket(user, ticket)
	return nil
}

func (c *conformanceSteam) Ban(user steamgs.SteamID) error {
	c.u.BanUser(user)
	return nil
}

func (c *conformanceSteam) NewToken() (string, error) {
	token := c.name("token")
	c.u.AddToken(token, local.TokenValid)
	return token, nil
}

func (c *conformanceSteam) TicketLifetime() time.Duration { return c.lifetime }

func (c *conformanceSteam) Advance(d time.Duration) { c.clock.Advance(d) }

// TestConformance runs the steamgstest suite against local, with answers on
// the next RunCallbacks and with a latency the suite must step through.
func TestConformance(t *testing.T) {
	for _, latency := range []time.Duration{0, 350 * time.Millisecond} {
		t.Run(fmt.Sprintf("latency=%v", latency), func(t *testing.T) {
			steamgstest.Run(t, steamgstest.Harness{New: func(t *testing.T) (steamgs.Backend, steamgstest.Steam) {
				clock := local.NewManualClock(time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC))
				u, err := local.NewUniverse(local.Options{Clock: clock, Latency: latency, TicketLifetime: 30 * time.Minute})
				if err != nil {
					t.Fatalf("NewUniverse: %v", err)
				}
				return u, &conformanceSteam{u: u, clock: clock, lifetime: 30 * time.Minute}
			}})
		})
	}
}
