package main

import (
	"flag"
	"time"
)

// defaultHibernate is the default of -hibernate: an empty server ticks
// once a second.
const defaultHibernate = time.Second

// registerHibernate defines -hibernate on fs.
func registerHibernate(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("hibernate", defaultHibernate,
		"tick this far apart while the server is empty (it wakes on the first connection attempt; A2S is answered at once either way); 0 never hibernates")
}

// idleInterval returns the server's Config.IdleInterval for -hibernate d:
// under Agones at most half the GameServer's health period, so that the
// tick, which the health pings follow, runs at least twice per period.
func (fl *fleet) idleInterval(d time.Duration) time.Duration {
	if d <= 0 || fl == nil || fl.ep.GameServer == nil {
		return max(d, 0)
	}
	h := fl.ep.GameServer.Spec.Health
	if h.Disabled {
		return d
	}
	return min(d, h.Period()/2)
}
