package systems

import (
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	decs "github.com/yohamta/donburi/ecs"
)

// PushSettings is the settings system (the sixth of a tick): it pushes the
// settings that changed since the last push with Server.ApplySettings, in
// at most three steps: the changed settings the SDK fixes at log-on (one
// ApplySettings), a requested log-on, then every other changed setting (one
// ApplySettings, advertising among them; the back end applies it last). On a
// tick where nothing changed it does nothing. A setting Steam's rules refuse
// is reported (StatusData.LastError and a CallFailed event naming its
// field) and not retried, while the valid settings pushed with it still
// reach Steam; change it again to retry. While the server is not running
// (before Init, after Shutdown) changes wait. A log-on that Steam refused
// with a result that may pass is tried again at StatusData.NextLogOn (see
// Config.LogOnRetry).
//
// While the server is not logged on to Steam it does not advertise itself:
// it pushes SetAdvertiseServerActive(false) whatever the settings say, so
// that server browsers neither list it nor get A2S answers from it, and
// the settings' Advertise once Steam logs it on (StatusData.Advertised
// says which was pushed last). A server in ModeNoAuthentication, which
// never logs on, advertises as its settings say.
func (s *Systems) PushSettings(_ *decs.ECS) {
	set := s.Settings()
	dirty, logOn := set.Dirty(), set.LogOnRequested()
	advertise := set.Advertise() && s.mayAdvertise()
	if advertise != s.advertised {
		dirty |= components.FieldAdvertise
	}
	retry := s.retryDue()
	if (dirty == 0 && !logOn && !retry) || !s.srv.Running() {
		return
	}
	st := set.Settings()
	s.apply(&st, dirty&components.FieldsBeforeLogOn)
	if logOn || retry {
		status := s.Status()
		if logOn {
			status.Retries, status.GaveUp = 0, false
		} else {
			status.Retries++
		}
		status.NextLogOn = time.Time{}
		if call, err := s.logOn(set.LogOnRequest()); err != nil {
			s.fail(call, 0, err)
		}
		// A log-on asked for while logged on logs the server off first.
		if advertise = set.Advertise() && s.mayAdvertise(); advertise != s.advertised {
			dirty |= components.FieldAdvertise
		}
	}
	st.Advertise = advertise
	s.apply(&st, dirty&^components.FieldsBeforeLogOn)
	if dirty&components.FieldAdvertise != 0 {
		s.advertised = advertise
		s.Status().Advertised = advertise
	}
	set.ClearDirty()
	if s.ev.pending != 0 {
		s.finish()
	}
}

// mayAdvertise reports whether the server may advertise itself as
// joinable: while it is logged on to Steam, or always in
// ModeNoAuthentication (a LAN server, which never logs on).
func (s *Systems) mayAdvertise() bool {
	return s.loggedOn || s.srv.Config().Mode == steamgs.ModeNoAuthentication
}

// retryDue reports whether a log-on retry is due.
func (s *Systems) retryDue() bool {
	next := s.Status().NextLogOn
	return !next.IsZero() && !s.cfg.Now().Before(next)
}

// apply pushes the fields of st in one ApplySettings. When Steam's rules
// refuse it, which refuses every field, it pushes each field on its own, so
// that the valid ones are set and each refused one is reported.
func (s *Systems) apply(st *steamgs.Settings, fields components.Field) {
	if fields == 0 || s.applyLocked(st, fields) == nil {
		return
	}
	for f := components.Field(1); f <= fields; f <<= 1 {
		if fields&f == 0 {
			continue
		}
		if err := s.applyLocked(st, f); err != nil {
			s.failSettings(f, err)
		}
	}
}

// applyLocked calls ApplySettings under the Steam lock.
func (s *Systems) applyLocked(st *steamgs.Settings, fields components.Field) error {
	s.steamMu.Lock()
	defer s.steamMu.Unlock()
	return s.srv.ApplySettings(*st, fields)
}

// logOn logs the server on as asked.
func (s *Systems) logOn(req components.LogOn) (string, error) {
	var err error
	call := "LogOnAnonymous"
	s.steamMu.Lock()
	if req.Token != "" {
		call, err = "LogOn", s.srv.LogOn(req.Token)
	} else {
		err = s.srv.LogOnAnonymous()
	}
	s.steamMu.Unlock()
	if err == nil {
		st := s.Status()
		st.State, st.LoggedOn = components.LoggingOn, false
		s.loggedOn = false
	}
	return call, err
}
