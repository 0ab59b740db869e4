package ecstest_test

import (
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestHarnessOptions(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true, Mode: steamgs.ModeAuthentication, AppID: 730,
		Tick: 100 * time.Millisecond, Start: ecstest.DefaultStart().AddDate(1, 0, 0)})
	assert.False(t, h.Status().LoggedOn, "logged on")
	assert.Equal(t, steamgs.AppID(730), h.AppID(), "app")
	assert.Equal(t, "730", h.Settings().Product(), "product")
	before := h.Clock.Now()
	h.Step(3)
	assert.Equal(t, 300*time.Millisecond, h.Clock.Now().Sub(before), "clock advance of 3 steps")
	assert.Equal(t, uint64(3), h.Steps(), "Steps()")
	assert.Zero(t, h.Recorder.Count("LogOn"), "logged on despite NoLogOn")
}

// TestHarnessRecorder checks that the harness records the calls of the
// embedded Steam's Conn, and starts each test with none.
func TestHarnessRecorder(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	assert.IsType(t, (*local.Server)(nil), h.Recorder.Conn(), "the recorder's Conn")
	assert.Empty(t, h.Recorder.Calls(), "calls of New")
	h.Step(1)
	var got []string
	for _, c := range h.Recorder.Calls() {
		got = append(got, c.String())
	}
	assert.Equal(t, []string{"RunCallbacks()", "Status()", "GetNextOutgoingPacket(16384)"}, got, "calls of a quiet tick")

	nr := ecstest.Start(t, ecstest.Options{NoRecord: true})
	assert.Nil(t, nr.Recorder, "recorder with NoRecord")
	assert.True(t, nr.Status().LoggedOn, "logged on without a recorder")
}
