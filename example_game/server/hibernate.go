package server

import "time"

// Hibernating reports whether Run ticks at Config.IdleInterval because the
// server is empty. Safe from any goroutine.
func (s *Server) Hibernating() bool { return s.asleep.Load() }

// idle reports whether the server has nobody to tick for: it is logged on
// to Steam (a log-on in progress runs at the full rate), and it has no
// player (bots and players waiting for Steam's verdict count) and no
// client.
func (s *Server) idle() bool {
	return len(s.clients) == 0 && s.ecs.Status().LoggedOn && s.ecs.Players().Count(s.world) == 0
}

// pace sets Run's ticker after a tick: the idle interval once the server
// is empty, the tick rate's interval again once it is not.
func (s *Server) pace(t *time.Ticker, interval time.Duration) {
	if s.cfg.IdleInterval <= 0 {
		return
	}
	idle := s.idle()
	if idle == s.asleep.Load() {
		return
	}
	s.asleep.Store(idle)
	if idle {
		t.Reset(s.cfg.IdleInterval)
		s.log.Debug("hibernating: the server is empty", "tick_interval", s.cfg.IdleInterval)
		return
	}
	t.Reset(interval)
	s.log.Debug("awake", "tick_rate", s.cfg.Rules.TickRate)
}

// wakeUp makes Run tick now (a game datagram arrived while it hibernates);
// it never blocks.
func (s *Server) wakeUp() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
