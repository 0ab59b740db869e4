package steamworks

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// discardLogger returns a logger that drops everything, for tests that
// drop callbacks on purpose and do not look at the log.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// logRecords is a slog.Handler that keeps what it is given, rendered as
// "LEVEL message key=value ...".
type logRecords struct {
	mu    sync.Mutex
	lines []string
}

func (h *logRecords) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecords) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, b.String())
	return nil
}

func (h *logRecords) WithAttrs([]slog.Attr) slog.Handler { return h }

func (h *logRecords) WithGroup(string) slog.Handler { return h }

// got returns the lines logged so far.
func (h *logRecords) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.lines...)
}

// Lines the drop log writes.
const (
	logDropped      = "WARN steamworks: callback dropped; later drops of this ID and kind are counted, not logged"
	logDroppedOther = "WARN steamworks: callback dropped; later drops of this kind of IDs without a count of their own are counted under ID -1, not logged"
)

// dropLine is the line logged for the first drop of id and kind.
func dropLine(id int, kind string, size int) string {
	return fmt.Sprintf("%s id=%d kind=%s size=%d", logDropped, id, kind, size)
}

// callCompletedBytes is a SteamAPICallCompleted_t (the same under both
// packs) in the machine's byte order.
func callCompletedBytes(call uint64, id int32, size uint32) []byte {
	b := binary.NativeEndian.AppendUint64(nil, call)
	b = binary.NativeEndian.AppendUint32(b, uint32(id))
	return binary.NativeEndian.AppendUint32(b, size)
}

// TestDroppedCallbacks checks that no callback the server receives is lost
// without a trace: unknown and malformed callbacks and call results are
// counted by ID through steamgs.CallbackDropCounter, and the first of each
// ID and kind is logged at level WARN.
func TestDroppedCallbacks(t *testing.T) {
	t.Run("counted and logged once per ID and kind", func(t *testing.T) {
		logs := &logRecords{}
		fx := newFixture(t, Options{Logger: slog.New(logs)})
		for range 3 {
			fx.fake.queueRaw(9999, []byte{1, 2, 3})
		}
		fx.fake.queueRaw(1201, nil)
		fx.fake.queueRaw(1201, make([]byte, 300))
		fx.fake.queueRaw(143, make([]byte, 19))
		fx.fake.queueRaw(143, make([]byte, 12))
		fx.fake.queueEncoded(143, []uint64{5, 0, 5}, nil)
		fx.fake.queueRaw(206, make([]byte, 136))
		assert.Equal(t, []steamgs.Callback{steamgs.ValidateAuthTicketResponse{SteamID: 5, Owner: 5}}, collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 143, Malformed: 2}, {ID: 206, Malformed: 1}, {ID: 1201, Unknown: 2},
			{ID: 9999, Unknown: 3}}, fx.drops(t))
		assert.Equal(t, []string{dropLine(9999, "unknown", 3), dropLine(1201, "unknown", 0), dropLine(143, "malformed", 19),
			dropLine(206, "malformed", 136)}, logs.got())

		// More of the same IDs and kinds are counted, not logged.
		fx.fake.queueRaw(9999, nil)
		fx.fake.queueRaw(143, nil)
		assert.Empty(t, collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 143, Malformed: 3}, {ID: 206, Malformed: 1}, {ID: 1201, Unknown: 2},
			{ID: 9999, Unknown: 4}}, fx.drops(t))
		assert.Len(t, logs.got(), 4)
	})
	t.Run("a message with a negative size", func(t *testing.T) {
		logs := &logRecords{}
		fx := newFixture(t, Options{Logger: slog.New(logs)})
		fx.fake.call("fake_queue_callback", 102, 0, uintptr(math.MaxUint64)) // size -1
		fx.fake.call("fake_queue_callback", 5000, 0, uintptr(math.MaxUint64))
		assert.Empty(t, collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 102, Malformed: 1}, {ID: 5000, Unknown: 1}}, fx.drops(t))
		assert.Equal(t, []string{dropLine(102, "malformed", -1), dropLine(5000, "unknown", -1)}, logs.got())
	})
	t.Run("call results", func(t *testing.T) {
		logs := &logRecords{}
		fx := newFixture(t, Options{Logger: slog.New(logs)})
		// A SteamAPICallCompleted too short to decode.
		fx.fake.queueRaw(idAPICallCompleted, make([]byte, 15))
		// One announcing a result larger than any callback.
		fx.fake.queueRaw(idAPICallCompleted, callCompletedBytes(1, steamgs.IDPlayerCompat, maxCallbackSize+1))
		// A call libsteam_api holds no result for.
		fx.fake.queueRaw(idAPICallCompleted, callCompletedBytes(2, steamgs.IDAssociateClan, 4))
		// A result too short for its struct.
		fx.fake.storeCallResult(3, steamgs.IDPlayerCompat, make([]byte, 20), false)
		fx.fake.queueRaw(idAPICallCompleted, callCompletedBytes(3, steamgs.IDPlayerCompat, 20))
		// A result of a call of another interface.
		fx.fake.storeCallResult(4, 1234, make([]byte, 8), false)
		fx.fake.queueRaw(idAPICallCompleted, callCompletedBytes(4, 1234, 8))
		// An I/O failure of a call of another interface.
		fx.fake.storeCallResult(5, 4321, make([]byte, 8), true)
		fx.fake.queueRaw(idAPICallCompleted, callCompletedBytes(5, 4321, 8))
		// A result that decodes.
		fx.fake.queueCallResult(6, steamgs.IDAssociateClan, []uint64{1}, nil, false)

		assert.Equal(t, []steamgs.Callback{steamgs.AssociateClan{Call: 6, Result: steamgs.ResultOK}}, collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: steamgs.IDAssociateClan, Malformed: 1},
			{ID: steamgs.IDPlayerCompat, Malformed: 1}, {ID: idAPICallCompleted, Malformed: 2}, {ID: 1234, Unknown: 1},
			{ID: 4321, Unknown: 1}}, fx.drops(t))
		assert.Equal(t, []string{dropLine(703, "malformed", 15), dropLine(210, "malformed", 4), dropLine(211, "malformed", 20),
			dropLine(1234, "unknown", 8), dropLine(4321, "unknown", 8)}, logs.got())
	})
	t.Run("IDs past the cap share one count", func(t *testing.T) {
		logs := &logRecords{}
		fx := newFixture(t, Options{Logger: slog.New(logs)})
		for i := range MaxDropIDs + 10 {
			fx.fake.queueRaw(10000+i, nil)
		}
		fx.fake.queueRaw(10000, nil) // has a count of its own
		fx.fake.queueRaw(20000, nil) // does not
		fx.fake.queueRaw(143, nil)   // a known ID without a count of its own: malformed, in the shared count
		fx.fake.queueRaw(-5, nil)    // negative IDs are never Steam's: in the shared count
		fx.fake.queueRaw(202, nil)   // not logged: the shared count logged its first malformed one
		fx.fake.queueRaw(10063, nil) // the last ID with a count of its own
		fx.fake.queueRaw(10064, nil) // the first without
		assert.Empty(t, collect(fx.srv))

		drops := fx.drops(t)
		require.Len(t, drops, MaxDropIDs+1)
		assert.Equal(t, steamgs.CallbackDrop{ID: steamgs.CallbackDropOther, Unknown: 10 + 1 + 1 + 1, Malformed: 2}, drops[0])
		assert.Equal(t, steamgs.CallbackDrop{ID: 10000, Unknown: 2}, drops[1])
		assert.Equal(t, steamgs.CallbackDrop{ID: 10063, Unknown: 2}, drops[MaxDropIDs])
		for i, d := range drops[1:] {
			assert.Equal(t, 10000+i, d.ID)
		}
		lines := logs.got()
		require.Len(t, lines, MaxDropIDs+2, "one line per ID with a count, and one per kind for the rest")
		assert.Equal(t, dropLine(10000, "unknown", 0), lines[0])
		assert.Equal(t, fmt.Sprintf("%s id=%d kind=unknown size=0", logDroppedOther, 10000+MaxDropIDs), lines[MaxDropIDs])
		assert.Equal(t, logDroppedOther+" id=143 kind=malformed size=0", lines[MaxDropIDs+1])

		// A flood of new IDs changes the shared count alone.
		for i := range 1000 {
			fx.fake.queueRaw(30000+i, nil)
		}
		assert.Empty(t, collect(fx.srv))
		drops = fx.drops(t)
		require.Len(t, drops, MaxDropIDs+1)
		assert.Equal(t, uint64(1013), drops[0].Unknown)
		assert.Len(t, logs.got(), MaxDropIDs+2)
	})
	t.Run("a nil Logger logs to slog.Default", func(t *testing.T) {
		logs := &logRecords{}
		old := slog.Default()
		slog.SetDefault(slog.New(logs))
		t.Cleanup(func() { slog.SetDefault(old) })
		fx := newFixture(t, Options{})
		fx.fake.queueRaw(9999, nil)
		assert.Empty(t, collect(fx.srv))
		assert.Equal(t, []string{dropLine(9999, "unknown", 0)}, logs.got())
	})
	t.Run("a Logger of the Library is used instead of slog.Default", func(t *testing.T) {
		def, own := &logRecords{}, &logRecords{}
		old := slog.Default()
		slog.SetDefault(slog.New(def))
		t.Cleanup(func() { slog.SetDefault(old) })
		fx := newFixture(t, Options{Logger: slog.New(own)})
		fx.fake.queueRaw(9999, nil)
		assert.Empty(t, collect(fx.srv))
		assert.Empty(t, def.got())
		assert.Equal(t, []string{dropLine(9999, "unknown", 0)}, own.got())
	})
	t.Run("the caller owns the result, also after Shutdown", func(t *testing.T) {
		fx := newFixture(t, Options{Logger: discardLogger()})
		assert.Empty(t, fx.drops(t))
		fx.fake.queueRaw(9999, nil)
		collect(fx.srv)
		dc := dropCounter(t, fx.srv)
		got := dc.DroppedCallbacks()
		got[0].ID, got[0].Unknown = 1, 77
		require.NoError(t, fx.srv.Shutdown())
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 9999, Unknown: 1}}, dc.DroppedCallbacks())
	})
	t.Run("counts may be read while callbacks run", func(t *testing.T) {
		fx := newFixture(t, Options{Logger: discardLogger()})
		dc := dropCounter(t, fx.srv)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					_ = dc.DroppedCallbacks()
				}
			}
		})
		for i := range 200 {
			fx.fake.queueRaw(9000+i%80, nil)
			collect(fx.srv)
		}
		close(stop)
		wg.Wait()
		var total uint64
		for _, d := range dc.DroppedCallbacks() {
			total += d.Unknown
		}
		assert.Equal(t, uint64(200), total)
	})
	t.Run("counting does not allocate", func(t *testing.T) {
		fx := newFixture(t, Options{Logger: discardLogger()})
		c := fx.conn(t)
		c.drop(9999, 3)
		c.drop(143, 3)
		assert.Zero(t, testing.AllocsPerRun(100, func() { c.drop(9999, 3) }), "an unknown callback")
		assert.Zero(t, testing.AllocsPerRun(100, func() { c.drop(143, 3) }), "a malformed callback")
		for i := range MaxDropIDs {
			c.drop(20000+i, 0)
		}
		assert.Zero(t, testing.AllocsPerRun(100, func() { c.drop(30000, 0) }), "an ID past the cap")

		// The whole pump: dropping an unknown callback costs no more than
		// delivering ServerConnected, whose value takes no memory.
		empty := []byte{0}
		pump := func(id int) func() {
			return func() {
				fx.fake.queueRaw(id, empty)
				c.RunCallbacks(func(steamgs.Callback) {})
			}
		}
		delivered := testing.AllocsPerRun(100, pump(steamgs.IDServerConnected))
		assert.LessOrEqual(t, testing.AllocsPerRun(100, pump(9999)), delivered, "RunCallbacks with an unknown callback")
		assert.LessOrEqual(t, testing.AllocsPerRun(100, pump(143)), delivered, "RunCallbacks with a malformed callback")
	})
}

// TestDropCounts checks the counter alone: IDs in the order they came,
// the shared count, sorted snapshots.
func TestDropCounts(t *testing.T) {
	var d dropCounts
	bucket, first := d.add(7, dropUnknown)
	assert.Equal(t, 7, bucket)
	assert.True(t, first)
	_, first = d.add(7, dropUnknown)
	assert.False(t, first)
	_, first = d.add(7, dropMalformed)
	assert.True(t, first, "the first malformed one of an ID that had unknown ones")
	bucket, first = d.add(-3, dropMalformed)
	assert.Equal(t, steamgs.CallbackDropOther, bucket)
	assert.True(t, first)
	_, _ = d.add(3, dropUnknown)
	assert.Equal(t, []steamgs.CallbackDrop{{ID: steamgs.CallbackDropOther, Malformed: 1}, {ID: 3, Unknown: 1},
		{ID: 7, Unknown: 2, Malformed: 1}}, d.snapshot())
	assert.Equal(t, "unknown", dropUnknown.String())
	assert.Equal(t, "malformed", dropMalformed.String())
}
