package ecs_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
)

// logBuffer collects JSON log records.
type logBuffer struct{ bytes.Buffer }

func (b *logBuffer) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(b, nil)) }

// records returns the records logged so far.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(b.String()) {
		var r map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &r), "log line %q", line)
		out = append(out, r)
	}
	return out
}

// only returns the one record logged so far, failing the test unless there
// is exactly one.
func (b *logBuffer) only(t *testing.T) map[string]any {
	t.Helper()
	recs := b.records(t)
	require.Len(t, recs, 1, "records: %v", b.messages(t))
	return recs[0]
}

// messages returns the level and message of each record.
func (b *logBuffer) messages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range b.records(t) {
		out = append(out, r["level"].(string)+" "+r["msg"].(string))
	}
	return out
}

// without returns r without the key k.
func without(r map[string]any, k string) map[string]any {
	delete(r, k)
	return r
}

// TestLoggerLogOnStates drops the connection for long enough that Steam
// retries the log-on several times: each change of state is logged once.
func TestLoggerLogOnStates(t *testing.T) {
	var buf logBuffer
	h := ecstest.Start(t, ecstest.Options{Logger: buf.logger()})
	require.Equal(t, []string{"INFO logged on to Steam"}, buf.messages(t), "the first log-on")
	first := buf.records(t)[0]
	assert.Equal(t, h.Status().SteamID.String(), first["steam_id"], "the server's Steam ID, in its text form")

	h.Universe.DropConnection(5 * local.DefaultRetryInterval)
	for range int(6*local.DefaultRetryInterval/ecstest.DefaultTick) + 10 {
		h.Step(1)
	}
	require.True(t, h.Status().LoggedOn, "logged on again after the outage")
	require.GreaterOrEqual(t, h.Status().Failures, 3, "log-on retries that failed")
	assert.Equal(t, []string{"INFO logged on to Steam", "WARN disconnected from Steam", "WARN Steam log-on failed",
		"INFO logged on to Steam"}, buf.messages(t), "one record per change of state, not per retry or tick")
	r := buf.records(t)
	assert.Equal(t, steamgs.ResultNoConnection.String(), r[1]["result"])
	assert.Equal(t, true, r[2]["retrying"])
}

// TestLoggerRefusedPlayers checks a refused player is logged with its name,
// Steam ID and reason at INFO (a client's doing, not the server's), once per
// cause every 10 s: the same player refused again for the same reason is not
// logged again; approved players are not logged.
func TestLoggerRefusedPlayers(t *testing.T) {
	var buf logBuffer
	h := ecstest.Start(t, ecstest.Options{Logger: buf.logger()})
	buf.Reset()
	h.Join("alice")
	mallory := h.AddUser("mallory")
	for range 3 {
		h.JoinTicket(mallory, "mallory", []byte("not a ticket"))
		h.Step(2)
	}
	rec := buf.only(t)
	assert.Subset(t, rec, map[string]any{"level": "INFO", "msg": "player refused by Steam", "name": "mallory",
		"steam_id": mallory.String(), "state": components.AuthDenied.String()})
	assert.Contains(t, rec["reason"], "BeginAuthSession: "+steamgs.BeginAuthInvalidVersion.String(), "a ticket that is no ticket")

	// A ban is another cause.
	e, bob := h.Join("bob")
	h.Step(2)
	require.True(t, h.Player(e).Active())
	h.Universe.BanUser(bob)
	h.Step(3)
	assert.Equal(t, []string{"INFO player refused by Steam", "INFO player refused by Steam"}, buf.messages(t))
	assert.Equal(t, components.AuthKicked.String(), buf.records(t)[1]["state"])
}

// TestLoggerFailedCalls checks a setting Steam's rules refuse is logged
// once with the call, its field and the error, and again only when the
// error changes.
func TestLoggerFailedCalls(t *testing.T) {
	var buf logBuffer
	h := ecstest.Start(t, ecstest.Options{Logger: buf.logger()})
	buf.Reset()
	long := strings.Repeat("x", 80)
	for range 3 {
		h.Settings().SetServerName(long)
		h.Step(1)
		h.Settings().SetServerName("fine")
		h.Step(1)
	}
	assert.Equal(t, map[string]any{"level": "ERROR", "msg": "Steam call failed", "call": "ApplySettings",
		"fields": components.FieldServerName.String(), "err": "steamgs: server name is 80 bytes, limit 63"},
		without(buf.only(t), "time"))

	h.Settings().SetServerName(strings.Repeat("y", 70))
	h.Step(1)
	assert.Len(t, buf.records(t), 2, "another error is another cause")
}

// TestRequiredSettingsThroughPlugin checks a log-on asked of the plugin
// before the required settings fails as Server.LogOnAnonymous does: one
// error matching steamgs.ErrRequired that names every missing setting, in
// the status, the Failed event and the log, once.
func TestRequiredSettingsThroughPlugin(t *testing.T) {
	u, err := local.NewUniverse(local.Options{})
	require.NoError(t, err)
	srv := steamgs.NewServer(u)
	require.NoError(t, srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication, Version: "1"}))
	t.Cleanup(func() { srv.Shutdown() })
	direct := srv.LogOnAnonymous() // what Server itself says
	require.ErrorIs(t, direct, steamgs.ErrRequired)

	var buf logBuffer
	w := donburi.NewWorld()
	p, err := ecs.Install(w, srv, ecs.Options{Logger: buf.logger()})
	require.NoError(t, err)
	var failed []systems.CallFailed
	p.Events().Failed.Subscribe(w, func(_ donburi.World, f systems.CallFailed) { failed = append(failed, f) })
	p.Settings().SetServerName("no product")
	p.Settings().SetModDir("nodir")
	p.Settings().LogOnAnonymous()
	for range 5 {
		p.Tick()
	}
	require.Len(t, failed, 1, "Failed events")
	assert.Equal(t, "LogOnAnonymous", failed[0].Call)
	require.ErrorIs(t, failed[0].Err, steamgs.ErrRequired)
	assert.Equal(t, direct.Error(), failed[0].Err.Error(), "the plugin reports what Server says")
	for _, missing := range []string{"product (SetProduct)", "game description (SetGameDescription)"} {
		assert.ErrorContains(t, failed[0].Err, missing)
	}
	assert.True(t, errors.Is(p.Status().LastError, steamgs.ErrRequired), "the status's last error")
	assert.NotEqual(t, components.LoggingOn, p.Status().State, "state after a refused log-on")
	assert.Subset(t, buf.only(t), map[string]any{"call": "LogOnAnonymous", "err": direct.Error()})

	// With the product set, only the description is missing.
	p.Settings().SetProduct("480")
	p.Settings().LogOnWithToken("token")
	p.Tick()
	require.Len(t, failed, 2)
	assert.Equal(t, "LogOn", failed[1].Call)
	assert.ErrorContains(t, failed[1].Err, "game description (SetGameDescription)")
	assert.NotContains(t, failed[1].Err.Error(), "SetProduct")
	assert.Len(t, buf.records(t), 2)

	p.Settings().SetGameDescription("described")
	p.Settings().LogOnAnonymous()
	for range 3 {
		p.Tick()
	}
	assert.Len(t, failed, 2, "no failure once the required settings are set")
	assert.Contains(t, []components.Connection{components.LoggingOn, components.Connected}, p.Status().State, "the log-on was made")
}

// TestNoLoggerIsSilent checks that without Options.Logger the plugin writes
// nothing, not even to slog's default logger.
func TestNoLoggerIsSilent(t *testing.T) {
	var buf logBuffer
	old := slog.Default()
	slog.SetDefault(buf.logger())
	t.Cleanup(func() { slog.SetDefault(old) })
	h := ecstest.Start(t, ecstest.Options{})
	h.Settings().SetServerName(strings.Repeat("x", 80))
	h.JoinTicket(h.AddUser("mallory"), "mallory", []byte("not a ticket"))
	h.Universe.DropConnection(local.DefaultRetryInterval)
	h.Step(int(2*local.DefaultRetryInterval/ecstest.DefaultTick) + 5)
	require.Positive(t, h.Status().Errors, "calls failed")
	assert.Empty(t, buf.String())
}

func TestClientInputNeverAnError(t *testing.T) {
	var buf logBuffer
	h := ecstest.Start(t, ecstest.Options{Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	buf.Reset()
	id := h.AddUser("mallory")
	var denied int
	h.Plugin.Events().PlayerAuth.Subscribe(h.World, func(_ donburi.World, a systems.PlayerAuthChanged) {
		if a.State == components.AuthDenied {
			denied++
		}
	})
	// The same client sends empty tickets again and again.
	for range 20 {
		h.JoinTicket(id, "mallory", nil)
		h.Step(1)
	}
	st := h.Status()
	assert.Equal(t, 20, denied, "every one denied")
	assert.NoError(t, st.LastError, "the status's last error")
	assert.Equal(t, 0, st.Errors, "no error of the server's own")
	assert.Equal(t, 20, st.RemoteErrors, "counted as the clients' failures")
	for _, r := range buf.records(t) {
		assert.Contains(t, []string{"DEBUG", "INFO"}, r["level"], "level of %v", r)
	}
	assert.Equal(t, []string{"DEBUG client input refused by Steam call", "INFO player refused by Steam"},
		buf.messages(t), "once per cause and source")

	// Ten seconds later the same cause is logged once more.
	h.Step(int(10 * time.Second / ecstest.DefaultTick))
	buf.Reset()
	for range 5 {
		h.JoinTicket(id, "mallory", nil)
		h.Step(1)
	}
	assert.Len(t, buf.records(t), 2, "again after 10 s: %v", buf.messages(t))
}

// TestLoggerRefusedByThePlugin checks that a player the plugin refuses,
// rather than Steam, is logged as such: one that waited past
// PendingTimeout for a verdict Steam never gave.
func TestLoggerRefusedByThePlugin(t *testing.T) {
	var buf logBuffer
	h := ecstest.Start(t, ecstest.Options{Logger: buf.logger()})
	buf.Reset()
	h.Universe.SetLatency(time.Hour) // Steam's verdicts never come in time
	h.Join("alice")
	h.Step(int((systems.DefaultPendingTimeout + time.Second) / ecstest.DefaultTick))
	rec := buf.only(t)
	assert.Subset(t, rec, map[string]any{"level": "INFO", "msg": "player refused", "name": "alice",
		"state":  components.AuthDenied.String(),
		"reason": steamgs.DenySteamResponseTimedOut.String() + ": no verdict from Steam within 10s"})
	assert.Zero(t, h.Status().Pending)
	assert.Zero(t, h.Plugin.Sessions(), "the session ended")
}
